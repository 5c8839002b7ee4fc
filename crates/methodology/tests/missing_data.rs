//! §1 missing data: each zero-denominator case under the default policy («no data», rescaling) and
//! under «count as 0»; never NaN.

mod common;

use common::{close, set, worked_example};
use nok_methodology::{AnswerCounts, Definition, MissingDataPolicy, PolicyEffect, ScoreInput, Sphere, score};

fn def() -> &'static Definition {
    Definition::by_id("nok-2024").unwrap()
}

const I11: f64 = 245.0 / 3.0;

#[test]
fn no_disabled_respondents() {
    let mut input = worked_example(Sphere::Health, true);
    set(&mut input.answers, 7, 0, 200);
    set(&mut input.answers, 8, 0, 0);
    let s = score(def(), &input, MissingDataPolicy::NoData);
    assert!(!s.indicators.contains_key("3.3"));
    assert_eq!(s.no_data, ["3.3"]);
    close(s.criteria.get("K3").copied(), (0.3 * 60.0 + 0.4 * 40.0) / 0.7);
    close(s.total, (91.5 + 85.5 + 34.0 / 0.7 + 94.8 + 93.2) / 5.0);
    let e33 = s.explanation.iter().find(|e| e.id == "3.3").unwrap();
    assert_eq!(e33.value, None);
    assert_eq!(e33.weight_used, 0.0);
    assert!(e33.policy_applied);
    assert!(e33.effects.contains(&PolicyEffect::NoDataRescaled { criterion: "K3".into() }));
    let e31 = s.explanation.iter().find(|e| e.id == "3.1").unwrap();
    assert!((e31.weight_used - 0.3 / 0.7).abs() < 1e-12);
    assert!(s.policy_applied());

    let z = score(def(), &input, MissingDataPolicy::CountAsZero);
    close(z.indicators.get("3.3").copied(), 0.0);
    close(z.criteria.get("K3").copied(), 34.0);
    assert!(z.no_data.is_empty());
    assert!(z.explanation.iter().find(|e| e.id == "3.3").unwrap().effects.contains(&PolicyEffect::CountedAsZero));
}

#[test]
fn nobody_used_the_website() {
    let mut input = worked_example(Sphere::Health, true);
    set(&mut input.answers, 3, 0, 200);
    set(&mut input.answers, 4, 0, 0);
    let s = score(def(), &input, MissingDataPolicy::NoData);
    close(s.indicators.get("1.3").copied(), 95.0); // stands alone: 100 × 76/80
    close(s.criteria.get("K1").copied(), 0.3 * I11 + 30.0 + 0.4 * 95.0);
    assert!(s.no_data.is_empty());
    let e = s.explanation.iter().find(|e| e.id == "1.3").unwrap();
    assert_eq!(e.effects, [PolicyEffect::PartLeftOut { part: "сайт".into() }]);

    let z = score(def(), &input, MissingDataPolicy::CountAsZero);
    close(z.indicators.get("1.3").copied(), 47.5);
}

#[test]
fn no_stand_list() {
    let mut input = worked_example(Sphere::Culture, false);
    let counts = input.checklist.as_mut().unwrap();
    counts.stand_present = 0;
    counts.stand_required = 0;
    let s = score(def(), &input, MissingDataPolicy::NoData);
    close(s.indicators.get("1.1").copied(), 80.0); // website alone: 100 × 40/50
    assert!(s.no_data.is_empty());
    let z = score(def(), &input, MissingDataPolicy::CountAsZero);
    close(z.indicators.get("1.1").copied(), 40.0);
    // Neither list: 1.1 has no data and K1 is rescaled over 1.2 and 1.3.
    let counts = input.checklist.as_mut().unwrap();
    counts.site_present = 0;
    counts.site_required = 0;
    let s = score(def(), &input, MissingDataPolicy::NoData);
    assert_eq!(s.no_data, ["1.1"]);
    close(s.criteria.get("K1").copied(), (0.3 * 100.0 + 0.4 * 92.5) / 0.7);
}

