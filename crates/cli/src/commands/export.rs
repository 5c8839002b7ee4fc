//! `nok export organizations --format csv|xlsx|json [-o FILE]`.

use anyhow::Context;
use nok_store::Actor;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Subcommand)]
pub enum Target {
    /// Export the registry of organisations.
    Organizations(Args),
}

#[derive(clap::ValueEnum, Clone, Copy)]
pub enum Format {
    Csv,
    Xlsx,
    Json,
}

#[derive(clap::Args)]
pub struct Args {
    #[arg(long, value_enum, default_value = "csv")]
    pub format: Format,
    /// Output file (default: standard output; required for xlsx).
    #[arg(short, long)]
    pub output: Option<PathBuf>,
    /// Include organisations taken out of the registry.
    #[arg(long)]
    pub include_inactive: bool,
}

pub async fn run(url: &str, target: Target) -> anyhow::Result<ExitCode> {
    let Target::Organizations(args) = target;
    let db = super::open(url).await?;
    let mut records = Vec::new();
    nok_store::repo::organizations::for_each_record(&db.read, &Actor::system(), args.include_inactive, |r| {
        records.push(r)
    })
    .await?;
    let bytes = match args.format {
        Format::Csv => {
            let mut out = Vec::new();
            nok_registry::export::write_csv(&mut out, records.iter())?;
            out
        }
        Format::Json => {
            let mut out = Vec::new();
            nok_registry::export::write_json(&mut out, records.iter())?;
            out
        }
        Format::Xlsx => {
            let mut cursor = std::io::Cursor::new(Vec::new());
            nok_registry::export::write_xlsx(&mut cursor, records.iter())?;
            cursor.into_inner()
        }
    };
    match &args.output {
        Some(path) => std::fs::write(path, &bytes).with_context(|| path.display().to_string())?,
        None if matches!(args.format, Format::Xlsx) => anyhow::bail!("-o FILE: {}", nok_i18n::t("cli-xlsx-needs-file")),
        None => std::io::stdout().lock().write_all(&bytes)?,
    }
    eprintln!("{}: {}", nok_i18n::t("cli-exported"), records.len());
    db.close().await?;
    Ok(ExitCode::SUCCESS)
}
