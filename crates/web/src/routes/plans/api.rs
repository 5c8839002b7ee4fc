//! `GET /api/v1/organizations/{id}/plan`: the published improvement plan of the latest year of an
//! organisation (named by its public id), with its progress — what the organisation page shows, as JSON.
//! Drafts are never exposed; nor is the responsible person's name (only the position). Dates are
//! `ГГГГ-ММ-ДД`.

use crate::error::AppResult;
use crate::intake::FieldError;
use crate::state::AppState;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use nok_store::repo::improvement_plans::{self as plans, PublishedPlan};
use serde_json::{Value, json};

fn not_found(error: FieldError) -> Response {
    (StatusCode::NOT_FOUND, Json(json!({ "errors": [error] }))).into_response()
}

/// The JSON of a published plan.
pub(crate) fn plan_json(public_id: &str, base_url: &str, p: &PublishedPlan) -> Value {
    let progress = p.progress();
    let items: Vec<Value> = p
        .items
        .iter()
        .map(|i| {
            json!({
                "section": i.criterion,
                "shortcoming": i.shortcoming,
                "measure": i.measure,
                "deadline": i.deadline.map(plans::iso_date),
                "responsible_position": i.responsible_position,
                "status": i.shown.code(),
                "progress": i.progress.iter().map(|(on, what)| json!({ "done_on": plans::iso_date(*on), "what_done": what })).collect::<Vec<_>>(),
            })
        })
        .collect();
    json!({
        "organization_id": public_id,
        "year": p.year,
        "approved_on": p.approved_on.map(plans::iso_date),
        "published_on": p.published_at.map(plans::iso_date),
        "progress": progress,
        "items": items,
        "page_url": format!("{}/o/{public_id}", base_url.trim_end_matches('/')),
    })
}

/// `GET /api/v1/organizations/{id}/plan`.
pub async fn plan(State(state): State<AppState>, Path(id): Path<String>) -> AppResult<Response> {
    let Some(org) = state.intake.organization(&state.db, &id).await.ok().flatten() else {
        return Ok(not_found(FieldError::new("id", "unknown_organization")));
    };
    match plans::published_latest(&state.db.read, org.id).await? {
        Some(p) => Ok(Json(plan_json(&org.public_id, &state.config.base_url, &p)).into_response()),
        None => Ok(not_found(FieldError::new("id", "no_published_plan"))),
    }
}
