//! Live-indicator benchmark: `nok bench recompute --organizations 10000 --responses 2000000
//! [--postgres URL]`.
//!
//! Fills a database with N organisations and M responses (written straight into `response`, ~2 %
//! flagged), then measures in the same run: the full recompute of the counters against two baselines —
//! a bare `SELECT asked, yes FROM response` streamed through sqlx rows, and the same scan as bare as the
//! backend allows (the SQLite C API on one connection; a sqlx stream on PostgreSQL); reading one
//! organisation's live scores; and a response insert with its counter update against the bare insert
//! of the same row, one per transaction and 100 per transaction (group commit).

use super::per_second;
use anyhow::Context;
use nok_methodology::Sphere;
use nok_store::Db;
use nok_store::entities::{organization, response};
use nok_store::repo::organizations::{public_id_for, search_text};
use nok_store::repo::scores;
use nok_store::repo::survey::{self, NewResponse};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use sea_orm::{ActiveValue::Set, ConnectionTrait, EntityTrait, IntoActiveModel, TransactionTrait};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

#[derive(clap::Args)]
pub struct Args {
    #[arg(long, default_value_t = 10_000)]
    pub organizations: usize,
    #[arg(long, default_value_t = 2_000_000)]
    pub responses: u64,
    /// Measure on PostgreSQL (a server URL whose user may create databases) instead of SQLite.
    #[arg(long)]
    pub postgres: Option<String>,
    /// Directory of the SQLite database (default: a temporary directory, removed afterwards).
    #[arg(long)]
    pub dir: Option<PathBuf>,
    /// Keep and reuse an existing benchmark database of the same size instead of filling a new one.
    #[arg(long)]
    pub reuse: bool,
    /// Score reads and single inserts to time.
    #[arg(long, default_value_t = 2000)]
    pub samples: usize,
}

const PERIOD: i32 = 2026;
const CHANNELS: [&str; 6] = ["qr_poster", "portal", "operator_interview", "website_widget", "phone", "paper"];
const DB_NAME: &str = "nok_bench_recompute";

pub async fn run(args: Args) -> anyhow::Result<ExitCode> {
    let tmp = tempfile::tempdir()?;
    let dir = args.dir.clone().unwrap_or_else(|| tmp.path().to_path_buf());
    let db = open(&dir, args.postgres.as_deref(), args.reuse).await?;
    let backend = if args.postgres.is_some() { "postgres" } else { "sqlite" };
    println!("backend: {backend}, organisations: {}, responses: {}", args.organizations, args.responses);

    let orgs = ensure_organizations(&db, args.organizations).await?;
    remove_insert_samples(&db).await?;
    let have = count(&db, "SELECT COUNT(*) FROM response").await?;
    if have != args.responses {
        anyhow::ensure!(
            have == 0,
            "the database holds {have} responses, not {}: drop it or omit --reuse",
            args.responses
        );
        let start = Instant::now();
        fill_responses(&db, &orgs, args.responses).await?;
        let t = start.elapsed();
        println!(
            "fill (batched inserts straight into response; setup only): {:.1} s, {} rows/s",
            t.as_secs_f64(),
            per_second(args.responses, t)
        );
    }
    if backend == "postgres" {
        db.write.execute_unprepared("VACUUM ANALYZE response").await?;
    }

    // The limit: one pass over the response table, through the driver and as bare as the backend allows.
    let (driver, rows) = bare_scan(&db).await?;
    println!(
        "baseline 1: SELECT asked, yes FROM response, sqlx rows:        {:>7.2} s  {:>10} rows/s",
        driver.as_secs_f64(),
        per_second(rows, driver)
    );
    let start = Instant::now();
    let rows = nok_store::repo::recompute::baseline_scan(&db).await?;
    let scan = start.elapsed();
    println!(
        "baseline 2: the same on one connection, {:<22}{:>7.2} s  {:>10} rows/s",
        if backend == "sqlite" { "SQLite C API:" } else { "sqlx stream:" },
        scan.as_secs_f64(),
        per_second(rows, scan)
    );
    let start = Instant::now();
    let report = scores::recompute(&db, None).await?;
    let recompute = start.elapsed();
    println!(
        "nok recompute (scan, fold, rewrite {:>6} counter rows):   {:>7.2} s  {:>10} rows/s  = {:.2} × baseline 2",
        report.groups,
        recompute.as_secs_f64(),
        per_second(report.scanned, recompute),
        recompute.as_secs_f64() / scan.as_secs_f64().max(1e-9)
    );
    let counted = count(&db, "SELECT CAST(SUM(responses) AS BIGINT) FROM survey_counter").await?;
    let accepted = count(&db, "SELECT COUNT(*) FROM response WHERE status = 'accepted'").await?;
    anyhow::ensure!(
        counted == accepted && report.responses == accepted,
        "counters hold {counted}, {accepted} responses are accepted"
    );

    read_scores(&db, &orgs, args.samples).await?;
    insert_cost(&db, &orgs, args.samples).await?;
    remove_insert_samples(&db).await?;
    db.close().await?;
    Ok(ExitCode::SUCCESS)
}

