//! The recommended sample (§5 [A]): target size from the yearly number of recipients, the online
//! share, and progress towards both (neither blocks anything).

use crate::definition::SampleRule;
use serde::Serialize;

/// Share of the yearly recipients to survey (40 %).
pub const SHARE: f64 = 0.4;
/// Upper bound of the recommended sample.
pub const CAP: u64 = 600;
/// Share of the sample to collect through the official online questionnaire (20 %).
pub const ONLINE_SHARE: f64 = 0.2;

/// The statutory rule (40 %, at most 600, 20 % online); definitions carry the same as data.
pub const RULE: SampleRule =
    SampleRule { share_percent: 40, cap: CAP, online_share_percent: 20, mark: crate::definition::Mark::A };

/// Recommended sample for `population` yearly recipients: `min(ceil(0.4 × N), 600)`, exact.
pub fn target(population: u64) -> u64 {
    RULE.target(population)
}

/// Recommended number of online responses within a sample of `target`: `ceil(0.2 × target)`.
pub fn online_target(target: u64) -> u64 {
    RULE.online_target(target)
}

/// Progress of one organisation's survey towards its targets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Progress {
    /// Yearly number of recipients (N).
    pub population: u64,
    /// Recommended sample.
    pub target: u64,
    /// Recommended online responses.
    pub online_target: u64,
    /// Responses collected (all channels).
    pub collected: u64,
    /// Responses collected online.
    pub collected_online: u64,
}

impl Progress {
    /// Progress under the statutory rule.
    pub fn new(population: u64, collected: u64, collected_online: u64) -> Progress {
        Progress::with_rule(&RULE, population, collected, collected_online)
    }

    /// Progress under a definition's rule.
    pub fn with_rule(rule: &SampleRule, population: u64, collected: u64, collected_online: u64) -> Progress {
        let target = rule.target(population);
        Progress { population, target, online_target: rule.online_target(target), collected, collected_online }
    }

    /// Whether the recommended sample is reached.
    pub fn target_met(&self) -> bool {
        self.collected >= self.target
    }

    /// Whether the recommended online share is reached.
    pub fn online_met(&self) -> bool {
        self.collected_online >= self.online_target
    }

    /// Responses still recommended (0 when reached).
    pub fn remaining(&self) -> u64 {
        self.target.saturating_sub(self.collected)
    }

    /// Collected / target, in [0, 1] (1 when the target is 0).
    pub fn fraction(&self) -> f64 {
        if self.target == 0 { 1.0 } else { (self.collected as f64 / self.target as f64).min(1.0) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets() {
        assert_eq!(target(0), 0);
        assert_eq!(target(1), 1);
        assert_eq!(target(10), 4);
        assert_eq!(target(11), 5); // 4.4 → 5
        assert_eq!(target(1499), 600);
        assert_eq!(target(1000), 400);
        assert_eq!(target(1498), 600); // 599.2 → 600
        assert_eq!(target(1497), 599); // 598.8 → 599
        assert_eq!(target(u64::MAX), 600);
        assert_eq!(online_target(600), 120);
        assert_eq!(online_target(5), 1);
        assert_eq!(online_target(6), 2);
        assert_eq!(online_target(0), 0);
        let p = Progress::new(1000, 380, 90);
        assert_eq!((p.target, p.online_target, p.remaining()), (400, 80, 20));
        assert!(!p.target_met() && p.online_met());
        assert!((p.fraction() - 0.95).abs() < 1e-12);
    }

    #[test]
    fn shipped_rule_matches_the_statutory_one() {
        for d in crate::Definition::builtin() {
            assert_eq!(d.sample, RULE, "{}", d.id);
        }
    }
}
