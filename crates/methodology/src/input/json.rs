//! The §8 JSON document walked by hand, so that every error names the exact field
//! (`answers.q2.yes`, `checklist.site_present`) and unknown fields are rejected.

use super::InputError;
use super::validate;
use crate::answers::{AnswerCounts, QuestionId, YesNo};
use crate::checklist::{ChecklistCounts, ChecklistField};
use crate::definition::Definition;
use crate::engine::ScoreInput;
use crate::sphere::Sphere;
use serde_json::{Map, Value};

const ROOT_FIELDS: &[&str] = &["sphere", "checklist", "answers"];
const WAITING_POINTS: &str = "waiting_points";

pub(super) fn parse(text: &str) -> Result<Value, InputError> {
    serde_json::from_str(text).map_err(|e| InputError::Syntax {
        line: e.line(),
        column: e.column(),
        message: strip_position(&e.to_string()),
    })
}

fn strip_position(msg: &str) -> String {
    msg.rfind(" at line ").map_or(msg, |i| &msg[..i]).to_owned()
}

pub(super) fn score_input(def: &Definition, value: &Value) -> Result<ScoreInput, InputError> {
    let root = object(value, "(input)")?;
    known_fields(root, "", ROOT_FIELDS)?;
    let sphere_value = required(root, "", "sphere")?;
    let Value::String(code) = sphere_value else {
        return Err(wrong_type("sphere", "a sphere code string", sphere_value));
    };
    let sphere = super::parse_sphere(code, "sphere")?;
    let checklist = checklist(def, sphere, required(root, "", "checklist")?)?;
    let answers = answers(def, sphere, required(root, "", "answers")?)?;
    let input = ScoreInput { sphere, checklist: Some(checklist), answers };
    validate::validate(def, &input)?;
    Ok(input)
}

pub(super) fn checklist(def: &Definition, sphere: Sphere, value: &Value) -> Result<ChecklistCounts, InputError> {
    let obj = object(value, "checklist")?;
    let mut allowed: Vec<&str> = ChecklistField::ALL.iter().map(|f| f.name()).collect();
    allowed.push(WAITING_POINTS);
    known_fields(obj, "checklist.", &allowed)?;
    let mut counts = ChecklistCounts::default();
    for field in ChecklistField::ALL {
        let path = format!("checklist.{}", field.name());
        let n = count(required(obj, "checklist.", field.name())?, &path)?;
        let n = u32::try_from(n).map_err(|_| InputError::Invalid {
            field: path,
            reason: format!("{n} is too large for a count of items"),
        })?;
        field.set(&mut counts, n);
    }
    counts.waiting_points = match obj.get(WAITING_POINTS) {
        None | Some(Value::Null) => None,
        Some(Value::Number(n)) => n.as_f64(),
        Some(other) => {
            return Err(wrong_type("checklist.waiting_points", "a number of points", other));
        }
    };
    validate::waiting_points(def, sphere, &counts)?;
    Ok(counts)
}

fn answers(def: &Definition, sphere: Sphere, value: &Value) -> Result<AnswerCounts, InputError> {
    let obj = object(value, "answers")?;
    let mut counts = AnswerCounts::new();
    for (key, v) in obj {
        let field = format!("answers.{key}");
        let q: QuestionId = key
            .parse()
            .map_err(|_| InputError::UnknownField { field: field.clone(), expected: "q1 … q15".to_owned() })?;
        if !def.asks(sphere, q) {
            return Err(InputError::QuestionNotInSphere { field, question: q, sphere });
        }
        let pair = object(v, &field)?;
        let prefix = format!("{field}.");
        known_fields(pair, &prefix, &["yes", "no"])?;
        let yes = count(required(pair, &prefix, "yes")?, &format!("{prefix}yes"))?;
        let no = count(required(pair, &prefix, "no")?, &format!("{prefix}no"))?;
        counts.set(q, YesNo { yes, no });
    }
    Ok(counts)
}

fn object<'a>(value: &'a Value, field: &str) -> Result<&'a Map<String, Value>, InputError> {
    value.as_object().ok_or_else(|| wrong_type(field, "an object", value))
}

fn required<'a>(obj: &'a Map<String, Value>, prefix: &str, name: &str) -> Result<&'a Value, InputError> {
    obj.get(name).ok_or_else(|| InputError::MissingField { field: format!("{prefix}{name}") })
}

fn known_fields(obj: &Map<String, Value>, prefix: &str, allowed: &[&str]) -> Result<(), InputError> {
    match obj.keys().find(|k| !allowed.contains(&k.as_str())) {
        Some(k) => Err(InputError::UnknownField { field: format!("{prefix}{k}"), expected: allowed.join(", ") }),
        None => Ok(()),
    }
}

/// A non-negative whole number (`5` or `5.0`).
fn count(value: &Value, field: &str) -> Result<u64, InputError> {
    let Value::Number(n) = value else {
        return Err(wrong_type(field, "a non-negative whole number", value));
    };
    if let Some(u) = n.as_u64() {
        return Ok(u);
    }
    let f = n.as_f64().unwrap_or(f64::NAN);
    if f < 0.0 {
        return Err(InputError::Negative { field: field.to_owned(), value: n.to_string() });
    }
    if f.fract() == 0.0 && f < 2f64.powi(53) {
        return Ok(f as u64);
    }
    Err(wrong_type(field, "a non-negative whole number", value))
}

fn wrong_type(field: &str, expected: &'static str, found: &Value) -> InputError {
    let found = match found {
        Value::Null => "null".to_owned(),
        Value::Bool(b) => format!("{b}"),
        Value::Number(n) => format!("the number {n}"),
        Value::String(s) => format!("the string {s:?}"),
        Value::Array(_) => "an array".to_owned(),
        Value::Object(_) => "an object".to_owned(),
    };
    InputError::WrongType { field: field.to_owned(), expected, found }
}
