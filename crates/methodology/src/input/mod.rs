//! Input of the `nok score` contract (§8): the JSON counts document, the per-respondent CSV, and
//! their validation; every error names the offending field (or CSV row and column) and says why.

mod csv;
mod json;
mod validate;

use crate::answers::{AnswerCounts, QuestionId};
use crate::checklist::ChecklistCounts;
use crate::definition::Definition;
use crate::engine::ScoreInput;
use crate::sphere::Sphere;
use serde::{Deserialize, Deserializer, Serialize};

pub use crate::output::scores_to_json;
pub use validate::validate;

/// Bad input. Messages are English (they go to stderr and API 422 bodies); [`InputError::field`]
/// gives the offending field for machine use.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum InputError {
    /// Not JSON at all.
    #[error("input is not valid JSON (line {line}, column {column}): {message}")]
    Syntax {
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// Parser message.
        message: String,
    },
    /// A field the contract does not have.
    #[error("{field}: unknown field; expected one of: {expected}")]
    UnknownField {
        /// The field, e.g. `checklist.stand_presnt`.
        field: String,
        /// The fields allowed there.
        expected: String,
    },
    /// A required field is absent.
    #[error("{field}: required field is missing")]
    MissingField {
        /// The field.
        field: String,
    },
    /// A value of the wrong JSON type.
    #[error("{field}: expected {expected}, found {found}")]
    WrongType {
        /// The field.
        field: String,
        /// What was expected.
        expected: &'static str,
        /// What was found.
        found: String,
    },
    /// A negative count.
    #[error("{field}: a count must not be negative, found {value}")]
    Negative {
        /// The field, e.g. `answers.q2.yes`.
        field: String,
        /// The value as written.
        value: String,
    },
    /// Not one of the five sphere codes.
    #[error("{field}: unknown sphere {value:?}; expected one of culture, health, education, social, mse")]
    UnknownSphere {
        /// The field (`sphere`, or `--sphere` for the CLI).
        field: String,
        /// The value given.
        value: String,
    },
    /// More items present than required.
    #[error("{field}: {present} items present is more than the {required} required ({required_field})")]
    PresentExceedsRequired {
        /// The present field, e.g. `checklist.site_present`.
        field: String,
        /// Its value.
        present: u32,
        /// The required count.
        required: u32,
        /// The required field.
        required_field: String,
    },
    /// A filtered question answered by more people than passed its filter.
    #[error(
        "{field}: {answered} respondents answered this question, but only {filter_yes} answered «Да» to \
         its filter question {filter}"
    )]
    FilteredExceedsFilter {
        /// The filtered question's field, e.g. `answers.q2`.
        field: String,
        /// Answers to it (Да + Нет).
        answered: u64,
        /// The filter question.
        filter: QuestionId,
        /// «Да» answers to the filter.
        filter_yes: u64,
    },
    /// A question the sphere's questionnaire does not ask (q5 outside health, social, МСЭ).
    #[error("{field}: question {question} is not asked in the sphere {sphere}")]
    QuestionNotInSphere {
        /// The field, e.g. `answers.q5`.
        field: String,
        /// The question.
        question: QuestionId,
        /// The sphere.
        sphere: Sphere,
    },
    /// Any other invalid value.
    #[error("{field}: {reason}")]
    Invalid {
        /// The field.
        field: String,
        /// Why.
        reason: String,
    },
    /// A bad CSV cell. Rows count the header as row 1, like a spreadsheet.
    #[error("row {row}, column {column}: {reason}")]
    CsvCell {
        /// Row number (header = 1).
        row: u64,
        /// Column name, e.g. `q4`.
        column: String,
        /// Why.
        reason: String,
    },
    /// A CSV file that cannot be read as a whole (header, structure).
    #[error("CSV file: {reason}")]
    CsvFile {
        /// Why.
        reason: String,
    },
}

