//! Connecting to the database: the only place that knows SQLite from PostgreSQL.
//!
//! SQLite runs in WAL mode with a busy timeout on every connection and exactly one writer connection
//! (`Db::write`), so writes queue in the pool instead of failing with `SQLITE_BUSY`; reads use a separate pool.
//! Checkpoints of the write-ahead log run in the background, not in the writer's commits (`checkpoint`).
//! Commits are synced to disk (`synchronous=FULL`): an acknowledged survey response survives a power loss,
//! not only a killed process. Group commit makes that one sync per batch.
//! PostgreSQL uses one pool for both.

use crate::checkpoint::{self, Checkpointer};
use crate::error::{Result, StoreError};
use sea_orm::{DatabaseBackend, DatabaseConnection, SqlxPostgresConnector, SqlxSqliteConnector};
use sea_orm_migration::MigratorTrait;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

/// Database handles. Clone freely: the pools are shared.
#[derive(Clone)]
pub struct Db {
    /// The connection for writes (on SQLite: a pool of exactly one connection).
    pub write: DatabaseConnection,
    /// The connection for reads.
    pub read: DatabaseConnection,
    backend: DatabaseBackend,
    url: String,
    /// SQLite: the background WAL checkpoints (`checkpoint`), stopped with the last handle.
    _checkpointer: Option<Arc<Checkpointer>>,
}

impl std::fmt::Debug for Db {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Db").field("backend", &self.backend).finish()
    }
}

const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

impl Db {
    /// Connects to `sqlite://path` (created if missing) or `postgres://…`.
    pub async fn connect(url: &str) -> Result<Db> {
        if url.starts_with("sqlite:") {
            Self::connect_sqlite(url).await
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Self::connect_postgres(url).await
        } else {
            Err(StoreError::UnsupportedUrl(url.to_string()))
        }
    }

    async fn connect_sqlite(url: &str) -> Result<Db> {
        let options = SqliteConnectOptions::from_str(url)?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .busy_timeout(BUSY_TIMEOUT)
            .foreign_keys(true)
            .pragma("temp_store", "memory")
            .pragma("cache_size", "-65536")
            .pragma("journal_size_limit", checkpoint::LOG_SIZE_LIMIT.to_string());
        // The writer checkpoints only at `WRITER_AUTOCHECKPOINT` pages; the background task does the rest.
        let writer_options =
            options.clone().pragma("wal_autocheckpoint", checkpoint::WRITER_AUTOCHECKPOINT.to_string());
        // No ping before each acquire: the connection is in this process, and a ping is one more round
        // trip to its worker thread.
        let writer = SqlitePoolOptions::new()
            .max_connections(1)
            .test_before_acquire(false)
            .acquire_timeout(Duration::from_secs(60))
            .connect_with(writer_options)
            .await?;
        let readers =
            SqlitePoolOptions::new().max_connections(8).test_before_acquire(false).connect_with(options).await?;
        let checkpointer = Checkpointer::start(readers.clone(), checkpoint::INTERVAL);
        Ok(Db {
            write: SqlxSqliteConnector::from_sqlx_sqlite_pool(writer),
            read: SqlxSqliteConnector::from_sqlx_sqlite_pool(readers),
            backend: DatabaseBackend::Sqlite,
            url: url.to_string(),
            _checkpointer: Some(Arc::new(checkpointer)),
        })
    }

    async fn connect_postgres(url: &str) -> Result<Db> {
        let options = PgConnectOptions::from_str(url)?;
        let pool = PgPoolOptions::new()
            .max_connections(16)
            .acquire_timeout(Duration::from_secs(30))
            .connect_with(options)
            .await?;
        let conn = SqlxPostgresConnector::from_sqlx_postgres_pool(pool);
        Ok(Db {
            write: conn.clone(),
            read: conn,
            backend: DatabaseBackend::Postgres,
            url: url.to_string(),
            _checkpointer: None,
        })
    }

