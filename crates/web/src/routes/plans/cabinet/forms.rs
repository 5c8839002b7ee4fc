//! The item and progress forms as typed, their choices, and field errors in the catalogue's words.

use crate::error::AppResult;
use crate::routes::feedback::{FieldError as FormField, FormErrors, confirmed};
use crate::routes::plans::{criterion_name, shown_name};
use nok_store::StoreError;
use nok_store::entities::plan_item;
use nok_store::repo::improvement_plans::{self as plans, FieldError, ItemInput, ItemStatus, ProgressInput, Shown};
use serde::Deserialize;

/// A date typed as `ДД.ММ.ГГГГ` or by a date picker (`ГГГГ-ММ-ДД`): `Ok(None)` when empty, `Err` when
/// unreadable.
pub(super) fn parse_day(text: &Option<String>) -> Result<Option<i64>, ()> {
    match text.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        None => Ok(None),
        Some(t) => nok_i18n::parse_date(t).map(|d| Some(plans::day(d))).ok_or(()),
    }
}

/// The message of a field's error: «Срок: укажите дату…».
pub(super) fn message(field: &str, code: &str) -> String {
    format!(
        "{}: {}",
        nok_i18n::t(&format!("plan-field-{}", field.replace('_', "-"))),
        nok_i18n::t(&format!("plan-err-{code}"))
    )
}

pub(super) fn form_errors(errors: &[FieldError]) -> FormErrors {
    FormErrors {
        items: errors
            .iter()
            .map(|e| FormField { field: e.field.to_string(), message: message(e.field, e.code) })
            .collect(),
    }
}

/// A store refusal of the input (`Invalid("field: code; …")`) as form errors; anything else stays an error.
pub(super) fn store_errors(e: StoreError) -> AppResult<FormErrors> {
    match e {
        StoreError::Invalid(m) => Ok(FormErrors {
            items: m
                .split("; ")
                .map(|problem| {
                    let (field, code) = problem.split_once(':').unwrap_or(("form", "rejected"));
                    let field = field.trim();
                    FormField { field: field.to_string(), message: message(field, code.trim()) }
                })
                .collect(),
        }),
        other => Err(other.into()),
    }
}

/// The item form as typed (all text, so a wrong value comes back to its field).
#[derive(Deserialize, Default, Clone)]
pub struct ItemForm {
    pub(super) criterion: Option<String>,
    pub(super) shortcoming: Option<String>,
    pub(super) measure: Option<String>,
    pub(super) deadline: Option<String>,
    pub(super) responsible_name: Option<String>,
    pub(super) responsible_position: Option<String>,
    pub(super) status: Option<String>,
}

impl ItemForm {
    pub(super) fn from_item(i: &plan_item::Model) -> ItemForm {
        ItemForm {
            criterion: i.criterion.clone(),
            shortcoming: Some(i.shortcoming.clone()),
            measure: i.measure.clone(),
            deadline: i.deadline.map(plans::iso_date),
            responsible_name: i.responsible_name.clone(),
            responsible_position: i.responsible_position.clone(),
            status: Some(i.status.clone()),
        }
    }

    /// The store's input, or the fields that could not even be read.
    pub(super) fn to_input(&self, published: bool) -> Result<ItemInput, FormErrors> {
        let mut errors = Vec::new();
        let deadline = parse_day(&self.deadline).unwrap_or_else(|()| {
            errors.push(FieldError { field: "deadline", code: "date" });
            None
        });
        let status = match self.status.as_deref().filter(|s| !s.is_empty()) {
            None => ItemStatus::Planned,
            Some(s) => ItemStatus::from_code(s).unwrap_or_else(|| {
                errors.push(FieldError { field: "status", code: "rejected" });
                ItemStatus::Planned
            }),
        };
        let input = ItemInput {
            criterion: self.criterion.clone(),
            shortcoming: self.shortcoming.clone(),
            measure: self.measure.clone(),
            deadline,
            responsible_name: self.responsible_name.clone(),
            responsible_position: self.responsible_position.clone(),
            status,
        };
        for e in input.validate(published) {
            if !errors.iter().any(|x| x.field == e.field) {
                errors.push(e);
            }
        }
        if errors.is_empty() { Ok(input) } else { Err(form_errors(&errors)) }
    }

    pub(super) fn text(&self, field: &str) -> String {
        let v = match field {
            "shortcoming" => &self.shortcoming,
            "measure" => &self.measure,
            "deadline" => &self.deadline,
            "responsible_name" => &self.responsible_name,
            "responsible_position" => &self.responsible_position,
            _ => &None,
        };
        v.clone().unwrap_or_default()
    }

    pub(super) fn is(&self, field: &str, value: &str) -> bool {
        let v = match field {
            "criterion" => &self.criterion,
            "status" => &self.status,
            _ => &None,
        };
        v.as_deref().unwrap_or_default() == value
    }
}

/// Choices of the item form: `(code, name)`.
pub(super) struct Choices {
    pub(super) criteria: Vec<(String, String)>,
    pub(super) statuses: Vec<(String, String)>,
}

impl Choices {
    pub(super) fn new() -> Choices {
        Choices {
            criteria: nok_methodology::Definition::current()
                .criteria
                .iter()
                .map(|c| (c.id.clone(), criterion_name(Some(&c.id))))
                .collect(),
            statuses: ItemStatus::ALL
                .iter()
                .map(|s| {
                    let shown = match s {
                        ItemStatus::Planned => Shown::Planned,
                        ItemStatus::InProgress => Shown::InProgress,
                        ItemStatus::Done => Shown::Done,
                    };
                    (s.code().to_string(), shown_name(shown))
                })
                .collect(),
        }
    }
}

/// The progress report form as typed.
#[derive(Deserialize, Default, Clone)]
pub struct ProgressForm {
    pub(super) done_on: Option<String>,
    pub(super) what_done: Option<String>,
    pub(super) details: Option<String>,
    pub(super) complete: Option<String>,
}

impl ProgressForm {
    pub(super) fn to_input(&self) -> Result<ProgressInput, FormErrors> {
        let mut errors = Vec::new();
        let done_on = parse_day(&self.done_on).unwrap_or_else(|()| {
            errors.push(FieldError { field: "done_on", code: "date" });
            None
        });
        let input = ProgressInput {
            done_on,
            what_done: self.what_done.clone(),
            details: self.details.clone(),
            complete: confirmed(&self.complete),
        };
        for e in input.validate(plans::today()) {
            if !errors.iter().any(|x| x.field == e.field) {
                errors.push(e);
            }
        }
        if errors.is_empty() { Ok(input) } else { Err(form_errors(&errors)) }
    }
}
