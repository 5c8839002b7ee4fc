//! Versioned methodology definitions: the resolved, validated model of one version (criteria,
//! indicators with their formulas and weights, sphere variants, questionnaires, checklists, rules),
//! and the lookups by id and date. Parsing lives in `raw`, the shipped versions in `builtin`.

mod builtin;
mod raw;

use crate::answers::QuestionId;
use crate::checklist::{ChecklistField, ChecklistItem, ChecklistSection};
use crate::missing::MissingDataPolicy;
use crate::questionnaire::Question;
use crate::sphere::Sphere;
use serde::{Deserialize, Serialize, Serializer};
use time::Date;

/// Confidence mark of a value (§ intro): A = stated in the acts, B = reconstructed from practice,
/// C = not confirmed, a configurable default that UIs and reports must show as such.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Default)]
pub enum Mark {
    /// Stated in the acts or ministry letters.
    A,
    /// Reconstructed from operators' published practice.
    #[default]
    B,
    /// Not confirmed: a configurable default.
    C,
}

impl Mark {
    /// Whether UIs must label the value «настраиваемое значение по умолчанию».
    pub fn is_configurable_default(self) -> bool {
        self == Mark::C
    }

    /// `[A]`, `[B]` or `[C]`.
    pub fn label(self) -> &'static str {
        match self {
            Mark::A => "[A]",
            Mark::B => "[B]",
            Mark::C => "[C]",
        }
    }
}

/// Why a definition could not be loaded.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum DefinitionError {
    /// The text is not TOML or does not match the definition format.
    #[error("definition file: {0}")]
    Syntax(String),
    /// A value is inconsistent; `path` names it (e.g. `spheres.culture.weights`).
    #[error("{path}: {reason}")]
    Invalid {
        /// Where in the definition.
        path: String,
        /// What is wrong.
        reason: String,
    },
    /// `extends` names no built-in definition.
    #[error("extends: no built-in definition has the id {0:?}")]
    UnknownBase(String),
}

impl DefinitionError {
    pub(crate) fn invalid(path: impl Into<String>, reason: impl Into<String>) -> Self {
        DefinitionError::Invalid { path: path.into(), reason: reason.into() }
    }
}

/// One version of the methodology. Build with [`Definition::load_toml`] or take a shipped one.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Definition {
    /// Stable id stored with every assessment, e.g. `nok-2024`.
    pub id: String,
    /// Russian title.
    pub title_ru: String,
    /// First day the version applies.
    #[serde(serialize_with = "serialize_date")]
    pub effective_from: Date,
    /// The built-in version this one was derived from, if any.
    pub extends: Option<String>,
    /// Legal sources.
    pub sources: Vec<String>,
    /// Decimals shown in the UI and tables.
    pub decimals: u8,
    /// Criteria K1…K5 in order, with their weights in the total.
    pub criteria: Vec<Criterion>,
    /// Indicators in order, with default weights within their criterion.
    pub indicators: Vec<Indicator>,
    /// Per-sphere variants, indexed by [`Sphere::index`].
    pub spheres: Vec<SphereVariant>,
    /// The missing-data rule.
    pub missing_data: MissingDataRule,
    /// The sample rule (§5).
    pub sample: SampleRule,
    /// Quality levels, if the version defines them.
    pub levels: Option<Levels>,
    /// How organisation results are aggregated.
    pub aggregation: AggregationRule,
    /// Questions after q15 (suggestions, sex, age).
    pub extras: Vec<ExtraField>,
}

fn serialize_date<S: Serializer>(d: &Date, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(&format_args!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day()))
}

/// A criterion (К1–К5).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Criterion {
    /// `K1` … `K5`.
    pub id: String,
    /// Russian name.
    pub name_ru: String,
    /// Weight in the organisation total.
    pub weight: f64,
    /// Mark of the weight.
    pub mark: Mark,
}

/// An indicator (показатель).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Indicator {
    /// `1.1` … `5.3`.
    pub id: String,
    /// Criterion id.
    pub criterion: String,
    /// Russian name.
    pub name_ru: String,
    /// Default weight within the criterion (a sphere may override it).
    pub weight: f64,
    /// Mark of the formula.
    pub mark: Mark,
    /// Mark of the weight.
    pub weight_mark: Mark,
    /// The formula as shown to people.
    pub formula_ru: String,
    /// The formula the engine evaluates.
    pub formula: Formula,
}

