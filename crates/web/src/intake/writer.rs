//! Group commit: one writer task per instance takes accepted submissions from a queue, screens each batch
//! with the anti-fraud rules, stores the whole batch in one transaction (`survey::insert_batch`: insert if
//! the id is new, counters updated in the same transaction) and only then answers each waiting request.
//! A request is therefore acknowledged only after its response is durably committed, and many requests
//! share one commit.
//!
//! Anti-fraud rules decided here, from what is stored (so they hold across restarts and, on PostgreSQL,
//! across instances). On SQLite this process is the only writer, and the writer counts recent responses in
//! memory (`recent`, filled from the database at start); on PostgreSQL, or while that memory does not
//! cover a whole window, it asks the database:
//! * **device repeat** — the same device cookie already sent a response for the organisation within the
//!   window (24 h by default): the new one is stored *flagged*, not dropped;
//! * **burst** — one source (hashed client address) already sent `burst_max` responses for the organisation
//!   within the burst window: further ones are stored flagged.
//!
//! Flagged responses stay out of the counters until an authority accepts them (`repo::flagged`).

use super::recent::Recent;
use nok_store::Db;
use nok_store::repo::intake::{self, Receipt};
use nok_store::repo::survey::{self, NewResponse, Outcome};
use nok_store::time_util::now;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use tokio::sync::{mpsc, oneshot};

/// Flag reason of a repeat from one device for one organisation within the window.
pub const DEVICE_REPEAT: &str = "device_repeat";
/// Flag reason of a burst from one source for one organisation.
pub const BURST: &str = "burst";

/// The anti-fraud thresholds the writer applies.
#[derive(Clone, Copy, Debug)]
pub struct Rules {
    /// Seconds within which a second response from one device for one organisation is a repeat.
    pub device_window_secs: i64,
    /// Seconds over which responses from one source for one organisation are counted.
    pub burst_window_secs: i64,
    /// How many responses one source may send for one organisation within the window before flagging.
    pub burst_max: u64,
}

/// A stored response as the client is told about it.
#[derive(Clone, Debug)]
pub struct Stored {
    pub receipt: Receipt,
    /// `true` when this submission stored it; `false` when the id was stored before.
    pub created: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error("the intake writer has stopped")]
    Closed,
    #[error("storing the response failed: {0}")]
    Store(String),
}

/// Called after each commit with the public ids of the organisations whose counters changed.
pub type OnCommit = Arc<dyn Fn(&[String]) + Send + Sync>;

struct Job {
    response: NewResponse,
    public_id: String,
    reply: oneshot::Sender<Result<Stored, WriteError>>,
}

/// The queue into the writer task. Clone freely.
#[derive(Clone)]
pub struct Writer {
    tx: mpsc::Sender<Job>,
}

impl Writer {
    /// Starts the writer (needs a Tokio runtime). It ends when every `Writer` handle is dropped.
    ///
    /// On SQLite the writer runs on its own thread (`Handle::block_on`): each batch takes several round
    /// trips to SQLite's worker thread, and as a task among hundreds of busy request tasks it would wait
    /// in the run queue after each one. On PostgreSQL it stays a task: its round trips are socket reads
    /// that the runtime's I/O driver wakes, and that driver is polled by the runtime's own workers.
    pub fn start(db: Db, rules: Rules, batch_max: usize, queue: usize, on_commit: OnCommit) -> Writer {
        let (tx, rx) = mpsc::channel(queue.max(1));
        let sqlite = db.is_sqlite();
        let writer = run(db, rules, batch_max.max(1), rx, on_commit);
        if sqlite {
            let runtime = tokio::runtime::Handle::current();
            std::thread::Builder::new()
                .name("nok-intake-writer".into())
                .spawn(move || runtime.block_on(writer))
                .expect("the intake writer thread starts");
        } else {
            tokio::spawn(writer);
        }
        Writer { tx }
    }

    /// Queues a response and waits until its batch is committed.
    pub async fn store(&self, response: NewResponse, public_id: String) -> Result<Stored, WriteError> {
        let (reply, answer) = oneshot::channel();
        self.tx.send(Job { response, public_id, reply }).await.map_err(|_| WriteError::Closed)?;
        answer.await.map_err(|_| WriteError::Closed)?
    }
}

/// Entries each window of the writer's memory holds at most (about 40 MB each when full).
const MEMORY_CAPACITY: usize = 1_000_000;

