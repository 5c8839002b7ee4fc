//! `GET /cabinet/qr`: where QR work starts. Staff go straight to their organisation's page; everyone
//! else finds an organisation of their scope (search, pages), and an authority (or an administrator)
//! manages its logo and downloads the ZIP of all its posters.

use super::access::{self, non_empty};
use crate::ctx::Ctx;
use crate::error::AppResult;
use crate::render::page;
use crate::state::AppState;
use crate::views::{self, Pager};
use askama::Template;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use nok_print::PaperSize;
use nok_store::repo::organizations::{self, OrgQuery};
use nok_store::repo::{images, reference};
use nok_store::scope::Scope;
use serde::Deserialize;

const PER_PAGE: u64 = 25;

pub use nok_store::repo::images::manages_authority;

struct OrgLine {
    id: i32,
    name: String,
    inn: String,
    region: String,
}

struct AuthorityBlock {
    id: i32,
    name: String,
    has_logo: bool,
}

struct SizeChoice {
    code: &'static str,
    name: String,
    default_distance: String,
}

#[derive(Template)]
#[template(path = "qr/hub.html")]
struct HubPage {
    ctx: Ctx,
    q: String,
    rows: Vec<OrgLine>,
    total: u64,
    pager: Pager,
    authorities: Vec<AuthorityBlock>,
    sizes: Vec<SizeChoice>,
    logo_error: Option<String>,
}

#[derive(Deserialize, Default)]
pub struct HubQuery {
    q: Option<String>,
    page: Option<u64>,
    error: Option<String>,
}

pub async fn hub(State(state): State<AppState>, ctx: Ctx, Query(query): Query<HubQuery>) -> AppResult<Response> {
    let actor = ctx.require_user()?.clone();
    if let Scope::Organization { organization_id } = actor.scope {
        return Ok(Redirect::to(&format!("/cabinet/qr/{organization_id}")).into_response());
    }
    let q = non_empty(&query.q);
    let list = organizations::list(
        &state.db.read,
        &actor,
        &OrgQuery { q: q.clone(), page: query.page.unwrap_or(1), per_page: PER_PAGE, ..Default::default() },
    )
    .await?;
    let regions = views::region_options(&state).await?;
    let rows = list
        .items
        .iter()
        .map(|o| OrgLine {
            id: o.id,
            name: o.short_name.clone(),
            inn: o.inn.clone(),
            region: views::region_name(&regions, &o.region_code),
        })
        .collect();
    let search = q.clone().unwrap_or_default();
    let pager = Pager::new(list.page, list.pages(), |p| {
        format!(
            "/cabinet/qr?{}",
            serde_urlencoded::to_string([("q", search.as_str()), ("page", &p.to_string())]).unwrap_or_default()
        )
    });
    let mut authorities = Vec::new();
    for a in reference::authorities(&state.db.read, &actor).await? {
        if manages_authority(&actor, a.id) {
            let has_logo = images::authority_logo(&state.db.read, a.id).await?.is_some();
            authorities.push(AuthorityBlock { id: a.id, name: a.name, has_logo });
        }
    }
    let sizes = PaperSize::ALL
        .iter()
        .map(|&s| SizeChoice {
            code: s.name(),
            name: nok_i18n::t(&format!("qr-size-{}", s.name())),
            default_distance: nok_i18n::format_decimal(s.default_distance_m(), 1),
        })
        .collect();
    Ok(page(&HubPage {
        ctx,
        q: q.unwrap_or_default(),
        total: list.total,
        rows,
        pager,
        authorities,
        sizes,
        logo_error: access::rejection_message(&query.error),
    }))
}
