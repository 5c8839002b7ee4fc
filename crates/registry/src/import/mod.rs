//! Reading a registry file (CSV or XLSX) as a stream of checked records, each with its per-row errors.
//!
//! Owns file-level problems (kind, encoding, header) and the checks that need more than one row (duplicate ИНН).
//! Memory stays bounded for CSV whatever the file size: one row is held at a time, plus the ИНН seen so far.
//! It never writes anywhere: whether to import when some rows fail is the caller's decision.

mod csv;
mod decode;
mod detect;
mod row;
mod xlsx;

pub use detect::FileKind;

use crate::columns::{Column, HeaderMap, HeaderProblem};
use crate::ids;
use crate::record::{OrganizationRecord, Problem};
use nok_i18n::t;
use row::RowSource;
use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::io::{Read, Seek};

/// One reason a data row was not accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    /// Row number as a spreadsheet shows it; the header is row 1 unless title rows stand above it.
    pub row: usize,
    /// Russian header of the column, empty when the whole row is concerned.
    pub column: String,
    /// The cell text as read.
    pub value: String,
    /// Russian reason.
    pub reason: String,
}

impl std::fmt::Display for RowError {
    /// «Строка 12, столбец «ИНН»: не сходится контрольная цифра…» (Russian, for reports and the CLI).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let text = if self.column.is_empty() {
            t!("reg-row-error-whole-row", row = self.row, reason = self.reason.as_str())
        } else {
            t!(
                "reg-row-error",
                row = self.row,
                column = self.column.as_str(),
                value = self.value.as_str(),
                reason = self.reason.as_str()
            )
        };
        f.write_str(&text)
    }
}

impl RowError {
    fn new(row: usize, column: Column, value: &str, problem: &Problem) -> RowError {
        RowError { row, column: column.header(), value: value.to_owned(), reason: problem.user_message() }
    }

    fn unreadable(row: usize, details: &str) -> RowError {
        RowError { row, column: String::new(), value: details.to_owned(), reason: t!("reg-err-read") }
    }
}

/// Why a whole file cannot be read. `Display` is for logs; [`ImportError::user_message`] is the Russian text.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("the file is empty")]
    Empty,
    #[error("the file is not a text CSV")]
    NotText,
    #[error("the file is not an XLSX workbook")]
    NotXlsx,
    #[error("legacy XLS (OLE) workbooks are not supported")]
    LegacyXls,
    #[error("no header row with known columns in the first rows")]
    NotATable,
    #[error("missing required columns: {}", keys(.0))]
    MissingColumns(Vec<Column>),
    #[error("column {} appears twice in the header", .0.key())]
    DuplicateColumn(Column),
    #[error("the workbook has no worksheet")]
    NoWorksheet,
    #[error("cannot read the workbook: {0}")]
    Xlsx(#[source] calamine::XlsxError),
    #[error("cannot read the file: {0}")]
    Io(#[from] std::io::Error),
}

fn keys(columns: &[Column]) -> String {
    columns.iter().map(|c| c.key()).collect::<Vec<_>>().join(", ")
}

/// «ИНН», «Сфера»
fn quoted_headers(columns: impl IntoIterator<Item = Column>) -> String {
    columns.into_iter().map(|c| format!("«{}»", c.header())).collect::<Vec<_>>().join(", ")
}

impl ImportError {
    /// The reason in Russian, saying what to do.
    pub fn user_message(&self) -> String {
        match self {
            ImportError::Empty => t!("reg-import-empty"),
            ImportError::NotText => t!("reg-import-not-text"),
            ImportError::NotXlsx => t!("reg-import-not-xlsx"),
            ImportError::LegacyXls => t!("reg-import-legacy-xls"),
            ImportError::NotATable => t!(
                "reg-import-not-a-table",
                columns = quoted_headers(Column::ALL.into_iter().filter(|c| c.is_required()))
            ),
            ImportError::MissingColumns(columns) => {
                t!("reg-import-missing-columns", n = columns.len(), columns = quoted_headers(columns.iter().copied()))
            }
            ImportError::DuplicateColumn(column) => {
                t!("reg-import-duplicate-column", column = column.header())
            }
            ImportError::NoWorksheet => t!("reg-import-no-sheet"),
            ImportError::Xlsx(_) => t!("reg-import-xlsx"),
            ImportError::Io(_) => t!("reg-import-io"),
        }
    }
}

/// Rows above the header that may hold a title.
const HEADER_SEARCH_ROWS: usize = 10;

/// Opens a registry file. `kind_hint` (usually from the file name) only matters when the content is neither a
/// workbook nor text, to word the error. The iterator yields one item per non-blank data row (none for a file
/// with a header only); it is `Send`, so it can be driven on a blocking thread.
pub fn read_organizations<'a, R: Read + Seek + Send + 'a>(
    mut reader: R,
    kind_hint: Option<FileKind>,
) -> Result<RowIter<'a>, ImportError> {
    let (kind, head) = detect::detect(&mut reader, kind_hint)?;
    let source: Box<dyn RowSource + Send + 'a> = match kind {
        FileKind::Csv => Box::new(csv::CsvSource::open(reader, &head)?),
        FileKind::Xlsx => Box::new(xlsx::XlsxSource::open(reader)?),
    };
    RowIter::new(source, kind)
}

