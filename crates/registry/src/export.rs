//! Writing records as files people open in Excel and machines read: CSV (UTF-8 with BOM, `;`, Russian headers),
//! XLSX (bold frozen header, sized columns, numbers as numbers) and JSON (an array of records).
//!
//! Every writer streams: records are written as the iterator yields them. Whatever is written here reads back
//! identically through [`crate::import::read_organizations`] (CSV, XLSX) or serde (JSON).

use crate::cells::{CellValue, escape_formula, format_decimal_comma, record_cells};
use crate::columns::Column;
use crate::record::OrganizationRecord;
use rust_xlsxwriter::{Format, Workbook, XlsxError};
use std::io::{Seek, Write};
use std::path::Path;

/// Why an export failed.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("write failed: {0}")]
    Io(#[from] std::io::Error),
    #[error("CSV write failed: {0}")]
    Csv(#[from] csv::Error),
    #[error("XLSX write failed: {0}")]
    Xlsx(#[from] XlsxError),
    #[error("JSON write failed: {0}")]
    Json(#[from] serde_json::Error),
}

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// CSV for Excel: UTF-8 with BOM, `;` between cells, Russian headers, decimal commas, formula-like text escaped.
pub fn write_csv<'r, W: Write>(
    mut w: W,
    records: impl IntoIterator<Item = &'r OrganizationRecord>,
) -> Result<(), ExportError> {
    w.write_all(UTF8_BOM)?;
    let mut out = csv::WriterBuilder::new().delimiter(b';').from_writer(w);
    out.write_record(Column::ALL.map(|c| c.header()))?;
    for record in records {
        out.write_record(record_cells(record).iter().map(|cell| match cell {
            CellValue::Empty => String::new(),
            CellValue::Text(t) => escape_formula(t).into_owned(),
            CellValue::Decimal(v) => format_decimal_comma(*v),
            CellValue::Count(n) => n.to_string(),
        }))?;
    }
    out.flush()?;
    Ok(())
}

/// Column widths in characters, in [`Column::ALL`] order.
const WIDTHS: [f64; Column::ALL.len()] =
    [13.0, 60.0, 40.0, 16.0, 12.0, 50.0, 11.0, 11.0, 32.0, 30.0, 20.0, 24.0, 8.0, 40.0, 20.0, 12.0, 9.0];

/// XLSX workbook to any seekable writer (a file, a `Cursor<Vec<u8>>`).
pub fn write_xlsx<'r, W: Write + Seek + Send>(
    w: W,
    records: impl IntoIterator<Item = &'r OrganizationRecord>,
) -> Result<(), ExportError> {
    build_workbook(records)?.save_to_writer(w)?;
    Ok(())
}

/// XLSX workbook saved to `path`.
pub fn write_xlsx_file<'r>(
    path: impl AsRef<Path>,
    records: impl IntoIterator<Item = &'r OrganizationRecord>,
) -> Result<(), ExportError> {
    build_workbook(records)?.save(path.as_ref())?;
    Ok(())
}

/// Rows go to a temporary file as they are written (constant-memory mode), so large registries fit.
fn build_workbook<'r>(records: impl IntoIterator<Item = &'r OrganizationRecord>) -> Result<Workbook, XlsxError> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet_with_constant_memory()?;
    sheet.set_name(nok_i18n::t("reg-sheet-name"))?;
    let bold = Format::new().set_bold();
    let text = Format::new().set_num_format("@");
    for (col, (&column, width)) in Column::ALL.iter().zip(WIDTHS).enumerate() {
        let col = col as u16;
        sheet.set_column_width(col, width)?;
        sheet.write_string_with_format(0, col, column.header(), &bold)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    let mut last_row = 0;
    for (i, record) in records.into_iter().enumerate() {
        let row = u32::try_from(i + 1).map_err(|_| XlsxError::RowColumnLimitError)?;
        for (col, cell) in record_cells(record).iter().enumerate() {
            let col = col as u16;
            match cell {
                CellValue::Empty => &mut *sheet,
                CellValue::Text(t) => sheet.write_string_with_format(row, col, t.as_ref(), &text)?,
                CellValue::Decimal(v) => sheet.write_number(row, col, *v)?,
                CellValue::Count(n) => sheet.write_number(row, col, f64::from(*n))?,
            };
        }
        last_row = row;
    }
    sheet.autofilter(0, 0, last_row, Column::ALL.len() as u16 - 1)?;
    Ok(book)
}

/// JSON array of records (field names are the English column keys, spheres by code), one record per line.
pub fn write_json<'r, W: Write>(
    mut w: W,
    records: impl IntoIterator<Item = &'r OrganizationRecord>,
) -> Result<(), ExportError> {
    w.write_all(b"[")?;
    for (i, record) in records.into_iter().enumerate() {
        w.write_all(if i == 0 { b"\n" } else { b",\n" })?;
        serde_json::to_writer(&mut w, record)?;
    }
    w.write_all(b"\n]\n")?;
    w.flush()?;
    Ok(())
}