/// How an indicator is computed from the input.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Formula {
    /// `scale × mean(parts)`; a part without a denominator is "missing" (see the policy).
    Ratio {
        /// Points for a share of 1 (100).
        scale: f64,
        /// The shares averaged.
        parts: Vec<RatioPart>,
    },
    /// `min(points × count, cap)`.
    CappedPoints {
        /// The counted field.
        count: ChecklistField,
        /// Points per item.
        points: f64,
        /// Maximum.
        cap: f64,
    },
    /// Waiting time (2.2): timeliness share and the waiting-points part, combined per sphere.
    Waiting {
        /// Points for a timeliness share of 1.
        scale: f64,
        /// The timeliness share (q5).
        timeliness: SurveyRatio,
    },
}

/// One share in a [`Formula::Ratio`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RatioPart {
    /// Russian label of the channel, e.g. «стенды».
    pub label: String,
    /// Where the share comes from.
    pub source: RatioSource,
}

/// The numerator and denominator of a share.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RatioSource {
    /// `present / required` from the checklist.
    Checklist {
        /// Numerator field.
        present: ChecklistField,
        /// Denominator field.
        required: ChecklistField,
    },
    /// A survey share.
    Survey(SurveyRatio),
}

/// `Y_yes / base`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SurveyRatio {
    /// The question whose «Да» answers are counted.
    pub yes: QuestionId,
    /// The denominator.
    pub base: SurveyBase,
}

/// Denominator of a survey share.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum SurveyBase {
    /// «Да» answers to this (filter) question: Y_qN.
    Yes(QuestionId),
    /// Everyone who answered this question: A_qN.
    Answered(QuestionId),
}

impl SurveyBase {
    /// The question the denominator counts.
    pub fn question(self) -> QuestionId {
        match self {
            SurveyBase::Yes(q) | SurveyBase::Answered(q) => q,
        }
    }
}

impl Formula {
    /// Questions the formula reads.
    pub fn questions(&self) -> Vec<QuestionId> {
        let mut out = Vec::new();
        let mut push = |r: &SurveyRatio| {
            out.push(r.yes);
            out.push(r.base.question());
        };
        match self {
            Formula::Ratio { parts, .. } => {
                for p in parts {
                    if let RatioSource::Survey(r) = &p.source {
                        push(r);
                    }
                }
            }
            Formula::Waiting { timeliness, .. } => push(timeliness),
            Formula::CappedPoints { .. } => {}
        }
        out
    }

    /// Checklist fields the formula reads.
    pub fn checklist_fields(&self) -> Vec<ChecklistField> {
        match self {
            Formula::Ratio { parts, .. } => parts
                .iter()
                .filter_map(|p| match p.source {
                    RatioSource::Checklist { present, required } => Some([present, required]),
                    RatioSource::Survey(_) => None,
                })
                .flatten()
                .collect(),
            Formula::CappedPoints { count, .. } => vec![*count],
            Formula::Waiting { .. } => Vec::new(),
        }
    }
}

/// What one sphere uses: its indicators with effective weights, questionnaire, checklists, waiting rule.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SphereVariant {
    /// The sphere.
    pub sphere: Sphere,
    /// Applicable indicators in definition order, with the weight used in this sphere.
    pub indicators: Vec<SphereIndicator>,
    /// The questionnaire as shown in this sphere.
    pub questions: Vec<Question>,
    /// Checklist item lists.
    pub checklists: Checklists,
    /// Waiting-time rule (spheres with 2.2).
    pub waiting: Option<WaitingRule>,
    /// Bits of the questions asked (see [`crate::AnswerMask`]).
    #[serde(skip)]
    pub asked_bits: u16,
}

/// An indicator as used in a sphere.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SphereIndicator {
    /// Indicator id.
    pub id: String,
    /// Position in [`Definition::indicators`].
    pub index: usize,
    /// Position of its criterion in [`Definition::criteria`].
    pub criterion: usize,
    /// Weight in its criterion in this sphere.
    pub weight: f64,
    /// Mark of that weight.
    pub weight_mark: Mark,
}

/// The item lists of one sphere (§3).
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct Checklists {
    /// Stand information items.
    pub stand: Vec<ChecklistItem>,
    /// Website information items.
    pub site: Vec<ChecklistItem>,
    /// Remote channels.
    pub remote: Vec<ChecklistItem>,
    /// Comfort conditions.
    pub comfort: Vec<ChecklistItem>,
    /// Premises accessibility.
    pub premises: Vec<ChecklistItem>,
    /// Services on equal terms.
    pub services: Vec<ChecklistItem>,
}

impl Checklists {
    /// The list of `section`.
    pub fn get(&self, section: ChecklistSection) -> &[ChecklistItem] {
        match section {
            ChecklistSection::Stand => &self.stand,
            ChecklistSection::Site => &self.site,
            ChecklistSection::Remote => &self.remote,
            ChecklistSection::Comfort => &self.comfort,
            ChecklistSection::Premises => &self.premises,
            ChecklistSection::Services => &self.services,
        }
    }

