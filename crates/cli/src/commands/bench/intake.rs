//! Survey intake benchmark: `nok bench intake [--clients 200] [--seconds 5] [--postgres URL]`.
//!
//! Starts the real router in-process over a fresh database with demo organisations and measures, in the
//! same run and with the same load generator: an axum "hello" handler (the HTTP baseline); a batched store
//! insert of responses with their counter updates, without HTTP (the storage baseline); `POST
//! /api/v1/responses` from N concurrent clients (accepted = durably committed, answered after its group
//! commit); and the organisation page `GET /o/{id}`. Anti-fraud limits are raised so that the checks run
//! but never refuse. Afterwards every acknowledged response is checked to be stored and counted once. On
//! Linux it also prints, per kind of thread, the CPU the intake used and the time spent waiting for a core.

use super::http_load::{self, Measured};
use super::scratch_db;
use super::threads;
use nok_store::Db;
use nok_store::entities::organization;
use nok_store::repo::import::{ImportOptions, import_organizations};
use nok_store::repo::organizations::{self, OrgQuery};
use nok_store::repo::survey::{self, NewResponse};
use nok_store::{Actor, StoreError};
use sea_orm::{EntityTrait, PaginatorTrait};
use std::net::SocketAddr;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};

#[derive(clap::Args)]
pub struct Args {
    /// Concurrent clients.
    #[arg(long, default_value_t = 200)]
    pub clients: usize,
    /// Seconds each measurement runs (after one second of warm-up).
    #[arg(long, default_value_t = 5)]
    pub seconds: u64,
    /// Demo organisations the responses are spread over.
    #[arg(long, default_value_t = 400)]
    pub organizations: usize,
    /// Also measure on PostgreSQL (a server URL whose user may create databases).
    #[arg(long)]
    pub postgres: Option<String>,
}

const WARMUP: Duration = Duration::from_secs(1);

/// Serves `router` on a random local port in this process.
async fn serve(router: axum::Router) -> anyhow::Result<SocketAddr> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    tokio::spawn(async move {
        let _ = axum::serve(listener, router.into_make_service_with_connect_info::<SocketAddr>()).await;
    });
    Ok(addr)
}

async fn hello(addr_clients: usize, duration: Duration) -> anyhow::Result<Measured> {
    let router = axum::Router::new().route("/hello", axum::routing::get(|| async { "hello" }));
    let addr = serve(router).await?;
    let host = addr.to_string();
    Ok(http_load::run(
        addr,
        addr_clients,
        WARMUP,
        duration,
        &[200],
        Arc::new(move |_, _| http_load::get(&host, "/hello")),
    )
    .await)
}

/// A fresh database with `n` demo organisations; returns it and the organisations.
async fn seeded(
    dir: &std::path::Path,
    name: &str,
    postgres: Option<&str>,
    n: usize,
) -> anyhow::Result<(Db, Vec<organization::Model>)> {
    let db = scratch_db(dir, name, postgres).await?;
    let region = nok_registry::demo::generate(11, n);
    crate::commands::demo::create_authorities(&db, &region).await?;
    let rows = region.organizations.into_iter().enumerate().map(|(i, r)| (i + 2, Ok(r)));
    let report = import_organizations(&db, &Actor::system(), rows, &ImportOptions::default(), |_| {}).await?;
    anyhow::ensure!(report.committed, "seeding organisations failed: {:?}", report.errors.first());
    let mut orgs = Vec::new();
    for page in 1.. {
        let q = OrgQuery { page, per_page: 500, ..OrgQuery::default() };
        let p = organizations::list(&db.read, &Actor::system(), &q).await?;
        let done = p.page >= p.pages();
        orgs.extend(p.items);
        if done {
            break;
        }
    }
    Ok((db, orgs))
}

/// The answers of a complete response of the organisation's sphere as JSON and as masks, varied by `n`.
fn answers(sphere: &str, n: u64) -> (String, u16, u16) {
    let sphere = nok_methodology::Sphere::from_code(sphere).unwrap_or(nok_methodology::Sphere::Culture);
    let def = nok_methodology::Definition::current();
    let mut mask = nok_methodology::AnswerMask::EMPTY;
    let mut parts = Vec::new();
    for q in def.questionnaire(sphere) {
        if q.filtered_by.is_some_and(|f| mask.answer(f) != Some(true)) {
            continue;
        }
        let yes = (n.wrapping_mul(2_654_435_761) >> q.id.0) & 7 != 0;
        mask.set(q.id, yes);
        parts.push(format!("\"{}\":{yes}", q.id));
    }
    (format!("{{{}}}", parts.join(",")), mask.asked, mask.yes)
}

