//! The SQLite scan of a recompute: the response table split into rowid ranges, each read on its own
//! read connection and blocking thread straight through the SQLite C API (`sqlite3_step` and
//! `sqlite3_column_*` on a connection handle locked out of sqlx), so a row costs a few dozen
//! nanoseconds instead of a driver round trip. The caller holds the write lock, so every range sees the
//! same committed responses.

use super::{Accumulator, SCAN_COLUMNS};
use crate::Db;
use crate::error::{Result, StoreError};
use libsqlite3_sys as ffi;
use sea_orm::DbErr;
use sea_orm::sqlx::{self, Row, SqlitePool};
use std::ffi::{CStr, CString};
use std::ptr::{self, NonNull};

fn error(what: &str, detail: impl std::fmt::Display) -> StoreError {
    StoreError::Db(DbErr::Custom(format!("recompute scan: {what}: {detail}")))
}

/// Scans the responses of `period` (all when `None`) into one accumulator.
pub(super) async fn scan(db: &Db, period: Option<i32>) -> Result<Accumulator> {
    let pool = db.read.get_sqlite_connection_pool().clone();
    let bounds = sqlx::query("SELECT MIN(rowid), MAX(rowid) FROM response").fetch_one(&pool).await?;
    let (Some(lo), Some(hi)) = (bounds.try_get::<Option<i64>, _>(0)?, bounds.try_get::<Option<i64>, _>(1)?) else {
        return Ok(Accumulator::default());
    };
    let parts = std::thread::available_parallelism().map_or(1, |n| n.get()).clamp(1, 4) as i64;
    let step = (hi - lo) / parts + 1;
    let handle = tokio::runtime::Handle::current();
    let mut tasks = Vec::new();
    for i in 0..parts {
        let (from, to) = (lo + i * step, (lo + (i + 1) * step - 1).min(hi));
        let (pool, handle) = (pool.clone(), handle.clone());
        tasks.push(tokio::task::spawn_blocking(move || handle.block_on(scan_range(pool, period, from, to))));
    }
    let mut total = Accumulator::default();
    for task in tasks {
        let part = task.await.map_err(|e| error("thread", e))??;
        total.merge(part);
    }
    Ok(total)
}

/// Scans rowids `from..=to` on one read connection (runs on a blocking thread).
async fn scan_range(pool: SqlitePool, period: Option<i32>, from: i64, to: i64) -> Result<Accumulator> {
    let mut conn = pool.acquire().await?;
    let mut locked = conn.lock_handle().await?;
    let db = locked.as_raw_handle();
    let sql =
        format!("SELECT {SCAN_COLUMNS} FROM response WHERE rowid BETWEEN ?1 AND ?2 AND (?3 IS NULL OR period = ?3)");
    let stmt = Statement::prepare(db, &sql)?;
    stmt.bind_i64(1, from)?;
    stmt.bind_i64(2, to)?;
    match period {
        Some(p) => stmt.bind_i64(3, i64::from(p))?,
        None => stmt.bind_null(3)?,
    }
    let mut acc = Accumulator::default();
    while stmt.step()? {
        acc.add(stmt.int(0), stmt.int(1), stmt.text(2), (stmt.int64(3), stmt.int64(4)), stmt.int(5) == 1);
    }
    Ok(acc)
}

/// One pass of `SELECT asked, yes FROM response` on one connection through the C API: the floor a
/// recompute is measured against. Returns the rows read.
pub(super) async fn bare_scan(db: &Db) -> Result<u64> {
    let mut conn = db.read.get_sqlite_connection_pool().acquire().await?;
    let mut locked = conn.lock_handle().await?;
    let stmt = Statement::prepare(locked.as_raw_handle(), "SELECT asked, yes FROM response")?;
    let (mut rows, mut sum) = (0u64, 0i64);
    while stmt.step()? {
        sum = sum.wrapping_add(stmt.int64(0) ^ stmt.int64(1));
        rows += 1;
    }
    std::hint::black_box(sum);
    Ok(rows)
}