    pub(crate) fn get_mut(&mut self, section: ChecklistSection) -> &mut Vec<ChecklistItem> {
        match section {
            ChecklistSection::Stand => &mut self.stand,
            ChecklistSection::Site => &mut self.site,
            ChecklistSection::Remote => &mut self.remote,
            ChecklistSection::Comfort => &mut self.comfort,
            ChecklistSection::Premises => &mut self.premises,
            ChecklistSection::Services => &mut self.services,
        }
    }
}

/// How 2.2 combines its parts in a sphere (§2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WaitingCombine {
    /// Timeliness (q5) alone; `waiting_points` is not accepted.
    Timeliness,
    /// Mean of timeliness and `waiting_points` when both have data, else the one that has.
    MeanAvailable,
}

/// The waiting-time rule of a sphere.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WaitingRule {
    /// Combination of the parts.
    pub combine: WaitingCombine,
    /// Mark of the rule.
    #[serde(default)]
    pub mark: Mark,
    /// The step scale turning an average waiting time into points (when the sphere measures it).
    #[serde(default)]
    pub scale: Option<WaitingScale>,
}

/// Step scale of the average waiting time against the norm (§2) [C].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WaitingScale {
    /// The sphere's norm, in days.
    pub norm_days: f64,
    /// Points by how many whole days the average is shorter than the norm, ascending.
    pub steps: Vec<WaitingStep>,
    /// Points when shorter by half the norm or more.
    pub half_norm_points: f64,
    /// Points when longer than the norm.
    pub longer_points: f64,
    /// Mark of the scale.
    #[serde(default)]
    pub mark: Mark,
}

/// One step of a [`WaitingScale`].
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WaitingStep {
    /// Days shorter than the norm (0 = equal to the norm).
    pub shorter_by_days: f64,
    /// Points.
    pub points: f64,
}

impl WaitingScale {
    /// Points for an average waiting time: longer than the norm → `longer_points`; shorter by half the
    /// norm or more → `half_norm_points`; otherwise the highest step whose `shorter_by_days` is reached.
    pub fn points(&self, average_days: f64) -> f64 {
        if !average_days.is_finite() || average_days > self.norm_days {
            return self.longer_points;
        }
        let shorter = self.norm_days - average_days;
        if shorter >= self.norm_days / 2.0 {
            return self.half_norm_points;
        }
        self.steps.iter().rev().find(|s| shorter >= s.shorter_by_days).map_or(self.longer_points, |s| s.points)
    }
}

/// The missing-data rule of a version.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MissingDataRule {
    /// Default policy.
    pub default: MissingDataPolicy,
    /// Mark (C).
    #[serde(default)]
    pub mark: Mark,
}

/// The sample rule (§5), as exact percentages.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SampleRule {
    /// Share of the yearly recipients, in percent (40).
    pub share_percent: u32,
    /// Upper bound of the sample (600).
    pub cap: u64,
    /// Share of the sample collected online, in percent (20).
    pub online_share_percent: u32,
    /// Mark.
    #[serde(default)]
    pub mark: Mark,
}

impl SampleRule {
    /// `min(ceil(share × population), cap)`, computed exactly.
    pub fn target(&self, population: u64) -> u64 {
        let t = (u128::from(population) * u128::from(self.share_percent)).div_ceil(100);
        u64::try_from(t).unwrap_or(u64::MAX).min(self.cap)
    }

    /// `ceil(online share × target)`.
    pub fn online_target(&self, target: u64) -> u64 {
        let t = (u128::from(target) * u128::from(self.online_share_percent)).div_ceil(100);
        u64::try_from(t).unwrap_or(u64::MAX)
    }
}

/// Quality levels (not federal law) [C].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Levels {
    /// Whether the deployment shows them by default.
    pub enabled: bool,
    /// Mark.
    #[serde(default)]
    pub mark: Mark,
    /// Bands in ascending order; the last ends at 100.
    pub bands: Vec<LevelBand>,
}

/// A level: values whose whole-point rounding is at most `max` (and above the previous band).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LevelBand {
    /// Upper bound in whole points, inclusive.
    pub max: f64,
    /// Russian name.
    pub name_ru: String,
}

impl Levels {
    /// The band of a value in points (rounded to whole points first, as the bands are whole points).
    pub fn level_for(&self, value: f64) -> Option<&LevelBand> {
        if !value.is_finite() {
            return None;
        }
        let v = value.round();
        self.bands.iter().find(|b| v <= b.max)
    }
}

