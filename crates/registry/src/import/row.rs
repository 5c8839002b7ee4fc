//! One data row → an [`OrganizationRecord`] or every reason it cannot be one.
//!
//! Reads cell text into typed values (through [`crate::cells`]) and then asks [`OrganizationRecord::validate`];
//! it adds no rules of its own beyond "this text is not a number/sphere/yes-no".

use super::RowError;
use crate::Sphere;
use crate::cells;
use crate::columns::{Column, HeaderMap};
use crate::record::{OrganizationRecord, Problem};
use crate::regions;

/// The cells of one row as text (trimmed), whatever the file format.
pub(crate) trait RawRow {
    fn width(&self) -> usize;
    fn text(&self, i: usize) -> &str;
    /// The cell held a number (XLSX), so leading zeros may have been lost.
    fn is_number(&self, i: usize) -> bool;

    /// The cell holds U+FFFD, the mark of bytes the decoder could not read.
    fn undecodable(&self, i: usize) -> bool {
        self.text(i).contains(char::REPLACEMENT_CHARACTER)
    }

    fn is_blank(&self) -> bool {
        (0..self.width()).all(|i| self.text(i).is_empty())
    }
}

/// A file read row by row: the sheet row number (1-based, header included) and the cells.
pub(crate) trait RowSource {
    fn next_row(&mut self) -> Option<Result<(usize, &dyn RawRow), RowError>>;
}

struct RowParser<'a> {
    header: &'a HeaderMap,
    cells: &'a dyn RawRow,
    problems: Vec<(Column, Problem)>,
    /// Columns whose value was derived from another column: their errors are that column's errors.
    derived: Option<Column>,
}

impl<'a> RowParser<'a> {
    fn raw(&self, column: Column) -> &'a str {
        self.header.position(column).map_or("", |i| self.cells.text(i))
    }

    fn problem(&mut self, column: Column, problem: Problem) {
        self.problems.push((column, problem));
    }

    /// The cell text, flagged when the decoder could not read some of its bytes.
    fn text(&mut self, column: Column) -> &'a str {
        let Some(i) = self.header.position(column) else {
            return "";
        };
        if self.cells.undecodable(i) {
            self.problem(column, Problem::Undecodable);
        }
        self.cells.text(i)
    }

    fn optional(&mut self, column: Column) -> Option<String> {
        Some(self.text(column)).filter(|t| !t.is_empty()).map(str::to_owned)
    }

    fn id(&mut self, column: Column, len: usize) -> String {
        self.text(column);
        id_text(self.header, self.cells, column, len)
    }

    fn parsed<T>(&mut self, column: Column, parse: impl Fn(&str) -> Option<T>, problem: Problem) -> Option<T> {
        let text = self.text(column);
        if text.is_empty() {
            return None;
        }
        let value = parse(text);
        if value.is_none() {
            self.problem(column, problem);
        }
        value
    }
}

/// ИНН/КПП typed into Excel as a number lose their leading zeros: this puts them back.
pub(crate) fn id_text(header: &HeaderMap, cells: &dyn RawRow, column: Column, len: usize) -> String {
    let Some(i) = header.position(column) else {
        return String::new();
    };
    let text = cells.text(i);
    if cells.is_number(i) && text.len() < len && text.bytes().all(|b| b.is_ascii_digit()) {
        format!("{text:0>len$}")
    } else {
        text.to_owned()
    }
}

