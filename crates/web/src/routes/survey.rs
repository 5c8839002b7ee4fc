//! The questionnaire behind every QR code: `GET /o/{public_id}/anketa?ch=<channel>` shows the sphere's
//! questions (official wording) with «Да»/«Нет» answers, suggestions, sex and age; `POST` sends them through
//! the same intake service as the JSON API. Works without JavaScript: every question is shown, those behind
//! a filter say when to skip them, and the server drops answers to skipped ones; our small script
//! (`/static/anketa.js`) hides skipped questions live. Errors are re-shown next to their fields. `/q/{id}` is
//! the short link printed under codes.

use crate::ctx::Ctx;
use crate::error::{AppError, AppResult};
use crate::intake::{Channel, FieldError, Form, IntakeError, OrgInfo, Source, Submission};
use crate::render::{error_page, page};
use crate::security::client::ClientIp;
use crate::security::device::DeviceId;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Extension, Form as FormBody, Router};
use nok_methodology::{Definition, QuestionId};
use serde::Deserialize;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/o/{public_id}/anketa", get(show).post(submit))
        .route("/o/{public_id}/anketa/spasibo", get(thanks))
        .route("/q/{public_id}", get(short_link))
}

#[derive(Deserialize, Default)]
struct ChannelQuery {
    ch: Option<String>,
}

/// The channel of a link, or `fallback` when it names none we know (a citizen is never refused for it).
fn channel_or(code: Option<&str>, fallback: Channel) -> Channel {
    code.and_then(|c| Channel::from_code(c.trim())).unwrap_or(fallback)
}

async fn short_link(Path(public_id): Path<String>, Query(q): Query<ChannelQuery>) -> Response {
    let ch = channel_or(q.ch.as_deref(), Channel::QrPoster);
    Redirect::to(&format!("/o/{}/anketa?ch={}", crate::error::urlencode(&public_id), ch.code())).into_response()
}

async fn organization(state: &AppState, public_id: &str) -> AppResult<OrgInfo> {
    match state.intake.organization(&state.db, public_id).await {
        Ok(Some(org)) => Ok(org),
        Ok(None) => Err(AppError::NotFound),
        Err(e) => Err(AppError::Internal(e.to_string())),
    }
}

/// One question as the form shows it.
struct QuestionView {
    id: String,
    number: u8,
    text: String,
    /// The filter question's id, for the script (`data-filter`).
    filter: Option<String>,
    hint: Option<String>,
    value: Option<bool>,
    error: Option<String>,
}

/// A link of the error summary to the field it is about.
struct ErrorLink {
    anchor: String,
    text: String,
}

#[derive(Template)]
#[template(path = "survey/anketa.html")]
struct AnketaPage {
    ctx: Ctx,
    org: OrgInfo,
    id: String,
    channel: String,
    questions: Vec<QuestionView>,
    suggestions_label: String,
    sex_legend: String,
    sex_options: Vec<(String, String)>,
    age_label: String,
    values: Values,
    errors: Vec<ErrorLink>,
    suggestions_error: Option<String>,
    sex_error: Option<String>,
    age_error: Option<String>,
}

/// What the respondent entered (to show it again after an error).
#[derive(Default)]
struct Values {
    answers: Vec<(QuestionId, bool)>,
    suggestions: String,
    sex: String,
    age: String,
}

fn extra_text(def: &Definition, id: &str) -> String {
    def.extras.iter().find(|e| e.id == id).map(|e| e.text.clone()).unwrap_or_default()
}

fn sex_options(def: &Definition) -> Vec<(String, String)> {
    let labels: Vec<String> = def.extras.iter().find(|e| e.id == "sex").map(|e| e.options.clone()).unwrap_or_default();
    ["m", "f"].iter().zip(labels).map(|(code, label)| (code.to_string(), label)).collect()
}

fn render(ctx: Ctx, org: OrgInfo, id: String, channel: Channel, values: Values, errors: &[FieldError]) -> AnketaPage {
    let def = Definition::current();
    let questions = def.questionnaire(org.sphere);
    let number_of = |q: QuestionId| questions.iter().find(|x| x.id == q).map_or(q.0, |x| x.number);
    let error_of = |field: &str| errors.iter().find(|e| e.field == field).map(|e| e.message.clone());
    let views = questions
        .iter()
        .map(|q| QuestionView {
            id: q.id.to_string(),
            number: q.number,
            text: q.text.clone(),
            filter: q.filtered_by.map(|f| f.to_string()),
            hint: q.filtered_by.map(|f| nok_i18n::t!("anketa-filter-hint", number = u32::from(number_of(f)))),
            value: values.answers.iter().find(|(a, _)| *a == q.id).map(|(_, v)| *v),
            error: error_of(&format!("answers.{}", q.id)),
        })
        .collect();
    let links = errors
        .iter()
        .map(|e| match e.question() {
            Some(q) => ErrorLink {
                anchor: format!("{q}-yes"),
                text: format!("{} {}: {}", nok_i18n::t("anketa-question"), number_of(q), e.message),
            },
            None => ErrorLink {
                anchor: if e.field == "sex" { "sex-m".into() } else { e.field.clone() },
                text: e.message.clone(),
            },
        })
        .collect();
    AnketaPage {
        ctx,
        org,
        id,
        channel: channel.code().to_string(),
        questions: views,
        suggestions_label: extra_text(def, "suggestions"),
        sex_legend: extra_text(def, "sex"),
        sex_options: sex_options(def),
        age_label: extra_text(def, "age"),
        values,
        errors: links,
        suggestions_error: error_of("suggestions"),
        sex_error: error_of("sex"),
        age_error: error_of("age"),
    }
}

