//! HTTP: the public portal, the cabinets, the JSON API, templates and static files.
//!
//! Handlers stay thin: parse the request, call the store or the engine with the acting user, render.
//! All Russian text comes from the `nok-i18n` catalogue. Visibility is decided by the store, not here.

pub mod config;
pub mod ctx;
pub mod error;
pub mod intake;
pub mod mailer;
pub mod portal;
pub mod registry_io;
pub mod render;
pub mod routes;
pub mod security;
pub mod server;
pub mod state;
pub mod static_files;
pub mod views;

pub use config::WebConfig;
pub use server::{router, serve};
pub use state::AppState;
