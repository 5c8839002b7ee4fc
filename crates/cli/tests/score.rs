//! `nok score` end to end through the built binary: the §7 worked example from JSON (file and
//! standard input) and from a responses CSV (UTF-8 and Windows-1251), both output formats, and exit
//! status 2 naming the offending field for every kind of bad input in §8.

use std::io::Write;
use std::process::{Command, Output, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_nok");

/// Runs `nok score ARGS` with `stdin` fed in.
fn score(args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(BIN)
        .arg("score")
        .args(args)
        .env_remove("NOK_DATABASE_URL")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("nok runs");
    child.stdin.take().unwrap().write_all(stdin.as_bytes()).unwrap();
    child.wait_with_output().unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

const CHECKLIST: &str = r#"{ "stand_present": 10, "stand_required": 12, "site_present": 40, "site_required": 50,
  "remote_channels": 4, "comfort": 4, "premises_accessibility": 3, "service_accessibility": 2 }"#;

/// The §7 worked example as §8 JSON, with `answers` edited by `patch` (a JSON fragment replacing q2).
fn worked_example(sphere: &str, q2: &str, q5: bool) -> String {
    let q5 = if q5 { r#""q5": {"yes": 180, "no": 20},"# } else { "" };
    format!(
        r#"{{ "sphere": "{sphere}", "checklist": {CHECKLIST},
  "answers": {{ "q1": {{"yes": 80, "no": 120}}, "q2": {q2}, "q3": {{"yes": 60, "no": 140}},
    "q4": {{"yes": 54, "no": 6}}, {q5} "q6": {{"yes": 170, "no": 30}}, "q7": {{"yes": 12, "no": 188}},
    "q8": {{"yes": 9, "no": 3}}, "q9": {{"yes": 190, "no": 10}}, "q10": {{"yes": 194, "no": 6}},
    "q11": {{"yes": 50, "no": 150}}, "q12": {{"yes": 45, "no": 5}}, "q13": {{"yes": 184, "no": 16}},
    "q14": {{"yes": 186, "no": 14}}, "q15": {{"yes": 188, "no": 12}} }} }}"#
    )
}

const Q2: &str = r#"{"yes": 76, "no": 4}"#;

fn close(v: &serde_json::Value, expected: f64) {
    let x = v.as_f64().unwrap_or_else(|| panic!("{v} is not a number"));
    assert!((x - expected).abs() < 1e-9, "got {x}, expected {expected}");
}

/// Checks the §7 figures in a §8 JSON output.
fn assert_worked_example(out: &serde_json::Value) {
    let ind = &out["indicators"];
    for (id, v) in [
        ("1.1", 81.0 + 2.0 / 3.0),
        ("1.2", 100.0),
        ("1.3", 92.5),
        ("2.1", 80.0),
        ("2.2", 90.0),
        ("2.3", 85.0),
        ("3.1", 60.0),
        ("3.2", 40.0),
        ("3.3", 75.0),
        ("4.1", 95.0),
        ("4.2", 97.0),
        ("4.3", 90.0),
        ("5.1", 92.0),
        ("5.2", 93.0),
        ("5.3", 94.0),
    ] {
        close(&ind[id], v);
    }
    for (id, v) in [("K1", 91.5), ("K2", 85.5), ("K3", 56.5), ("K4", 94.8), ("K5", 93.2)] {
        close(&out["criteria"][id], v);
    }
    close(&out["total"], 84.3);
    assert_eq!(out["sphere"], "health");
    assert_eq!(out["no_data"], serde_json::json!([]));
    assert!(out["methodology"].as_str().is_some_and(|m| !m.is_empty()));
}

#[test]
fn worked_example_from_stdin_and_file() {
    let input = worked_example("health", Q2, true);
    let o = score(&[], &input);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_worked_example(&serde_json::from_str(&stdout(&o)).unwrap());

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("input.json");
    std::fs::write(&path, &input).unwrap();
    let o = score(&[path.to_str().unwrap(), "--format", "json"], "");
    assert!(o.status.success(), "{}", stderr(&o));
    assert_worked_example(&serde_json::from_str(&stdout(&o)).unwrap());

    let o = score(&["-", "--format", "table"], &input);
    assert!(o.status.success(), "{}", stderr(&o));
    let table = stdout(&o);
    assert!(table.contains("Итоговый показатель: 84,30"), "{table}");
    assert!(table.contains("91,50") && table.contains("56,50") && table.contains("81,67"), "{table}");
    assert!(table.contains("Сфера: Охрана здоровья"), "{table}");
}

