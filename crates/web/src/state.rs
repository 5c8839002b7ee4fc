//! Shared application state handed to every handler.

use crate::config::WebConfig;
use nok_store::Db;
use std::sync::Arc;

#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub config: Arc<WebConfig>,
    /// Server-wide secret (from the database, shared by all instances) for CSRF tokens and IP hashing.
    pub secret: Arc<Vec<u8>>,
    /// Survey intake: rate limits, validation, the group-commit writer.
    pub intake: crate::intake::Intake,
    /// The citizen portal's figures and their caches.
    pub portal: crate::portal::Portal,
}
