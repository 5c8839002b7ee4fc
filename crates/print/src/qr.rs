//! QR symbols: encoding a link, drawing it as SVG or PNG, and the self-check that decodes a picture back.
//!
//! Every symbol is encoded with error correction Q (25 % of the symbol may be lost: posters get dirty,
//! scratched, photographed at an angle) and falls back to M only for very long links. The quiet zone is
//! the standard four modules, dark modules are pure black on white (maximum contrast).
//!
//! Self-checks, all with `rqrr`: [`Qr::encode`] decodes the encoded modules; [`verify_svg`] reads the
//! SVG that goes into a document back into modules and decodes them (cheap, done for every poster);
//! [`verify_png`] searches a finished raster picture for codes and decodes them (done for every PNG).

use crate::PrintError;
use crate::url::check_url;
use qrcode::canvas::{Canvas, MaskPattern};
use qrcode::types::QrError;
use qrcode::{Color, EcLevel, Version};
use std::fmt::Write as _;

/// Width of the light margin around the symbol, in modules (ISO/IEC 18004 asks for 4).
pub const QUIET_ZONE: usize = 4;

/// Versions up to this one use error correction Q; longer links fall back to M to keep modules large.
const MAX_VERSION_AT_Q: i16 = 10;

/// An encoded QR symbol that has passed the self-check against its link.
#[derive(Debug, Clone)]
pub struct Qr {
    url: String,
    width: usize,
    dark: Vec<bool>,
    version: i16,
    ec: char,
}

impl Qr {
    /// Encodes `url` (which must be an absolute http(s) link) and decodes the result back.
    pub fn encode(url: &str) -> Result<Qr, PrintError> {
        let qr = Qr::encode_unchecked(url)?;
        qr.self_check()?;
        Ok(qr)
    }

    /// Encodes without decoding back: only for callers that check the picture they make from it
    /// ([`verify_svg`], [`verify_png`]) before anything leaves the crate.
    pub(crate) fn encode_unchecked(url: &str) -> Result<Qr, PrintError> {
        check_url(url)?;
        let encode_err = |e: QrError| PrintError::Encode { url: url.to_string(), reason: e.to_string() };
        let (version, dark, ec) = match encode_symbol(url, EcLevel::Q) {
            Ok((Version::Normal(v), dark)) if v <= MAX_VERSION_AT_Q => (v, dark, 'Q'),
            _ => match encode_symbol(url, EcLevel::M).map_err(encode_err)? {
                (Version::Normal(v) | Version::Micro(v), dark) => (v, dark, 'M'),
            },
        };
        let width = (dark.len() as f64).sqrt() as usize;
        Ok(Qr { url: url.to_string(), width, dark, version, ec })
    }

    /// The link the symbol encodes.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Number of modules on a side, without the quiet zone.
    pub fn modules(&self) -> usize {
        self.width
    }

    /// Number of modules on a side including the quiet zone on both sides.
    pub fn modules_with_quiet_zone(&self) -> usize {
        self.width + 2 * QUIET_ZONE
    }

    /// The QR version (1–40).
    pub fn version(&self) -> i16 {
        self.version
    }

    /// The error-correction level: `'Q'` or `'M'`.
    pub fn ec_level(&self) -> char {
        self.ec
    }

    /// Whether the module at (`x`, `y`) of the symbol (without quiet zone) is dark.
    pub fn is_dark(&self, x: usize, y: usize) -> bool {
        x < self.width && y < self.width && self.dark[y * self.width + x]
    }

    /// The side of the whole picture (symbol plus quiet zone) when the symbol itself measures `symbol_mm`.
    pub fn picture_side_mm(&self, symbol_mm: f64) -> f64 {
        symbol_mm * self.modules_with_quiet_zone() as f64 / self.width as f64
    }

    /// Whether the module at (`x`, `y`) of the picture (with quiet zone) is dark.
    fn is_dark_padded(&self, x: usize, y: usize) -> bool {
        x >= QUIET_ZONE && y >= QUIET_ZONE && self.is_dark(x - QUIET_ZONE, y - QUIET_ZONE)
    }

