//! SQLite WAL checkpoints off the writer's path.
//!
//! In WAL mode every commit appends the pages it changed to the write-ahead log; a checkpoint copies the
//! newest version of each page back into the database file and syncs it. SQLite's default runs a
//! checkpoint inside the commit that grows the log past 1000 pages, so under survey intake every few
//! group commits one of them waits for a checkpoint — and, as the same hot index pages are copied again
//! each time, the disk writes nearly double.
//!
//! Instead a task started with the database ([`Checkpointer::start`]) runs a `PASSIVE` checkpoint about
//! once a second on a reader connection. A passive checkpoint never takes the write lock, so it blocks
//! neither the writer nor readers (a blocking mode would: a transaction that reads before it writes could
//! no longer take the write lock and would fail as «database is locked»). Pages changed many times within
//! the interval are copied once.
//!
//! A log is only started again from its beginning by a writer that finds it wholly copied, which a
//! background checkpoint racing the writer's commits rarely leaves. So the writer keeps SQLite's own
//! checkpoint, at [`WRITER_AUTOCHECKPOINT`] pages instead of 1000: by then the task has copied nearly all of
//! the log, the writer's checkpoint copies the rest, and its next commit restarts the log. The log file is
//! cut back to [`LOG_SIZE_LIMIT`] when it restarts.

use sqlx::SqlitePool;
use std::time::Duration;
use tokio::sync::oneshot;

/// Seconds between background checkpoints.
pub const INTERVAL: Duration = Duration::from_secs(1);

/// `wal_autocheckpoint` of the writer connection, in pages (64 MiB of 4 KiB pages).
pub const WRITER_AUTOCHECKPOINT: u32 = 16_384;

/// Bytes the log file is cut back to after a restart (`journal_size_limit`).
pub const LOG_SIZE_LIMIT: u64 = 64 * 1024 * 1024;

/// Runs one passive checkpoint on a connection of `pool`.
pub async fn passive(pool: &SqlitePool) -> Result<(), sqlx::Error> {
    sqlx::query("PRAGMA wal_checkpoint(PASSIVE)").execute(pool).await.map(|_| ())
}

/// The checkpoint task of one database; it stops when the last handle to this value is dropped.
#[derive(Debug)]
pub struct Checkpointer {
    _stop: oneshot::Sender<()>,
}

impl Checkpointer {
    /// Starts checkpointing the database of `pool` every `every` (needs a Tokio runtime).
    pub fn start(pool: SqlitePool, every: Duration) -> Checkpointer {
        let (stop, mut stopped) = oneshot::channel::<()>();
        tokio::spawn(async move {
            let mut ticks = tokio::time::interval(every);
            ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            ticks.tick().await;
            loop {
                tokio::select! {
                    _ = &mut stopped => break,
                    _ = ticks.tick() => {}
                }
                if pool.is_closed() {
                    break;
                }
                if let Err(e) = passive(&pool).await {
                    tracing::warn!(error = %e, "background WAL checkpoint failed; retrying");
                }
            }
        });
        Checkpointer { _stop: stop }
    }
}
