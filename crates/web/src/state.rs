//! Shared application state handed to every handler. Every middleware and extractor clones it once per
//! request, so it is one `Arc` (a reference-count increment) rather than a struct of handles.

use crate::config::WebConfig;
use nok_store::Db;
use std::ops::Deref;
use std::sync::Arc;

#[derive(Clone)]
pub struct AppState(Arc<Shared>);

pub struct Shared {
    pub db: Db,
    pub config: Arc<WebConfig>,
    /// Server-wide secret (from the database, shared by all instances) for CSRF tokens and IP hashing.
    pub secret: Arc<Vec<u8>>,
    /// The key of personal data at rest, checked against the database at start.
    pub field_key: nok_store::crypto::FieldKey,
    /// The salt of client-address hashes, rotated daily.
    pub ip_salt: Arc<crate::security::ip_salt::IpSalt>,
    /// Survey intake: rate limits, validation, the group-commit writer.
    pub intake: crate::intake::Intake,
    /// The citizen portal's figures and their caches.
    pub portal: crate::portal::Portal,
}

impl AppState {
    pub fn new(shared: Shared) -> AppState {
        AppState(Arc::new(shared))
    }
}

impl Deref for AppState {
    type Target = Shared;

    fn deref(&self) -> &Shared {
        &self.0
    }
}
