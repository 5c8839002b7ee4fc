//! SQLite's write-ahead log is copied into the database file by the background task, not only by the
//! writer's own (rare) checkpoints: pages written at start-up reach the file within a few seconds.

use nok_store::db::testing;
use std::time::{Duration, Instant};

#[tokio::test]
async fn the_background_task_copies_the_log_into_the_database_file() {
    let db = testing::fresh("sqlite").await;
    let path = db.url().trim_start_matches("sqlite://").to_owned();
    let size = || std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
    let wal = || std::fs::metadata(format!("{path}-wal")).map(|m| m.len()).unwrap_or(0);
    let before = size();
    assert!(wal() > before, "the migrations are still in the log: file {before} B, log {} B", wal());
    let deadline = Instant::now() + Duration::from_secs(10);
    while size() <= before && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(size() > before, "the log was not checkpointed within 10 s (file {} B, log {} B)", size(), wal());
}