impl InputError {
    /// The offending field (`answers.q2.yes`, `checklist.site_present`, `row 4, column q4`), if any.
    pub fn field(&self) -> Option<String> {
        match self {
            InputError::Syntax { .. } | InputError::CsvFile { .. } => None,
            InputError::UnknownField { field, .. }
            | InputError::MissingField { field }
            | InputError::WrongType { field, .. }
            | InputError::Negative { field, .. }
            | InputError::UnknownSphere { field, .. }
            | InputError::PresentExceedsRequired { field, .. }
            | InputError::FilteredExceedsFilter { field, .. }
            | InputError::QuestionNotInSphere { field, .. }
            | InputError::Invalid { field, .. } => Some(field.clone()),
            InputError::CsvCell { row, column, .. } => Some(format!("row {row}, column {column}")),
        }
    }
}

/// What reading a responses CSV found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct CsvStats {
    /// Data rows (respondents) read, empty rows included.
    pub rows: u64,
    /// Rows without any answer.
    pub empty_rows: u64,
    /// Answers dropped because their filter question was not «Да» (§4).
    pub dropped_inconsistent: u64,
    /// Rows with at least one dropped answer.
    pub rows_with_inconsistency: u64,
    /// Encoding detected: `UTF-8` or `windows-1251`.
    pub encoding: &'static str,
    /// Delimiter detected: `,` or `;`.
    pub delimiter: char,
}

/// Parses and validates a §8 JSON input against the current definition.
pub fn parse_score_json(text: &str) -> Result<ScoreInput, InputError> {
    parse_score_json_with(Definition::current(), text)
}

/// Parses and validates a §8 JSON input against `def`.
pub fn parse_score_json_with(def: &Definition, text: &str) -> Result<ScoreInput, InputError> {
    let value = json::parse(text)?;
    json::score_input(def, &value)
}

/// Validates an already parsed JSON value as a §8 input against `def`.
pub fn score_input_from_value(def: &Definition, value: &serde_json::Value) -> Result<ScoreInput, InputError> {
    json::score_input(def, value)
}

/// Parses the `--checklist` file: the §8 `checklist` object alone (fields are named `checklist.*`).
pub fn parse_checklist_json(text: &str, sphere: Sphere) -> Result<ChecklistCounts, InputError> {
    parse_checklist_json_with(Definition::current(), text, sphere)
}

/// [`parse_checklist_json`] against `def`.
pub fn parse_checklist_json_with(def: &Definition, text: &str, sphere: Sphere) -> Result<ChecklistCounts, InputError> {
    let value = json::parse(text)?;
    let counts = json::checklist(def, sphere, &value)?;
    validate::checklist(def, sphere, &counts)?;
    Ok(counts)
}

/// Reads a responses CSV (one row per respondent, columns q1…q15 with Да/Нет/empty; UTF-8 or
/// Windows-1251; `,` or `;`) of `sphere`, with the current definition. Inconsistent filtered answers
/// are dropped and counted.
pub fn parse_responses_csv(bytes: &[u8], sphere: Sphere) -> Result<(AnswerCounts, CsvStats), InputError> {
    parse_responses_csv_with(Definition::current(), bytes, sphere)
}

/// [`parse_responses_csv`] against `def`.
pub fn parse_responses_csv_with(
    def: &Definition,
    bytes: &[u8],
    sphere: Sphere,
) -> Result<(AnswerCounts, CsvStats), InputError> {
    csv::parse(def, bytes, sphere)
}

/// The sphere named by a CLI flag or form field, as an [`InputError`] naming `field`.
pub fn parse_sphere(value: &str, field: &str) -> Result<Sphere, InputError> {
    Sphere::from_code(value)
        .ok_or_else(|| InputError::UnknownSphere { field: field.to_owned(), value: value.to_owned() })
}

/// Deserialises and validates a §8 input (against the current definition) from any self-describing
/// format, so other crates can embed [`ScoreInput`] in their own request types.
impl<'de> Deserialize<'de> for ScoreInput {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let value = serde_json::Value::deserialize(d)?;
        json::score_input(Definition::current(), &value).map_err(serde::de::Error::custom)
    }
}
