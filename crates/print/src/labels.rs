//! Paper labels for tickets and booklets: an A4 sheet of identical labels, each a QR code of at least
//! 32 × 32 mm with a one-line invitation and the short link, with dashed lines to cut along.
//!
//! This module computes how many labels fit; the look lives in `templates/labels.typ`.

use crate::PrintError;
use crate::engine::{self, InputFile, Template};
use crate::poster::{MIN_QR_MM, clean_name};
use crate::qr::{Qr, verify_svg};
use crate::url::{check_url, display_url};
use serde_json::json;
use typst::foundations::Bytes;

/// Printable width of the sheet (A4 minus 10 mm margins), mm.
const SHEET_W_MM: f64 = 190.0;
/// Printable height for labels (A4 minus margins and the header line), mm.
const SHEET_H_MM: f64 = 270.0;
/// Narrowest label: room for the one-line invitation, mm.
const MIN_CELL_W_MM: f64 = 45.0;
/// Space in a label besides the picture: the text lines and padding, mm.
const CELL_EXTRA_H_MM: f64 = 13.0;

/// One organisation's label sheet.
#[derive(Debug, Clone, Default)]
pub struct LabelInput {
    /// The organisation's name (printed in the sheet's header, not on each label).
    pub org_name: String,
    /// The questionnaire link (channel `qr_paper`).
    pub url: String,
    /// The short link printed on each label.
    pub short_url: String,
    /// Side of the QR symbol in millimetres; at least 32.
    pub qr_mm: f64,
}

/// How labels are arranged on the sheet.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LabelLayout {
    /// Labels per row.
    pub cols: usize,
    /// Rows per sheet.
    pub rows: usize,
    /// Label width, mm.
    pub cell_w_mm: f64,
    /// Label height, mm.
    pub cell_h_mm: f64,
    /// QR picture side including the quiet zone, mm.
    pub picture_mm: f64,
}

impl LabelLayout {
    /// Labels per sheet.
    pub fn count(&self) -> usize {
        self.cols * self.rows
    }
}

/// How many labels with a `qr_mm` symbol fit an A4 sheet.
pub fn label_layout(qr: &Qr, qr_mm: f64) -> Result<LabelLayout, PrintError> {
    if !(qr_mm.is_finite() && qr_mm >= MIN_QR_MM) {
        return Err(PrintError::Input(format!("a label's QR code must be at least {MIN_QR_MM} mm, got {qr_mm} mm")));
    }
    let picture_mm = qr.picture_side_mm(qr_mm);
    let cell_w_mm = (picture_mm + 6.0).max(MIN_CELL_W_MM);
    let cell_h_mm = picture_mm + CELL_EXTRA_H_MM;
    let cols = (SHEET_W_MM / cell_w_mm).floor() as usize;
    let rows = (SHEET_H_MM / cell_h_mm).floor() as usize;
    if cols == 0 || rows == 0 {
        return Err(PrintError::Input(format!("a {qr_mm} mm QR code does not fit a label on A4")));
    }
    Ok(LabelLayout { cols, rows, cell_w_mm, cell_h_mm, picture_mm })
}

/// An A4 PDF sheet filled with labels. The code is decoded back and compared with `input.url` first.
pub fn labels_sheet_pdf(input: &LabelInput) -> Result<Vec<u8>, PrintError> {
    engine::export_pdf(&labels_document(input)?)
}

pub(crate) fn labels_document(input: &LabelInput) -> Result<typst_layout::PagedDocument, PrintError> {
    check_url(&input.url)?;
    check_url(&input.short_url)?;
    let qr = Qr::encode_unchecked(&input.url)?;
    let layout = label_layout(&qr, input.qr_mm)?;
    let name = clean_name(&input.org_name);
    let data = json!({
        "header": nok_i18n::t!("print-label-sheet-title", name = name.as_str()),
        "invite": nok_i18n::t("print-label-invite"),
        "short_link": display_url(&input.short_url),
        "cols": layout.cols,
        "rows": layout.rows,
        "cell_w_mm": layout.cell_w_mm,
        "cell_h_mm": layout.cell_h_mm,
        "qr": { "side_mm": input.qr_mm, "picture_mm": layout.picture_mm },
    });
    let svg = qr.svg(Some(input.qr_mm));
    verify_svg(&svg, &input.url)?;
    let files: Vec<InputFile> = vec![
        ("/qr.svg", Bytes::from_string(svg)),
        ("/data.json", Bytes::new(serde_json::to_vec(&data).expect("JSON of plain values"))),
    ];
    let title = nok_i18n::t!("print-label-sheet-title", name = name.as_str());
    let document = engine::compile(Template::Labels, files, Some(title))?;
    if document.pages().len() != 1 {
        return Err(PrintError::Layout(format!(
            "the label sheet takes {} pages instead of one",
            document.pages().len()
        )));
    }
    Ok(document)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layout_fills_the_sheet_and_refuses_small_codes() {
        let qr = Qr::encode("https://nok.example.ru/o/7F3KQ9/anketa?ch=qr_paper").unwrap();
        let small = label_layout(&qr, 32.0).unwrap();
        assert!(small.count() >= 16, "{small:?}");
        assert!(small.cols as f64 * small.cell_w_mm <= SHEET_W_MM);
        assert!(small.rows as f64 * small.cell_h_mm <= SHEET_H_MM);
        assert!(label_layout(&qr, 31.9).is_err());
        assert!(label_layout(&qr, 400.0).is_err());
        assert_eq!(label_layout(&qr, 150.0).unwrap().count(), 1);
    }
}