/// The storage baseline: `survey::insert_batch` of `n` responses in batches of 512, no HTTP, no checks.
async fn batched_insert(db: &Db, orgs: &[organization::Model], n: usize) -> anyhow::Result<f64> {
    let now = nok_store::time_util::now();
    let responses: Vec<NewResponse> = (0..n)
        .map(|i| {
            let org = &orgs[i % orgs.len()];
            let (_, asked, yes) = answers(&org.sphere, i as u64);
            NewResponse {
                id: uuid::Uuid::now_v7(),
                organization_id: org.id,
                period: nok_store::time_util::period_of(now),
                channel: "api".into(),
                asked,
                yes,
                sex: None,
                age: None,
                suggestions_sealed: None,
                device_hash: None,
                ip_hash: Some(format!("{:032x}", i % 200)),
                flag_reason: None,
                created_at: now,
            }
        })
        .collect();
    let start = Instant::now();
    for chunk in responses.chunks(512) {
        survey::insert_batch(db, chunk).await?;
    }
    Ok(n as f64 / start.elapsed().as_secs_f64().max(1e-9))
}

struct IntakeRun {
    intake: Measured,
    /// Mean responses per group commit (from the server's metrics; all runs in this process).
    batch: Option<f64>,
    /// Mean seconds per batch of the anti-fraud screening and of the insert transaction.
    screen: Option<f64>,
    commit: Option<f64>,
    page: Option<Measured>,
    /// Per kind of thread, CPU used and time spent waiting for a core during the intake (Linux).
    cpu: Vec<String>,
    stored: u64,
    counted: i64,
}

/// Intake (and, when asked, the organisation page) against the real router over `db`.
async fn intake(db: &Db, orgs: &[organization::Model], args: &Args, with_page: bool) -> anyhow::Result<IntakeRun> {
    let config =
        nok_web::WebConfig { intake: nok_web::intake::IntakeConfig::unlimited(), ..nok_web::WebConfig::default() };
    let state = nok_web::server::state(db.clone(), config).await?;
    let addr = serve(nok_web::router(state)).await?;
    let host = addr.to_string();
    let targets: Arc<Vec<(String, String)>> =
        Arc::new(orgs.iter().map(|o| (o.public_id.clone(), o.sphere.clone())).collect());
    let t = targets.clone();
    let h = host.clone();
    let make: http_load::MakeRequest = Arc::new(move |client, n| {
        let (pid, sphere) = &t[(client * 7919 + n as usize) % t.len()];
        let (answers, _, _) = answers(sphere, n ^ ((client as u64) << 32));
        let body = format!(
            "{{\"id\":\"{}\",\"organization_id\":\"{pid}\",\"channel\":\"api\",\"answers\":{answers},\"sex\":\"f\",\"age\":40}}",
            uuid::Uuid::now_v7()
        );
        http_load::post_json(&h, "/api/v1/responses", body)
    });
    let duration = Duration::from_secs(args.seconds);
    let before = threads::Snapshot::take();
    let measured = http_load::run(addr, args.clients, WARMUP, duration, &[201], make).await;
    let cpu = threads::report(&before, &threads::Snapshot::take());
    let metrics = http_load::fetch(addr, "/metrics").await.unwrap_or_default();
    let batch = histogram_mean(&metrics, "nok_intake_batch_size");
    let screen = histogram_mean(&metrics, "nok_intake_screen_seconds");
    let commit = histogram_mean(&metrics, "nok_intake_commit_seconds");
    let page = if with_page {
        let t = targets.clone();
        let make: http_load::MakeRequest = Arc::new(move |client, n| {
            http_load::get(&host, &format!("/o/{}", t[(client + n as usize * 13) % t.len().min(50)].0))
        });
        Some(http_load::run(addr, args.clients, WARMUP, duration, &[200], make).await)
    } else {
        None
    };
    // Every acknowledged response stored once and counted once (no response was flagged or refused).
    let stored = nok_store::entities::response::Entity::find().count(&db.read).await?;
    let counted = counters_total(db).await?;
    Ok(IntakeRun { intake: measured, page, cpu, stored, counted, batch, screen, commit })
}

