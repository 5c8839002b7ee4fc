//! Public side of appeals: the form (text, e-mail, consent to the processing of personal data under 152-ФЗ)
//! and the author's private page with the status, the deadline and the answer.

use super::{FormErrors, Origin, absolute, date, private};
use crate::ctx::Ctx;
use crate::error::AppResult;
use crate::render::page;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Form, Router};
use nok_store::entities::{appeal, organization};
use nok_store::repo::appeals::{self, NewAppeal};
use nok_store::repo::organizations;
use nok_store::time_util::now;
use serde::Deserialize;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/appeals/{public_id}/new", get(form).post(submit))
        .route("/appeals/status/{token}", get(status))
}

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct AppealForm {
    body: String,
    email: String,
    consent: Option<String>,
}

#[derive(Template)]
#[template(path = "feedback/appeal_form.html")]
struct FormPage {
    ctx: Ctx,
    org: organization::Model,
    form: AppealForm,
    errors: FormErrors,
    body_max: usize,
}

fn form_page(ctx: Ctx, org: organization::Model, form: AppealForm, errors: FormErrors) -> Response {
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let view = FormPage { ctx, org, form, errors, body_max: appeals::BODY_MAX };
    (status, page(&view)).into_response()
}

async fn form(State(state): State<AppState>, ctx: Ctx, Path(public_id): Path<String>) -> AppResult<Response> {
    let org = organizations::by_public_id(&state.db.read, &public_id).await?;
    Ok(form_page(ctx, org, AppealForm::default(), FormErrors::default()))
}

async fn submit(
    State(state): State<AppState>,
    ctx: Ctx,
    origin: Origin,
    Path(public_id): Path<String>,
    Form(f): Form<AppealForm>,
) -> AppResult<Response> {
    let org = organizations::by_public_id(&state.db.read, &public_id).await?;
    let new = NewAppeal {
        organization_id: org.id,
        body: f.body.clone(),
        // The address must also be one the mail library accepts, or the answer could never be sent.
        email: if f.email.trim().parse::<lettre::Address>().is_ok() { f.email.clone() } else { String::new() },
        consent: f.consent.is_some(),
        device_hash: Some(origin.device_hash),
        ip_hash: Some(origin.ip_hash),
        at: now(),
    };
    match appeals::submit(&state.db, &state.field_key, new).await {
        Ok(s) => Ok(Redirect::to(&format!("/appeals/status/{}?new=1", s.token)).into_response()),
        Err(e) => Ok(form_page(ctx, org, f, FormErrors::from_store(e)?)),
    }
}

#[derive(Deserialize, Default)]
struct StatusQuery {
    new: Option<String>,
}

#[derive(Template)]
#[template(path = "feedback/appeal_status.html")]
struct StatusPage {
    ctx: Ctx,
    org: organization::Model,
    appeal: appeal::Model,
    status: String,
    created: String,
    due: String,
    answered: String,
    just_sent: bool,
    link: String,
}

async fn status(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(token): Path<String>,
    Query(q): Query<StatusQuery>,
) -> AppResult<Response> {
    let appeal = appeals::open(&state.field_key, appeals::by_token(&state.db.read, &token).await?)?;
    let org = super::org_of(&state, appeal.organization_id).await?;
    let view = StatusPage {
        ctx,
        org,
        status: nok_i18n::t(&format!("fb-appeal-status-{}", appeal.status)),
        created: date(appeal.created_at),
        due: date(appeal.due_at),
        answered: appeal.answered_at.map(date).unwrap_or_default(),
        just_sent: q.new.is_some(),
        link: absolute(&state, &format!("/appeals/status/{token}")),
        appeal,
    };
    Ok(private(page(&view)))
}
