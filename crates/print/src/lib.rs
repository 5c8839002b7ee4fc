//! QR materials for the НОК survey: personal codes per organisation and medium, posters (PDF, A4/A3),
//! label sheets, screen images (PNG) and the website widget with its live badge.
//!
//! Every generated code is decoded back with `rqrr` and compared with its link before any file is
//! returned; a mismatch is an error ([`PrintError::Mismatch`]). PDFs are laid out by Typst used as a
//! library with fonts from crates (DejaVu Sans, full Cyrillic, embedded as subsets so text stays
//! selectable) and templates embedded from `templates/`. No database, no HTTP, no host fonts or files:
//! the CLI and the web crate call these functions (from `spawn_blocking` in async code). All Russian
//! text comes from the message catalogue (`crates/i18n/ru/print.ftl`).
//!
//! | module | owns |
//! |---|---|
//! | [`url`] | channel-tagged questionnaire links and short links |
//! | [`qr`] | encoding, SVG/PNG drawing, decoding back |
//! | [`poster`] | posters and the parallel batch with bounded memory |
//! | [`labels`] | A4 label sheets |
//! | [`screen`] | screen images |
//! | [`widget`] | the HTML widget and the SVG badge |
//! | [`check`] | rasterising finished PDFs to read their codes back |
//! | `engine` | Typst world, fonts, compile, PDF export, rendering, cache eviction |

pub mod check;
mod engine;
mod error;
pub mod labels;
pub mod poster;
pub mod qr;
pub mod screen;
pub mod url;
pub mod widget;

pub use check::{rasterize_pdf_page, verify_pdf};
pub use engine::{EVICT_EVERY, FONT_FAMILIES, GrayPage, evict_caches};
pub use error::PrintError;
pub use labels::{LabelInput, LabelLayout, label_layout, labels_sheet_pdf};
pub use poster::{
    BatchReport, MAX_LOGO_BYTES, MIN_QR_MM, PaperSize, PosterInput, QrSize, poster_pdf, poster_qr_size, posters_batch,
    posters_batch_on, qr_side_for_distance_mm,
};
pub use qr::{FoundCode, QUIET_ZONE, Qr, decode_gray, qr_png, qr_svg, verify_png, verify_svg};
pub use screen::{ScreenOrientation, screen_png};
pub use url::{Medium, display_url, questionnaire_url, short_url};
pub use widget::{WidgetQr, badge_img_html, badge_svg, escape_html, widget_html};
