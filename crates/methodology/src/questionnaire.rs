//! The questionnaire as shown in a sphere (§4) and the normalisation of one response: answers to
//! questions whose filter was not «Да» are dropped and reported, unknown questions are errors.

use crate::answers::{AnswerMask, QuestionId};
use crate::definition::{Definition, Mark};
use crate::sphere::Sphere;
use serde::Serialize;

/// A question of a sphere's questionnaire.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Question {
    /// Stable id; answers are counted under it.
    pub id: QuestionId,
    /// Number shown in this sphere's form (1-based; spheres without q5 show 14 questions).
    pub number: u8,
    /// Official Russian wording (the sphere's variant where it differs).
    pub text: String,
    /// Questions shown only when this one is answered «Да».
    pub filter_for: Vec<QuestionId>,
    /// The filter question this one depends on.
    pub filtered_by: Option<QuestionId>,
    /// Where «Нет» leads: the first question after the filtered ones.
    pub skip_to: Option<QuestionId>,
    /// Mark of the wording.
    pub mark: Mark,
}

/// An answer dropped because its filter question was not answered «Да».
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Inconsistency {
    /// The question whose answer was dropped.
    pub question: QuestionId,
    /// Its filter question.
    pub filter: QuestionId,
    /// The answer to the filter: `Some(false)` for «Нет», `None` if unanswered (or itself dropped).
    pub filter_answer: Option<bool>,
}

/// A response that cannot be normalised.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AnswerError {
    /// The question is not in the sphere's questionnaire (e.g. q5 in culture).
    #[error("{question}: this question is not asked in the sphere {sphere}")]
    NotInSphere {
        /// The question.
        question: QuestionId,
        /// The sphere.
        sphere: Sphere,
    },
    /// A question id outside q1…q15.
    #[error("question number {0} does not exist; expected q1 … q15")]
    UnknownQuestion(u8),
    /// The same question answered twice.
    #[error("{0}: answered more than once")]
    Duplicate(QuestionId),
}

/// Normalises one response of `sphere`: returns its mask and the answers dropped as inconsistent.
pub fn normalize(
    def: &Definition,
    sphere: Sphere,
    answers: &[(QuestionId, bool)],
) -> Result<(AnswerMask, Vec<Inconsistency>), AnswerError> {
    let variant = def.sphere(sphere);
    let mut mask = AnswerMask::EMPTY;
    for &(q, yes) in answers {
        if !q.is_valid() {
            return Err(AnswerError::UnknownQuestion(q.0));
        }
        if variant.asked_bits & q.bit() == 0 {
            return Err(AnswerError::NotInSphere { question: q, sphere });
        }
        if mask.asked & q.bit() != 0 {
            return Err(AnswerError::Duplicate(q));
        }
        mask.set(q, yes);
    }
    let mut dropped = Vec::new();
    let mask = apply_filters(def, sphere, mask, |i| dropped.push(i));
    Ok((mask, dropped))
}

/// Drops answers whose filter is not «Да» from a mask of `sphere` (questions outside the sphere are
/// dropped too, silently), calling `on_drop` for each filtered answer dropped. Allocation-free.
pub fn apply_filters(
    def: &Definition,
    sphere: Sphere,
    mut mask: AnswerMask,
    mut on_drop: impl FnMut(Inconsistency),
) -> AnswerMask {
    let variant = def.sphere(sphere);
    mask.asked &= variant.asked_bits;
    mask.yes &= mask.asked;
    // Questions are in form order and filters precede what they filter, so a dropped filter
    // answer also drops the answers behind it.
    for q in &variant.questions {
        let Some(filter) = q.filtered_by else {
            continue;
        };
        if mask.asked & q.id.bit() != 0 && mask.yes & filter.bit() == 0 {
            on_drop(Inconsistency { question: q.id, filter, filter_answer: mask.answer(filter) });
            mask.clear(q.id);
        }
    }
    mask
}
