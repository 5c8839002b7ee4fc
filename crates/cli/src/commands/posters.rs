//! `nok posters --organization ID | --region CODE | --authority CODE --size a4|a3 [--distance-m X]
//! -o FILE_OR_DIR`: poster PDFs rendered on every core with a progress bar. One organisation writes
//! FILE (or into DIR when it is a directory); a region or an authority writes one PDF per organisation
//! into DIR, named `{ИНН}-{public id}-{size}.pdf`. Every code is decoded back before its file is written.

use super::qr::BaseUrl;
use anyhow::Context;
use nok_print::PaperSize;
use nok_store::Actor;
use nok_web::routes::qr::materials::{self, PosterSource, Selection};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Mutex;

#[derive(clap::ValueEnum, Clone, Copy, Debug, Default)]
pub enum SizeArg {
    #[default]
    A4,
    A3,
}

impl From<SizeArg> for PaperSize {
    fn from(s: SizeArg) -> PaperSize {
        match s {
            SizeArg::A4 => PaperSize::A4,
            SizeArg::A3 => PaperSize::A3,
        }
    }
}

#[derive(clap::Args)]
#[group(id = "posters_args")]
#[command(group(clap::ArgGroup::new("which").required(true).args(["organization", "region", "authority"])))]
pub struct Args {
    /// One organisation: its ИНН or public id.
    #[arg(long)]
    pub organization: Option<String>,
    /// Every active organisation of a region (two-digit code).
    #[arg(long)]
    pub region: Option<String>,
    /// Every active organisation in an authority's scope (its code, e.g. 76-health).
    #[arg(long)]
    pub authority: Option<String>,
    #[arg(long, value_enum, default_value_t = SizeArg::A4)]
    pub size: SizeArg,
    /// Scanning distance in metres (the code's side is distance / 10); default 1 m for A4, 1.4 m for A3.
    #[arg(long)]
    pub distance_m: Option<f64>,
    #[command(flatten)]
    pub base: BaseUrl,
    /// The PDF file (one organisation) or the directory to write into.
    #[arg(short, long)]
    pub output: PathBuf,
}

impl Args {
    fn selection(&self) -> Selection {
        match (&self.organization, &self.region, &self.authority) {
            (Some(id), _, _) => Selection::Organization(id.clone()),
            (_, Some(code), _) => Selection::Region(code.clone()),
            (_, _, Some(code)) => Selection::Authority(code.clone()),
            _ => unreachable!("clap requires one of --organization, --region, --authority"),
        }
    }
}

/// Where the PDF of `name` goes: `output` itself for a single organisation written to a file path.
fn target(output: &Path, single: bool, name: &str) -> PathBuf {
    if single && !output.is_dir() { output.to_path_buf() } else { output.join(name) }
}

pub async fn run(url: &str, args: Args) -> anyhow::Result<ExitCode> {
    if let Some(d) = args.distance_m {
        anyhow::ensure!(d.is_finite() && d > 0.0, "--distance-m: {}", nok_i18n::t("qr-cli-bad-distance"));
    }
    let db = super::open(url).await?;
    let selection = args.selection();
    let orgs = materials::select(&db, &Actor::system(), &selection)
        .await
        .with_context(|| format!("{} {selection:?}", nok_i18n::t("qr-cli-no-organization")))?;
    anyhow::ensure!(!orgs.is_empty(), "{}", nok_i18n::t("qr-cli-none-selected"));
    let single = matches!(selection, Selection::Organization(_));
    if !single || args.output.is_dir() {
        std::fs::create_dir_all(&args.output).with_context(|| args.output.display().to_string())?;
    }
    let size: PaperSize = args.size.into();
    let source = PosterSource::new(&db, &args.base.base_url, size, args.distance_m, &orgs).await?;
    let bar = crate::progress::bar(Some(orgs.len() as u64), &nok_i18n::t("qr-cli-posters-progress"));
    let output = args.output.clone();
    let failures = Mutex::new(Vec::<String>::new());
    let (report, failures, bar) = tokio::task::spawn_blocking(move || {
        let report = source.render_batch(&orgs, None, |org, result| {
            let path = target(&output, single, &materials::file_name(org, size.name(), "pdf"));
            let outcome = result
                .map_err(anyhow::Error::from)
                .and_then(|pdf| std::fs::write(&path, pdf).with_context(|| path.display().to_string()));
            if let Err(e) = outcome {
                failures
                    .lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .push(format!("{} ({}): {e:#}", org.inn, org.short_name));
            }
            bar.inc(1);
        });
        (report, failures.into_inner().unwrap_or_else(|p| p.into_inner()), bar)
    })
    .await?;
    bar.finish_and_clear();
    for f in &failures {
        eprintln!("{}: {f}", nok_i18n::t("cli-error"));
    }
    let rate = report.total as f64 / report.elapsed.as_secs_f64().max(1e-9);
    eprintln!(
        "{}",
        nok_i18n::t_args(
            "qr-cli-posters-done",
            &[
                ("n", (report.total - failures.len()).into()),
                ("failed", failures.len().into()),
                ("rate", nok_i18n::format_decimal(rate, 1).into()),
                ("dir", args.output.display().to_string().into()),
            ],
        )
    );
    // `failures` holds render and write failures alike (a render failure is also in `report.failed`).
    Ok(if failures.is_empty() { ExitCode::SUCCESS } else { ExitCode::FAILURE })
}
