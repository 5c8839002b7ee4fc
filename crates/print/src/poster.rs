//! Posters (PDF, A4 and A3) and the batch that renders them for thousands of organisations.
//!
//! Content follows the ministry's recommendation: the organisation's name, the logos of the organisation
//! and of its authorised body (a neat placeholder with initials when one is missing), an invitation to
//! rate, what can be rated, that an appeal can be sent, the QR code and the short link printed under it.
//! The code's side follows the scanning distance (side = distance / 10). This module decides sizes and
//! data; the look lives in `templates/poster.typ`. It never reads the database or the network.

use crate::PrintError;
use crate::engine::{self, InputFile, Template};
use crate::qr::{QUIET_ZONE, Qr, verify_svg};
use crate::url::{check_url, display_url};
use serde_json::json;
use std::fmt;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{LazyLock, Mutex};
use std::time::{Duration, Instant};
use typst::foundations::Bytes;

/// The smallest printed QR symbol we produce: labels may be no smaller than 32 × 32 mm (C8).
pub const MIN_QR_MM: f64 = 32.0;

/// Largest logo file accepted, in bytes.
pub const MAX_LOGO_BYTES: usize = 4 * 1024 * 1024;

/// Poster paper size.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum PaperSize {
    /// 210 × 297 mm: read up close at a desk, a door or a stand; default distance 1 m → 100 mm code.
    #[default]
    A4,
    /// 297 × 420 mm: walls of halls and waiting rooms; default distance 1.4 m → 140 mm code.
    A3,
}

impl PaperSize {
    /// Both sizes.
    pub const ALL: [PaperSize; 2] = [PaperSize::A4, PaperSize::A3];

    /// The scanning distance assumed when the poster form leaves it empty, in metres.
    pub fn default_distance_m(self) -> f64 {
        match self {
            PaperSize::A4 => 1.0,
            PaperSize::A3 => 1.4,
        }
    }

    /// The largest QR picture (symbol plus quiet zone) the layout has room for, in millimetres.
    pub fn max_picture_mm(self) -> f64 {
        match self {
            PaperSize::A4 => 125.0,
            PaperSize::A3 => 185.0,
        }
    }

    /// Width and height in millimetres.
    pub fn size_mm(self) -> (f64, f64) {
        match self {
            PaperSize::A4 => (210.0, 297.0),
            PaperSize::A3 => (297.0, 420.0),
        }
    }

    /// Lower-case name, as in file names and the Typst paper name: `a4`, `a3`.
    pub fn name(self) -> &'static str {
        match self {
            PaperSize::A4 => "a4",
            PaperSize::A3 => "a3",
        }
    }

    fn scale(self) -> f64 {
        match self {
            PaperSize::A4 => 1.0,
            PaperSize::A3 => std::f64::consts::SQRT_2,
        }
    }
}

/// QR side for a scanning distance: side = distance / 10 (1 m → 100 mm).
pub fn qr_side_for_distance_mm(distance_m: f64) -> f64 {
    distance_m * 1000.0 / 10.0
}

/// The printed size of a poster's code, as decided from the scanning distance.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct QrSize {
    /// Distance / 10, before clamping.
    pub requested_mm: f64,
    /// The side of the symbol as printed (without the quiet zone).
    pub side_mm: f64,
    /// The side of the printed picture including the quiet zone.
    pub picture_mm: f64,
    /// Whether the requested size had to be reduced to fit the page or raised to [`MIN_QR_MM`].
    pub clamped: bool,
}

/// The code size on a poster of `size` for the given distance (default per size when `None`):
/// distance / 10, at least [`MIN_QR_MM`], and no larger than the page leaves room for.
pub fn poster_qr_size(qr: &Qr, size: PaperSize, distance_m: Option<f64>) -> Result<QrSize, PrintError> {
    let distance = distance_m.unwrap_or(size.default_distance_m());
    if !(distance.is_finite() && distance > 0.0) {
        return Err(PrintError::Input(format!("scanning distance must be positive, got {distance} m")));
    }
    let requested_mm = qr_side_for_distance_mm(distance);
    let ratio = qr.modules() as f64 / qr.modules_with_quiet_zone() as f64;
    let max_side = size.max_picture_mm() * ratio;
    let side_mm = requested_mm.clamp(MIN_QR_MM, max_side.max(MIN_QR_MM));
    Ok(QrSize { requested_mm, side_mm, picture_mm: qr.picture_side_mm(side_mm), clamped: side_mm != requested_mm })
}