    /// Decodes the encoded modules back with `rqrr` (format, masking, error correction, data) and
    /// compares the text with the link.
    fn self_check(&self) -> Result<(), PrintError> {
        let decoded = decode_modules(self.width, 0, self.width, &self.dark);
        expect_decoded(decoded.into_iter().collect(), &self.url)
    }

    /// The symbol as SVG: one white square (the quiet zone included) and one black path, crisp at any
    /// size. With `symbol_mm` the picture gets a physical size in which the symbol (without the quiet
    /// zone) measures exactly `symbol_mm`; without it the picture scales to its container.
    pub fn svg(&self, symbol_mm: Option<f64>) -> String {
        self.svg_inner(symbol_mm, true, None)
    }

    /// SVG for inline use inside HTML (no XML namespace needed there), with an accessible label.
    pub(crate) fn svg_inline(&self, px: u32, label: &str) -> String {
        self.svg_inner(None, false, Some((px, label)))
    }

    fn svg_inner(&self, symbol_mm: Option<f64>, xmlns: bool, inline: Option<(u32, &str)>) -> String {
        let side = self.modules_with_quiet_zone();
        let mut out = String::with_capacity(64 + self.width * self.width * 4);
        out.push_str("<svg");
        if xmlns {
            out.push_str(" xmlns=\"http://www.w3.org/2000/svg\"");
        }
        let _ = write!(out, " viewBox=\"0 0 {side} {side}\"");
        if let Some(mm) = symbol_mm {
            let picture = self.picture_side_mm(mm);
            let _ = write!(out, " width=\"{picture:.3}mm\" height=\"{picture:.3}mm\"");
        }
        if let Some((px, label)) = inline {
            let _ = write!(
                out,
                " width=\"{px}\" height=\"{px}\" role=\"img\" aria-label=\"{}\"",
                crate::widget::escape_html(label)
            );
        }
        out.push_str(" shape-rendering=\"crispEdges\">");
        let _ = write!(out, "<rect width=\"{side}\" height=\"{side}\" fill=\"#fff\"/>");
        out.push_str("<path fill=\"#000\" d=\"");
        // One path of horizontal runs: a single filled path has no hairline seams between modules.
        for y in 0..self.width {
            let mut x = 0;
            while x < self.width {
                if !self.is_dark(x, y) {
                    x += 1;
                    continue;
                }
                let start = x;
                while x < self.width && self.is_dark(x, y) {
                    x += 1;
                }
                let run = x - start;
                let _ = write!(out, "M{} {}h{run}v1h-{run}z", start + QUIET_ZONE, y + QUIET_ZONE);
            }
        }
        out.push_str("\"/></svg>");
        out
    }

    /// The picture (quiet zone included) as a greyscale PNG of `px` × `px` pixels, whole pixels per
    /// module, centred. Decoded back before it is returned.
    pub fn png(&self, px: u32) -> Result<Vec<u8>, PrintError> {
        let side = self.modules_with_quiet_zone();
        let scale = px as usize / side;
        if scale == 0 {
            return Err(PrintError::Input(format!("{px} px is too small for a QR code of {side} modules")));
        }
        let offset = (px as usize - scale * side) / 2;
        let image = image::GrayImage::from_fn(px, px, |x, y| {
            let (x, y) = (x as usize, y as usize);
            let dark = x >= offset
                && y >= offset
                && x < offset + scale * side
                && y < offset + scale * side
                && self.is_dark_padded((x - offset) / scale, (y - offset) / scale);
            image::Luma([if dark { 0 } else { 255 }])
        });
        let png = encode_png_gray(&image)?;
        verify_png(&png, &self.url)?;
        Ok(png)
    }
}

/// The eight mask patterns of ISO/IEC 18004.
const MASKS: [MaskPattern; 8] = [
    MaskPattern::Checkerboard,
    MaskPattern::HorizontalLines,
    MaskPattern::VerticalLines,
    MaskPattern::DiagonalLines,
    MaskPattern::LargeCheckerboard,
    MaskPattern::Fields,
    MaskPattern::Diamonds,
    MaskPattern::Meadow,
];

