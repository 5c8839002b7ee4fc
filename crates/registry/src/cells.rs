//! Cell text ↔ typed values, shared by import and export so that a written file reads back identically:
//! sphere, yes/no, coordinates (decimal comma accepted), population, and CSV formula-injection escaping.
//!
//! Owns syntax only. Whether a value is acceptable (ranges, checksums) is [`crate::record`]'s job.

use crate::Sphere;
use crate::columns::Column;
use crate::record::OrganizationRecord;
use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::OnceLock;

/// The sphere named by a code (`health`) or a Russian name («Охрана здоровья», «здравоохранение», «МСЭ»),
/// ignoring case and extra spaces.
pub fn parse_sphere(text: &str) -> Option<Sphere> {
    static NAMES: OnceLock<HashMap<String, Sphere>> = OnceLock::new();
    let names = NAMES.get_or_init(|| {
        const ALIASES: [(&str, Sphere); 6] = [
            ("сфера культуры", Sphere::Culture),
            ("здравоохранение", Sphere::Health),
            ("социальная защита", Sphere::Social),
            ("социальное обслуживание населения", Sphere::Social),
            ("мсэ", Sphere::Mse),
            ("медико-социальная экспертиза", Sphere::Mse),
        ];
        let own = Sphere::ALL.iter().flat_map(|&s| [(fold(s.code()), s), (fold(s.name_ru()), s)]);
        own.chain(ALIASES.iter().map(|&(name, s)| (fold(name), s))).collect()
    });
    // Files written by this crate use the exact Russian name: no folding needed.
    if let Some(&s) = Sphere::ALL.iter().find(|s| s.name_ru() == text || s.code() == text) {
        return Some(s);
    }
    names.get(&fold(text)).copied()
}

/// Lower case, `ё` as `е`, inner whitespace collapsed to one space.
fn fold(text: &str) -> String {
    let lower: String = text.chars().flat_map(char::to_lowercase).map(|c| if c == 'ё' { 'е' } else { c }).collect();
    lower.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `Да`/`Нет`, `true`/`false`, `1`/`0` (also `yes`/`no`), any case.
pub fn parse_bool(text: &str) -> Option<bool> {
    match text {
        "Да" | "1" | "true" => return Some(true),
        "Нет" | "0" | "false" => return Some(false),
        _ => {}
    }
    match fold(text).as_str() {
        "да" | "true" | "1" | "yes" | "истина" => Some(true),
        "нет" | "false" | "0" | "no" | "ложь" => Some(false),
        _ => None,
    }
}

/// «Да» or «Нет», as files are written.
pub fn format_bool(value: bool) -> &'static str {
    static WORDS: OnceLock<(String, String)> = OnceLock::new();
    let (yes, no) = WORDS.get_or_init(|| (nok_i18n::t("reg-yes"), nok_i18n::t("reg-no")));
    if value { yes } else { no }
}

/// A decimal number with a point or a comma (`57,6261`); infinities and NaN are refused.
pub fn parse_decimal(text: &str) -> Option<f64> {
    let text = text.trim();
    if !text.bytes().all(|b| b.is_ascii_digit() || matches!(b, b'.' | b',' | b'-' | b'+' | b'e' | b'E')) {
        return None;
    }
    text.replacen(',', ".", 1).parse::<f64>().ok().filter(|v| v.is_finite())
}

/// The shortest text that reads back as exactly `value`, with a decimal comma (what Russian Excel expects).
pub fn format_decimal_comma(value: f64) -> String {
    value.to_string().replace('.', ",")
}

/// A non-negative whole number; spaces (also no-break) between digit groups are allowed: `12 500`.
pub fn parse_count(text: &str) -> Option<u32> {
    let digits: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

/// Cells beginning with one of these are run as formulas by spreadsheet programs (CSV injection).
fn starts_like_formula(text: &str) -> bool {
    match text.as_bytes().first() {
        Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r') => true,
        Some(b'\'') => starts_like_formula(&text[1..]),
        _ => false,
    }
}

/// Prefixes an apostrophe to text a spreadsheet would take for a formula (`=HYPERLINK(…)`, `+7 4852 …`).
pub fn escape_formula(text: &str) -> Cow<'_, str> {
    if starts_like_formula(text) { Cow::Owned(format!("'{text}")) } else { Cow::Borrowed(text) }
}

/// Undoes [`escape_formula`]: drops exactly the apostrophe it added.
pub fn unescape_formula(text: &str) -> &str {
    match text.strip_prefix('\'') {
        Some(rest) if starts_like_formula(rest) => rest,
        _ => text,
    }
}

