//! Screen images for terminals and TVs: PNG 1920 × 1080 (landscape) or 1080 × 1920 (portrait) with the
//! organisation and the invitation above the code and the link below it.
//!
//! Rendered by Typst at one pixel per point (`templates/screen.typ`); the finished PNG is decoded back
//! and compared with the link before it is returned.

use crate::PrintError;
use crate::engine::{self, InputFile, Template};
use crate::poster::clean_name;
use crate::qr::{Qr, verify_png};
use crate::url::{check_url, display_url};
use serde_json::json;
use typst::foundations::Bytes;

/// Screen orientation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ScreenOrientation {
    /// 1920 × 1080 pixels (TVs).
    Landscape,
    /// 1080 × 1920 pixels (terminals, vertical displays).
    Portrait,
}

impl ScreenOrientation {
    /// Both orientations.
    pub const ALL: [ScreenOrientation; 2] = [ScreenOrientation::Landscape, ScreenOrientation::Portrait];

    /// Width and height in pixels.
    pub fn size_px(self) -> (u32, u32) {
        match self {
            ScreenOrientation::Landscape => (1920, 1080),
            ScreenOrientation::Portrait => (1080, 1920),
        }
    }

    /// Target side of the QR picture (with quiet zone) in pixels; snapped to whole pixels per module.
    fn picture_px(self) -> u32 {
        match self {
            ScreenOrientation::Landscape => 560,
            ScreenOrientation::Portrait => 840,
        }
    }
}

/// The screen image as PNG, its code checked by decoding the finished PNG.
pub fn screen_png(
    org_name: &str,
    url: &str,
    short_url: &str,
    orientation: ScreenOrientation,
) -> Result<Vec<u8>, PrintError> {
    check_url(url)?;
    check_url(short_url)?;
    let qr = Qr::encode_unchecked(url)?;
    let modules = qr.modules_with_quiet_zone() as u32;
    let per_module = (orientation.picture_px() / modules).max(2);
    let picture_px = per_module * modules;
    let (width, height) = orientation.size_px();
    let data = json!({
        "width_px": width,
        "height_px": height,
        "org_name": clean_name(org_name),
        "short_link": display_url(short_url),
        "qr": { "picture_pt": picture_px },
        "texts": { "heading": nok_i18n::t("print-screen-heading"), "scan": nok_i18n::t("print-screen-scan") },
    });
    let files: Vec<InputFile> = vec![
        ("/qr.svg", Bytes::from_string(qr.svg(None))),
        ("/data.json", Bytes::new(serde_json::to_vec(&data).expect("JSON of plain values"))),
    ];
    let document = engine::compile(Template::Screen, files, None)?;
    if document.pages().len() != 1 {
        return Err(PrintError::Layout(format!(
            "the screen image takes {} pages instead of one",
            document.pages().len()
        )));
    }
    let pixmap = engine::render_page(&document, 0, 1.0)?;
    if (pixmap.width(), pixmap.height()) != (width, height) {
        return Err(PrintError::Layout(format!(
            "rendered {}×{} instead of {width}×{height}",
            pixmap.width(),
            pixmap.height()
        )));
    }
    let png = engine::to_png(&pixmap)?;
    verify_png(&png, url)?;
    Ok(png)
}
