//! Survey intake storage: a response is stored exactly once (keyed by its client-generated UUID). The live
//! counters of its organisation and period are incremented by the database in the same statement
//! (triggers on `response`, migration `m0015_counter_triggers`) when it is stored accepted, and when a
//! flagged one is accepted later. A full recompute from raw responses must always give the same counters.

use crate::Db;
use crate::entities::response;
use crate::error::{Result, StoreError};
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict, Query};
use sea_orm::{
    ActiveValue::Set, ConnectionTrait, DatabaseBackend, EntityTrait, QueryTrait, Statement, TransactionTrait,
};
use std::collections::HashSet;

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
    pub suggestions: Option<String>,
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

fn to_active(r: &NewResponse) -> response::ActiveModel {
    response::ActiveModel {
        id: Set(r.id.to_string()),
        organization_id: Set(r.organization_id),
        period: Set(r.period),
        channel: Set(r.channel.clone()),
        asked: Set(i32::from(r.asked)),
        yes: Set(i32::from(r.yes)),
        sex: Set(r.sex.clone()),
        age: Set(r.age),
        suggestions: Set(r.suggestions.clone()),
        device_hash: Set(r.device_hash.clone()),
        ip_hash: Set(r.ip_hash.clone()),
        status: Set(if r.flag_reason.is_some() { STATUS_FLAGGED } else { STATUS_ACCEPTED }.to_string()),
        flag_reason: Set(r.flag_reason.clone()),
        created_at: Set(r.created_at),
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

/// Inserts a response if its id is new (an accepted one is counted by the database in the same statement).
pub async fn insert_in<C: ConnectionTrait>(conn: &C, r: &NewResponse) -> Result<Outcome> {
    check_channel(r)?;
    let inserted = response::Entity::insert(to_active(r))
        .on_conflict(OnConflict::column(response::Column::Id).do_nothing().to_owned())
        .exec_without_returning(conn)
        .await?;
    Ok(if inserted == 0 { Outcome::Duplicate } else { Outcome::Created })
}

/// Inserts one response: a single statement, committed on its own (its counter update is part of it).
pub async fn insert(db: &Db, r: &NewResponse) -> Result<Outcome> {
    insert_in(&db.write, r).await
}

/// Inserts the rows whose id is new; the database counts the accepted ones in the same statement.
/// Returns the ids inserted (an id repeated within the batch counts at its first occurrence).
///
/// How the new ids are learnt depends on who else may write:
/// * SQLite has one writer connection (this process's), so the ids of the batch not stored before this
///   transaction are exactly the ones it inserts: one command to SQLite's worker thread carries both the
///   `SELECT` of the ids among the batch already stored (usually none) and the insert ([`single_writer`]).
///   A `RETURNING` clause instead would hand each row from the worker thread to the caller one by one.
/// * PostgreSQL may have other instances inserting the same id concurrently, so the insert itself says
///   which rows it stored (`ON CONFLICT DO NOTHING RETURNING id`), read off the socket in one go.
pub async fn insert_rows<C: ConnectionTrait>(conn: &C, batch: &[NewResponse]) -> Result<HashSet<String>> {
    batch.iter().try_for_each(check_channel)?;
    match conn.get_database_backend() {
        DatabaseBackend::Sqlite => single_writer(conn, batch, false).await,
        _ => insert_rows_returning(conn, batch).await,
    }
}

/// `insert_rows` for a database this connection alone writes to, as one command: per chunk of the batch,
/// the stored ids among it (the only rows the command returns), then its insert; with `own_transaction`
/// the command also begins and commits its transaction, so that a group commit is one round trip to
/// SQLite's worker thread (under load each round trip waits for a core). A failed command rolls its
/// transaction back.
async fn single_writer<C: ConnectionTrait>(
    conn: &C,
    batch: &[NewResponse],
    own_transaction: bool,
) -> Result<HashSet<String>> {
    let mut firsts = HashSet::with_capacity(batch.len());
    let unique: Vec<&NewResponse> = batch.iter().filter(|r| firsts.insert(r.id)).collect();
    if unique.is_empty() {
        return Ok(HashSet::new());
    }
    let backend = conn.get_database_backend();
    let mut sql = String::from(if own_transaction { "BEGIN IMMEDIATE;\n" } else { "" });
    let mut values = Vec::new();
    for chunk in super::chunking::statement_chunks(&unique) {
        let stored = Query::select()
            .column(response::Column::Id)
            .from(response::Entity)
            .and_where(Expr::col(response::Column::Id).is_in(chunk.iter().map(|r| r.id.to_string())))
            .to_owned();
        let insert = response::Entity::insert_many(chunk.iter().map(|r| to_active(r)))
            .on_conflict(OnConflict::column(response::Column::Id).do_nothing().to_owned())
            .into_query();
        for part in [backend.build(&stored), backend.build(&insert)] {
            sql.push_str(&part.sql);
            sql.push_str(";\n");
            values.extend(part.values.map(|v| v.0).unwrap_or_default());
        }
    }
    if own_transaction {
        sql.push_str("COMMIT;");
    }
    let rows = match conn.query_all_raw(Statement::from_sql_and_values(backend, sql, values)).await {
        Ok(rows) => rows,
        Err(e) => {
            if own_transaction {
                // Nothing to undo when the failure came before `BEGIN` took effect.
                let _ = conn.execute_unprepared("ROLLBACK").await;
            }
            return Err(e.into());
        }
    };
    let mut inserted: HashSet<String> = unique.iter().map(|r| r.id.to_string()).collect();
    for row in rows {
        inserted.remove(&row.try_get::<String>("", "id").map_err(StoreError::Db)?);
    }
    Ok(inserted)
}

/// `insert_rows` where other connections may store the same ids meanwhile.
async fn insert_rows_returning<C: ConnectionTrait>(conn: &C, batch: &[NewResponse]) -> Result<HashSet<String>> {
    let mut inserted: HashSet<String> = HashSet::with_capacity(batch.len());
    for chunk in super::chunking::statement_chunks(batch) {
        let stmt = response::Entity::insert_many(chunk.iter().map(to_active))
            .on_conflict(OnConflict::column(response::Column::Id).do_nothing().to_owned())
            .into_query()
            .returning_col(response::Column::Id)
            .to_owned();
        for row in conn.query_all(&stmt).await? {
            inserted.insert(row.try_get::<String>("", "id").map_err(StoreError::Db)?);
        }
    }
    Ok(inserted)
}

/// Inserts a batch in one transaction (group commit); outcomes in input order. An id repeated within
/// the batch counts as created once, at its first occurrence.
pub async fn insert_batch(db: &Db, batch: &[NewResponse]) -> Result<Vec<Outcome>> {
    let mut inserted = if db.is_sqlite() {
        batch.iter().try_for_each(check_channel)?;
        single_writer(&db.write, batch, true).await?
    } else {
        let txn = db.write.begin().await?;
        let inserted = insert_rows(&txn, batch).await?;
        txn.commit().await?;
        inserted
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