    /// Connects and brings the schema up to date.
    pub async fn open(url: &str) -> Result<Db> {
        let db = Self::connect(url).await?;
        db.migrate().await?;
        Ok(db)
    }

    /// Applies pending migrations and the reference data (regions) they rely on.
    pub async fn migrate(&self) -> Result<()> {
        crate::migration::Migrator::up(&self.write, None).await?;
        crate::repo::reference::ensure_regions(self).await?;
        Ok(())
    }

    pub fn backend(&self) -> DatabaseBackend {
        self.backend
    }

    pub fn url(&self) -> &str {
        &self.url
    }

    pub fn is_sqlite(&self) -> bool {
        self.backend == DatabaseBackend::Sqlite
    }

    /// Closes the pools (SQLite checkpoints the WAL on the last close).
    pub async fn close(self) -> Result<()> {
        self.read.close().await?;
        self.write.close().await?;
        Ok(())
    }
}

/// A throw-away database for tests: a fresh SQLite file, or — when `NOK_TEST_DATABASE_URL` names a
/// PostgreSQL server — a freshly created database on it that is dropped when the guard goes away.
pub mod testing {
    use super::*;
    use nok_methodology::Sphere;
    use nok_registry::record::OrganizationRecord;
    use sea_orm::ConnectionTrait;

    /// An active organisation of `region` and `sphere` named `name` (ИНН from `seed`), for fixtures; callers
    /// change what they need with `OrganizationRecord { field, ..record(…) }`.
    pub fn record(seed: u64, region: &str, sphere: Sphere, name: &str) -> OrganizationRecord {
        OrganizationRecord {
            inn: nok_registry::ids::make_inn(seed),
            full_name: name.to_owned(),
            short_name: name.to_owned(),
            ogrn: None,
            kpp: None,
            address: "г. Ярославль, ул. Свободы, д. 1".into(),
            latitude: None,
            longitude: None,
            website: None,
            email: None,
            phone: None,
            sphere,
            region_code: region.to_owned(),
            municipality: None,
            authority: None,
            population: 1000,
            active: true,
        }
    }

    pub struct TestDb {
        pub db: Db,
        _dir: Option<tempdir::TempDirGuard>,
        drop_pg: Option<(String, String)>,
    }

    mod tempdir {
        /// Removes the directory on drop.
        pub struct TempDirGuard(pub std::path::PathBuf);
        impl Drop for TempDirGuard {
            fn drop(&mut self) {
                let _ = std::fs::remove_dir_all(&self.0);
            }
        }
    }

    impl std::ops::Deref for TestDb {
        type Target = Db;
        fn deref(&self) -> &Db {
            &self.db
        }
    }

    impl Drop for TestDb {
        fn drop(&mut self) {
            if let Some((admin_url, name)) = self.drop_pg.take() {
                // Dropping needs async; run it on a separate thread with its own runtime.
                let _ = std::thread::spawn(move || {
                    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build();
                    if let Ok(rt) = rt {
                        rt.block_on(async move {
                            if let Ok(admin) = Db::connect(&admin_url).await {
                                let _ = admin
                                    .write
                                    .execute_unprepared(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
                                    .await;
                            }
                        });
                    }
                })
                .join();
            }
        }
    }

    /// Which backends the test suite must cover: SQLite always, PostgreSQL when asked for.
    pub fn backends() -> Vec<&'static str> {
        let mut v = vec!["sqlite"];
        if std::env::var("NOK_TEST_DATABASE_URL").is_ok_and(|u| !u.is_empty()) {
            v.push("postgres");
        }
        v
    }

