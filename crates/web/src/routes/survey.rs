//! The questionnaire behind every QR code: `GET /o/{public_id}/anketa?ch=<channel>` shows the sphere's
//! questions (official wording) with «Да»/«Нет» answers, suggestions, sex and age; `POST` sends them through
//! the same intake service as the JSON API. Works the same with and without JavaScript: follow-up questions
//! (behind a filter question) are rendered `hidden` and disabled unless their filter was answered «Да».
//! Our small script (`/static/anketa.js`) reveals them live, so a respondent with JavaScript answers
//! everything on one page; without it, a submission whose filter is «Да» and whose follow-ups were never
//! shown comes back as a second step asking only those follow-ups, the other answers carried in hidden
//! fields. Errors are re-shown next to their fields. `/q/{id}` is the short link printed under codes.

use crate::ctx::Ctx;
use crate::error::{AppError, AppResult};
use crate::intake::validate::next_step;
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

/// How a question appears on the page.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Appearance {
    /// A fieldset to answer.
    Shown,
    /// A follow-up whose filter is not «Да»: rendered `hidden` with disabled inputs (the script reveals it).
    Hidden,
    /// Answered on an earlier step: carried in a hidden field (nothing when unanswered).
    Carried,
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
    display: Appearance,
}

/// A link of the error summary to the field it is about.
struct ErrorLink {
    anchor: String,
    text: String,
}

/// Which page of the questionnaire is rendered.
enum Step {
    /// Every question (follow-ups hidden unless their filter is «Да»), with any errors.
    Form(Vec<FieldError>),
    /// Only these follow-ups, now needed; everything else answered is carried along.
    FollowUps(Vec<QuestionId>),
}

#[derive(Template)]
#[template(path = "survey/anketa.html")]
struct AnketaPage {
    ctx: Ctx,
    org: OrgInfo,
    id: String,
    channel: String,
    questions: Vec<QuestionView>,
    /// The second step: only the follow-ups are shown, under a lead that takes the focus.
    follow_ups: bool,
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

/// What the respondent entered (to show it again after an error, or carry it to the next step).
#[derive(Default)]
struct Values {
    answers: Vec<(QuestionId, bool)>,
    suggestions: String,
    sex: String,
    age: String,
}

impl Values {
    fn answer(&self, q: QuestionId) -> Option<bool> {
        self.answers.iter().find(|(a, _)| *a == q).map(|(_, v)| *v)
    }
}

fn extra_text(def: &Definition, id: &str) -> String {
    def.extras.iter().find(|e| e.id == id).map(|e| e.text.clone()).unwrap_or_default()
}

fn sex_options(def: &Definition) -> Vec<(String, String)> {
    let labels: Vec<String> = def.extras.iter().find(|e| e.id == "sex").map(|e| e.options.clone()).unwrap_or_default();
    ["m", "f"].iter().zip(labels).map(|(code, label)| (code.to_string(), label)).collect()
}

fn render(ctx: Ctx, org: OrgInfo, id: String, channel: Channel, values: Values, step: Step) -> AnketaPage {
    let def = Definition::current();
    let questions = def.questionnaire(org.sphere);
    let number_of = |q: QuestionId| questions.iter().find(|x| x.id == q).map_or(q.0, |x| x.number);
    let (errors, pending) = match step {
        Step::Form(errors) => (errors, None),
        Step::FollowUps(pending) => (Vec::new(), Some(pending)),
    };
    let error_of = |field: &str| errors.iter().find(|e| e.field == field).map(|e| e.message.clone());
    let views = questions
        .iter()
        .map(|q| {
            let error = error_of(&format!("answers.{}", q.id));
            let asked = q.filtered_by.is_none_or(|f| values.answer(f) == Some(true));
            let display = match &pending {
                Some(pending) if pending.contains(&q.id) => Appearance::Shown,
                Some(_) => Appearance::Carried,
                None if asked || error.is_some() => Appearance::Shown,
                None => Appearance::Hidden,
            };
            QuestionView {
                id: q.id.to_string(),
                number: q.number,
                text: q.text.clone(),
                filter: q.filtered_by.map(|f| f.to_string()),
                hint: q.filtered_by.map(|f| nok_i18n::t!("anketa-filter-hint", number = u32::from(number_of(f)))),
                // Answers to follow-ups of a «Нет» filter are not carried (the intake would drop them).
                value: values.answer(q.id).filter(|_| asked || display != Appearance::Carried),
                error,
                display,
            }
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
        follow_ups: pending.is_some(),
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
    Ok(page(&render(ctx, org, id, channel, Values::default(), Step::Form(Vec::new()))))
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

/// The follow-up questions the submitted page showed (each visible one carries a hidden `shown` field).
fn shown(pairs: &[(String, String)]) -> Vec<QuestionId> {
    pairs.iter().filter(|(k, _)| k == "shown").filter_map(|(_, v)| v.trim().parse().ok()).collect()
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
    let source = Source::of_request(&state.secret, &state.ip_salt, &ip, Some(&device), &headers);
    match state.intake.submit(&state.db, sub, &source, Form::Questionnaire).await {
        Ok(_) => Ok(Redirect::to(&format!("/o/{}/anketa/spasibo", org.public_id)).into_response()),
        Err(IntakeError::Invalid(mut errors)) => {
            let pending = next_step(Definition::current(), org.sphere, &mut errors, &shown(&pairs));
            if errors.is_empty() && !pending.is_empty() {
                return Ok(page(&render(ctx, org, id, channel, values, Step::FollowUps(pending))));
            }
            let mut res = page(&render(ctx, org, id, channel, values, Step::Form(errors)));
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
