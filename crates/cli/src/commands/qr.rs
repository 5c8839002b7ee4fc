//! `nok qr --organization ID --format svg|png [--size-mm N | --px N] [--medium …] -o FILE`: one
//! organisation's personal QR code for a medium, decoded back and compared with its link before the
//! file is written.

use anyhow::Context;
use nok_print::Medium;
use nok_store::Actor;
use nok_web::routes::qr::materials;
use std::path::PathBuf;
use std::process::ExitCode;

/// Print resolution used to turn `--size-mm` into pixels for PNG.
const PRINT_DPI: f64 = 300.0;
/// PNG side when neither `--px` nor `--size-mm` is given.
const DEFAULT_PX: u32 = 1024;

#[derive(clap::ValueEnum, Clone, Copy, Debug)]
pub enum Format {
    Svg,
    Png,
}

/// Where the code is shown: each medium tags the link with its own survey channel.
#[derive(clap::ValueEnum, Clone, Copy, Debug, Default)]
pub enum MediumArg {
    #[default]
    Poster,
    Paper,
    Screen,
    Website,
}

impl From<MediumArg> for Medium {
    fn from(m: MediumArg) -> Medium {
        match m {
            MediumArg::Poster => Medium::Poster,
            MediumArg::Paper => Medium::Paper,
            MediumArg::Screen => Medium::Screen,
            MediumArg::Website => Medium::Website,
        }
    }
}

/// The public base URL of the site (the links in codes start with it).
#[derive(clap::Args, Clone, Debug)]
pub struct BaseUrl {
    /// Public base URL of the site, e.g. https://nok.example.ru
    #[arg(long, env = "NOK_BASE_URL")]
    pub base_url: String,
}

#[derive(clap::Args)]
pub struct Args {
    /// The organisation: its ИНН or public id.
    #[arg(long)]
    pub organization: String,
    #[arg(long, value_enum)]
    pub format: Format,
    /// Side of the printed symbol (without the quiet zone) in millimetres; PNG is rendered at 300 dpi.
    #[arg(long, conflicts_with = "px")]
    pub size_mm: Option<f64>,
    /// Side of the PNG in pixels, quiet zone included.
    #[arg(long)]
    pub px: Option<u32>,
    #[arg(long, value_enum, default_value_t = MediumArg::Poster)]
    pub medium: MediumArg,
    #[command(flatten)]
    pub base: BaseUrl,
    /// Output file.
    #[arg(short, long)]
    pub output: PathBuf,
}

/// PNG side in pixels for a symbol of `size_mm` at [`PRINT_DPI`].
fn px_for_mm(url: &str, size_mm: f64) -> anyhow::Result<u32> {
    anyhow::ensure!(size_mm.is_finite() && size_mm > 0.0, "--size-mm: {}", nok_i18n::t("qr-cli-bad-size"));
    let picture_mm = nok_print::Qr::encode(url)?.picture_side_mm(size_mm);
    Ok((picture_mm / 25.4 * PRINT_DPI).round() as u32)
}

pub async fn run(url: &str, args: Args) -> anyhow::Result<ExitCode> {
    let db = super::open(url).await?;
    let org = materials::find_org(&db, &Actor::system(), &args.organization)
        .await
        .with_context(|| format!("{} {}", nok_i18n::t("qr-cli-no-organization"), args.organization))?;
    let link = materials::url(&args.base.base_url, &org, args.medium.into());
    let bytes = match args.format {
        Format::Svg => nok_print::qr_svg(&link, args.size_mm)?.into_bytes(), // decoded back inside
        Format::Png => {
            let px = match (args.px, args.size_mm) {
                (Some(px), _) => px,
                (None, Some(mm)) => px_for_mm(&link, mm)?,
                (None, None) => DEFAULT_PX,
            };
            nok_print::qr_png(&link, px)? // decoded back inside
        }
    };
    std::fs::write(&args.output, &bytes).with_context(|| args.output.display().to_string())?;
    eprintln!("{} {} ({link})", nok_i18n::t("qr-cli-written"), args.output.display());
    Ok(ExitCode::SUCCESS)
}
