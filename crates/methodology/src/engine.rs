//! The scoring engine: one organisation's input → indicators, criteria and total, generic over the
//! definition (formulas and weights are data), with a per-indicator explanation.

use crate::answers::AnswerCounts;
use crate::checklist::ChecklistCounts;
use crate::definition::{Definition, Mark};
use crate::indicators::{InputValue, evaluate};
use crate::missing::{MissingDataPolicy, PolicyEffect, WeightedSum};
use crate::sphere::Sphere;
use serde::Serialize;
use std::collections::BTreeMap;

/// Everything needed to score one organisation (§8 input).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScoreInput {
    /// The organisation's sphere.
    pub sphere: Sphere,
    /// Checklist counts; `None` when no checklist was recorded. Every count a formula reads is then
    /// "not given": the indicator (or the part of 1.1) has no data and the missing-data policy decides,
    /// exactly as for a zero denominator — never a count of 0.
    pub checklist: Option<ChecklistCounts>,
    /// Survey counts.
    pub answers: AnswerCounts,
}

/// The result of scoring one organisation. Values are full precision; round only for display.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Scores {
    /// Id of the definition used.
    pub methodology: String,
    /// The sphere.
    pub sphere: Sphere,
    /// The missing-data policy used.
    pub policy: MissingDataPolicy,
    /// Indicator values by id; indicators without data are absent.
    pub indicators: BTreeMap<String, f64>,
    /// Criterion values by id; criteria without data are absent.
    pub criteria: BTreeMap<String, f64>,
    /// Organisation total; `None` when a criterion has no data.
    pub total: Option<f64>,
    /// Ids of indicators (then criteria) without data, in definition order.
    pub no_data: Vec<String>,
    /// How each indicator was computed, in definition order.
    pub explanation: Vec<IndicatorExplanation>,
}

/// How one indicator was computed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IndicatorExplanation {
    /// Indicator id.
    pub id: String,
    /// Criterion id.
    pub criterion: String,
    /// Russian name.
    pub name_ru: String,
    /// Formula as shown to people.
    pub formula_ru: String,
    /// Inputs read, with their values.
    pub inputs: Vec<InputValue>,
    /// The value, or `None` for "no data".
    pub value: Option<f64>,
    /// Weight in the criterion given by the definition for this sphere.
    pub weight: f64,
    /// Weight actually used (differs when another indicator of the criterion had no data).
    pub weight_used: f64,
    /// Where missing data changed the computation.
    pub effects: Vec<PolicyEffect>,
    /// Whether the missing-data policy applied to this indicator (some effect is the policy's, not
    /// the sphere's own 2.2 rule).
    pub policy_applied: bool,
    /// Mark of the formula.
    pub mark: Mark,
    /// Mark of the weight.
    pub weight_mark: Mark,
}

impl Scores {
    /// Whether the missing-data policy applied anywhere.
    pub fn policy_applied(&self) -> bool {
        self.explanation.iter().any(|e| e.policy_applied)
    }
}

/// Values only, for bulk recomputation: no names, no explanation, three small allocations.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScoreValues {
    /// Indicator values in the order of the sphere's indicators ([`crate::SphereVariant::indicators`]).
    pub indicators: Vec<Option<f64>>,
    /// Criterion values in [`Definition::criteria`] order.
    pub criteria: Vec<Option<f64>>,
    /// Organisation total; `None` when a criterion has no data.
    pub total: Option<f64>,
}

/// Criterion values, the factor each criterion's weights were rescaled by, and the total.
fn combine(def: &Definition, input: &ScoreInput, values: &[Option<f64>]) -> (Vec<(Option<f64>, f64)>, Option<f64>) {
    let variant = def.sphere(input.sphere);
    let mut acc = vec![WeightedSum::default(); def.criteria.len()];
    for (si, v) in variant.indicators.iter().zip(values) {
        acc[si.criterion].add(si.weight, *v);
    }
    let criteria: Vec<(Option<f64>, f64)> = acc.into_iter().map(WeightedSum::finish).collect();
    let mut total = Some(0.0);
    for (c, (value, _)) in def.criteria.iter().zip(&criteria) {
        total = total.zip(*value).map(|(t, v)| t + c.weight * v);
    }
    (criteria, total)
}

/// [`score`] without names and explanations: the same numbers, for recomputing many organisations.
pub fn score_values(def: &Definition, input: &ScoreInput, policy: MissingDataPolicy) -> ScoreValues {
    let variant = def.sphere(input.sphere);
    let indicators: Vec<Option<f64>> = variant
        .indicators
        .iter()
        .map(|si| evaluate(&def.indicators[si.index].formula, variant, input, policy, false).value)
        .collect();
    let (criteria, total) = combine(def, input, &indicators);
    ScoreValues { indicators, criteria: criteria.into_iter().map(|(v, _)| v).collect(), total }
}

/// Scores one organisation. Never produces NaN: every value is in [0, 100] or absent. Expects input
/// validated by [`crate::input`] (out-of-range shares are capped at 1, so values stay in range anyway).
pub fn score(def: &Definition, input: &ScoreInput, policy: MissingDataPolicy) -> Scores {
    let variant = def.sphere(input.sphere);
    let mut explanation: Vec<IndicatorExplanation> = variant
        .indicators
        .iter()
        .map(|si| {
            let ind = &def.indicators[si.index];
            let o = evaluate(&ind.formula, variant, input, policy, true);
            IndicatorExplanation {
                id: ind.id.clone(),
                criterion: ind.criterion.clone(),
                name_ru: ind.name_ru.clone(),
                formula_ru: ind.formula_ru.clone(),
                inputs: o.inputs,
                value: o.value,
                weight: si.weight,
                weight_used: si.weight,
                effects: o.effects,
                policy_applied: false,
                mark: ind.mark,
                weight_mark: si.weight_mark,
            }
        })
        .collect();
    let values: Vec<Option<f64>> = explanation.iter().map(|e| e.value).collect();
    let (criteria_values, total) = combine(def, input, &values);

    let mut criteria = BTreeMap::new();
    let mut criteria_missing = Vec::new();
    for (i, (c, &(value, factor))) in def.criteria.iter().zip(&criteria_values).enumerate() {
        let members = variant.indicators.iter().zip(explanation.iter_mut()).filter(|(si, _)| si.criterion == i);
        for (_, e) in members {
            match (e.value, value) {
                (None, Some(_)) => e.effects.push(PolicyEffect::NoDataRescaled { criterion: c.id.clone() }),
                (None, None) => e.effects.push(PolicyEffect::NoDataCriterion { criterion: c.id.clone() }),
                (Some(_), Some(_)) if factor != 1.0 => {
                    e.weight_used = e.weight * factor;
                    e.effects.push(PolicyEffect::WeightRescaled { from: e.weight, to: e.weight_used });
                }
                _ => {}
            }
            if e.value.is_none() {
                e.weight_used = 0.0;
            }
        }
        match value {
            Some(v) => {
                criteria.insert(c.id.clone(), v);
            }
            None => criteria_missing.push(c.id.clone()),
        }
    }

    for e in &mut explanation {
        e.policy_applied = e.effects.iter().any(PolicyEffect::is_policy);
    }
    let mut no_data: Vec<String> = explanation.iter().filter(|e| e.value.is_none()).map(|e| e.id.clone()).collect();
    no_data.extend(criteria_missing);
    Scores {
        methodology: def.id.clone(),
        sphere: input.sphere,
        policy,
        indicators: explanation.iter().filter_map(|e| e.value.map(|v| (e.id.clone(), v))).collect(),
        criteria,
        total,
        no_data,
        explanation,
    }
}
