//! Pages that change one item: edit it, report progress on it, remove it (asked first).

use super::forms::{Choices, ItemForm, ProgressForm, store_errors};
use super::{Head, ItemView, back, base};
use crate::ctx::Ctx;
use crate::error::{AppError, AppResult};
use crate::render::page;
use crate::routes::feedback::{Confirm, FormErrors, confirmed};
use crate::state::AppState;
use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use nok_store::Actor;
use nok_store::repo::improvement_plans::{self as plans, ItemRow, Plan, PlanStatus};
use serde::Deserialize;

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
