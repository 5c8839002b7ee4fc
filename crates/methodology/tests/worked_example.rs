//! §7 worked example, reproduced exactly (compared at 1e-9 with the exact fractions), and the §8
//! output shape.

mod common;

use common::{close, worked_example, worked_example_json};
use nok_methodology::input::{parse_score_json_with, scores_to_json};
use nok_methodology::{Definition, MissingDataPolicy, Sphere, score};

fn def() -> &'static Definition {
    Definition::by_id("nok-2024").unwrap()
}

#[test]
fn health_with_timeliness_only() {
    let s = score(def(), &worked_example(Sphere::Health, true), MissingDataPolicy::NoData);
    let i = |id: &str| s.indicators.get(id).copied();
    close(i("1.1"), 245.0 / 3.0); // 50 × (10/12 + 40/50) = 81.67
    close(i("1.2"), 100.0);
    close(i("1.3"), 92.5);
    close(s.criteria.get("K1").copied(), 91.5);
    close(i("2.1"), 80.0);
    close(i("2.2"), 90.0);
    close(i("2.3"), 85.0);
    close(s.criteria.get("K2").copied(), 85.5);
    close(i("3.1"), 60.0);
    close(i("3.2"), 40.0);
    close(i("3.3"), 75.0);
    close(s.criteria.get("K3").copied(), 56.5);
    close(i("4.1"), 95.0);
    close(i("4.2"), 97.0);
    close(i("4.3"), 90.0);
    close(s.criteria.get("K4").copied(), 94.8);
    close(i("5.1"), 92.0);
    close(i("5.2"), 93.0);
    close(i("5.3"), 94.0);
    close(s.criteria.get("K5").copied(), 93.2);
    close(s.total, 84.3);
    assert!(s.no_data.is_empty());
    assert_eq!(s.indicators.len(), 15);
    // 2.2 used timeliness alone by the health rule, which the explanation says (not the policy).
    let e22 = s.explanation.iter().find(|e| e.id == "2.2").unwrap();
    assert!(!e22.effects.is_empty() && !e22.policy_applied);
    assert!(!s.policy_applied());
}

#[test]
fn culture_variant_without_2_2() {
    let s = score(def(), &worked_example(Sphere::Culture, false), MissingDataPolicy::NoData);
    assert!(!s.indicators.contains_key("2.2"));
    assert!(!s.no_data.contains(&"2.2".to_owned()), "a skipped indicator is not «no data»");
    close(s.criteria.get("K2").copied(), 82.5);
    close(s.total, (91.5 + 82.5 + 56.5 + 94.8 + 93.2) / 5.0);
    assert_eq!(s.indicators.len(), 14);
}

#[test]
fn education_equals_culture_here() {
    let c = score(def(), &worked_example(Sphere::Culture, false), MissingDataPolicy::NoData);
    let e = score(def(), &worked_example(Sphere::Education, false), MissingDataPolicy::NoData);
    assert_eq!(c.indicators, e.indicators);
    assert_eq!(c.criteria, e.criteria);
}

#[test]
fn json_round_trip_and_output_shape() {
    let input = parse_score_json_with(def(), &worked_example_json("health", true, None)).unwrap();
    assert_eq!(input, worked_example(Sphere::Health, true));
    let s = score(def(), &input, MissingDataPolicy::NoData);
    let out = scores_to_json(&s);
    let keys: Vec<&str> = out.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(keys, ["criteria", "indicators", "methodology", "no_data", "sphere", "total"]);
    assert_eq!(out["methodology"], "nok-2024");
    assert_eq!(out["sphere"], "health");
    assert_eq!(out["indicators"].as_object().unwrap().len(), 15);
    assert_eq!(out["criteria"].as_object().unwrap().len(), 5);
    assert!((out["total"].as_f64().unwrap() - 84.3).abs() < 1e-9);
    // Full precision, not rounded.
    assert_eq!(out["indicators"]["1.1"].as_f64().unwrap(), s.indicators["1.1"]);
    assert_eq!(out["no_data"], serde_json::json!([]));
}

#[test]
fn health_with_waiting_points_is_the_mean_of_both_parts() {
    // §8 example: waiting_points 60 → 2.2 = (90 + 60) / 2.
    let input = parse_score_json_with(def(), &worked_example_json("health", true, Some(60.0))).unwrap();
    let s = score(def(), &input, MissingDataPolicy::NoData);
    close(s.indicators.get("2.2").copied(), 75.0);
    close(s.criteria.get("K2").copied(), 0.3 * 80.0 + 0.4 * 75.0 + 0.3 * 85.0);
    // Waiting points alone, without q5.
    let input = parse_score_json_with(def(), &worked_example_json("health", false, Some(60.0))).unwrap();
    close(score(def(), &input, MissingDataPolicy::NoData).indicators.get("2.2").copied(), 60.0);
}

#[test]
fn table_is_russian_and_rounded() {
    let s = score(def(), &worked_example(Sphere::Health, true), MissingDataPolicy::NoData);
    let t = nok_methodology::output::scores_to_table(def(), &s);
    assert!(t.contains("Итоговый показатель: 84,30"), "{t}");
    assert!(t.contains("1.1 "), "{t}");
    assert!(t.contains("81,67"), "{t}");
    assert!(t.contains("Охрана здоровья"), "{t}");
}

#[test]
fn explanation_lists_inputs_formula_and_marks() {
    let s = score(def(), &worked_example(Sphere::Health, true), MissingDataPolicy::NoData);
    let e = s.explanation.iter().find(|e| e.id == "1.3").unwrap();
    let inputs: Vec<(String, Option<f64>)> = e.inputs.iter().map(|i| (i.name.to_string(), i.value)).collect();
    assert_eq!(
        inputs,
        [
            ("Y_q2".to_owned(), Some(76.0)),
            ("Y_q1".to_owned(), Some(80.0)),
            ("Y_q4".to_owned(), Some(54.0)),
            ("Y_q3".to_owned(), Some(60.0))
        ]
    );
    assert_eq!(e.formula_ru, "50 × (Y_q2 / Y_q1 + Y_q4 / Y_q3)");
    assert_eq!((e.criterion.as_str(), e.weight, e.weight_used), ("K1", 0.4, 0.4));
    assert_eq!(e.mark, nok_methodology::Mark::B);
    let e22 = s.explanation.iter().find(|e| e.id == "2.2").unwrap();
    assert!(e22.mark.is_configurable_default());
    assert_eq!(e22.inputs.iter().map(|i| i.name.to_string()).collect::<Vec<_>>(), ["Y_q5", "A_q5", "waiting_points"]);
    let json = serde_json::to_value(&s).unwrap();
    assert_eq!(json["explanation"][0]["inputs"][0]["name"], "stand_present");
    assert_eq!(json["policy"], "no_data");
}
