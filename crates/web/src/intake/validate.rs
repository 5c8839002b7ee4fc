//! Validation of a submission against the organisation's questionnaire: one set of rules for the JSON API
//! and the HTML form. Answers are normalised with `nok_methodology::normalize`; an answer to a question
//! whose filter was not «Да» is an error for the API and is dropped (and logged) for the form. The form asks
//! follow-up questions only once their filter is «Да»; [`next_step`] tells which of them are its next step
//! rather than errors.

use super::channel::Channel;
use super::errors::FieldError;
use super::orgs::OrgInfo;
use nok_methodology::{AnswerError, AnswerMask, Definition, Inconsistency, QuestionId, Sphere, normalize};

/// Longest suggestions text kept, in characters.
pub const SUGGESTIONS_MAX: usize = 2000;
/// Youngest and oldest accepted age (respondents from 14; parents answer for younger children).
pub const AGE_RANGE: std::ops::RangeInclusive<i64> = 14..=120;

/// A response as submitted, before validation. The JSON API and the HTML form each fill it from their
/// format, recording format-level problems (wrong JSON types, unknown fields) in `errors`.
#[derive(Clone, Debug, Default)]
pub struct Submission {
    pub id: Option<String>,
    pub organization: Option<String>,
    pub channel: Option<String>,
    /// `(key as sent, answer)`; keys are checked here (`q1`…`q15`).
    pub answers: Vec<(String, bool)>,
    pub suggestions: Option<String>,
    pub sex: Option<String>,
    pub age: Option<i64>,
    pub errors: Vec<FieldError>,
}

/// Which rules apply to filtered and unanswered questions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Form {
    /// API clients: a filtered answer without «Да» to its filter is an error; any question may be left out.
    Api,
    /// The questionnaire page: such answers are dropped (and logged); every question shown must be answered.
    Questionnaire,
}

/// A submission that passed validation.
#[derive(Clone, Debug)]
pub struct Valid {
    pub id: uuid::Uuid,
    pub org: OrgInfo,
    pub channel: Channel,
    pub mask: AnswerMask,
    pub dropped: Vec<Inconsistency>,
    pub suggestions: Option<String>,
    pub sex: Option<&'static str>,
    pub age: Option<i32>,
}

fn number_of(def: &Definition, sphere: Sphere, q: QuestionId) -> u8 {
    def.questionnaire(sphere).iter().find(|x| x.id == q).map_or(q.0, |x| x.number)
}

/// Checks everything at once and returns every problem found. `org` is the organisation the submission
/// names, already looked up (`None` when it names none or an unknown one).
pub fn validate(def: &Definition, sub: Submission, org: Option<OrgInfo>, form: Form) -> Result<Valid, Vec<FieldError>> {
    let mut errors = sub.errors;
    let id = match sub.id.as_deref().map(str::trim) {
        None | Some("") => {
            errors.push(FieldError::new("id", "required"));
            None
        }
        Some(s) => match uuid::Uuid::parse_str(s) {
            Ok(u) if !u.is_nil() => Some(u),
            _ => {
                errors.push(FieldError::new("id", "invalid_uuid"));
                None
            }
        },
    };
    if org.is_none() {
        let blank = sub.organization.as_deref().is_none_or(|s| s.trim().is_empty());
        errors.push(FieldError::new("organization_id", if blank { "required" } else { "unknown_organization" }));
    }
    let channel = match sub.channel.as_deref().map(str::trim) {
        None | Some("") => {
            errors.push(FieldError::new("channel", "required"));
            None
        }
        Some(c) => Channel::from_code(c).or_else(|| {
            errors.push(FieldError::new("channel", "unknown_channel"));
            None
        }),
    };
    let answers = parse_answers(&sub.answers, &mut errors);
    let mut answered = None;
    if let Some(org) = &org {
        answered = check_answers(def, org.sphere, &answers, form, &mut errors);
    }
    let suggestions = sub.suggestions.map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
    if suggestions.as_ref().is_some_and(|s| s.chars().count() > SUGGESTIONS_MAX) {
        errors.push(FieldError::new("suggestions", "too_long"));
    }
    let sex = match sub.sex.as_deref().map(str::trim) {
        None | Some("") => None,
        Some("m") => Some("m"),
        Some("f") => Some("f"),
        Some(_) => {
            errors.push(FieldError::new("sex", "invalid_sex"));
            None
        }
    };
    let age = match sub.age {
        None => None,
        Some(a) if AGE_RANGE.contains(&a) => i32::try_from(a).ok(),
        Some(_) => {
            errors.push(FieldError::new("age", "invalid_age"));
            None
        }
    };
    match (id, org, channel, answered) {
        (Some(id), Some(org), Some(channel), Some((mask, dropped))) if errors.is_empty() => {
            Ok(Valid { id, org, channel, mask, dropped, suggestions, sex, age })
        }
        _ => Err(errors),
    }
}

