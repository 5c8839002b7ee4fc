//! Survey intake storage: a response is stored exactly once (keyed by its client-generated UUID). The live
//! counters of its organisation and period are incremented in the same statement when it is stored
//! accepted (see [`crate::counting`] for where each database counts), and by the triggers of migration
//! `m0015_counter_triggers` when a flagged one is accepted later. A full recompute from raw responses must
//! always give the same counters.

use crate::Db;
use crate::entities::response;
use crate::error::{Result, StoreError};
use sea_orm::{ConnectionTrait, DatabaseBackend, EntityTrait, IdenStatic, Iterable, Statement};
use std::collections::HashSet;
use std::sync::LazyLock;

pub const STATUS_ACCEPTED: &str = "accepted";
pub const STATUS_FLAGGED: &str = "flagged";

/// A response as it arrives (answers already normalised into masks).
#[derive(Clone, Debug)]
pub struct NewResponse {
    pub id: uuid::Uuid,
    pub organization_id: i32,
    pub period: i32,
    pub channel: String,
    pub asked: u16,
    pub yes: u16,
    pub sex: Option<String>,
    pub age: Option<i32>,
    /// The suggestions text, encrypted with [`crate::crypto::PURPOSE_SUGGESTIONS`]
    /// ([`crate::crypto::FieldKey::encrypt`]); never the plain text.
    pub suggestions_sealed: Option<String>,
    pub device_hash: Option<String>,
    pub ip_hash: Option<String>,
    /// Flagged responses are stored but stay out of the counters until accepted.
    pub flag_reason: Option<String>,
    pub created_at: i64,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Stored for the first time.
    Created,
    /// The id was already stored: nothing changed.
    Duplicate,
}

/// The row of `r` as stored.
pub fn to_model(r: &NewResponse) -> response::Model {
    response::Model {
        id: r.id.to_string(),
        organization_id: r.organization_id,
        period: r.period,
        channel: r.channel.clone(),
        asked: i32::from(r.asked),
        yes: i32::from(r.yes),
        sex: r.sex.clone(),
        age: r.age,
        suggestions: r.suggestions_sealed.clone(),
        device_hash: r.device_hash.clone(),
        ip_hash: r.ip_hash.clone(),
        status: if r.flag_reason.is_some() { STATUS_FLAGGED } else { STATUS_ACCEPTED }.to_string(),
        flag_reason: r.flag_reason.clone(),
        created_at: r.created_at,
    }
}

/// Refuses a response whose channel the counters have no column for.
fn check_channel(r: &NewResponse) -> Result<()> {
    if crate::channels::is_known(&r.channel) {
        Ok(())
    } else {
        Err(StoreError::Invalid(format!("response {}: unknown channel {:?}", r.id, r.channel)))
    }
}

/// Inserts a response if its id is new (an accepted one is counted in the same statement).
pub async fn insert_in<C: ConnectionTrait>(conn: &C, r: &NewResponse) -> Result<Outcome> {
    let inserted = insert_rows(conn, std::slice::from_ref(r)).await?;
    Ok(if inserted.is_empty() { Outcome::Duplicate } else { Outcome::Created })
}

/// Inserts one response: a single statement, committed on its own (its counter update is part of it).
pub async fn insert(db: &Db, r: &NewResponse) -> Result<Outcome> {
    insert_in(&db.write, r).await
}

/// Inserts the rows whose id is new and counts the accepted ones in the same statement (SQLite: the
/// insert triggers; PostgreSQL: the statement itself, see [`crate::counting`]). Returns the ids inserted
/// (an id repeated within the batch counts at its first occurrence).
///
/// The batch goes to the database as one JSON parameter, so that the statement text is the same for
/// every batch and the database prepares it (and, on SQLite, compiles the triggers into it) once per
/// connection, not once per batch size. How the new ids are learnt depends on who else may write:
/// * SQLite has one writer connection (this process's), so the ids of the batch not stored before this
///   transaction are exactly the ones it inserts: one command to SQLite's worker thread carries both the
///   `SELECT` of the ids among the batch already stored (usually none) and the insert ([`single_writer`]).
///   A `RETURNING` clause instead would hand each row from the worker thread to the caller one by one.
/// * PostgreSQL may have other instances inserting the same id concurrently, so the insert itself says
///   which rows it stored (`ON CONFLICT DO NOTHING RETURNING`), and counts exactly those.
pub async fn insert_rows<C: ConnectionTrait>(conn: &C, batch: &[NewResponse]) -> Result<HashSet<String>> {
    match conn.get_database_backend() {
        DatabaseBackend::Sqlite => single_writer(conn, batch, false).await,
        _ => insert_counting(conn, batch).await,
    }
}

