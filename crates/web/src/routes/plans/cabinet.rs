//! `/cabinet/plan/{org}/{year}`: the improvement plan of one organisation and assessment year. Its staff
//! (and administrators) create it, add the shortcomings the checklist and the indicators offer, add and
//! edit items, report progress, remove items (asked first), record the founder's approval and publish;
//! everyone else who sees the organisation reads it, overdue items marked in words. The store checks
//! scope and audits every change; after a change the handler redirects back with a notice.

use super::{criterion_name, day_text, plan_state_name, progress_text, shown_name};
use crate::ctx::Ctx;
use crate::error::{AppError, AppResult};
use crate::render::page;
use crate::routes::feedback::{Confirm, FieldError as FormField, FormErrors, confirmed, done_notice};
use crate::state::AppState;
use crate::views::HistoryRow;
use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use nok_store::entities::plan_item;
use nok_store::repo::improvement_plans::{
    self as plans, FieldError, ItemInput, ItemRow, ItemStatus, Plan, PlanStatus, ProgressInput, Shown, SourceKind,
};
use nok_store::{Actor, StoreError};
use serde::Deserialize;

/// Notices after a redirect (`?done=…` → `plan-done-…`).
const NOTICES: [&str; 9] =
    ["created", "prefilled", "prefill-none", "added", "updated", "deleted", "reported", "published", "approved"];

fn base(org: i32, year: i32) -> String {
    format!("/cabinet/plan/{org}/{year}")
}

fn back(org: i32, year: i32, done: &str) -> Response {
    Redirect::to(&format!("{}?done={done}#items", base(org, year))).into_response()
}

/// A date typed as `ДД.ММ.ГГГГ` or by a date picker (`ГГГГ-ММ-ДД`): `Ok(None)` when empty, `Err` when
/// unreadable.
fn parse_day(text: &Option<String>) -> Result<Option<i64>, ()> {
    match text.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        None => Ok(None),
        Some(t) => nok_i18n::parse_date(t).map(|d| Some(plans::day(d))).ok_or(()),
    }
}

/// The message of a field's error: «Срок: укажите дату…».
fn message(field: &str, code: &str) -> String {
    format!(
        "{}: {}",
        nok_i18n::t(&format!("plan-field-{}", field.replace('_', "-"))),
        nok_i18n::t(&format!("plan-err-{code}"))
    )
}

fn form_errors(errors: &[FieldError]) -> FormErrors {
    FormErrors {
        items: errors
            .iter()
            .map(|e| FormField { field: e.field.to_string(), message: message(e.field, e.code) })
            .collect(),
    }
}

/// A store refusal of the input (`Invalid("field: code; …")`) as form errors; anything else stays an error.
fn store_errors(e: StoreError) -> AppResult<FormErrors> {
    match e {
        StoreError::Invalid(m) => Ok(FormErrors {
            items: m
                .split("; ")
                .map(|problem| {
                    let (field, code) = problem.split_once(':').unwrap_or(("form", "rejected"));
                    let field = field.trim();
                    FormField { field: field.to_string(), message: message(field, code.trim()) }
                })
                .collect(),
        }),
        other => Err(other.into()),
    }
}

/// The item form as typed (all text, so a wrong value comes back to its field).
#[derive(Deserialize, Default, Clone)]
pub struct ItemForm {
    criterion: Option<String>,
    shortcoming: Option<String>,
    measure: Option<String>,
    deadline: Option<String>,
    responsible_name: Option<String>,
    responsible_position: Option<String>,
    status: Option<String>,
}

impl ItemForm {
    fn from_item(i: &plan_item::Model) -> ItemForm {
        ItemForm {
            criterion: i.criterion.clone(),
            shortcoming: Some(i.shortcoming.clone()),
            measure: i.measure.clone(),
            deadline: i.deadline.map(plans::iso_date),
            responsible_name: i.responsible_name.clone(),
            responsible_position: i.responsible_position.clone(),
            status: Some(i.status.clone()),
        }
    }

    /// The store's input, or the fields that could not even be read.
    fn to_input(&self, published: bool) -> Result<ItemInput, FormErrors> {
        let mut errors = Vec::new();
        let deadline = parse_day(&self.deadline).unwrap_or_else(|()| {
            errors.push(FieldError { field: "deadline", code: "date" });
            None
        });
        let status = match self.status.as_deref().filter(|s| !s.is_empty()) {
            None => ItemStatus::Planned,
            Some(s) => ItemStatus::from_code(s).unwrap_or_else(|| {
                errors.push(FieldError { field: "status", code: "rejected" });
                ItemStatus::Planned
            }),
        };
        let input = ItemInput {
            criterion: self.criterion.clone(),
            shortcoming: self.shortcoming.clone(),
            measure: self.measure.clone(),
            deadline,
            responsible_name: self.responsible_name.clone(),
            responsible_position: self.responsible_position.clone(),
            status,
        };
        for e in input.validate(published) {
            if !errors.iter().any(|x| x.field == e.field) {
                errors.push(e);
            }
        }
        if errors.is_empty() { Ok(input) } else { Err(form_errors(&errors)) }
    }

