//! The changes of a regional list posted from its page: start, add, rename, move, and — after a
//! confirmation page — remove and reset. A refused change shows the list again with the reason.

use super::{ITEM, ItemPath, LIST, ListPath, key_of, list_href, list_page, section_name};
use crate::ctx::Ctx;
use crate::error::{AppError, AppResult};
use crate::render::page;
use crate::routes::feedback::{Confirm, confirmed};
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use nok_store::StoreError;
use nok_store::repo::checklist_lists::{self, Change, ListKey, Move};
use serde::Deserialize;

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route(&format!("{LIST}/start"), post(start))
        .route(&format!("{LIST}/add"), post(add))
        .route(&format!("{LIST}/reset"), get(confirm_reset).post(reset))
        .route(&format!("{ITEM}/rename"), post(rename))
        .route(&format!("{ITEM}/move"), post(move_item))
        .route(&format!("{ITEM}/remove"), get(confirm_remove).post(remove))
}

/// Applies a change: back to the list, or the list again with the reason (status 422).
async fn apply(state: &AppState, ctx: Ctx, key: &ListKey, change: Change) -> AppResult<Response> {
    let actor = ctx.require_user()?.clone();
    match checklist_lists::change(&state.db, &actor, key, &change).await {
        Ok(_) => Ok(Redirect::to(&format!("{}?done=1", list_href(key))).into_response()),
        Err(StoreError::Invalid(message)) => {
            let code = message.split(':').next().unwrap_or_default();
            let id = format!("cll-err-{code}");
            let text = if nok_i18n::has(&id) { nok_i18n::t(&id) } else { message.clone() };
            let v = checklist_lists::get(&state.db.read, &actor, key).await?;
            let mut p = list_page(state, ctx, v, None, Some(text)).await?;
            if let Change::Add { name } = change {
                p.new_name = name;
            }
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page(&p)).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

async fn start(State(state): State<AppState>, ctx: Ctx, Path((r, s, sec, y)): ListPath) -> AppResult<Response> {
    let key = key_of(&r, &s, &sec, y)?;
    apply(&state, ctx, &key, Change::Start).await
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct NameForm {
    name: String,
}

async fn add(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((r, s, sec, y)): ListPath,
    Form(f): Form<NameForm>,
) -> AppResult<Response> {
    let key = key_of(&r, &s, &sec, y)?;
    apply(&state, ctx, &key, Change::Add { name: f.name }).await
}

async fn rename(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((r, s, sec, y, item_id)): ItemPath,
    Form(f): Form<NameForm>,
) -> AppResult<Response> {
    let key = key_of(&r, &s, &sec, y)?;
    apply(&state, ctx, &key, Change::Rename { item_id, name: f.name }).await
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct MoveForm {
    direction: String,
}

async fn move_item(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((r, s, sec, y, item_id)): ItemPath,
    Form(f): Form<MoveForm>,
) -> AppResult<Response> {
    let key = key_of(&r, &s, &sec, y)?;
    let direction = match f.direction.as_str() {
        "up" => Move::Up,
        "down" => Move::Down,
        _ => return Err(AppError::BadRequest(nok_i18n::t("error-400-text"))),
    };
    apply(&state, ctx, &key, Change::Move { item_id, direction }).await
}

/// A confirmation page for a list the actor may edit.
async fn confirm_page(
    state: &AppState,
    ctx: Ctx,
    key: &ListKey,
    (title, question, label): (String, String, String),
    action: String,
) -> AppResult<Response> {
    let actor = ctx.require_user()?.clone();
    let v = checklist_lists::get(&state.db.read, &actor, key).await?;
    if !v.may_edit {
        return Err(AppError::Forbidden);
    }
    Ok(page(&Confirm {
        title,
        question,
        details: Vec::new(),
        action,
        fields: vec![("confirmed".into(), "1".into())],
        confirm_label: label,
        danger: true,
        cancel_href: list_href(key),
        ctx,
    }))
}

/// `403` unless the signed-in user may edit the list (before asking for a confirmation).
fn require_edit(ctx: &Ctx, key: &ListKey) -> AppResult<()> {
    let actor = ctx.require_user()?;
    if checklist_lists::may_edit(actor, &key.region_code, key.sphere) { Ok(()) } else { Err(AppError::Forbidden) }
}

fn list_label(key: &ListKey) -> String {
    format!("{}, {}, {}", section_name(key), key.sphere.name_ru(), key.year)
}

async fn confirm_remove(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((r, s, sec, y, item_id)): ItemPath,
) -> AppResult<Response> {
    let key = key_of(&r, &s, &sec, y)?;
    let actor = ctx.require_user()?.clone();
    let v = checklist_lists::get(&state.db.read, &actor, &key).await?;
    let item = v.items.iter().find(|i| i.id == item_id).ok_or(AppError::NotFound)?;
    let texts = (
        nok_i18n::t("cll-remove-title"),
        nok_i18n::t!("cll-remove-question", name = item.name_ru.as_str(), list = list_label(&key)),
        nok_i18n::t("cll-remove-confirm"),
    );
    let action = format!("{}/items/{}/remove", list_href(&key), crate::error::urlencode(&item_id));
    confirm_page(&state, ctx, &key, texts, action).await
}

#[derive(Deserialize, Default)]
struct ConfirmForm {
    confirmed: Option<String>,
}

async fn remove(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((r, s, sec, y, item_id)): ItemPath,
    Form(f): Form<ConfirmForm>,
) -> AppResult<Response> {
    let key = key_of(&r, &s, &sec, y)?;
    require_edit(&ctx, &key)?;
    if !confirmed(&f.confirmed) {
        let target = format!("{}/items/{}/remove", list_href(&key), crate::error::urlencode(&item_id));
        return Ok(Redirect::to(&target).into_response());
    }
    apply(&state, ctx, &key, Change::Remove { item_id }).await
}

async fn confirm_reset(State(state): State<AppState>, ctx: Ctx, Path((r, s, sec, y)): ListPath) -> AppResult<Response> {
    let key = key_of(&r, &s, &sec, y)?;
    let texts = (
        nok_i18n::t("cll-reset-title"),
        nok_i18n::t!("cll-reset-question", list = list_label(&key)),
        nok_i18n::t("cll-reset-confirm"),
    );
    let action = format!("{}/reset", list_href(&key));
    confirm_page(&state, ctx, &key, texts, action).await
}

async fn reset(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((r, s, sec, y)): ListPath,
    Form(f): Form<ConfirmForm>,
) -> AppResult<Response> {
    let key = key_of(&r, &s, &sec, y)?;
    require_edit(&ctx, &key)?;
    if !confirmed(&f.confirmed) {
        return Ok(Redirect::to(&format!("{}/reset", list_href(&key))).into_response());
    }
    apply(&state, ctx, &key, Change::Reset).await
}
