//! The missing-data policy (§1): a zero denominator never becomes 0 or NaN silently. Owns the policy
//! choice, the record of where it applied, and the rescaling of weights within a criterion.

use serde::{Deserialize, Serialize};

/// What to do with an indicator (or a channel of 1.1/1.3) whose denominator is zero.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MissingDataPolicy {
    /// Default [C]: mark "no data"; 1.1/1.3 use the other channel alone; other indicators drop out
    /// and the remaining weights of the criterion are scaled to sum to 1.
    #[default]
    NoData,
    /// Alternative: count the missing share as 0.
    CountAsZero,
}

impl MissingDataPolicy {
    /// Code used in files and the API (`no_data`, `count_as_zero`).
    pub fn code(self) -> &'static str {
        match self {
            MissingDataPolicy::NoData => "no_data",
            MissingDataPolicy::CountAsZero => "count_as_zero",
        }
    }

    /// The policy with this code.
    pub fn from_code(code: &str) -> Option<MissingDataPolicy> {
        [MissingDataPolicy::NoData, MissingDataPolicy::CountAsZero].into_iter().find(|p| p.code() == code)
    }

    /// Russian name for reports.
    pub fn name_ru(self) -> &'static str {
        match self {
            MissingDataPolicy::NoData => "«нет данных» с перераспределением весов",
            MissingDataPolicy::CountAsZero => "«считать как 0»",
        }
    }
}

/// Where missing data changed the computation of an indicator (shown in explanations and reports).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "effect", rename_all = "snake_case")]
pub enum PolicyEffect {
    /// Policy «no data»: this part had no data; the other parts were used alone.
    PartLeftOut {
        /// Russian label of the part.
        part: String,
    },
    /// Policy «count as 0»: this part had no data and counted as 0.
    PartCountedAsZero {
        /// Russian label of the part.
        part: String,
    },
    /// The sphere's 2.2 rule (§2): this part had no data; the other was used alone.
    WaitingPartMissing {
        /// Russian label of the part.
        part: String,
    },
    /// Policy «no data»: the indicator has no data; the other weights of its criterion were rescaled.
    NoDataRescaled {
        /// The criterion.
        criterion: String,
    },
    /// Policy «no data»: no indicator of the criterion has data, so the criterion (and total) has none.
    NoDataCriterion {
        /// The criterion.
        criterion: String,
    },
    /// Policy «count as 0»: the indicator had no data and counted as 0.
    CountedAsZero,
    /// This indicator's weight was scaled up because another indicator of its criterion had no data.
    WeightRescaled {
        /// Weight in the definition.
        from: f64,
        /// Weight used.
        to: f64,
    },
}

impl PolicyEffect {
    /// Whether the missing-data policy (rather than the sphere's own rule) produced this effect.
    pub fn is_policy(&self) -> bool {
        !matches!(self, PolicyEffect::WaitingPartMissing { .. })
    }

    /// Russian description for reports.
    pub fn describe_ru(&self) -> String {
        match self {
            PolicyEffect::PartLeftOut { part } => {
                format!("нет данных по части «{part}»: показатель рассчитан по остальным частям")
            }
            PolicyEffect::PartCountedAsZero { part } => {
                format!("нет данных по части «{part}»: засчитано 0")
            }
            PolicyEffect::WaitingPartMissing { part } => {
                format!("нет данных по части «{part}»: по правилу сферы использована другая часть")
            }
            PolicyEffect::NoDataRescaled { criterion } => {
                format!("нет данных: веса остальных показателей критерия {criterion} пересчитаны до суммы 1")
            }
            PolicyEffect::NoDataCriterion { criterion } => {
                format!("нет данных ни по одному показателю критерия {criterion}")
            }
            PolicyEffect::CountedAsZero => "нет данных: засчитано 0".to_owned(),
            PolicyEffect::WeightRescaled { from, to } => {
                format!("вес увеличен с {from} до {to:.4}")
            }
        }
    }
}

/// Running weighted sum of one criterion: values that exist are summed with their weights; when some
/// are missing, the result is rescaled so the remaining weights sum to the nominal total (1).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct WeightedSum {
    sum: f64,
    available: f64,
    nominal: f64,
    missing: bool,
}

impl WeightedSum {
    /// Adds an indicator's weight and value (`None` = no data).
    pub fn add(&mut self, weight: f64, value: Option<f64>) {
        self.nominal += weight;
        match value {
            Some(v) => {
                self.sum += weight * v;
                self.available += weight;
            }
            None => self.missing = true,
        }
    }

    /// The value (None when nothing has data or the remaining weights are 0) and the factor the
    /// remaining weights were multiplied by (1 when nothing was missing).
    pub fn finish(self) -> (Option<f64>, f64) {
        if !self.missing {
            return (Some(self.sum), 1.0);
        }
        if self.available <= 0.0 {
            return (None, 1.0);
        }
        let factor = self.nominal / self.available;
        (Some(self.sum * factor), factor)
    }
}

/// [`WeightedSum`] over `(weight, value)` pairs.
pub fn rescaled_sum(items: &[(f64, Option<f64>)]) -> (Option<f64>, f64) {
    let mut acc = WeightedSum::default();
    for &(w, v) in items {
        acc.add(w, v);
    }
    acc.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rescaling() {
        assert_eq!(rescaled_sum(&[(0.3, Some(60.0)), (0.4, Some(40.0)), (0.3, Some(75.0))]).1, 1.0);
        let (v, f) = rescaled_sum(&[(0.3, Some(60.0)), (0.4, Some(40.0)), (0.3, None)]);
        assert!((v.unwrap() - (18.0 + 16.0) / 0.7).abs() < 1e-12);
        assert!((f - 1.0 / 0.7).abs() < 1e-12);
        assert_eq!(rescaled_sum(&[(0.5, None), (0.5, None)]).0, None);
        assert_eq!(rescaled_sum(&[(0.0, Some(10.0)), (1.0, None)]).0, None);
        assert_eq!(MissingDataPolicy::from_code("count_as_zero"), Some(MissingDataPolicy::CountAsZero));
    }
}