/// Everything a poster shows. Logos are PNG, JPEG, GIF, WebP or SVG bytes.
#[derive(Clone, Default)]
pub struct PosterInput {
    /// Full name of the organisation.
    pub org_name: String,
    /// Name of its authorised body, if known.
    pub authority_name: Option<String>,
    /// The organisation's logo.
    pub org_logo: Option<Vec<u8>>,
    /// The authorised body's logo.
    pub authority_logo: Option<Vec<u8>>,
    /// The questionnaire link the code encodes (channel `qr_poster`).
    pub url: String,
    /// The short link printed under the code.
    pub short_url: String,
    /// Paper size.
    pub size: PaperSize,
    /// Scanning distance in metres; `None` takes [`PaperSize::default_distance_m`].
    pub distance_m: Option<f64>,
}

impl fmt::Debug for PosterInput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PosterInput")
            .field("org_name", &self.org_name)
            .field("authority_name", &self.authority_name)
            .field("org_logo_bytes", &self.org_logo.as_ref().map(Vec::len))
            .field("authority_logo_bytes", &self.authority_logo.as_ref().map(Vec::len))
            .field("url", &self.url)
            .field("short_url", &self.short_url)
            .field("size", &self.size)
            .field("distance_m", &self.distance_m)
            .finish()
    }
}

/// Catalogue texts of the poster, formatted once per process.
static TEXTS: LazyLock<serde_json::Value> = LazyLock::new(|| {
    use nok_i18n::t;
    json!({
        "heading": t("print-poster-heading"),
        "lead": t("print-poster-lead"),
        "can_rate": t("print-poster-can-rate"),
        "items": [
            t("print-poster-item-comfort"),
            t("print-poster-item-staff"),
            t("print-poster-item-info"),
            t("print-poster-item-booking"),
            t("print-poster-item-accessibility"),
        ],
        "appeal": t("print-poster-appeal"),
        "scan": t("print-poster-scan"),
        "or_link": t("print-poster-or-link"),
        "footer": t("print-poster-footer"),
    })
});

/// Renders one poster as PDF. The code is decoded back and compared with `input.url` before layout.
pub fn poster_pdf(input: &PosterInput) -> Result<Vec<u8>, PrintError> {
    let document = poster_document(input)?;
    engine::export_pdf(&document)
}

/// Lays the poster out (shared by [`poster_pdf`] and the checks that render it to pixels).
pub(crate) fn poster_document(input: &PosterInput) -> Result<typst_layout::PagedDocument, PrintError> {
    check_url(&input.url)?;
    check_url(&input.short_url)?;
    let org_name = clean_name(&input.org_name);
    if org_name.is_empty() {
        return Err(PrintError::Input("the organisation's name is empty".into()));
    }
    let authority_name = input.authority_name.as_deref().map(clean_name).filter(|n| !n.is_empty());
    let qr = Qr::encode_unchecked(&input.url)?;
    let size = poster_qr_size(&qr, input.size, input.distance_m)?;

    let mut files: Vec<InputFile> = Vec::with_capacity(4);
    let svg = qr.svg(Some(size.side_mm));
    verify_svg(&svg, &input.url)?;
    files.push(("/qr.svg", Bytes::from_string(svg)));
    if let Some(logo) = &input.org_logo {
        files.push(("/org-logo", logo_bytes(logo)?));
    }
    if let Some(logo) = &input.authority_logo {
        files.push(("/authority-logo", logo_bytes(logo)?));
    }
    let data = json!({
        "paper": input.size.name(),
        "scale": input.size.scale(),
        "org": { "name": org_name, "has_logo": input.org_logo.is_some(), "initials": initials(&org_name) },
        "authority": {
            "show": authority_name.is_some() || input.authority_logo.is_some(),
            "name": authority_name,
            "has_logo": input.authority_logo.is_some(),
            "initials": authority_name.as_deref().map(initials).unwrap_or_else(|| nok_i18n::t("print-logo-placeholder")),
        },
        "qr": { "side_mm": size.side_mm, "picture_mm": size.picture_mm, "quiet_zone": QUIET_ZONE },
        "short_link": display_url(&input.short_url),
        "texts": &*TEXTS,
    });
    files.push(("/data.json", Bytes::new(serde_json::to_vec(&data).expect("JSON of plain values"))));
    let title = nok_i18n::t!("print-poster-title", name = org_name.as_str());
    let document = engine::compile(Template::Poster, files, Some(title))?;
    if document.pages().len() != 1 {
        return Err(PrintError::Layout(format!(
            "the {} poster takes {} pages instead of one",
            input.size.name(),
            document.pages().len()
        )));
    }
    Ok(document)
}