/// Encodes `data` at `ec` with the `qrcode` crate's segmentation and codewords, choosing the mask with
/// our own penalty scoring ([`mask_penalty`]; the crate's scoring costs ~15× more).
fn encode_symbol(data: &str, ec: EcLevel) -> Result<(Version, Vec<bool>), QrError> {
    let bits = qrcode::bits::encode_auto(data.as_bytes(), ec)?;
    let version = bits.version();
    let (data, ec_data) = qrcode::ec::construct_codewords(&bits.into_bytes(), version, ec)?;
    let mut canvas = Canvas::new(version, ec);
    canvas.draw_all_functional_patterns();
    canvas.draw_data(&data, &ec_data);
    let width = version.width() as usize;
    let best = MASKS
        .iter()
        .map(|&mask| {
            let mut masked = canvas.clone();
            masked.apply_mask(mask);
            let dark: Vec<bool> = masked.into_colors().into_iter().map(|c| c == Color::Dark).collect();
            (mask_penalty(&dark, width), dark)
        })
        .min_by_key(|(penalty, _)| *penalty)
        .map(|(_, dark)| dark)
        .expect("eight masks");
    Ok((version, best))
}

/// The mask penalty of ISO/IEC 18004 §7.8.3 for a `width` × `width` symbol: runs of five or more
/// modules of one colour (N1), 2 × 2 blocks (N2), finder-like 1:1:3:1:1 patterns with four light
/// modules on one side (N3) and the deviation of the dark share from 50 % (N4).
fn mask_penalty(dark: &[bool], width: usize) -> u32 {
    let at = |x: usize, y: usize| dark[y * width + x];
    let mut score = 0u32;
    // N1 and N3 along rows (transposed = false) and columns (transposed = true).
    for transposed in [false, true] {
        let cell = |line: usize, i: usize| if transposed { at(line, i) } else { at(i, line) };
        for line in 0..width {
            let mut run = 1;
            for i in 1..width {
                if cell(line, i) == cell(line, i - 1) {
                    run += 1;
                } else {
                    if run >= 5 {
                        score += 3 + (run - 5);
                    }
                    run = 1;
                }
            }
            if run >= 5 {
                score += 3 + (run - 5);
            }
            const FINDER: [bool; 7] = [true, false, true, true, true, false, true];
            for i in 0..width.saturating_sub(6) {
                if (0..7).all(|k| cell(line, i + k) == FINDER[k]) {
                    let light =
                        |from: isize| (from..from + 4).all(|k| k < 0 || k >= width as isize || !cell(line, k as usize));
                    if light(i as isize - 4) || light(i as isize + 7) {
                        score += 40;
                    }
                }
            }
        }
    }
    // N2: 2 × 2 blocks of one colour.
    for y in 0..width - 1 {
        for x in 0..width - 1 {
            let c = at(x, y);
            if at(x + 1, y) == c && at(x, y + 1) == c && at(x + 1, y + 1) == c {
                score += 3;
            }
        }
    }
    // N4: 10 points for every full 5 % the dark share deviates from 50 %.
    let dark_count = dark.iter().filter(|&&d| d).count();
    let percent = dark_count * 100 / dark.len();
    score + 10 * (percent.abs_diff(50) / 5) as u32
}

/// Encodes a greyscale picture as PNG.
pub(crate) fn encode_png_gray(image: &image::GrayImage) -> Result<Vec<u8>, PrintError> {
    let mut png = Vec::new();
    image
        .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
        .map_err(|e| PrintError::Image(e.to_string()))?;
    Ok(png)
}

/// The verified QR code for `url` as SVG; see [`Qr::svg`] for what `side_mm` means.
pub fn qr_svg(url: &str, side_mm: Option<f64>) -> Result<String, PrintError> {
    if let Some(mm) = side_mm
        && !(mm.is_finite() && mm > 0.0)
    {
        return Err(PrintError::Input(format!("QR side must be a positive length, got {mm} mm")));
    }
    let svg = Qr::encode_unchecked(url)?.svg(side_mm);
    verify_svg(&svg, url)?;
    Ok(svg)
}

