//! What reviews, appeals and rating votes share: the anonymous citizen as an audit actor, private-link
//! tokens (only their SHA-256 is stored), the scope subquery, text validation, and per-device rate limits.

use crate::entities::organization;
use crate::error::{Result, StoreError};
use crate::scope::{Actor, Role, Scope};
use sea_orm::sea_query::{Query, SelectStatement};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use sha2::{Digest, Sha256};
use std::collections::HashMap;

/// How many reviews (or appeals) one device may send in 24 hours.
pub const DAILY_LIMIT_PER_DEVICE: u64 = 5;

/// The anonymous author of a review, appeal or complaint, as the audit log names them.
pub fn citizen() -> Actor {
    Actor {
        user_id: None,
        login: "citizen".into(),
        role: Role::Monitor,
        scope: Scope::Regions { regions: Some(Vec::new()) },
    }
}

/// A fresh private-link token (64 hex characters) and the hash to store.
pub fn new_token() -> (String, String) {
    let token = super::sessions::random_token();
    let hash = token_hash(&token);
    (token, hash)
}

pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.trim().as_bytes()))
}

/// Whether a string is shaped like a token from [`new_token`] (so junk never reaches the database).
pub fn plausible_token(token: &str) -> bool {
    token.len() == 64 && token.bytes().all(|b| b.is_ascii_hexdigit())
}

/// `SELECT id FROM organization WHERE <the actor's scope>`, for `organization_id IN (…)` filters.
pub fn scoped_org_ids(actor: &Actor) -> SelectStatement {
    Query::select()
        .column(organization::Column::Id)
        .from(organization::Entity)
        .cond_where(actor.organization_filter())
        .to_owned()
}

/// Short names of the given organisations.
pub async fn org_names<C: ConnectionTrait>(
    conn: &C,
    ids: impl IntoIterator<Item = i32>,
) -> Result<HashMap<i32, String>> {
    let mut ids: Vec<i32> = ids.into_iter().collect();
    ids.sort_unstable();
    ids.dedup();
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let rows = organization::Entity::find().filter(organization::Column::Id.is_in(ids)).all(conn).await?;
    Ok(rows.into_iter().map(|o| (o.id, o.short_name)).collect())
}

/// The organisation of a feedback object, checked against the actor's scope (`Forbidden` outside it).
pub async fn org_in_scope<C: ConnectionTrait>(
    conn: &C,
    actor: &Actor,
    organization_id: i32,
) -> Result<organization::Model> {
    let org = organization::Entity::find_by_id(organization_id).one(conn).await?.ok_or(StoreError::NotFound)?;
    super::organizations::check_visible(conn, actor, &org).await?;
    Ok(org)
}

/// Whether the actor is staff of exactly this organisation.
pub fn is_staff_of(actor: &Actor, organization_id: i32) -> bool {
    actor.role == Role::Staff && actor.scope == Scope::Organization { organization_id }
}

/// Trims `text` and checks its length in characters; `field` names the form field in the error.
pub fn clean_text(field: &str, text: &str, min: usize, max: usize) -> Result<String> {
    let t = text.trim().replace("\r\n", "\n");
    let n = t.chars().count();
    if n < min {
        return Err(StoreError::Invalid(format!("{field}: too short")));
    }
    if n > max {
        return Err(StoreError::Invalid(format!("{field}: too long")));
    }
    Ok(t)
}

/// Trims an optional text; empty becomes `None`.
pub fn clean_optional(field: &str, text: Option<&str>, max: usize) -> Result<Option<String>> {
    match text.map(str::trim).filter(|t| !t.is_empty()) {
        None => Ok(None),
        Some(t) => clean_text(field, t, 1, max).map(Some),
    }
}

/// Gathers every problem of a submission, so the form can show all of them at once: the result is one
/// `Invalid("field: reason; field: reason")`.
#[derive(Debug, Default)]
pub struct Check(Vec<String>);

impl Check {
    /// The value, or `None` with its problem noted.
    pub fn field<T>(&mut self, r: Result<T>) -> Option<T> {
        match r {
            Ok(v) => Some(v),
            Err(e) => {
                self.0.push(match e {
                    StoreError::Invalid(m) => m,
                    other => other.to_string(),
                });
                None
            }
        }
    }

    /// Notes `problem` unless `ok`.
    pub fn require(&mut self, ok: bool, problem: &str) {
        if !ok {
            self.0.push(problem.to_string());
        }
    }

    /// `Invalid` with every problem noted, if any.
    pub fn finish(self) -> Result<()> {
        if self.0.is_empty() { Ok(()) } else { Err(StoreError::Invalid(self.0.join("; "))) }
    }
}

/// `Conflict("rate")` when the device already sent [`DAILY_LIMIT_PER_DEVICE`] objects in the last 24 hours.
pub fn check_daily_limit(sent_last_day: u64) -> Result<()> {
    if sent_last_day >= DAILY_LIMIT_PER_DEVICE {
        Err(StoreError::Conflict("rate: too many today".into()))
    } else {
        Ok(())
    }
}
