//! The live counters (`survey_counter`, `channel_counter`) are kept by the database itself: triggers on
//! `response` add an accepted response's answers when it is inserted, and move them when a response's
//! status (or any counted column) changes or it is deleted. The counter update is therefore part of the
//! very statement that stores or decides a response — same transaction, no extra round trip, and no path
//! of the program can forget it.
//!
//! * SQLite: row triggers, each one upsert per counter table.
//! * PostgreSQL: statement triggers with transition tables, so a batch of responses costs one grouped
//!   upsert per counter table, folded inside the server.
//!
//! The deltas per response: `responses` 1; for question *k* (bit *k−1* of the masks) `qk_yes` 1 when it
//! was asked and answered «Да», `qk_no` 1 when it was asked and answered «Нет». `nok recompute` computes
//! the same from the raw responses (`repo::recompute`), and the tests hold the two equal.

use sea_orm::DatabaseBackend;
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

const QUESTIONS: u32 = 15;

/// Counter columns of `survey_counter` after its key, in order.
fn counted_columns() -> Vec<String> {
    let mut cols = vec!["responses".to_string()];
    for q in 1..=QUESTIONS {
        cols.push(format!("q{q}_yes"));
        cols.push(format!("q{q}_no"));
    }
    cols
}

/// Per column, the delta of one response `r` (a row alias such as `NEW` or a table alias).
fn deltas(r: &str) -> Vec<String> {
    let mut out = vec!["1".to_string()];
    for bit in 0..QUESTIONS {
        out.push(format!("((({r}.asked & {r}.yes) >> {bit}) & 1)"));
        out.push(format!("((({r}.asked & ~{r}.yes) >> {bit}) & 1)"));
    }
    out
}

/// `col = <table>.col + excluded.col, …`.
fn add_excluded(table: &str, cols: &[String]) -> String {
    cols.iter().map(|c| format!("{c} = {table}.{c} + excluded.{c}")).collect::<Vec<_>>().join(", ")
}

/// SQLite: the upserts adding `sign` times the response `row` (`NEW` or `OLD`) to both counter tables.
fn sqlite_upserts(row: &str, sign: &str) -> String {
    let cols = counted_columns();
    let values: Vec<String> = deltas(row).into_iter().map(|d| format!("{sign} * {d}")).collect();
    format!(
        "INSERT INTO survey_counter (organization_id, period, {cols}) VALUES ({row}.organization_id, {row}.period, {values}) \
         ON CONFLICT (organization_id, period) DO UPDATE SET {set}; \
         INSERT INTO channel_counter (organization_id, period, channel, responses) \
         VALUES ({row}.organization_id, {row}.period, {row}.channel, {sign}) \
         ON CONFLICT (organization_id, period, channel) DO UPDATE SET {channel_set};",
        cols = cols.join(", "),
        values = values.join(", "),
        set = add_excluded("survey_counter", &cols),
        channel_set = add_excluded("channel_counter", &["responses".to_string()]),
    )
}

/// SQLite triggers: (name, statement).
fn sqlite_triggers() -> Vec<(&'static str, String)> {
    let counted = "status, organization_id, period, channel, asked, yes";
    vec![
        (
            "response_count_insert",
            format!(
                "CREATE TRIGGER response_count_insert AFTER INSERT ON response WHEN NEW.status = 'accepted' \
                 BEGIN {} END",
                sqlite_upserts("NEW", "1")
            ),
        ),
        (
            "response_count_update_old",
            format!(
                "CREATE TRIGGER response_count_update_old AFTER UPDATE OF {counted} ON response \
                 WHEN OLD.status = 'accepted' BEGIN {} END",
                sqlite_upserts("OLD", "-1")
            ),
        ),
        (
            "response_count_update_new",
            format!(
                "CREATE TRIGGER response_count_update_new AFTER UPDATE OF {counted} ON response \
                 WHEN NEW.status = 'accepted' BEGIN {} END",
                sqlite_upserts("NEW", "1")
            ),
        ),
        (
            "response_count_delete",
            format!(
                "CREATE TRIGGER response_count_delete AFTER DELETE ON response WHEN OLD.status = 'accepted' \
                 BEGIN {} END",
                sqlite_upserts("OLD", "-1")
            ),
        ),
    ]
}

