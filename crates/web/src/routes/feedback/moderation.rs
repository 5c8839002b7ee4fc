//! `/cabinet/reviews`: the moderation queue for administrators and authorities (their organisations only):
//! waiting reviews and published ones with open complaints («опубликован, есть жалобы», still public), with
//! the automatic flags, the complaints' reasons and count, reasons for rejection (confirmed before it
//! happens) and «оставить опубликованным» to settle complaints; for an organisation's staff, its published
//! reviews and the form of the public answer. Either list exports as CSV or XLSX with the same filters and
//! scope.

use super::reviews::reasons;
use super::{Confirm, FormErrors, actor, confirmed, date, datetime, done_notice, sections};
use crate::ctx::Ctx;
use crate::error::AppResult;
use crate::portal::export::{Cell, ExportLinks, Table};
use crate::render::page;
use crate::state::AppState;
use crate::views::Pager;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use nok_store::entities::review;
use nok_store::moderation::{self as checks, Flag};
use nok_store::repo::reviews::{self, ReviewQuery};
use nok_store::time_util::now;
use nok_store::{Actor, Role};
use serde::Deserialize;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/cabinet/reviews", get(list))
        .route("/cabinet/reviews/export/{format}", get(export))
        .route("/cabinet/reviews/{id}", get(detail))
        .route("/cabinet/reviews/{id}/approve", post(approve))
        .route("/cabinet/reviews/{id}/reject", post(reject))
        .route("/cabinet/reviews/{id}/dismiss", post(dismiss))
        .route("/cabinet/reviews/{id}/answer", post(answer))
}

const STATUSES: [&str; 6] =
    [reviews::QUEUE, reviews::PENDING, reviews::COMPLAINED, reviews::PUBLISHED, reviews::REJECTED, "all"];
/// The largest export.
const EXPORT_LIMIT: u64 = 100_000;

#[derive(Deserialize, Default, Clone)]
struct ListQuery {
    status: Option<String>,
    flagged: Option<String>,
    page: Option<u64>,
}

impl ListQuery {
    /// The status shown (the queue unless a known one is asked for).
    fn status(&self) -> String {
        self.status.clone().filter(|s| STATUSES.contains(&s.as_str())).unwrap_or_else(|| reviews::QUEUE.into())
    }

    fn flagged(&self) -> bool {
        self.flagged.as_deref() == Some("1")
    }

    fn store(&self, page: u64, per_page: u64) -> ReviewQuery {
        ReviewQuery {
            status: Some(self.status()).filter(|s| s != "all"),
            flagged_only: self.flagged(),
            organization_id: None,
            page,
            per_page,
        }
    }

    /// The filters as a query string (for page and export links).
    fn href(&self) -> String {
        serde_urlencoded::to_string([
            ("status", self.status().as_str()),
            ("flagged", if self.flagged() { "1" } else { "" }),
        ])
        .unwrap_or_default()
    }
}

pub struct Row {
    pub id: i32,
    pub date: String,
    pub organization: String,
    pub excerpt: String,
    pub flags: Vec<String>,
    pub reports: i32,
    /// The reasons of the open complaints with their counts.
    pub complaints: Vec<(String, u64)>,
    pub status: String,
    pub answered: bool,
}

impl Row {
    fn new(r: &review::Model, organization: String, complaints: Vec<(String, u64)>) -> Row {
        let mut excerpt: String = r.body.chars().take(160).collect();
        if r.body.chars().count() > 160 {
            excerpt.push('…');
        }
        Row {
            id: r.id,
            date: datetime(r.created_at),
            organization,
            excerpt,
            flags: flag_names(r.flags.as_deref()),
            reports: r.reports,
            complaints: reason_names(complaints),
            status: status_name(r),
            answered: r.answer.is_some(),
        }
    }
}

/// The status as moderators see it: a published review with open complaints is «опубликован, есть жалобы».
fn status_name(r: &review::Model) -> String {
    let code = if r.status == reviews::PUBLISHED && r.reports > 0 { reviews::COMPLAINED } else { r.status.as_str() };
    nok_i18n::t(&format!("fb-review-status-{code}"))
}

/// Complaint reason codes with their counts, named.
fn reason_names(counts: Vec<(String, u64)>) -> Vec<(String, u64)> {
    counts.into_iter().map(|(code, n)| (nok_i18n::t(&format!("fb-reason-{code}")), n)).collect()
}

fn flag_names(column: Option<&str>) -> Vec<String> {
    checks::from_column(column).into_iter().map(|f: Flag| nok_i18n::t(&format!("fb-flag-{}", f.code()))).collect()
}

#[derive(Template)]
#[template(path = "feedback/cabinet_reviews.html")]
struct ListPage {
    ctx: Ctx,
    moderator: bool,
    status: String,
    statuses: Vec<(String, String)>,
    flagged: bool,
    rows: Vec<Row>,
    total: u64,
    pager: Pager,
    export: ExportLinks,
}