#[test]
fn health_without_any_waiting_data() {
    let input = worked_example(Sphere::Health, false);
    let s = score(def(), &input, MissingDataPolicy::NoData);
    assert_eq!(s.no_data, ["2.2"]);
    close(s.criteria.get("K2").copied(), (24.0 + 25.5) / 0.6);
    let z = score(def(), &input, MissingDataPolicy::CountAsZero);
    close(z.criteria.get("K2").copied(), 24.0 + 25.5);
}

#[test]
fn no_survey_at_all_never_nan() {
    let mut input = worked_example(Sphere::Social, true);
    input.answers = AnswerCounts::new();
    let s = score(def(), &input, MissingDataPolicy::NoData);
    assert_eq!(s.total, None);
    for id in ["1.3", "2.2", "2.3", "3.3", "4.1", "4.2", "4.3", "5.1", "5.2", "5.3", "K4", "K5"] {
        assert!(s.no_data.contains(&id.to_owned()), "{id} in {:?}", s.no_data);
    }
    assert!(s.criteria.values().chain(s.indicators.values()).all(|v| v.is_finite()));
    close(s.criteria.get("K2").copied(), 80.0); // 2.1 alone
    let out = nok_methodology::input::scores_to_json(&s);
    assert_eq!(out["total"], serde_json::Value::Null);

    let z = score(def(), &input, MissingDataPolicy::CountAsZero);
    assert!(z.no_data.is_empty());
    close(z.criteria.get("K4").copied(), 0.0);
    assert!(z.total.is_some_and(|t| t.is_finite()));
}

#[test]
fn everything_zero() {
    for sphere in Sphere::ALL {
        let input = ScoreInput { sphere, checklist: Some(Default::default()), answers: AnswerCounts::new() };
        for policy in [MissingDataPolicy::NoData, MissingDataPolicy::CountAsZero] {
            let s = score(def(), &input, policy);
            assert!(s.indicators.values().chain(s.criteria.values()).chain(s.total.iter()).all(|v| v.is_finite()));
            assert!(s.indicators.values().all(|&v| v == 0.0));
        }
    }
}

#[test]
fn no_checklist_recorded() {
    let mut input = worked_example(Sphere::Health, true);
    input.checklist = None;
    let s = score(def(), &input, MissingDataPolicy::NoData);
    assert_eq!(s.no_data, ["1.1", "1.2", "2.1", "3.1", "3.2"]);
    close(s.criteria.get("K1").copied(), 92.5); // 1.3 alone
    close(s.criteria.get("K2").copied(), (0.4 * 90.0 + 0.3 * 85.0) / 0.7); // 2.2 by timeliness alone
    close(s.criteria.get("K3").copied(), 75.0);
    close(s.total, (92.5 + 61.5 / 0.7 + 75.0 + 94.8 + 93.2) / 5.0);
    for id in ["1.1", "1.2", "2.1", "3.1", "3.2"] {
        let e = s.explanation.iter().find(|e| e.id == id).unwrap();
        assert!(e.policy_applied, "{id}");
        assert!(e.inputs.iter().all(|i| i.value.is_none()), "{id}: counts not given, never 0");
        assert!(matches!(e.effects[..], [PolicyEffect::NoDataRescaled { .. }]), "{id}: {:?}", e.effects);
    }

    let z = score(def(), &input, MissingDataPolicy::CountAsZero);
    assert!(z.no_data.is_empty());
    for id in ["1.1", "1.2", "2.1", "3.1", "3.2"] {
        close(z.indicators.get(id).copied(), 0.0);
        let e = z.explanation.iter().find(|e| e.id == id).unwrap();
        assert!(e.effects.contains(&PolicyEffect::CountedAsZero), "{id}");
    }
    close(z.total, (0.4 * 92.5 + 61.5 + 0.3 * 75.0 + 94.8 + 93.2) / 5.0);
}
