//! The responses CSV: UTF-8 and Windows-1251, `,` and `;`, Да/Нет/empty, inconsistent filtered
//! answers dropped and counted, errors naming row and column.

mod common;

use common::{close, worked_example};
use nok_methodology::input::{InputError, parse_responses_csv_with};
use nok_methodology::{Definition, MissingDataPolicy, QuestionId, ScoreInput, Sphere, YesNo, score};

fn def() -> &'static Definition {
    Definition::by_id("nok-2024").unwrap()
}

/// 200 respondents whose answers add up to the §7 example (filtered questions only after «Да»).
fn worked_example_rows(with_q5: bool) -> Vec<[&'static str; 15]> {
    let yes_below = [80, 76, 60, 54, 180, 170, 12, 9, 190, 194, 50, 45, 184, 186, 188];
    let filtered_by =
        [None, Some(0), None, Some(2), None, None, None, Some(6), None, None, None, Some(10), None, None, None];
    (0..200)
        .map(|i| {
            let mut row = [""; 15];
            for q in 0..15 {
                if q == 4 && !with_q5 {
                    continue;
                }
                if let Some(f) = filtered_by[q]
                    && i >= yes_below[f]
                {
                    continue;
                }
                row[q] = if i < yes_below[q] { "Да" } else { "Нет" };
            }
            row
        })
        .collect()
}

fn to_csv(rows: &[[&str; 15]], sep: &str) -> String {
    let header: Vec<String> = (1..=15).map(|q| format!("q{q}")).collect();
    let mut out = format!("№{sep}{}{sep}пол\n", header.join(sep));
    for (i, r) in rows.iter().enumerate() {
        out.push_str(&format!("{}{sep}{}{sep}Женский\n", i + 1, r.join(sep)));
    }
    out
}

#[test]
fn utf8_commas_reproduce_the_worked_example() {
    let text = to_csv(&worked_example_rows(true), ",");
    let (counts, stats) = parse_responses_csv_with(def(), text.as_bytes(), Sphere::Health).unwrap();
    let expected = worked_example(Sphere::Health, true);
    assert_eq!(counts, expected.answers);
    assert_eq!((stats.rows, stats.dropped_inconsistent, stats.encoding, stats.delimiter), (200, 0, "UTF-8", ','));
    let s = score(def(), &ScoreInput { answers: counts, ..expected }, MissingDataPolicy::NoData);
    close(s.total, 84.3);
}

#[test]
fn windows_1251_semicolons() {
    let text = to_csv(&worked_example_rows(false), ";");
    let (bytes, _, unmappable) = encoding_rs::WINDOWS_1251.encode(&text);
    assert!(!unmappable);
    assert!(std::str::from_utf8(&bytes).is_err(), "the fixture must really be Windows-1251");
    let (counts, stats) = parse_responses_csv_with(def(), &bytes, Sphere::Culture).unwrap();
    assert_eq!(counts, worked_example(Sphere::Culture, false).answers);
    assert_eq!((stats.encoding, stats.delimiter), ("windows-1251", ';'));
}

#[test]
fn bom_case_quotes_blanks_and_extra_columns() {
    let text = "\u{feff}Q1;q2;q3;q4;q6;\"Предложения; пожелания\"\r\n\
                да;НЕТ;;;Да;\"Больше скамеек; и воды\"\r\n\
                 Нет ; ;нет;;;\r\n\
                ;;;;;\r\n";
    let (counts, stats) = parse_responses_csv_with(def(), text.as_bytes(), Sphere::Culture).unwrap();
    assert_eq!(counts.get(QuestionId(1)), YesNo { yes: 1, no: 1 });
    assert_eq!(counts.get(QuestionId(2)), YesNo { yes: 0, no: 1 });
    assert_eq!(counts.get(QuestionId(3)), YesNo { yes: 0, no: 1 });
    assert_eq!(counts.get(QuestionId(6)), YesNo { yes: 1, no: 0 });
    assert_eq!((stats.rows, stats.empty_rows, stats.delimiter), (3, 1, ';'));
}

#[test]
fn inconsistent_filtered_answers_are_dropped_and_counted() {
    let text = "q1,q2,q3,q4,q7,q8,q11,q12\n\
                Нет,Да,Да,Да,Нет,Нет,Да,Да\n\
                ,Нет,Да,Нет,,,,\n\
                Да,Да,Нет,Нет,Да,Да,Нет,Да\n";
    let (counts, stats) = parse_responses_csv_with(def(), text.as_bytes(), Sphere::Social).unwrap();
    // Row 2 drops q2 (q1 Нет) and q8 (q7 Нет); row 3 drops q2 (q1 empty); row 4 drops q4 and q12.
    assert_eq!(stats.dropped_inconsistent, 5);
    assert_eq!(stats.rows_with_inconsistency, 3);
    assert_eq!(counts.get(QuestionId(2)), YesNo { yes: 1, no: 0 });
    assert_eq!(counts.get(QuestionId(4)), YesNo { yes: 1, no: 1 });
    assert_eq!(counts.get(QuestionId(8)), YesNo { yes: 1, no: 0 });
    assert_eq!(counts.get(QuestionId(12)), YesNo { yes: 1, no: 0 });
    // What remains is always consistent.
    let input = ScoreInput { sphere: Sphere::Social, checklist: Some(Default::default()), answers: counts };
    nok_methodology::input::validate(def(), &input).unwrap();
}

#[test]
fn errors_name_row_and_column() {
    let e = parse_responses_csv_with(def(), "q1,q2,q3,q4\nДа,Да,,\nДа,Нет,Да,может быть\n".as_bytes(), Sphere::Health)
        .unwrap_err();
    assert_eq!(e.field().as_deref(), Some("row 3, column q4"), "{e}");
    assert!(e.to_string().contains("может быть"), "{e}");

    let e = parse_responses_csv_with(def(), "q1;q5\nДа;Да\n".as_bytes(), Sphere::Culture).unwrap_err();
    assert!(matches!(&e, InputError::CsvCell { row: 2, column, .. } if column == "q5"), "{e}");
    assert!(e.to_string().contains("culture"), "{e}");
    // An empty q5 column is fine in culture.
    parse_responses_csv_with(def(), "q1;q5\nДа;\n".as_bytes(), Sphere::Culture).unwrap();

    let e = parse_responses_csv_with(def(), "name,age\nИван,30\n".as_bytes(), Sphere::Health).unwrap_err();
    assert!(matches!(e, InputError::CsvFile { .. }), "{e}");
    let e = parse_responses_csv_with(def(), "q1,q1\nДа,Да\n".as_bytes(), Sphere::Health).unwrap_err();
    assert!(e.to_string().contains("q1"), "{e}");
    let e = parse_responses_csv_with(def(), "q1,q2\nДа,Да,Нет\n".as_bytes(), Sphere::Health).unwrap_err();
    assert_eq!(e.field().as_deref(), Some("row 2, column #3"), "{e}");
    // Trailing empty cells from spreadsheets are fine.
    parse_responses_csv_with(def(), "q1,q2\nДа,Да,,\n".as_bytes(), Sphere::Health).unwrap();
}