async fn show(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(public_id): Path<String>,
    Query(q): Query<ChannelQuery>,
) -> AppResult<Response> {
    let org = organization(&state, &public_id).await?;
    let channel = channel_or(q.ch.as_deref(), Channel::Portal);
    // The response id is made here, so submitting the same form twice stores one response.
    let id = uuid::Uuid::now_v7().to_string();
    Ok(page(&render(ctx, org, id, channel, Values::default(), &[])))
}

/// The form's fields as a submission (answers `yes`/`no`; any other value is an error of that question).
fn submission(public_id: &str, pairs: &[(String, String)]) -> (Submission, Values, Channel) {
    let field = |name: &str| pairs.iter().find(|(k, _)| k == name).map(|(_, v)| v.trim().to_string());
    let channel = channel_or(field("ch").as_deref(), Channel::Portal);
    let mut sub = Submission {
        id: field("id"),
        organization: Some(public_id.to_string()),
        channel: Some(channel.code().to_string()),
        suggestions: field("suggestions"),
        sex: field("sex"),
        ..Submission::default()
    };
    let mut values = Values {
        suggestions: sub.suggestions.clone().unwrap_or_default(),
        sex: sub.sex.clone().unwrap_or_default(),
        age: field("age").unwrap_or_default(),
        ..Values::default()
    };
    for (k, v) in pairs.iter().filter(|(k, _)| k.starts_with('q')) {
        let yes = match v.as_str() {
            "yes" => true,
            "no" => false,
            _ => {
                sub.errors.push(FieldError::new(format!("answers.{k}"), "invalid_value"));
                continue;
            }
        };
        sub.answers.push((k.clone(), yes));
        if let Ok(q) = k.parse() {
            values.answers.push((q, yes));
        }
    }
    if !values.age.is_empty() {
        match values.age.parse::<i64>() {
            Ok(a) => sub.age = Some(a),
            Err(_) => sub.errors.push(FieldError::new("age", "invalid_age")),
        }
    }
    (sub, values, channel)
}

async fn submit(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(public_id): Path<String>,
    ClientIp(ip): ClientIp,
    Extension(device): Extension<DeviceId>,
    headers: HeaderMap,
    FormBody(pairs): FormBody<Vec<(String, String)>>,
) -> AppResult<Response> {
    let org = organization(&state, &public_id).await?;
    let (sub, values, channel) = submission(&org.public_id, &pairs);
    let id = sub.id.clone().unwrap_or_default();
    let source = Source::of_request(&state.secret, &ip, Some(&device), &headers);
    match state.intake.submit(&state.db, sub, &source, Form::Questionnaire).await {
        Ok(_) => Ok(Redirect::to(&format!("/o/{}/anketa/spasibo", org.public_id)).into_response()),
        Err(IntakeError::Invalid(errors)) => {
            let mut res = page(&render(ctx, org, id, channel, values, &errors));
            *res.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            Ok(res)
        }
        Err(IntakeError::RateLimited(wait)) => {
            let mut res = error_page(StatusCode::TOO_MANY_REQUESTS, Some(nok_i18n::t("anketa-rate-limited")));
            if let Ok(v) = HeaderValue::from_str(&wait.as_secs().max(1).to_string()) {
                res.headers_mut().insert(header::RETRY_AFTER, v);
            }
            Ok(res)
        }
        Err(IntakeError::Unavailable(e)) => Err(AppError::Internal(e)),
    }
}

#[derive(Template)]
#[template(path = "survey/thanks.html")]
struct ThanksPage {
    ctx: Ctx,
    org: OrgInfo,
}

async fn thanks(State(state): State<AppState>, ctx: Ctx, Path(public_id): Path<String>) -> AppResult<Response> {
    let org = organization(&state, &public_id).await?;
    Ok(page(&ThanksPage { ctx, org }))
}
