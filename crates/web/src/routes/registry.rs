//! The registry in the cabinets: list with search, filters, sorting and pagination; the card with its
//! history; create, edit, deactivate (with confirmation); import with a per-row report; export.

use crate::ctx::Ctx;
use crate::error::{AppError, AppResult};
use crate::render::page;
use crate::state::AppState;
use crate::views::{self, OrgForm, OrgRow, Pager, SortLink};
use askama::Template;
use axum::extract::{Multipart, Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Form, Router};
use nok_registry::record::OrganizationRecord;
use nok_store::repo::import::{ImportOptions, ImportReport};
use nok_store::repo::organizations::{self, OrgQuery, SortKey};
use nok_store::repo::{audit::HistoryEntry, reference};
use serde::Deserialize;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/cabinet", get(cabinet))
        .route("/registry", get(list).post(create))
        .route("/registry/new", get(new_form))
        .route("/registry/import", get(import_form).post(import))
        .route("/registry/export/{format}", get(export))
        .route("/registry/{id}", get(card).post(update))
        .route("/registry/{id}/edit", get(edit_form))
        .route("/registry/{id}/active", get(confirm_active).post(set_active))
}

async fn cabinet(ctx: Ctx) -> AppResult<Response> {
    ctx.require_user()?;
    Ok(Redirect::to("/registry").into_response())
}

#[derive(Deserialize, Default, Clone)]
pub struct ListQuery {
    pub q: Option<String>,
    pub region: Option<String>,
    pub sphere: Option<String>,
    pub sort: Option<SortKey>,
    pub dir: Option<String>,
    pub page: Option<u64>,
    pub inactive: Option<String>,
}

fn non_empty(s: &Option<String>) -> Option<String> {
    s.as_ref().map(|v| v.trim().to_string()).filter(|v| !v.is_empty())
}

impl ListQuery {
    fn to_store(&self, per_page: u64) -> OrgQuery {
        OrgQuery {
            q: non_empty(&self.q),
            region_code: non_empty(&self.region),
            sphere: non_empty(&self.sphere),
            authority_id: None,
            include_inactive: self.inactive.as_deref() == Some("1"),
            sort: self.sort.unwrap_or_default(),
            descending: self.dir.as_deref() == Some("desc"),
            page: self.page.unwrap_or(1),
            per_page,
        }
    }

    /// The query string for these filters with another sort or page.
    pub fn href(&self, sort: Option<SortKey>, dir: Option<&str>, page: Option<u64>) -> String {
        let mut pairs: Vec<(&str, String)> = Vec::new();
        for (k, v) in [("q", &self.q), ("region", &self.region), ("sphere", &self.sphere), ("inactive", &self.inactive)]
        {
            if let Some(v) = non_empty(v) {
                pairs.push((k, v));
            }
        }
        if let Some(s) = sort.or(self.sort) {
            pairs.push((
                "sort",
                serde_json::to_value(s).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default(),
            ));
        }
        if let Some(d) = dir.map(str::to_string).or_else(|| self.dir.clone()) {
            pairs.push(("dir", d));
        }
        if let Some(p) = page {
            pairs.push(("page", p.to_string()));
        }
        serde_urlencoded::to_string(&pairs).unwrap_or_default()
    }
}

#[derive(Template)]
#[template(path = "registry/list.html")]
struct ListPage {
    ctx: Ctx,
    query: ListQuery,
    rows: Vec<OrgRow>,
    total: u64,
    pager: Pager,
    sort_links: Vec<SortLink>,
    regions: Vec<(String, String)>,
    spheres: Vec<(String, String)>,
    export_query: String,
}

const PER_PAGE: u64 = 25;

async fn list(State(state): State<AppState>, ctx: Ctx, Query(query): Query<ListQuery>) -> AppResult<Response> {
    let actor = ctx.require_user()?.clone();
    let page_data = organizations::list(&state.db.read, &actor, &query.to_store(PER_PAGE)).await?;
    let regions = views::region_options(&state).await?;
    let rows = page_data.items.iter().map(|m| OrgRow::new(m, &regions)).collect();
    let sort_links = views::sort_links(&query);
    let pager =
        Pager::new(page_data.page, page_data.pages(), |p| format!("/registry?{}", query.href(None, None, Some(p))));
    Ok(page(&ListPage {
        export_query: query.href(None, None, None),
        ctx,
        total: page_data.total,
        rows,
        pager,
        sort_links,
        regions,
        spheres: views::sphere_options(),
        query,
    }))
}

