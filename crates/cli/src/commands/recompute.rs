//! `nok recompute [--period YEAR]`: rebuilds the live survey counters from the accepted raw responses.

use std::process::ExitCode;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Only this period (assessment year); all periods when omitted.
    #[arg(long)]
    pub period: Option<i32>,
}

pub async fn run(url: &str, args: Args) -> anyhow::Result<ExitCode> {
    let db = super::open(url).await?;
    let started = std::time::Instant::now();
    let report = nok_store::repo::scores::recompute(&db, args.period).await?;
    println!(
        "{}",
        nok_i18n::t!(
            "cli-recompute-done",
            groups = report.groups,
            responses = report.responses,
            seconds = nok_i18n::format_decimal(started.elapsed().as_secs_f64(), 2)
        )
    );
    db.close().await?;
    Ok(ExitCode::SUCCESS)
}
