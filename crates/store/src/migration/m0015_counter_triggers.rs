//! The live counters (`survey_counter`, with its per-channel columns; `channel_counter` is a view of them)
//! are kept by the database itself: triggers on `response` add an accepted response's answers and channel
//! when it is inserted, and move them when a response's status (or any counted column) changes or it is
//! deleted. The counter update is therefore part of the
//! very statement that stores or decides a response — same transaction, no extra round trip, and no path
//! of the program can forget it.
//!
//! * SQLite: row triggers, each one upsert of one counter row.
//! * PostgreSQL: statement triggers with transition tables, so a batch of responses costs one grouped
//!   upsert, folded inside the server.
//!
//! The deltas per response: `responses` 1; for question *k* (bit *k−1* of the masks) `qk_yes` 1 when it
//! was asked and answered «Да», `qk_no` 1 when it was asked and answered «Нет»; `ch_<code>` 1 for the
//! response's channel (a channel outside the list counts in `responses` only; the store refuses to store
//! one). `nok recompute` computes
//! the same from the raw responses (`repo::recompute`), and the tests hold the two equal.

use super::m0014_channel_columns::CHANNELS;
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
    cols.extend(CHANNELS.iter().map(|c| format!("ch_{c}")));
    cols
}

/// Per column, the delta of one response `r` (a row alias such as `NEW` or a table alias).
fn deltas(r: &str) -> Vec<String> {
    let mut out = vec!["1".to_string()];
    for bit in 0..QUESTIONS {
        out.push(format!("((({r}.asked & {r}.yes) >> {bit}) & 1)"));
        out.push(format!("((({r}.asked & ~{r}.yes) >> {bit}) & 1)"));
    }
    out.extend(CHANNELS.iter().map(|c| format!("(CASE WHEN {r}.channel = '{c}' THEN 1 ELSE 0 END)")));
    out
}

/// `col = <table>.col + excluded.col, …`.
fn add_excluded(table: &str, cols: &[String]) -> String {
    cols.iter().map(|c| format!("{c} = {table}.{c} + excluded.{c}")).collect::<Vec<_>>().join(", ")
}

/// SQLite: the upsert adding `sign` times the response `row` (`NEW` or `OLD`) to its counter row.
fn sqlite_upsert(row: &str, sign: &str) -> String {
    let cols = counted_columns();
    let values: Vec<String> = deltas(row).into_iter().map(|d| format!("{sign} * {d}")).collect();
    format!(
        "INSERT INTO survey_counter (organization_id, period, {cols}) VALUES ({row}.organization_id, {row}.period, {values}) \
         ON CONFLICT (organization_id, period) DO UPDATE SET {set};",
        cols = cols.join(", "),
        values = values.join(", "),
        set = add_excluded("survey_counter", &cols),
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
                sqlite_upsert("NEW", "1")
            ),
        ),
        (
            "response_count_update_old",
            format!(
                "CREATE TRIGGER response_count_update_old AFTER UPDATE OF {counted} ON response \
                 WHEN OLD.status = 'accepted' BEGIN {} END",
                sqlite_upsert("OLD", "-1")
            ),
        ),
        (
            "response_count_update_new",
            format!(
                "CREATE TRIGGER response_count_update_new AFTER UPDATE OF {counted} ON response \
                 WHEN NEW.status = 'accepted' BEGIN {} END",
                sqlite_upsert("NEW", "1")
            ),
        ),
        (
            "response_count_delete",
            format!(
                "CREATE TRIGGER response_count_delete AFTER DELETE ON response WHEN OLD.status = 'accepted' \
                 BEGIN {} END",
                sqlite_upsert("OLD", "-1")
            ),
        ),
    ]
}

/// PostgreSQL: the grouped upsert adding `sign` times the accepted rows of the transition table `rows`.
pub(super) fn postgres_upsert(rows: &str, sign: &str) -> String {
    let cols = counted_columns();
    let sums: Vec<String> = deltas("r")
        .into_iter()
        .map(|d| if d == "1" { format!("{sign} * COUNT(*)") } else { format!("{sign} * SUM({d})") })
        .collect();
    format!(
        "INSERT INTO survey_counter (organization_id, period, {cols}) \
         SELECT r.organization_id, r.period, {sums} FROM {rows} AS r WHERE r.status = 'accepted' \
         GROUP BY r.organization_id, r.period ORDER BY r.organization_id, r.period \
         ON CONFLICT (organization_id, period) DO UPDATE SET {set};",
        cols = cols.join(", "),
        sums = sums.join(", "),
        set = add_excluded("survey_counter", &cols),
    )
}

/// PostgreSQL functions and triggers, in creation order. The counter table leaves half of each page free,
/// so that an update can stay on its page without touching the key's index (a HOT update).
fn postgres_statements() -> Vec<String> {
    let function = |name: &str, body: String| {
        format!("CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN {body} RETURN NULL; END $$")
    };
    vec![
        "ALTER TABLE survey_counter SET (fillfactor = 50)".into(),
        function("response_count_insert", postgres_upsert("new_rows", "1")),
        function(
            "response_count_update",
            format!("{} {}", postgres_upsert("old_rows", "-1"), postgres_upsert("new_rows", "1")),
        ),
        function("response_count_delete", postgres_upsert("old_rows", "-1")),
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
                conn.execute_unprepared("ALTER TABLE survey_counter RESET (fillfactor)").await?;
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
