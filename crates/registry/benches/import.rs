//! Import throughput: parse + validate a 100 000-row registry CSV with `read_organizations`, against a baseline
//! in the same run — the raw csv crate reading the same file into records without decoding or validation.
//!
//! `cargo bench -p nok-registry --bench import` runs the full size; without `--bench` (as `cargo test
//! --all-targets` runs it) a small smoke run checks that the bench still works.

use nok_registry::{FileKind, demo, read_organizations, write_csv};
use std::fs::File;
use std::io::BufWriter;
use std::path::Path;
use std::time::{Duration, Instant};

/// Runs both readers `runs` times, alternating so that load from other processes hits both alike; keeps each
/// one's best time.
fn best_times(runs: usize, path: &Path, count: usize) -> (Duration, Duration) {
    let (mut raw, mut ours) = (Duration::MAX, Duration::MAX);
    for _ in 0..runs {
        let start = Instant::now();
        assert_eq!(baseline(path), count);
        raw = raw.min(start.elapsed());
        let start = Instant::now();
        assert_eq!(import(path), count);
        ours = ours.min(start.elapsed());
    }
    (raw, ours)
}

fn baseline(path: &Path) -> usize {
    let mut reader = csv::ReaderBuilder::new().delimiter(b';').from_path(path).expect("open");
    let mut record = csv::StringRecord::new();
    let mut rows = 0;
    while reader.read_record(&mut record).expect("read") {
        rows += 1;
    }
    rows
}

fn import(path: &Path) -> usize {
    let rows = read_organizations(File::open(path).expect("open"), Some(FileKind::Csv)).expect("header");
    let mut ok = 0;
    for row in rows {
        row.expect("demo rows are valid");
        ok += 1;
    }
    ok
}

fn main() {
    let full = std::env::args().any(|a| a == "--bench");
    let (count, runs) = if full { (100_000, 5) } else { (2_000, 1) };

    let region = demo::generate(2026, count);
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("registry.csv");
    write_csv(BufWriter::new(File::create(&path).expect("create")), &region.organizations).expect("write");
    drop(region);
    let size = std::fs::metadata(&path).expect("size").len();

    let (raw_time, our_time) = best_times(runs, &path, count);

    let rate = |d: Duration| count as f64 / d.as_secs_f64();
    let mib = size as f64 / (1024.0 * 1024.0);
    println!("registry import, {count} rows, {mib:.1} MiB CSV (UTF-8 BOM, `;`), best of {runs}");
    println!(
        "  baseline csv crate (no decoding, no validation): {:>10.0} rows/s  {:>7.1} MiB/s",
        rate(raw_time),
        mib / raw_time.as_secs_f64()
    );
    println!(
        "  read_organizations (decode + parse + validate):  {:>10.0} rows/s  {:>7.1} MiB/s",
        rate(our_time),
        mib / our_time.as_secs_f64()
    );
    println!("  ratio: {:.2}× the baseline time", our_time.as_secs_f64() / raw_time.as_secs_f64());
}