#[derive(Template)]
#[template(path = "registry/card.html")]
struct CardPage {
    ctx: Ctx,
    org: nok_store::entities::organization::Model,
    region_name: String,
    sphere_name: String,
    authority_name: String,
    history: Vec<views::HistoryRow>,
    may_edit: bool,
}

async fn card(State(state): State<AppState>, ctx: Ctx, Path(id): Path<i32>) -> AppResult<Response> {
    let actor = ctx.require_user()?.clone();
    let org = organizations::get(&state.db.read, &actor, id).await?;
    let history: Vec<HistoryEntry> = organizations::history(&state.db, &actor, id).await?;
    let regions = views::region_options(&state).await?;
    let authority_name = match org.authority_id {
        Some(a) => reference::authority_by_id(&state.db.read, a).await?.map(|a| a.name).unwrap_or_default(),
        None => String::new(),
    };
    Ok(page(&CardPage {
        region_name: views::region_name(&regions, &org.region_code),
        sphere_name: views::sphere_name(&org.sphere),
        authority_name,
        history: history.into_iter().map(views::HistoryRow::from).collect(),
        may_edit: actor.may_edit_card(),
        ctx,
        org,
    }))
}

#[derive(Template)]
#[template(path = "registry/form.html")]
struct FormPage {
    ctx: Ctx,
    /// `None` when creating.
    id: Option<i32>,
    form: OrgForm,
    errors: Vec<views::FieldErrorView>,
    regions: Vec<(String, String)>,
    spheres: Vec<(String, String)>,
    authorities: Vec<(String, String)>,
    staff_only: bool,
}

async fn form_page(
    state: &AppState,
    ctx: Ctx,
    id: Option<i32>,
    form: OrgForm,
    errors: Vec<views::FieldErrorView>,
) -> AppResult<Response> {
    let actor = ctx.require_user()?.clone();
    let authorities =
        reference::authorities(&state.db.read, &actor).await?.into_iter().map(|a| (a.code, a.name)).collect();
    let status =
        if errors.is_empty() { axum::http::StatusCode::OK } else { axum::http::StatusCode::UNPROCESSABLE_ENTITY };
    let mut res = page(&FormPage {
        staff_only: actor.role == nok_store::Role::Staff,
        regions: views::region_options(state).await?,
        spheres: views::sphere_options(),
        authorities,
        ctx,
        id,
        form,
        errors,
    });
    *res.status_mut() = status;
    Ok(res)
}

async fn new_form(State(state): State<AppState>, ctx: Ctx) -> AppResult<Response> {
    if !ctx.require_user()?.may_edit_registry() {
        return Err(AppError::Forbidden);
    }
    form_page(&state, ctx, None, OrgForm::default(), vec![]).await
}

async fn create(State(state): State<AppState>, ctx: Ctx, Form(form): Form<OrgForm>) -> AppResult<Response> {
    let actor = ctx.require_user()?.clone();
    let rec = match form.to_record() {
        Ok(rec) => rec,
        Err(errors) => return form_page(&state, ctx, None, form, errors).await,
    };
    match organizations::create(&state.db, &actor, &rec).await {
        Ok(m) => Ok(Redirect::to(&format!("/registry/{}", m.id)).into_response()),
        Err(e @ (nok_store::StoreError::Invalid(_) | nok_store::StoreError::Conflict(_))) => {
            form_page(&state, ctx, None, form, vec![views::FieldErrorView::from_store(&e)]).await
        }
        Err(e) => Err(e.into()),
    }
}

async fn edit_form(State(state): State<AppState>, ctx: Ctx, Path(id): Path<i32>) -> AppResult<Response> {
    let actor = ctx.require_user()?.clone();
    if !actor.may_edit_card() {
        return Err(AppError::Forbidden);
    }
    let org = organizations::get(&state.db.read, &actor, id).await?;
    let authority = match org.authority_id {
        Some(a) => reference::authority_by_id(&state.db.read, a).await?.map(|a| a.code),
        None => None,
    };
    let form = OrgForm::from_record(&organizations::to_record(&org, authority));
    form_page(&state, ctx, Some(id), form, vec![]).await
}

