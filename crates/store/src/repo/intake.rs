//! What survey intake needs to know about responses already stored: which devices answered for which
//! organisation recently, how many responses one source (hashed client address) sent to one organisation
//! recently (the anti-fraud rules decide with these), and the stored facts a receipt is built from.
//! Storage itself is `survey`; the decisions are the caller's.

use super::chunking::statement_chunks;
use crate::entities::{organization, response};
use crate::error::{Result, StoreError};
use sea_orm::sea_query::{Expr, ExprTrait, Query, SelectStatement};
use sea_orm::{ConnectionTrait, DatabaseBackend, Statement};
use std::collections::{HashMap, HashSet};

/// The stored facts of a response a client is told about (never its answers or its review status).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Receipt {
    pub id: uuid::Uuid,
    pub organization_public_id: String,
    pub channel: String,
    pub period: i32,
    pub created_at: i64,
}

/// `(device hash, organisation)` pairs among `devices` with a response stored at or after `since`.
pub async fn devices_seen<C: ConnectionTrait>(
    conn: &C,
    devices: &[String],
    since: i64,
) -> Result<HashSet<(String, i32)>> {
    let mut out = HashSet::new();
    for chunk in statement_chunks(devices) {
        for row in conn.query_all(&devices_seen_query(chunk, since)).await? {
            let device: String = row.try_get("", "device_hash").map_err(StoreError::Db)?;
            let org: i32 = row.try_get("", "organization_id").map_err(StoreError::Db)?;
            out.insert((device, org));
        }
    }
    Ok(out)
}

/// `devices_seen` for one chunk: its comparison on `device_hash` lets SQLite read the partial index of
/// known devices (migration m0016).
fn devices_seen_query(devices: &[String], since: i64) -> SelectStatement {
    Query::select()
        .columns([response::Column::DeviceHash, response::Column::OrganizationId])
        .from(response::Entity)
        .and_where(Expr::col(response::Column::DeviceHash).is_in(devices.iter().cloned()))
        .and_where(Expr::col(response::Column::CreatedAt).gte(since))
        .to_owned()
}

/// The facts the anti-fraud rules count of one stored response.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Screened {
    pub device_hash: Option<String>,
    pub ip_hash: Option<String>,
    pub organization_id: i32,
    pub created_at: i64,
}

/// The newest `limit` responses stored at or after `since`, oldest first (read through the index on
/// `created_at`).
pub async fn stored_since<C: ConnectionTrait>(conn: &C, since: i64, limit: u64) -> Result<Vec<Screened>> {
    let stmt = Query::select()
        .columns([
            response::Column::DeviceHash,
            response::Column::IpHash,
            response::Column::OrganizationId,
            response::Column::CreatedAt,
        ])
        .from(response::Entity)
        .and_where(Expr::col(response::Column::CreatedAt).gte(since))
        .order_by(response::Column::CreatedAt, sea_orm::Order::Desc)
        .limit(limit)
        .to_owned();
    let mut out = Vec::new();
    for row in conn.query_all(&stmt).await? {
        out.push(Screened {
            device_hash: row.try_get("", "device_hash").map_err(StoreError::Db)?,
            ip_hash: row.try_get("", "ip_hash").map_err(StoreError::Db)?,
            organization_id: row.try_get("", "organization_id").map_err(StoreError::Db)?,
            created_at: row.try_get("", "created_at").map_err(StoreError::Db)?,
        });
    }
    out.reverse();
    Ok(out)
}

/// Responses stored at or after `since` for each of the given `(source hash, organisation)` pairs, counted
/// up to `cap` (the caller only asks whether a pair reached it); pairs without any are absent.
///
/// One statement for the whole batch: a `UNION ALL` of one bounded count per pair, each read from the
/// index `(ip_hash, organization_id, created_at)` alone, so the cost follows the batch and the cap, never
/// the table — even when one address (a carrier's NAT) sends thousands of responses.
pub async fn source_counts<C: ConnectionTrait>(
    conn: &C,
    pairs: &[(String, i32)],
    since: i64,
    cap: u64,
) -> Result<HashMap<(String, i32), u64>> {
    let backend = conn.get_database_backend();
    let cap = i64::try_from(cap).unwrap_or(i64::MAX);
    let mut out = HashMap::new();
    for chunk in statement_chunks(pairs) {
        let mut sql = String::new();
        let mut values: Vec<sea_orm::Value> = Vec::with_capacity(chunk.len() * 4);
        for (i, (source, org)) in chunk.iter().enumerate() {
            let n = values.len();
            let p = |k: usize| match backend {
                DatabaseBackend::Postgres => format!("${}", n + k),
                _ => "?".to_string(),
            };
            if i > 0 {
                sql.push_str(" UNION ALL ");
            }
            // `i` is this loop's own counter, not input.
            sql.push_str(&format!(
                "SELECT CAST({i} AS BIGINT) AS i, (SELECT COUNT(*) FROM (SELECT 1 AS one FROM response \
                 WHERE ip_hash = {} AND organization_id = {} AND created_at >= {} LIMIT {}) AS recent) AS n",
                p(1),
                p(2),
                p(3),
                p(4)
            ));
            values.extend([source.clone().into(), (*org).into(), since.into(), cap.into()]);
        }
        for row in conn.query_all_raw(Statement::from_sql_and_values(backend, sql, values)).await? {
            let i: i64 = row.try_get("", "i").map_err(StoreError::Db)?;
            let n: i64 = row.try_get("", "n").map_err(StoreError::Db)?;
            if n > 0
                && let Some(pair) = usize::try_from(i).ok().and_then(|i| chunk.get(i))
            {
                out.insert(pair.clone(), u64::try_from(n).unwrap_or(0));
            }
        }
    }
    Ok(out)
}

/// Receipts of stored responses among `ids` (absent ids are left out).
pub async fn receipts<C: ConnectionTrait>(conn: &C, ids: &[uuid::Uuid]) -> Result<Vec<Receipt>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let stmt = Query::select()
        .column((response::Entity, response::Column::Id))
        .column((response::Entity, response::Column::Channel))
        .column((response::Entity, response::Column::Period))
        .column((response::Entity, response::Column::CreatedAt))
        .column((organization::Entity, organization::Column::PublicId))
        .from(response::Entity)
        .inner_join(
            organization::Entity,
            Expr::col((organization::Entity, organization::Column::Id))
                .equals((response::Entity, response::Column::OrganizationId)),
        )
        .and_where(Expr::col((response::Entity, response::Column::Id)).is_in(ids.iter().map(|u| u.to_string())))
        .to_owned();
    let mut out = Vec::with_capacity(ids.len());
    for row in conn.query_all(&stmt).await? {
        let id: String = row.try_get("", "id").map_err(StoreError::Db)?;
        out.push(Receipt {
            id: id.parse().map_err(|_| StoreError::Invalid(format!("stored response id {id:?} is not a UUID")))?,
            organization_public_id: row.try_get("", "public_id").map_err(StoreError::Db)?,
            channel: row.try_get("", "channel").map_err(StoreError::Db)?,
            period: row.try_get("", "period").map_err(StoreError::Db)?,
            created_at: row.try_get("", "created_at").map_err(StoreError::Db)?,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use crate::db::testing;

    #[tokio::test]
    async fn device_screening_reads_the_partial_index() {
        let db = testing::fresh("sqlite").await;
        let stmt = super::devices_seen_query(&["a".to_owned(), "b".to_owned()], 0);
        let plan = testing::query_plan(&db, db.backend().build(&stmt)).await;
        assert!(plan.contains("response_device_known"), "{plan}");
    }
}
