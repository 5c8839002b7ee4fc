//! Consistency rules of §8 shared by every input path: present ≤ required, filtered answers ≤ their
//! filter's «Да», questions the sphere does not ask, and the waiting-time points.

use super::InputError;
use crate::checklist::{ChecklistCounts, ChecklistField};
use crate::definition::Definition;
use crate::engine::ScoreInput;
use crate::sphere::Sphere;

/// Checks a complete input against `def` (used after parsing; call it on inputs built in code).
pub fn validate(def: &Definition, input: &ScoreInput) -> Result<(), InputError> {
    let sphere = input.sphere;
    if let Some(counts) = &input.checklist {
        checklist(def, sphere, counts)?;
    }
    for (q, counts) in input.answers.iter() {
        if counts.answered() > 0 && !def.asks(sphere, q) {
            return Err(InputError::QuestionNotInSphere { field: format!("answers.{q}"), question: q, sphere });
        }
    }
    for question in def.questionnaire(sphere) {
        let Some(filter) = question.filtered_by else {
            continue;
        };
        let answered = input.answers.get(question.id).answered();
        let filter_yes = input.answers.get(filter).yes;
        if answered > filter_yes {
            return Err(InputError::FilteredExceedsFilter {
                field: format!("answers.{}", question.id),
                answered,
                filter,
                filter_yes,
            });
        }
    }
    Ok(())
}

/// Checks the checklist counts of `sphere`.
pub(super) fn checklist(def: &Definition, sphere: Sphere, counts: &ChecklistCounts) -> Result<(), InputError> {
    let pairs = [
        (ChecklistField::StandPresent, ChecklistField::StandRequired),
        (ChecklistField::SitePresent, ChecklistField::SiteRequired),
    ];
    for (present, required) in pairs {
        let (p, r) = (present.get(counts), required.get(counts));
        if p > r {
            return Err(InputError::PresentExceedsRequired {
                field: format!("checklist.{present}"),
                present: p,
                required: r,
                required_field: format!("checklist.{required}"),
            });
        }
    }
    waiting_points(def, sphere, counts)
}

/// `waiting_points`: only where the sphere's 2.2 rule uses it, a number of points in [0, 100].
pub(super) fn waiting_points(def: &Definition, sphere: Sphere, counts: &ChecklistCounts) -> Result<(), InputError> {
    let Some(points) = counts.waiting_points else {
        return Ok(());
    };
    let field = "checklist.waiting_points".to_owned();
    if !def.accepts_waiting_points(sphere) {
        let users: Vec<&str> =
            Sphere::ALL.into_iter().filter(|s| def.accepts_waiting_points(*s)).map(Sphere::code).collect();
        return Err(InputError::Invalid {
            field,
            reason: format!(
                "the sphere {sphere} does not use waiting-time points (methodology {} accepts them only for: {})",
                def.id,
                users.join(", ")
            ),
        });
    }
    if !(0.0..=100.0).contains(&points) {
        return Err(InputError::Invalid { field, reason: format!("must be between 0 and 100 points, found {points}") });
    }
    Ok(())
}
