//! CSRF protection for every state-changing browser request.
//!
//! The token is an HMAC of the device cookie and the session cookie under the server secret, so it needs
//! no storage and works across server instances. Forms carry it in a hidden `csrf` field (urlencoded) or in
//! the query string (multipart uploads); scripts send the `X-CSRF-Token` header. JSON API calls are exempt:
//! they must use `Content-Type: application/json`, which a cross-site form cannot send without CORS
//! (and we allow none), and they never rely on cookies for authority.

use super::cookies;
use super::device::DeviceId;
use super::hashing::hmac_hex;
use crate::render::error_page;
use crate::state::AppState;
use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::http::{Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// The largest urlencoded form body the check buffers.
const MAX_FORM_BYTES: usize = 2 * 1024 * 1024;

pub fn token(secret: &[u8], device: &str, session: Option<&str>) -> String {
    hmac_hex(secret, &[b"csrf", device.as_bytes(), session.unwrap_or("").as_bytes()])
}

fn constant_time_eq(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

fn form_field(body: &[u8], name: &str) -> Option<String> {
    form_urlencoded::parse(body).find(|(k, _)| k == name).map(|(_, v)| v.into_owned())
}

fn query_field(req: &Request, name: &str) -> Option<String> {
    req.uri().query().and_then(|q| form_field(q.as_bytes(), name))
}

pub async fn verify(State(state): State<AppState>, req: Request, next: Next) -> Response {
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return next.run(req).await;
    }
    let content_type = req.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
    if req.uri().path().starts_with("/api/") && content_type.starts_with("application/json") {
        return next.run(req).await;
    }
    let device = req.extensions().get::<DeviceId>().map(|d| d.0.clone()).unwrap_or_default();
    let session = cookies::get(req.headers(), cookies::SESSION);
    let expected = token(&state.secret, &device, session.as_deref());
    let header_token = req.headers().get("x-csrf-token").and_then(|v| v.to_str().ok()).map(str::to_string);
    if let Some(t) = header_token.or_else(|| query_field(&req, "csrf")) {
        return if constant_time_eq(&t, &expected) { next.run(req).await } else { reject() };
    }
    if content_type.starts_with("application/x-www-form-urlencoded") {
        let (parts, body) = req.into_parts();
        let Ok(bytes) = to_bytes(body, MAX_FORM_BYTES).await else {
            return error_page(StatusCode::PAYLOAD_TOO_LARGE, None);
        };
        let ok = form_field(&bytes, "csrf").is_some_and(|t| constant_time_eq(&t, &expected));
        if !ok {
            return reject();
        }
        return next.run(Request::from_parts(parts, Body::from(bytes))).await;
    }
    reject()
}

fn reject() -> Response {
    tracing::warn!("request without a valid CSRF proof refused");
    let mut res = error_page(StatusCode::FORBIDDEN, Some(nok_i18n::t("error-csrf")));
    *res.status_mut() = StatusCode::FORBIDDEN;
    res.into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_form_fields() {
        let body = b"a=1&csrf=ab%2Fc&name=%D0%AF+x";
        assert_eq!(form_field(body, "csrf").as_deref(), Some("ab/c"));
        assert_eq!(form_field(body, "name").as_deref(), Some("Я x"));
        assert_eq!(form_field(body, "none"), None);
    }

    #[test]
    fn tokens_depend_on_device_and_session() {
        let a = token(b"s", "dev1", None);
        assert_ne!(a, token(b"s", "dev2", None));
        assert_ne!(a, token(b"s", "dev1", Some("sess")));
        assert!(constant_time_eq(&a, &token(b"s", "dev1", None)));
    }
}