/// The verified QR code for `url` as a `px` × `px` PNG (quiet zone included).
pub fn qr_png(url: &str, px: u32) -> Result<Vec<u8>, PrintError> {
    Qr::encode_unchecked(url)?.png(px)
}

/// Decodes every QR code found in a PNG and succeeds if one of them reads exactly `expected_url`.
pub fn verify_png(png: &[u8], expected_url: &str) -> Result<(), PrintError> {
    let image = image::load_from_memory_with_format(png, image::ImageFormat::Png)
        .map_err(|e| PrintError::Image(e.to_string()))?
        .to_luma8();
    expect_decoded(decode_gray(image.width(), image.height(), image.as_raw()), expected_url)
}

/// Every QR code `rqrr` finds in a greyscale picture (row-major, one byte per pixel, 0 = black).
pub fn decode_gray(width: u32, height: u32, pixels: &[u8]) -> Vec<String> {
    let (w, h) = (width as usize, height as usize);
    if pixels.len() < w * h {
        return Vec::new();
    }
    decode_prepared!(rqrr::PreparedImage::prepare_from_greyscale(w, h, |x, y| { pixels[y * w + x] }))
}

/// A code found in a picture.
#[derive(Debug, Clone, PartialEq)]
pub struct FoundCode {
    /// The decoded text.
    pub text: String,
    /// Side of the symbol (without the quiet zone) in pixels: the extent of its dark modules,
    /// averaged over width and height.
    pub side_px: f64,
    /// Centre of the symbol in pixels.
    pub center: (f64, f64),
}

/// Like [`decode_gray`], with each code's size and place, so tests can measure the printed size.
/// Each pass blanks the codes it found and searches again (a page may hold several codes; on a page
/// with many identical ones, search it in windows). Meant for upright codes, as on our pages.
pub fn decode_gray_located(width: u32, height: u32, pixels: &[u8]) -> Vec<FoundCode> {
    let (w, h) = (width as usize, height as usize);
    if pixels.len() < w * h {
        return Vec::new();
    }
    let mut pixels = pixels[..w * h].to_vec();
    let mut found = Vec::new();
    loop {
        let mut image = rqrr::PreparedImage::prepare_from_greyscale(w, h, |x, y| pixels[y * w + x]);
        let grids = image.detect_grids();
        if grids.is_empty() {
            return found;
        }
        let mut blank = Vec::new();
        for grid in grids {
            // rqrr's corners are approximate; search a little beyond them (less than the 4-module
            // quiet zone) for the outermost dark pixels.
            let xs = grid.bounds.map(|p| p.x);
            let ys = grid.bounds.map(|p| p.y);
            let (x0, x1) = (xs.iter().copied().min().unwrap_or(0), xs.iter().copied().max().unwrap_or(0));
            let (y0, y1) = (ys.iter().copied().min().unwrap_or(0), ys.iter().copied().max().unwrap_or(0));
            let margin = (x1 - x0).max(y1 - y0) / 20;
            let clamp_x = |v: i32| v.clamp(0, w as i32 - 1) as usize;
            let clamp_y = |v: i32| v.clamp(0, h as i32 - 1) as usize;
            let area = (clamp_x(x0 - margin), clamp_x(x1 + margin), clamp_y(y0 - margin), clamp_y(y1 + margin));
            let (mut min_x, mut max_x, mut min_y, mut max_y) = (usize::MAX, 0, usize::MAX, 0);
            for y in area.2..=area.3 {
                for x in area.0..=area.1 {
                    if pixels[y * w + x] < 128 {
                        min_x = min_x.min(x);
                        max_x = max_x.max(x);
                        min_y = min_y.min(y);
                        max_y = max_y.max(y);
                    }
                }
            }
            if let Ok((_, text)) = grid.decode() {
                let side_px = ((max_x + 1).saturating_sub(min_x) + (max_y + 1).saturating_sub(min_y)) as f64 / 2.0;
                let center = ((min_x + max_x + 1) as f64 / 2.0, (min_y + max_y + 1) as f64 / 2.0);
                found.push(FoundCode { text, side_px, center });
            }
            blank.push(area);
        }
        for (x0, x1, y0, y1) in blank {
            for y in y0..=y1 {
                pixels[y * w + x0..=y * w + x1].fill(255);
            }
        }
    }
}

