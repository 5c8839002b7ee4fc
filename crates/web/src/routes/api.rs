//! The public JSON API, version 1: survey intake (`POST /api/v1/responses`), the organisation list with
//! search and filters, an organisation's live scores in the `nok score` shape; and its description: the
//! OpenAPI 3 document (`/api/openapi.json`, written by hand in `crates/web/api/openapi.json`) and the
//! browsable documentation rendered from that same document (`/api/docs`, no outside resources).
//! Organisations are named by their public id (the one in QR codes), never by the internal number.

use crate::ctx::Ctx;
use crate::error::AppResult;
use crate::intake::{FieldError, Form, IntakeError, Source, Submission, receipt_json};
use crate::portal::{current_period, public_actor};
use crate::render::page;
use crate::security::client::ClientIp;
use crate::security::device::DeviceId;
use crate::state::AppState;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Extension, Json, Router};
use nok_store::entities::organization;
use nok_store::repo::organizations::{self, OrgQuery};
use nok_store::repo::scores::live_scores;
use serde::Deserialize;
use serde_json::{Map, Value, json};

mod docs;

/// The OpenAPI document, as written.
pub const OPENAPI: &str = include_str!("../../api/openapi.json");

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/responses", post(create_response))
        .route("/api/v1/organizations", get(list_organizations))
        .route("/api/v1/organizations/{id}/scores", get(organization_scores))
        .route("/api/openapi.json", get(openapi))
        .route("/api/docs", get(docs))
}

fn errors_body(status: StatusCode, errors: &[FieldError]) -> Response {
    (status, Json(json!({ "errors": errors }))).into_response()
}

const FIELDS: [&str; 7] = ["id", "organization_id", "channel", "answers", "suggestions", "sex", "age"];

/// Reads the JSON body into a submission, recording type errors per field.
fn submission_from_json(body: &Value) -> Submission {
    let mut sub = Submission::default();
    let Some(obj) = body.as_object() else {
        sub.errors.push(FieldError::new("body", "not_json"));
        return sub;
    };
    let text = |name: &str, errors: &mut Vec<FieldError>| -> Option<String> {
        match obj.get(name) {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) => Some(s.clone()),
            Some(_) => {
                errors.push(FieldError::new(name, "wrong_type"));
                None
            }
        }
    };
    let mut errors = Vec::new();
    for key in obj.keys().filter(|k| !FIELDS.contains(&k.as_str())) {
        errors.push(FieldError::new(key.clone(), "unknown_field"));
    }
    sub.id = text("id", &mut errors);
    sub.organization = text("organization_id", &mut errors);
    sub.channel = text("channel", &mut errors);
    sub.suggestions = text("suggestions", &mut errors);
    sub.sex = text("sex", &mut errors);
    match obj.get("age") {
        None | Some(Value::Null) => {}
        Some(v) => match v.as_i64() {
            Some(a) => sub.age = Some(a),
            None => errors.push(FieldError::new("age", "invalid_age")),
        },
    }
    match obj.get("answers") {
        None | Some(Value::Null) => {}
        Some(Value::Object(answers)) => {
            for (k, v) in answers {
                match v {
                    Value::Bool(b) => sub.answers.push((k.clone(), *b)),
                    Value::Null => {}
                    _ => errors.push(FieldError::new(format!("answers.{k}"), "wrong_type")),
                }
            }
        }
        Some(_) => errors.push(FieldError::new("answers", "wrong_type")),
    }
    if let Some(n) = obj.get("organization_id").filter(|v| v.is_number()) {
        // Numbers are internal; the API names organisations by their public id, so none is found.
        errors.retain(|e| e.field != "organization_id");
        sub.organization = Some(format!("#{n}"));
    }
    sub.errors = errors;
    sub
}