/// How a batch's rows are written for the database that reads them.
#[derive(Clone, Copy)]
enum RowShape {
    /// Objects keyed by column name (PostgreSQL reads them with `json_populate_recordset`).
    Objects,
    /// Arrays in the column order of `response::Column` (SQLite reads each value by position: a lookup by
    /// key walks and compares the keys before it, for every column of every row).
    Arrays,
}

/// The rows of the batch as stored; a repeated id is kept at its first occurrence only. Refuses the whole
/// batch if a channel is unknown.
fn unique_rows(batch: &[NewResponse]) -> Result<Vec<response::Model>> {
    batch.iter().try_for_each(check_channel)?;
    let mut seen = HashSet::with_capacity(batch.len());
    Ok(batch.iter().filter(|r| seen.insert(r.id)).map(to_model).collect())
}

/// The rows as the one JSON parameter of a batch statement.
fn rows_json(rows: &[response::Model], shape: RowShape) -> Result<String> {
    match shape {
        RowShape::Objects => super::json_parameter("response batch", rows),
        RowShape::Arrays => super::json_parameter("response batch", &rows.iter().map(as_array).collect::<Vec<_>>()),
    }
}

/// The columns of a row in the order of `response::Column` (a unit test holds the two orders equal).
type RowArray<'a> = (
    &'a str,
    i32,
    i32,
    &'a str,
    i32,
    i32,
    &'a Option<String>,
    Option<i32>,
    &'a Option<String>,
    &'a Option<String>,
    &'a Option<String>,
    &'a str,
    &'a Option<String>,
    i64,
);

fn as_array(m: &response::Model) -> RowArray<'_> {
    (
        &m.id,
        m.organization_id,
        m.period,
        &m.channel,
        m.asked,
        m.yes,
        &m.sex,
        m.age,
        &m.suggestions,
        &m.device_hash,
        &m.ip_hash,
        &m.status,
        &m.flag_reason,
        m.created_at,
    )
}

/// SQLite: the stored ids among the batch `?1`, then the insert of its rows (one text for every batch).
static SQLITE_STORE: LazyLock<String> = LazyLock::new(sqlite_store);

/// [`SQLITE_STORE`] in its own transaction: a whole group commit.
static SQLITE_GROUP_COMMIT: LazyLock<String> =
    LazyLock::new(|| format!("BEGIN IMMEDIATE;\n{}\nCOMMIT;", *SQLITE_STORE));

fn sqlite_store() -> String {
    let cols: Vec<&str> = response::Column::iter().map(|c| c.as_str()).collect();
    let values: Vec<String> = (0..cols.len()).map(|i| format!("value ->> {i}")).collect();
    format!(
        "SELECT id FROM response WHERE id IN (SELECT value ->> 0 FROM json_each(?1));\n\
         INSERT INTO response ({}) SELECT {} FROM json_each(?1) WHERE true ON CONFLICT (id) DO NOTHING;",
        cols.join(", "),
        values.join(", ")
    )
}