/// The benchmark database: kept (with `--reuse`) or created afresh.
async fn open(dir: &std::path::Path, postgres: Option<&str>, reuse: bool) -> anyhow::Result<Db> {
    if postgres.is_none() {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    }
    if !reuse {
        return super::scratch_db(dir, DB_NAME, postgres).await;
    }
    match postgres {
        Some(url) => {
            let admin = Db::connect(url).await?;
            let exists = admin
                .read
                .query_one_raw(sea_orm::Statement::from_sql_and_values(
                    admin.backend(),
                    "SELECT 1 FROM pg_database WHERE datname = $1",
                    [DB_NAME.into()],
                ))
                .await?
                .is_some();
            if !exists {
                admin.write.execute_unprepared(&format!("CREATE DATABASE \"{DB_NAME}\"")).await?;
            }
            let base = url.rsplit_once('/').map(|(b, _)| b).unwrap_or(url);
            Ok(Db::open(&format!("{base}/{DB_NAME}")).await?)
        }
        None => Ok(Db::open(&format!("sqlite://{}", dir.join(format!("{DB_NAME}.db")).display())).await?),
    }
}

/// Ids of the responses the insert measurement adds start here (the filled ones are 1…M).
const SAMPLE_IDS: u128 = 1 << 100;

/// Deletes the responses added by the insert measurement, so a kept database keeps its size.
async fn remove_insert_samples(db: &Db) -> anyhow::Result<()> {
    let first = uuid::Uuid::from_u128(SAMPLE_IDS).to_string();
    db.write
        .execute_raw(sea_orm::Statement::from_sql_and_values(
            db.backend(),
            if db.is_sqlite() { "DELETE FROM response WHERE id >= ?" } else { "DELETE FROM response WHERE id >= $1" },
            [first.into()],
        ))
        .await?;
    Ok(())
}

async fn count(db: &Db, sql: &str) -> anyhow::Result<u64> {
    let row = db.read.query_one_raw(sea_orm::Statement::from_string(db.backend(), sql.to_owned())).await?;
    let n: Option<i64> = row.map(|r| r.try_get_by_index(0)).transpose()?.flatten();
    Ok(n.and_then(|n| u64::try_from(n).ok()).unwrap_or(0))
}

/// Ids and spheres of `n` organisations, inserting those missing.
async fn ensure_organizations(db: &Db, n: usize) -> anyhow::Result<Vec<(i32, Sphere)>> {
    let have = count(db, "SELECT COUNT(*) FROM organization").await? as usize;
    if have < n {
        let now = nok_store::time_util::now();
        let txn = db.write.begin().await?;
        let seeds: Vec<u64> = (have as u64 + 1..=n as u64).collect();
        for chunk in seeds.chunks(1000) {
            let rows: Vec<organization::ActiveModel> = chunk
                .iter()
                .map(|&seed| {
                    let inn = nok_registry::ids::make_inn(seed);
                    let name = format!("Учреждение {seed}");
                    organization::ActiveModel {
                        id: Default::default(),
                        public_id: Set(public_id_for(&inn)),
                        search_text: Set(search_text(&name, &name, &inn)),
                        inn: Set(inn),
                        ogrn: Set(None),
                        kpp: Set(None),
                        full_name: Set(name.clone()),
                        short_name: Set(name),
                        address: Set("г. Ярославль".into()),
                        latitude: Set(None),
                        longitude: Set(None),
                        website: Set(None),
                        email: Set(None),
                        phone: Set(None),
                        sphere: Set(Sphere::ALL[seed as usize % Sphere::ALL.len()].code().to_owned()),
                        region_code: Set("76".into()),
                        municipality: Set(None),
                        authority_id: Set(None),
                        population: Set(1000 + (seed % 2000) as i64),
                        active: Set(true),
                        created_at: Set(now),
                        updated_at: Set(now),
                    }
                })
                .collect();
            organization::Entity::insert_many(rows).exec_without_returning(&txn).await?;
        }
        txn.commit().await?;
    }
    let rows = db
        .read
        .query_all_raw(sea_orm::Statement::from_string(
            db.backend(),
            "SELECT id, sphere FROM organization ORDER BY id".to_owned(),
        ))
        .await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows.iter().take(n) {
        let id: i32 = r.try_get_by_index(0)?;
        let sphere: String = r.try_get_by_index(1)?;
        out.push((id, Sphere::from_code(&sphere).unwrap_or(Sphere::Culture)));
    }
    Ok(out)
}