/// Decodes every grid found in a prepared picture (a macro: `rqrr` does not export its buffer trait).
macro_rules! decode_prepared {
    ($image:expr) => {{
        let mut image = $image;
        image
            .detect_grids()
            .into_iter()
            .filter_map(|grid| grid.decode().ok().map(|(_, text)| text))
            .collect::<Vec<String>>()
    }};
}
use decode_prepared;

/// Succeeds when exactly the expected text is among the decoded ones.
pub(crate) fn expect_decoded(decoded: Vec<String>, expected: &str) -> Result<(), PrintError> {
    if decoded.iter().any(|d| d == expected) {
        Ok(())
    } else {
        Err(PrintError::Mismatch { expected: expected.to_string(), decoded: decoded.into_iter().next() })
    }
}

/// A square of modules handed to `rqrr`'s decoder: `size` modules starting at (`offset`, `offset`)
/// in a row-major buffer `stride` modules wide.
struct Modules<'a> {
    size: usize,
    offset: usize,
    stride: usize,
    dark: &'a [bool],
}

impl rqrr::BitGrid for Modules<'_> {
    fn size(&self) -> usize {
        self.size
    }

    fn bit(&self, y: usize, x: usize) -> bool {
        self.dark[(y + self.offset) * self.stride + x + self.offset]
    }
}

fn decode_modules(size: usize, offset: usize, stride: usize, dark: &[bool]) -> Option<String> {
    rqrr::Grid::new(Modules { size, offset, stride, dark }).decode().ok().map(|(_, text)| text)
}

/// Reads back an SVG made by [`Qr::svg`] — the exact bytes that go into a document — and decodes its
/// modules with `rqrr`: succeeds only if the picture reads exactly `expected_url` and its quiet zone is
/// empty. Cheap (no image search), so every poster in a batch gets it.
pub fn verify_svg(svg: &str, expected_url: &str) -> Result<(), PrintError> {
    let mismatch = || PrintError::Mismatch { expected: expected_url.to_string(), decoded: None };
    let side = svg
        .split_once("viewBox=\"0 0 ")
        .and_then(|(_, rest)| rest.split_once(' '))
        .and_then(|(n, _)| n.parse::<usize>().ok())
        .filter(|n| (21 + 2 * QUIET_ZONE..=177 + 2 * QUIET_ZONE).contains(n))
        .ok_or_else(mismatch)?;
    let path =
        svg.split_once(" d=\"").and_then(|(_, rest)| rest.split_once('"')).map(|(d, _)| d).ok_or_else(mismatch)?;
    let mut dark = vec![false; side * side];
    for run in path.split('M').filter(|r| !r.is_empty()) {
        // `{x} {y}h{len}v1h-{len}z`
        let parsed = run.strip_suffix('z').and_then(|r| {
            let (xy, rest) = r.split_once('h')?;
            let (x, y) = xy.split_once(' ')?;
            let (len, back) = rest.split_once("v1h-")?;
            let (x, y, len) = (x.parse::<usize>().ok()?, y.parse::<usize>().ok()?, len.parse::<usize>().ok()?);
            (back.parse::<usize>().ok()? == len && y < side && x + len <= side).then_some((x, y, len))
        });
        let (x, y, len) = parsed.ok_or_else(mismatch)?;
        dark[y * side + x..y * side + x + len].fill(true);
    }
    let inner = QUIET_ZONE..side - QUIET_ZONE;
    let quiet = (0..side).all(|y| (0..side).all(|x| inner.contains(&x) && inner.contains(&y) || !dark[y * side + x]));
    let decoded = decode_modules(side - 2 * QUIET_ZONE, QUIET_ZONE, side, &dark);
    if !quiet {
        return Err(PrintError::Mismatch { expected: expected_url.to_string(), decoded });
    }
    expect_decoded(decoded.into_iter().collect(), expected_url)
}

