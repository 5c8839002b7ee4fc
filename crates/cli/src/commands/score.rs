//! `nok score`: the methodology.md §8 contract on the command line. Input is the JSON counts
//! document (a file or standard input) or a responses CSV with `--responses`, `--checklist` and
//! `--sphere`; output is the §8 JSON or a Russian table. Bad input exits with status 2 and names the
//! offending field. No database is opened.

use nok_methodology::input::{
    self, CsvStats, InputError, parse_checklist_json_with, parse_responses_csv_with, parse_score_json_with,
    scores_to_json,
};
use nok_methodology::output::scores_to_table;
use nok_methodology::{Definition, MissingDataPolicy, ScoreInput};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Exit status for bad input (the contract's "exit status 2").
pub const EXIT_BAD_INPUT: u8 = 2;

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// The §8 JSON with full-precision numbers.
    Json,
    /// A Russian table rounded to two decimals.
    Table,
}

#[derive(clap::Args, Debug)]
pub struct Args {
    /// The §8 JSON counts document; `-` or nothing reads standard input.
    pub file: Option<PathBuf>,
    /// A CSV of raw responses (one row per respondent, columns q1…q15 with Да/Нет/empty).
    #[arg(long, conflicts_with = "file")]
    pub responses: Option<PathBuf>,
    /// The §8 `checklist` object as a JSON file (with `--responses`).
    #[arg(long, requires = "responses")]
    pub checklist: Option<PathBuf>,
    /// The sphere of the responses: culture, health, education, social, mse (with `--responses`).
    #[arg(long, requires = "responses")]
    pub sphere: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value = "json")]
    pub format: Format,
    /// Methodology version id (default: the version in force today).
    #[arg(long)]
    pub methodology: Option<String>,
    /// Missing-data policy: no_data (default [C]) or count_as_zero.
    #[arg(long)]
    pub missing_data: Option<String>,
}

/// Why scoring could not start: always the user's input, reported with exit status 2.
#[derive(Debug)]
enum BadInput {
    Input(InputError),
    Read { path: String, source: std::io::Error },
    Flag { flag: &'static str, reason: String },
}

impl From<InputError> for BadInput {
    fn from(e: InputError) -> Self {
        BadInput::Input(e)
    }
}

impl std::fmt::Display for BadInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            BadInput::Input(e) => write!(f, "{e}"),
            BadInput::Read { path, source } => write!(f, "{path}: {source}"),
            BadInput::Flag { flag, reason } => write!(f, "{flag}: {reason}"),
        }
    }
}

impl BadInput {
    fn field(&self) -> Option<String> {
        match self {
            BadInput::Input(e) => e.field(),
            BadInput::Read { path, .. } => Some(path.clone()),
            BadInput::Flag { flag, .. } => Some((*flag).to_owned()),
        }
    }
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    match compute(&args) {
        Ok(text) => {
            let mut out = std::io::stdout().lock();
            out.write_all(text.as_bytes())?;
            out.flush()?;
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => {
            let field = e.field().unwrap_or_else(|| "-".to_owned());
            eprintln!("{}", nok_i18n::t!("cli-score-bad-input", field = field, message = e.to_string()));
            Ok(ExitCode::from(EXIT_BAD_INPUT))
        }
    }
}

/// The whole command without side effects: the text to print, or the bad input.
fn compute(args: &Args) -> Result<String, BadInput> {
    let def = match &args.methodology {
        None => Definition::current(),
        Some(id) => Definition::by_id(id).ok_or_else(|| BadInput::Flag {
            flag: "--methodology",
            reason: format!("unknown methodology version {id:?}; shipped: {}", shipped_ids()),
        })?,
    };
    let policy = match &args.missing_data {
        None => def.missing_data.default,
        Some(code) => MissingDataPolicy::from_code(code).ok_or_else(|| BadInput::Flag {
            flag: "--missing-data",
            reason: format!("unknown policy {code:?}; expected no_data or count_as_zero"),
        })?,
    };
    let (input, stats) = match &args.responses {
        Some(csv) => {
            let (input, stats) = from_csv(def, args, csv)?;
            (input, Some(stats))
        }
        None => {
            let text = read_text(args.file.as_deref())?;
            (parse_score_json_with(def, &text)?, None)
        }
    };
    let scores = nok_methodology::score(def, &input, policy);
    Ok(match args.format {
        Format::Json => {
            let mut value = scores_to_json(&scores);
            if let Some(stats) = stats {
                value["responses"] = csv_summary(&stats);
            }
            let mut text = serde_json::to_string_pretty(&value).unwrap_or_default();
            text.push('\n');
            text
        }
        Format::Table => {
            let mut text = scores_to_table(def, &scores);
            if let Some(stats) = stats {
                text.push_str(&nok_i18n::t!("cli-score-csv-rows", n = stats.rows));
                text.push('\n');
                text.push_str(&nok_i18n::t!("meth-csv-dropped", n = stats.dropped_inconsistent));
                text.push('\n');
            }
            text
        }
    })
}

fn shipped_ids() -> String {
    Definition::builtin().iter().map(|d| d.id.as_str()).collect::<Vec<_>>().join(", ")
}

/// The CSV path: answers from the file, checklist counts from `--checklist`, sphere from `--sphere`.
fn from_csv(def: &Definition, args: &Args, csv: &Path) -> Result<(ScoreInput, CsvStats), BadInput> {
    let sphere_code = args
        .sphere
        .as_deref()
        .ok_or_else(|| BadInput::Flag { flag: "--sphere", reason: "required with --responses".to_owned() })?;
    let sphere = input::parse_sphere(sphere_code, "--sphere")?;
    let checklist_path = args
        .checklist
        .as_deref()
        .ok_or_else(|| BadInput::Flag { flag: "--checklist", reason: "required with --responses".to_owned() })?;
    let checklist = parse_checklist_json_with(def, &read_text(Some(checklist_path))?, sphere)?;
    let bytes = std::fs::read(csv).map_err(|source| BadInput::Read { path: csv.display().to_string(), source })?;
    let (answers, stats) = parse_responses_csv_with(def, &bytes, sphere)?;
    let input = ScoreInput { sphere, checklist: Some(checklist), answers };
    input::validate(def, &input)?;
    Ok((input, stats))
}

/// What reading the CSV found, added to the JSON output as `responses`.
fn csv_summary(stats: &CsvStats) -> serde_json::Value {
    serde_json::json!({
        "rows": stats.rows,
        "empty_rows": stats.empty_rows,
        "dropped_inconsistent": stats.dropped_inconsistent,
        "rows_with_inconsistency": stats.rows_with_inconsistency,
        "encoding": stats.encoding,
        "delimiter": stats.delimiter.to_string(),
    })
}

/// A file as UTF-8 text, or standard input for `None` / `-`.
fn read_text(path: Option<&Path>) -> Result<String, BadInput> {
    let mut text = String::new();
    let (name, result) = match path {
        None => ("-".to_owned(), std::io::stdin().read_to_string(&mut text)),
        Some(p) if p == Path::new("-") => ("-".to_owned(), std::io::stdin().read_to_string(&mut text)),
        Some(p) => (
            p.display().to_string(),
            std::fs::read_to_string(p).map(|t| {
                text = t;
                text.len()
            }),
        ),
    };
    result.map_err(|source| BadInput::Read { path: name, source })?;
    Ok(text)
}