/// Mean of a histogram (or summary) in a Prometheus text exposition.
fn histogram_mean(metrics: &str, name: &str) -> Option<f64> {
    let value = |suffix: &str| {
        let prefix = format!("{name}_{suffix} ");
        metrics.lines().find_map(|l| l.strip_prefix(&prefix).and_then(|rest| rest.trim().parse::<f64>().ok()))
    };
    Some(value("sum")? / value("count")?.max(1.0))
}

async fn counters_total(db: &Db) -> Result<i64, StoreError> {
    use sea_orm::ConnectionTrait;
    use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query};
    let stmt = Query::select()
        .expr(Expr::col(Alias::new("responses")).sum().cast_as(Alias::new("BIGINT")))
        .from(Alias::new("survey_counter"))
        .to_owned();
    let row = db.read.query_one(&stmt).await?;
    Ok(row.and_then(|r| r.try_get_by_index::<Option<i64>>(0).ok().flatten()).unwrap_or(0))
}

fn ratio(a: f64, b: f64) -> f64 {
    a / b.max(1e-9)
}

async fn backend(
    label: &str,
    dir: &std::path::Path,
    postgres: Option<&str>,
    args: &Args,
    hello_rps: f64,
    with_page: bool,
) -> anyhow::Result<()> {
    let (db, orgs) = seeded(dir, &format!("nok_bench_intake_{label}"), postgres, args.organizations).await?;
    let (base_db, base_orgs) =
        seeded(dir, &format!("nok_bench_insert_{label}"), postgres, args.organizations.min(50)).await?;
    let insert_rps = batched_insert(&base_db, &base_orgs, 20_000).await?;
    base_db.close().await?;
    let run = intake(&db, &orgs, args, with_page).await?;
    let rps = run.intake.per_second();
    println!("[{label}] batched store insert (baseline, no HTTP): {insert_rps:>9.0} responses/s");
    println!("[{label}] POST /api/v1/responses: {}", run.intake.line("accepted"));
    println!(
        "[{label}]   = {:.3} × axum hello, {:.3} × batched store insert",
        ratio(rps, hello_rps),
        ratio(rps, insert_rps)
    );
    if let (Some(batch), Some(screen), Some(commit)) = (run.batch, run.screen, run.commit) {
        println!(
            "[{label}]   mean group commit: {batch:.1} responses per transaction; per batch {:.2} ms screening, {:.2} ms insert and commit",
            screen * 1e3,
            commit * 1e3
        );
    }
    if !run.cpu.is_empty() {
        println!("[{label}]   threads during the intake (warm-up included):");
        for line in &run.cpu {
            println!("[{label}]     {line}");
        }
    }
    if let Some(page) = &run.page {
        println!("[{label}] GET /o/{{id}} (organisation page): {}", page.line("req"));
        println!("[{label}]   = {:.3} × axum hello", ratio(page.per_second(), hello_rps));
    }
    let acknowledged = run.intake.ok;
    println!(
        "[{label}] check: {} stored (incl. warm-up), counters total {}, acknowledged in the window {acknowledged}",
        run.stored, run.counted
    );
    anyhow::ensure!(run.stored as i64 == run.counted, "stored responses and counters disagree");
    anyhow::ensure!(run.stored >= acknowledged, "an acknowledged response is missing");
    Ok(())
}

pub async fn run(args: Args) -> anyhow::Result<ExitCode> {
    let dir = tempfile::tempdir()?;
    println!(
        "{} clients, {} s per measurement after {} s warm-up, {} organisations, {} CPU cores",
        args.clients,
        args.seconds,
        WARMUP.as_secs(),
        args.organizations,
        std::thread::available_parallelism().map_or(1, |n| n.get())
    );
    let h = hello(args.clients, Duration::from_secs(args.seconds)).await?;
    println!("axum hello (baseline): {}", h.line("req"));
    backend("sqlite", dir.path(), None, &args, h.per_second(), true).await?;
    if let Some(url) = &args.postgres {
        backend("postgres", dir.path(), Some(url), &args, h.per_second(), false).await?;
    }
    Ok(ExitCode::SUCCESS)
}
