//! Rebuilding the live counters (`survey_counter` with its per-channel columns; `channel_counter` is a view
//! of them) from the accepted raw responses.
//!
//! Responses are stored compactly (two 15-bit masks: asked, answered «Да»), so a recompute is a scan that
//! adds bits, never a parse. On SQLite one streaming scan of the compact columns (organisation, period,
//! channel, the two masks, whether accepted) folds every response into a per-(organisation, period)
//! accumulator with a byte-table tight loop — the SQLite C API on read connections, in parallel over
//! rowid ranges ([`sqlite`]); on PostgreSQL the server does the same fold with bit operations in one
//! `GROUP BY`, so no response row crosses the connection ([`postgres`]). The counters are replaced in
//! the same transaction. While it runs no response can be
//! inserted: on SQLite the transaction holds the write lock from its first statement (readers see
//! exactly the committed responses), on PostgreSQL `response` is locked in SHARE mode, so the rebuilt
//! counters are exactly those of the responses stored at commit.

mod postgres;
mod sqlite;

use crate::Db;
use crate::channels::{CHANNELS, counter_column};
use crate::error::Result;
use nok_methodology::{AnswerCounts, QUESTION_COUNT, YesNo};
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query, SimpleExpr};
use sea_orm::{ConnectionTrait, DatabaseBackend, DatabaseTransaction, TransactionTrait};
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// The columns every backend scan reads, in this order; the last is 1 for accepted responses.
const SCAN_COLUMNS: &str =
    "organization_id, period, channel, asked, yes, CASE WHEN status = 'accepted' THEN 1 ELSE 0 END";

/// What a recompute did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct RecomputeReport {
    /// (organisation, period) counter rows written.
    pub groups: u64,
    /// Accepted responses counted.
    pub responses: u64,
    /// Responses scanned (accepted or not).
    pub scanned: u64,
    /// (organisation, period, channel) counts written (non-zero channel columns).
    pub channel_rows: u64,
}

/// Bit `j` of byte `b` as 0/1, for adding eight per-question lanes at once.
const BITS: [[u8; 8]; 256] = {
    let mut t = [[0u8; 8]; 256];
    let mut b = 0;
    while b < 256 {
        let mut j = 0;
        while j < 8 {
            t[b][j] = ((b >> j) & 1) as u8;
            j += 1;
        }
        b += 1;
    }
    t
};

/// Counts of one (organisation, period) while scanning: per-bit totals of `asked` and `yes`.
#[derive(Clone)]
struct Group {
    organization_id: i32,
    period: i32,
    responses: u64,
    asked: [u64; 16],
    yes: [u64; 16],
    /// Responses per channel, indexed like [`Accumulator::channels`].
    channels: Vec<u64>,
}

impl Group {
    fn new(organization_id: i32, period: i32) -> Group {
        Group { organization_id, period, responses: 0, asked: [0; 16], yes: [0; 16], channels: Vec::new() }
    }

    /// Adds one response: four byte lookups, each adding eight lanes (vectorised by the compiler).
    #[inline]
    fn add(&mut self, asked: u16, yes: u16) {
        let asked = asked & 0x7fff;
        let yes = yes & asked;
        add_byte(&mut self.asked[..8], asked as u8);
        add_byte(&mut self.asked[8..], (asked >> 8) as u8);
        add_byte(&mut self.yes[..8], yes as u8);
        add_byte(&mut self.yes[8..], (yes >> 8) as u8);
        self.responses += 1;
    }

    fn answers(&self) -> AnswerCounts {
        let mut out = AnswerCounts::new();
        for (i, c) in out.0.iter_mut().enumerate().take(QUESTION_COUNT) {
            *c = YesNo { yes: self.yes[i], no: self.asked[i] - self.yes[i] };
        }
        out
    }
}

#[inline]
fn add_byte(lanes: &mut [u64], byte: u8) {
    let bits = &BITS[usize::from(byte)];
    for (lane, bit) in lanes.iter_mut().zip(bits) {
        *lane += u64::from(*bit);
    }
}

/// A multiply-rotate hasher for the small integer keys of the scan (SipHash would dominate the loop).
#[derive(Default)]
struct KeyHasher(u64);