    fn text(&self, field: &str) -> String {
        let v = match field {
            "shortcoming" => &self.shortcoming,
            "measure" => &self.measure,
            "deadline" => &self.deadline,
            "responsible_name" => &self.responsible_name,
            "responsible_position" => &self.responsible_position,
            _ => &None,
        };
        v.clone().unwrap_or_default()
    }

    fn is(&self, field: &str, value: &str) -> bool {
        let v = match field {
            "criterion" => &self.criterion,
            "status" => &self.status,
            _ => &None,
        };
        v.as_deref().unwrap_or_default() == value
    }
}

/// Choices of the item form: `(code, name)`.
struct Choices {
    criteria: Vec<(String, String)>,
    statuses: Vec<(String, String)>,
}

impl Choices {
    fn new() -> Choices {
        Choices {
            criteria: nok_methodology::Definition::current()
                .criteria
                .iter()
                .map(|c| (c.id.clone(), criterion_name(Some(&c.id))))
                .collect(),
            statuses: ItemStatus::ALL
                .iter()
                .map(|s| {
                    let shown = match s {
                        ItemStatus::Planned => Shown::Planned,
                        ItemStatus::InProgress => Shown::InProgress,
                        ItemStatus::Done => Shown::Done,
                    };
                    (s.code().to_string(), shown_name(shown))
                })
                .collect(),
        }
    }
}

/// A progress report as shown.
struct ReportView {
    done_on: String,
    what_done: String,
    details: String,
    by: String,
}

