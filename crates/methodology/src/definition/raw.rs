//! The definition file format: TOML documents (unknown keys rejected) merged in order, `extends`
//! resolved against a built-in version, then validated and resolved into [`Definition`].

use super::{
    AggregationRule, Checklists, Criterion, Definition, DefinitionError, ExtraField, ExtraKind, Formula, Indicator,
    Levels, Mark, MissingDataRule, RatioPart, RatioSource, SampleRule, SphereIndicator, SphereVariant, SurveyRatio,
    WaitingRule,
};
use crate::answers::QuestionId;
use crate::checklist::{ChecklistField, ChecklistItem, ChecklistSection};
use crate::questionnaire::Question;
use crate::sphere::Sphere;
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};
use toml::{Table, Value};

/// Tolerance for weights that must sum to 1.
const WEIGHT_EPS: f64 = 1e-9;

type Result<T> = std::result::Result<T, DefinitionError>;

/// Parses and merges `parts`, then resolves `extends` with `base` (the merged table of a built-in id).
pub(super) fn merged_table(parts: &[&str], base: &dyn Fn(&str) -> Option<Table>) -> Result<Table> {
    let mut merged = Table::new();
    for (i, text) in parts.iter().enumerate() {
        let table: Table = toml::from_str(text).map_err(|e| {
            let which = if parts.len() > 1 { format!("part {}: ", i + 1) } else { String::new() };
            DefinitionError::Syntax(format!("{which}{e}"))
        })?;
        merge(&mut merged, table);
    }
    let Some(extends) = merged.get("extends") else {
        return Ok(merged);
    };
    let Some(base_id) = extends.as_str().map(str::to_owned) else {
        return Err(DefinitionError::invalid("extends", "must be a string: the id of a built-in definition"));
    };
    let mut table = base(&base_id).ok_or(DefinitionError::UnknownBase(base_id.clone()))?;
    let own_id = merged.get("id").and_then(Value::as_str);
    if own_id.is_none_or(|id| id == base_id) {
        return Err(DefinitionError::invalid("id", "a definition that extends another must have its own id"));
    }
    merge(&mut table, merged);
    Ok(table)
}

/// Deep merge: tables key by key, everything else (values, arrays) replaced.
pub(super) fn merge(base: &mut Table, over: Table) {
    for (key, value) in over {
        match (base.get_mut(&key), value) {
            (Some(Value::Table(b)), Value::Table(o)) => merge(b, o),
            (_, v) => {
                base.insert(key, v);
            }
        }
    }
}

/// Loads a definition from documents, with `base` resolving `extends`.
pub(super) fn load(parts: &[&str], base: fn(&str) -> Option<Table>) -> Result<Definition> {
    let table = merged_table(parts, &base)?;
    let located = (parts.len() == 1 && !table.contains_key("extends")).then(|| parts[0]);
    from_table(table, located)
}

/// Deserialises and resolves a merged table. `source` (a single document) gives located error messages.
pub(super) fn from_table(table: Table, source: Option<&str>) -> Result<Definition> {
    let raw: RawDefinition = match Value::Table(table).try_into() {
        Ok(raw) => raw,
        Err(e) => {
            let located = source.and_then(|s| toml::from_str::<RawDefinition>(s).err());
            return Err(DefinitionError::Syntax(located.unwrap_or(e).to_string().trim_end().to_owned()));
        }
    };
    raw.resolve()
}

fn default_decimals() -> u8 {
    2
}