impl Hasher for KeyHasher {
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.write_u64(u64::from(*b));
        }
    }
    fn write_i32(&mut self, v: i32) {
        self.write_u64(u64::from(v as u32));
    }
    fn write_u64(&mut self, v: u64) {
        self.0 = (self.0.rotate_left(26) ^ v).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

/// All groups of a scan, with a one-entry cache for runs of the same (organisation, period).
#[derive(Default)]
pub(super) struct Accumulator {
    index: HashMap<(i32, i32), usize, BuildHasherDefault<KeyHasher>>,
    groups: Vec<Group>,
    channels: Vec<String>,
    last_key: Option<((i32, i32), usize)>,
    last_channel: usize,
    scanned: u64,
    responses: u64,
}

impl Accumulator {
    fn group(&mut self, organization_id: i32, period: i32) -> usize {
        let key = (organization_id, period);
        if let Some((k, i)) = self.last_key
            && k == key
        {
            return i;
        }
        let next = self.groups.len();
        let i = *self.index.entry(key).or_insert(next);
        if i == next {
            self.groups.push(Group::new(organization_id, period));
        }
        self.last_key = Some((key, i));
        i
    }

    fn channel(&mut self, name: &[u8]) -> usize {
        if self.channels.get(self.last_channel).is_some_and(|c| c.as_bytes() == name) {
            return self.last_channel;
        }
        let i = match self.channels.iter().position(|c| c.as_bytes() == name) {
            Some(i) => i,
            None => {
                self.channels.push(String::from_utf8_lossy(name).into_owned());
                self.channels.len() - 1
            }
        };
        self.last_channel = i;
        i
    }

    /// Adds one scanned row; `accepted` false only counts it as scanned.
    #[inline]
    pub(super) fn add(&mut self, organization_id: i32, period: i32, channel: &[u8], masks: (i64, i64), accepted: bool) {
        self.scanned += 1;
        if !accepted {
            return;
        }
        // Masks outside 0..=0x7fff have no meaning; their valid bits are counted as every consumer does.
        let (asked, yes) = ((masks.0 & 0x7fff) as u16, (masks.1 & 0x7fff) as u16);
        let g = self.group(organization_id, period);
        let c = self.channel(channel);
        let group = &mut self.groups[g];
        group.add(asked, yes);
        if group.channels.len() <= c {
            group.channels.resize(c + 1, 0);
        }
        group.channels[c] += 1;
        self.responses += 1;
    }

    /// Adds the counts of another scan (of a disjoint part of the table).
    pub(super) fn merge(&mut self, other: Accumulator) {
        self.scanned += other.scanned;
        self.responses += other.responses;
        for g in other.groups {
            let i = self.group(g.organization_id, g.period);
            let mine = &mut self.groups[i];
            mine.responses += g.responses;
            for (a, b) in mine.asked.iter_mut().zip(g.asked) {
                *a += b;
            }
            for (a, b) in mine.yes.iter_mut().zip(g.yes) {
                *a += b;
            }
            for (c, n) in g.channels.iter().enumerate().filter(|(_, n)| **n > 0) {
                let mine_c = self.channel(other.channels[c].as_bytes());
                let group = &mut self.groups[i];
                if group.channels.len() <= mine_c {
                    group.channels.resize(mine_c + 1, 0);
                }
                group.channels[mine_c] += n;
            }
        }
    }
}

/// Rebuilds the counters of `period` (all periods when `None`) from the accepted responses.
pub async fn run(db: &Db, period: Option<i32>) -> Result<RecomputeReport> {
    let txn = db.write.begin().await?;
    lock_and_clear(&txn, period).await?;
    let report = if db.is_sqlite() {
        let acc = sqlite::scan(db, period).await?;
        write(&txn, &acc).await?
    } else {
        postgres::rebuild(&txn, period).await?
    };
    txn.commit().await?;
    Ok(report)
}

/// One pass of `SELECT asked, yes FROM response` as bare as the backend allows (SQLite: the C API on
/// one connection; PostgreSQL: one sqlx stream): the floor benchmarks measure a recompute against.
/// Returns the rows read.
pub async fn baseline_scan(db: &Db) -> Result<u64> {
    if db.is_sqlite() { sqlite::bare_scan(db).await } else { postgres::bare_scan(db).await }
}

/// Stops inserts for the rest of the transaction and deletes the counters to be rebuilt.
async fn lock_and_clear(txn: &DatabaseTransaction, period: Option<i32>) -> Result<()> {
    if ConnectionTrait::get_database_backend(txn) == DatabaseBackend::Postgres {
        txn.execute_unprepared("LOCK TABLE response IN SHARE MODE").await?;
    }
    // On SQLite the first DELETE takes the database's write lock for the rest of the transaction.
    let mut stmt = Query::delete();
    stmt.from_table(Alias::new("survey_counter"));
    if let Some(p) = period {
        stmt.and_where(Expr::col(Alias::new("period")).eq(p));
    }
    txn.execute(&stmt).await?;
    Ok(())
}

/// Inserts the rebuilt counters. Responses of a channel outside [`CHANNELS`] count in `responses` only,
/// as the triggers count them.
async fn write(txn: &DatabaseTransaction, acc: &Accumulator) -> Result<RecomputeReport> {
    let mut columns = vec![Alias::new("organization_id"), Alias::new("period"), Alias::new("responses")];
    for q in 1..=QUESTION_COUNT {
        columns.push(Alias::new(format!("q{q}_yes")));
        columns.push(Alias::new(format!("q{q}_no")));
    }
    columns.extend(CHANNELS.iter().map(|c| Alias::new(counter_column(c))));
    // Where each counted channel sits in the accumulator's list.
    let slots: Vec<Option<usize>> = CHANNELS.iter().map(|c| acc.channels.iter().position(|seen| seen == c)).collect();
    let mut channel_rows = 0u64;
    for chunk in super::chunking::statement_chunks(&acc.groups) {
        let mut insert = Query::insert();
        insert.into_table(Alias::new("survey_counter")).columns(columns.clone());
        for g in chunk {
            let mut values: Vec<SimpleExpr> =
                vec![g.organization_id.into(), g.period.into(), count(g.responses).into()];
            for c in g.answers().0 {
                values.push(count(c.yes).into());
                values.push(count(c.no).into());
            }
            for slot in &slots {
                let n = slot.and_then(|i| g.channels.get(i).copied()).unwrap_or(0);
                channel_rows += u64::from(n > 0);
                values.push(count(n).into());
            }
            insert.values_panic(values);
        }
        txn.execute(&insert).await?;
    }
    Ok(RecomputeReport {
        groups: acc.groups.len() as u64,
        responses: acc.responses,
        scanned: acc.scanned,
        channel_rows,
    })
}

fn count(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn byte_table_counts_like_add_mask() {
        let mut g = Group::new(1, 2026);
        let mut expected = AnswerCounts::new();
        for i in 0u32..3000 {
            let x = i.wrapping_mul(2_654_435_761);
            let m = nok_methodology::AnswerMask { asked: x as u16, yes: (x >> 11) as u16 };
            g.add(m.asked, m.yes);
            expected.add_mask(m);
        }
        assert_eq!(g.answers(), expected);
        assert_eq!(g.responses, 3000);
    }
}
