//! Tables as downloaded files — the one export helper of the web crate (rankings, cabinet lists, QR
//! statistics, feedback queues): CSV for Excel (UTF-8 with BOM, `;`, decimal commas, formula-like text
//! neutralised) and XLSX (bold frozen header, numbers as numbers, rounded to the published precision).
//! In rankings, results below the minimum number of responses are listed without scores, as on the page.

use super::figures::{Ranking, is_published};
use crate::error::{AppError, AppResult};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use nok_methodology::{Definition, Sphere};
use nok_store::repo::aggregates::OrgResult;
use rust_xlsxwriter::{Format, Workbook};

pub const CSV_MIME: &str = "text/csv; charset=utf-8";
pub const XLSX_MIME: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// A cell of an exported table.
pub enum Cell {
    Text(String),
    Number(f64),
    Count(u64),
    Empty,
}

impl Cell {
    /// Text, or an empty cell for `None`.
    pub fn text(t: Option<impl Into<String>>) -> Cell {
        t.map_or(Cell::Empty, |t| Cell::Text(t.into()))
    }
}

/// Headers and rows.
pub struct Table {
    pub headers: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
}

/// A file to download: never cached, never shown inline.
pub fn attachment(bytes: Vec<u8>, mime: &str, file_name: &str) -> Response {
    (
        [
            (header::CONTENT_TYPE, mime.to_string()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{file_name}\"")),
            (header::CACHE_CONTROL, "private, no-store".to_string()),
        ],
        bytes,
    )
        .into_response()
}

/// The «CSV · XLSX» links above a table: `{path}/csv?{query}` and `{path}/xlsx?{query}`.
pub struct ExportLinks {
    pub csv: String,
    pub xlsx: String,
}

impl ExportLinks {
    pub fn new(path: &str, query: &str) -> ExportLinks {
        let link = |format: &str| {
            if query.is_empty() { format!("{path}/{format}") } else { format!("{path}/{format}?{query}") }
        };
        ExportLinks { csv: link("csv"), xlsx: link("xlsx") }
    }
}

fn row(rank: Option<u32>, r: &OrgResult, min_responses: u64) -> Vec<Cell> {
    let published = is_published(r, min_responses);
    let score = |v: Option<f64>| match v.filter(|_| published) {
        Some(v) => Cell::Number(v),
        None => Cell::Empty,
    };
    let mut cells = vec![
        rank.map_or(Cell::Empty, |n| Cell::Count(u64::from(n))),
        Cell::Text(r.short_name.clone()),
        Cell::Text(r.public_id.clone()),
        Cell::Text(r.sphere.name_ru().to_string()),
        score(r.values.total),
    ];
    cells.extend(r.criteria().map(|(_, v)| score(v)));
    cells.push(Cell::Count(r.responses));
    cells
}

/// The ranking of a region (one sphere or all), ranked organisations first, then those without a score.
pub fn ranking_table(ranking: &Ranking, sphere: Option<Sphere>) -> Table {
    let mut headers: Vec<String> =
        ["portal-col-rank", "portal-col-name", "portal-col-public-id", "portal-col-sphere", "portal-col-total"]
            .iter()
            .map(|k| nok_i18n::t(k))
            .collect();
    headers.extend(Definition::current().criteria.iter().map(|c| c.id.clone()));
    headers.push(nok_i18n::t("portal-col-responses"));
    let min = ranking.min_responses;
    let mut rows: Vec<Vec<Cell>> = ranking.ranked(sphere).into_iter().map(|(n, r)| row(Some(n), r, min)).collect();
    rows.extend(ranking.unpublished(sphere).into_iter().map(|r| row(None, r, min)));
    Table { headers, rows }
}

fn decimals() -> usize {
    usize::from(Definition::current().decimals)
}

/// Text that a spreadsheet would read as a formula gets a leading apostrophe.
fn safe_text(t: &str) -> String {
    if t.starts_with(['=', '+', '-', '@']) { format!("'{t}") } else { t.to_string() }
}

impl Table {
    /// Headers from catalogue ids.
    pub fn with_headers(ids: &[&str]) -> Table {
        Table { headers: ids.iter().map(|id| nok_i18n::t(id)).collect(), rows: Vec::new() }
    }

    /// The file in `format` (`csv` or `xlsx`; anything else is not found) with its MIME type.
    pub fn file(&self, format: &str) -> AppResult<(Vec<u8>, &'static str)> {
        match format {
            "csv" => Ok((self.csv()?, CSV_MIME)),
            "xlsx" => Ok((self.xlsx()?, XLSX_MIME)),
            _ => Err(AppError::NotFound),
        }
    }

    /// The table downloaded as `{base_name}.{format}` (see [`Table::file`]).
    pub fn download(&self, format: &str, base_name: &str) -> AppResult<Response> {
        let (bytes, mime) = self.file(format)?;
        Ok(attachment(bytes, mime, &format!("{base_name}.{format}")))
    }

    pub fn csv(&self) -> AppResult<Vec<u8>> {
        let err = |e: csv::Error| AppError::Internal(e.to_string());
        let mut out = csv::WriterBuilder::new().delimiter(b';').from_writer(b"\xEF\xBB\xBF".to_vec());
        out.write_record(&self.headers).map_err(err)?;
        for r in &self.rows {
            let cells = r.iter().map(|c| match c {
                Cell::Text(t) => safe_text(t),
                Cell::Number(v) => nok_i18n::format_decimal(*v, decimals()),
                Cell::Count(n) => n.to_string(),
                Cell::Empty => String::new(),
            });
            out.write_record(cells).map_err(err)?;
        }
        out.into_inner().map_err(|e| AppError::Internal(e.to_string()))
    }

    pub fn xlsx(&self) -> AppResult<Vec<u8>> {
        let err = |e: rust_xlsxwriter::XlsxError| AppError::Internal(e.to_string());
        let mut book = Workbook::new();
        let sheet = book.add_worksheet();
        let bold = Format::new().set_bold();
        let points = Format::new().set_num_format(format!("0.{}", "0".repeat(decimals())));
        let scale = 10f64.powi(decimals() as i32);
        for (c, h) in self.headers.iter().enumerate() {
            sheet.write_string_with_format(0, c as u16, h, &bold).map_err(err)?;
        }
        for (i, r) in self.rows.iter().enumerate() {
            let row = u32::try_from(i + 1).map_err(|e| AppError::Internal(e.to_string()))?;
            for (c, cell) in r.iter().enumerate() {
                let col = c as u16;
                match cell {
                    Cell::Text(t) => sheet.write_string(row, col, t).map(|_| ()),
                    Cell::Number(v) => {
                        sheet.write_number_with_format(row, col, (v * scale).round() / scale, &points).map(|_| ())
                    }
                    Cell::Count(n) => sheet.write_number(row, col, *n as f64).map(|_| ()),
                    Cell::Empty => Ok(()),
                }
                .map_err(err)?;
            }
        }
        sheet.set_freeze_panes(1, 0).map_err(err)?;
        sheet.autofit();
        book.save_to_buffer().map_err(err)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_has_bom_semicolons_and_safe_text() {
        let t = Table {
            headers: vec!["a".into(), "b".into()],
            rows: vec![vec![Cell::Text("=1+1".into()), Cell::Number(84.3)]],
        };
        let bytes = t.csv().unwrap();
        let text = String::from_utf8(bytes).unwrap();
        assert_eq!(text, "\u{feff}a;b\n'=1+1;84,30\n");
        assert!(t.xlsx().unwrap().starts_with(b"PK"));
    }
}
