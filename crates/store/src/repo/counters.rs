//! Updating the live counters in the same transaction as the insert (or the acceptance) of responses.
//!
//! Changes are collected per (organisation, period) and per (organisation, period, channel) and
//! written with multi-row upserts — for a single response or a whole group-commit batch alike — so a
//! batch costs one statement per table (`chunking`) however many responses it holds. Every question
//! column is written (0 where nothing changes), so a statement of a given number of rows has one fixed
//! text and the database prepares it once.

use super::chunking::statement_chunks;
use crate::error::Result;
use sea_orm::ConnectionTrait;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, OnConflict, Query, SimpleExpr};
use std::collections::BTreeMap;

/// Per question «Да» and «Нет» deltas, in column order `q1_yes, q1_no, …, q15_no`.
type QuestionDeltas = [i64; 30];

/// Counter changes not yet written.
#[derive(Default, Debug)]
pub struct Pending {
    survey: BTreeMap<(i32, i32), (i64, QuestionDeltas)>,
    channels: BTreeMap<(i32, i32, String), i64>,
}

impl Pending {
    /// Adds `sign` (1, or −1 to take a response out) for one response's answers and channel.
    pub fn add(&mut self, organization_id: i32, period: i32, channel: &str, asked: u16, yes: u16, sign: i64) {
        let (responses, deltas) = self.survey.entry((organization_id, period)).or_insert((0, [0; 30]));
        *responses += sign;
        for q in 0..15usize {
            if asked & (1 << q) != 0 {
                let column = if yes & (1 << q) != 0 { 2 * q } else { 2 * q + 1 };
                deltas[column] += sign;
            }
        }
        *self.channels.entry((organization_id, period, channel.to_owned())).or_insert(0) += sign;
    }

    /// Whether nothing is pending.
    pub fn is_empty(&self) -> bool {
        self.survey.is_empty()
    }

    /// Writes the changes (creating counter rows where missing).
    pub async fn flush<C: ConnectionTrait>(self, conn: &C) -> Result<()> {
        let rows: Vec<_> = self.survey.into_iter().collect();
        for chunk in statement_chunks(&rows) {
            conn.execute(&survey_upsert(chunk)).await?;
        }
        let rows: Vec<_> = self.channels.into_iter().collect();
        for chunk in statement_chunks(&rows) {
            conn.execute(&channel_upsert(chunk)).await?;
        }
        Ok(())
    }
}

/// `col = table.col + excluded.col` for each column.
fn add_excluded(table: &str, keys: &[&str], columns: &[Alias]) -> OnConflict {
    let mut conflict = OnConflict::columns(keys.iter().map(|k| Alias::new(*k)));
    for c in columns {
        conflict.value(
            c.clone(),
            Expr::col((Alias::new(table), c.clone())).add(Expr::col((Alias::new("excluded"), c.clone()))),
        );
    }
    conflict
}

/// A counter row's key (organisation, period) and its deltas (responses, per-question yes/no).
type SurveyDelta = ((i32, i32), (i64, QuestionDeltas));

fn survey_upsert(rows: &[SurveyDelta]) -> sea_orm::sea_query::InsertStatement {
    let mut counted = vec![Alias::new("responses")];
    for q in 1..=15 {
        counted.push(Alias::new(format!("q{q}_yes")));
        counted.push(Alias::new(format!("q{q}_no")));
    }
    let mut insert = Query::insert();
    insert
        .into_table(Alias::new("survey_counter"))
        .columns([Alias::new("organization_id"), Alias::new("period")].into_iter().chain(counted.iter().cloned()));
    for ((organization_id, period), (responses, deltas)) in rows {
        let mut values: Vec<SimpleExpr> = vec![(*organization_id).into(), (*period).into(), (*responses).into()];
        values.extend(deltas.iter().map(|d| SimpleExpr::from(*d)));
        insert.values_panic(values);
    }
    insert.on_conflict(add_excluded("survey_counter", &["organization_id", "period"], &counted)).to_owned()
}

fn channel_upsert(rows: &[((i32, i32, String), i64)]) -> sea_orm::sea_query::InsertStatement {
    let mut insert = Query::insert();
    insert
        .into_table(Alias::new("channel_counter"))
        .columns(["organization_id", "period", "channel", "responses"].map(Alias::new));
    for ((organization_id, period, channel), n) in rows {
        insert.values_panic([(*organization_id).into(), (*period).into(), channel.as_str().into(), (*n).into()]);
    }
    insert
        .on_conflict(add_excluded(
            "channel_counter",
            &["organization_id", "period", "channel"],
            &[Alias::new("responses")],
        ))
        .to_owned()
}

/// Adds `sign` to the counters of (organisation, period) for one response's answers, and to its
/// channel's count; rows are created when missing.
pub async fn add_response<C: ConnectionTrait>(
    conn: &C,
    organization_id: i32,
    period: i32,
    channel: &str,
    asked: u16,
    yes: u16,
    sign: i64,
) -> Result<()> {
    let mut pending = Pending::default();
    pending.add(organization_id, period, channel, asked, yes, sign);
    pending.flush(conn).await
}

#[cfg(test)]
mod tests {
    use super::Pending;

    #[test]
    fn pending_sums_per_group_and_channel() {
        let mut p = Pending::default();
        p.add(1, 2026, "portal", 0b111, 0b101, 1);
        p.add(1, 2026, "portal", 0b1, 0b0, 1);
        p.add(1, 2026, "phone", 0b10, 0b10, 1);
        p.add(2, 2026, "portal", 0x8000, 0, 1);
        let (n, d) = p.survey[&(1, 2026)];
        assert_eq!(n, 3);
        assert_eq!(&d[..6], &[1, 1, 1, 1, 1, 0], "q1 yes/no, q2 yes/no, q3 yes/no");
        assert_eq!(p.channels[&(1, 2026, "portal".to_owned())], 2);
        assert_eq!(p.survey[&(2, 2026)], (1, [0; 30]), "bit 16 is not a question");
    }
}