async fn run(db: Db, rules: Rules, batch_max: usize, mut rx: mpsc::Receiver<Job>, on_commit: OnCommit) {
    let mut memory = if db.is_sqlite() { remember(&db, &rules).await } else { None };
    let mut jobs = Vec::with_capacity(batch_max);
    while rx.recv_many(&mut jobs, batch_max).await > 0 {
        metrics::histogram!("nok_intake_batch_size").record(jobs.len() as f64);
        commit(&db, &rules, memory.as_mut(), std::mem::take(&mut jobs), &on_commit).await;
    }
}

/// The writer's memory of the responses stored within the longer window, read from the database.
async fn remember(db: &Db, rules: &Rules) -> Option<Recent> {
    let since = now() - rules.device_window_secs.max(rules.burst_window_secs);
    let rows = match intake::stored_since(&db.write, since, MEMORY_CAPACITY as u64).await {
        Ok(rows) => rows,
        Err(e) => {
            tracing::warn!(error = %e, "reading recent responses failed; screening asks the database");
            return None;
        }
    };
    // When the limit cut the list, only what follows its oldest second is known in full.
    let complete_since = match rows.first() {
        Some(oldest) if rows.len() >= MEMORY_CAPACITY => oldest.created_at + 1,
        _ => since,
    };
    let mut recent = Recent::new(rules.device_window_secs, rules.burst_window_secs, MEMORY_CAPACITY, complete_since);
    for r in &rows {
        recent.record(r.created_at, r.device_hash.as_deref(), r.ip_hash.as_deref(), r.organization_id);
    }
    tracing::info!(responses = rows.len(), "intake screening memory loaded");
    Some(recent)
}

async fn commit(db: &Db, rules: &Rules, mut memory: Option<&mut Recent>, jobs: Vec<Job>, on_commit: &OnCommit) {
    let (mut responses, waiting): (Vec<NewResponse>, Vec<(String, oneshot::Sender<_>)>) =
        jobs.into_iter().map(|j| (j.response, (j.public_id, j.reply))).unzip();
    let started = std::time::Instant::now();
    if let Err(e) = screen(db, rules, memory.as_deref_mut(), &mut responses).await {
        tracing::error!(error = %e, "screening a batch failed");
        return fail_all(waiting, &e.to_string());
    }
    metrics::histogram!("nok_intake_screen_seconds").record(started.elapsed().as_secs_f64());
    let started = std::time::Instant::now();
    let stored = survey::insert_batch(db, &responses).await;
    metrics::histogram!("nok_intake_commit_seconds").record(started.elapsed().as_secs_f64());
    let outcomes = match stored {
        Ok(o) => o.into_iter().map(Ok).collect(),
        Err(e) => {
            // One bad response must not fail its neighbours: retry each on its own.
            tracing::warn!(error = %e, size = responses.len(), "batch insert failed; storing one by one");
            let mut each = Vec::with_capacity(responses.len());
            for r in &responses {
                each.push(survey::insert(db, r).await.map_err(|e| e.to_string()));
            }
            each
        }
    };
    let duplicates: Vec<uuid::Uuid> = responses
        .iter()
        .zip(&outcomes)
        .filter(|(_, o)| matches!(o, Ok(Outcome::Duplicate)))
        .map(|(r, _)| r.id)
        .collect();
    let earlier: HashMap<uuid::Uuid, Receipt> = match intake::receipts(&db.write, &duplicates).await {
        Ok(list) => list.into_iter().map(|r| (r.id, r)).collect(),
        Err(e) => {
            tracing::error!(error = %e, "reading receipts of repeated submissions failed");
            HashMap::new()
        }
    };
    if let Some(memory) = memory {
        for (r, _) in responses.iter().zip(&outcomes).filter(|(_, o)| matches!(o, Ok(Outcome::Created))) {
            memory.record(r.created_at, r.device_hash.as_deref(), r.ip_hash.as_deref(), r.organization_id);
        }
    }
    // Cached pages of the organisations whose counters changed are dropped before anyone is answered,
    // so a client that reloads the page after its 201 sees its response counted.
    let mut changed: Vec<String> = responses
        .iter()
        .zip(&outcomes)
        .zip(&waiting)
        .filter(|((r, o), _)| matches!(o, Ok(Outcome::Created)) && r.flag_reason.is_none())
        .map(|(_, (public_id, _))| public_id.clone())
        .collect();
    if !changed.is_empty() {
        changed.sort_unstable();
        changed.dedup();
        on_commit(&changed);
    }
    for ((r, outcome), (public_id, reply)) in responses.iter().zip(outcomes).zip(waiting) {
        let result = match outcome {
            Ok(Outcome::Created) => {
                metrics::counter!("nok_intake_stored_total", "flagged" => r.flag_reason.is_some().to_string())
                    .increment(1);
                Ok(Stored { receipt: receipt_of(r, public_id), created: true })
            }
            Ok(Outcome::Duplicate) => {
                metrics::counter!("nok_intake_repeated_total").increment(1);
                earlier
                    .get(&r.id)
                    .cloned()
                    .map(|receipt| Stored { receipt, created: false })
                    .ok_or_else(|| WriteError::Store("receipt missing".into()))
            }
            Err(e) => Err(WriteError::Store(e)),
        };
        let _ = reply.send(result);
    }
}

