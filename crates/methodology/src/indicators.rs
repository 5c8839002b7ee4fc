//! Evaluation of one indicator's formula (ratio of shares, capped points, waiting time) on one
//! organisation's input, recording the inputs read and where missing data changed the result.

use crate::answers::{AnswerCounts, QuestionId};
use crate::checklist::ChecklistField;
use crate::definition::{Formula, RatioSource, SphereVariant, SurveyBase, SurveyRatio, WaitingCombine};
use crate::engine::ScoreInput;
use crate::missing::{MissingDataPolicy, PolicyEffect};
use serde::{Serialize, Serializer};
use std::fmt;

/// A named input an indicator read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputRef {
    /// A checklist count.
    Checklist(ChecklistField),
    /// Y_qN: «Да» answers to a question.
    Yes(QuestionId),
    /// A_qN: answers to a question.
    Answered(QuestionId),
    /// The waiting-time points.
    WaitingPoints,
}

impl fmt::Display for InputRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            InputRef::Checklist(field) => f.write_str(field.name()),
            InputRef::Yes(q) => write!(f, "Y_{q}"),
            InputRef::Answered(q) => write!(f, "A_{q}"),
            InputRef::WaitingPoints => f.write_str("waiting_points"),
        }
    }
}

impl Serialize for InputRef {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// An input and its value.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct InputValue {
    /// Which input (`stand_present`, `Y_q2`, `A_q6`, `waiting_points`).
    pub name: InputRef,
    /// Its value (`None`: not given).
    pub value: Option<f64>,
}

/// The result of one formula.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Outcome {
    pub value: Option<f64>,
    pub inputs: Vec<InputValue>,
    pub effects: Vec<PolicyEffect>,
}

struct Reader<'a> {
    input: &'a ScoreInput,
    /// `None` on the bulk path, which records nothing.
    inputs: Option<Vec<InputValue>>,
}

impl Reader<'_> {
    fn record(&mut self, name: InputRef, value: Option<f64>) -> Option<f64> {
        if let Some(inputs) = &mut self.inputs
            && !inputs.iter().any(|i| i.name == name)
        {
            inputs.push(InputValue { name, value });
        }
        value
    }

    /// A checklist count, or `None` when no checklist was recorded.
    fn checklist(&mut self, field: ChecklistField) -> Option<f64> {
        let v = self.input.checklist.as_ref().map(|c| f64::from(field.get(c)));
        self.record(InputRef::Checklist(field), v)
    }

    fn yes(&mut self, q: QuestionId) -> f64 {
        let v = answers_yes(&self.input.answers, q);
        self.record(InputRef::Yes(q), Some(v));
        v
    }

    fn answered(&mut self, q: QuestionId) -> f64 {
        let v = self.input.answers.get(q).answered() as f64;
        self.record(InputRef::Answered(q), Some(v));
        v
    }

    /// `num / den` capped at 1, or `None` for a zero denominator.
    fn share(num: f64, den: f64) -> Option<f64> {
        (den > 0.0).then(|| (num / den).min(1.0))
    }

    fn survey(&mut self, r: SurveyRatio) -> Option<f64> {
        let num = self.yes(r.yes);
        let den = match r.base {
            SurveyBase::Yes(q) => self.yes(q),
            SurveyBase::Answered(q) => self.answered(q),
        };
        Self::share(num, den)
    }

    fn waiting_points(&mut self) -> Option<f64> {
        let v = self.input.checklist.and_then(|c| c.waiting_points);
        let v = v.filter(|p| p.is_finite()).map(|p| p.clamp(0.0, 100.0));
        self.record(InputRef::WaitingPoints, v)
    }
}

fn answers_yes(answers: &AnswerCounts, q: QuestionId) -> f64 {
    answers.get(q).yes as f64
}

/// Evaluates `formula` for the input of `variant`'s sphere; `explain` records the inputs read.
pub(crate) fn evaluate(
    formula: &Formula,
    variant: &SphereVariant,
    input: &ScoreInput,
    policy: MissingDataPolicy,
    explain: bool,
) -> Outcome {
    let mut r = Reader { input, inputs: explain.then(|| Vec::with_capacity(4)) };
    let mut effects = Vec::new();
    let value = match formula {
        Formula::Ratio { scale, parts } => {
            let mut sum = 0.0;
            let mut available = 0usize;
            let mut missing = Vec::new();
            for part in parts {
                let share = match part.source {
                    RatioSource::Checklist { present, required } => {
                        let num = r.checklist(present);
                        let den = r.checklist(required);
                        num.zip(den).and_then(|(num, den)| Reader::share(num, den))
                    }
                    RatioSource::Survey(s) => r.survey(s),
                };
                match share {
                    Some(s) => {
                        sum += s;
                        available += 1;
                    }
                    None => missing.push(part.label.clone()),
                }
            }
            if available == 0 {
                None
            } else {
                let n = match policy {
                    MissingDataPolicy::NoData => available,
                    MissingDataPolicy::CountAsZero => parts.len(),
                };
                effects.extend(missing.into_iter().map(|part| match policy {
                    MissingDataPolicy::NoData => PolicyEffect::PartLeftOut { part },
                    MissingDataPolicy::CountAsZero => PolicyEffect::PartCountedAsZero { part },
                }));
                Some(scale * sum / n as f64)
            }
        }
        Formula::CappedPoints { count, points, cap } => r.checklist(*count).map(|n| (points * n).min(*cap)),
        Formula::Waiting { scale, timeliness } => {
            let t = r.survey(*timeliness).map(|s| s * scale);
            let combine = variant.waiting.as_ref().map_or(WaitingCombine::Timeliness, |w| w.combine);
            match combine {
                WaitingCombine::Timeliness => t,
                WaitingCombine::MeanAvailable => match (t, r.waiting_points()) {
                    (Some(t), Some(w)) => Some((t + w) / 2.0),
                    (Some(v), None) => {
                        effects.push(PolicyEffect::WaitingPartMissing { part: "время ожидания".into() });
                        Some(v)
                    }
                    (None, Some(v)) => {
                        effects
                            .push(PolicyEffect::WaitingPartMissing { part: "своевременность".into() });
                        Some(v)
                    }
                    (None, None) => None,
                },
            }
        }
    };
    let value = match (value, policy) {
        (None, MissingDataPolicy::CountAsZero) => {
            effects.push(PolicyEffect::CountedAsZero);
            Some(0.0)
        }
        (v, _) => v,
    };
    Outcome { value, inputs: r.inputs.unwrap_or_default(), effects }
}