fn hundred() -> f64 {
    100.0
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDefinition {
    id: String,
    title_ru: String,
    /// A TOML date or a "YYYY-MM-DD" string.
    effective_from: Value,
    #[serde(default)]
    extends: Option<String>,
    #[serde(default)]
    sources: Vec<String>,
    #[serde(default = "default_decimals")]
    decimals: u8,
    missing_data: MissingDataRule,
    sample: SampleRule,
    aggregation: AggregationRule,
    #[serde(default)]
    levels: Option<Levels>,
    criteria: Vec<RawCriterion>,
    indicators: Vec<RawIndicator>,
    questions: Vec<RawQuestion>,
    #[serde(default)]
    extras: Vec<ExtraField>,
    #[serde(default)]
    checklists: RawLists,
    spheres: BTreeMap<Sphere, RawSphere>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCriterion {
    id: String,
    name_ru: String,
    weight: f64,
    #[serde(default)]
    mark: Mark,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawIndicator {
    id: String,
    criterion: String,
    name_ru: String,
    weight: f64,
    #[serde(default)]
    mark: Mark,
    #[serde(default)]
    weight_mark: Option<Mark>,
    formula_ru: String,
    formula: RawFormula,
}

#[derive(Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
enum RawFormula {
    Ratio {
        #[serde(default = "hundred")]
        scale: f64,
        parts: Vec<RawPart>,
    },
    CappedPoints {
        count: ChecklistField,
        points: f64,
        cap: f64,
    },
    Waiting {
        #[serde(default = "hundred")]
        scale: f64,
        timeliness: SurveyRatio,
    },
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPart {
    label: String,
    #[serde(default)]
    present: Option<ChecklistField>,
    #[serde(default)]
    required: Option<ChecklistField>,
    #[serde(default)]
    yes: Option<QuestionId>,
    #[serde(default)]
    base: Option<super::SurveyBase>,
}

#[derive(Deserialize, Clone)]
#[serde(deny_unknown_fields)]
struct RawQuestion {
    id: QuestionId,
    text: String,
    #[serde(default)]
    text_by_sphere: BTreeMap<Sphere, String>,
    #[serde(default)]
    spheres: Option<Vec<Sphere>>,
    #[serde(default)]
    filter_for: Vec<QuestionId>,
    #[serde(default)]
    mark: Mark,
}

#[derive(Deserialize, Clone)]
#[serde(deny_unknown_fields)]
struct RawItem {
    id: String,
    name_ru: String,
    #[serde(default)]
    mark: Mark,
    #[serde(default)]
    spheres: Option<Vec<Sphere>>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawLists {
    #[serde(default)]
    stand: Option<Vec<RawItem>>,
    #[serde(default)]
    site: Option<Vec<RawItem>>,
    #[serde(default)]
    remote: Option<Vec<RawItem>>,
    #[serde(default)]
    comfort: Option<Vec<RawItem>>,
    #[serde(default)]
    premises: Option<Vec<RawItem>>,
    #[serde(default)]
    services: Option<Vec<RawItem>>,
}

impl RawLists {
    fn get(&self, section: ChecklistSection) -> Option<&Vec<RawItem>> {
        match section {
            ChecklistSection::Stand => self.stand.as_ref(),
            ChecklistSection::Site => self.site.as_ref(),
            ChecklistSection::Remote => self.remote.as_ref(),
            ChecklistSection::Comfort => self.comfort.as_ref(),
            ChecklistSection::Premises => self.premises.as_ref(),
            ChecklistSection::Services => self.services.as_ref(),
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSphere {
    #[serde(default)]
    skip: Vec<String>,
    #[serde(default)]
    weights: BTreeMap<String, f64>,
    #[serde(default)]
    weights_mark: Option<Mark>,
    #[serde(default)]
    questions: Option<Vec<RawQuestion>>,
    #[serde(default)]
    waiting: Option<WaitingRule>,
    #[serde(default)]
    stand: Option<Vec<RawItem>>,
    #[serde(default)]
    site: Option<Vec<RawItem>>,
    #[serde(default)]
    remote: Option<Vec<RawItem>>,
    #[serde(default)]
    comfort: Option<Vec<RawItem>>,
    #[serde(default)]
    premises: Option<Vec<RawItem>>,
    #[serde(default)]
    services: Option<Vec<RawItem>>,
}

impl RawSphere {
    fn list(&self, section: ChecklistSection) -> Option<&Vec<RawItem>> {
        match section {
            ChecklistSection::Stand => self.stand.as_ref(),
            ChecklistSection::Site => self.site.as_ref(),
            ChecklistSection::Remote => self.remote.as_ref(),
            ChecklistSection::Comfort => self.comfort.as_ref(),
            ChecklistSection::Premises => self.premises.as_ref(),
            ChecklistSection::Services => self.services.as_ref(),
        }
    }
}

fn check(ok: bool, path: impl FnOnce() -> String, reason: impl FnOnce() -> String) -> Result<()> {
    if ok { Ok(()) } else { Err(DefinitionError::invalid(path(), reason())) }
}

fn check_points(value: f64, path: impl FnOnce() -> String) -> Result<()> {
    check((0.0..=100.0).contains(&value), path, || format!("must be between 0 and 100, found {value}"))
}

impl RawDefinition {
    fn resolve(self) -> Result<Definition> {
        check(!self.id.trim().is_empty(), || "id".into(), || "must not be empty".into())?;
        let date_format = time::macros::format_description!("[year]-[month]-[day]");
        let date_text = match &self.effective_from {
            Value::String(s) => s.clone(),
            Value::Datetime(d) => d.to_string(),
            other => other.to_string(),
        };
        let effective_from = time::Date::parse(&date_text, &date_format).map_err(|_| {
            DefinitionError::invalid("effective_from", format!("{date_text:?} is not a date YYYY-MM-DD"))
        })?;
        check(self.decimals <= 6, || "decimals".into(), || "must be at most 6".into())?;
        let criteria = self.resolve_criteria()?;
        let indicators = self.resolve_indicators(&criteria)?;
        let mut spheres = Vec::with_capacity(Sphere::ALL.len());
        for sphere in Sphere::ALL {
            spheres.push(self.resolve_sphere(sphere, &criteria, &indicators)?);
        }
        self.check_rules()?;
        Ok(Definition {
            id: self.id,
            title_ru: self.title_ru,
            effective_from,
            extends: self.extends,
            sources: self.sources,
            decimals: self.decimals,
            criteria,
            indicators,
            spheres,
            missing_data: self.missing_data,
            sample: self.sample,
            levels: self.levels,
            aggregation: self.aggregation,
            extras: self.extras,
        })
    }

    fn resolve_criteria(&self) -> Result<Vec<Criterion>> {
        check(!self.criteria.is_empty(), || "criteria".into(), || "at least one criterion is needed".into())?;
        let mut seen = BTreeSet::new();
        let mut sum = 0.0;
        for c in &self.criteria {
            let path = || format!("criteria[{}]", c.id);
            check(seen.insert(c.id.as_str()), path, || "duplicate id".into())?;
            check(
                c.weight.is_finite() && c.weight >= 0.0,
                || format!("{}.weight", path()),
                || "must be a non-negative number".into(),
            )?;
            sum += c.weight;
        }
        check((sum - 1.0).abs() <= WEIGHT_EPS, || "criteria".into(), || format!("weights sum to {sum}, not 1"))?;
        Ok(self
            .criteria
            .iter()
            .map(|c| Criterion { id: c.id.clone(), name_ru: c.name_ru.clone(), weight: c.weight, mark: c.mark })
            .collect())
    }

    fn resolve_indicators(&self, criteria: &[Criterion]) -> Result<Vec<Indicator>> {
        let mut seen = BTreeSet::new();
        let mut out = Vec::with_capacity(self.indicators.len());
        for ind in &self.indicators {
            let path = format!("indicators[{}]", ind.id);
            check(seen.insert(ind.id.as_str()), || path.clone(), || "duplicate id".into())?;
            check(
                criteria.iter().any(|c| c.id == ind.criterion),
                || format!("{path}.criterion"),
                || format!("no criterion {:?}", ind.criterion),
            )?;
            check(
                ind.weight.is_finite() && ind.weight >= 0.0,
                || format!("{path}.weight"),
                || "must be a non-negative number".into(),
            )?;
            let formula = resolve_formula(&ind.formula, &format!("{path}.formula"))?;
            out.push(Indicator {
                id: ind.id.clone(),
                criterion: ind.criterion.clone(),
                name_ru: ind.name_ru.clone(),
                weight: ind.weight,
                mark: ind.mark,
                weight_mark: ind.weight_mark.unwrap_or(ind.mark),
                formula_ru: ind.formula_ru.clone(),
                formula,
            });
        }
        Ok(out)
    }

    fn resolve_sphere(
        &self,
        sphere: Sphere,
        criteria: &[Criterion],
        indicators: &[Indicator],
    ) -> Result<SphereVariant> {
        let spath = format!("spheres.{sphere}");
        let raw = self
            .spheres
            .get(&sphere)
            .ok_or_else(|| DefinitionError::invalid(&spath, "missing: every sphere needs its table"))?;
        let questions = match &raw.questions {
            Some(list) => resolve_questions(list, sphere, &format!("{spath}.questions"), false)?,
            None => resolve_questions(&self.questions, sphere, "questions", true)?,
        };
        let asked_bits = questions.iter().fold(0u16, |bits, q| bits | q.id.bit());

        for id in &raw.skip {
            check(
                indicators.iter().any(|i| &i.id == id),
                || format!("{spath}.skip"),
                || format!("no indicator {id:?}"),
            )?;
        }
        let mut used = Vec::new();
        for (index, ind) in indicators.iter().enumerate() {
            if raw.skip.contains(&ind.id) {
                continue;
            }
            for q in ind.formula.questions() {
                check(
                    asked_bits & q.bit() != 0,
                    || spath.clone(),
                    || {
                        format!(
                            "indicator {} reads {q}, which this sphere's questionnaire does not ask \
                         (skip the indicator or ask the question)",
                            ind.id
                        )
                    },
                )?;
            }
            if matches!(ind.formula, Formula::Waiting { .. }) {
                check(
                    raw.waiting.is_some(),
                    || format!("{spath}.waiting"),
                    || format!("indicator {} needs the sphere's waiting-time rule", ind.id),
                )?;
            }
            let (weight, weight_mark) = match raw.weights.get(&ind.id) {
                Some(&w) => (w, raw.weights_mark.unwrap_or(ind.weight_mark)),
                None => (ind.weight, ind.weight_mark),
            };
            check(
                weight.is_finite() && weight >= 0.0,
                || format!("{spath}.weights"),
                || format!("weight of {} must be a non-negative number", ind.id),
            )?;
            let criterion = criteria.iter().position(|c| c.id == ind.criterion).unwrap_or_default();
            used.push(SphereIndicator { id: ind.id.clone(), index, criterion, weight, weight_mark });
        }
        for id in raw.weights.keys() {
            check(
                used.iter().any(|u| &u.id == id),
                || format!("{spath}.weights"),
                || format!("{id:?} is not an indicator used in this sphere"),
            )?;
        }
        for c in criteria {
            let weights: Vec<f64> =
                used.iter().filter(|u| indicators[u.index].criterion == c.id).map(|u| u.weight).collect();
            check(!weights.is_empty(), || spath.clone(), || format!("criterion {} has no indicator", c.id))?;
            let sum: f64 = weights.iter().sum();
            check(
                (sum - 1.0).abs() <= WEIGHT_EPS,
                || format!("{spath}.weights"),
                || format!("weights of the indicators of {} sum to {sum}, not 1", c.id),
            )?;
        }
        if let Some(w) = &raw.waiting {
            check_waiting(w, &format!("{spath}.waiting"))?;
        }
        Ok(SphereVariant {
            sphere,
            indicators: used,
            questions,
            checklists: self.resolve_lists(sphere, raw, &spath)?,
            waiting: raw.waiting.clone(),
            asked_bits,
        })
    }

    fn resolve_lists(&self, sphere: Sphere, raw: &RawSphere, spath: &str) -> Result<Checklists> {
        let mut lists = Checklists::default();
        let mut ids = BTreeSet::new();
        for section in ChecklistSection::ALL {
            let (items, path, common) = match (raw.list(section), self.checklists.get(section)) {
                (Some(own), _) => (own, format!("{spath}.{}", section.key()), false),
                (None, Some(common)) => (common, format!("checklists.{}", section.key()), true),
                (None, None) => continue,
            };
            let out = lists.get_mut(section);
            for item in items {
                let ipath = || format!("{path}[{}]", item.id);
                check(!item.id.trim().is_empty(), || path.clone(), || "an item id is empty".into())?;
                check(!item.name_ru.trim().is_empty(), ipath, || "name_ru must not be empty".into())?;
                check(common || item.spheres.is_none(), ipath, || {
                    "`spheres` is only for the common lists under [checklists]".into()
                })?;
                if item.spheres.as_ref().is_some_and(|s| !s.contains(&sphere)) {
                    continue;
                }
                check(ids.insert(item.id.clone()), ipath, || format!("duplicate item id in sphere {sphere}"))?;
                out.push(ChecklistItem { id: item.id.clone(), name_ru: item.name_ru.clone(), mark: item.mark });
            }
        }
        Ok(lists)
    }

    fn check_rules(&self) -> Result<()> {
        let s = &self.sample;
        check((1..=100).contains(&s.share_percent), || "sample.share_percent".into(), || "must be 1…100".into())?;
        check(s.cap >= 1, || "sample.cap".into(), || "must be at least 1".into())?;
        check(s.online_share_percent <= 100, || "sample.online_share_percent".into(), || "must be 0…100".into())?;
        if let Some(levels) = &self.levels {
            check(!levels.bands.is_empty(), || "levels.bands".into(), || "must not be empty".into())?;
            let mut prev = f64::NEG_INFINITY;
            for (i, b) in levels.bands.iter().enumerate() {
                check(
                    b.max > prev && b.max.is_finite(),
                    || format!("levels.bands[{i}].max"),
                    || "bands must be in ascending order".into(),
                )?;
                check(!b.name_ru.trim().is_empty(), || format!("levels.bands[{i}].name_ru"), || "empty".into())?;
                prev = b.max;
            }
            check(prev == 100.0, || "levels.bands".into(), || "the last band must end at 100".into())?;
        }
        let mut seen = BTreeSet::new();
        for e in &self.extras {
            check(seen.insert(e.id.as_str()), || format!("extras[{}]", e.id), || "duplicate id".into())?;
            check(
                e.kind != ExtraKind::Choice || !e.options.is_empty(),
                || format!("extras[{}].options", e.id),
                || "a choice needs options".into(),
            )?;
        }
        Ok(())
    }
}

fn resolve_formula(raw: &RawFormula, path: &str) -> Result<Formula> {
    let scale_ok =
        |scale: f64| check(scale > 0.0 && scale <= 100.0, || format!("{path}.scale"), || "must be in (0, 100]".into());
    Ok(match raw {
        RawFormula::Ratio { scale, parts } => {
            scale_ok(*scale)?;
            check(!parts.is_empty(), || format!("{path}.parts"), || "at least one part is needed".into())?;
            let mut out = Vec::with_capacity(parts.len());
            for (i, p) in parts.iter().enumerate() {
                let ppath = || format!("{path}.parts[{i}]");
                let source = match (p.present, p.required, p.yes, p.base) {
                    (Some(present), Some(required), None, None) => RatioSource::Checklist { present, required },
                    (None, None, Some(yes), Some(base)) => RatioSource::Survey(SurveyRatio { yes, base }),
                    _ => {
                        return Err(DefinitionError::invalid(
                            ppath(),
                            "give either `present` and `required` (checklist) or `yes` and `base` (survey)",
                        ));
                    }
                };
                check(!p.label.trim().is_empty(), ppath, || "label must not be empty".into())?;
                out.push(RatioPart { label: p.label.clone(), source });
            }
            Formula::Ratio { scale: *scale, parts: out }
        }
        RawFormula::CappedPoints { count, points, cap } => {
            check(points.is_finite() && *points >= 0.0, || format!("{path}.points"), || "must be ≥ 0".into())?;
            check(*cap > 0.0 && *cap <= 100.0, || format!("{path}.cap"), || "must be in (0, 100]".into())?;
            Formula::CappedPoints { count: *count, points: *points, cap: *cap }
        }
        RawFormula::Waiting { scale, timeliness } => {
            scale_ok(*scale)?;
            Formula::Waiting { scale: *scale, timeliness: *timeliness }
        }
    })
}

fn check_waiting(w: &WaitingRule, path: &str) -> Result<()> {
    let Some(scale) = &w.scale else { return Ok(()) };
    check(
        scale.norm_days > 0.0 && scale.norm_days.is_finite(),
        || format!("{path}.scale.norm_days"),
        || "must be a positive number of days".into(),
    )?;
    check_points(scale.half_norm_points, || format!("{path}.scale.half_norm_points"))?;
    check_points(scale.longer_points, || format!("{path}.scale.longer_points"))?;
    let mut prev = f64::NEG_INFINITY;
    for (i, step) in scale.steps.iter().enumerate() {
        check(
            step.shorter_by_days >= 0.0 && step.shorter_by_days > prev,
            || format!("{path}.scale.steps[{i}]"),
            || "shorter_by_days must be ≥ 0 and ascending".into(),
        )?;
        check_points(step.points, || format!("{path}.scale.steps[{i}].points"))?;
        prev = step.shorter_by_days;
    }
    Ok(())
}

/// The questionnaire of `sphere`: `common` lists are filtered by each question's `spheres`.
fn resolve_questions(list: &[RawQuestion], sphere: Sphere, path: &str, common: bool) -> Result<Vec<Question>> {
    let mut seen = 0u16;
    let mut filtered_by: BTreeMap<QuestionId, QuestionId> = BTreeMap::new();
    for q in list {
        let qpath = || format!("{path}[{}]", q.id);
        check(q.id.is_valid() && seen & q.id.bit() == 0, qpath, || "duplicate question id".into())?;
        seen |= q.id.bit();
        check(common || (q.spheres.is_none() && q.text_by_sphere.is_empty()), qpath, || {
            "`spheres` and `text_by_sphere` are only for the common questionnaire".into()
        })?;
        for &f in &q.filter_for {
            check(filtered_by.insert(f, q.id).is_none(), qpath, || format!("{f} already has a filter"))?;
        }
    }
    for (&target, &filter) in &filtered_by {
        let pos = |id: QuestionId| list.iter().position(|q| q.id == id);
        check(
            pos(target).is_some_and(|t| pos(filter).is_some_and(|f| f < t)),
            || format!("{path}[{filter}]"),
            || format!("filter_for: {target} must be a later question of the questionnaire"),
        )?;
    }
    let shown: Vec<&RawQuestion> =
        list.iter().filter(|q| q.spheres.as_ref().is_none_or(|s| s.contains(&sphere))).collect();
    let shown_bits = shown.iter().fold(0u16, |b, q| b | q.id.bit());
    let mut out = Vec::with_capacity(shown.len());
    for (i, q) in shown.iter().enumerate() {
        let text = q.text_by_sphere.get(&sphere).unwrap_or(&q.text).clone();
        check(!text.trim().is_empty(), || format!("{path}[{}].text", q.id), || "must not be empty".into())?;
        let filter_for: Vec<QuestionId> = q.filter_for.iter().copied().filter(|f| shown_bits & f.bit() != 0).collect();
        let skip_to = if filter_for.is_empty() {
            None
        } else {
            let last = shown.iter().rposition(|s| filter_for.contains(&s.id)).unwrap_or(i);
            shown.get(last + 1).map(|s| s.id)
        };
        out.push(Question {
            id: q.id,
            number: (i + 1) as u8,
            text,
            filter_for,
            filtered_by: filtered_by.get(&q.id).copied().filter(|f| shown_bits & f.bit() != 0),
            skip_to,
            mark: q.mark,
        });
    }
    Ok(out)
}