/// An item as the plan's table shows it.
struct ItemView {
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
struct Head {
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

/// The plan and one of its items, for a page that changes it (`403` unless the actor may edit).
async fn editable(state: &AppState, ctx: &Ctx, org: i32, year: i32, id: i32) -> AppResult<(Actor, Plan, ItemRow)> {
    let actor = ctx.require_user()?.clone();
    let plan = plans::get(&state.db.read, &actor, org, year).await?;
    if !plan.may_edit {
        return Err(AppError::Forbidden);
    }
    let item = plan.item(id).cloned().ok_or(AppError::NotFound)?;
    Ok((actor, plan, item))
}

#[derive(Template)]
#[template(path = "plans/edit.html")]
struct EditPage {
    ctx: Ctx,
    head: Head,
    item: ItemView,
    form: ItemForm,
    errors: FormErrors,
    choices: Choices,
    published: bool,
}

fn edit_page(ctx: Ctx, plan: &Plan, item: &ItemRow, form: ItemForm, errors: FormErrors) -> Response {
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let mut res = page(&EditPage {
        head: Head::new(plan),
        item: ItemView::new(0, item),
        form,
        errors,
        choices: Choices::new(),
        published: plan.status() == Some(PlanStatus::Published),
        ctx,
    });
    *res.status_mut() = status;
    res
}

/// `GET /cabinet/plan/{org}/{year}/items/{id}/edit`.
pub async fn edit_form(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((org, year, id)): Path<(i32, i32, i32)>,
) -> AppResult<Response> {
    let (_, plan, item) = editable(&state, &ctx, org, year, id).await?;
    let form = ItemForm::from_item(&item.item);
    Ok(edit_page(ctx, &plan, &item, form, FormErrors::default()))
}

/// `POST /cabinet/plan/{org}/{year}/items/{id}/edit`.
pub async fn update_item(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((org, year, id)): Path<(i32, i32, i32)>,
    Form(form): Form<ItemForm>,
) -> AppResult<Response> {
    let (actor, plan, item) = editable(&state, &ctx, org, year, id).await?;
    let result = match form.to_input(plan.status() == Some(PlanStatus::Published)) {
        Ok(input) => plans::update_item(&state.db, &actor, org, year, id, &input).await.map_err(store_errors),
        Err(errors) => Err(Ok(errors)),
    };
    match result {
        Ok(_) => Ok(back(org, year, "updated")),
        Err(errors) => Ok(edit_page(ctx, &plan, &item, form, errors?)),
    }
}

/// The progress report form as typed.
#[derive(Deserialize, Default, Clone)]
pub struct ProgressForm {
    done_on: Option<String>,
    what_done: Option<String>,
    details: Option<String>,
    complete: Option<String>,
}

impl ProgressForm {
    fn to_input(&self) -> Result<ProgressInput, FormErrors> {
        let mut errors = Vec::new();
        let done_on = parse_day(&self.done_on).unwrap_or_else(|()| {
            errors.push(FieldError { field: "done_on", code: "date" });
            None
        });
        let input = ProgressInput {
            done_on,
            what_done: self.what_done.clone(),
            details: self.details.clone(),
            complete: confirmed(&self.complete),
        };
        for e in input.validate(plans::today()) {
            if !errors.iter().any(|x| x.field == e.field) {
                errors.push(e);
            }
        }
        if errors.is_empty() { Ok(input) } else { Err(form_errors(&errors)) }
    }
}

#[derive(Template)]
#[template(path = "plans/progress.html")]
struct ProgressPage {
    ctx: Ctx,
    head: Head,
    item: ItemView,
    form: ProgressForm,
    errors: FormErrors,
}

fn progress_page(ctx: Ctx, plan: &Plan, item: &ItemRow, form: ProgressForm, errors: FormErrors) -> Response {
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let mut res = page(&ProgressPage { head: Head::new(plan), item: ItemView::new(0, item), form, errors, ctx });
    *res.status_mut() = status;
    res
}

/// `GET /cabinet/plan/{org}/{year}/items/{id}/progress`.
pub async fn progress_form(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((org, year, id)): Path<(i32, i32, i32)>,
) -> AppResult<Response> {
    let (_, plan, item) = editable(&state, &ctx, org, year, id).await?;
    let form = ProgressForm { done_on: Some(plans::iso_date(plans::today())), ..ProgressForm::default() };
    Ok(progress_page(ctx, &plan, &item, form, FormErrors::default()))
}

/// `POST /cabinet/plan/{org}/{year}/items/{id}/progress`.
pub async fn add_progress(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((org, year, id)): Path<(i32, i32, i32)>,
    Form(form): Form<ProgressForm>,
) -> AppResult<Response> {
    let (actor, plan, item) = editable(&state, &ctx, org, year, id).await?;
    let result = match form.to_input() {
        Ok(input) => plans::add_progress(&state.db, &actor, org, year, id, &input).await.map_err(store_errors),
        Err(errors) => Err(Ok(errors)),
    };
    match result {
        Ok(_) => Ok(back(org, year, "reported")),
        Err(errors) => Ok(progress_page(ctx, &plan, &item, form, errors?)),
    }
}

fn confirm_page(ctx: Ctx, org: i32, year: i32, item: &ItemRow) -> Response {
    page(&Confirm {
        title: nok_i18n::t("plan-delete-title"),
        question: nok_i18n::t("plan-delete-question"),
        details: vec![
            (nok_i18n::t("plan-field-shortcoming"), item.item.shortcoming.clone()),
            (nok_i18n::t("plan-field-measure"), item.item.measure.clone().unwrap_or_default()),
            (nok_i18n::t("plan-col-reports"), item.progress.len().to_string()),
        ],
        action: format!("{}/items/{}/delete", base(org, year), item.item.id),
        fields: vec![("confirmed".into(), "1".into())],
        confirm_label: nok_i18n::t("plan-delete-confirm"),
        danger: true,
        cancel_href: format!("{}#items", base(org, year)),
        ctx,
    })
}

/// `GET /cabinet/plan/{org}/{year}/items/{id}/delete`: asks first.
pub async fn confirm_delete(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((org, year, id)): Path<(i32, i32, i32)>,
) -> AppResult<Response> {
    let (_, _, item) = editable(&state, &ctx, org, year, id).await?;
    Ok(confirm_page(ctx, org, year, &item))
}

#[derive(Deserialize, Default)]
pub struct DeleteForm {
    confirmed: Option<String>,
}

/// `POST /cabinet/plan/{org}/{year}/items/{id}/delete`: removes the item once confirmed.
pub async fn delete_item(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((org, year, id)): Path<(i32, i32, i32)>,
    Form(form): Form<DeleteForm>,
) -> AppResult<Response> {
    let (actor, _, item) = editable(&state, &ctx, org, year, id).await?;
    if !confirmed(&form.confirmed) {
        return Ok(confirm_page(ctx, org, year, &item));
    }
    plans::delete_item(&state.db, &actor, org, year, id).await?;
    Ok(back(org, year, "deleted"))
}
