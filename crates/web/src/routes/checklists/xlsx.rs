//! A checklist as an XLSX workbook and back: sheet «Чек-лист» with one row per item (section,
//! indicator, item code, item, present, tried, comment, evidence) and sheet «Ожидание» with the
//! average waiting time. Reading matches rows by item code, so rows may be reordered; problems are
//! reported by row and column in Russian.

use crate::error::{AppError, AppResult};
use calamine::{Data, Range, Reader, Xlsx};
use nok_methodology::ChecklistSection;
use nok_store::repo::checklists::{Checklist, ChecklistInput, ItemInput, SectionState};
use rust_xlsxwriter::{Format, Workbook};
use std::io::Cursor;

const COLUMNS: [&str; 8] = [
    "cl-xlsx-col-section",
    "cl-xlsx-col-indicator",
    "cl-xlsx-col-code",
    "cl-xlsx-col-item",
    "cl-xlsx-col-present",
    "cl-xlsx-col-tried",
    "cl-xlsx-col-comment",
    "cl-xlsx-col-evidence",
];

/// The catalogue id of a section's title.
pub fn section_title_id(section: ChecklistSection) -> String {
    format!("cl-section-{}", section.key())
}

/// A section's title as shown and exported, marked «региональный перечень» when the items are the
/// region's own list.
pub fn section_title(s: &SectionState) -> String {
    let title = nok_i18n::t(&section_title_id(s.section));
    if s.regional { format!("{title} ({})", nok_i18n::t("cl-regional")) } else { title }
}

fn yes_no(v: bool) -> &'static str {
    if v { "да" } else { "нет" }
}

/// The workbook of a checklist.
pub fn write(c: &Checklist) -> AppResult<Vec<u8>> {
    let err = |e: rust_xlsxwriter::XlsxError| AppError::Internal(e.to_string());
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    let wrap = Format::new().set_text_wrap();
    let sheet = book.add_worksheet().set_name(nok_i18n::t("cl-xlsx-sheet")).map_err(err)?;
    for (i, id) in COLUMNS.iter().enumerate() {
        sheet.write_string_with_format(0, i as u16, nok_i18n::t(id), &bold).map_err(err)?;
    }
    let mut row = 1u32;
    for s in &c.sections {
        for item in &s.items {
            sheet.write_string(row, 0, section_title(s)).map_err(err)?;
            sheet.write_string(row, 1, s.indicator.clone().unwrap_or_default()).map_err(err)?;
            sheet.write_string(row, 2, &item.item.id).map_err(err)?;
            sheet.write_string_with_format(row, 3, &item.item.name_ru, &wrap).map_err(err)?;
            sheet.write_string(row, 4, yes_no(item.present)).map_err(err)?;
            if s.section == ChecklistSection::Remote {
                sheet.write_string(row, 5, yes_no(item.tried)).map_err(err)?;
            }
            sheet.write_string(row, 6, &item.comment).map_err(err)?;
            sheet.write_string(row, 7, &item.evidence).map_err(err)?;
            row += 1;
        }
    }
    sheet.set_column_width(3, 80).map_err(err)?;
    sheet.set_column_width(6, 40).map_err(err)?;
    sheet.set_column_width(7, 40).map_err(err)?;
    sheet.set_freeze_panes(1, 0).map_err(err)?;
    if c.takes_waiting_time() {
        let waiting = book.add_worksheet().set_name(nok_i18n::t("cl-xlsx-waiting-sheet")).map_err(err)?;
        waiting.write_string_with_format(0, 0, nok_i18n::t("cl-xlsx-waiting-days"), &bold).map_err(err)?;
        if let Some(days) = c.waiting_days {
            waiting.write_number(0, 1, days).map_err(err)?;
        }
        waiting.set_column_width(0, 40).map_err(err)?;
    }
    book.save_to_buffer().map_err(err)
}

fn text(cell: Option<&Data>) -> String {
    match cell {
        None | Some(Data::Empty) => String::new(),
        Some(Data::Float(f)) if f.fract() == 0.0 => format!("{}", *f as i64),
        Some(other) => other.to_string().trim().to_owned(),
    }
}

