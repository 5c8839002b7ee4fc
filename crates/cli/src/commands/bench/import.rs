//! Registry import benchmark: `nok bench import --organizations 100000`.
//!
//! Generates N demo organisations, writes them as a registry CSV, then measures in the same run:
//! the baseline — a batched insert of the same rows straight into the table (no parsing, no validation,
//! no history) — and the real import (`read_organizations` streaming the CSV + the all-or-nothing store
//! import with history), each into a fresh database.

use super::{per_second, scratch_db};
use nok_store::Actor;
use nok_store::entities::organization;
use nok_store::repo::import::{ImportOptions, import_organizations};
use nok_store::repo::organizations::{public_id_for, search_text};
use sea_orm::{ActiveValue::Set, EntityTrait, TransactionTrait};
use std::process::ExitCode;
use std::time::Instant;

#[derive(clap::Args)]
pub struct Args {
    #[arg(long, default_value_t = 100_000)]
    pub organizations: usize,
    /// Measure on PostgreSQL (a server URL whose user may create databases) instead of SQLite.
    #[arg(long)]
    pub postgres: Option<String>,
}

pub async fn run(args: Args) -> anyhow::Result<ExitCode> {
    let dir = tempfile::tempdir()?;
    let region = nok_registry::demo::generate(7, args.organizations);
    let records = region.organizations.clone();
    let csv_path = dir.path().join("registry.csv");
    nok_registry::export::write_csv(std::io::BufWriter::new(std::fs::File::create(&csv_path)?), records.iter())?;
    let size_mb = std::fs::metadata(&csv_path)?.len() as f64 / 1_048_576.0;
    println!(
        "organisations: {}, CSV: {size_mb:.1} MiB, backend: {}",
        records.len(),
        if args.postgres.is_some() { "postgres" } else { "sqlite" }
    );

    // Baseline: batched insert of the same rows.
    let db = scratch_db(dir.path(), "nok_bench_baseline", args.postgres.as_deref()).await?;
    let start = Instant::now();
    let txn = db.write.begin().await?;
    let now = nok_store::time_util::now();
    for chunk in records.chunks(500) {
        let rows: Vec<organization::ActiveModel> = chunk
            .iter()
            .map(|r| organization::ActiveModel {
                id: Default::default(),
                public_id: Set(public_id_for(&r.inn)),
                inn: Set(r.inn.clone()),
                ogrn: Set(r.ogrn.clone()),
                kpp: Set(r.kpp.clone()),
                full_name: Set(r.full_name.clone()),
                short_name: Set(r.short_name.clone()),
                address: Set(r.address.clone()),
                latitude: Set(r.latitude),
                longitude: Set(r.longitude),
                website: Set(r.website.clone()),
                email: Set(r.email.clone()),
                phone: Set(r.phone.clone()),
                sphere: Set(r.sphere.code().to_string()),
                region_code: Set(r.region_code.clone()),
                municipality: Set(r.municipality.clone()),
                authority_id: Set(None),
                population: Set(i64::from(r.population)),
                active: Set(r.active),
                search_text: Set(search_text(&r.full_name, &r.short_name, &r.inn)),
                created_at: Set(now),
                updated_at: Set(now),
            })
            .collect();
        organization::Entity::insert_many(rows).exec_without_returning(&txn).await?;
    }
    txn.commit().await?;
    let baseline = start.elapsed();
    db.close().await?;

    // The real import from the CSV file, with validation and history.
    let db = scratch_db(dir.path(), "nok_bench_import", args.postgres.as_deref()).await?;
    crate::commands::demo::create_authorities(&db, &region).await?;
    let start = Instant::now();
    let file = std::io::BufReader::new(std::fs::File::open(&csv_path)?);
    let rows = nok_registry::import::read_organizations(file, None)?;
    let report =
        import_organizations(&db, &Actor::system(), rows.numbered(), &ImportOptions::default(), |_| {}).await?;
    let import = start.elapsed();
    anyhow::ensure!(
        report.committed && report.created as usize == records.len(),
        "import failed: {:?}",
        report.errors.first()
    );
    db.close().await?;

    let n = records.len() as u64;
    println!(
        "baseline (batched insert, no parsing/validation/history): {:>8.2} s  {:>9} rows/s",
        baseline.as_secs_f64(),
        per_second(n, baseline)
    );
    println!(
        "nok import (CSV → validated rows → store with history):   {:>8.2} s  {:>9} rows/s",
        import.as_secs_f64(),
        per_second(n, import)
    );
    println!("ratio import / baseline: {:.2}", import.as_secs_f64() / baseline.as_secs_f64().max(1e-9));
    Ok(ExitCode::SUCCESS)
}
