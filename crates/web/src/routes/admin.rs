//! Administration: accounts with roles and scopes, the audit log.

use crate::ctx::Ctx;
use crate::error::{AppError, AppResult};
use crate::render::page;
use crate::state::AppState;
use crate::views::Pager;
use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use axum::routing::get;
use axum::{Form, Router};
use nok_i18n::format_datetime;
use nok_store::Role;
use nok_store::repo::{audit, reference, users};
use serde::Deserialize;

pub fn routes() -> Router<AppState> {
    Router::new().route("/admin/users", get(users_page).post(create_user)).route("/admin/audit", get(audit_page))
}

pub struct UserRow {
    pub login: String,
    pub name: String,
    pub role: String,
    pub scope: String,
    pub active: bool,
}

#[derive(Template)]
#[template(path = "admin/users.html")]
struct UsersPage {
    ctx: Ctx,
    rows: Vec<UserRow>,
    roles: Vec<(String, String)>,
    authorities: Vec<(i32, String)>,
    error: Option<String>,
    created: Option<String>,
}

fn require_admin(ctx: &Ctx) -> AppResult<nok_store::Actor> {
    let actor = ctx.require_user()?.clone();
    if !actor.is_admin() {
        return Err(AppError::Forbidden);
    }
    Ok(actor)
}

async fn render_users(
    state: &AppState,
    ctx: Ctx,
    error: Option<String>,
    created: Option<String>,
) -> AppResult<Response> {
    let actor = require_admin(&ctx)?;
    let authorities = reference::authorities(&state.db.read, &actor).await?;
    let rows = users::list(&state.db.read, &actor)
        .await?
        .into_iter()
        .map(|u| {
            let scope = match (u.authority_id, u.operator_id, u.organization_id, &u.monitor_regions) {
                (Some(a), _, _, _) => {
                    authorities.iter().find(|x| x.id == a).map(|x| x.name.clone()).unwrap_or_default()
                }
                (_, Some(o), _, _) => format!("{} #{o}", nok_i18n::t("scope-operator")),
                (_, _, Some(o), _) => format!("{} #{o}", nok_i18n::t("scope-organization")),
                (_, _, _, Some(r)) => r.clone(),
                _ => nok_i18n::t("scope-all"),
            };
            UserRow {
                role: nok_i18n::t(&format!("role-{}", u.role)),
                login: u.login,
                name: u.display_name,
                scope,
                active: u.active,
            }
        })
        .collect();
    Ok(page(&UsersPage {
        ctx,
        rows,
        roles: Role::ALL.iter().map(|r| (r.code().to_string(), nok_i18n::t(&format!("role-{}", r.code())))).collect(),
        authorities: authorities.into_iter().map(|a| (a.id, a.name)).collect(),
        error,
        created,
    }))
}

async fn users_page(State(state): State<AppState>, ctx: Ctx) -> AppResult<Response> {
    render_users(&state, ctx, None, None).await
}

#[derive(Deserialize)]
struct NewUserForm {
    login: String,
    display_name: String,
    password: String,
    role: String,
    authority_id: Option<String>,
    operator_id: Option<String>,
    organization_id: Option<String>,
}

fn num(v: &Option<String>) -> Option<i32> {
    v.as_deref().and_then(|s| s.trim().parse().ok())
}

async fn create_user(State(state): State<AppState>, ctx: Ctx, Form(f): Form<NewUserForm>) -> AppResult<Response> {
    let actor = require_admin(&ctx)?;
    let new = users::NewUser {
        login: f.login.clone(),
        password: f.password,
        display_name: f.display_name,
        role: Role::from_code(&f.role),
        authority_id: num(&f.authority_id),
        operator_id: num(&f.operator_id),
        organization_id: num(&f.organization_id),
        monitor_regions: None,
    };
    match users::create(&state.db, &actor, new).await {
        Ok(u) => render_users(&state, ctx, None, Some(u.login)).await,
        Err(nok_store::StoreError::Invalid(m) | nok_store::StoreError::Conflict(m)) => {
            render_users(&state, ctx, Some(m), None).await
        }
        Err(e) => Err(e.into()),
    }
}

pub struct AuditRow {
    pub at: String,
    pub actor: String,
    pub action: String,
    pub object: String,
}

#[derive(Template)]
#[template(path = "admin/audit.html")]
struct AuditPage {
    ctx: Ctx,
    rows: Vec<AuditRow>,
    pager: Pager,
}

#[derive(Deserialize)]
struct PageQuery {
    page: Option<u64>,
}

async fn audit_page(State(state): State<AppState>, ctx: Ctx, Query(q): Query<PageQuery>) -> AppResult<Response> {
    let actor = require_admin(&ctx)?;
    let p = audit::list(&state.db.read, &actor, q.page.unwrap_or(1).max(1), 50).await?;
    let pager = Pager::new(p.page, p.pages(), |n| format!("/admin/audit?page={n}"));
    let rows = p
        .items
        .into_iter()
        .map(|e| AuditRow {
            at: format_datetime(nok_store::time_util::to_datetime(e.at)),
            actor: e.actor_login,
            action: nok_i18n::t(&format!("audit-{}", e.action.replace('.', "-"))),
            object: format!("{} {}", e.object_type, e.object_id),
        })
        .collect();
    Ok(page(&AuditPage { ctx, rows, pager }))
}