/// Collapses whitespace and drops control characters, so a name cannot break the layout; keeps `№`
/// on the line of its number (a no-break space).
pub(crate) fn clean_name(name: &str) -> String {
    name.split(|c: char| c.is_whitespace() || c.is_control())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
        .replace("№ ", "№\u{a0}")
}

/// Checks an uploaded logo's size and format; the pixels are decoded by Typst during layout.
fn logo_bytes(logo: &[u8]) -> Result<Bytes, PrintError> {
    if logo.len() > MAX_LOGO_BYTES {
        return Err(PrintError::Logo(format!("{} bytes, at most {MAX_LOGO_BYTES} accepted", logo.len())));
    }
    match typst::visualize::ImageFormat::detect(logo) {
        Some(typst::visualize::ImageFormat::Vector(typst::visualize::VectorFormat::Pdf)) | None => {
            Err(PrintError::Logo("expected PNG, JPEG, GIF, WebP or SVG".into()))
        }
        Some(_) => Ok(Bytes::new(logo.to_vec())),
    }
}

/// Initials for a logo placeholder: an abbreviation the name starts with (`МБОУ «Школа № 5»` → `МБОУ`),
/// otherwise the first letters of up to three significant words
/// (`Городская клиническая больница № 1` → `ГКБ`).
pub fn initials(name: &str) -> String {
    const SMALL: [&str; 10] = ["и", "в", "во", "на", "по", "при", "им", "имени", "с", "для"];
    let words: Vec<&str> = name
        .split(|c: char| !c.is_alphanumeric() && c != '-')
        .map(|w| w.trim_matches('-'))
        .filter(|w| w.chars().next().is_some_and(char::is_alphabetic))
        .collect();
    if let Some(first) = words.first() {
        let letters = first.chars().count();
        if (2..=6).contains(&letters) && first.chars().all(|c| c.is_uppercase()) {
            return (*first).to_string();
        }
    }
    let out: String = words
        .iter()
        .filter(|w| !SMALL.contains(&w.to_lowercase().as_str()))
        .take(3)
        .filter_map(|w| w.chars().next())
        .flat_map(char::to_uppercase)
        .collect();
    if out.is_empty() { nok_i18n::t("print-logo-placeholder") } else { out }
}

/// What a batch did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BatchReport {
    /// Posters attempted.
    pub total: usize,
    /// Posters that failed (their errors went to the sink).
    pub failed: usize,
    /// Wall-clock time of the whole batch.
    pub elapsed: Duration,
}

/// Renders posters on every core. See [`posters_batch_on`].
pub fn posters_batch<I, S>(inputs: I, sink: S) -> BatchReport
where
    I: IntoIterator<Item = PosterInput>,
    I::IntoIter: Send,
    S: Fn(usize, Result<Vec<u8>, PrintError>) + Sync,
{
    let threads = std::thread::available_parallelism().map_or(2, usize::from);
    posters_batch_on(threads, inputs, sink)
}

