//! `/cabinet/plan/{org}/{year}`: the improvement plan of one organisation and assessment year. Its staff
//! (and administrators) create it, add the shortcomings the checklist and the indicators offer, add and
//! edit items, report progress, remove items (asked first), record the founder's approval and publish;
//! everyone else who sees the organisation reads it, overdue items marked in words. The store checks
//! scope and audits every change; after a change the handler redirects back with a notice.

mod forms;
mod items;

pub use forms::ItemForm;
use forms::{Choices, message, parse_day, store_errors};
pub use items::{add_progress, confirm_delete, delete_item, edit_form, progress_form, update_item};

use super::{criterion_name, day_text, plan_state_name, progress_text, shown_name};
use crate::ctx::Ctx;
use crate::error::AppResult;
use crate::render::page;
use crate::routes::feedback::{FormErrors, done_notice};
use crate::state::AppState;
use crate::views::HistoryRow;
use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use nok_store::repo::improvement_plans::{self as plans, ItemRow, Plan, PlanStatus, Shown, SourceKind};
use nok_store::{Actor, StoreError};
use serde::Deserialize;

/// Notices after a redirect (`?done=…` → `plan-done-…`).
const NOTICES: [&str; 9] =
    ["created", "prefilled", "prefill-none", "added", "updated", "deleted", "reported", "published", "approved"];

pub(super) fn base(org: i32, year: i32) -> String {
    format!("/cabinet/plan/{org}/{year}")
}

pub(super) fn back(org: i32, year: i32, done: &str) -> Response {
    Redirect::to(&format!("{}?done={done}#items", base(org, year))).into_response()
}

/// A progress report as shown.
struct ReportView {
    done_on: String,
    what_done: String,
    details: String,
    by: String,
}

/// An item as the plan's table shows it.
pub(super) struct ItemView {
    id: i32,
    number: usize,
    section: String,
    shortcoming: String,
    /// «из чек-листа (показатель 2.1)», «показатель 3.3» or empty.
    source: String,
    measure: String,
    deadline: String,
    responsible_name: String,
    responsible_position: String,
    status: String,
    overdue: bool,
    /// What still has to be filled in before publication (empty when complete).
    missing: String,
    reports: Vec<ReportView>,
}

impl ItemView {
    fn new(number: usize, r: &ItemRow) -> ItemView {
        let i = &r.item;
        let source = match (i.source_kind.as_deref().and_then(SourceKind::from_code), i.indicator.as_deref()) {
            (Some(SourceKind::Checklist), Some(ind)) => nok_i18n::t!("plan-source-checklist", indicator = ind),
            (Some(SourceKind::Indicator), Some(ind)) => nok_i18n::t!("plan-source-indicator", indicator = ind),
            _ => String::new(),
        };
        let blank = |s: &Option<String>| s.as_deref().is_none_or(|s| s.trim().is_empty());
        let missing: Vec<String> = [
            ("measure", blank(&i.measure)),
            ("deadline", i.deadline.is_none()),
            ("responsible-name", blank(&i.responsible_name)),
            ("responsible-position", blank(&i.responsible_position)),
        ]
        .into_iter()
        .filter(|(_, m)| *m)
        .map(|(f, _)| nok_i18n::t(&format!("plan-field-{f}")))
        .collect();
        ItemView {
            id: i.id,
            number,
            section: criterion_name(i.criterion.as_deref()),
            shortcoming: i.shortcoming.clone(),
            source,
            measure: i.measure.clone().unwrap_or_default(),
            deadline: day_text(i.deadline),
            responsible_name: i.responsible_name.clone().unwrap_or_default(),
            responsible_position: i.responsible_position.clone().unwrap_or_default(),
            status: shown_name(r.shown),
            overdue: r.shown == Shown::Overdue,
            missing: missing.join(", "),
            reports: r
                .progress
                .iter()
                .map(|p| ReportView {
                    done_on: day_text(Some(p.done_on)),
                    what_done: p.what_done.clone(),
                    details: p.details.clone().unwrap_or_default(),
                    by: p.created_by.clone(),
                })
                .collect(),
        }
    }
}

/// What the plan's header shows.
pub(super) struct Head {
    title: String,
    org_id: i32,
    org_name: String,
    public_id: String,
    year: i32,
    exists: bool,
    draft: bool,
    state: String,
    approved_on: String,
    approved_iso: String,
    published_at: String,
    may_edit: bool,
}

impl Head {
    fn new(p: &Plan) -> Head {
        let r = p.record.as_ref();
        Head {
            title: nok_i18n::t!("plan-title", year = p.year.to_string()),
            org_id: p.organization.id,
            org_name: p.organization.short_name.clone(),
            public_id: p.organization.public_id.clone(),
            year: p.year,
            exists: r.is_some(),
            draft: p.status() == Some(PlanStatus::Draft),
            state: plan_state_name(p.status()),
            approved_on: day_text(r.and_then(|r| r.approved_on)),
            approved_iso: r.and_then(|r| r.approved_on).map(plans::iso_date).unwrap_or_default(),
            published_at: day_text(r.and_then(|r| r.published_at)),
            may_edit: p.may_edit,
        }
    }
}

/// The forms of the plan page as submitted, with their errors.
#[derive(Default)]
struct PageState {
    form: ItemForm,
    errors: FormErrors,
    approval_error: Option<String>,
    publish_error: Option<String>,
    notice: Option<String>,
}

#[derive(Template)]
#[template(path = "plans/plan.html")]
struct PlanPage {
    ctx: Ctx,
    head: Head,
    progress: String,
    total: u64,
    done: u64,
    overdue: u64,
    items: Vec<ItemView>,
    incomplete: usize,
    offers: Vec<String>,
    state: PageState,
    choices: Choices,
    history: Vec<HistoryRow>,
}

