//! What the plan forms send, trimmed and checked before anything is stored.

use super::{ItemStatus, MAX_NAME_CHARS, MAX_TEXT_CHARS};
use crate::error::StoreError;

/// A field that failed validation, with a short reason code (`plan-err-{code}` in the catalogue).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldError {
    pub field: &'static str,
    pub code: &'static str,
}

pub(super) fn invalid(errors: &[FieldError]) -> StoreError {
    StoreError::Invalid(errors.iter().map(|e| format!("{}: {}", e.field, e.code)).collect::<Vec<_>>().join("; "))
}

/// Trimmed text, empty → none.
pub(super) fn clean(text: &Option<String>) -> Option<String> {
    text.as_deref().map(str::trim).filter(|t| !t.is_empty()).map(str::to_string)
}

pub(super) fn check_len(errors: &mut Vec<FieldError>, field: &'static str, text: &Option<String>, max: usize) {
    if text.as_deref().is_some_and(|t| t.chars().count() > max) {
        errors.push(FieldError { field, code: "too-long" });
    }
}

/// Whether a stored date is a plausible one (years 2000–2100).
pub(super) fn plausible_day(ts: i64) -> bool {
    (946_684_800..=4_133_980_799).contains(&ts)
}

/// An item as entered in the form.
#[derive(Clone, Debug, PartialEq)]
pub struct ItemInput {
    /// `K1`…`K5` of the methodology, or none.
    pub criterion: Option<String>,
    pub shortcoming: Option<String>,
    pub measure: Option<String>,
    /// Unix seconds at midnight UTC (see [`day`]).
    pub deadline: Option<i64>,
    pub responsible_name: Option<String>,
    pub responsible_position: Option<String>,
    pub status: ItemStatus,
}

impl Default for ItemInput {
    fn default() -> Self {
        ItemInput {
            criterion: None,
            shortcoming: None,
            measure: None,
            deadline: None,
            responsible_name: None,
            responsible_position: None,
            status: ItemStatus::Planned,
        }
    }
}

impl ItemInput {
    pub(super) fn normalized(&self) -> ItemInput {
        ItemInput {
            criterion: clean(&self.criterion),
            shortcoming: clean(&self.shortcoming),
            measure: clean(&self.measure),
            deadline: self.deadline,
            responsible_name: clean(&self.responsible_name),
            responsible_position: clean(&self.responsible_position),
            status: self.status,
        }
    }

    /// Everything wrong with the input. A published plan needs every field (`complete`); a draft only
    /// the shortcoming.
    pub fn validate(&self, complete: bool) -> Vec<FieldError> {
        let s = self.normalized();
        let mut errors = Vec::new();
        if let Some(c) = &s.criterion
            && nok_methodology::Definition::current().criterion(c).is_none()
        {
            errors.push(FieldError { field: "criterion", code: "criterion" });
        }
        if s.shortcoming.is_none() {
            errors.push(FieldError { field: "shortcoming", code: "required" });
        }
        check_len(&mut errors, "shortcoming", &s.shortcoming, MAX_TEXT_CHARS);
        check_len(&mut errors, "measure", &s.measure, MAX_TEXT_CHARS);
        check_len(&mut errors, "responsible_name", &s.responsible_name, MAX_NAME_CHARS);
        check_len(&mut errors, "responsible_position", &s.responsible_position, MAX_NAME_CHARS);
        if s.deadline.is_some_and(|d| !plausible_day(d)) {
            errors.push(FieldError { field: "deadline", code: "date" });
        }
        if complete || s.status != ItemStatus::Planned {
            for (field, missing) in [
                ("measure", s.measure.is_none()),
                ("deadline", s.deadline.is_none()),
                ("responsible_name", s.responsible_name.is_none()),
                ("responsible_position", s.responsible_position.is_none()),
            ] {
                if missing && !errors.iter().any(|e| e.field == field) {
                    errors.push(FieldError { field, code: if complete { "required-published" } else { "required" } });
                }
            }
        }
        errors
    }
}

/// A progress report as entered.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ProgressInput {
    /// The day it was done (Unix seconds at midnight UTC).
    pub done_on: Option<i64>,
    /// What was actually done.
    pub what_done: Option<String>,
    pub details: Option<String>,
    /// The measure is fully carried out: the item becomes done.
    pub complete: bool,
}

impl ProgressInput {
    /// Everything wrong with the report (`today` as from [`today`]).
    pub fn validate(&self, today: i64) -> Vec<FieldError> {
        let mut errors = Vec::new();
        match self.done_on {
            None => errors.push(FieldError { field: "done_on", code: "required" }),
            Some(d) if !plausible_day(d) => errors.push(FieldError { field: "done_on", code: "date" }),
            Some(d) if d > today => errors.push(FieldError { field: "done_on", code: "future" }),
            Some(_) => {}
        }
        let what = clean(&self.what_done);
        if what.is_none() {
            errors.push(FieldError { field: "what_done", code: "required" });
        }
        check_len(&mut errors, "what_done", &what, MAX_TEXT_CHARS);
        check_len(&mut errors, "details", &clean(&self.details), MAX_TEXT_CHARS);
        errors
    }
}