/// Renders posters on `threads` worker threads with bounded memory: inputs are pulled from the iterator
/// one at a time as a worker becomes free (so at most `threads` inputs and PDFs are alive at once), each
/// result goes to `sink(index, result)` as soon as it is ready (in completion order, from the worker
/// threads; `index` is the input's position), and Typst's memo cache is evicted every
/// [`crate::EVICT_EVERY`] compiles. A panic inside one poster is reported as that poster's error.
pub fn posters_batch_on<I, S>(threads: usize, inputs: I, sink: S) -> BatchReport
where
    I: IntoIterator<Item = PosterInput>,
    I::IntoIter: Send,
    S: Fn(usize, Result<Vec<u8>, PrintError>) + Sync,
{
    let started = Instant::now();
    let queue = Mutex::new(inputs.into_iter().enumerate());
    let total = AtomicUsize::new(0);
    let failed = AtomicUsize::new(0);
    std::thread::scope(|scope| {
        for _ in 0..threads.max(1) {
            scope.spawn(|| {
                loop {
                    // The lock is held only while taking the next input, never while rendering.
                    let next = queue.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).next();
                    let Some((index, input)) = next else { break };
                    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| poster_pdf(&input)))
                        .unwrap_or_else(|_| Err(PrintError::Typst(format!("poster {index} panicked during layout"))));
                    total.fetch_add(1, Ordering::Relaxed);
                    if result.is_err() {
                        failed.fetch_add(1, Ordering::Relaxed);
                    }
                    drop(input);
                    sink(index, result);
                }
            });
        }
    });
    engine::evict_caches();
    BatchReport { total: total.into_inner(), failed: failed.into_inner(), elapsed: started.elapsed() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn initials_of_typical_names() {
        assert_eq!(initials("МБОУ «Школа № 5»"), "МБОУ");
        assert_eq!(initials("Городская клиническая больница № 1"), "ГКБ");
        assert_eq!(initials("Министерство здравоохранения Московской области"), "МЗМ");
        assert_eq!(initials("Дом культуры имени Горького"), "ДКГ");
        assert_eq!(initials("№ 5 — 1"), nok_i18n::t("print-logo-placeholder"));
    }

    #[test]
    fn qr_side_follows_distance_and_is_clamped() {
        let qr = Qr::encode("https://nok.example.ru/o/7F3KQ9/anketa?ch=qr_poster").unwrap();
        let a4 = poster_qr_size(&qr, PaperSize::A4, None).unwrap();
        assert_eq!(a4.requested_mm, 100.0);
        assert!(a4.picture_mm <= PaperSize::A4.max_picture_mm() + 1e-9);
        let near = poster_qr_size(&qr, PaperSize::A4, Some(0.6)).unwrap();
        assert_eq!((near.side_mm, near.clamped), (60.0, false));
        let tiny = poster_qr_size(&qr, PaperSize::A4, Some(0.1)).unwrap();
        assert_eq!((tiny.side_mm, tiny.clamped), (MIN_QR_MM, true));
        let far = poster_qr_size(&qr, PaperSize::A3, Some(5.0)).unwrap();
        assert!(far.clamped && far.picture_mm <= PaperSize::A3.max_picture_mm() + 1e-9);
        assert!(poster_qr_size(&qr, PaperSize::A4, Some(f64::NAN)).is_err());
    }

    #[test]
    fn markup_in_names_prints_as_text() {
        let name = r#"<script>x</script> #eval("1") $x^2$ *a* _b_ "c" \d @e <f>"#;
        let input = PosterInput {
            org_name: name.into(),
            authority_name: Some("#set page(width: 1cm)".into()),
            url: "https://nok.example.ru/o/1/anketa?ch=qr_poster".into(),
            short_url: "https://nok.example.ru/q/1".into(),
            ..Default::default()
        };
        let text = crate::engine::document_text(&poster_document(&input).unwrap());
        for piece in
            ["<script>x</script>", "#eval(\"1\")", "$x^2$", "*a*", "_b_", "\\d", "@e", "<f>", "#set page(width: 1cm)"]
        {
            assert!(text.contains(piece), "{piece} missing from {text}");
        }
        // Lines may break and hyphenate anywhere in the catalogue texts.
        let squash =
            |s: &str| s.chars().filter(|c| !c.is_whitespace() && !"-\u{2010}\u{ad}".contains(*c)).collect::<String>();
        for id in [
            "print-poster-heading",
            "print-poster-item-comfort",
            "print-poster-item-accessibility",
            "print-poster-appeal",
        ] {
            assert!(squash(&text).contains(&squash(&nok_i18n::t(id))), "{id} missing from the poster: {text}");
        }
        assert!(text.contains("nok.example.ru/q/1"));
    }

    #[test]
    fn names_are_cleaned() {
        assert_eq!(clean_name("  ГБУЗ\n«ГКБ\t№ 1»\u{7}  "), "ГБУЗ «ГКБ №\u{a0}1»");
    }
}