/// PostgreSQL: grouped upserts adding `sign` times the accepted rows of the transition table `rows`.
fn postgres_upserts(rows: &str, sign: &str) -> String {
    let cols = counted_columns();
    let sums: Vec<String> = deltas("r")
        .into_iter()
        .map(|d| if d == "1" { format!("{sign} * COUNT(*)") } else { format!("{sign} * SUM({d})") })
        .collect();
    format!(
        "INSERT INTO survey_counter (organization_id, period, {cols}) \
         SELECT r.organization_id, r.period, {sums} FROM {rows} AS r WHERE r.status = 'accepted' \
         GROUP BY r.organization_id, r.period ORDER BY r.organization_id, r.period \
         ON CONFLICT (organization_id, period) DO UPDATE SET {set}; \
         INSERT INTO channel_counter (organization_id, period, channel, responses) \
         SELECT r.organization_id, r.period, r.channel, {sign} * COUNT(*) FROM {rows} AS r WHERE r.status = 'accepted' \
         GROUP BY r.organization_id, r.period, r.channel ORDER BY r.organization_id, r.period, r.channel \
         ON CONFLICT (organization_id, period, channel) DO UPDATE SET {channel_set};",
        cols = cols.join(", "),
        sums = sums.join(", "),
        set = add_excluded("survey_counter", &cols),
        channel_set = add_excluded("channel_counter", &["responses".to_string()]),
    )
}

/// PostgreSQL functions and triggers, in creation order. The counter tables leave half of each page free,
/// so that an update can stay on its page without touching the key's index (a HOT update).
fn postgres_statements() -> Vec<String> {
    let function = |name: &str, body: String| {
        format!("CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN {body} RETURN NULL; END $$")
    };
    vec![
        "ALTER TABLE survey_counter SET (fillfactor = 50)".into(),
        "ALTER TABLE channel_counter SET (fillfactor = 50)".into(),
        function("response_count_insert", postgres_upserts("new_rows", "1")),
        function(
            "response_count_update",
            format!("{} {}", postgres_upserts("old_rows", "-1"), postgres_upserts("new_rows", "1")),
        ),
        function("response_count_delete", postgres_upserts("old_rows", "-1")),
        "CREATE TRIGGER response_count_insert AFTER INSERT ON response REFERENCING NEW TABLE AS new_rows \
         FOR EACH STATEMENT EXECUTE FUNCTION response_count_insert()"
            .into(),
        "CREATE TRIGGER response_count_update AFTER UPDATE ON response \
         REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION response_count_update()"
            .into(),
        "CREATE TRIGGER response_count_delete AFTER DELETE ON response REFERENCING OLD TABLE AS old_rows \
         FOR EACH STATEMENT EXECUTE FUNCTION response_count_delete()"
            .into(),
    ]
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let conn = m.get_connection();
        match m.get_database_backend() {
            DatabaseBackend::Postgres => {
                for stmt in postgres_statements() {
                    conn.execute_unprepared(&stmt).await?;
                }
            }
            _ => {
                for (_, stmt) in sqlite_triggers() {
                    conn.execute_unprepared(&stmt).await?;
                }
            }
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let conn = m.get_connection();
        match m.get_database_backend() {
            DatabaseBackend::Postgres => {
                for name in ["response_count_insert", "response_count_update", "response_count_delete"] {
                    conn.execute_unprepared(&format!("DROP TRIGGER {name} ON response")).await?;
                    conn.execute_unprepared(&format!("DROP FUNCTION {name}()")).await?;
                }
                for table in ["survey_counter", "channel_counter"] {
                    conn.execute_unprepared(&format!("ALTER TABLE {table} RESET (fillfactor)")).await?;
                }
            }
            _ => {
                for (name, _) in sqlite_triggers() {
                    conn.execute_unprepared(&format!("DROP TRIGGER {name}")).await?;
                }
            }
        }
        Ok(())
    }
}