/// One plausible respondent: filters respected, q5 only where asked, high «Да» rates.
fn respondent(rng: &mut ChaCha8Rng, sphere: Sphere) -> (u16, u16) {
    let (mut asked, mut yes) = (0u16, 0u16);
    let mut answer = |q: u16, p: f64, asked: &mut u16, yes: &mut u16| {
        *asked |= 1 << (q - 1);
        let v = rng.random_bool(p);
        if v {
            *yes |= 1 << (q - 1);
        }
        v
    };
    for (filter, follow, p) in [(1, 2, 0.6), (3, 4, 0.5), (7, 8, 0.12), (11, 12, 0.35)] {
        if answer(filter, p, &mut asked, &mut yes) {
            answer(follow, 0.9, &mut asked, &mut yes);
        }
    }
    if sphere.uses_waiting_time() {
        answer(5, 0.88, &mut asked, &mut yes);
    }
    for q in [6, 9, 10, 13, 14, 15] {
        answer(q, 0.9, &mut asked, &mut yes);
    }
    (asked, yes)
}

fn new_response(rng: &mut ChaCha8Rng, orgs: &[(i32, Sphere)], id: u128) -> NewResponse {
    let (org, sphere) = orgs[rng.random_range(0..orgs.len())];
    let (asked, yes) = respondent(rng, sphere);
    NewResponse {
        id: uuid::Uuid::from_u128(id),
        organization_id: org,
        period: PERIOD,
        channel: CHANNELS[rng.random_range(0..CHANNELS.len())].to_owned(),
        asked,
        yes,
        sex: Some(if rng.random_bool(0.6) { "f" } else { "m" }.to_owned()),
        age: Some(rng.random_range(18..90)),
        suggestions_sealed: None,
        device_hash: None,
        ip_hash: None,
        flag_reason: rng.random_bool(0.02).then(|| "bench".to_owned()),
        created_at: 1_767_225_600 + (id as i64 % 30_000_000),
    }
}

/// Writes `n` responses straight into `response` (counted by the triggers on SQLite, not at all on
/// PostgreSQL, whose insert statement of `survey` counts; the recompute measured next rebuilds them).
async fn fill_responses(db: &Db, orgs: &[(i32, Sphere)], n: u64) -> anyhow::Result<()> {
    // Secondary indexes are dropped for the fill and built again afterwards (setup speed only).
    let indexes = secondary_indexes(db).await?;
    for (name, _) in &indexes {
        db.write.execute_unprepared(&format!("DROP INDEX \"{name}\"")).await?;
    }
    let mut rng = ChaCha8Rng::seed_from_u64(2026);
    let pb = crate::progress::bar(Some(n), "responses");
    let mut next: u128 = 1;
    while u128::from(n) >= next {
        let txn = db.write.begin().await?;
        for _ in 0..100 {
            let rows: Vec<response::ActiveModel> = (0..1000)
                .take_while(|i| next + i <= u128::from(n))
                .map(|i| survey::to_model(&new_response(&mut rng, orgs, next + i)).into_active_model())
                .collect();
            if rows.is_empty() {
                break;
            }
            next += rows.len() as u128;
            pb.inc(rows.len() as u64);
            response::Entity::insert_many(rows).exec_without_returning(&txn).await?;
        }
        txn.commit().await?;
    }
    pb.finish_and_clear();
    for (_, create) in &indexes {
        db.write.execute_unprepared(create).await?;
    }
    Ok(())
}

/// `(name, CREATE INDEX statement)` of the indexes of `response` other than its primary key.
async fn secondary_indexes(db: &Db) -> anyhow::Result<Vec<(String, String)>> {
    let sql = if db.is_sqlite() {
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'response' AND sql IS NOT NULL"
    } else {
        "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'response' AND indexname <> 'response_pkey'"
    };
    let rows = db.read.query_all_raw(sea_orm::Statement::from_string(db.backend(), sql.to_owned())).await?;
    let mut out = Vec::new();
    for r in rows {
        out.push((r.try_get_by_index::<String>(0)?, r.try_get_by_index::<String>(1)?));
    }
    Ok(out)
}