fn cell_error(row: usize, column: &str, reason: &str) -> String {
    nok_i18n::t!("cl-xlsx-bad-cell", row = row, column = nok_i18n::t(column), reason = reason)
}

fn parse_yes_no(value: &str, row: usize, column: &str) -> Result<bool, String> {
    match value.trim().to_lowercase().as_str() {
        "да" | "есть" | "1" | "+" | "x" | "х" | "true" | "истина" => Ok(true),
        "нет" | "" | "0" | "-" | "false" | "ложь" => Ok(false),
        _ => Err(cell_error(row, column, &nok_i18n::t("cl-xlsx-yes-no"))),
    }
}

/// Column positions found in the header row.
struct Header {
    code: usize,
    present: usize,
    tried: Option<usize>,
    comment: Option<usize>,
    evidence: Option<usize>,
}

fn header(range: &Range<Data>, sheet: &str) -> Result<Header, String> {
    let names: Vec<String> = (0..range.width()).map(|c| text(range.get((0, c))).to_lowercase()).collect();
    let find = |id: &str| names.iter().position(|n| *n == nok_i18n::t(id).to_lowercase());
    let required =
        |id: &str| find(id).ok_or_else(|| nok_i18n::t!("cl-xlsx-bad-header", sheet = sheet, column = nok_i18n::t(id)));
    Ok(Header {
        code: required("cl-xlsx-col-code")?,
        present: required("cl-xlsx-col-present")?,
        tried: find("cl-xlsx-col-tried"),
        comment: find("cl-xlsx-col-comment"),
        evidence: find("cl-xlsx-col-evidence"),
    })
}

/// Reads a workbook written by [`write`] (possibly edited) into a checklist input for `c`'s lists.
/// `Err` is a message for the user.
pub fn read(bytes: &[u8], c: &Checklist) -> Result<ChecklistInput, String> {
    let bad = |e: calamine::XlsxError| nok_i18n::t!("cl-xlsx-bad-file", reason = e.to_string());
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).map_err(bad)?;
    let names = book.sheet_names();
    let items_sheet = nok_i18n::t("cl-xlsx-sheet");
    let first = names.iter().find(|n| **n == items_sheet).or(names.first()).cloned().unwrap_or_default();
    let range = book.worksheet_range(&first).map_err(bad)?;
    let h = header(&range, &first)?;
    let known: Vec<&str> = c.sections.iter().flat_map(|s| s.items.iter().map(|i| i.item.id.as_str())).collect();
    let mut input = ChecklistInput::default();
    for r in 1..range.height() {
        let row = r + 1;
        let code = text(range.get((r, h.code)));
        if code.is_empty() {
            continue;
        }
        if !known.contains(&code.as_str()) {
            return Err(cell_error(row, "cl-xlsx-col-code", &nok_i18n::t("cl-xlsx-unknown-item")));
        }
        let opt = |col: Option<usize>| col.map(|c| text(range.get((r, c)))).filter(|t| !t.is_empty());
        input.items.push(ItemInput {
            present: parse_yes_no(&text(range.get((r, h.present))), row, "cl-xlsx-col-present")?,
            tried: match h.tried {
                Some(col) => parse_yes_no(&text(range.get((r, col))), row, "cl-xlsx-col-tried")?,
                None => false,
            },
            comment: opt(h.comment),
            evidence: opt(h.evidence),
            item_id: code,
        });
    }
    let waiting_sheet = nok_i18n::t("cl-xlsx-waiting-sheet");
    if c.takes_waiting_time() && names.contains(&waiting_sheet) {
        let range = book.worksheet_range(&waiting_sheet).map_err(bad)?;
        input.waiting_days = match range.get((0, 1)) {
            None | Some(Data::Empty) => None,
            Some(Data::Float(f)) => Some(*f),
            Some(Data::Int(i)) => Some(*i as f64),
            Some(other) => Some(other.to_string().trim().replace(',', ".").parse::<f64>().map_err(|_| {
                nok_i18n::t!(
                    "cl-xlsx-bad-cell",
                    row = 1,
                    column = nok_i18n::t("cl-xlsx-waiting-days"),
                    reason = nok_i18n::t("cl-xlsx-number")
                )
            })?),
        };
    }
    Ok(input)
}