#[cfg(test)]
mod tests {
    use super::*;

    const URL: &str = "https://nok.example.ru/o/7F3KQ9/anketa?ch=qr_poster";

    #[test]
    fn encodes_with_q_and_quiet_zone() {
        let qr = Qr::encode(URL).unwrap();
        assert_eq!(qr.ec_level(), 'Q');
        assert_eq!(qr.modules_with_quiet_zone(), qr.modules() + 8);
        let svg = qr.svg(Some(100.0));
        let picture = 100.0 * (qr.modules() + 8) as f64 / qr.modules() as f64;
        assert!(svg.contains(&format!("width=\"{picture:.3}mm\"")), "{svg}");
        assert!(svg.contains("fill=\"#fff\"") && svg.contains("fill=\"#000\""));
    }

    #[test]
    fn svg_reads_back_and_tampering_is_caught() {
        let svg = qr_svg(URL, Some(50.0)).unwrap();
        verify_svg(&svg, URL).unwrap();
        assert!(verify_svg(&svg, "https://nok.example.ru/other").is_err());
        // Flip many modules of the first runs: beyond what error correction repairs.
        let tampered = svg.replacen("h1v1h-1z", "h2v1h-2z", 60);
        assert!(verify_svg(&tampered, URL).is_err());
        // A dark module in the quiet zone.
        let noisy = svg.replacen("<path fill=\"#000\" d=\"", "<path fill=\"#000\" d=\"M0 0h1v1h-1z", 1);
        assert!(matches!(verify_svg(&noisy, URL), Err(PrintError::Mismatch { decoded: Some(_), .. })));
        assert!(verify_svg("<svg/>", URL).is_err());
    }

    #[test]
    fn penalty_counts_the_standard_features() {
        // 5 × 5 all light: N1 3 per row and column (10 × 3), N2 16 blocks (48), N4 all light (100).
        assert_eq!(mask_penalty(&[false; 25], 5), 30 + 48 + 100);
        // A finder-like row 1011101 followed by four light modules, in an 11 × 11 light field:
        // N1 rows 10 × 9 + columns 94, N3 40, N2 93 × 3, N4 10 × 9 (5 dark of 121 = 4 %).
        let mut grid = vec![false; 121];
        for (x, d) in [true, false, true, true, true, false, true].into_iter().enumerate() {
            grid[x] = d;
        }
        assert_eq!(mask_penalty(&grid, 11), 90 + 94 + 40 + 279 + 90);
        // Every code we make still decodes, whichever mask won.
        for i in 0..40 {
            let url = format!("https://nok.example.ru/o/{i:06}/anketa?ch=qr_paper");
            Qr::encode(&url).unwrap();
        }
    }

    #[test]
    fn long_links_fall_back_to_m() {
        let url = format!("https://nok.example.ru/o/{}/anketa?ch=qr_poster", "x".repeat(300));
        let qr = Qr::encode(&url).unwrap();
        assert_eq!(qr.ec_level(), 'M');
    }

    #[test]
    fn png_decodes_back() {
        let png = qr_png(URL, 300).unwrap();
        verify_png(&png, URL).unwrap();
        let err = verify_png(&png, "https://other.example.ru/").unwrap_err();
        assert!(matches!(err, PrintError::Mismatch { decoded: Some(ref d), .. } if d == URL), "{err}");
        assert!(qr_png(URL, 20).is_err());
    }

    #[test]
    fn blank_picture_is_a_mismatch() {
        let blank = encode_png_gray(&image::GrayImage::from_pixel(200, 200, image::Luma([255]))).unwrap();
        assert!(matches!(verify_png(&blank, URL), Err(PrintError::Mismatch { decoded: None, .. })));
    }

    #[test]
    fn bad_urls_are_refused() {
        assert!(matches!(qr_svg("javascript:alert(1)", None), Err(PrintError::BadUrl(_))));
        assert!(qr_svg(URL, Some(-1.0)).is_err());
    }
}