    /// A fresh, migrated database of the given backend ("sqlite" or "postgres").
    pub async fn fresh(backend: &str) -> TestDb {
        match backend {
            "sqlite" => {
                let dir = std::env::temp_dir().join(format!("nok-test-{}", uuid::Uuid::new_v4()));
                std::fs::create_dir_all(&dir).expect("temp dir");
                let url = format!("sqlite://{}", dir.join("test.db").display());
                let db = Db::open(&url).await.expect("open sqlite test db");
                TestDb { db, _dir: Some(tempdir::TempDirGuard(dir)), drop_pg: None }
            }
            "postgres" => {
                let admin_url = std::env::var("NOK_TEST_DATABASE_URL")
                    .expect("NOK_TEST_DATABASE_URL must name a PostgreSQL server for the PostgreSQL suite");
                let admin = Db::connect(&admin_url).await.expect("connect to NOK_TEST_DATABASE_URL");
                let name = format!("nok_test_{}", uuid::Uuid::new_v4().simple());
                admin
                    .write
                    .execute_unprepared(&format!("CREATE DATABASE \"{name}\""))
                    .await
                    .expect("create test database");
                admin.close().await.ok();
                let url = replace_database(&admin_url, &name);
                let db = Db::open(&url).await.expect("open postgres test db");
                TestDb { db, _dir: None, drop_pg: Some((admin_url, name)) }
            }
            other => panic!("unknown backend {other}"),
        }
    }

    /// The plan of `stmt` as text, one line per node, to check that a query reads the index meant for it.
    /// SQLite: the `detail` lines of `EXPLAIN QUERY PLAN`. PostgreSQL: `EXPLAIN` with sequential scans
    /// priced out (`enable_seqscan = off` for its transaction), because the planner always scans a test's
    /// near-empty table; the plan then shows whether an index can serve the statement at all (a predicate
    /// no index fits still ends in `Seq Scan`).
    pub async fn query_plan(db: &Db, stmt: sea_orm::Statement) -> String {
        use sea_orm::TransactionTrait;
        match db.backend() {
            DatabaseBackend::Postgres => {
                let txn = db.read.begin().await.expect("begin");
                txn.execute_unprepared("SET LOCAL enable_seqscan = off").await.expect("enable_seqscan");
                let explain = sea_orm::Statement { sql: format!("EXPLAIN {}", stmt.sql), ..stmt };
                let rows = txn.query_all_raw(explain).await.expect("EXPLAIN");
                txn.rollback().await.expect("rollback");
                rows.iter().filter_map(|r| r.try_get::<String>("", "QUERY PLAN").ok()).collect::<Vec<_>>().join("\n")
            }
            _ => {
                let explain = sea_orm::Statement { sql: format!("EXPLAIN QUERY PLAN {}", stmt.sql), ..stmt };
                let rows = db.read.query_all_raw(explain).await.expect("EXPLAIN QUERY PLAN");
                rows.iter().filter_map(|r| r.try_get::<String>("", "detail").ok()).collect::<Vec<_>>().join("\n")
            }
        }
    }

    /// `postgres://host:5432/test?x` with database `name` instead of `test`.
    fn replace_database(url: &str, name: &str) -> String {
        let (base, query) = match url.split_once('?') {
            Some((b, q)) => (b, Some(q)),
            None => (url, None),
        };
        let scheme_end = base.find("://").map(|i| i + 3).unwrap_or(0);
        let base = match base[scheme_end..].find('/') {
            Some(i) => &base[..scheme_end + i],
            None => base,
        };
        match query {
            Some(q) => format!("{base}/{name}?{q}"),
            None => format!("{base}/{name}"),
        }
    }

    #[cfg(test)]
    mod tests {
        #[test]
        fn replaces_database_name() {
            assert_eq!(super::replace_database("postgres://127.0.0.1:5432/test", "x"), "postgres://127.0.0.1:5432/x");
            assert_eq!(
                super::replace_database("postgres://u@h/test?sslmode=disable", "x"),
                "postgres://u@h/x?sslmode=disable"
            );
            assert_eq!(super::replace_database("postgres://h", "x"), "postgres://h/x");
        }
    }
}
