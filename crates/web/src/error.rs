//! Errors at the HTTP edge: each becomes a Russian page (or JSON for the API) with the right status.

use crate::render::error_page;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use nok_store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("not found")]
    NotFound,
    #[error("forbidden")]
    Forbidden,
    #[error("sign-in required")]
    LoginRequired(String),
    #[error("bad request: {0}")]
    BadRequest(String),
    #[error("store: {0}")]
    Store(#[from] StoreError),
    #[error("internal: {0}")]
    Internal(String),
}

impl From<askama::Error> for AppError {
    fn from(e: askama::Error) -> Self {
        AppError::Internal(format!("template: {e}"))
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        match self {
            AppError::NotFound | AppError::Store(StoreError::NotFound) => error_page(StatusCode::NOT_FOUND, None),
            AppError::Forbidden | AppError::Store(StoreError::Forbidden) => error_page(StatusCode::FORBIDDEN, None),
            AppError::LoginRequired(next) => {
                let target = format!("/login?next={}", urlencode(&next));
                axum::response::Redirect::to(&target).into_response()
            }
            AppError::BadRequest(msg) | AppError::Store(StoreError::Invalid(msg) | StoreError::Conflict(msg)) => {
                error_page(StatusCode::BAD_REQUEST, Some(msg))
            }
            other => {
                tracing::error!(error = %other, "request failed");
                error_page(StatusCode::INTERNAL_SERVER_ERROR, None)
            }
        }
    }
}

pub fn urlencode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => out.push(b as char),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

pub type AppResult<T> = Result<T, AppError>;
