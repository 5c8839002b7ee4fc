//! Checks on finished files: rasterise a PDF we produced and read the codes back from the picture.
//!
//! Used by the tests (every template at every size) and available to callers that want to re-check a
//! stored file. The PDF is drawn by Typst's own PDF-image support (hayro) and rendered by
//! `typst-render`, so what is decoded is the real file, fonts and vector QR included.

use crate::PrintError;
use crate::engine::{self, GrayPage, InputFile, Template};
use crate::qr::expect_decoded;
use serde_json::json;
use typst::foundations::Bytes;

/// Rasterises page `page` (0-based) of a PDF at `px_per_pt` pixels per point (2–3 for checks).
pub fn rasterize_pdf_page(pdf: &[u8], page: usize, px_per_pt: f64) -> Result<GrayPage, PrintError> {
    if !pdf.starts_with(b"%PDF") {
        return Err(PrintError::Pdf("not a PDF file".into()));
    }
    let files: Vec<InputFile> = vec![
        ("/doc.pdf", Bytes::new(pdf.to_vec())),
        ("/data.json", Bytes::new(serde_json::to_vec(&json!({ "page": page + 1 })).expect("JSON"))),
    ];
    let document = engine::compile(Template::PdfPage, files, None)?;
    Ok(engine::to_gray(&engine::render_page(&document, 0, px_per_pt)?))
}

/// Rasterises the first page of a PDF and succeeds if a code on it reads exactly `expected_url`.
pub fn verify_pdf(pdf: &[u8], expected_url: &str) -> Result<(), PrintError> {
    let page = rasterize_pdf_page(pdf, 0, 2.0)?;
    expect_decoded(page.decode(), expected_url)
}