async fn list(State(state): State<AppState>, ctx: Ctx, Query(q): Query<ListQuery>) -> AppResult<Response> {
    let actor = actor(&ctx)?;
    let moderator = reviews::may_moderate(&actor);
    let p = reviews::list(&state.db.read, &actor, &q.store(q.page.unwrap_or(1), 25)).await?;
    let base = q.href();
    let pager = Pager::new(p.page, p.pages(), |n| format!("/cabinet/reviews?{base}&page={n}"));
    let statuses = STATUSES.iter().map(|s| (s.to_string(), nok_i18n::t(&format!("fb-review-filter-{s}")))).collect();
    let rows = p.items.into_iter().map(|r| Row::new(&r.review, r.organization, r.complaints)).collect();
    let export = ExportLinks::new("/cabinet/reviews/export", &base);
    let (status, flagged) = (q.status(), q.flagged());
    Ok(page(&ListPage { ctx, moderator, status, statuses, flagged, rows, total: p.total, pager, export }))
}

async fn export(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(format): Path<String>,
    Query(q): Query<ListQuery>,
) -> AppResult<Response> {
    let actor = actor(&ctx)?;
    let rows = reviews::export(&state.db.read, &actor, &q.store(1, EXPORT_LIMIT), EXPORT_LIMIT).await?;
    let mut table = Table::with_headers(&[
        "fb-col-date",
        "fb-organization",
        "fb-review-text",
        "fb-col-flags",
        "fb-col-reports",
        "fb-status",
        "fb-org-answer",
    ]);
    table.rows = rows
        .into_iter()
        .map(|r| {
            let status = status_name(&r.review);
            vec![
                Cell::Text(date(r.review.created_at)),
                Cell::Text(r.organization),
                Cell::Text(r.review.body),
                Cell::Text(flag_names(r.review.flags.as_deref()).join("; ")),
                Cell::Count(u64::try_from(r.review.reports).unwrap_or_default()),
                Cell::Text(status),
                Cell::text(r.review.answer),
            ]
        })
        .collect();
    table.download(&format, "reviews")
}

#[derive(Template)]
#[template(path = "feedback/cabinet_review.html")]
struct DetailPage {
    ctx: Ctx,
    review: review::Model,
    organization: String,
    created: String,
    status: String,
    reason: Option<String>,
    flags: Vec<(String, String)>,
    complaints: Vec<(String, u64)>,
    /// Earlier complaints a moderator settled.
    settled: u64,
    reasons: Vec<(String, String)>,
    may_moderate: bool,
    /// «Оставить опубликованным» is offered (published, with open complaints).
    may_dismiss: bool,
    may_answer: bool,
    errors: FormErrors,
    reject_reason: String,
    reject_note: String,
    answer_text: String,
    done: Option<String>,
}

#[derive(Deserialize, Default)]
struct DetailQuery {
    done: Option<String>,
}

#[derive(Default)]
struct Draft {
    errors: FormErrors,
    reject_reason: String,
    reject_note: String,
    answer_text: Option<String>,
    done: Option<String>,
}

async fn detail_page(state: &AppState, ctx: Ctx, actor: &Actor, id: i32, draft: Draft) -> AppResult<Response> {
    let r = reviews::get(&state.db.read, actor, id).await?;
    let may_moderate = reviews::may_moderate(actor);
    let complaints =
        if may_moderate { reviews::complaints(&state.db.read, actor, id).await? } else { Default::default() };
    let org = nok_store::repo::organizations::get(&state.db.read, actor, r.organization_id).await?;
    let flags = checks::from_column(r.flags.as_deref())
        .into_iter()
        .map(|f| (nok_i18n::t(&format!("fb-flag-{}", f.code())), nok_i18n::t(&format!("fb-flag-{}-hint", f.code()))))
        .collect();
    let status =
        if draft.errors.is_empty() { axum::http::StatusCode::OK } else { axum::http::StatusCode::UNPROCESSABLE_ENTITY };
    let view = DetailPage {
        ctx,
        organization: org.short_name,
        created: datetime(r.created_at),
        status: status_name(&r),
        reason: r.reject_reason.as_ref().map(|c| nok_i18n::t(&format!("fb-reason-{c}"))),
        flags,
        complaints: reason_names(complaints.open),
        settled: complaints.settled,
        reasons: reasons(),
        may_answer: actor.role == Role::Staff && r.status == reviews::PUBLISHED,
        may_dismiss: may_moderate && r.status == reviews::PUBLISHED && r.reports > 0,
        may_moderate,
        errors: draft.errors,
        reject_reason: draft.reject_reason,
        reject_note: draft.reject_note,
        answer_text: draft.answer_text.or_else(|| r.answer.clone()).unwrap_or_default(),
        done: done_notice(draft.done, &["approve", "reject", "answer", "dismiss"], "fb-done-"),
        review: r,
    };
    Ok((status, page(&view)).into_response())
}

