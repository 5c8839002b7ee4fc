//! Poster throughput: N A4 posters (default 500, `NOK_BENCH_POSTERS=N` to change) rendered
//! single-threaded and batched on every core, against a baseline measured in the same run (one fixed
//! poster rendered again and again, i.e. a fully warm Typst compile plus PDF export).
//!
//! Run: `CARGO_TARGET_DIR=/work/targets/print cargo bench -p nok-print`

use nok_print::{Medium, PaperSize, PosterInput, poster_pdf, posters_batch_on, questionnaire_url, short_url};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

const BASE: &str = "https://nok.example.ru";

fn input(i: usize) -> PosterInput {
    let id = format!("{:06X}", 0x1A2B3C + i * 7919);
    PosterInput {
        org_name: format!("Муниципальное бюджетное общеобразовательное учреждение «Средняя школа № {}»", i + 1),
        authority_name: Some(format!("Управление образования администрации округа № {}", i % 40 + 1)),
        org_logo: None,
        authority_logo: None,
        url: questionnaire_url(BASE, &id, Medium::Poster),
        short_url: short_url(BASE, &id),
        size: PaperSize::A4,
        distance_m: None,
    }
}

fn rss_mib() -> String {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|kb| kb.parse::<f64>().ok())
            .map_or("?".to_string(), |kb| format!("{:.0}", kb / 1024.0))
    };
    format!("RSS {} MiB, peak {} MiB", field("VmRSS:"), field("VmHWM:"))
}

/// CPU time used by the whole process so far (user + system), seconds.
fn cpu_s() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // Fields after the command name (which may hold spaces) start at ") ".
    let fields: Vec<&str> = stat.rsplit_once(") ").map_or(vec![], |(_, rest)| rest.split(' ').collect());
    let ticks: f64 = [11, 12].iter().filter_map(|&i| fields.get(i)?.parse::<f64>().ok()).sum();
    ticks / 100.0
}

fn main() {
    let n: usize = std::env::var("NOK_BENCH_POSTERS").ok().and_then(|v| v.parse().ok()).unwrap_or(500);
    let threads = std::thread::available_parallelism().map_or(2, usize::from);
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    println!(
        "posters bench: {n} A4 posters, {threads} cores, load average before the run: {}",
        load.split_whitespace().take(3).collect::<Vec<_>>().join(" ")
    );

    // Warm up fonts, templates and the memo cache.
    let fixed = input(0);
    for _ in 0..5 {
        poster_pdf(&fixed).expect("poster renders");
    }

    let repeats = n.clamp(50, 200);
    let cpu = cpu_s();
    let start = Instant::now();
    let mut bytes = 0;
    for _ in 0..repeats {
        bytes += poster_pdf(&fixed).expect("poster renders").len();
    }
    let baseline = repeats as f64 / start.elapsed().as_secs_f64();
    println!(
        "baseline  (same poster, warm, 1 thread): {baseline:7.1} posters/s  ({:.2} ms each, {:.2} ms CPU, {} KiB PDF)  {}",
        1000.0 / baseline,
        (cpu_s() - cpu) * 1000.0 / repeats as f64,
        bytes / repeats / 1024,
        rss_mib()
    );

    let cpu = cpu_s();
    let start = Instant::now();
    for i in 0..n {
        poster_pdf(&input(i + 1)).expect("poster renders");
    }
    let single = n as f64 / start.elapsed().as_secs_f64();
    println!(
        "single    ({n} distinct, 1 thread):       {single:7.1} posters/s  ({:.2} ms each, {:.2} ms CPU, {:.0}% of baseline)  {}",
        1000.0 / single,
        (cpu_s() - cpu) * 1000.0 / n as f64,
        100.0 * single / baseline,
        rss_mib()
    );

    let done = AtomicUsize::new(0);
    let cpu = cpu_s();
    let report = posters_batch_on(threads, (0..n).map(|i| input(n + i + 1)), |_, result| {
        result.expect("poster renders");
        done.fetch_add(1, Ordering::Relaxed);
    });
    let batched = n as f64 / report.elapsed.as_secs_f64();
    let cpu_each = (cpu_s() - cpu) / n as f64;
    println!(
        "batched   ({n} distinct, {threads} threads):      {batched:7.1} posters/s  ({:.2}x single, {:.2} ms CPU each, {:.0}% of baseline, {:.2} cores busy)  {}",
        batched / single,
        cpu_each * 1000.0,
        100.0 * batched / baseline,
        batched * cpu_each,
        rss_mib()
    );
    // On a shared machine other jobs take cores away; CPU time per poster is what they cannot change.
    println!(
        "capacity  ({threads} idle cores / CPU per poster):            {:7.1} posters/s",
        threads as f64 / cpu_each
    );
    assert_eq!((report.total, report.failed, done.into_inner()), (n, 0, n));
}