/// The data rows of a registry file, read lazily.
pub struct RowIter<'a> {
    source: Box<dyn RowSource + Send + 'a>,
    kind: FileKind,
    header: HeaderMap,
    header_row: usize,
    /// ИНН (as a number) → the row it first appeared in.
    seen_inns: HashMap<u64, usize>,
    finished: bool,
    /// The row number of the last row returned.
    current_row: usize,
}

impl<'a> RowIter<'a> {
    fn new(mut source: Box<dyn RowSource + Send + 'a>, kind: FileKind) -> Result<RowIter<'a>, ImportError> {
        let mut non_blank = 0;
        let (header, header_row) = loop {
            let (row, cells) = match source.next_row() {
                None if non_blank == 0 => return Err(ImportError::Empty),
                None => return Err(ImportError::NotATable),
                Some(Err(e)) => return Err(ImportError::Io(std::io::Error::other(e.value))),
                Some(Ok(r)) => r,
            };
            if cells.is_blank() {
                continue;
            }
            non_blank += 1;
            match HeaderMap::from_headers((0..cells.width()).map(|i| cells.text(i))) {
                Ok(header) => break (header, row),
                Err(HeaderProblem::NoKnownColumns) if non_blank < HEADER_SEARCH_ROWS => continue,
                Err(HeaderProblem::NoKnownColumns) => return Err(ImportError::NotATable),
                Err(HeaderProblem::Missing(columns)) => {
                    return Err(ImportError::MissingColumns(columns));
                }
                Err(HeaderProblem::Duplicate(column)) => {
                    return Err(ImportError::DuplicateColumn(column));
                }
            }
        };
        Ok(RowIter {
            source,
            kind,
            header,
            header_row,
            seen_inns: HashMap::new(),
            finished: false,
            current_row: header_row,
        })
    }

    /// What the content turned out to be.
    pub fn kind(&self) -> FileKind {
        self.kind
    }

    /// The row number of the header (1 unless title rows stand above it).
    pub fn header_row(&self) -> usize {
        self.header_row
    }

    /// The rows paired with their row numbers as a spreadsheet shows them.
    pub fn numbered(mut self) -> impl Iterator<Item = (usize, <Self as Iterator>::Item)> + Send + 'a {
        std::iter::from_fn(move || {
            let item = self.next()?;
            Some((self.current_row, item))
        })
    }

    /// Whether the file has this column (absent optional columns take their defaults).
    pub fn has_column(&self, column: Column) -> bool {
        self.header.position(column).is_some()
    }
}

impl Iterator for RowIter<'_> {
    type Item = Result<OrganizationRecord, Vec<RowError>>;

    fn next(&mut self) -> Option<Self::Item> {
        while !self.finished {
            let (row, cells) = match self.source.next_row() {
                None => break,
                Some(Err(e)) => {
                    self.finished = true;
                    return Some(Err(vec![e]));
                }
                Some(Ok(r)) => r,
            };
            if cells.is_blank() {
                continue;
            }
            self.current_row = row;
            let mut result = row::parse(&self.header, cells, row);
            let inn_key = match &result {
                Ok(record) => inn_key(&record.inn),
                Err(_) => inn_key(&row::id_text(&self.header, cells, Column::Inn, 10)),
            };
            if let Some(first_row) = inn_key.and_then(|key| first_occurrence(&mut self.seen_inns, key, row)) {
                let inn = format!("{:010}", inn_key.unwrap_or_default());
                let error = RowError::new(row, Column::Inn, &inn, &Problem::DuplicateInn { first_row });
                match &mut result {
                    Ok(_) => result = Err(vec![error]),
                    Err(errors) => errors.insert(0, error),
                }
            }
            return Some(result);
        }
        self.finished = true;
        None
    }
}

/// A valid ИНН as a number (10 digits fit a `u64` and keep the seen-set small).
fn inn_key(inn: &str) -> Option<u64> {
    ids::validate_inn(inn).ok().and_then(|()| inn.parse().ok())
}

/// Remembers an ИНН and returns the row where it was first seen if this is a repeat.
fn first_occurrence(seen: &mut HashMap<u64, usize>, inn: u64, row: usize) -> Option<usize> {
    match seen.entry(inn) {
        Entry::Occupied(first) => Some(*first.get()),
        Entry::Vacant(slot) => {
            slot.insert(row);
            None
        }
    }
}
