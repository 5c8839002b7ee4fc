//! QR codes, posters and placements in the cabinets (product spec C8): downloads of an organisation's
//! materials, logos, the authority's ZIP of posters, the placement registry with its coverage, scan
//! analytics, and the public badge and widget instructions. Handlers are thin; the look of materials is
//! `nok-print`'s, the data and scope checks are the store's.
//!
//! | module | owns |
//! |---|---|
//! | [`materials`] | finding organisations, links, poster inputs and the batch (also used by `nok`) |
//! | `hub` | `/cabinet/qr`: choosing an organisation; the authority's logo and ZIP |
//! | `downloads` | `/cabinet/qr/{id}`: the page and every download |
//! | `logos` | logo uploads and removal |
//! | `archive` | the streamed ZIP of an authority's posters |
//! | `placements` | `/cabinet/placements/{org}`: the registry of one organisation |
//! | `coverage` | `/cabinet/coverage`: the two-poster rule over a scope |
//! | [`scans`] | the visit-counting middleware and `/cabinet/scans` |
//! | `public` | `/badge/{id}.svg` and `/widget/{id}` |

mod access;
mod archive;
mod coverage;
mod downloads;
mod hub;
pub(crate) mod listing;
mod logos;
pub mod materials;
mod placements;
mod public;
pub mod scans;

use crate::state::AppState;
use axum::Router;
use axum::routing::{get, post};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/cabinet/qr", get(hub::hub))
        .route("/cabinet/qr/{id}", get(downloads::org_page))
        .route("/cabinet/qr/{id}/code", get(downloads::code))
        .route("/cabinet/qr/{id}/poster", get(downloads::poster))
        .route("/cabinet/qr/{id}/labels", get(downloads::labels))
        .route("/cabinet/qr/{id}/screen", get(downloads::screen))
        .route("/cabinet/qr/{id}/widget", get(downloads::widget_file))
        .route("/cabinet/qr/{id}/logo", get(logos::show_org).post(logos::upload_org))
        .route("/cabinet/qr/{id}/logo/delete", get(logos::confirm_delete_org).post(logos::delete_org))
        .route("/cabinet/qr/authority/{id}/logo", get(logos::show_authority).post(logos::upload_authority))
        .route(
            "/cabinet/qr/authority/{id}/logo/delete",
            get(logos::confirm_delete_authority).post(logos::delete_authority),
        )
        .route("/cabinet/qr/authority/{id}/posters", get(archive::posters_zip))
        .route("/cabinet/placements/{org}", get(placements::list).post(placements::create))
        .route("/cabinet/placements/{org}/{id}/edit", get(placements::edit_form).post(placements::update))
        .route("/cabinet/placements/{org}/{id}/verify", post(placements::verify))
        .route("/cabinet/placements/{org}/{id}/delete", get(placements::confirm_delete).post(placements::delete))
        .route("/cabinet/placements/{org}/{id}/photo", get(placements::photo).post(placements::upload_photo))
        .route(
            "/cabinet/placements/{org}/{id}/photo/delete",
            get(placements::confirm_delete_photo).post(placements::delete_photo),
        )
        .route("/cabinet/coverage", get(coverage::coverage_page))
        .route("/cabinet/coverage/export/{format}", get(coverage::coverage_export))
        .route("/cabinet/coverage/regions/export/{format}", get(coverage::coverage_regions_export))
        .route("/cabinet/scans", get(scans::scans_page))
        .route("/cabinet/scans/export/{format}", get(scans::scans_export))
        .route("/badge/{file}", get(public::badge))
        .route("/widget/{public_id}", get(public::widget_help))
}
