//! SQLite WAL checkpoints off the writer's path.
//!
//! In WAL mode every commit appends the pages it changed to the write-ahead log; a checkpoint copies the
//! newest version of each page back into the database file and syncs it. SQLite's default runs a
//! checkpoint inside the commit that grows the log past 1000 pages, so under survey intake every few
//! group commits one of them waits for a checkpoint — and, as the same hot index pages are copied again
//! each time, the disk writes nearly double.
//!
//! Instead the writer connection leaves checkpoints to a task started with the database
//! ([`Checkpointer::start`]): about once a second it runs a `PASSIVE` checkpoint on a reader connection,
//! which never blocks the writer or readers. Pages changed many times within the interval are copied once.
//! A passive checkpoint cannot restart a log that the writer keeps appending to, so when the log has grown
//! past [`RESTART_FRAMES`] the task runs a `RESTART` checkpoint, which waits for the writer's current
//! transaction, copies the rest and lets the next commit start the log from its beginning. The writer's own
//! automatic checkpoint stays as a safety net at [`WRITER_AUTOCHECKPOINT`] pages, far above what the task
//! lets the log reach.

use sqlx::{Row, SqlitePool};
use std::time::Duration;
use tokio::sync::oneshot;

/// Seconds between background checkpoints.
pub const INTERVAL: Duration = Duration::from_secs(1);

/// Log size (in pages) above which the background checkpoint restarts the log (256 MiB of 4 KiB pages).
pub const RESTART_FRAMES: i64 = 65_536;

/// `wal_autocheckpoint` of the writer connection: only reached if the background task falls far behind.
pub const WRITER_AUTOCHECKPOINT: u32 = 2 * RESTART_FRAMES as u32;

/// Bytes the log file is cut back to after a restart (`journal_size_limit`).
pub const LOG_SIZE_LIMIT: u64 = 64 * 1024 * 1024;

/// What one checkpoint reported (`PRAGMA wal_checkpoint`): pages in the log and pages copied back.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Progress {
    pub busy: bool,
    pub log_frames: i64,
    pub checkpointed_frames: i64,
}

/// Runs one checkpoint of `mode` (`PASSIVE`, `RESTART`, `TRUNCATE`) on a connection of `pool`.
pub async fn run(pool: &SqlitePool, mode: Mode) -> Result<Progress, sqlx::Error> {
    let row = sqlx::query(mode.statement()).fetch_one(pool).await?;
    Ok(Progress {
        busy: row.try_get::<i64, _>(0)? != 0,
        log_frames: row.try_get(1)?,
        checkpointed_frames: row.try_get(2)?,
    })
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    Passive,
    Restart,
}

impl Mode {
    fn statement(self) -> &'static str {
        match self {
            Mode::Passive => "PRAGMA wal_checkpoint(PASSIVE)",
            Mode::Restart => "PRAGMA wal_checkpoint(RESTART)",
        }
    }
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
                if let Err(e) = checkpoint_once(&pool).await {
                    tracing::warn!(error = %e, "background WAL checkpoint failed; retrying");
                }
            }
        });
        Checkpointer { _stop: stop }
    }
}

/// A passive checkpoint, followed by a restarting one when the log has grown too long.
async fn checkpoint_once(pool: &SqlitePool) -> Result<(), sqlx::Error> {
    let passive = run(pool, Mode::Passive).await?;
    if passive.log_frames > RESTART_FRAMES {
        let restart = run(pool, Mode::Restart).await?;
        tracing::info!(frames = passive.log_frames, busy = restart.busy, "WAL restarted by a blocking checkpoint");
    }
    Ok(())
}
