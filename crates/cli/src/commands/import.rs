//! `nok import organizations FILE`: all rows or nothing (or `--skip-invalid`), with a per-row report.

use crate::progress;
use anyhow::Context;
use nok_registry::import::{FileKind, read_organizations};
use nok_store::Actor;
use nok_store::repo::import::{ImportOptions, ImportReport, import_organizations};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(clap::Subcommand)]
pub enum Target {
    /// Import the registry of organisations from CSV or XLSX.
    Organizations(Args),
}

#[derive(clap::Args)]
pub struct Args {
    pub file: PathBuf,
    /// Write the good rows and put the bad ones into a rejects file instead of importing nothing.
    #[arg(long)]
    pub skip_invalid: bool,
    /// Where to write the rejected rows' report (default: FILE.rejects.csv).
    #[arg(long)]
    pub rejects: Option<PathBuf>,
}

/// Exit status for bad input (nothing written).
pub const EXIT_BAD_INPUT: u8 = 2;

pub async fn run(url: &str, target: Target) -> anyhow::Result<ExitCode> {
    let Target::Organizations(args) = target;
    let db = super::open(url).await?;
    let file = std::fs::File::open(&args.file).with_context(|| args.file.display().to_string())?;
    let kind = FileKind::from_file_name(&args.file.to_string_lossy());
    let rows = match read_organizations(std::io::BufReader::new(file), kind) {
        Ok(rows) => rows,
        Err(e) => {
            eprintln!("{}: {}", args.file.display(), e.user_message());
            return Ok(ExitCode::from(EXIT_BAD_INPUT));
        }
    };
    let pb = progress::bar(None, &nok_i18n::t("cli-import-progress"));
    let options = ImportOptions { skip_invalid: args.skip_invalid };
    let report = import_organizations(&db, &Actor::system(), rows.numbered(), &options, |n| pb.set_position(n)).await?;
    pb.finish_and_clear();
    print_report(&report);
    if args.skip_invalid && report.invalid_rows > 0 {
        let path = args.rejects.clone().unwrap_or_else(|| rejects_path(&args.file));
        write_rejects(&path, &report)?;
        println!("{}: {}", nok_i18n::t("cli-import-rejects-written"), path.display());
    }
    db.close().await?;
    Ok(if report.committed { ExitCode::SUCCESS } else { ExitCode::from(EXIT_BAD_INPUT) })
}

fn rejects_path(file: &Path) -> PathBuf {
    let mut name = file.file_name().map(|n| n.to_os_string()).unwrap_or_default();
    name.push(".rejects.csv");
    file.with_file_name(name)
}

fn print_report(r: &ImportReport) {
    let t = nok_i18n::t;
    println!("{}: {}", t("import-rows"), r.rows);
    println!("{}: {}", t("import-created"), r.created);
    println!("{}: {}", t("import-updated"), r.updated);
    println!("{}: {}", t("import-unchanged"), r.unchanged);
    println!("{}: {}", t("import-invalid"), r.invalid_rows);
    if !r.committed {
        eprintln!("{}", t("import-rejected"));
    }
    for e in r.errors.iter().take(50) {
        eprintln!("{} {}, «{}»: {} ({:?})", t("import-col-row"), e.row, e.column, e.reason, e.value);
    }
    if r.errors.len() > 50 || r.invalid_rows as usize > r.errors.len() {
        eprintln!("{}", nok_i18n::t!("cli-import-more-errors", n = r.invalid_rows as i64));
    }
}

fn write_rejects(path: &Path, r: &ImportReport) -> anyhow::Result<()> {
    let mut w = csv::WriterBuilder::new().delimiter(b';').from_path(path)?;
    w.write_record([
        nok_i18n::t("import-col-row"),
        nok_i18n::t("import-col-column"),
        nok_i18n::t("import-col-value"),
        nok_i18n::t("import-col-reason"),
    ])?;
    for e in &r.errors {
        w.write_record([e.row.to_string(), e.column.clone(), e.value.clone(), e.reason.clone()])?;
    }
    w.flush()?;
    Ok(())
}
