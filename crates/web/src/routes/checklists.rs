//! Operator checklists in the cabinet: one form per organisation and assessment year with a fieldset
//! per section and a checkbox per item (for remote channels: shown on the website / tried and
//! working), a comment and an evidence note per item, the waiting time where the sphere measures it;
//! the resulting shortcomings for the improvement plan; the change history; XLSX export and import.
//! Who may see or record what is decided by the store. Sections using a region's own 1.1 list say so.
//!
//! | module | owns |
//! |---|---|
//! | `xlsx` | the checklist as a workbook and back |
//! | `lists` | `/cabinet/checklist-lists`: the authority's regional 1.1 lists |
//! | `evidence` | `/cabinet/checklists/{org}/{year}/evidence`: files attached to items |

mod evidence;
mod lists;
mod xlsx;

use crate::ctx::Ctx;
use crate::error::{AppError, AppResult};
use crate::portal::export::{XLSX_MIME, attachment};
use crate::render::page;
use crate::state::AppState;
use crate::views::HistoryRow;
use askama::Template;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use nok_methodology::ChecklistSection;
use nok_store::StoreError;
use nok_store::repo::checklist_evidence::{self, EvidenceFile};
use nok_store::repo::checklists::{self, Checklist, ChecklistInput, ItemInput};
use serde::Deserialize;
use std::collections::HashMap;

pub use xlsx::{section_title, section_title_id};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/cabinet/checklists/{org_id}/{year}", get(show).post(save))
        .route("/cabinet/checklists/{org_id}/{year}/export.xlsx", get(export))
        .route("/cabinet/checklists/{org_id}/{year}/import", post(import))
        .merge(lists::routes())
        .merge(evidence::routes())
}

/// The checklist page of an organisation for a year.
pub fn href(organization_id: i32, year: i32) -> String {
    format!("/cabinet/checklists/{organization_id}/{year}")
}

struct ItemView {
    id: String,
    /// The id as an HTML id fragment.
    html_id: String,
    name: String,
    present: bool,
    tried: bool,
    comment: String,
    evidence: String,
    /// Attached files: `(download link, name)`.
    files: Vec<(String, String)>,
}

struct SectionView {
    title: String,
    /// The items are the region's own list.
    regional: bool,
    indicator: String,
    remote: bool,
    counted: usize,
    items: Vec<ItemView>,
}

struct ShortcomingView {
    criterion: String,
    indicator: String,
    name: String,
    comment: String,
}

#[derive(Template)]
#[template(path = "checklists/form.html")]
struct FormPage {
    ctx: Ctx,
    org_id: i32,
    org_name: String,
    sphere: String,
    year: i32,
    methodology: String,
    recorded: bool,
    updated: String,
    may_edit: bool,
    sections: Vec<SectionView>,
    takes_waiting: bool,
    waiting_days: String,
    waiting_points: String,
    waiting_hint: String,
    shortcomings: Vec<ShortcomingView>,
    history: Vec<HistoryRow>,
    notice: Option<String>,
    error: Option<String>,
}

fn sections(c: &Checklist, files: &[EvidenceFile]) -> Vec<SectionView> {
    c.sections
        .iter()
        .map(|s| SectionView {
            title: section_title(s),
            regional: s.regional,
            indicator: s.indicator.clone().unwrap_or_default(),
            remote: s.section == ChecklistSection::Remote,
            counted: s.items.iter().filter(|i| i.counts(s.section)).count(),
            items: s
                .items
                .iter()
                .map(|i| ItemView {
                    id: i.item.id.clone(),
                    html_id: i.item.id.replace(|ch: char| !ch.is_ascii_alphanumeric(), "-"),
                    name: i.item.name_ru.clone(),
                    present: i.present,
                    tried: i.tried,
                    comment: i.comment.clone(),
                    evidence: i.evidence.clone(),
                    files: files
                        .iter()
                        .filter(|f| f.item_id == i.item.id)
                        .map(|f| (evidence::file_href(c.organization.id, c.year, f.id), f.file_name.clone()))
                        .collect(),
                })
                .collect(),
        })
        .collect()
}

/// Puts a refused submission's values back into the form.
fn refill(sections: &mut [SectionView], input: &ChecklistInput) {
    let given: HashMap<&str, &ItemInput> = input.items.iter().map(|i| (i.item_id.as_str(), i)).collect();
    for item in sections.iter_mut().flat_map(|s| s.items.iter_mut()) {
        let g = given.get(item.id.as_str());
        item.present = g.is_some_and(|g| g.present);
        item.tried = g.is_some_and(|g| g.tried);
        item.comment = g.and_then(|g| g.comment.clone()).unwrap_or_default();
        item.evidence = g.and_then(|g| g.evidence.clone()).unwrap_or_default();
    }
}

