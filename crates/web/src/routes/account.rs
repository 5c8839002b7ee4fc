//! Signing in and out, changing one's password, the low-vision switch.

use crate::ctx::Ctx;
use crate::error::{AppError, AppResult};
use crate::render::page;
use crate::security::client::ClientIp;
use crate::security::cookies;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Form, Router};
use nok_store::repo::{audit, sessions, throttle, users};
use serde::Deserialize;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/login", get(login_form).post(login))
        .route("/logout", axum::routing::post(logout))
        .route("/account/password", get(password_form).post(change_password))
        .route("/low-vision", get(low_vision))
}

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    ctx: Ctx,
    next: String,
    login: String,
    error: Option<String>,
}

#[derive(Deserialize)]
struct NextQuery {
    next: Option<String>,
}

/// Only local paths are accepted as redirect targets.
fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n) if n.starts_with('/') && !n.starts_with("//") && !n.contains('\\') => n.to_string(),
        _ => "/cabinet".to_string(),
    }
}

async fn login_form(ctx: Ctx, Query(q): Query<NextQuery>) -> Response {
    page(&LoginPage { next: safe_next(q.next.as_deref()), ctx, login: String::new(), error: None })
}

#[derive(Deserialize)]
struct LoginForm {
    login: String,
    password: String,
    next: Option<String>,
}

async fn login(
    State(state): State<AppState>,
    ctx: Ctx,
    ClientIp(ip): ClientIp,
    Form(f): Form<LoginForm>,
) -> AppResult<Response> {
    let next = safe_next(f.next.as_deref());
    let ip_hash = state.ip_salt.hash(&ip);
    let keys = [format!("login:{}", f.login.trim().to_lowercase()), format!("ip:{ip_hash}")];
    let fail = |ctx: Ctx, message: String| {
        let mut res = page(&LoginPage { ctx, next: next.clone(), login: f.login.clone(), error: Some(message) });
        *res.status_mut() = axum::http::StatusCode::UNAUTHORIZED;
        res
    };
    for key in &keys {
        if let Some(until) = throttle::locked_until(&state.db, key).await? {
            let minutes = ((until - nok_store::time_util::now()) / 60 + 1).max(1);
            return Ok(fail(ctx, nok_i18n::t!("login-locked", minutes = minutes)));
        }
    }
    let Some(user) = users::authenticate(&state.db.read, &f.login, &f.password).await? else {
        let mut locked = None;
        for key in &keys {
            locked = locked.or(throttle::record_failure(&state.db, key).await?);
        }
        let message = match locked {
            Some(_) => nok_i18n::t!("login-locked", minutes = throttle::LOCK_SECONDS / 60),
            None => nok_i18n::t("login-failed"),
        };
        return Ok(fail(ctx, message));
    };
    throttle::reset(&state.db, &keys[0]).await?;
    let (token, _) = sessions::create(&state.db, user.id).await?;
    let actor = users::actor_for(&state.db.read, &user).await?;
    audit::record(
        &state.db.write,
        &actor,
        audit::Entry {
            action: "user.login",
            object_type: "user",
            object_id: user.id.to_string(),
            before: None,
            after: None,
            ip_hash: Some(ip_hash),
        },
    )
    .await?;
    let cookie = cookies::set(cookies::SESSION, &token, sessions::SESSION_SECONDS, state.config.secure_cookies());
    let mut res = Redirect::to(&next).into_response();
    res.headers_mut()
        .append(header::SET_COOKIE, HeaderValue::from_str(&cookie).map_err(|e| AppError::Internal(e.to_string()))?);
    Ok(res)
}

async fn logout(State(state): State<AppState>, headers: HeaderMap) -> AppResult<Response> {
    if let Some(token) = cookies::get(&headers, cookies::SESSION) {
        sessions::delete(&state.db, &token).await?;
    }
    let cookie = cookies::set(cookies::SESSION, "", 0, state.config.secure_cookies());
    let mut res = Redirect::to("/").into_response();
    res.headers_mut()
        .append(header::SET_COOKIE, HeaderValue::from_str(&cookie).map_err(|e| AppError::Internal(e.to_string()))?);
    Ok(res)
}

#[derive(Template)]
#[template(path = "password.html")]
struct PasswordPage {
    ctx: Ctx,
    error: Option<String>,
    done: bool,
}

async fn password_form(ctx: Ctx) -> AppResult<Response> {
    ctx.require_user()?;
    Ok(page(&PasswordPage { ctx, error: None, done: false }))
}

#[derive(Deserialize)]
struct PasswordForm {
    current: String,
    new: String,
    repeat: String,
}

async fn change_password(State(state): State<AppState>, ctx: Ctx, Form(f): Form<PasswordForm>) -> AppResult<Response> {
    let actor = ctx.require_user()?.clone();
    if f.new != f.repeat {
        return Ok(page(&PasswordPage { ctx, error: Some(nok_i18n::t("password-mismatch")), done: false }));
    }
    match users::change_password(&state.db, &actor, &f.current, &f.new).await {
        Ok(()) => Ok(page(&PasswordPage { ctx, error: None, done: true })),
        Err(nok_store::StoreError::Invalid(msg)) => {
            let text = if msg.starts_with("current_password") {
                nok_i18n::t("password-wrong-current")
            } else {
                nok_i18n::t!("password-too-short", n = users::MIN_PASSWORD_LEN)
            };
            Ok(page(&PasswordPage { ctx, error: Some(text), done: false }))
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
struct LowVisionQuery {
    on: Option<String>,
    back: Option<String>,
}

/// Switches the low-vision mode (remembered in a cookie) and returns to the page.
async fn low_vision(State(state): State<AppState>, Query(q): Query<LowVisionQuery>) -> Response {
    let on = q.on.as_deref() == Some("1");
    let cookie =
        cookies::set(cookies::LOW_VISION, if on { "1" } else { "0" }, 365 * 24 * 3600, state.config.secure_cookies());
    let back = match q.back.as_deref() {
        Some(b) if b.starts_with('/') && !b.starts_with("//") => b.to_string(),
        _ => "/".to_string(),
    };
    let mut res = Redirect::to(&back).into_response();
    if let Ok(v) = HeaderValue::from_str(&cookie) {
        res.headers_mut().append(header::SET_COOKIE, v);
    }
    res
}
