//! Public side of reviews: the form (with the rules and consent), the author's private status page, all
//! published reviews of an organisation, and «пожаловаться» on a published review.

use super::{FormErrors, Origin, absolute, date, private, sections};
use crate::ctx::Ctx;
use crate::error::AppResult;
use crate::render::page;
use crate::state::AppState;
use crate::views::Pager;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Form, Router};
use nok_store::entities::{organization, review};
use nok_store::repo::organizations;
use nok_store::repo::reviews::{self, NewReview, ReportOutcome};
use nok_store::time_util::now;
use serde::Deserialize;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/reviews/{public_id}", get(all_reviews))
        .route("/reviews/{public_id}/new", get(form).post(submit))
        .route("/reviews/status/{token}", get(status))
        .route("/reviews/report/{id}", get(report_form).post(report))
}

/// A published review as the public sees it.
#[derive(Clone, Debug)]
pub struct ReviewView {
    pub id: i32,
    pub date: String,
    pub author: String,
    pub body: String,
    pub answer: Option<String>,
    pub answer_date: String,
}

impl ReviewView {
    pub fn new(r: &review::Model) -> ReviewView {
        ReviewView {
            id: r.id,
            date: date(r.published_at.unwrap_or(r.created_at)),
            author: r.author_name.clone().unwrap_or_else(|| nok_i18n::t("fb-review-anonymous")),
            body: r.body.clone(),
            answer: r.answer.clone(),
            answer_date: r.answered_at.map(date).unwrap_or_default(),
        }
    }
}

/// The rules every review must follow, shown above the form and used as rejection reasons.
pub(crate) fn reasons() -> Vec<(String, String)> {
    reviews::REASONS.iter().map(|r| (r.to_string(), nok_i18n::t(&format!("fb-reason-{r}")))).collect()
}

#[derive(Deserialize, Default)]
struct PageQuery {
    page: Option<u64>,
}

#[derive(Template)]
#[template(path = "feedback/reviews_all.html")]
struct AllReviews {
    ctx: Ctx,
    org: organization::Model,
    reviews: Vec<ReviewView>,
    total: u64,
    pager: Pager,
}

async fn all_reviews(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(public_id): Path<String>,
    Query(q): Query<PageQuery>,
) -> AppResult<Response> {
    let org = organizations::by_public_id(&state.db.read, &public_id).await?;
    let p = reviews::published(&state.db.read, org.id, q.page.unwrap_or(1), 20).await?;
    let pager = Pager::new(p.page, p.pages(), |n| format!("/reviews/{public_id}?page={n}"));
    Ok(page(&AllReviews { ctx, reviews: p.items.iter().map(ReviewView::new).collect(), total: p.total, org, pager }))
}

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct ReviewForm {
    body: String,
    author_name: String,
    accepts_rules: Option<String>,
}

#[derive(Template)]
#[template(path = "feedback/review_form.html")]
struct FormPage {
    ctx: Ctx,
    org: organization::Model,
    form: ReviewForm,
    errors: FormErrors,
    rules: Vec<(String, String)>,
    body_max: usize,
}

fn form_page(ctx: Ctx, org: organization::Model, form: ReviewForm, errors: FormErrors) -> Response {
    let status =
        if errors.is_empty() { axum::http::StatusCode::OK } else { axum::http::StatusCode::UNPROCESSABLE_ENTITY };
    let rules = reasons().into_iter().filter(|(code, _)| code != "other").collect();
    let body_max = reviews::BODY_MAX;
    (status, page(&FormPage { ctx, org, form, errors, rules, body_max })).into_response()
}

async fn form(State(state): State<AppState>, ctx: Ctx, Path(public_id): Path<String>) -> AppResult<Response> {
    let org = organizations::by_public_id(&state.db.read, &public_id).await?;
    Ok(form_page(ctx, org, ReviewForm::default(), FormErrors::default()))
}

async fn submit(
    State(state): State<AppState>,
    ctx: Ctx,
    origin: Origin,
    Path(public_id): Path<String>,
    Form(f): Form<ReviewForm>,
) -> AppResult<Response> {
    let org = organizations::by_public_id(&state.db.read, &public_id).await?;
    let new = NewReview {
        organization_id: org.id,
        body: f.body.clone(),
        author_name: Some(f.author_name.clone()),
        accepts_rules: f.accepts_rules.is_some(),
        device_hash: Some(origin.device_hash),
        ip_hash: Some(origin.ip_hash),
        at: now(),
    };
    match reviews::submit(&state.db, new).await {
        Ok(s) => Ok(Redirect::to(&format!("/reviews/status/{}?new=1", s.token)).into_response()),
        Err(e) => Ok(form_page(ctx, org, f, FormErrors::from_store(e)?)),
    }
}