fn fail_all(waiting: Vec<(String, oneshot::Sender<Result<Stored, WriteError>>)>, error: &str) {
    for (_, reply) in waiting {
        let _ = reply.send(Err(WriteError::Store(error.to_string())));
    }
}

fn receipt_of(r: &NewResponse, public_id: String) -> Receipt {
    Receipt {
        id: r.id,
        organization_public_id: public_id,
        channel: r.channel.clone(),
        period: r.period,
        created_at: r.created_at,
    }
}

/// Sets `flag_reason` on the responses of the batch that break a rule, in arrival order.
async fn screen(
    db: &Db,
    rules: &Rules,
    memory: Option<&mut Recent>,
    responses: &mut [NewResponse],
) -> nok_store::error::Result<()> {
    let at = now();
    let (mut seen, mut counts) = match memory.and_then(|m| m.ready(at).then_some(m)) {
        Some(memory) => remembered(memory, rules, responses),
        None => stored(db, rules, responses, at).await?,
    };
    for r in responses.iter_mut() {
        let mut reason = None;
        if let Some(device) = &r.device_hash
            && !seen.insert((device.clone(), r.organization_id))
        {
            reason = Some(DEVICE_REPEAT);
        }
        if let Some(source) = &r.ip_hash {
            let n = counts.entry((source.clone(), r.organization_id)).or_insert(0);
            if *n >= rules.burst_max {
                reason = reason.or(Some(BURST));
            }
            *n += 1;
        }
        r.flag_reason = reason.map(str::to_string);
    }
    Ok(())
}

/// (device, organisation) pairs seen within the device window, and responses per (source, organisation)
/// within the burst window (up to `burst_max`), for the pairs of the batch.
type Screening = (HashSet<(String, i32)>, HashMap<(String, i32), u64>);

/// The batch's pairs as the writer's memory counts them.
fn remembered(memory: &Recent, rules: &Rules, responses: &[NewResponse]) -> Screening {
    let (mut seen, mut counts) = (HashSet::new(), HashMap::new());
    for r in responses {
        if let Some(device) = &r.device_hash
            && memory.devices.count(memory.key(device, r.organization_id)) > 0
        {
            seen.insert((device.clone(), r.organization_id));
        }
        if let Some(source) = &r.ip_hash {
            let n = memory.sources.count(memory.key(source, r.organization_id));
            if n > 0 {
                counts.insert((source.clone(), r.organization_id), u64::from(n).min(rules.burst_max));
            }
        }
    }
    (seen, counts)
}

/// The batch's pairs as the database counts them.
async fn stored(db: &Db, rules: &Rules, responses: &[NewResponse], at: i64) -> nok_store::error::Result<Screening> {
    let mut devices: Vec<String> = responses.iter().filter_map(|r| r.device_hash.clone()).collect();
    devices.sort_unstable();
    devices.dedup();
    let mut sources: Vec<(String, i32)> =
        responses.iter().filter_map(|r| r.ip_hash.clone().map(|s| (s, r.organization_id))).collect();
    sources.sort_unstable();
    sources.dedup();
    let seen = intake::devices_seen(&db.write, &devices, at - rules.device_window_secs).await?;
    let counts = intake::source_counts(&db.write, &sources, at - rules.burst_window_secs, rules.burst_max).await?;
    Ok((seen, counts))
}
