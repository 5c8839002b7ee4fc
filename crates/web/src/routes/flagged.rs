//! The review queue of flagged survey responses in the cabinet (`/cabinet/flagged`): authorised bodies see
//! the flagged responses of their organisations (administrators see all), with why each was flagged and
//! its answers; «Принять» counts it (the counters change in the same transaction), «Отклонить» (after a
//! confirmation) keeps it out for good. The queue exports as CSV or XLSX. Scope and audit are the store's
//! (`repo::flagged`).

use crate::ctx::Ctx;
use crate::error::{AppError, AppResult};
use crate::intake::Channel;
use crate::portal::export::{Cell, ExportLinks, Table};
use crate::render::page;
use crate::state::AppState;
use crate::views::Pager;
use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use nok_methodology::{AnswerMask, Definition, Sphere};
use nok_store::StoreError;
use nok_store::crypto::{FieldKey, PURPOSE_SUGGESTIONS};
use nok_store::repo::flagged::{self, Decision, FlaggedRow};
use serde::Deserialize;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/cabinet/flagged", get(queue))
        .route("/cabinet/flagged/export/{format}", get(export))
        .route("/cabinet/flagged/{id}/accept", post(accept))
        .route("/cabinet/flagged/{id}/reject", get(confirm_reject).post(reject))
}

/// The largest export.
const EXPORT_LIMIT: u64 = 100_000;

#[derive(Deserialize, Default)]
struct QueueQuery {
    page: Option<u64>,
    done: Option<String>,
}

/// A flagged response as the queue shows it.
struct Item {
    id: String,
    received: String,
    organization: String,
    public_id: String,
    channel: String,
    reason: String,
    /// «1 Да, 2 Нет, …» in the sphere's numbering.
    answers: String,
    suggestions: Option<String>,
}

fn answers_text(sphere: Option<Sphere>, asked: i32, yes: i32) -> String {
    let Some(sphere) = sphere else { return String::new() };
    let mask = AnswerMask { asked: u16::try_from(asked).unwrap_or(0), yes: u16::try_from(yes).unwrap_or(0) };
    Definition::current()
        .questionnaire(sphere)
        .iter()
        .filter_map(|q| {
            mask.answer(q.id)
                .map(|a| format!("{} {}", q.number, nok_i18n::t(if a { "anketa-yes" } else { "anketa-no" })))
        })
        .collect::<Vec<_>>()
        .join(", ")
}

impl Item {
    /// The queue's view of `row`; its suggestions decrypted with `key`.
    fn new(row: &FlaggedRow, key: &FieldKey) -> Item {
        let r = &row.response;
        Item {
            id: r.id.clone(),
            received: nok_i18n::format_datetime(nok_store::time_util::to_datetime(r.created_at)),
            organization: row.organization.short_name.clone(),
            public_id: row.organization.public_id.clone(),
            channel: Channel::name_of(&r.channel),
            reason: nok_i18n::t(&format!(
                "flagged-reason-{}",
                r.flag_reason.clone().unwrap_or_default().replace('_', "-")
            )),
            answers: answers_text(Sphere::from_code(&row.organization.sphere), r.asked, r.yes),
            suggestions: r.suggestions.as_deref().map(|sealed| {
                key.decrypt(PURPOSE_SUGGESTIONS, sealed)
                    .unwrap_or_else(|_| nok_i18n::t("flagged-suggestions-unreadable"))
            }),
        }
    }
}

#[derive(Template)]
#[template(path = "cabinet/flagged.html")]
struct QueuePage {
    ctx: Ctx,
    items: Vec<Item>,
    total: u64,
    pager: Pager,
    done: Option<String>,
    export: ExportLinks,
}

async fn queue(State(state): State<AppState>, ctx: Ctx, Query(q): Query<QueueQuery>) -> AppResult<Response> {
    let actor = ctx.require_user()?.clone();
    let list = flagged::list(&state.db.read, &actor, q.page.unwrap_or(1), 25).await?;
    let pager = Pager::new(list.page, list.pages(), |p| format!("/cabinet/flagged?page={p}"));
    let done = match q.done.as_deref() {
        Some("accepted") => Some(nok_i18n::t("flagged-done-accepted")),
        Some("rejected") => Some(nok_i18n::t("flagged-done-rejected")),
        Some("stale") => Some(nok_i18n::t("flagged-done-stale")),
        _ => None,
    };
    let items = list.items.iter().map(|row| Item::new(row, &state.field_key)).collect();
    let export = ExportLinks::new("/cabinet/flagged/export", "");
    Ok(page(&QueuePage { ctx, items, total: list.total, pager, done, export }))
}

async fn export(State(state): State<AppState>, ctx: Ctx, Path(format): Path<String>) -> AppResult<Response> {
    let actor = ctx.require_user()?.clone();
    let rows = flagged::export(&state.db.read, &actor, EXPORT_LIMIT).await?;
    let mut table = Table::with_headers(&[
        "flagged-col-received",
        "flagged-col-organization",
        "portal-col-public-id",
        "flagged-col-channel",
        "flagged-col-reason",
        "flagged-col-answers",
        "flagged-col-suggestions",
    ]);
    let key = &state.field_key;
    table.rows = rows
        .iter()
        .map(|row| {
            let i = Item::new(row, key);
            vec![
                Cell::Text(i.received),
                Cell::Text(i.organization),
                Cell::Text(i.public_id),
                Cell::Text(i.channel),
                Cell::Text(i.reason),
                Cell::Text(i.answers),
                Cell::text(i.suggestions),
            ]
        })
        .collect();
    table.download(&format, "flagged")
}

fn parse_id(id: &str) -> AppResult<uuid::Uuid> {
    uuid::Uuid::parse_str(id).map_err(|_| AppError::NotFound)
}

async fn decide(state: &AppState, ctx: &Ctx, id: &str, decision: Decision) -> AppResult<Response> {
    let actor = ctx.require_user()?.clone();
    let done = match flagged::decide(&state.db, &actor, &parse_id(id)?, decision).await {
        Ok(r) => {
            state.portal.invalidate(&[r.organization_id]);
            if decision == Decision::Accept { "accepted" } else { "rejected" }
        }
        Err(StoreError::Conflict(_)) => "stale",
        Err(e) => return Err(e.into()),
    };
    Ok(Redirect::to(&format!("/cabinet/flagged?done={done}")).into_response())
}

async fn accept(State(state): State<AppState>, ctx: Ctx, Path(id): Path<String>) -> AppResult<Response> {
    decide(&state, &ctx, &id, Decision::Accept).await
}

async fn reject(State(state): State<AppState>, ctx: Ctx, Path(id): Path<String>) -> AppResult<Response> {
    decide(&state, &ctx, &id, Decision::Reject).await
}

#[derive(Template)]
#[template(path = "cabinet/flagged_reject.html")]
struct ConfirmPage {
    ctx: Ctx,
    item: Item,
}

async fn confirm_reject(State(state): State<AppState>, ctx: Ctx, Path(id): Path<String>) -> AppResult<Response> {
    let actor = ctx.require_user()?.clone();
    let id = parse_id(&id)?;
    let row = flagged::get(&state.db.read, &actor, &id).await?;
    Ok(page(&ConfirmPage { ctx, item: Item::new(&row, &state.field_key) }))
}