fn decimal(v: Option<f64>) -> String {
    v.map(|v| nok_i18n::format_decimal(v, 2).trim_end_matches('0').trim_end_matches(',').to_owned()).unwrap_or_default()
}

async fn form_page(state: &AppState, ctx: Ctx, c: Checklist, notice: Option<String>) -> AppResult<FormPage> {
    let actor = ctx.require_user()?.clone();
    let history = checklists::history(&state.db.read, &actor, c.organization.id, c.year).await?;
    let files = checklist_evidence::list(&state.db.read, &actor, c.organization.id, c.year).await?;
    let shortcomings = if c.recorded.is_some() {
        c.shortcomings()
            .into_iter()
            .map(|s| ShortcomingView {
                criterion: s.shortcoming.criterion,
                indicator: s.shortcoming.indicator,
                name: s.shortcoming.name_ru,
                comment: s.comment,
            })
            .collect()
    } else {
        Vec::new()
    };
    let waiting_hint = c
        .definition
        .waiting_scale(c.sphere)
        .map(|s| nok_i18n::t!("cl-waiting-days-hint", norm = decimal(Some(s.norm_days))))
        .unwrap_or_default();
    Ok(FormPage {
        org_id: c.organization.id,
        org_name: c.organization.short_name.clone(),
        sphere: c.sphere.name_ru().to_owned(),
        year: c.year,
        methodology: format!("{} — {}", c.definition.id, c.definition.title_ru),
        recorded: c.recorded.is_some(),
        updated: c
            .recorded
            .as_ref()
            .map(|r| {
                format!(
                    "{}, {}",
                    nok_i18n::format_datetime(nok_store::time_util::to_datetime(r.updated_at)),
                    r.updated_by
                )
            })
            .unwrap_or_default(),
        may_edit: c.may_edit,
        sections: sections(&c, &files),
        takes_waiting: c.takes_waiting_time(),
        waiting_days: decimal(c.waiting_days),
        waiting_points: decimal(c.waiting_points),
        waiting_hint,
        shortcomings,
        history: history.into_iter().map(HistoryRow::from).collect(),
        notice,
        error: None,
        ctx,
    })
}

#[derive(Deserialize, Default)]
struct ShowQuery {
    saved: Option<String>,
    imported: Option<String>,
}

async fn show(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((org_id, year)): Path<(i32, i32)>,
    Query(q): Query<ShowQuery>,
) -> AppResult<Response> {
    let actor = ctx.require_user()?.clone();
    let c = checklists::get(&state.db.read, &actor, org_id, year).await?;
    let notice = if q.saved.is_some() {
        Some(nok_i18n::t("cl-saved"))
    } else if q.imported.is_some() {
        Some(nok_i18n::t("cl-import-done"))
    } else {
        None
    };
    Ok(page(&form_page(&state, ctx, c, notice).await?))
}

/// A form field `present:<item id>` etc. turned into a checklist input.
fn input_from_form(fields: &[(String, String)]) -> Result<ChecklistInput, String> {
    let mut items: Vec<ItemInput> = Vec::new();
    let mut input = ChecklistInput::default();
    fn item(items: &mut Vec<ItemInput>, id: &str) -> usize {
        match items.iter().position(|i| i.item_id == id) {
            Some(i) => i,
            None => {
                items.push(ItemInput { item_id: id.to_owned(), ..ItemInput::default() });
                items.len() - 1
            }
        }
    }
    for (name, value) in fields {
        let value = value.trim();
        if let Some(id) = name.strip_prefix("item:") {
            item(&mut items, id);
        } else if let Some(id) = name.strip_prefix("present:") {
            let i = item(&mut items, id);
            items[i].present = true;
        } else if let Some(id) = name.strip_prefix("tried:") {
            let i = item(&mut items, id);
            items[i].tried = true;
        } else if let Some(id) = name.strip_prefix("comment:") {
            let i = item(&mut items, id);
            items[i].comment = Some(value.to_owned()).filter(|v| !v.is_empty());
        } else if let Some(id) = name.strip_prefix("evidence:") {
            let i = item(&mut items, id);
            items[i].evidence = Some(value.to_owned()).filter(|v| !v.is_empty());
        } else if name == "waiting_days" && !value.is_empty() {
            let days = value
                .replace(',', ".")
                .parse::<f64>()
                .map_err(|_| format!("{}: {}", nok_i18n::t("cl-waiting-days"), nok_i18n::t("cl-xlsx-number")))?;
            input.waiting_days = Some(days);
        }
    }
    input.items = items;
    Ok(input)
}