async fn update(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i32>,
    Form(form): Form<OrgForm>,
) -> AppResult<Response> {
    let actor = ctx.require_user()?.clone();
    let rec: OrganizationRecord = match form.to_record() {
        Ok(rec) => rec,
        Err(errors) => return form_page(&state, ctx, Some(id), form, errors).await,
    };
    match organizations::update(&state.db, &actor, id, &rec).await {
        Ok(_) => Ok(Redirect::to(&format!("/registry/{id}")).into_response()),
        Err(e @ (nok_store::StoreError::Invalid(_) | nok_store::StoreError::Conflict(_))) => {
            form_page(&state, ctx, Some(id), form, vec![views::FieldErrorView::from_store(&e)]).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "registry/confirm_active.html")]
struct ConfirmActivePage {
    ctx: Ctx,
    org: nok_store::entities::organization::Model,
}

async fn confirm_active(State(state): State<AppState>, ctx: Ctx, Path(id): Path<i32>) -> AppResult<Response> {
    let actor = ctx.require_user()?.clone();
    if !actor.may_edit_registry() {
        return Err(AppError::Forbidden);
    }
    let org = organizations::get(&state.db.read, &actor, id).await?;
    Ok(page(&ConfirmActivePage { ctx, org }))
}

#[derive(Deserialize)]
struct ActiveForm {
    active: String,
}

async fn set_active(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i32>,
    Form(f): Form<ActiveForm>,
) -> AppResult<Response> {
    let actor = ctx.require_user()?.clone();
    organizations::set_active(&state.db, &actor, id, f.active == "1").await?;
    Ok(Redirect::to(&format!("/registry/{id}")).into_response())
}

#[derive(Template)]
#[template(path = "registry/import.html")]
struct ImportPage {
    ctx: Ctx,
    report: Option<ImportReport>,
    file_error: Option<String>,
    errors: Vec<views::RowErrorView>,
}

async fn import_form(ctx: Ctx) -> AppResult<Response> {
    if !ctx.require_user()?.may_edit_registry() {
        return Err(AppError::Forbidden);
    }
    Ok(page(&ImportPage { ctx, report: None, file_error: None, errors: vec![] }))
}

async fn import(State(state): State<AppState>, ctx: Ctx, mut multipart: Multipart) -> AppResult<Response> {
    let actor = ctx.require_user()?.clone();
    if !actor.may_edit_registry() {
        return Err(AppError::Forbidden);
    }
    let mut skip_invalid = false;
    let mut upload: Option<(String, tempfile::NamedTempFile)> = None;
    while let Some(mut field) = multipart.next_field().await.map_err(|e| AppError::BadRequest(e.to_string()))? {
        match field.name() {
            Some("skip_invalid") => skip_invalid = field.text().await.unwrap_or_default() == "1",
            Some("file") => {
                let name = field.file_name().unwrap_or("upload").to_string();
                let mut tmp = tempfile::NamedTempFile::new().map_err(|e| AppError::Internal(e.to_string()))?;
                // Stream the upload to disk: a 50 MB file never sits in memory.
                while let Some(chunk) = field.chunk().await.map_err(|e| AppError::BadRequest(e.to_string()))? {
                    std::io::Write::write_all(&mut tmp, &chunk).map_err(|e| AppError::Internal(e.to_string()))?;
                }
                upload = Some((name, tmp));
            }
            _ => {}
        }
    }
    let Some((name, tmp)) = upload else {
        return Ok(page(&ImportPage {
            ctx,
            report: None,
            file_error: Some(nok_i18n::t("import-no-file")),
            errors: vec![],
        }));
    };
    let outcome =
        crate::registry_io::import_file(&state, &actor, tmp.path(), &name, &ImportOptions { skip_invalid }).await?;
    match outcome {
        Err(file_error) => Ok(page(&ImportPage { ctx, report: None, file_error: Some(file_error), errors: vec![] })),
        Ok(report) => {
            let errors = report.errors.iter().map(views::RowErrorView::from).collect();
            Ok(page(&ImportPage { ctx, report: Some(report), file_error: None, errors }))
        }
    }
}

async fn export(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(format): Path<String>,
    Query(query): Query<ListQuery>,
) -> AppResult<Response> {
    let actor = ctx.require_user()?.clone();
    let include_inactive = query.inactive.as_deref() == Some("1");
    let (bytes, mime) = crate::registry_io::export_bytes(&state, &actor, &format, include_inactive).await?;
    Ok(crate::portal::export::attachment(bytes, mime, &format!("organizations.{format}")))
}
