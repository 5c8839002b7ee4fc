//! The five spheres (сферы) assessed by НОК: their codes, Russian names and the facts fixed by law.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// A sphere of social services. Serialised as its lowercase code (`culture`, `health`, …).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Sphere {
    /// Культура.
    Culture,
    /// Охрана здоровья.
    Health,
    /// Образование.
    Education,
    /// Социальное обслуживание.
    Social,
    /// Медико-социальная экспертиза.
    Mse,
}

impl Sphere {
    /// All spheres, in the order used for per-sphere tables.
    pub const ALL: [Sphere; 5] = [Sphere::Culture, Sphere::Health, Sphere::Education, Sphere::Social, Sphere::Mse];

    /// The code used in files, URLs and the `nok score` contract.
    pub fn code(self) -> &'static str {
        match self {
            Sphere::Culture => "culture",
            Sphere::Health => "health",
            Sphere::Education => "education",
            Sphere::Social => "social",
            Sphere::Mse => "mse",
        }
    }

    /// The sphere with this code (exact, lowercase), if any.
    pub fn from_code(code: &str) -> Option<Sphere> {
        Sphere::ALL.into_iter().find(|s| s.code() == code)
    }

    /// The Russian name shown to users.
    pub fn name_ru(self) -> &'static str {
        match self {
            Sphere::Culture => "Культура",
            Sphere::Health => "Охрана здоровья",
            Sphere::Education => "Образование",
            Sphere::Social => "Социальное обслуживание",
            Sphere::Mse => "Медико-социальная экспертиза",
        }
    }

    /// Whether the sphere uses indicator 2.2 (waiting time) and question 5, as the methodology states
    /// (health, social services, МСЭ). A definition decides the details; this is the statutory fact.
    pub fn uses_waiting_time(self) -> bool {
        matches!(self, Sphere::Health | Sphere::Social | Sphere::Mse)
    }

    /// Position in [`Sphere::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }
}

impl fmt::Display for Sphere {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// A string that is not a sphere code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown sphere {0:?}; expected one of culture, health, education, social, mse")]
pub struct UnknownSphere(pub String);

impl FromStr for Sphere {
    type Err = UnknownSphere;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Sphere::from_code(s).ok_or_else(|| UnknownSphere(s.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for s in Sphere::ALL {
            assert_eq!(Sphere::from_code(s.code()), Some(s));
            assert_eq!(s.to_string().parse::<Sphere>(), Ok(s));
            assert_eq!(serde_json::to_string(&s).unwrap(), format!("\"{}\"", s.code()));
            assert_eq!(Sphere::ALL[s.index()], s);
        }
        assert!("Health".parse::<Sphere>().is_err());
        assert_eq!(Sphere::Mse.name_ru(), "Медико-социальная экспертиза");
        assert!(!Sphere::Culture.uses_waiting_time() && Sphere::Mse.uses_waiting_time());
    }
}
