//! Shared fixtures for the integration tests: the §7 worked example and small helpers.
#![allow(dead_code)]

use nok_methodology::{AnswerCounts, ChecklistCounts, QuestionId, ScoreInput, Sphere, YesNo};

/// Sets `q` to `yes` «Да» out of `answered` answers.
pub fn set(answers: &mut AnswerCounts, q: u8, yes: u64, answered: u64) {
    answers.set(QuestionId(q), YesNo { yes, no: answered - yes });
}

/// The §7 worked example. Filter questions: q1 Да 80 (of 200), q3 Да 60, q7 Да 12, q11 Да 50;
/// everyone who passed a filter answered the filtered question. `with_q5` adds q5 180 of 200.
pub fn worked_example(sphere: Sphere, with_q5: bool) -> ScoreInput {
    let mut a = AnswerCounts::new();
    set(&mut a, 1, 80, 200);
    set(&mut a, 2, 76, 80);
    set(&mut a, 3, 60, 200);
    set(&mut a, 4, 54, 60);
    if with_q5 {
        set(&mut a, 5, 180, 200);
    }
    set(&mut a, 6, 170, 200);
    set(&mut a, 7, 12, 200);
    set(&mut a, 8, 9, 12);
    set(&mut a, 9, 190, 200);
    set(&mut a, 10, 194, 200);
    set(&mut a, 11, 50, 200);
    set(&mut a, 12, 45, 50);
    set(&mut a, 13, 184, 200);
    set(&mut a, 14, 186, 200);
    set(&mut a, 15, 188, 200);
    ScoreInput {
        sphere,
        checklist: Some(ChecklistCounts {
            stand_present: 10,
            stand_required: 12,
            site_present: 40,
            site_required: 50,
            remote_channels: 4,
            comfort: 4,
            premises_accessibility: 3,
            service_accessibility: 2,
            waiting_points: None,
        }),
        answers: a,
    }
}

/// Asserts `actual` equals `expected` within 1e-9.
#[track_caller]
pub fn close(actual: Option<f64>, expected: f64) {
    let a = actual.unwrap_or_else(|| panic!("no value, expected {expected}"));
    assert!((a - expected).abs() < 1e-9, "got {a}, expected {expected}");
}

/// The §7 input as §8 JSON (with optional extra checklist fields).
pub fn worked_example_json(sphere: &str, with_q5: bool, waiting_points: Option<f64>) -> String {
    let wp = waiting_points.map_or(String::new(), |w| format!(", \"waiting_points\": {w}"));
    let q5 = if with_q5 { "\"q5\": {\"yes\": 180, \"no\": 20}," } else { "" };
    format!(
        r#"{{ "sphere": "{sphere}",
  "checklist": {{ "stand_present": 10, "stand_required": 12, "site_present": 40, "site_required": 50,
                 "remote_channels": 4, "comfort": 4, "premises_accessibility": 3, "service_accessibility": 2{wp} }},
  "answers": {{ "q1": {{"yes": 80, "no": 120}}, "q2": {{"yes": 76, "no": 4}}, "q3": {{"yes": 60, "no": 140}},
    "q4": {{"yes": 54, "no": 6}}, {q5} "q6": {{"yes": 170, "no": 30}}, "q7": {{"yes": 12, "no": 188}},
    "q8": {{"yes": 9, "no": 3}}, "q9": {{"yes": 190, "no": 10}}, "q10": {{"yes": 194, "no": 6}},
    "q11": {{"yes": 50, "no": 150}}, "q12": {{"yes": 45, "no": 5}}, "q13": {{"yes": 184, "no": 16}},
    "q14": {{"yes": 186, "no": 14}}, "q15": {{"yes": 188, "no": 12}} }} }}"#
    )
}
