//! The append-only audit log: who did what to which object, with the state before and after.
//! Rows are only ever inserted; nothing in the program updates or deletes them.

use super::Page;
use crate::entities::audit_log;
use crate::error::Result;
use crate::scope::Actor;
use crate::time_util::now;
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};
use serde::Serialize;

/// One change to record.
pub struct Entry<'a> {
    pub action: &'a str,
    pub object_type: &'a str,
    pub object_id: String,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
    pub ip_hash: Option<String>,
}

pub(crate) fn active_model(actor: &Actor, e: Entry<'_>) -> audit_log::ActiveModel {
    audit_log::ActiveModel {
        id: Default::default(),
        at: Set(now()),
        actor_id: Set(actor.user_id),
        actor_login: Set(actor.login.clone()),
        action: Set(e.action.to_string()),
        object_type: Set(e.object_type.to_string()),
        object_id: Set(e.object_id),
        before: Set(e.before.map(|v| v.to_string())),
        after: Set(e.after.map(|v| v.to_string())),
        ip_hash: Set(e.ip_hash),
    }
}

/// Appends one entry (inside the caller's transaction when `conn` is one).
pub async fn record<C: ConnectionTrait>(conn: &C, actor: &Actor, entry: Entry<'_>) -> Result<()> {
    audit_log::Entity::insert(active_model(actor, entry)).exec_without_returning(conn).await?;
    Ok(())
}

/// Appends many entries at once.
pub async fn record_many<C: ConnectionTrait>(conn: &C, actor: &Actor, entries: Vec<Entry<'_>>) -> Result<()> {
    if entries.is_empty() {
        return Ok(());
    }
    let models: Vec<_> = entries.into_iter().map(|e| active_model(actor, e)).collect();
    audit_log::Entity::insert_many(models).exec_without_returning(conn).await?;
    Ok(())
}

#[derive(Clone, Debug, Serialize)]
pub struct HistoryEntry {
    pub at: i64,
    pub actor_login: String,
    pub action: String,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
}

impl From<audit_log::Model> for HistoryEntry {
    fn from(m: audit_log::Model) -> Self {
        HistoryEntry {
            at: m.at,
            actor_login: m.actor_login,
            action: m.action,
            before: m.before.and_then(|s| serde_json::from_str(&s).ok()),
            after: m.after.and_then(|s| serde_json::from_str(&s).ok()),
        }
    }
}

/// The history of one object, newest first. The caller must have checked the actor may see the object.
pub async fn history<C: ConnectionTrait>(conn: &C, object_type: &str, object_id: &str) -> Result<Vec<HistoryEntry>> {
    let rows = audit_log::Entity::find()
        .filter(audit_log::Column::ObjectType.eq(object_type))
        .filter(audit_log::Column::ObjectId.eq(object_id))
        .order_by_desc(audit_log::Column::Id)
        .all(conn)
        .await?;
    Ok(rows.into_iter().map(HistoryEntry::from).collect())
}

/// The history of an organisation's yearly object (`{organization_id}/{year}`, e.g. its checklist or
/// plan) when the organisation is in the actor's scope, newest first.
pub async fn yearly_history<C: ConnectionTrait>(
    conn: &C,
    actor: &Actor,
    object_type: &str,
    organization_id: i32,
    year: i32,
) -> Result<Vec<HistoryEntry>> {
    super::organizations::get(conn, actor, organization_id).await?;
    history(conn, object_type, &format!("{organization_id}/{year}")).await
}

/// The whole log, newest first (administrators only).
pub async fn list<C: ConnectionTrait>(
    conn: &C,
    actor: &Actor,
    page: u64,
    per_page: u64,
) -> Result<Page<audit_log::Model>> {
    if !actor.is_admin() {
        return Err(crate::StoreError::Forbidden);
    }
    let paginator = audit_log::Entity::find().order_by_desc(audit_log::Column::Id).paginate(conn, per_page);
    let total = paginator.num_items().await?;
    let items = paginator.fetch_page(page.saturating_sub(1)).await?;
    Ok(Page { items, total, page, per_page })
}
