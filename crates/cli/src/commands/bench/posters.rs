//! Poster benchmark: `nok bench posters [--organizations N | --large]`.
//!
//! Fills a scratch database with N demo organisations (authorities with logos, every tenth organisation
//! with its own), then measures in the same run: the baseline — one fixed poster compiled warm again and
//! again on one thread (Typst's memo cache hits everything but the PDF export) — and the real batch
//! (`PosterSource::render_batch`, as `nok posters --region` and the authority's ZIP use it): every poster
//! distinct, read from the database, laid out, its code decoded back, on every core. Prints posters per
//! second, the batch against the baseline times the number of threads, and the peak resident memory
//! (VmHWM), which stays flat from 1 000 to 10 000 posters because inputs are pulled one at a time and
//! Typst's cache is evicted periodically.

use super::per_second;
use nok_print::{PaperSize, poster_pdf};
use nok_store::repo::images;
use nok_store::repo::import::{ImportOptions, import_organizations};
use nok_store::repo::reference;
use nok_store::{Actor, Db};
use nok_web::routes::qr::materials::{self, PosterSource, Selection};
use std::process::ExitCode;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::Instant;

const BASE_URL: &str = "https://nok.example.ru";
const LOGO: &[u8] = b"<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 100 100\">\
<circle cx=\"50\" cy=\"50\" r=\"46\" fill=\"#0b4f8a\"/><path d=\"M30 70V30h10l20 26V30h10v40H60L40 44v26z\" fill=\"#fff\"/></svg>";

#[derive(clap::Args)]
pub struct Args {
    /// Number of organisations (posters).
    #[arg(long, default_value_t = 1000)]
    pub organizations: usize,
    /// 10 000 organisations (overrides --organizations).
    #[arg(long)]
    pub large: bool,
    /// Fixed-poster repetitions for the baseline.
    #[arg(long, default_value_t = 200)]
    pub baseline_repeats: usize,
}

/// A field of /proc/self/status in MiB (Linux; `None` elsewhere).
fn status_mib(field: &str) -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with(field))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

fn mib(v: Option<f64>) -> String {
    v.map_or_else(|| "?".into(), |v| format!("{v:.0} MiB"))
}

/// Fills the database with the demo region of `n` organisations; returns the region's code.
async fn fill(db: &Db, n: usize) -> anyhow::Result<String> {
    let system = Actor::system();
    let region = nok_registry::demo::generate(11, n);
    crate::commands::demo::create_authorities(db, &region).await?;
    for a in reference::authorities(&db.read, &system).await? {
        images::set_authority_logo(db, &system, a.id, LOGO).await?;
    }
    let rows = region.organizations.iter().cloned().enumerate().map(|(i, r)| (i + 2, Ok(r)));
    let report = import_organizations(db, &system, rows, &ImportOptions::default(), |_| {}).await?;
    anyhow::ensure!(report.committed, "demo registry did not import: {:?}", report.errors.first());
    Ok(region.region_code)
}

pub async fn run(args: Args) -> anyhow::Result<ExitCode> {
    let n = if args.large { 10_000 } else { args.organizations.max(1) };
    let threads = std::thread::available_parallelism().map_or(2, usize::from);
    let dir = tempfile::tempdir()?;
    let db = Db::open(&format!("sqlite://{}", dir.path().join("posters.db").display())).await?;
    let region_code = fill(&db, n).await?;
    let system = Actor::system();
    let orgs = materials::select(&db, &system, &Selection::Region(region_code)).await?;
    for org in orgs.iter().step_by(10) {
        images::set_org_logo(&db, &system, org.id, LOGO).await?;
    }
    println!("posters bench: {} A4 posters from the database, {threads} threads", orgs.len());

    let source = PosterSource::new(&db, BASE_URL, PaperSize::A4, None, &orgs).await?;
    let fixed = source.input_with_logo(&orgs[0]).await?;
    let repeats = args.baseline_repeats.max(1);
    let (baseline, report, bytes, done) = tokio::task::spawn_blocking(move || -> anyhow::Result<_> {
        for _ in 0..5 {
            poster_pdf(&fixed)?;
        }
        let start = Instant::now();
        for _ in 0..repeats {
            std::hint::black_box(poster_pdf(&fixed)?);
        }
        let baseline = start.elapsed();
        println!(
            "baseline  (one fixed poster, warm compile, 1 thread): {:>6} posters/s  ({:.2} ms each)  RSS {}",
            per_second(repeats as u64, baseline),
            baseline.as_secs_f64() * 1000.0 / repeats as f64,
            mib(status_mib("VmRSS:"))
        );
        let bytes = AtomicU64::new(0);
        let done = AtomicUsize::new(0);
        let report = source.render_batch(&orgs, None, |_, result| {
            if let Ok(pdf) = result {
                bytes.fetch_add(pdf.len() as u64, Ordering::Relaxed);
                done.fetch_add(1, Ordering::Relaxed);
            }
        });
        Ok((baseline, report, bytes.into_inner(), done.into_inner()))
    })
    .await??;

    let base_rate = repeats as f64 / baseline.as_secs_f64();
    let rate = report.total as f64 / report.elapsed.as_secs_f64();
    println!(
        "batch     ({} distinct posters, {threads} threads):       {:>6} posters/s  ({:.0}% of baseline × {threads} threads, {:.1} s, {} failed, {} KiB per PDF)",
        report.total,
        per_second(report.total as u64, report.elapsed),
        100.0 * rate / (base_rate * threads as f64),
        report.elapsed.as_secs_f64(),
        report.failed,
        bytes / done.max(1) as u64 / 1024,
    );
    println!("peak RSS (VmHWM): {}", mib(status_mib("VmHWM:")));
    Ok(if report.failed == 0 { ExitCode::SUCCESS } else { ExitCode::FAILURE })
}