async fn save(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((org_id, year)): Path<(i32, i32)>,
    Form(fields): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let actor = ctx.require_user()?.clone();
    let input = match input_from_form(&fields) {
        Ok(input) => input,
        Err(message) => return refused(&state, ctx, org_id, year, &ChecklistInput::default(), message).await,
    };
    match checklists::save(&state.db, &actor, org_id, year, &input).await {
        Ok(_) => Ok(Redirect::to(&format!("{}?saved=1", href(org_id, year))).into_response()),
        Err(StoreError::Invalid(message) | StoreError::Conflict(message)) => {
            refused(&state, ctx, org_id, year, &input, message).await
        }
        Err(e) => Err(e.into()),
    }
}

/// The form again with the submitted values and the reason, status 422.
async fn refused(
    state: &AppState,
    ctx: Ctx,
    org_id: i32,
    year: i32,
    input: &ChecklistInput,
    message: String,
) -> AppResult<Response> {
    let actor = ctx.require_user()?.clone();
    let c = checklists::get(&state.db.read, &actor, org_id, year).await?;
    let mut p = form_page(state, ctx, c, None).await?;
    refill(&mut p.sections, input);
    p.waiting_days = decimal(input.waiting_days);
    p.error = Some(message);
    let mut res = page(&p);
    *res.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    Ok(res)
}

async fn export(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((org_id, year)): Path<(i32, i32)>,
) -> AppResult<Response> {
    let actor = ctx.require_user()?.clone();
    let c = checklists::get(&state.db.read, &actor, org_id, year).await?;
    let bytes = xlsx::write(&c)?;
    let filename = format!("checklist-{}-{year}.xlsx", c.organization.public_id);
    Ok(attachment(bytes, XLSX_MIME, &filename))
}

/// Largest accepted checklist workbook.
const MAX_XLSX_BYTES: usize = 5 * 1024 * 1024;

async fn import(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((org_id, year)): Path<(i32, i32)>,
    mut multipart: Multipart,
) -> AppResult<Response> {
    let actor = ctx.require_user()?.clone();
    let mut bytes = Vec::new();
    while let Some(mut field) = multipart.next_field().await.map_err(|e| AppError::BadRequest(e.to_string()))? {
        if field.name() != Some("file") {
            continue;
        }
        while let Some(chunk) = field.chunk().await.map_err(|e| AppError::BadRequest(e.to_string()))? {
            bytes.extend_from_slice(&chunk);
            if bytes.len() > MAX_XLSX_BYTES {
                return Err(AppError::BadRequest(nok_i18n::t("error-413-text")));
            }
        }
    }
    let c = checklists::get(&state.db.read, &actor, org_id, year).await?;
    if !c.may_edit {
        return Err(AppError::Forbidden);
    }
    if bytes.is_empty() {
        return refused(&state, ctx, org_id, year, &ChecklistInput::default(), nok_i18n::t("cl-import-no-file")).await;
    }
    let input = match xlsx::read(&bytes, &c) {
        Ok(input) => input,
        Err(message) => return refused(&state, ctx, org_id, year, &ChecklistInput::default(), message).await,
    };
    match checklists::save(&state.db, &actor, org_id, year, &input).await {
        Ok(_) => Ok(Redirect::to(&format!("{}?imported=1", href(org_id, year))).into_response()),
        Err(StoreError::Invalid(message) | StoreError::Conflict(message)) => {
            refused(&state, ctx, org_id, year, &input, message).await
        }
        Err(e) => Err(e.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::input_from_form;

    #[test]
    fn form_fields_become_items() {
        let f = |k: &str, v: &str| (k.to_owned(), v.to_owned());
        let input = input_from_form(&[
            f("csrf", "x"),
            f("item:comfort.water", ""),
            f("present:comfort.water", "1"),
            f("comment:comfort.water", "  кулер  "),
            f("item:remote.phone", ""),
            f("tried:remote.phone", "1"),
            f("evidence:remote.phone", ""),
            f("waiting_days", "7,5"),
        ])
        .unwrap();
        assert_eq!(input.items.len(), 2);
        assert!(input.items[0].present && !input.items[0].tried);
        assert_eq!(input.items[0].comment.as_deref(), Some("кулер"));
        assert!(!input.items[1].present && input.items[1].tried);
        assert_eq!(input.items[1].evidence, None);
        assert_eq!(input.waiting_days, Some(7.5));
        assert!(input_from_form(&[f("waiting_days", "семь")]).is_err());
    }
}