/// A prepared statement on a locked connection handle, finalised on drop.
struct Statement {
    db: NonNull<ffi::sqlite3>,
    stmt: NonNull<ffi::sqlite3_stmt>,
}

impl Statement {
    fn prepare(db: NonNull<ffi::sqlite3>, sql: &str) -> Result<Statement> {
        let text = CString::new(sql).map_err(|e| error("SQL", e))?;
        let mut stmt = ptr::null_mut();
        // SAFETY: `db` is a live connection handle locked out of sqlx for the duration of the scan;
        // `text` is a NUL-terminated string that outlives the call.
        let rc = unsafe { ffi::sqlite3_prepare_v2(db.as_ptr(), text.as_ptr(), -1, &mut stmt, ptr::null_mut()) };
        match NonNull::new(stmt) {
            Some(stmt) if rc == ffi::SQLITE_OK => Ok(Statement { db, stmt }),
            _ => Err(error("prepare", message(db))),
        }
    }

    fn check(&self, rc: i32, what: &str) -> Result<()> {
        if rc == ffi::SQLITE_OK { Ok(()) } else { Err(error(what, message(self.db))) }
    }

    fn bind_i64(&self, index: i32, value: i64) -> Result<()> {
        // SAFETY: the statement is live and `index` is one of its parameters.
        self.check(unsafe { ffi::sqlite3_bind_int64(self.stmt.as_ptr(), index, value) }, "bind")
    }

    fn bind_null(&self, index: i32) -> Result<()> {
        // SAFETY: as in `bind_i64`.
        self.check(unsafe { ffi::sqlite3_bind_null(self.stmt.as_ptr(), index) }, "bind")
    }

    /// Advances to the next row: `true` when there is one.
    fn step(&self) -> Result<bool> {
        // SAFETY: the statement is live and prepared on the locked handle.
        match unsafe { ffi::sqlite3_step(self.stmt.as_ptr()) } {
            ffi::SQLITE_ROW => Ok(true),
            ffi::SQLITE_DONE => Ok(false),
            _ => Err(error("step", message(self.db))),
        }
    }

    fn int(&self, col: i32) -> i32 {
        // SAFETY: called only after `step` returned a row; `col` is within the selected columns.
        unsafe { ffi::sqlite3_column_int(self.stmt.as_ptr(), col) }
    }

    fn int64(&self, col: i32) -> i64 {
        // SAFETY: as in `int`.
        unsafe { ffi::sqlite3_column_int64(self.stmt.as_ptr(), col) }
    }

    /// The bytes of a text column, valid until the next `step`.
    fn text(&self, col: i32) -> &[u8] {
        // SAFETY: as in `int`; SQLite returns a pointer to `bytes` bytes owned by the statement that stay
        // valid until the next step, finalize or type conversion — the borrow of `self` prevents all of
        // them while the slice lives. A NULL pointer (SQL NULL) gives the empty slice.
        unsafe {
            let p = ffi::sqlite3_column_text(self.stmt.as_ptr(), col);
            let n = ffi::sqlite3_column_bytes(self.stmt.as_ptr(), col);
            if p.is_null() || n <= 0 { &[] } else { std::slice::from_raw_parts(p, n as usize) }
        }
    }
}

impl Drop for Statement {
    fn drop(&mut self) {
        // SAFETY: the statement was prepared by us and is finalised exactly once.
        unsafe {
            ffi::sqlite3_finalize(self.stmt.as_ptr());
        }
    }
}

/// The connection's last error message.
fn message(db: NonNull<ffi::sqlite3>) -> String {
    // SAFETY: `sqlite3_errmsg` returns a NUL-terminated string owned by the connection, copied at once.
    unsafe { CStr::from_ptr(ffi::sqlite3_errmsg(db.as_ptr())).to_string_lossy().into_owned() }
}
