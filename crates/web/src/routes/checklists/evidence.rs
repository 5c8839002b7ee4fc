//! Evidence files of a checklist: `/cabinet/checklists/{org}/{year}/evidence` lists the files by item
//! and, for those who may record the checklist, takes a new one through a multipart form that works
//! without JavaScript (the item is chosen in the same form). A refused file comes back with the reason
//! naming the item. Each file downloads as an attachment with its stored type; removal asks first.
//! What is accepted and who may see what is decided by the store.

use super::href;
use crate::ctx::Ctx;
use crate::error::{AppError, AppResult};
use crate::portal::export::attachment;
use crate::render::page;
use crate::routes::feedback::{Confirm, confirmed, datetime};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Form, Router};
use nok_store::repo::checklist_evidence::{self, EvidenceFile, EvidenceRejection, NewFile};
use nok_store::repo::checklists::{self, Checklist};
use serde::Deserialize;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/cabinet/checklists/{org_id}/{year}/evidence", get(show).post(upload))
        .route("/cabinet/checklists/{org_id}/{year}/evidence/{file_id}", get(download))
        .route("/cabinet/checklists/{org_id}/{year}/evidence/{file_id}/delete", get(confirm_delete).post(delete))
}

fn page_href(organization_id: i32, year: i32) -> String {
    format!("{}/evidence", href(organization_id, year))
}

/// Where a file downloads.
pub fn file_href(organization_id: i32, year: i32, file_id: i32) -> String {
    format!("{}/{file_id}", page_href(organization_id, year))
}

struct ItemOption {
    id: String,
    name: String,
    selected: bool,
}

struct SectionOptions {
    title: String,
    items: Vec<ItemOption>,
}

struct FileRow {
    item: String,
    name: String,
    href: String,
    delete_href: String,
    size: String,
    content_type: String,
    uploaded: String,
}

#[derive(Template)]
#[template(path = "checklists/evidence.html")]
struct EvidencePage {
    ctx: Ctx,
    org_id: i32,
    org_name: String,
    year: i32,
    lead: String,
    recorded: bool,
    may_edit: bool,
    sections: Vec<SectionOptions>,
    files: Vec<FileRow>,
    notice: Option<String>,
    error: Option<String>,
}

/// The name of an item of the checklist (the id when it is not in the lists any more).
fn item_name(c: &Checklist, item_id: &str) -> String {
    c.sections
        .iter()
        .flat_map(|s| &s.items)
        .find(|i| i.item.id == item_id)
        .map_or_else(|| item_id.to_owned(), |i| i.item.name_ru.clone())
}

/// A size limit in words: whole mebibytes, else kibibytes (rounded up).
fn limit(bytes: usize) -> String {
    const MIB: usize = 1024 * 1024;
    if bytes >= MIB && bytes.is_multiple_of(MIB) {
        nok_i18n::t!("cle-size-mib", n = bytes / MIB)
    } else {
        nok_i18n::t!("cle-size-kib", n = bytes.div_ceil(1024))
    }
}

fn file_row(c: &Checklist, f: EvidenceFile) -> FileRow {
    let (org, year) = (c.organization.id, c.year);
    FileRow {
        item: item_name(c, &f.item_id),
        href: file_href(org, year, f.id),
        delete_href: format!("{}/delete", file_href(org, year, f.id)),
        size: nok_i18n::t!("cle-size-kib", n = nok_i18n::format_int((f.size + 1023) / 1024)),
        content_type: f.content_type,
        uploaded: format!("{}, {}", datetime(f.uploaded_at), f.uploaded_by),
        name: f.file_name,
    }
}

async fn evidence_page(
    state: &AppState,
    ctx: Ctx,
    c: &Checklist,
    selected: Option<&str>,
    notice: Option<String>,
    error: Option<String>,
) -> AppResult<EvidencePage> {
    let actor = ctx.require_user()?.clone();
    let files = checklist_evidence::list(&state.db.read, &actor, c.organization.id, c.year).await?;
    let sections = c
        .sections
        .iter()
        .map(|s| SectionOptions {
            title: super::section_title(s),
            items: s
                .items
                .iter()
                .map(|i| ItemOption {
                    id: i.item.id.clone(),
                    name: i.item.name_ru.clone(),
                    selected: selected == Some(i.item.id.as_str()),
                })
                .collect(),
        })
        .collect();
    Ok(EvidencePage {
        org_id: c.organization.id,
        org_name: c.organization.short_name.clone(),
        year: c.year,
        lead: nok_i18n::t!("cle-lead", max = limit(state.config.evidence_max_bytes)),
        recorded: c.recorded.is_some(),
        may_edit: c.may_edit,
        sections,
        files: files.into_iter().map(|f| file_row(c, f)).collect(),
        notice,
        error,
        ctx,
    })
}

#[derive(Deserialize, Default)]
struct ShowQuery {
    item: Option<String>,
    uploaded: Option<String>,
    deleted: Option<String>,
}

async fn show(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((org_id, year)): Path<(i32, i32)>,
    Query(q): Query<ShowQuery>,
) -> AppResult<Response> {
    let actor = ctx.require_user()?.clone();
    let c = checklists::get(&state.db.read, &actor, org_id, year).await?;
    let notice = match (&q.uploaded, &q.deleted) {
        (Some(_), _) => Some(nok_i18n::t("cle-uploaded")),
        (_, Some(_)) => Some(nok_i18n::t("cle-deleted")),
        _ => None,
    };
    Ok(page(&evidence_page(&state, ctx, &c, q.item.as_deref(), notice, None).await?))
}

