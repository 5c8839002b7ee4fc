//! §8 bad inputs: each is an error that names the offending field.

mod common;

use common::worked_example_json;
use nok_methodology::input::{InputError, parse_checklist_json_with, parse_score_json_with, validate};
use nok_methodology::{Definition, ScoreInput, Sphere};

fn def() -> &'static Definition {
    Definition::by_id("nok-2024").unwrap()
}

fn health() -> String {
    worked_example_json("health", true, None)
}

/// Parses `json`, expecting an error naming `field`; returns it.
#[track_caller]
fn err(json: &str, field: &str) -> InputError {
    let e = parse_score_json_with(def(), json).expect_err("must be rejected");
    assert_eq!(e.field().as_deref(), Some(field), "{e}");
    assert!(e.to_string().contains(field), "message must name the field: {e}");
    e
}

#[test]
fn the_fixture_is_valid() {
    for (sphere, q5) in [("health", true), ("social", true), ("mse", true), ("culture", false), ("education", false)] {
        parse_score_json_with(def(), &worked_example_json(sphere, q5, None)).unwrap();
    }
}

#[test]
fn negative_counts() {
    let e = err(&health().replace(r#""q2": {"yes": 76"#, r#""q2": {"yes": -1"#), "answers.q2.yes");
    assert!(matches!(e, InputError::Negative { .. }));
    assert!(e.to_string().contains("negative"));
    err(&health().replace(r#""q9": {"yes": 190, "no": 10}"#, r#""q9": {"yes": 190, "no": -10}"#), "answers.q9.no");
    err(&health().replace(r#""comfort": 4"#, r#""comfort": -3"#), "checklist.comfort");
    err(&health().replace(r#""stand_required": 12"#, r#""stand_required": -12.5"#), "checklist.stand_required");
}

#[test]
fn filtered_answers_exceeding_their_filter() {
    let cases = [
        (r#""q2": {"yes": 76, "no": 4}"#, r#""q2": {"yes": 76, "no": 5}"#, "answers.q2", "q1"),
        (r#""q4": {"yes": 54, "no": 6}"#, r#""q4": {"yes": 61, "no": 0}"#, "answers.q4", "q3"),
        (r#""q8": {"yes": 9, "no": 3}"#, r#""q8": {"yes": 9, "no": 4}"#, "answers.q8", "q7"),
        (r#""q12": {"yes": 45, "no": 5}"#, r#""q12": {"yes": 46, "no": 5}"#, "answers.q12", "q11"),
    ];
    for (from, to, field, filter) in cases {
        let json = health().replace(from, to);
        assert_ne!(json, health());
        let e = err(&json, field);
        assert!(matches!(e, InputError::FilteredExceedsFilter { .. }), "{e}");
        assert!(e.to_string().contains(filter), "{e}");
    }
    // Lowering the filter instead.
    err(&health().replace(r#""q7": {"yes": 12"#, r#""q7": {"yes": 11"#), "answers.q8");
}

#[test]
fn present_more_than_required() {
    let e = err(&health().replace(r#""site_present": 40"#, r#""site_present": 51"#), "checklist.site_present");
    assert!(e.to_string().contains("51") && e.to_string().contains("checklist.site_required"), "{e}");
    err(&health().replace(r#""stand_present": 10"#, r#""stand_present": 13"#), "checklist.stand_present");
}

#[test]
fn q5_in_a_sphere_without_it() {
    for sphere in ["culture", "education"] {
        let e = err(&worked_example_json(sphere, true, None), "answers.q5");
        assert!(matches!(e, InputError::QuestionNotInSphere { .. }), "{e}");
        assert!(e.to_string().contains(sphere), "{e}");
    }
    // Code-built inputs are checked the same way.
    let mut input = common::worked_example(Sphere::Culture, true);
    assert_eq!(validate(def(), &input).unwrap_err().field().as_deref(), Some("answers.q5"));
    input.answers = common::worked_example(Sphere::Culture, false).answers;
    validate(def(), &input).unwrap();
}

#[test]
fn unknown_sphere() {
    let e = err(&worked_example_json("sport", false, None), "sphere");
    assert!(matches!(e, InputError::UnknownSphere { .. }));
    err(&worked_example_json("Health", true, None), "sphere");
    err(&health().replace(r#""sphere": "health""#, r#""sphere": 3"#), "sphere");
}

#[test]
fn unknown_fields() {
    err(&health().replacen('{', r#"{"comment": "x", "#, 1), "comment");
    err(&health().replace("stand_present", "stand_presnt"), "checklist.stand_presnt");
    err(&health().replace(r#""q15""#, r#""q16""#), "answers.q16");
    err(&health().replace(r#""q15""#, r#""Q15""#), "answers.Q15");
    err(
        &health().replace(r#""q2": {"yes": 76, "no": 4}"#, r#""q2": {"yes": 76, "no": 4, "maybe": 1}"#),
        "answers.q2.maybe",
    );
}

#[test]
fn missing_and_mistyped_fields() {
    let e = err(&health().replace(r#""comfort": 4, "#, ""), "checklist.comfort");
    assert!(matches!(e, InputError::MissingField { .. }));
    err(&health().replace(r#""q2": {"yes": 76, "no": 4}"#, r#""q2": {"yes": 76}"#), "answers.q2.no");
    err(&health().replace(r#""comfort": 4"#, r#""comfort": "4""#), "checklist.comfort");
    err(&health().replace(r#""comfort": 4"#, r#""comfort": 2.5"#), "checklist.comfort");
    err(&health().replace(r#""q6": {"yes": 170, "no": 30}"#, r#""q6": [170, 30]"#), "answers.q6");
    err(r#"{"sphere": "health", "checklist": {}}"#, "checklist.stand_present");
    err(r#"{"sphere": "culture", "answers": {}}"#, "checklist");
    // A whole-valued float is a count.
    parse_score_json_with(def(), &health().replace(r#""comfort": 4"#, r#""comfort": 4.0"#)).unwrap();
    // A question missing from `answers` is not asked.
    let without_q15 = health().replace(r#", "q15": {"yes": 188, "no": 12}"#, "");
    assert_ne!(without_q15, health());
    let input = parse_score_json_with(def(), &without_q15).unwrap();
    assert_eq!(input.answers.get(nok_methodology::QuestionId(15)).answered(), 0);
}

#[test]
fn waiting_points() {
    parse_score_json_with(def(), &worked_example_json("health", true, Some(60.0))).unwrap();
    for sphere in ["social", "mse"] {
        err(&worked_example_json(sphere, true, Some(60.0)), "checklist.waiting_points");
    }
    err(&worked_example_json("culture", false, Some(60.0)), "checklist.waiting_points");
    err(&worked_example_json("health", true, Some(100.5)), "checklist.waiting_points");
    err(&worked_example_json("health", true, Some(-1.0)), "checklist.waiting_points");
    err(
        &health().replace(r#""service_accessibility": 2"#, r#""service_accessibility": 2, "waiting_points": "60""#),
        "checklist.waiting_points",
    );
}

#[test]
fn not_json() {
    let e = parse_score_json_with(def(), "{\"sphere\": ").unwrap_err();
    assert!(matches!(e, InputError::Syntax { line: 1, .. }), "{e}");
    let e = parse_score_json_with(def(), "[]").unwrap_err();
    assert_eq!(e.field().as_deref(), Some("(input)"));
}

#[test]
fn checklist_file_and_serde() {
    let c = parse_checklist_json_with(
        def(),
        r#"{ "stand_present": 1, "stand_required": 2, "site_present": 3, "site_required": 4,
             "remote_channels": 1, "comfort": 1, "premises_accessibility": 1, "service_accessibility": 1 }"#,
        Sphere::Culture,
    )
    .unwrap();
    assert_eq!((c.stand_present, c.site_required, c.waiting_points), (1, 4, None));
    let e =
        parse_checklist_json_with(def(), r#"{"stand_present": 3, "stand_required": 2}"#, Sphere::Culture).unwrap_err();
    assert_eq!(e.field().as_deref(), Some("checklist.site_present"));
    // Embedding through serde validates too, and the message names the field.
    let bad = health().replace(r#""q2": {"yes": 76"#, r#""q2": {"yes": -1"#);
    let e = serde_json::from_str::<ScoreInput>(&bad).unwrap_err();
    assert!(e.to_string().contains("answers.q2.yes"), "{e}");
    assert!(serde_json::from_str::<ScoreInput>(&health()).is_ok());
}