/// Question ids of the answer keys; unknown keys are errors.
fn parse_answers(raw: &[(String, bool)], errors: &mut Vec<FieldError>) -> Vec<(QuestionId, bool)> {
    let mut out = Vec::with_capacity(raw.len());
    for (key, yes) in raw {
        match key.parse::<QuestionId>() {
            Ok(q) => out.push((q, *yes)),
            Err(_) => errors.push(FieldError::new(format!("answers.{key}"), "unknown_question")),
        }
    }
    out
}

/// Normalises the answers for the sphere, applying the form's rules; `None` when they are unusable.
fn check_answers(
    def: &Definition,
    sphere: Sphere,
    answers: &[(QuestionId, bool)],
    form: Form,
    errors: &mut Vec<FieldError>,
) -> Option<(AnswerMask, Vec<Inconsistency>)> {
    let before = errors.len();
    let (mask, dropped) = match normalize(def, sphere, answers) {
        Ok(ok) => ok,
        Err(e) => {
            errors.push(match e {
                AnswerError::NotInSphere { question, .. } => {
                    FieldError::new(format!("answers.{question}"), "not_in_sphere")
                }
                AnswerError::Duplicate(q) => FieldError::answer(q, number_of(def, sphere, q), "duplicate_answer"),
                AnswerError::UnknownQuestion(n) => FieldError::new(format!("answers.q{n}"), "unknown_question"),
            });
            return None;
        }
    };
    match form {
        Form::Api => {
            for d in &dropped {
                errors.push(FieldError::filter(d.question, number_of(def, sphere, d.filter)));
            }
        }
        Form::Questionnaire => {
            for d in &dropped {
                tracing::info!(question = %d.question, filter = %d.filter, "questionnaire answer behind a skipped filter dropped");
            }
            for q in def.questionnaire(sphere) {
                let shown = q.filtered_by.is_none_or(|f| mask.answer(f) == Some(true));
                if shown && mask.answer(q.id).is_none() {
                    errors.push(FieldError::answer(q.id, q.number, "answer_required"));
                }
            }
        }
    }
    if mask.asked == 0 && !errors.iter().any(|e| e.field.starts_with("answers")) {
        errors.push(FieldError::new("answers", "no_answers"));
    }
    (errors.len() == before).then_some((mask, dropped))
}

/// The questionnaire's next step. Follow-up questions appear only after their filter question was answered
/// «Да» (without JavaScript, after that answer is sent), so an unanswered follow-up the respondent has not
/// been shown yet (not in `shown`) is asked next, not wrong: its `answer_required` error is taken out of
/// `errors` and the question returned.
pub fn next_step(
    def: &Definition,
    sphere: Sphere,
    errors: &mut Vec<FieldError>,
    shown: &[QuestionId],
) -> Vec<QuestionId> {
    let questions = def.questionnaire(sphere);
    let follow_up = |q: QuestionId| questions.iter().any(|x| x.id == q && x.filtered_by.is_some());
    let mut pending = Vec::new();
    errors.retain(|e| match e.question() {
        Some(q) if e.code == "answer_required" && follow_up(q) && !shown.contains(&q) => {
            pending.push(q);
            false
        }
        _ => true,
    });
    pending
}

#[cfg(test)]
mod tests {
    use super::*;

    fn org(sphere: Sphere) -> OrgInfo {
        OrgInfo { id: 1, public_id: "abc".into(), sphere, short_name: "Школа".into(), region_code: "76".into() }
    }

    fn sub(answers: &[(&str, bool)]) -> Submission {
        Submission {
            id: Some(uuid::Uuid::now_v7().to_string()),
            organization: Some("abc".into()),
            channel: Some("qr_poster".into()),
            answers: answers.iter().map(|(k, v)| (k.to_string(), *v)).collect(),
            ..Default::default()
        }
    }