async fn detail(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i32>,
    Query(q): Query<DetailQuery>,
) -> AppResult<Response> {
    let actor = actor(&ctx)?;
    let draft = Draft {
        errors: FormErrors::default(),
        reject_reason: String::new(),
        reject_note: String::new(),
        answer_text: None,
        done: q.done,
    };
    detail_page(&state, ctx, &actor, id, draft).await
}

fn done(id: i32, what: &str) -> Response {
    Redirect::to(&format!("/cabinet/reviews/{id}?done={what}")).into_response()
}

async fn approve(State(state): State<AppState>, ctx: Ctx, Path(id): Path<i32>) -> AppResult<Response> {
    let actor = actor(&ctx)?;
    let r = reviews::approve(&state.db, &actor, id, now()).await?;
    sections::invalidate(r.organization_id);
    Ok(done(id, "approve"))
}

/// «Оставить опубликованным»: settles the open complaints about a published review (moderators only).
async fn dismiss(State(state): State<AppState>, ctx: Ctx, Path(id): Path<i32>) -> AppResult<Response> {
    let actor = actor(&ctx)?;
    match reviews::dismiss_reports(&state.db, &actor, id, now()).await {
        Ok(_) => Ok(done(id, "dismiss")),
        Err(nok_store::StoreError::Conflict(_)) => {
            let errors = FormErrors {
                items: vec![super::FieldError { field: "form".into(), message: nok_i18n::t("fb-err-dismiss") }],
            };
            detail_page(&state, ctx, &actor, id, Draft { errors, ..Default::default() }).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct RejectForm {
    reason: String,
    note: String,
    confirmed: Option<String>,
}

async fn reject(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i32>,
    Form(f): Form<RejectForm>,
) -> AppResult<Response> {
    let actor = actor(&ctx)?;
    let draft = |errors: FormErrors| Draft {
        errors,
        reject_reason: f.reason.clone(),
        reject_note: f.note.clone(),
        answer_text: None,
        done: None,
    };
    if !reviews::REASONS.contains(&f.reason.as_str()) {
        let errors = FormErrors {
            items: vec![super::FieldError { field: "reason".into(), message: nok_i18n::t("fb-err-reason") }],
        };
        return detail_page(&state, ctx, &actor, id, draft(errors)).await;
    }
    if !confirmed(&f.confirmed) {
        let r = reviews::get(&state.db.read, &actor, id).await?;
        let mut details = vec![
            (nok_i18n::t("fb-review-text"), r.body.clone()),
            (nok_i18n::t("fb-reject-reason"), nok_i18n::t(&format!("fb-reason-{}", f.reason))),
        ];
        if !f.note.trim().is_empty() {
            details.push((nok_i18n::t("fb-reject-note"), f.note.clone()));
        }
        let view = Confirm {
            ctx,
            title: nok_i18n::t("fb-reject-confirm-title"),
            question: nok_i18n::t("fb-reject-confirm-question"),
            details,
            action: format!("/cabinet/reviews/{id}/reject"),
            fields: vec![
                ("reason".into(), f.reason.clone()),
                ("note".into(), f.note.clone()),
                ("confirmed".into(), "1".into()),
            ],
            confirm_label: nok_i18n::t("fb-reject-confirm-yes"),
            danger: true,
            cancel_href: format!("/cabinet/reviews/{id}"),
        };
        return Ok(page(&view));
    }
    let note = Some(f.note.as_str()).filter(|n| !n.trim().is_empty());
    match reviews::reject(&state.db, &actor, id, &f.reason, note, now()).await {
        Ok(r) => {
            sections::invalidate(r.organization_id);
            Ok(done(id, "reject"))
        }
        Err(e) => {
            let errors = FormErrors::from_store(e)?;
            detail_page(&state, ctx, &actor, id, draft(errors)).await
        }
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct AnswerForm {
    answer: String,
}

async fn answer(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i32>,
    Form(f): Form<AnswerForm>,
) -> AppResult<Response> {
    let actor = actor(&ctx)?;
    match reviews::answer(&state.db, &actor, id, &f.answer, now()).await {
        Ok(r) => {
            sections::invalidate(r.organization_id);
            Ok(done(id, "answer"))
        }
        Err(e) => {
            let errors = FormErrors::from_store(e)?;
            let draft = Draft {
                errors,
                reject_reason: String::new(),
                reject_note: String::new(),
                answer_text: Some(f.answer),
                done: None,
            };
            detail_page(&state, ctx, &actor, id, draft).await
        }
    }
}