#[derive(Deserialize, Default)]
struct StatusQuery {
    new: Option<String>,
}

#[derive(Template)]
#[template(path = "feedback/review_status.html")]
struct StatusPage {
    ctx: Ctx,
    org: organization::Model,
    review: review::Model,
    status: String,
    reason: Option<String>,
    created: String,
    answer_date: String,
    just_sent: bool,
    link: String,
}

async fn status(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(token): Path<String>,
    Query(q): Query<StatusQuery>,
) -> AppResult<Response> {
    let review = reviews::by_token(&state.db.read, &token).await?;
    let org = super::org_of(&state, review.organization_id).await?;
    let view = StatusPage {
        ctx,
        org,
        status: nok_i18n::t(&format!("fb-review-status-{}", review.status)),
        reason: review.reject_reason.as_ref().map(|r| nok_i18n::t(&format!("fb-reason-{r}"))),
        created: date(review.created_at),
        answer_date: review.answered_at.map(date).unwrap_or_default(),
        just_sent: q.new.is_some(),
        link: absolute(&state, &format!("/reviews/status/{token}")),
        review,
    };
    Ok(private(page(&view)))
}

#[derive(Template)]
#[template(path = "feedback/review_report.html")]
struct ReportPage {
    ctx: Ctx,
    /// What a complaint does (the threshold that hides a review).
    intro: String,
    review: ReviewView,
    public_id: String,
    reasons: Vec<(String, String)>,
    error: Option<String>,
}

async fn report_page(state: &AppState, ctx: Ctx, id: i32, error: Option<String>) -> AppResult<Response> {
    let r = reviews::public_get(&state.db.read, id).await?;
    let org = organizations::public_by_id(&state.db.read, r.organization_id).await?;
    let status =
        if error.is_some() { axum::http::StatusCode::UNPROCESSABLE_ENTITY } else { axum::http::StatusCode::OK };
    let intro = nok_i18n::t!("fb-report-intro", n = state.config.review_complaints_to_hide);
    let view =
        ReportPage { ctx, intro, review: ReviewView::new(&r), public_id: org.public_id, reasons: reasons(), error };
    Ok((status, page(&view)).into_response())
}

async fn report_form(State(state): State<AppState>, ctx: Ctx, Path(id): Path<i32>) -> AppResult<Response> {
    report_page(&state, ctx, id, None).await
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct ReportForm {
    reason: String,
}

#[derive(Template)]
#[template(path = "feedback/message.html")]
pub(crate) struct Message {
    pub ctx: Ctx,
    pub title: String,
    pub text: String,
    pub back_href: String,
    pub back_label: String,
}

async fn report(
    State(state): State<AppState>,
    ctx: Ctx,
    origin: Origin,
    Path(id): Path<i32>,
    Form(f): Form<ReportForm>,
) -> AppResult<Response> {
    if !reviews::REASONS.contains(&f.reason.as_str()) {
        return report_page(&state, ctx, id, Some(nok_i18n::t("fb-err-reason"))).await;
    }
    let r = reviews::public_get(&state.db.read, id).await?;
    let org = organizations::public_by_id(&state.db.read, r.organization_id).await?;
    let hide_at = state.config.review_complaints_to_hide;
    let outcome = reviews::report(&state.db, id, &f.reason, &origin.device_hash, hide_at, now()).await?;
    let text = match outcome {
        ReportOutcome::Recorded { .. } => nok_i18n::t!("fb-report-queued", n = hide_at),
        ReportOutcome::Hidden => {
            sections::invalidate(org.id);
            nok_i18n::t("fb-report-hidden")
        }
        ReportOutcome::AlreadyReported => nok_i18n::t("fb-report-already"),
    };
    Ok(page(&Message {
        ctx,
        title: nok_i18n::t("fb-report-title"),
        text,
        back_href: format!("/o/{}", org.public_id),
        back_label: nok_i18n::t("fb-back-to-org"),
    }))
}
