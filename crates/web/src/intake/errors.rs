//! Per-field validation errors of a submission: a stable machine code, the field path as the API names
//! it (`answers.q2`, `age`…), and the Russian message shown next to the field in the questionnaire.

use nok_methodology::QuestionId;
use serde::Serialize;

/// One problem with one field.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FieldError {
    /// The field path: `id`, `organization_id`, `channel`, `answers`, `answers.q5`, `suggestions`, `sex`,
    /// `age`, or the name of an unknown field.
    pub field: String,
    /// Stable machine code (see the OpenAPI document).
    pub code: &'static str,
    /// Russian explanation.
    pub message: String,
}

impl FieldError {
    /// An error whose message is `intake-err-<code>` from the catalogue.
    pub fn new(field: impl Into<String>, code: &'static str) -> FieldError {
        FieldError { field: field.into(), code, message: nok_i18n::t(&message_id(code)) }
    }

    /// An error about one answer; the message names the question number shown in the form.
    pub fn answer(q: QuestionId, number: u8, code: &'static str) -> FieldError {
        FieldError {
            field: format!("answers.{q}"),
            code,
            message: nok_i18n::t!(&message_id(code), number = u32::from(number)),
        }
    }

    /// An error about a filtered answer whose filter question was not answered «Да».
    pub fn filter(q: QuestionId, filter_number: u8) -> FieldError {
        FieldError {
            field: format!("answers.{q}"),
            code: "filter_not_yes",
            message: nok_i18n::t!("intake-err-filter_not_yes", filter = u32::from(filter_number)),
        }
    }

    /// The question this error is about, if any.
    pub fn question(&self) -> Option<QuestionId> {
        self.field.strip_prefix("answers.").and_then(|q| q.parse().ok())
    }
}

fn message_id(code: &str) -> String {
    format!("intake-err-{code}")
}

/// The codes, for the catalogue test and the API documentation.
pub const CODES: [&str; 20] = [
    "required",
    "invalid_uuid",
    "unknown_organization",
    "unknown_channel",
    "unknown_field",
    "wrong_type",
    "no_answers",
    "unknown_question",
    "not_in_sphere",
    "duplicate_answer",
    "filter_not_yes",
    "answer_required",
    "too_long",
    "invalid_sex",
    "invalid_age",
    "not_json",
    "invalid_value",
    "rate_limited",
    "unavailable",
    "no_published_plan",
];

#[cfg(test)]
mod tests {
    #[test]
    fn every_code_has_a_message() {
        for code in super::CODES {
            assert!(nok_i18n::has(&super::message_id(code)), "{code}");
        }
    }
}