async fn plan_page(
    state: &AppState,
    ctx: Ctx,
    org: i32,
    year: i32,
    st: PageState,
    status: StatusCode,
) -> AppResult<Response> {
    let actor = ctx.require_user()?.clone();
    let plan = plans::get(&state.db.read, &actor, org, year).await?;
    let offers = if plan.may_edit && plan.status() == Some(PlanStatus::Draft) {
        plans::offers(&state.db.read, &actor, org, year).await?.into_iter().map(|o| o.shortcoming).collect()
    } else {
        Vec::new()
    };
    let history = plans::history(&state.db.read, &actor, org, year).await?.into_iter().map(HistoryRow::from).collect();
    let progress = plan.progress();
    let mut res = page(&PlanPage {
        head: Head::new(&plan),
        progress: progress_text(progress.done, progress.total),
        total: progress.total,
        done: progress.done,
        overdue: progress.overdue,
        items: plan.items.iter().enumerate().map(|(n, r)| ItemView::new(n + 1, r)).collect(),
        incomplete: plan.incomplete().len(),
        offers,
        state: st,
        choices: Choices::new(),
        history,
        ctx,
    });
    *res.status_mut() = status;
    Ok(res)
}

#[derive(Deserialize, Default)]
pub struct ShowQuery {
    done: Option<String>,
}

/// `GET /cabinet/plan/{org}/{year}`.
pub async fn show(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((org, year)): Path<(i32, i32)>,
    Query(q): Query<ShowQuery>,
) -> AppResult<Response> {
    let st = PageState { notice: done_notice(q.done, &NOTICES, "plan-done-"), ..PageState::default() };
    plan_page(&state, ctx, org, year, st, StatusCode::OK).await
}

/// `POST /cabinet/plan/{org}/{year}`: creates the draft plan.
pub async fn create(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((org, year)): Path<(i32, i32)>,
) -> AppResult<Response> {
    let actor = ctx.require_user()?;
    match plans::create(&state.db, actor, org, year).await {
        Ok(_) | Err(StoreError::Conflict(_)) => Ok(back(org, year, "created")),
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize, Default)]
pub struct ApprovalForm {
    approved_on: Option<String>,
}

/// `POST /cabinet/plan/{org}/{year}/approval`: the day the founder approved the plan (empty clears it).
pub async fn approval(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((org, year)): Path<(i32, i32)>,
    Form(form): Form<ApprovalForm>,
) -> AppResult<Response> {
    let actor = ctx.require_user()?.clone();
    let refused = |code: &str| PageState { approval_error: Some(message("approved_on", code)), ..PageState::default() };
    let Ok(day) = parse_day(&form.approved_on) else {
        return plan_page(&state, ctx, org, year, refused("date"), StatusCode::UNPROCESSABLE_ENTITY).await;
    };
    match plans::set_approval(&state.db, &actor, org, year, day).await {
        Ok(_) => Ok(back(org, year, "approved")),
        Err(StoreError::Invalid(m)) => {
            let code = m.split_once(':').map_or("date", |(_, c)| c.trim()).to_string();
            plan_page(&state, ctx, org, year, refused(&code), StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(e) => Err(e.into()),
    }
}

/// `POST /cabinet/plan/{org}/{year}/prefill`: adds every offered shortcoming to the draft.
pub async fn prefill(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((org, year)): Path<(i32, i32)>,
) -> AppResult<Response> {
    let actor = ctx.require_user()?;
    let added = plans::add_offers(&state.db, actor, org, year).await?;
    Ok(back(org, year, if added == 0 { "prefill-none" } else { "prefilled" }))
}

/// `POST /cabinet/plan/{org}/{year}/publish`.
pub async fn publish(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((org, year)): Path<(i32, i32)>,
) -> AppResult<Response> {
    let actor = ctx.require_user()?.clone();
    match plans::publish(&state.db, &actor, org, year).await {
        Ok(_) | Err(StoreError::Conflict(_)) => Ok(back(org, year, "published")),
        Err(StoreError::Invalid(m)) => {
            let key = if m.contains("empty") { "plan-publish-empty" } else { "plan-publish-incomplete" };
            let st = PageState { publish_error: Some(nok_i18n::t(key)), ..PageState::default() };
            plan_page(&state, ctx, org, year, st, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(e) => Err(e.into()),
    }
}

/// Whether the plan of the page is published (items of a published plan need every field).
async fn is_published(state: &AppState, actor: &Actor, org: i32, year: i32) -> AppResult<bool> {
    Ok(plans::get(&state.db.read, actor, org, year).await?.status() == Some(PlanStatus::Published))
}

/// `POST /cabinet/plan/{org}/{year}/items`: adds an item.
pub async fn add_item(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((org, year)): Path<(i32, i32)>,
    Form(form): Form<ItemForm>,
) -> AppResult<Response> {
    let actor = ctx.require_user()?.clone();
    let published = is_published(&state, &actor, org, year).await?;
    let result = match form.to_input(published) {
        Ok(input) => plans::add_item(&state.db, &actor, org, year, &input).await.map_err(store_errors),
        Err(errors) => Err(Ok(errors)),
    };
    match result {
        Ok(_) => Ok(back(org, year, "added")),
        Err(errors) => {
            let st = PageState { form, errors: errors?, ..PageState::default() };
            plan_page(&state, ctx, org, year, st, StatusCode::UNPROCESSABLE_ENTITY).await
        }
    }
}