    fn fields(e: &[FieldError]) -> Vec<(String, &'static str)> {
        e.iter().map(|e| (e.field.clone(), e.code)).collect()
    }

    #[test]
    fn api_rejects_filtered_answers_and_q5_outside_its_spheres() {
        let def = Definition::current();
        let e = validate(def, sub(&[("q1", false), ("q2", true), ("q5", true)]), Some(org(Sphere::Culture)), Form::Api)
            .unwrap_err();
        assert_eq!(fields(&e), [("answers.q5".to_string(), "not_in_sphere")]);
        let e = validate(def, sub(&[("q1", false), ("q2", true)]), Some(org(Sphere::Culture)), Form::Api).unwrap_err();
        assert_eq!(fields(&e), [("answers.q2".to_string(), "filter_not_yes")]);
        let ok = validate(def, sub(&[("q1", true), ("q2", true), ("q5", false)]), Some(org(Sphere::Health)), Form::Api)
            .unwrap();
        assert_eq!(ok.mask.answer(QuestionId(5)), Some(false));
    }

    #[test]
    fn questionnaire_drops_skipped_answers_and_requires_the_rest() {
        let def = Definition::current();
        let e = validate(def, sub(&[("q1", false), ("q2", true)]), Some(org(Sphere::Culture)), Form::Questionnaire)
            .unwrap_err();
        let f = fields(&e);
        assert!(!f.iter().any(|(k, _)| k == "answers.q2"), "skipped q2 is not required: {f:?}");
        assert!(f.contains(&("answers.q3".to_string(), "answer_required")));
        let mut all: Vec<(String, bool)> =
            def.questionnaire(Sphere::Culture).iter().map(|q| (q.id.to_string(), false)).collect();
        all.retain(|(k, _)| k != "q4");
        let s = Submission { answers: all, ..sub(&[]) };
        let ok = validate(def, s, Some(org(Sphere::Culture)), Form::Questionnaire).unwrap();
        assert_eq!(ok.mask.answer(QuestionId(2)), None, "q2 behind q1 = Нет dropped");
    }

    #[test]
    fn unseen_follow_ups_are_the_next_step_not_errors() {
        let def = Definition::current();
        let questions = def.questionnaire(Sphere::Culture);
        let follow_ups: Vec<QuestionId> = questions.iter().filter(|q| q.filtered_by.is_some()).map(|q| q.id).collect();
        let plain = questions.iter().find(|q| q.filtered_by.is_none() && q.filter_for.is_empty()).unwrap().id;
        // «Да» to every question but the follow-ups; one plain question left out.
        let answers = questions
            .iter()
            .filter(|q| q.filtered_by.is_none() && q.id != plain)
            .map(|q| (q.id.to_string(), true))
            .collect();
        let s = Submission { answers, ..sub(&[]) };
        let mut e = validate(def, s, Some(org(Sphere::Culture)), Form::Questionnaire).unwrap_err();
        let mut seen_before = e.clone();
        assert_eq!(next_step(def, Sphere::Culture, &mut e, &[]), follow_ups);
        assert_eq!(fields(&e), [(format!("answers.{plain}"), "answer_required")], "a plain question is still required");
        let pending = next_step(def, Sphere::Culture, &mut seen_before, &follow_ups[..1]);
        assert_eq!(pending, follow_ups[1..], "a follow-up already on the page and left unanswered is an error");
        assert!(fields(&seen_before).contains(&(format!("answers.{}", follow_ups[0]), "answer_required")));
    }

    #[test]
    fn every_field_is_checked_at_once() {
        let def = Definition::current();
        let s = Submission {
            id: Some("not-a-uuid".into()),
            organization: Some("nope".into()),
            channel: Some("fax".into()),
            answers: vec![("q99".into(), true)],
            sex: Some("x".into()),
            age: Some(7),
            suggestions: Some("я".repeat(SUGGESTIONS_MAX + 1)),
            ..Default::default()
        };
        let e = validate(def, s, None, Form::Api).unwrap_err();
        let f: Vec<&str> = e.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(f, ["id", "organization_id", "channel", "answers.q99", "suggestions", "sex", "age"]);
        assert_eq!(e[1].code, "unknown_organization");
        let e = validate(def, sub(&[]), Some(org(Sphere::Health)), Form::Api).unwrap_err();
        assert_eq!(fields(&e), [("answers".to_string(), "no_answers")]);
    }
}
