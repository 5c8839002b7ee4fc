//! The one error type of the crate: what went wrong while making a code, a picture or a document.
//!
//! Every variant carries what the caller (CLI, web) needs to tell the user; a self-check failure names both
//! the expected and the decoded text so a broken file is never offered silently.

/// Why a QR code, poster, label sheet, screen image or widget could not be produced.
#[derive(Debug, thiserror::Error)]
pub enum PrintError {
    /// The URL is empty, not `http(s)://`, or contains characters that do not belong in a link.
    #[error("invalid URL {0:?}: expected an absolute http(s) link without spaces")]
    BadUrl(String),
    /// The text does not fit into any QR version at the chosen error-correction level.
    #[error("cannot encode {url:?} as a QR code: {reason}")]
    Encode { url: String, reason: String },
    /// The self-check decoded nothing, or something else than the URL, from the generated picture.
    #[error("QR self-check failed: expected {expected:?}, decoded {decoded:?}")]
    Mismatch { expected: String, decoded: Option<String> },
    /// An uploaded logo is not PNG, JPEG, GIF, WebP or SVG, or is too large.
    #[error("logo not accepted: {0}")]
    Logo(String),
    /// An input value is out of range (e.g. a label QR smaller than 32 mm).
    #[error("invalid input: {0}")]
    Input(String),
    /// The Typst template failed to compile (a bug in a template, or a broken logo file).
    #[error("layout failed: {0}")]
    Typst(String),
    /// The document compiled but does not fit its page(s).
    #[error("layout does not fit: {0}")]
    Layout(String),
    /// PDF export failed.
    #[error("PDF export failed: {0}")]
    Pdf(String),
    /// A raster picture could not be encoded or decoded.
    #[error("image error: {0}")]
    Image(String),
}
