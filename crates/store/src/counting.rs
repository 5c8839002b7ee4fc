//! How stored responses count in `survey_counter`, as SQL the program runs (built from the current
//! [`CHANNELS`]; the migrations keep their own frozen text).
//!
//! Where the counting happens:
//! * SQLite: the row triggers of migration `m0015_counter_triggers`, for inserts, status changes and
//!   deletions alike (a row trigger there costs about nothing).
//! * PostgreSQL: the insert statement itself counts the rows it stored: `repo::survey` writes a batch as
//!   one data-modifying `WITH` whose second part is [`add_rows`] over the first part's `RETURNING`
//!   (migration `m0017_postgres_insert_counting` dropped the insert trigger, so the counting is planned
//!   with the insert instead of running as a PL/pgSQL function over a transition table). Status changes and
//!   deletions stay with the statement triggers of m0015.
//!
//! The deltas per accepted response: `responses` 1; for question *k* (bit *k−1* of the masks) `qk_yes` 1
//! when it was asked and answered «Да», `qk_no` 1 when it was asked and answered «Нет»; `ch_<code>` 1 for
//! its channel.

use crate::channels::{CHANNELS, counter_column};

const QUESTIONS: u32 = 15;

/// `(counter column, SQL aggregate over rows aliased r)`, in the column order of `survey_counter`.
fn sums() -> Vec<(String, String)> {
    let mut out = vec![("responses".to_owned(), "COUNT(*)".to_owned())];
    for bit in 0..QUESTIONS {
        let q = bit + 1;
        out.push((format!("q{q}_yes"), format!("SUM(((r.asked & r.yes) >> {bit}) & 1)")));
        out.push((format!("q{q}_no"), format!("SUM(((r.asked & ~r.yes) >> {bit}) & 1)")));
    }
    for c in CHANNELS {
        out.push((counter_column(c), format!("SUM(CASE WHEN r.channel = '{c}' THEN 1 ELSE 0 END)")));
    }
    out
}

/// PostgreSQL: adds the accepted rows of `rows` (a table or `WITH` name with the columns
/// `organization_id, period, channel, asked, yes, status`) to their counters, one grouped upsert in key
/// order (concurrent batches lock counter rows in the same order).
pub(crate) fn add_rows(rows: &str) -> String {
    let sums = sums();
    let cols: Vec<&str> = sums.iter().map(|(c, _)| c.as_str()).collect();
    let exprs: Vec<&str> = sums.iter().map(|(_, e)| e.as_str()).collect();
    let set: Vec<String> = cols.iter().map(|c| format!("{c} = survey_counter.{c} + excluded.{c}")).collect();
    format!(
        "INSERT INTO survey_counter (organization_id, period, {cols}) \
         SELECT r.organization_id, r.period, {exprs} FROM {rows} AS r WHERE r.status = 'accepted' \
         GROUP BY r.organization_id, r.period ORDER BY r.organization_id, r.period \
         ON CONFLICT (organization_id, period) DO UPDATE SET {set}",
        cols = cols.join(", "),
        exprs = exprs.join(", "),
        set = set.join(", "),
    )
}

#[cfg(test)]
mod tests {
    use super::add_rows;

    #[test]
    fn every_counter_column_is_summed_once() {
        let sql = add_rows("stored");
        assert!(sql.contains("FROM stored AS r WHERE r.status = 'accepted'"));
        for col in ["responses", "q1_yes", "q15_no", "ch_qr_poster", "ch_api"] {
            assert_eq!(sql.matches(&format!("{col} = survey_counter.{col} + excluded.{col}")).count(), 1, "{col}");
        }
        // organisation, period, responses, 30 answer columns, 10 channels
        let listed = sql.split_once('(').unwrap().1.split_once(')').unwrap().0;
        assert_eq!(listed.split(", ").count(), 2 + 1 + 30 + 10);
    }
}
