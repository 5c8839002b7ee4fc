//! `/cabinet/appeals`: appeals of the actor's organisations with the 30-day deadline, overdue ones
//! highlighted, a status filter, pagination and CSV/XLSX export; the appeal page where the organisation's staff
//! take it in work, answer (the e-mail goes out through the outbox) and close it. Authorities and
//! administrators read. The author's e-mail is never shown.

use super::{Confirm, FormErrors, actor, confirmed, date, datetime, done_notice};
use crate::ctx::Ctx;
use crate::error::AppResult;
use crate::portal::export::{Cell, ExportLinks, Table};
use crate::render::page;
use crate::state::AppState;
use crate::views::Pager;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use nok_store::entities::appeal;
use nok_store::repo::appeals::{self, AnswerMail, AppealQuery, AppealRow, StatusFilter};
use nok_store::time_util::now;
use nok_store::{Actor, Role};
use serde::Deserialize;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/cabinet/appeals", get(list))
        .route("/cabinet/appeals/export/{format}", get(export))
        .route("/cabinet/appeals/{id}", get(detail))
        .route("/cabinet/appeals/{id}/status", post(set_status))
        .route("/cabinet/appeals/{id}/answer", post(answer))
}

/// Filters offered above the list, in order.
const FILTERS: [&str; 7] = ["", "open", "overdue", appeals::NEW, appeals::IN_WORK, appeals::ANSWERED, appeals::CLOSED];
/// The largest export.
const EXPORT_LIMIT: u64 = 100_000;

#[derive(Deserialize, Default, Clone)]
struct ListQuery {
    status: Option<String>,
    page: Option<u64>,
}

impl ListQuery {
    fn store(&self, page: u64, per_page: u64) -> AppealQuery {
        let status = StatusFilter::from_code(self.status.as_deref().unwrap_or(""));
        AppealQuery { status, organization_id: None, page, per_page, now: now() }
    }
}

/// How an appeal stands against its deadline, in words (never by colour alone).
fn deadline_text(a: &appeal::Model, at: i64) -> (String, bool) {
    let d = appeals::deadline(a, at);
    let text = match d.days_left {
        Some(n) if d.overdue => nok_i18n::t!("fb-deadline-overdue", n = n.abs()),
        Some(n) => nok_i18n::t!("fb-deadline-left", n = n),
        None if d.answered_late => nok_i18n::t("fb-deadline-answered-late"),
        None => nok_i18n::t("fb-deadline-answered"),
    };
    (text, d.overdue)
}

pub struct Row {
    pub id: i32,
    pub created: String,
    pub organization: String,
    pub status: String,
    pub due: String,
    pub deadline: String,
    pub overdue: bool,
}

impl Row {
    fn new(r: &AppealRow, at: i64) -> Row {
        let (deadline, overdue) = deadline_text(&r.appeal, at);
        Row {
            id: r.appeal.id,
            created: date(r.appeal.created_at),
            organization: r.organization.clone(),
            status: nok_i18n::t(&format!("fb-appeal-status-{}", r.appeal.status)),
            due: date(r.appeal.due_at),
            deadline,
            overdue,
        }
    }
}

#[derive(Template)]
#[template(path = "feedback/cabinet_appeals.html")]
struct ListPage {
    ctx: Ctx,
    filter: String,
    filters: Vec<(String, String)>,
    rows: Vec<Row>,
    total: u64,
    open: u64,
    overdue: u64,
    pager: Pager,
    export: ExportLinks,
}

async fn list(State(state): State<AppState>, ctx: Ctx, Query(q): Query<ListQuery>) -> AppResult<Response> {
    let actor = actor(&ctx)?;
    let query = q.store(q.page.unwrap_or(1), 25);
    let p = appeals::list(&state.db.read, &actor, &query).await?;
    let (open, overdue) = appeals::open_and_overdue(&state.db.read, &actor, query.now).await?;
    let filter = query.status.code().to_string();
    let pager = Pager::new(p.page, p.pages(), |n| format!("/cabinet/appeals?status={filter}&page={n}"));
    let filters = FILTERS
        .iter()
        .map(|f| (f.to_string(), nok_i18n::t(&format!("fb-appeal-filter-{}", if f.is_empty() { "all" } else { f }))))
        .collect();
    Ok(page(&ListPage {
        rows: p.items.iter().map(|r| Row::new(r, query.now)).collect(),
        export: ExportLinks::new("/cabinet/appeals/export", &format!("status={filter}")),
        ctx,
        filter,
        filters,
        total: p.total,
        open,
        overdue,
        pager,
    }))
}

async fn export(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(format): Path<String>,
    Query(q): Query<ListQuery>,
) -> AppResult<Response> {
    let actor = actor(&ctx)?;
    let query = q.store(1, EXPORT_LIMIT);
    let rows = appeals::export(&state.db.read, &actor, &query, EXPORT_LIMIT).await?;
    let yes_no = |b: bool| Cell::Text(nok_i18n::t(if b { "fb-yes" } else { "fb-no" }));
    let mut table = Table::with_headers(&[
        "fb-csv-number",
        "fb-csv-organization",
        "fb-csv-created",
        "fb-csv-status",
        "fb-csv-due",
        "fb-csv-answered",
        "fb-csv-overdue",
        "fb-csv-answered-late",
    ]);
    table.rows = rows
        .iter()
        .map(|r| {
            let d = appeals::deadline(&r.appeal, query.now);
            vec![
                Cell::Count(u64::try_from(r.appeal.id).unwrap_or_default()),
                Cell::Text(r.organization.clone()),
                Cell::Text(date(r.appeal.created_at)),
                Cell::Text(nok_i18n::t(&format!("fb-appeal-status-{}", r.appeal.status))),
                Cell::Text(date(r.appeal.due_at)),
                Cell::text(r.appeal.answered_at.map(date)),
                yes_no(d.overdue),
                yes_no(d.answered_late),
            ]
        })
        .collect();
    table.download(&format, "appeals")
}