/// `insert_rows` for a database this connection alone writes to, as one command: the stored ids among
/// the batch (the only rows the command returns), then its insert; with `own_transaction` the command
/// also begins and commits its transaction, so that a group commit is one round trip to SQLite's worker
/// thread (under load each round trip waits for a core). A failed command rolls its transaction back.
async fn single_writer<C: ConnectionTrait>(
    conn: &C,
    batch: &[NewResponse],
    own_transaction: bool,
) -> Result<HashSet<String>> {
    if batch.is_empty() {
        return Ok(HashSet::new());
    }
    let rows = unique_rows(batch)?;
    let json = rows_json(&rows, RowShape::Arrays)?;
    let sql = if own_transaction { SQLITE_GROUP_COMMIT.as_str() } else { SQLITE_STORE.as_str() };
    let stored =
        match conn.query_all_raw(Statement::from_sql_and_values(DatabaseBackend::Sqlite, sql, [json.into()])).await {
            Ok(rows) => rows,
            Err(e) => {
                if own_transaction {
                    // Nothing to undo when the failure came before `BEGIN` took effect.
                    let _ = conn.execute_unprepared("ROLLBACK").await;
                }
                return Err(e.into());
            }
        };
    let mut inserted: HashSet<String> = rows.into_iter().map(|r| r.id).collect();
    for row in stored {
        inserted.remove(&row.try_get::<String>("", "id").map_err(StoreError::Db)?);
    }
    Ok(inserted)
}

/// PostgreSQL: the insert of the batch `$1` (its rows read as rows of `response`), the counting of the
/// accepted rows it stored, and their ids, in one statement.
static POSTGRES_STORE: LazyLock<String> = LazyLock::new(|| {
    format!(
        "WITH stored AS (INSERT INTO response SELECT * FROM json_populate_recordset(NULL::response, $1::json) \
         ON CONFLICT (id) DO NOTHING RETURNING id, organization_id, period, channel, asked, yes, status), \
         counted AS ({}) SELECT id FROM stored",
        crate::counting::add_rows("stored")
    )
});

/// `insert_rows` where other connections may store the same ids meanwhile.
async fn insert_counting<C: ConnectionTrait>(conn: &C, batch: &[NewResponse]) -> Result<HashSet<String>> {
    if batch.is_empty() {
        return Ok(HashSet::new());
    }
    let json = rows_json(&unique_rows(batch)?, RowShape::Objects)?;
    let stmt = Statement::from_sql_and_values(DatabaseBackend::Postgres, POSTGRES_STORE.as_str(), [json.into()]);
    let mut inserted = HashSet::with_capacity(batch.len());
    for row in conn.query_all_raw(stmt).await? {
        inserted.insert(row.try_get::<String>("", "id").map_err(StoreError::Db)?);
    }
    Ok(inserted)
}

/// Inserts a batch in one transaction (group commit); outcomes in input order. An id repeated within
/// the batch counts as created once, at its first occurrence.
pub async fn insert_batch(db: &Db, batch: &[NewResponse]) -> Result<Vec<Outcome>> {
    let mut inserted = if db.is_sqlite() {
        single_writer(&db.write, batch, true).await?
    } else {
        // One statement: its own transaction.
        insert_rows(&db.write, batch).await?
    };
    // `remove`: a second occurrence of the same id in this batch is a repeat.
    Ok(batch
        .iter()
        .map(|r| if inserted.remove(&r.id.to_string()) { Outcome::Created } else { Outcome::Duplicate })
        .collect())
}

/// A stored response by id.
pub async fn get<C: ConnectionTrait>(conn: &C, id: &uuid::Uuid) -> Result<Option<response::Model>> {
    Ok(response::Entity::find_by_id(id.to_string()).one(conn).await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_row_array_follows_the_column_order() {
        let r = NewResponse {
            id: uuid::Uuid::from_u128(7),
            organization_id: 3,
            period: 2026,
            channel: "qr_poster".into(),
            asked: 0b111,
            yes: 0b101,
            sex: Some("f".into()),
            age: Some(40),
            suggestions_sealed: Some("v1.00ff".into()),
            device_hash: Some("d".into()),
            ip_hash: Some("i".into()),
            flag_reason: Some("burst".into()),
            created_at: 1_800_000_000,
        };
        let m = to_model(&r);
        let object = serde_json::to_value(&m).unwrap();
        let by_name: Vec<serde_json::Value> = response::Column::iter().map(|c| object[c.as_str()].clone()).collect();
        assert_eq!(serde_json::to_value(as_array(&m)).unwrap(), serde_json::Value::Array(by_name));
    }
}