#[test]
fn culture_variant_and_missing_question() {
    let o = score(&[], &worked_example("culture", Q2, false));
    assert!(o.status.success(), "{}", stderr(&o));
    let out: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    close(&out["criteria"]["K2"], 82.5);
    assert!(out["indicators"].get("2.2").is_none());

    // Nobody with a disability: 3.3 has no data and is listed, K3 is rescaled, never NaN.
    let input = worked_example("culture", Q2, false)
        .replace(r#""q7": {"yes": 12, "no": 188}"#, r#""q7": {"yes": 0, "no": 200}"#)
        .replace(r#""q8": {"yes": 9, "no": 3},"#, "");
    let o = score(&[], &input);
    assert!(o.status.success(), "{}", stderr(&o));
    let out: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert!(out["indicators"].get("3.3").is_none());
    assert_eq!(out["no_data"], serde_json::json!(["3.3"]));
    close(&out["criteria"]["K3"], (0.3 * 60.0 + 0.4 * 40.0) / 0.7);
}

/// 200 respondents whose answers give exactly the §7 counts (health, with q5).
fn worked_example_csv(sep: char) -> String {
    let yes_below =
        [(1, 80), (3, 60), (5, 180), (6, 170), (7, 12), (9, 190), (10, 194), (11, 50), (13, 184), (14, 186), (15, 188)];
    let filtered = [(2, 1, 76), (4, 3, 54), (8, 7, 9), (12, 11, 45)];
    let header: Vec<String> = (1..=15).map(|q| format!("q{q}")).collect();
    let mut out = header.join(&sep.to_string());
    out.push('\n');
    for i in 0..200 {
        let mut cells = vec![String::new(); 15];
        for (q, n) in yes_below {
            cells[q - 1] = if i < n { "Да" } else { "Нет" }.to_owned();
        }
        for (q, filter, n) in filtered {
            let passed = yes_below.iter().any(|&(f, m)| f == filter && i < m);
            if passed {
                cells[q - 1] = if i < n { "Да" } else { "Нет" }.to_owned();
            }
        }
        out.push_str(&cells.join(&sep.to_string()));
        out.push('\n');
    }
    out
}

#[test]
fn worked_example_from_responses_csv() {
    let dir = tempfile::tempdir().unwrap();
    let checklist = dir.path().join("checklist.json");
    std::fs::write(&checklist, CHECKLIST).unwrap();
    let utf8 = dir.path().join("responses.csv");
    std::fs::write(&utf8, worked_example_csv(',')).unwrap();
    let cp1251 = cp1251(&worked_example_csv(';'));
    let win = dir.path().join("responses-1251.csv");
    std::fs::write(&win, cp1251).unwrap();

    for (file, encoding, delimiter) in [(&utf8, "UTF-8", ","), (&win, "windows-1251", ";")] {
        let o = score(
            &["--responses", file.to_str().unwrap(), "--checklist", checklist.to_str().unwrap(), "--sphere", "health"],
            "",
        );
        assert!(o.status.success(), "{}", stderr(&o));
        let out: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
        assert_worked_example(&out);
        assert_eq!(out["responses"]["rows"], 200);
        assert_eq!(out["responses"]["dropped_inconsistent"], 0);
        assert_eq!(out["responses"]["encoding"], encoding);
        assert_eq!(out["responses"]["delimiter"], delimiter);
    }

    // An answer its filter skipped (q2 after q1 «Нет») is dropped, counted, and changes nothing else.
    let mut text = worked_example_csv(',');
    text.push_str("Нет,Да,,,Да,Да,Нет,,Да,Да,Нет,,Да,Да,Да\n");
    std::fs::write(&utf8, text).unwrap();
    let args =
        ["--responses", utf8.to_str().unwrap(), "--checklist", checklist.to_str().unwrap(), "--sphere", "health"];
    let o = score(&args, "");
    assert!(o.status.success(), "{}", stderr(&o));
    let out: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(out["responses"]["dropped_inconsistent"], 1);
    assert_eq!(out["responses"]["rows"], 201);
    close(&out["indicators"]["1.3"], 50.0 * (76.0 / 80.0 + 54.0 / 60.0));

    let mut table_args = args.to_vec();
    table_args.extend(["--format", "table"]);
    let o = score(&table_args, "");
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("Отброшено несогласованных ответов: 1"), "{}", stdout(&o));
}

/// Windows-1251 bytes of a text made of ASCII, «Д», «а», «Н», «е», «т» (enough for Да/Нет).
fn cp1251(text: &str) -> Vec<u8> {
    text.chars()
        .map(|c| match c {
            'Д' => 0xC4,
            'а' => 0xE0,
            'Н' => 0xCD,
            'е' => 0xE5,
            'т' => 0xF2,
            c if c.is_ascii() => c as u8,
            other => panic!("no cp1251 byte for {other}"),
        })
        .collect()
}

/// Asserts exit status 2 and that stderr names `field`.
#[track_caller]
fn rejected(o: &Output, field: &str) {
    assert_eq!(o.status.code(), Some(2), "stdout: {}\nstderr: {}", stdout(o), stderr(o));
    let err = stderr(o);
    assert!(err.contains(field), "stderr does not name {field}: {err}");
    assert!(stdout(o).is_empty(), "nothing on stdout: {}", stdout(o));
}

#[test]
fn bad_input_exits_2_naming_the_field() {
    let cases: Vec<(String, &str)> = vec![
        (worked_example("health", r#"{"yes": -1, "no": 4}"#, true), "answers.q2.yes"),
        (worked_example("health", r#"{"yes": 79, "no": 4}"#, true), "answers.q2"),
        (worked_example("culture", Q2, true), "answers.q5"),
        (worked_example("hospital", Q2, true), "sphere"),
        (
            worked_example("health", Q2, true).replace("\"site_present\": 40", "\"site_present\": 51"),
            "checklist.site_present",
        ),
        (
            worked_example("health", Q2, true).replace("\"comfort\": 4", "\"comfort\": 4, \"comfrt\": 1"),
            "checklist.comfrt",
        ),
        (worked_example("health", Q2, true).replace("\"comfort\": 4,", ""), "checklist.comfort"),
        (worked_example("health", Q2, true).replace("\"q6\"", "\"q16\""), "answers.q16"),
        (worked_example("health", Q2, true).replace("\"no\": 120", "\"no\": \"много\""), "answers.q1.no"),
    ];
    for (input, field) in &cases {
        rejected(&score(&[], input), field);
    }
    let o = score(&[], "{ not json");
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("JSON"), "{}", stderr(&o));

    let o = score(&["/no/such/file.json"], "");
    rejected(&o, "/no/such/file.json");
    let o = score(&["--methodology", "nok-1999"], &worked_example("health", Q2, true));
    rejected(&o, "--methodology");
    let o = score(&["--missing-data", "guess"], &worked_example("health", Q2, true));
    rejected(&o, "--missing-data");
}

#[test]
fn csv_input_errors_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let checklist = dir.path().join("checklist.json");
    std::fs::write(&checklist, CHECKLIST).unwrap();
    let csv = dir.path().join("r.csv");
    std::fs::write(&csv, "q1,q2\nДа,Может быть\n").unwrap();
    let (c, r) = (checklist.to_str().unwrap(), csv.to_str().unwrap());

    rejected(&score(&["--responses", r, "--checklist", c, "--sphere", "health"], ""), "row 2, column q2");
    rejected(&score(&["--responses", r, "--checklist", c, "--sphere", "museum"], ""), "--sphere");
    rejected(&score(&["--responses", r, "--checklist", c], ""), "--sphere");
    rejected(&score(&["--responses", r, "--sphere", "health"], ""), "--checklist");

    std::fs::write(&checklist, CHECKLIST.replace("\"stand_present\": 10", "\"stand_present\": 13")).unwrap();
    std::fs::write(&csv, "q1,q2\nДа,Да\n").unwrap();
    rejected(&score(&["--responses", r, "--checklist", c, "--sphere", "health"], ""), "checklist.stand_present");
}