#[derive(Template)]
#[template(path = "feedback/cabinet_appeal.html")]
struct DetailPage {
    ctx: Ctx,
    appeal: appeal::Model,
    organization: String,
    status: String,
    created: String,
    due: String,
    deadline: String,
    overdue: bool,
    answered: String,
    may_take: bool,
    may_answer: bool,
    may_close: bool,
    errors: FormErrors,
    answer_text: String,
    done: Option<String>,
}

#[derive(Deserialize, Default)]
struct DetailQuery {
    done: Option<String>,
}

fn is_staff(actor: &Actor) -> bool {
    actor.role == Role::Staff
}

async fn detail_page(
    state: &AppState,
    ctx: Ctx,
    actor: &Actor,
    id: i32,
    errors: FormErrors,
    answer_text: String,
    done: Option<String>,
) -> AppResult<Response> {
    let a = appeals::open(&state.field_key, appeals::get(&state.db.read, actor, id).await?)?;
    let org = nok_store::repo::organizations::get(&state.db.read, actor, a.organization_id).await?;
    let at = now();
    let (deadline, overdue) = deadline_text(&a, at);
    let staff = is_staff(actor);
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let view = DetailPage {
        ctx,
        organization: org.short_name,
        status: nok_i18n::t(&format!("fb-appeal-status-{}", a.status)),
        created: datetime(a.created_at),
        due: date(a.due_at),
        deadline,
        overdue,
        answered: a.answered_at.map(datetime).unwrap_or_default(),
        may_take: staff && a.status == appeals::NEW,
        may_answer: staff && appeals::is_open(&a.status),
        may_close: staff && a.status == appeals::ANSWERED,
        errors,
        answer_text,
        done: done_notice(done, &["take", "answer", "close"], "fb-done-appeal-"),
        appeal: a,
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
    detail_page(&state, ctx, &actor, id, FormErrors::default(), String::new(), q.done).await
}

fn done(id: i32, what: &str) -> Response {
    Redirect::to(&format!("/cabinet/appeals/{id}?done={what}")).into_response()
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct StatusForm {
    to: String,
    confirmed: Option<String>,
}

async fn set_status(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i32>,
    Form(f): Form<StatusForm>,
) -> AppResult<Response> {
    let actor = actor(&ctx)?;
    if f.to == appeals::CLOSED && !confirmed(&f.confirmed) {
        appeals::get(&state.db.read, &actor, id).await?;
        let view = Confirm {
            ctx,
            title: nok_i18n::t("fb-close-confirm-title"),
            question: nok_i18n::t("fb-close-confirm-question"),
            details: Vec::new(),
            action: format!("/cabinet/appeals/{id}/status"),
            fields: vec![("to".into(), f.to.clone()), ("confirmed".into(), "1".into())],
            confirm_label: nok_i18n::t("fb-close-confirm-yes"),
            danger: true,
            cancel_href: format!("/cabinet/appeals/{id}"),
        };
        return Ok(page(&view));
    }
    appeals::set_status(&state.db, &actor, id, &f.to, now()).await?;
    Ok(done(id, if f.to == appeals::CLOSED { "close" } else { "take" }))
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct AnswerForm {
    answer: String,
    confirmed: Option<String>,
}

/// The e-mail that carries an answer to the author (also used by the demo filler).
pub fn answer_mail(a: &appeal::Model, organization: &str) -> AnswerMail {
    AnswerMail {
        subject: nok_i18n::t!("fb-mail-answer-subject", id = a.id),
        body: nok_i18n::t!(
            "fb-mail-answer-body",
            id = a.id,
            org = organization.to_string(),
            date = date(a.created_at),
            answer = a.answer.clone().unwrap_or_default()
        ),
    }
}

async fn answer(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i32>,
    Form(f): Form<AnswerForm>,
) -> AppResult<Response> {
    let actor = actor(&ctx)?;
    let a = appeals::get(&state.db.read, &actor, id).await?;
    let org = nok_store::repo::organizations::get(&state.db.read, &actor, a.organization_id).await?;
    if f.answer.trim().chars().count() >= 2 && !confirmed(&f.confirmed) && is_staff(&actor) {
        let view = Confirm {
            ctx,
            title: nok_i18n::t("fb-answer-confirm-title"),
            question: nok_i18n::t("fb-answer-confirm-question"),
            details: vec![(nok_i18n::t("fb-appeal-answer"), f.answer.clone())],
            action: format!("/cabinet/appeals/{id}/answer"),
            fields: vec![("answer".into(), f.answer.clone()), ("confirmed".into(), "1".into())],
            confirm_label: nok_i18n::t("fb-answer-confirm-yes"),
            danger: false,
            cancel_href: format!("/cabinet/appeals/{id}"),
        };
        return Ok(page(&view));
    }
    match appeals::answer(
        &state.db,
        &state.field_key,
        &actor,
        id,
        &f.answer,
        |a| answer_mail(a, &org.short_name),
        now(),
    )
    .await
    {
        Ok(_) => {
            crate::mailer::wake();
            Ok(done(id, "answer"))
        }
        Err(e) => {
            let errors = FormErrors::from_store(e)?;
            detail_page(&state, ctx, &actor, id, errors, f.answer, None).await
        }
    }
}
