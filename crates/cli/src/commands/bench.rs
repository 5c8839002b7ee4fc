//! `nok bench <what>`: benchmarks that print their figures next to a baseline measured in the same run.
//! One file per benchmark under `bench/`; add a variant here to register another.

mod http_load;
mod import;
mod intake;
mod posters;
mod recompute;
mod threads;

use std::process::ExitCode;

#[derive(clap::Subcommand)]
pub enum Target {
    /// Registry import of N organisations against a batched insert of the same rows.
    Import(import::Args),
    /// Full recompute of the live counters from M responses against a bare scan; score reads; the
    /// counter update against a bare response insert.
    Recompute(recompute::Args),
    /// Survey intake (POST /api/v1/responses, group commit) and the organisation page under N concurrent
    /// clients, against an axum "hello" and a batched store insert.
    Intake(intake::Args),
    /// Posters for N organisations (default 1000, --large for 10 000) from the database on every core,
    /// against one fixed poster compiled warm; peak memory.
    Posters(posters::Args),
}

pub async fn run(_database_url: &str, target: Target) -> anyhow::Result<ExitCode> {
    match target {
        Target::Import(args) => import::run(args).await,
        Target::Recompute(args) => recompute::run(args).await,
        Target::Intake(args) => intake::run(args).await,
        Target::Posters(args) => posters::run(args).await,
    }
}

/// A fresh SQLite database in a temporary directory (or the PostgreSQL URL given), for one measurement.
pub async fn scratch_db(dir: &std::path::Path, name: &str, postgres: Option<&str>) -> anyhow::Result<nok_store::Db> {
    match postgres {
        Some(url) => {
            let admin = nok_store::Db::connect(url).await?;
            use sea_orm::ConnectionTrait;
            admin.write.execute_unprepared(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)")).await?;
            admin.write.execute_unprepared(&format!("CREATE DATABASE \"{name}\"")).await?;
            let base = url.rsplit_once('/').map(|(b, _)| b).unwrap_or(url);
            Ok(nok_store::Db::open(&format!("{base}/{name}")).await?)
        }
        None => Ok(nok_store::Db::open(&format!("sqlite://{}", dir.join(format!("{name}.db")).display())).await?),
    }
}

/// Rows per second, rounded.
pub fn per_second(n: u64, elapsed: std::time::Duration) -> u64 {
    (n as f64 / elapsed.as_secs_f64().max(1e-9)).round() as u64
}