/// One output cell of a record.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum CellValue<'a> {
    Empty,
    Text(Cow<'a, str>),
    Decimal(f64),
    Count(u32),
}

/// The record's cells in [`Column::ALL`] order, as every writer puts them.
pub(crate) fn record_cells(rec: &OrganizationRecord) -> [CellValue<'_>; Column::ALL.len()] {
    fn text(s: &str) -> CellValue<'_> {
        if s.is_empty() { CellValue::Empty } else { CellValue::Text(Cow::Borrowed(s)) }
    }
    fn opt(s: &Option<String>) -> CellValue<'_> {
        s.as_deref().map_or(CellValue::Empty, text)
    }
    fn dec(v: Option<f64>) -> CellValue<'static> {
        v.map_or(CellValue::Empty, CellValue::Decimal)
    }
    Column::ALL.map(|column| match column {
        Column::Inn => text(&rec.inn),
        Column::FullName => text(&rec.full_name),
        Column::ShortName => text(&rec.short_name),
        Column::Ogrn => opt(&rec.ogrn),
        Column::Kpp => opt(&rec.kpp),
        Column::Address => text(&rec.address),
        Column::Latitude => dec(rec.latitude),
        Column::Longitude => dec(rec.longitude),
        Column::Website => opt(&rec.website),
        Column::Email => opt(&rec.email),
        Column::Phone => opt(&rec.phone),
        Column::Sphere => CellValue::Text(Cow::Borrowed(rec.sphere.name_ru())),
        Column::RegionCode => text(&rec.region_code),
        Column::Municipality => opt(&rec.municipality),
        Column::Authority => opt(&rec.authority),
        Column::Population => CellValue::Count(rec.population),
        Column::Active => CellValue::Text(Cow::Borrowed(format_bool(rec.active))),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spheres_by_code_and_russian_name() {
        for s in Sphere::ALL {
            assert_eq!(parse_sphere(s.code()), Some(s));
            assert_eq!(parse_sphere(s.name_ru()), Some(s));
            assert_eq!(parse_sphere(&s.name_ru().to_uppercase()), Some(s));
        }
        assert_eq!(parse_sphere("  Здравоохранение "), Some(Sphere::Health));
        assert_eq!(parse_sphere("МСЭ"), Some(Sphere::Mse));
        assert_eq!(parse_sphere("социальное   обслуживание"), Some(Sphere::Social));
        assert_eq!(parse_sphere("спорт"), None);
        assert_eq!(parse_sphere(""), None);
    }

    #[test]
    fn booleans() {
        for t in ["Да", "да", "TRUE", "1", "yes"] {
            assert_eq!(parse_bool(t), Some(true), "{t}");
        }
        for f in ["Нет", "нет", "false", "0"] {
            assert_eq!(parse_bool(f), Some(false), "{f}");
        }
        assert_eq!(parse_bool("может быть"), None);
        assert_eq!(parse_bool(format_bool(true)), Some(true));
        assert_eq!(parse_bool(format_bool(false)), Some(false));
    }

    #[test]
    fn decimals_with_comma_round_trip() {
        assert_eq!(parse_decimal("57,6261"), Some(57.6261));
        assert_eq!(parse_decimal("-39.5"), Some(-39.5));
        assert_eq!(parse_decimal("57,6,2"), None);
        assert_eq!(parse_decimal("inf"), None);
        assert_eq!(parse_decimal("NaN"), None);
        assert_eq!(parse_decimal("1e400"), None);
        assert_eq!(parse_decimal("57 град."), None);
        for v in [57.626_123_456_789_01, -0.000_001, 180.0, 1e-7] {
            assert_eq!(parse_decimal(&format_decimal_comma(v)), Some(v));
        }
    }

    #[test]
    fn counts() {
        assert_eq!(parse_count("12 500"), Some(12_500));
        assert_eq!(parse_count("12\u{a0}500"), Some(12_500));
        assert_eq!(parse_count("-5"), None);
        assert_eq!(parse_count("5,5"), None);
        assert_eq!(parse_count("99999999999"), None);
    }

    #[test]
    fn formula_escaping_round_trips() {
        for s in ["=1+1", "+7 4852 30-12-45", "-", "@SUM(A1)", "'=x", "''+", "plain", "'quoted'", "", "'"] {
            let escaped = escape_formula(s);
            assert!(!escaped.starts_with(['=', '+', '-', '@']), "{escaped}");
            assert_eq!(unescape_formula(&escaped), s);
        }
        assert_eq!(escape_formula("+7 4852"), "'+7 4852");
        assert_eq!(unescape_formula("'plain"), "'plain");
    }
}