/// Parses and checks one data row numbered `row`.
pub(crate) fn parse(header: &HeaderMap, cells: &dyn RawRow, row: usize) -> Result<OrganizationRecord, Vec<RowError>> {
    let mut p = RowParser { header, cells, problems: Vec::new(), derived: None };
    let full_name = p.text(Column::FullName).to_owned();
    let short_name = match p.text(Column::ShortName) {
        "" => {
            p.derived = Some(Column::ShortName);
            full_name.clone()
        }
        s => s.to_owned(),
    };
    let sphere = p.parsed(Column::Sphere, cells::parse_sphere, Problem::UnknownSphere);
    let region_text = p.text(Column::RegionCode);
    let record = OrganizationRecord {
        inn: p.id(Column::Inn, 10),
        full_name,
        short_name,
        ogrn: p.optional(Column::Ogrn),
        kpp: Some(p.id(Column::Kpp, 9)).filter(|k| !k.is_empty()),
        address: p.text(Column::Address).to_owned(),
        latitude: p.parsed(Column::Latitude, cells::parse_decimal, Problem::NotNumber),
        longitude: p.parsed(Column::Longitude, cells::parse_decimal, Problem::NotNumber),
        website: p.optional(Column::Website),
        email: p.optional(Column::Email),
        phone: p.optional(Column::Phone),
        sphere: sphere.unwrap_or(Sphere::ALL[0]),
        region_code: regions::by_code(region_text).map_or_else(|| region_text.to_owned(), |r| r.code.to_owned()),
        municipality: p.optional(Column::Municipality),
        authority: p.optional(Column::Authority),
        population: p.parsed(Column::Population, cells::parse_count, Problem::NotCount).unwrap_or(0),
        active: p.parsed(Column::Active, cells::parse_bool, Problem::NotYesNo).unwrap_or(true),
    };
    if sphere.is_none() && p.raw(Column::Sphere).is_empty() {
        p.problem(Column::Sphere, Problem::Required);
    }
    for e in record.validate() {
        let already = p.problems.iter().any(|(c, _)| *c == e.field) || p.derived == Some(e.field);
        if !already {
            p.problem(e.field, e.problem);
        }
    }
    if p.problems.is_empty() {
        return Ok(record);
    }
    p.problems.sort_by_key(|(c, _)| *c);
    Err(p.problems.iter().map(|(column, problem)| RowError::new(row, *column, p.raw(*column), problem)).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids;

    struct Cells(Vec<String>, Vec<bool>);
    impl RawRow for Cells {
        fn width(&self) -> usize {
            self.0.len()
        }
        fn text(&self, i: usize) -> &str {
            self.0.get(i).map_or("", |s| s.trim())
        }
        fn is_number(&self, i: usize) -> bool {
            self.1.get(i).copied().unwrap_or(false)
        }
    }

    fn header(names: &[&str]) -> HeaderMap {
        HeaderMap::from_headers(names.iter().copied()).unwrap()
    }

    fn row(values: &[&str]) -> Cells {
        Cells(values.iter().map(|s| s.to_string()).collect(), vec![])
    }

    const MINIMAL: [&str; 4] = ["ИНН", "Полное наименование", "Сфера", "Код региона"];

    #[test]
    fn minimal_row_gets_defaults() {
        let inn = ids::make_inn(7);
        let rec = parse(&header(&MINIMAL), &row(&[&inn, " Школа № 1 ", "образование", "7"]), 2).unwrap();
        assert_eq!(rec.short_name, "Школа № 1");
        assert_eq!(rec.region_code, "07");
        assert!(rec.active);
        assert_eq!(rec.population, 0);
        assert_eq!((rec.ogrn, rec.kpp, rec.website), (None, None, None));
    }

    #[test]
    fn every_problem_of_a_row_is_reported_once_with_its_column() {
        let h = header(&["ИНН", "Полное наименование", "Сфера", "Код региона", "Широта", "Долгота", "Активна"]);
        let errors = parse(&h, &row(&["7707083894", "", "спорт", "88", "57,6", "сорок", "может"]), 9).unwrap_err();
        let got: Vec<_> = errors.iter().map(|e| (e.row, e.column.as_str(), e.value.as_str())).collect();
        assert_eq!(
            got,
            vec![
                (9, "ИНН", "7707083894"),
                (9, "Полное наименование", ""),
                (9, "Долгота", "сорок"),
                (9, "Сфера", "спорт"),
                (9, "Код региона", "88"),
                (9, "Активна", "может"),
            ]
        );
        assert!(errors[0].reason.contains("контрольная цифра"), "{}", errors[0].reason);
    }

    #[test]
    fn numeric_ids_get_their_leading_zero_back() {
        let inn = ids::inn_with_check_digit("027400001");
        let cells = Cells(
            vec![inn[1..].to_string(), "Школа".into(), "образование".into(), "2".into(), "27401001".into()],
            vec![true, false, false, true, true],
        );
        let rec = parse(&header(&["ИНН", "Полное наименование", "Сфера", "Код региона", "КПП"]), &cells, 2).unwrap();
        assert_eq!(rec.inn, inn);
        assert_eq!(rec.kpp.as_deref(), Some("027401001"));
        let as_text = row(&[&inn[1..], "Школа", "образование", "2"]);
        assert!(parse(&header(&MINIMAL), &as_text, 2).is_err(), "text cells are taken as written");
    }

    #[test]
    fn undecodable_text_is_reported() {
        let errors =
            parse(&header(&MINIMAL), &row(&[&ids::make_inn(1), "Шк\u{FFFD}ла", "образование", "76"]), 3).unwrap_err();
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].column, "Полное наименование");
    }
}
