//! XLSX workbooks: the first visible worksheet, read through calamine, cells turned into text as a person sees them
//! (whole numbers without `.0`), with a note of which cells were numbers (Excel drops leading zeros of those).
//!
//! calamine holds the worksheet's cells in memory (the file itself is compressed); records are still produced one
//! at a time.

use super::row::{RawRow, RowSource};
use super::{ImportError, RowError};
use calamine::{Data, Range, Reader, SheetType, SheetVisible, Xlsx};
use std::io::{Read, Seek};

pub(super) struct XlsxSource {
    range: Range<Data>,
    /// Sheet row number (1-based) of the range's first row.
    first_row: usize,
    next: usize,
    row: XlsxRow,
}

#[derive(Default)]
struct XlsxRow {
    texts: Vec<String>,
    numeric: Vec<bool>,
}

impl XlsxSource {
    pub(super) fn open<R: Read + Seek>(reader: R) -> Result<Self, ImportError> {
        let mut book = Xlsx::new(reader).map_err(ImportError::Xlsx)?;
        let sheets = book.sheets_metadata();
        let sheet = sheets
            .iter()
            .find(|s| s.typ == SheetType::WorkSheet && s.visible == SheetVisible::Visible)
            .or_else(|| sheets.first())
            .ok_or(ImportError::NoWorksheet)?
            .name
            .clone();
        let range = book.worksheet_range(&sheet).map_err(ImportError::Xlsx)?;
        let first_row = range.start().map_or(1, |(row, _)| row as usize + 1);
        Ok(XlsxSource { range, first_row, next: 0, row: XlsxRow::default() })
    }
}

impl RowSource for XlsxSource {
    fn next_row(&mut self) -> Option<Result<(usize, &dyn RawRow), RowError>> {
        if self.next >= self.range.height() {
            return None;
        }
        let r = self.next;
        self.next += 1;
        self.row.texts.clear();
        self.row.numeric.clear();
        for c in 0..self.range.width() {
            let cell = self.range.get((r, c)).unwrap_or(&Data::Empty);
            self.row.texts.push(cell_text(cell));
            self.row.numeric.push(matches!(cell, Data::Int(_) | Data::Float(_)));
        }
        Some(Ok((self.first_row + r, &self.row)))
    }
}

impl RawRow for XlsxRow {
    fn width(&self) -> usize {
        self.texts.len()
    }

    fn text(&self, i: usize) -> &str {
        self.texts.get(i).map_or("", |s| s.trim())
    }

    fn is_number(&self, i: usize) -> bool {
        self.numeric.get(i).copied().unwrap_or(false)
    }
}

/// Largest magnitude below which every whole `f64` is exact.
const EXACT_WHOLE: f64 = 9_007_199_254_740_992.0;

fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < EXACT_WHOLE => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Int(i) => i.to_string(),
        Data::Bool(b) => b.to_string(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_as_people_see_them() {
        assert_eq!(cell_text(&Data::Float(7707083893.0)), "7707083893");
        assert_eq!(cell_text(&Data::Float(57.6261)), "57.6261");
        assert_eq!(cell_text(&Data::Float(-0.0)), "0");
        assert_eq!(cell_text(&Data::Int(76)), "76");
        assert_eq!(cell_text(&Data::Bool(true)), "true");
        assert_eq!(cell_text(&Data::Empty), "");
    }
}
