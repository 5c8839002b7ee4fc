//! Routes grouped by product area. Each module exposes `routes()` and keeps its handlers thin.

pub mod account;
pub mod admin;
pub mod api;
pub mod checklists;
pub mod feedback;
pub mod flagged;
pub mod ops;
pub mod plans;
pub mod public;
pub mod qr;
pub mod registry;
pub mod scores;
pub mod survey;

use crate::render::error_page;
use axum::http::StatusCode;
use axum::response::Response;

pub async fn not_found() -> Response {
    error_page(StatusCode::NOT_FOUND, None)
}
