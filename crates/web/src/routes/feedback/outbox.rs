//! `/admin/outbox`: every e-mail the system queued, with its delivery state — and, when no SMTP server is
//! configured (the demo), the in-app mailbox where the messages can be read. Recipients are shown masked.

use super::{actor, datetime, require};
use crate::ctx::Ctx;
use crate::error::AppResult;
use crate::render::page;
use crate::state::AppState;
use crate::views::Pager;
use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::routing::get;
use nok_store::crypto::{PURPOSE_EMAIL, PURPOSE_MAIL_BODY};
use nok_store::entities::mail_outbox;
use nok_store::repo::outbox;
use serde::Deserialize;

pub fn routes() -> Router<AppState> {
    Router::new().route("/admin/outbox", get(list)).route("/admin/outbox/{id}", get(detail))
}

/// `ivan@example.ru` → `i***@example.ru`: enough to tell messages apart, not to learn the address.
pub(crate) fn mask(email: &str) -> String {
    match email.split_once('@') {
        Some((user, domain)) => format!("{}***@{domain}", user.chars().next().unwrap_or('*')),
        None => "***".into(),
    }
}

pub struct Row {
    pub id: i64,
    pub created: String,
    pub kind: String,
    pub recipient: String,
    pub subject: String,
    pub status: String,
    pub transport: String,
    pub attempts: i32,
    pub error: String,
}

fn row(state: &AppState, m: &mail_outbox::Model) -> Row {
    let key = &state.field_key;
    Row {
        id: m.id,
        created: datetime(m.created_at),
        kind: nok_i18n::t(&format!("fb-mail-kind-{}", m.kind)),
        recipient: key.decrypt(PURPOSE_EMAIL, &m.recipient_enc).map(|e| mask(&e)).unwrap_or_else(|_| "—".into()),
        subject: m.subject.clone(),
        status: nok_i18n::t(&format!("fb-mail-status-{}", m.status)),
        transport: m.transport.as_ref().map(|t| nok_i18n::t(&format!("fb-mail-transport-{t}"))).unwrap_or_default(),
        attempts: m.attempts,
        error: m.last_error.clone().unwrap_or_default(),
    }
}

#[derive(Template)]
#[template(path = "feedback/outbox.html")]
struct ListPage {
    ctx: Ctx,
    smtp: bool,
    rows: Vec<Row>,
    total: u64,
    pager: Pager,
}

#[derive(Deserialize, Default)]
struct PageQuery {
    page: Option<u64>,
}

async fn list(State(state): State<AppState>, ctx: Ctx, Query(q): Query<PageQuery>) -> AppResult<Response> {
    let actor = actor(&ctx)?;
    require(actor.is_admin())?;
    let p = outbox::list(&state.db.read, &actor, q.page.unwrap_or(1), 50).await?;
    let pager = Pager::new(p.page, p.pages(), |n| format!("/admin/outbox?page={n}"));
    let rows = p.items.iter().map(|m| row(&state, m)).collect();
    Ok(page(&ListPage { ctx, smtp: crate::mailer::smtp_configured(), rows, total: p.total, pager }))
}

#[derive(Template)]
#[template(path = "feedback/outbox_message.html")]
struct MessagePage {
    ctx: Ctx,
    row: Row,
    body: String,
}

async fn detail(State(state): State<AppState>, ctx: Ctx, Path(id): Path<i64>) -> AppResult<Response> {
    let actor = actor(&ctx)?;
    let m = outbox::get(&state.db.read, &actor, id).await?;
    let body = state.field_key.decrypt(PURPOSE_MAIL_BODY, &m.body).unwrap_or_else(|_| "—".into());
    Ok(page(&MessagePage { ctx, row: row(&state, &m), body }))
}
