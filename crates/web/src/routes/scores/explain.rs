//! The explanation of one organisation's score as a view: every indicator with its formula, the
//! counts that went in, the result, the weights (definition and used), the confidence marks
//! ([B]/[C] shown as configurable defaults), the missing-data policy where it applied, and the
//! methodology version. Shared by the public page (published values once a period is published) and
//! its cabinet variant (live values).

use nok_methodology::indicators::InputRef;
use nok_methodology::{ChecklistSection, Definition, IndicatorExplanation, Mark, Scores};

pub struct InputView {
    pub code: String,
    pub label: String,
    pub value: String,
}

pub struct IndicatorView {
    pub id: String,
    pub name: String,
    pub formula: String,
    pub inputs: Vec<InputView>,
    pub value: String,
    pub weight: String,
    pub weight_used: String,
    pub weight_changed: bool,
    pub mark: String,
    pub mark_configurable: bool,
    pub weight_mark: String,
    pub weight_configurable: bool,
    pub effects: Vec<String>,
    pub policy_applied: bool,
}

pub struct CriterionView {
    pub id: String,
    pub name: String,
    pub value: String,
    pub weight: String,
    pub weight_configurable: bool,
    pub indicators: Vec<IndicatorView>,
}

/// Everything the explanation templates show about the numbers.
pub struct Explanation {
    pub methodology_id: String,
    pub methodology_title: String,
    pub effective_from: String,
    pub policy: String,
    pub policy_mark_configurable: bool,
    /// Ids of the indicators where the missing-data policy applied.
    pub policy_applied_in: Vec<String>,
    pub total: String,
    pub criteria: Vec<CriterionView>,
    pub responses: u64,
    pub checklist_recorded: bool,
    /// Without a checklist: «нет данных» in the checklist-based indicators and the policy applied.
    pub checklist_missing: String,
    /// Which 1.1 lists were the region's own («региональный перечень»); empty when none.
    pub regional_lists: String,
}

/// A number with the definition's decimals and a comma, or «нет данных».
pub fn points(v: Option<f64>, decimals: u8) -> String {
    v.map_or_else(|| nok_i18n::t("sc-explain-no-data"), |v| nok_i18n::format_decimal(v, usize::from(decimals)))
}

/// A weight without trailing zeros: 0,3 / 0,4286.
fn weight(v: f64) -> String {
    let s = nok_i18n::format_decimal(v, 4);
    s.trim_end_matches('0').trim_end_matches(',').to_owned()
}

fn mark_label(m: Mark) -> String {
    nok_i18n::t(match m {
        Mark::A => "sc-explain-mark-a",
        Mark::B => "sc-explain-mark-b",
        Mark::C => "sc-explain-mark-c",
    })
}

/// [B] and [C] values are defaults of the definition that a deployment may change.
fn configurable(m: Mark) -> bool {
    m != Mark::A
}

fn input_label(name: InputRef) -> String {
    match name {
        InputRef::Checklist(field) => nok_i18n::t(&format!("sc-input-{}", field.name())),
        InputRef::Yes(q) => nok_i18n::t!("sc-input-yes", q = q.0),
        InputRef::Answered(q) => nok_i18n::t!("sc-input-answered", q = q.0),
        InputRef::WaitingPoints => nok_i18n::t("sc-input-waiting_points"),
    }
}

fn input_value(v: Option<f64>) -> String {
    match v {
        None => nok_i18n::t("sc-input-not-given"),
        Some(v) if v.fract() == 0.0 && v.abs() < 1e15 => nok_i18n::format_int(v as i64),
        Some(v) => nok_i18n::format_decimal(v, 2),
    }
}

fn indicator(e: &IndicatorExplanation, decimals: u8) -> IndicatorView {
    IndicatorView {
        id: e.id.clone(),
        name: e.name_ru.clone(),
        formula: e.formula_ru.clone(),
        inputs: e
            .inputs
            .iter()
            .map(|i| InputView { code: i.name.to_string(), label: input_label(i.name), value: input_value(i.value) })
            .collect(),
        value: points(e.value, decimals),
        weight: weight(e.weight),
        weight_used: weight(e.weight_used),
        weight_changed: (e.weight - e.weight_used).abs() > 1e-12,
        mark: mark_label(e.mark),
        mark_configurable: configurable(e.mark),
        weight_mark: mark_label(e.weight_mark),
        weight_configurable: configurable(e.weight_mark),
        effects: e.effects.iter().map(|f| f.describe_ru()).collect(),
        policy_applied: e.policy_applied,
    }
}

/// Ids of the indicators that read checklist counts.
fn checklist_indicators(scores: &Scores) -> String {
    let reads_checklist = |e: &&IndicatorExplanation| e.inputs.iter().any(|i| matches!(i.name, InputRef::Checklist(_)));
    scores.explanation.iter().filter(reads_checklist).map(|e| e.id.as_str()).collect::<Vec<_>>().join(", ")
}

/// The note on the regional 1.1 lists used, if any (e.g. «… (стенды, сайт) …»).
fn regional_note(sections: &[ChecklistSection]) -> String {
    if sections.is_empty() {
        return String::new();
    }
    let names: Vec<String> = sections.iter().map(|s| nok_i18n::t(&format!("cll-section-{}", s.key()))).collect();
    nok_i18n::t!("sc-explain-regional-lists", sections = names.join(", "))
}

/// The view of `scores` computed from `responses` counted responses (live or published), the 1.1
/// sections in `regional_lists` counted against the region's own lists.
pub fn explain(
    scores: &Scores,
    responses: u64,
    checklist_recorded: bool,
    regional_lists: &[ChecklistSection],
) -> Explanation {
    let def = Definition::by_id(&scores.methodology).unwrap_or_else(Definition::current);
    let d = def.decimals;
    let criteria = def
        .criteria
        .iter()
        .map(|c| CriterionView {
            id: c.id.clone(),
            name: c.name_ru.clone(),
            value: points(scores.criteria.get(&c.id).copied(), d),
            weight: weight(c.weight),
            weight_configurable: configurable(c.mark),
            indicators: scores.explanation.iter().filter(|e| e.criterion == c.id).map(|e| indicator(e, d)).collect(),
        })
        .collect();
    Explanation {
        methodology_id: def.id.clone(),
        methodology_title: def.title_ru.clone(),
        effective_from: nok_i18n::format_date(def.effective_from),
        policy: scores.policy.name_ru().to_owned(),
        policy_mark_configurable: configurable(def.missing_data.mark),
        policy_applied_in: scores.explanation.iter().filter(|e| e.policy_applied).map(|e| e.id.clone()).collect(),
        total: points(scores.total, d),
        criteria,
        responses,
        checklist_recorded,
        checklist_missing: nok_i18n::t!(
            "sc-explain-checklist-missing",
            ids = checklist_indicators(scores),
            policy = scores.policy.name_ru()
        ),
        regional_lists: regional_note(regional_lists),
    }
}
