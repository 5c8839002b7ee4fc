//! UI formatting: comma decimals, thin-space thousands, dates as ДД.ММ.ГГГГ.

use time::{Date, OffsetDateTime, macros::format_description};

/// `84.3` → `84,30` (two decimals by default, as the methodology asks for display).
pub fn format_decimal(value: f64, decimals: usize) -> String {
    format!("{value:.decimals$}").replace('.', ",")
}

/// `12345` → `12 345` (a no-break space groups thousands, as Russian typography does).
pub fn format_int(value: i64) -> String {
    let digits = value.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('\u{a0}');
        }
        out.push(ch);
    }
    if value < 0 { format!("-{out}") } else { out }
}

/// `2026-11-23` → `23.11.2026`.
pub fn format_date(date: Date) -> String {
    date.format(format_description!("[day].[month].[year]")).expect("date formats")
}

/// `23.11.2026 14:05` in UTC+3 (Moscow time, how Russian users read times by default).
pub fn format_datetime(at: OffsetDateTime) -> String {
    let msk = at.to_offset(time::UtcOffset::from_hms(3, 0, 0).expect("valid offset"));
    msk.format(format_description!("[day].[month].[year] [hour]:[minute]")).expect("datetime formats")
}

/// Parses `ДД.ММ.ГГГГ` or ISO `ГГГГ-ММ-ДД`.
pub fn parse_date(text: &str) -> Option<Date> {
    let text = text.trim();
    Date::parse(text, format_description!("[day].[month].[year]"))
        .or_else(|_| Date::parse(text, format_description!("[year]-[month]-[day]")))
        .ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn decimals_use_comma() {
        assert_eq!(format_decimal(84.3, 2), "84,30");
        assert_eq!(format_decimal(100.0, 0), "100");
    }

    #[test]
    fn thousands_grouped() {
        assert_eq!(format_int(1234567), "1\u{a0}234\u{a0}567");
        assert_eq!(format_int(600), "600");
    }

    #[test]
    fn dates_round_trip() {
        assert_eq!(format_date(date!(2026 - 11 - 03)), "03.11.2026");
        assert_eq!(parse_date("03.11.2026"), Some(date!(2026 - 11 - 03)));
        assert_eq!(parse_date("2026-11-03"), Some(date!(2026 - 11 - 03)));
        assert_eq!(parse_date("31.02.2026"), None);
    }
}
