//! The PostgreSQL scan of a recompute: one sqlx stream of the compact columns on a pool connection
//! (the caller's transaction holds `response` in SHARE mode, so it sees every committed response and
//! no new one), decoded by position with the channel borrowed from the row — no per-row allocation.

use super::{Accumulator, SCAN_COLUMNS};
use crate::Db;
use crate::error::Result;
use futures::TryStreamExt;
use sea_orm::sqlx::{self, AssertSqlSafe, Row};

/// Scans the responses of `period` (all when `None`) into one accumulator.
pub(super) async fn scan(db: &Db, period: Option<i32>) -> Result<Accumulator> {
    let sql = format!("SELECT {SCAN_COLUMNS} FROM response WHERE ($1::integer IS NULL OR period = $1)");
    let mut rows = sqlx::query(AssertSqlSafe(sql)).bind(period).fetch(db.read.get_postgres_connection_pool());
    let mut acc = Accumulator::default();
    while let Some(row) = rows.try_next().await? {
        let channel: &str = row.try_get(2)?;
        let masks = (i64::from(row.try_get::<i32, _>(3)?), i64::from(row.try_get::<i32, _>(4)?));
        acc.add(row.try_get(0)?, row.try_get(1)?, channel.as_bytes(), masks, row.try_get::<i32, _>(5)? == 1);
    }
    Ok(acc)
}

/// One pass of `SELECT asked, yes FROM response` through sqlx: the floor a recompute is measured
/// against. Returns the rows read.
pub(super) async fn bare_scan(db: &Db) -> Result<u64> {
    let mut rows = sqlx::query("SELECT asked, yes FROM response").fetch(db.read.get_postgres_connection_pool());
    let (mut n, mut sum) = (0u64, 0i64);
    while let Some(row) = rows.try_next().await? {
        sum = sum.wrapping_add(i64::from(row.try_get::<i32, _>(0)?) ^ i64::from(row.try_get::<i32, _>(1)?));
        n += 1;
    }
    std::hint::black_box(sum);
    Ok(n)
}