/// Streams `SELECT asked, yes FROM response` with the driver alone; returns the time and rows.
async fn bare_scan(db: &Db) -> anyhow::Result<(Duration, u64)> {
    use futures::TryStreamExt;
    use sea_orm::sqlx::{self, Row};
    let start = Instant::now();
    let (mut n, mut x) = (0u64, 0i64);
    if db.is_sqlite() {
        let mut rows = sqlx::query("SELECT asked, yes FROM response").fetch(db.read.get_sqlite_connection_pool());
        while let Some(r) = rows.try_next().await? {
            x ^= i64::from(r.try_get::<i32, _>(0)?) + i64::from(r.try_get::<i32, _>(1)?);
            n += 1;
        }
    } else {
        let mut rows = sqlx::query("SELECT asked, yes FROM response").fetch(db.read.get_postgres_connection_pool());
        while let Some(r) = rows.try_next().await? {
            x ^= i64::from(r.try_get::<i32, _>(0)?) + i64::from(r.try_get::<i32, _>(1)?);
            n += 1;
        }
    }
    std::hint::black_box(x);
    Ok((start.elapsed(), n))
}

/// Percentiles of a set of durations, in microseconds.
fn describe(mut d: Vec<Duration>) -> String {
    d.sort_unstable();
    let us = |i: usize| d[i.min(d.len() - 1)].as_secs_f64() * 1e6;
    let mean = d.iter().map(Duration::as_secs_f64).sum::<f64>() / d.len().max(1) as f64 * 1e6;
    format!("mean {mean:>7.0} µs, median {:>7.0} µs, p99 {:>7.0} µs", us(d.len() / 2), us(d.len() * 99 / 100))
}

/// Times `live_scores` of random organisations (target: under 1 ms).
async fn read_scores(db: &Db, orgs: &[(i32, Sphere)], samples: usize) -> anyhow::Result<()> {
    let mut rng = ChaCha8Rng::seed_from_u64(7);
    let mut times = Vec::with_capacity(samples);
    for _ in 0..samples {
        let (id, sphere) = orgs[rng.random_range(0..orgs.len())];
        let start = Instant::now();
        let live = scores::live_scores(&db.read, id, sphere, PERIOD).await?;
        times.push(start.elapsed());
        std::hint::black_box(live);
    }
    println!("read one organisation's live scores (counters + checklist + engine): {}", describe(times));
    Ok(())
}

/// A response insert with its counter update against the bare insert of the same row, one
/// transaction per response and 100 per transaction, interleaved to share the machine's noise.
///
/// The bare insert stores the same kind of row flagged, which is not counted (SQLite's triggers skip it;
/// PostgreSQL's insert statement groups no rows into its counter upsert); both pay the same foreign-key
/// check and indexes. The time runs from after `BEGIN` to the end of `COMMIT`, for both.
async fn insert_cost(db: &Db, orgs: &[(i32, Sphere)], samples: usize) -> anyhow::Result<()> {
    let mut rng = ChaCha8Rng::seed_from_u64(99);
    let mut next_id: u128 = SAMPLE_IDS;
    let mut fresh = |rng: &mut ChaCha8Rng, counted: bool| {
        next_id += 1;
        let mut r = new_response(rng, orgs, next_id);
        r.flag_reason = (!counted).then(|| "bench".to_owned());
        r
    };
    for per_transaction in [1usize, 100] {
        let rounds = if per_transaction == 1 { samples } else { (samples / 10).max(20) };
        let (mut bare, mut counted) = (Vec::new(), Vec::new());
        for round in 0..rounds {
            let order = if round % 2 == 0 { [true, false] } else { [false, true] };
            for with_counters in order {
                let rows: Vec<NewResponse> = (0..per_transaction).map(|_| fresh(&mut rng, with_counters)).collect();
                let txn = db.write.begin().await?;
                let start = Instant::now();
                survey::insert_rows(&txn, &rows).await?;
                txn.commit().await?;
                let per_row = start.elapsed() / per_transaction as u32;
                if with_counters { counted.push(per_row) } else { bare.push(per_row) }
            }
        }
        let label = if per_transaction == 1 { "one per transaction" } else { "100 per transaction" };
        report_overhead(label, bare, counted);
    }
    Ok(())
}

fn report_overhead(label: &str, bare: Vec<Duration>, counted: Vec<Duration>) {
    let mean = |d: &[Duration]| d.iter().map(Duration::as_secs_f64).sum::<f64>() / d.len().max(1) as f64 * 1e6;
    let median = |mut d: Vec<Duration>| {
        d.sort_unstable();
        d[d.len() / 2].as_secs_f64() * 1e6
    };
    let (bm, cm) = (mean(&bare), mean(&counted));
    let (b, c) = (median(bare), median(counted));
    println!(
        "insert, {label}: bare {b:>5.0} µs, with counter update {c:>5.0} µs per response (median; mean {bm:.0} / {cm:.0}): \
         counters add {:+.0} % (mean {:+.0} %)",
        (c / b - 1.0) * 100.0,
        (cm / bm - 1.0) * 100.0
    );
}
