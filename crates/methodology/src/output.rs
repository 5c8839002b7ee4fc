//! Output of the `nok score` contract (§8): the JSON shape with full-precision numbers, and the
//! Russian table rounded for display (comma decimals: 84,30).

use crate::definition::Definition;
use crate::engine::Scores;
use serde_json::{Map, Value, json};

/// Exactly the §8 output: `{"methodology", "sphere", "indicators", "criteria", "total", "no_data"}`.
/// Indicators and criteria without data are absent (and listed in `no_data`); `total` is `null`
/// when a criterion has no data.
pub fn scores_to_json(scores: &Scores) -> Value {
    let numbers = |m: &std::collections::BTreeMap<String, f64>| -> Map<String, Value> {
        m.iter().map(|(k, v)| (k.clone(), json!(v))).collect()
    };
    json!({
        "methodology": scores.methodology,
        "sphere": scores.sphere.code(),
        "indicators": numbers(&scores.indicators),
        "criteria": numbers(&scores.criteria),
        "total": scores.total,
        "no_data": scores.no_data,
    })
}

/// A value rounded to `decimals` with a comma decimal separator (`84,30`).
pub fn format_points(value: f64, decimals: u8) -> String {
    format!("{value:.prec$}", prec = usize::from(decimals)).replace('.', ",")
}

/// The `--format table` text: every indicator, criterion and the total, rounded to the definition's
/// decimals, in Russian, with a line for each place missing data changed the computation.
pub fn scores_to_table(def: &Definition, scores: &Scores) -> String {
    let d = def.decimals;
    let cell = |v: Option<f64>| v.map_or_else(|| "нет данных".to_owned(), |v| format_points(v, d));
    let mut out = String::new();
    out.push_str(&format!("Методика: {} ({})\n", def.id, def.title_ru));
    out.push_str(&format!("Сфера: {}\n", scores.sphere.name_ru()));
    out.push_str(&format!("Правило при отсутствии данных: {}\n\n", scores.policy.name_ru()));
    for c in &def.criteria {
        out.push_str(&format!("{} {}: {}\n", c.id, c.name_ru, cell(scores.criteria.get(&c.id).copied())));
        for e in scores.explanation.iter().filter(|e| e.criterion == c.id) {
            out.push_str(&format!("  {} {}: {}\n", e.id, e.name_ru, cell(e.value)));
            for effect in &e.effects {
                out.push_str(&format!("      * {}\n", effect.describe_ru()));
            }
        }
    }
    out.push_str(&format!("\nИтоговый показатель: {}\n", cell(scores.total)));
    if let Some(levels) = &def.levels
        && levels.enabled
        && let Some(band) = scores.total.and_then(|t| levels.level_for(t))
    {
        out.push_str(&format!("Уровень: {}\n", band.name_ru));
    }
    out
}
