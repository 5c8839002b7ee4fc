//! What survey intake needs to know about responses already stored: which devices answered for which
//! organisation recently, how many responses one source (hashed client address) sent to one organisation
//! recently (the anti-fraud rules decide with these), and the stored facts a receipt is built from.
//! Storage itself is `survey`; the decisions are the caller's.

use crate::entities::{organization, response};
use crate::error::{Result, StoreError};
use sea_orm::sea_query::{Expr, ExprTrait, Query};
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
///
/// One statement for the whole batch with the same text for every batch (the devices are one JSON
/// parameter, as in [`source_counts`]), so the database prepares it once.
pub async fn devices_seen<C: ConnectionTrait>(
    conn: &C,
    devices: &[String],
    since: i64,
) -> Result<HashSet<(String, i32)>> {
    if devices.is_empty() {
        return Ok(HashSet::new());
    }
    let mut out = HashSet::new();
    for row in conn.query_all_raw(devices_seen_query(conn.get_database_backend(), devices, since)?).await? {
        let device: String = row.try_get("", "device_hash").map_err(StoreError::Db)?;
        let org: i32 = row.try_get("", "organization_id").map_err(StoreError::Db)?;
        out.insert((device, org));
    }
    Ok(out)
}

/// The statement of [`devices_seen`]: the devices go in as the JSON array `[device, …]`. Its comparison on
/// `device_hash` lets SQLite read the partial index of known devices (migration m0016).
fn devices_seen_query(backend: DatabaseBackend, devices: &[String], since: i64) -> Result<Statement> {
    let json = super::json_parameter("devices", devices)?;
    let sql = match backend {
        DatabaseBackend::Postgres => {
            "SELECT DISTINCT device_hash, organization_id FROM response \
             WHERE device_hash IN (SELECT value FROM json_array_elements_text($1::json)) AND created_at >= $2"
        }
        _ => {
            "SELECT DISTINCT device_hash, organization_id FROM response \
             WHERE device_hash IN (SELECT value FROM json_each(?1)) AND created_at >= ?2"
        }
    };
    Ok(Statement::from_sql_and_values(backend, sql, [json.into(), since.into()]))
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
/// One statement for the whole batch, the same text for every batch (the pairs are one JSON parameter,
/// so the database prepares it once): per pair one bounded count, read from the index
/// `(ip_hash, organization_id, created_at)` alone, so the cost follows the batch and the cap, never the
/// table — even when one address (a carrier's NAT) sends thousands of responses.
pub async fn source_counts<C: ConnectionTrait>(
    conn: &C,
    pairs: &[(String, i32)],
    since: i64,
    cap: u64,
) -> Result<HashMap<(String, i32), u64>> {
    if pairs.is_empty() {
        return Ok(HashMap::new());
    }
    let stmt = source_counts_query(conn.get_database_backend(), pairs, since, cap)?;
    let mut out = HashMap::new();
    for row in conn.query_all_raw(stmt).await? {
        let i: i64 = row.try_get("", "i").map_err(StoreError::Db)?;
        let n: i64 = row.try_get("", "n").map_err(StoreError::Db)?;
        if n > 0
            && let Some(pair) = usize::try_from(i).ok().and_then(|i| pairs.get(i))
        {
            out.insert(pair.clone(), u64::try_from(n).unwrap_or(0));
        }
    }
    Ok(out)
}

/// The statement of [`source_counts`]: the pairs go in as the JSON array `[[source, organisation], …]`.
fn source_counts_query(backend: DatabaseBackend, pairs: &[(String, i32)], since: i64, cap: u64) -> Result<Statement> {
    let cap = i64::try_from(cap).unwrap_or(i64::MAX);
    let json = super::json_parameter("source pairs", pairs)?;
    let sql = match backend {
        DatabaseBackend::Postgres => {
            "SELECT p.i - 1 AS i, (SELECT COUNT(*) FROM (SELECT 1 AS one FROM response WHERE ip_hash = p.v ->> 0 \
             AND organization_id = (p.v ->> 1)::integer AND created_at >= $2 LIMIT $3) AS recent) AS n \
             FROM json_array_elements($1::json) WITH ORDINALITY AS p(v, i)"
        }
        _ => {
            "SELECT p.key AS i, (SELECT COUNT(*) FROM (SELECT 1 AS one FROM response WHERE ip_hash = p.value ->> 0 \
             AND organization_id = p.value ->> 1 AND created_at >= ?2 LIMIT ?3) AS recent) AS n \
             FROM json_each(?1) AS p"
        }
    };
    Ok(Statement::from_sql_and_values(backend, sql, [json.into(), since.into(), cap.into()]))
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

    /// SQLite only: on a test's empty table PostgreSQL's planner prefers `response_created` whatever the
    /// costs (with 200 000 rows it takes the partial index in a nested loop: checked by hand, 04.12.2026).
    #[tokio::test]
    async fn device_screening_reads_the_partial_index() {
        let db = testing::fresh("sqlite").await;
        let stmt = super::devices_seen_query(db.backend(), &["a".to_owned(), "b".to_owned()], 0).unwrap();
        let plan = testing::query_plan(&db, stmt).await;
        assert!(plan.contains("response_device_known"), "{plan}");
    }

    #[tokio::test]
    async fn source_counting_reads_the_source_index() {
        for backend in testing::backends() {
            let db = testing::fresh(backend).await;
            let pairs = [("a".to_owned(), 1), ("b".to_owned(), 2)];
            let stmt = super::source_counts_query(db.backend(), &pairs, 0, 5).unwrap();
            let plan = testing::query_plan(&db, stmt).await;
            let expected = match backend {
                "postgres" => "Index Only Scan using response_source on response",
                _ => "COVERING INDEX response_source (ip_hash=? AND organization_id=? AND created_at>?)",
            };
            assert!(plan.contains(expected), "{backend}: {plan}");
        }
    }
}