/// How results of several organisations are aggregated (§1) [C].
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AggregationRule {
    /// Aggregation kind.
    pub kind: AggregationKind,
    /// Mark.
    #[serde(default)]
    pub mark: Mark,
}

/// Aggregation kinds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AggregationKind {
    /// Arithmetic mean of the organisations' values.
    Mean,
}

/// A question after q15 that is not scored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExtraField {
    /// Stable id (`suggestions`, `sex`, `age`).
    pub id: String,
    /// Kind of answer.
    pub kind: ExtraKind,
    /// Russian wording.
    pub text: String,
    /// Choices, for [`ExtraKind::Choice`].
    #[serde(default)]
    pub options: Vec<String>,
}

/// Kinds of [`ExtraField`] answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExtraKind {
    /// Free text.
    Text,
    /// One of the options.
    Choice,
    /// A whole number.
    Number,
}

impl Definition {
    /// All shipped versions, oldest first (embedded at build time from `methodology/`).
    pub fn builtin() -> &'static [Definition] {
        builtin::definitions()
    }

    /// The shipped version in force today (UTC).
    pub fn current() -> &'static Definition {
        Definition::for_date(time::OffsetDateTime::now_utc().date())
    }

    /// The shipped version with this id.
    pub fn by_id(id: &str) -> Option<&'static Definition> {
        Definition::builtin().iter().find(|d| d.id == id)
    }

    /// The shipped version in force on `date`: the latest whose `effective_from` is not after it
    /// (the oldest shipped one for earlier dates, as no older version is shipped).
    pub fn for_date(date: Date) -> &'static Definition {
        let all = Definition::builtin();
        all.iter().rev().find(|d| d.effective_from <= date).unwrap_or(&all[0])
    }

    /// Loads a version from one TOML document (an authority's own version). With
    /// `extends = "<built-in id>"` the document only needs what differs: its tables are merged into the
    /// base (tables key by key, arrays and values replaced).
    pub fn load_toml(text: &str) -> Result<Definition, DefinitionError> {
        raw::load(&[text], builtin::base_table)
    }

    /// Loads a version split over several TOML documents (merged in order, as the shipped ones are).
    pub fn load_toml_parts(parts: &[&str]) -> Result<Definition, DefinitionError> {
        raw::load(parts, builtin::base_table)
    }

    /// The questionnaire of `sphere`, in display order.
    pub fn questionnaire(&self, sphere: Sphere) -> &[Question] {
        &self.sphere(sphere).questions
    }

    /// The variant of `sphere`.
    pub fn sphere(&self, sphere: Sphere) -> &SphereVariant {
        &self.spheres[sphere.index()]
    }

    /// Whether `sphere`'s questionnaire asks `q`.
    pub fn asks(&self, sphere: Sphere, q: QuestionId) -> bool {
        self.sphere(sphere).asked_bits & q.bit() != 0
    }

    /// The indicator with this id.
    pub fn indicator(&self, id: &str) -> Option<&Indicator> {
        self.indicators.iter().find(|i| i.id == id)
    }

    /// The criterion with this id.
    pub fn criterion(&self, id: &str) -> Option<&Criterion> {
        self.criteria.iter().find(|c| c.id == id)
    }

    /// The item list of `section` in `sphere`.
    pub fn checklist(&self, sphere: Sphere, section: ChecklistSection) -> &[ChecklistItem] {
        self.sphere(sphere).checklists.get(section)
    }

    /// The waiting-time step scale of `sphere`, if it measures waiting time.
    pub fn waiting_scale(&self, sphere: Sphere) -> Option<&WaitingScale> {
        self.sphere(sphere).waiting.as_ref().and_then(|w| w.scale.as_ref())
    }

    /// Whether `sphere` accepts `waiting_points` in the input.
    pub fn accepts_waiting_points(&self, sphere: Sphere) -> bool {
        let v = self.sphere(sphere);
        v.waiting.as_ref().is_some_and(|w| w.combine == WaitingCombine::MeanAvailable)
            && v.indicators.iter().any(|i| matches!(self.indicators[i.index].formula, Formula::Waiting { .. }))
    }

    /// The level band of a total, if the version defines levels (whether shown is the deployment's choice).
    pub fn level_for(&self, value: f64) -> Option<&LevelBand> {
        self.levels.as_ref().and_then(|l| l.level_for(value))
    }

    /// The indicator applicable in `sphere` whose formula reads `field`.
    pub fn indicator_using(&self, sphere: Sphere, field: ChecklistField) -> Option<&Indicator> {
        self.sphere(sphere)
            .indicators
            .iter()
            .map(|i| &self.indicators[i.index])
            .find(|ind| ind.formula.checklist_fields().contains(&field))
    }
}