/// The fields of the upload form.
#[derive(Default)]
struct Upload {
    item_id: String,
    file_name: String,
    bytes: Vec<u8>,
    /// More than `max` bytes were sent (the rest was read and dropped).
    too_large: bool,
}

/// Reads the upload form, keeping at most `max` bytes of the file.
async fn read_upload(multipart: &mut Multipart, max: usize) -> AppResult<Upload> {
    let bad = |e: axum::extract::multipart::MultipartError| AppError::BadRequest(e.to_string());
    let mut out = Upload::default();
    while let Some(mut field) = multipart.next_field().await.map_err(bad)? {
        match field.name() {
            Some("item") => out.item_id = field.text().await.map_err(bad)?.trim().to_owned(),
            Some("file") => {
                out.file_name = field.file_name().unwrap_or_default().to_owned();
                while let Some(chunk) = field.chunk().await.map_err(bad)? {
                    if out.too_large || out.bytes.len() + chunk.len() > max {
                        out.too_large = true;
                        out.bytes.clear();
                    } else {
                        out.bytes.extend_from_slice(&chunk);
                    }
                }
            }
            _ => {}
        }
    }
    Ok(out)
}

/// The Russian reason for a refused file, naming the file and the item.
fn rejection_message(c: &Checklist, upload: &Upload, r: EvidenceRejection, max: usize) -> String {
    let item = if upload.item_id.is_empty() { nok_i18n::t("cle-no-item") } else { item_name(c, &upload.item_id) };
    let reason = nok_i18n::t!(&format!("cle-reject-{}", r.code()), max = limit(max));
    nok_i18n::t!("cle-rejected", file = upload.file_name.as_str(), item = item, reason = reason)
}

async fn upload(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((org_id, year)): Path<(i32, i32)>,
    mut multipart: Multipart,
) -> AppResult<Response> {
    let actor = ctx.require_user()?.clone();
    let max = state.config.evidence_max_bytes;
    let form = read_upload(&mut multipart, max).await?;
    let c = checklists::get(&state.db.read, &actor, org_id, year).await?;
    if !c.may_edit {
        return Err(AppError::Forbidden);
    }
    let outcome = if form.too_large {
        Err(EvidenceRejection::TooLarge)
    } else {
        let new = NewFile { item_id: &form.item_id, file_name: &form.file_name, bytes: &form.bytes };
        checklist_evidence::upload(&state.db, &actor, org_id, year, new, max).await?.map(|_| ())
    };
    match outcome {
        Ok(()) => Ok(Redirect::to(&format!("{}?uploaded=1", page_href(org_id, year))).into_response()),
        Err(r) => {
            let message = rejection_message(&c, &form, r, max);
            let p = evidence_page(&state, ctx, &c, Some(&form.item_id), None, Some(message)).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page(&p)).into_response())
        }
    }
}

/// A file name a browser saves without surprises: `evidence-{id}.{jpg|png|pdf}`.
fn download_name(f: &EvidenceFile) -> String {
    let ext = match f.content_type.as_str() {
        "image/jpeg" => "jpg",
        "image/png" => "png",
        _ => "pdf",
    };
    format!("evidence-{}.{ext}", f.id)
}

async fn download(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((org_id, year, file_id)): Path<(i32, i32, i32)>,
) -> AppResult<Response> {
    let actor = ctx.require_user()?.clone();
    let d = checklist_evidence::download(&state.db.read, &actor, org_id, year, file_id).await?;
    Ok(attachment(d.data, &d.file.content_type, &download_name(&d.file)))
}

async fn confirm_delete(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((org_id, year, file_id)): Path<(i32, i32, i32)>,
) -> AppResult<Response> {
    let actor = ctx.require_user()?.clone();
    let c = checklists::get(&state.db.read, &actor, org_id, year).await?;
    if !c.may_edit {
        return Err(AppError::Forbidden);
    }
    let d = checklist_evidence::download(&state.db.read, &actor, org_id, year, file_id).await?;
    Ok(page(&Confirm {
        title: nok_i18n::t("cle-delete-title"),
        question: nok_i18n::t!(
            "cle-delete-question",
            file = d.file.file_name.as_str(),
            item = item_name(&c, &d.file.item_id)
        ),
        details: Vec::new(),
        action: format!("{}/delete", file_href(org_id, year, file_id)),
        fields: vec![("confirmed".into(), "1".into())],
        confirm_label: nok_i18n::t("cle-delete-confirm"),
        danger: true,
        cancel_href: page_href(org_id, year),
        ctx,
    }))
}

#[derive(Deserialize, Default)]
struct DeleteForm {
    confirmed: Option<String>,
}

async fn delete(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((org_id, year, file_id)): Path<(i32, i32, i32)>,
    Form(f): Form<DeleteForm>,
) -> AppResult<Response> {
    let actor = ctx.require_user()?.clone();
    let target = format!("{}/delete", file_href(org_id, year, file_id));
    if !confirmed(&f.confirmed) {
        return Ok(Redirect::to(&target).into_response());
    }
    checklist_evidence::delete(&state.db, &actor, org_id, year, file_id).await?;
    Ok(Redirect::to(&format!("{}?deleted=1", page_href(org_id, year))).into_response())
}