async fn create_response(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    Extension(device): Extension<DeviceId>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let json_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if !json_type {
        return errors_body(StatusCode::UNSUPPORTED_MEDIA_TYPE, &[FieldError::new("body", "not_json")]);
    }
    let sub = match serde_json::from_slice::<Value>(&body) {
        Ok(v) => submission_from_json(&v),
        Err(_) => return errors_body(StatusCode::UNPROCESSABLE_ENTITY, &[FieldError::new("body", "not_json")]),
    };
    let source = Source::of_request(&state.secret, &state.ip_salt, &ip, Some(&device), &headers);
    match state.intake.submit(&state.db, sub, &source, Form::Api).await {
        Ok(stored) => {
            let status = if stored.created { StatusCode::CREATED } else { StatusCode::OK };
            (status, Json(receipt_json(&stored.receipt))).into_response()
        }
        Err(IntakeError::Invalid(errors)) => errors_body(StatusCode::UNPROCESSABLE_ENTITY, &errors),
        Err(IntakeError::RateLimited(wait)) => {
            let mut res = errors_body(StatusCode::TOO_MANY_REQUESTS, &[FieldError::new("body", "rate_limited")]);
            if let Ok(v) = HeaderValue::from_str(&wait.as_secs().max(1).to_string()) {
                res.headers_mut().insert(header::RETRY_AFTER, v);
            }
            res
        }
        Err(IntakeError::Unavailable(e)) => {
            tracing::error!(error = %e, "intake unavailable");
            errors_body(StatusCode::SERVICE_UNAVAILABLE, &[FieldError::new("body", "unavailable")])
        }
    }
}

#[derive(Deserialize, Default)]
struct ListQuery {
    q: Option<String>,
    region: Option<String>,
    sphere: Option<String>,
    page: Option<u64>,
    per_page: Option<u64>,
}

fn organization_json(base: &str, m: &organization::Model) -> Value {
    let base = base.trim_end_matches('/');
    json!({
        "id": m.public_id,
        "inn": m.inn,
        "ogrn": m.ogrn,
        "name": m.short_name,
        "full_name": m.full_name,
        "sphere": m.sphere,
        "region": m.region_code,
        "address": m.address,
        "website": m.website,
        "page_url": format!("{base}/o/{}", m.public_id),
        "questionnaire_url": format!("{base}/o/{}/anketa?ch=api", m.public_id),
        "scores_url": format!("{base}/api/v1/organizations/{}/scores", m.public_id),
    })
}

fn non_empty(v: &Option<String>) -> Option<String> {
    v.as_ref().map(|s| s.trim().to_string()).filter(|s| !s.is_empty())
}

async fn list_organizations(State(state): State<AppState>, Query(q): Query<ListQuery>) -> AppResult<Response> {
    let query = OrgQuery {
        q: non_empty(&q.q),
        region_code: non_empty(&q.region),
        sphere: non_empty(&q.sphere),
        page: q.page.unwrap_or(1).max(1),
        per_page: q.per_page.unwrap_or(20).clamp(1, 100),
        ..Default::default()
    };
    let page = organizations::list(&state.db.read, &public_actor(), &query).await?;
    let items: Vec<Value> = page.items.iter().map(|m| organization_json(&state.config.base_url, m)).collect();
    Ok(Json(json!({
        "items": items,
        "total": page.total,
        "page": page.page,
        "per_page": page.per_page,
        "pages": page.pages(),
    }))
    .into_response())
}

#[derive(Deserialize, Default)]
struct ScoresQuery {
    period: Option<i32>,
}

async fn organization_scores(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(q): Query<ScoresQuery>,
) -> AppResult<Response> {
    let Some(org) = state.intake.organization(&state.db, &id).await.ok().flatten() else {
        return Ok(errors_body(StatusCode::NOT_FOUND, &[FieldError::new("id", "unknown_organization")]));
    };
    let period = q.period.unwrap_or_else(current_period);
    let live = live_scores(&state.db.read, org.id, org.sphere, period).await?;
    let min = state.portal.min_responses();
    let published = live.responses >= min && live.scores.total.is_some();
    let mut body: Map<String, Value> = match nok_methodology::input::scores_to_json(&live.scores) {
        Value::Object(m) => m,
        _ => Map::new(),
    };
    if !published {
        for key in ["indicators", "criteria", "total", "no_data"] {
            body.insert(key.to_string(), Value::Null);
        }
    }
    body.insert("organization_id".into(), json!(org.public_id));
    body.insert("period".into(), json!(period));
    body.insert("responses".into(), json!(live.responses));
    body.insert("online_responses".into(), json!(live.online_responses));
    body.insert("min_responses".into(), json!(min));
    body.insert("published".into(), json!(published));
    body.insert("checklist_recorded".into(), json!(live.checklist_recorded));
    let base = state.config.base_url.trim_end_matches('/');
    body.insert("explanation_url".into(), json!(format!("{base}/o/{}/explain?period={period}", org.public_id)));
    Ok(Json(Value::Object(body)).into_response())
}

async fn openapi() -> Response {
    ([(header::CONTENT_TYPE, "application/json")], OPENAPI).into_response()
}

async fn docs(ctx: Ctx) -> AppResult<Response> {
    Ok(page(&docs::DocsPage::new(ctx, OPENAPI)?))
}
