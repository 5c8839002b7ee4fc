//! The responses CSV: encoding (UTF-8 or Windows-1251) and delimiter (`,` or `;`) detection, the
//! q1…q15 columns with Да/Нет/empty, and per-row normalisation (§4) into answer counts.

use super::{CsvStats, InputError};
use crate::answers::{AnswerCounts, AnswerMask, QuestionId};
use crate::definition::Definition;
use crate::questionnaire::apply_filters;
use crate::sphere::Sphere;
use std::borrow::Cow;

pub(super) fn parse(def: &Definition, bytes: &[u8], sphere: Sphere) -> Result<(AnswerCounts, CsvStats), InputError> {
    let (text, encoding) = decode(bytes);
    let delimiter = detect_delimiter(&text);
    let mut stats = CsvStats { encoding, delimiter: char::from(delimiter), ..CsvStats::default() };
    let mut reader = ::csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(true)
        .flexible(true)
        .trim(::csv::Trim::All)
        .from_reader(text.as_bytes());

    let headers =
        reader.headers().map_err(|e| InputError::CsvFile { reason: format!("cannot read the header: {e}") })?;
    let width = headers.len();
    let mut columns: Vec<(usize, QuestionId)> = Vec::new();
    for (i, name) in headers.iter().enumerate() {
        let name = name.trim_start_matches('\u{feff}').trim().to_lowercase();
        let Ok(q) = name.parse::<QuestionId>() else {
            continue;
        };
        if columns.iter().any(|&(_, c)| c == q) {
            return Err(InputError::CsvFile { reason: format!("column {q} appears twice in the header") });
        }
        columns.push((i, q));
    }
    if columns.is_empty() {
        return Err(InputError::CsvFile {
            reason: "the header has no question columns q1 … q15 (one row per respondent is expected)".to_owned(),
        });
    }

    let mut counts = AnswerCounts::new();
    let mut record = ::csv::StringRecord::new();
    loop {
        match reader.read_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                return Err(InputError::CsvFile { reason: e.to_string() });
            }
        }
        let row = record.position().map_or(stats.rows + 2, |p| p.line());
        if let Some(extra) = (width..record.len()).find(|&i| !record[i].is_empty()) {
            return Err(InputError::CsvCell {
                row,
                column: format!("#{}", extra + 1),
                reason: format!("the row has more cells than the header ({width})"),
            });
        }
        let mut mask = AnswerMask::EMPTY;
        for &(i, q) in &columns {
            let cell = record.get(i).unwrap_or("");
            let answer = match cell.to_lowercase().as_str() {
                "" => continue,
                "да" => true,
                "нет" => false,
                _ => {
                    return Err(InputError::CsvCell {
                        row,
                        column: q.to_string(),
                        reason: format!("expected Да, Нет or an empty cell, found {cell:?}"),
                    });
                }
            };
            if !def.asks(sphere, q) {
                return Err(InputError::CsvCell {
                    row,
                    column: q.to_string(),
                    reason: format!("question {q} is not asked in the sphere {sphere}; leave the cell empty"),
                });
            }
            mask.set(q, answer);
        }
        stats.rows += 1;
        if mask.asked == 0 {
            stats.empty_rows += 1;
        }
        let mut dropped = 0;
        let mask = apply_filters(def, sphere, mask, |_| dropped += 1);
        if dropped > 0 {
            stats.dropped_inconsistent += dropped;
            stats.rows_with_inconsistency += 1;
        }
        counts.add_mask(mask);
    }
    Ok((counts, stats))
}

/// UTF-8 (with or without BOM) when the bytes are valid UTF-8, else Windows-1251.
fn decode(bytes: &[u8]) -> (Cow<'_, str>, &'static str) {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(s) => (Cow::Borrowed(s), "UTF-8"),
        Err(_) => (encoding_rs::WINDOWS_1251.decode_without_bom_handling(bytes).0, "windows-1251"),
    }
}

/// `;` when the header line has more semicolons than commas, else `,`.
fn detect_delimiter(text: &str) -> u8 {
    let header = text.lines().next().unwrap_or("");
    let semicolons = header.matches(';').count();
    let commas = header.matches(',').count();
    if semicolons > commas { b';' } else { b',' }
}
