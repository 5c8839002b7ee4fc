//! `nok` — the OpenNOK command line: the server, the demo region, migrations, registry import/export,
//! accounts, scores. Each subcommand lives in its own module under `commands/`.

mod commands;
mod progress;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

/// The server allocates and frees many small buffers per request (headers, JSON, rendered pages);
/// mimalloc does that with less contention between threads than the system allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(name = "nok", version, about = "OpenNOK — независимая оценка качества условий оказания услуг")]
struct Cli {
    /// Database URL: sqlite://FILE or postgres://…
    #[arg(long, global = true, env = "NOK_DATABASE_URL", default_value = "sqlite://nok.db")]
    database_url: String,
    /// Log as JSON lines (default when stdout is not a terminal is still human-readable).
    #[arg(long, global = true, env = "NOK_LOG_JSON")]
    log_json: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the web server.
    Serve(commands::serve::Args),
    /// Run the server on a fresh database filled with the demo region.
    Demo(commands::demo::Args),
    /// Create or upgrade the database schema.
    Migrate,
    /// Import data from files.
    #[command(subcommand)]
    Import(commands::import::Target),
    /// Export data to files.
    #[command(subcommand)]
    Export(commands::export::Target),
    /// Manage accounts.
    #[command(subcommand)]
    User(commands::user::Action),
    /// Score one organisation from counts or raw responses (methodology.md §8); no database needed.
    Score(commands::score::Args),
    /// Rebuild the live survey counters from the accepted raw responses.
    Recompute(commands::recompute::Args),
    /// Run a benchmark and print its figures next to a baseline measured in the same run.
    #[command(subcommand)]
    Bench(commands::bench::Target),
    /// Write an organisation's personal QR code (SVG or PNG), decoded back before it is written.
    Qr(commands::qr::Args),
    /// Render posters (PDF, A4/A3) for an organisation, a region or an authority on every core.
    Posters(commands::posters::Args),
    /// The key of personal data at rest: a new key file, or moving the data to another key.
    #[command(subcommand)]
    DataKey(commands::data_key::Action),
}

fn init_logging(json: bool) {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_env("NOK_LOG").unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,sea_orm=warn"));
    // Colours only for a person at a terminal: a log file or journal gets plain text (and a span's fields
    // are then formatted without escape codes on every request).
    let ansi = std::io::IsTerminal::is_terminal(&std::io::stderr());
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr).with_ansi(ansi);
    if json { builder.json().flatten_event(true).init() } else { builder.init() }
}

/// What to do about a data key error, in the user's language.
fn data_key_hint(e: &nok_store::StoreError) -> Option<String> {
    use nok_store::StoreError::{KeyFile, WrongDataKey};
    use nok_store::error::KeyFileProblem::{Exists, Format, Io, Missing};
    match e {
        WrongDataKey => Some(nok_i18n::t("cli-data-key-wrong")),
        KeyFile { path, problem } => {
            let id = match problem {
                Missing => "cli-data-key-file-missing",
                Exists => "cli-data-key-file-exists",
                Format => "cli-data-key-file-format",
                Io(_) => "cli-data-key-file-unreadable",
            };
            Some(nok_i18n::t!(id, path = path.as_str()))
        }
        _ => None,
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    init_logging(cli.log_json);
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("tokio runtime");
    let result = runtime.block_on(async move {
        match cli.command {
            Command::Serve(args) => commands::serve::run(&cli.database_url, args).await,
            Command::Demo(args) => commands::demo::run(args).await,
            Command::Migrate => commands::migrate::run(&cli.database_url).await,
            Command::Import(target) => commands::import::run(&cli.database_url, target).await,
            Command::Export(target) => commands::export::run(&cli.database_url, target).await,
            Command::User(action) => commands::user::run(&cli.database_url, action).await,
            Command::Score(args) => commands::score::run(args),
            Command::Recompute(args) => commands::recompute::run(&cli.database_url, args).await,
            Command::Bench(target) => commands::bench::run(&cli.database_url, target).await,
            Command::Qr(args) => commands::qr::run(&cli.database_url, args).await,
            Command::Posters(args) => commands::posters::run(&cli.database_url, args).await,
            Command::DataKey(action) => commands::data_key::run(&cli.database_url, action).await,
        }
    });
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("{}: {e:#}", nok_i18n::t("cli-error"));
            if let Some(hint) = e.chain().find_map(|c| c.downcast_ref().and_then(data_key_hint)) {
                eprintln!("{hint}");
            }
            ExitCode::FAILURE
        }
    }
}
