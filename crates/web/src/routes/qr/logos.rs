//! Logo uploads for posters: the organisation's (its staff, its authority, administrators) and the
//! authority's (the authority itself, administrators). Files are checked by their first bytes and size
//! (≤ 1 MiB) in the store; a refused file returns to the page with the reason. Removal asks first.

use super::access::{self, inline_image};
use crate::ctx::Ctx;
use crate::error::{AppError, AppResult};
use crate::render::page;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Multipart, Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use nok_store::repo::images::{self, ImageKind};
use nok_store::repo::reference;

/// Where an organisation's logo form lives.
fn org_page(id: i32) -> String {
    format!("/cabinet/qr/{id}")
}

/// Where the authorities' logo forms live.
const HUB: &str = "/cabinet/qr";

fn back_with_error(target: &str, r: images::ImageRejection) -> Response {
    Redirect::to(&format!("{target}?error={}#logos", r.code())).into_response()
}

/// `POST /cabinet/qr/{id}/logo` (multipart, `?csrf=`).
pub async fn upload_org(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i32>,
    mut multipart: Multipart,
) -> AppResult<Response> {
    let (actor, org) = access::org_for(&state, &ctx, id).await?;
    match access::read_image(&mut multipart, ImageKind::OrgLogo).await? {
        Ok(bytes) => {
            images::set_org_logo(&state.db, &actor, org.id, &bytes).await?;
            Ok(Redirect::to(&format!("{}#logos", org_page(org.id))).into_response())
        }
        Err(r) => Ok(back_with_error(&org_page(org.id), r)),
    }
}

/// `GET /cabinet/qr/{id}/logo`: the stored logo (for the preview).
pub async fn show_org(State(state): State<AppState>, ctx: Ctx, Path(id): Path<i32>) -> AppResult<Response> {
    let (actor, org) = access::org_for(&state, &ctx, id).await?;
    let logo = images::org_logo(&state.db.read, &actor, org.id).await?.ok_or(AppError::NotFound)?;
    Ok(inline_image(logo.data, &logo.mime))
}

#[derive(Template)]
#[template(path = "qr/confirm.html")]
pub struct ConfirmPage {
    pub ctx: Ctx,
    pub title: String,
    pub question: String,
    pub action: String,
    pub back: String,
}

/// `GET /cabinet/qr/{id}/logo/delete`: asks before removing.
pub async fn confirm_delete_org(State(state): State<AppState>, ctx: Ctx, Path(id): Path<i32>) -> AppResult<Response> {
    let (actor, org) = access::org_for(&state, &ctx, id).await?;
    if !actor.may_edit_card() {
        return Err(AppError::Forbidden);
    }
    Ok(page(&ConfirmPage {
        title: nok_i18n::t("qr-logo-delete-title"),
        question: nok_i18n::t_args("qr-logo-delete-question", &[("name", org.short_name.clone().into())]),
        action: format!("/cabinet/qr/{}/logo/delete", org.id),
        back: org_page(org.id),
        ctx,
    }))
}

/// `POST /cabinet/qr/{id}/logo/delete`.
pub async fn delete_org(State(state): State<AppState>, ctx: Ctx, Path(id): Path<i32>) -> AppResult<Response> {
    let actor = ctx.require_user()?.clone();
    images::delete_org_logo(&state.db, &actor, id).await?;
    Ok(Redirect::to(&format!("{}#logos", org_page(id))).into_response())
}

/// `POST /cabinet/qr/authority/{id}/logo` (multipart, `?csrf=`).
pub async fn upload_authority(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i32>,
    mut multipart: Multipart,
) -> AppResult<Response> {
    let actor = ctx.require_user()?.clone();
    match access::read_image(&mut multipart, ImageKind::AuthorityLogo).await? {
        Ok(bytes) => {
            images::set_authority_logo(&state.db, &actor, id, &bytes).await?;
            Ok(Redirect::to(&format!("{HUB}#authority-{id}")).into_response())
        }
        Err(r) => Ok(back_with_error(HUB, r)),
    }
}

/// `GET /cabinet/qr/authority/{id}/logo`.
pub async fn show_authority(State(state): State<AppState>, ctx: Ctx, Path(id): Path<i32>) -> AppResult<Response> {
    ctx.require_user()?;
    let logo = images::authority_logo(&state.db.read, id).await?.ok_or(AppError::NotFound)?;
    Ok(inline_image(logo.data, &logo.mime))
}

/// `GET /cabinet/qr/authority/{id}/logo/delete`: asks before removing.
pub async fn confirm_delete_authority(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i32>,
) -> AppResult<Response> {
    let actor = ctx.require_user()?;
    let authority = reference::authority_by_id(&state.db.read, id).await?.ok_or(AppError::NotFound)?;
    if !super::hub::manages_authority(actor, id) {
        return Err(AppError::Forbidden);
    }
    Ok(page(&ConfirmPage {
        title: nok_i18n::t("qr-logo-delete-title"),
        question: nok_i18n::t_args("qr-logo-delete-question", &[("name", authority.name.into())]),
        action: format!("/cabinet/qr/authority/{id}/logo/delete"),
        back: HUB.to_string(),
        ctx,
    }))
}

/// `POST /cabinet/qr/authority/{id}/logo/delete`.
pub async fn delete_authority(State(state): State<AppState>, ctx: Ctx, Path(id): Path<i32>) -> AppResult<Response> {
    let actor = ctx.require_user()?.clone();
    images::delete_authority_logo(&state.db, &actor, id).await?;
    Ok(Redirect::to(&format!("{HUB}#authority-{id}")).into_response())
}
