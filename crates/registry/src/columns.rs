//! The column set of a registry file: English keys, Russian headers as registries write them, which are required,
//! and matching of a file's header row to columns (case- and space-insensitive, Russian or English).
//!
//! Owns names only; turning cell text into values is [`crate::cells`], checking values is [`crate::record`].

use std::collections::HashMap;
use std::sync::OnceLock;

/// One column of the registry file, in the order files are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Column {
    Inn,
    FullName,
    ShortName,
    Ogrn,
    Kpp,
    Address,
    Latitude,
    Longitude,
    Website,
    Email,
    Phone,
    Sphere,
    RegionCode,
    Municipality,
    Authority,
    Population,
    Active,
}

impl Column {
    /// Every column in file order.
    pub const ALL: [Column; 17] = [
        Column::Inn,
        Column::FullName,
        Column::ShortName,
        Column::Ogrn,
        Column::Kpp,
        Column::Address,
        Column::Latitude,
        Column::Longitude,
        Column::Website,
        Column::Email,
        Column::Phone,
        Column::Sphere,
        Column::RegionCode,
        Column::Municipality,
        Column::Authority,
        Column::Population,
        Column::Active,
    ];

    /// The English key, also the JSON field name.
    pub fn key(self) -> &'static str {
        match self {
            Column::Inn => "inn",
            Column::FullName => "full_name",
            Column::ShortName => "short_name",
            Column::Ogrn => "ogrn",
            Column::Kpp => "kpp",
            Column::Address => "address",
            Column::Latitude => "latitude",
            Column::Longitude => "longitude",
            Column::Website => "website",
            Column::Email => "email",
            Column::Phone => "phone",
            Column::Sphere => "sphere",
            Column::RegionCode => "region_code",
            Column::Municipality => "municipality",
            Column::Authority => "authority",
            Column::Population => "population",
            Column::Active => "active",
        }
    }

    /// The Russian header, e.g. «ИНН», «Полное наименование» (from the message catalogue).
    pub fn header(self) -> String {
        nok_i18n::t(&format!("reg-col-{}", self.key().replace('_', "-")))
    }

    /// Whether a file without this column is refused.
    pub fn is_required(self) -> bool {
        matches!(self, Column::Inn | Column::FullName | Column::Sphere | Column::RegionCode)
    }

    /// The column a header cell names, by Russian header or English key, ignoring case, spaces and a trailing `*`.
    pub fn from_header(text: &str) -> Option<Column> {
        static LOOKUP: OnceLock<HashMap<String, Column>> = OnceLock::new();
        let lookup = LOOKUP.get_or_init(|| {
            Column::ALL.iter().flat_map(|&c| [(normalize(c.key()), c), (normalize(&c.header()), c)]).collect()
        });
        lookup.get(&normalize(text)).copied()
    }
}

/// Lower case, no whitespace or underscores, `ё` as `е`, no required-marker `*`.
fn normalize(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_whitespace() && *c != '_' && *c != '*')
        .flat_map(char::to_lowercase)
        .map(|c| if c == 'ё' { 'е' } else { c })
        .collect()
}

/// Where each known column sits in a file's header row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeaderMap {
    positions: [Option<usize>; Column::ALL.len()],
}

/// Why a header row cannot be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HeaderProblem {
    /// No cell names a known column: this is not a registry table.
    NoKnownColumns,
    /// Required columns absent, in file order.
    Missing(Vec<Column>),
    /// The same column appears twice (e.g. «ИНН» and «inn»).
    Duplicate(Column),
}

impl HeaderMap {
    /// Maps a header row; unknown header cells are ignored (a file may carry extra columns).
    pub fn from_headers<'a>(cells: impl IntoIterator<Item = &'a str>) -> Result<HeaderMap, HeaderProblem> {
        let mut positions = [None; Column::ALL.len()];
        let mut known = 0;
        for (i, cell) in cells.into_iter().enumerate() {
            if let Some(column) = Column::from_header(cell) {
                let slot = &mut positions[column as usize];
                if slot.is_some() {
                    return Err(HeaderProblem::Duplicate(column));
                }
                *slot = Some(i);
                known += 1;
            }
        }
        if known == 0 {
            return Err(HeaderProblem::NoKnownColumns);
        }
        let missing: Vec<Column> =
            Column::ALL.into_iter().filter(|c| c.is_required() && positions[*c as usize].is_none()).collect();
        if missing.is_empty() { Ok(HeaderMap { positions }) } else { Err(HeaderProblem::Missing(missing)) }
    }

    /// The index of `column` in the row, if the file has it.
    pub fn position(&self, column: Column) -> Option<usize> {
        self.positions[column as usize]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_are_russian_and_match_both_ways() {
        assert_eq!(Column::Inn.header(), "ИНН");
        assert_eq!(Column::Population.header(), "Число получателей услуг");
        for c in Column::ALL {
            assert!(!c.header().starts_with("reg-"), "{c:?} has no message");
            assert_eq!(Column::from_header(&c.header()), Some(c));
            assert_eq!(Column::from_header(c.key()), Some(c));
            assert_eq!(Column::from_header(&c.header().to_uppercase()), Some(c));
        }
        assert_eq!(Column::from_header("  полное   наименование "), Some(Column::FullName));
        assert_eq!(Column::from_header("Region Code"), Some(Column::RegionCode));
        assert_eq!(Column::from_header("ИНН*"), Some(Column::Inn));
        assert_eq!(Column::from_header("Муниципальное  образование"), Some(Column::Municipality));
        assert_eq!(Column::from_header("municipality"), Some(Column::Municipality));
        assert_eq!(Column::from_header("Комментарий"), None);
    }

    #[test]
    fn header_row_problems() {
        let ok = HeaderMap::from_headers(["Примечание", "инн", "Полное наименование", "Сфера", "Код региона"]).unwrap();
        assert_eq!(ok.position(Column::Inn), Some(1));
        assert_eq!(ok.position(Column::Ogrn), None);
        assert_eq!(
            HeaderMap::from_headers(["ИНН", "Адрес"]),
            Err(HeaderProblem::Missing(vec![Column::FullName, Column::Sphere, Column::RegionCode]))
        );
        assert_eq!(HeaderMap::from_headers(["a", "b"]), Err(HeaderProblem::NoKnownColumns));
        assert_eq!(HeaderMap::from_headers(["ИНН", "inn"]), Err(HeaderProblem::Duplicate(Column::Inn)));
    }
}
