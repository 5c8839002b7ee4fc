//! The PostgreSQL side of a recompute. [`rebuild`] folds the responses inside the server: one
//! aggregate (`INSERT INTO` a temporary table `SELECT … GROUP BY`) sums each answer bit per
//! (organisation, period, channel) with integer bit operations, and the counters are inserted from that
//! small table — no response row leaves the server. [`bare_scan`] is the floor it is measured against.

use super::RecomputeReport;
use crate::Db;
use crate::channels::{CHANNELS, counter_column};
use crate::error::{Result, StoreError};
use futures::TryStreamExt;
use nok_methodology::QUESTION_COUNT;
use sea_orm::sqlx::{self, Row};
use sea_orm::{ConnectionTrait, DatabaseTransaction, Statement, Value};

/// The per-(organisation, period, channel) sums: `scanned`, `responses` (accepted), and for question
/// `q` the accepted responses that answered it (`a{q}`) and answered «Да» (`y{q}`).
fn groups_sql() -> (String, String) {
    let (mut columns, mut sums) = (String::new(), String::new());
    for q in 0..QUESTION_COUNT {
        columns.push_str(&format!(", a{q} bigint NOT NULL, y{q} bigint NOT NULL"));
        sums.push_str(&format!(", sum((a >> {q}) & 1), sum((y >> {q}) & 1)"));
    }
    let create = format!(
        "CREATE TEMP TABLE recompute_groups (organization_id integer NOT NULL, period integer NOT NULL, \
         channel text NOT NULL, scanned bigint NOT NULL, responses bigint NOT NULL{columns}) ON COMMIT DROP"
    );
    let fill = format!(
        "INSERT INTO recompute_groups \
         SELECT organization_id, period, channel, count(*), sum(ok){sums} FROM ( \
           SELECT organization_id, period, channel, \
             CASE WHEN status = 'accepted' THEN 1 ELSE 0 END AS ok, \
             CASE WHEN status = 'accepted' THEN asked & 32767 ELSE 0 END AS a, \
             CASE WHEN status = 'accepted' THEN yes & asked & 32767 ELSE 0 END AS y \
           FROM response WHERE ($1::integer IS NULL OR period = $1)) r \
         GROUP BY organization_id, period, channel"
    );
    (create, fill)
}

fn survey_insert_sql() -> String {
    let (mut columns, mut values) = (String::new(), String::new());
    for q in 0..QUESTION_COUNT {
        let n = q + 1;
        columns.push_str(&format!(", q{n}_yes, q{n}_no"));
        values.push_str(&format!(", sum(y{q}), sum(a{q}) - sum(y{q})"));
    }
    for c in CHANNELS {
        // The codes are this crate's constants, not input.
        columns.push_str(&format!(", {}", counter_column(c)));
        values.push_str(&format!(", sum(CASE WHEN channel = '{c}' THEN responses ELSE 0 END)"));
    }
    format!(
        "INSERT INTO survey_counter (organization_id, period, responses{columns}) \
         SELECT organization_id, period, sum(responses){values} FROM recompute_groups \
         GROUP BY organization_id, period HAVING sum(responses) > 0"
    )
}

/// Rebuilds the counters inside the caller's transaction (which has locked `response` and cleared the
/// counters being rebuilt).
pub(super) async fn rebuild(txn: &DatabaseTransaction, period: Option<i32>) -> Result<RecomputeReport> {
    let backend = sea_orm::DatabaseBackend::Postgres;
    let period = Value::Int(period);
    let (create, fill) = groups_sql();
    txn.execute_unprepared(&create).await?;
    txn.execute_raw(Statement::from_sql_and_values(backend, fill, [period])).await?;
    let groups = txn.execute_unprepared(&survey_insert_sql()).await?.rows_affected();
    let known: Vec<String> = CHANNELS.iter().map(|c| format!("'{c}'")).collect();
    let row = txn
        .query_one_raw(Statement::from_string(
            backend,
            format!(
                "SELECT COALESCE(sum(responses), 0)::bigint, COALESCE(sum(scanned), 0)::bigint, \
                 (count(*) FILTER (WHERE responses > 0 AND channel IN ({})))::bigint FROM recompute_groups",
                known.join(", ")
            ),
        ))
        .await?
        .ok_or_else(|| StoreError::Invalid("recompute: no totals".into()))?;
    let total = |i: usize| -> Result<u64> {
        let n: i64 = row.try_get_by_index(i).map_err(StoreError::Db)?;
        Ok(u64::try_from(n).unwrap_or(0))
    };
    let (responses, scanned, channel_rows) = (total(0)?, total(1)?, total(2)?);
    Ok(RecomputeReport { groups, responses, scanned, channel_rows })
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
