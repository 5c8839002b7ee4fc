//! Typst as a library: fonts from crates, the embedded templates, a small in-memory `World`, compiling
//! to a laid-out document, exporting PDF and rendering pages to pixels.
//!
//! Nothing here touches the host: fonts are DejaVu Sans and DejaVu Sans Mono from the `dejavu` crate
//! (full Cyrillic), templates are `include_str!`-ed from `templates/`, and every other file a template
//! reads (`/data.json`, `/qr.svg`, the logos) is handed in per document; any other path is "not found".
//! Per-document data only ever reaches a template as JSON or image bytes, never as markup. Calls are
//! synchronous and thread-safe (use `spawn_blocking` from async code); Typst's memo cache is evicted
//! every [`EVICT_EVERY`] compiles so long runs keep bounded memory.

use crate::PrintError;
use std::sync::LazyLock;
use std::sync::atomic::{AtomicUsize, Ordering};
use typst::diag::{FileError, FileResult, SourceDiagnostic};
use typst::foundations::{Bytes, Datetime, Duration, Smart};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World, WorldExt};
use typst_layout::PagedDocument;

/// Evict Typst's memo cache after this many compiles (across all threads).
pub const EVICT_EVERY: usize = 32;
/// Cache entries not used during this many evictions are dropped.
const EVICT_MAX_AGE: usize = 2;

/// The templates, one main file per kind of document, and the helpers they share.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Template {
    Poster,
    Labels,
    Screen,
    /// Shows one page of an existing PDF as an image (used to rasterise our own PDFs in checks).
    PdfPage,
}

const TEMPLATES: [(&str, &str); 5] = [
    ("/common.typ", include_str!("../templates/common.typ")),
    ("/poster.typ", include_str!("../templates/poster.typ")),
    ("/labels.typ", include_str!("../templates/labels.typ")),
    ("/screen.typ", include_str!("../templates/screen.typ")),
    ("/pdf-page.typ", include_str!("../templates/pdf-page.typ")),
];

impl Template {
    fn path(self) -> &'static str {
        match self {
            Template::Poster => "/poster.typ",
            Template::Labels => "/labels.typ",
            Template::Screen => "/screen.typ",
            Template::PdfPage => "/pdf-page.typ",
        }
    }
}

/// A file handed to one compile: its virtual path (one of [`DATA_FILES`]) and bytes.
pub(crate) type InputFile = (&'static str, Bytes);

/// Paths templates may read besides the templates themselves.
pub(crate) const DATA_FILES: [&str; 5] = ["/data.json", "/qr.svg", "/org-logo", "/authority-logo", "/doc.pdf"];

fn file_id(path: &str) -> FileId {
    RootedPath::new(VirtualRoot::Project, VirtualPath::new(path).expect("valid virtual path")).intern()
}

/// Parsed templates and the ids of every known path, made once per process.
struct Files {
    sources: Vec<Source>,
    data_ids: Vec<(&'static str, FileId)>,
}

static FILES: LazyLock<Files> = LazyLock::new(|| Files {
    sources: TEMPLATES.iter().map(|(path, text)| Source::new(file_id(path), (*text).to_string())).collect(),
    data_ids: DATA_FILES.iter().map(|path| (*path, file_id(path))).collect(),
});

struct Fonts {
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
}

static FONTS: LazyLock<Fonts> = LazyLock::new(|| {
    let faces: [&'static [u8]; 6] = [
        dejavu::sans::regular(),
        dejavu::sans::bold(),
        dejavu::sans::oblique(),
        dejavu::sans::bold_oblique(),
        dejavu::sans_mono::regular(),
        dejavu::sans_mono::bold(),
    ];
    let fonts: Vec<Font> = faces.into_iter().flat_map(|data| Font::iter(Bytes::new(data))).collect();
    Fonts { book: LazyHash::new(FontBook::from_fonts(&fonts)), fonts }
});

/// The standard library without `sys.inputs`: it is the same for every document, so Typst's memo
/// cache stays warm across documents.
static LIBRARY: LazyLock<LazyHash<Library>> = LazyLock::new(|| LazyHash::new(Library::default()));

/// Names of the font families the templates use (for tests and docs).
pub const FONT_FAMILIES: [&str; 2] = ["DejaVu Sans", "DejaVu Sans Mono"];

/// One compile: a template plus the data files for one document.
struct DocWorld {
    main: FileId,
    files: Vec<(FileId, Bytes)>,
}

impl DocWorld {
    fn new(template: Template, inputs: Vec<InputFile>) -> DocWorld {
        let files = inputs
            .into_iter()
            .map(|(path, bytes)| {
                let id = FILES.data_ids.iter().find(|(p, _)| *p == path).map(|(_, id)| *id);
                (id.unwrap_or_else(|| panic!("{path} is not a declared data file")), bytes)
            })
            .collect();
        DocWorld { main: file_id_of_template(template), files }
    }
}

fn file_id_of_template(template: Template) -> FileId {
    let path = template.path();
    let index = TEMPLATES.iter().position(|(p, _)| *p == path).expect("template is listed");
    FILES.sources[index].id()
}

impl World for DocWorld {
    fn library(&self) -> &LazyHash<Library> {
        &LIBRARY
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &FONTS.book
    }

    fn main(&self) -> FileId {
        self.main
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        FILES
            .sources
            .iter()
            .find(|s| s.id() == id)
            .cloned()
            .ok_or_else(|| if self.files.iter().any(|(f, _)| *f == id) { FileError::NotSource } else { not_found(id) })
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if let Some((_, bytes)) = self.files.iter().find(|(f, _)| *f == id) {
            return Ok(bytes.clone());
        }
        FILES.sources.iter().find(|s| s.id() == id).map(|s| Bytes::from_string(s.clone())).ok_or_else(|| not_found(id))
    }

    fn font(&self, index: usize) -> Option<Font> {
        FONTS.fonts.get(index).cloned()
    }

    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        // Documents carry no date: the same input gives the same file.
        None
    }
}

fn not_found(id: FileId) -> FileError {
    FileError::NotFound(std::path::PathBuf::from(id.vpath().get_without_slash()))
}

static COMPILES: AtomicUsize = AtomicUsize::new(0);

/// Lays out `template` with the given data files and sets the PDF title. Evicts Typst's memo cache
/// every [`EVICT_EVERY`] compiles process-wide.
pub(crate) fn compile(
    template: Template,
    inputs: Vec<InputFile>,
    title: Option<String>,
) -> Result<PagedDocument, PrintError> {
    let world = DocWorld::new(template, inputs);
    let result = typst::compile::<PagedDocument>(&world).output;
    if (COMPILES.fetch_add(1, Ordering::Relaxed) + 1).is_multiple_of(EVICT_EVERY) {
        evict_caches();
    }
    let mut document = result.map_err(|diags| PrintError::Typst(describe(&world, &diags)))?;
    let info = document.info_mut();
    info.title = title.map(Into::into);
    info.author = vec!["OpenNOK".into()];
    Ok(document)
}

/// Drops Typst memo-cache entries that were not used recently (safe to call from any thread).
pub fn evict_caches() {
    typst::comemo::evict(EVICT_MAX_AGE);
}

fn describe(world: &DocWorld, diags: &[SourceDiagnostic]) -> String {
    diags
        .iter()
        .map(|d| {
            let place = d
                .span
                .id()
                .map(|id| {
                    let line = world
                        .range(d.span)
                        .and_then(|r| {
                            world.source(id).ok().map(|s| s.text()[..r.start.min(s.text().len())].lines().count())
                        })
                        .unwrap_or(0);
                    format!("{}:{line}: ", id.vpath().get_with_slash())
                })
                .unwrap_or_default();
            let hints: String = d.hints.iter().map(|h| format!(" (hint: {})", h.v)).collect();
            format!("{place}{}{hints}", d.message)
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// Exports a laid-out document as PDF (fonts embedded as subsets, text selectable and tagged).
pub(crate) fn export_pdf(document: &PagedDocument) -> Result<Vec<u8>, PrintError> {
    let options = typst_pdf::PdfOptions { creator: Smart::Custom(Some("OpenNOK".into())), ..Default::default() };
    typst_pdf::pdf(document, &options)
        .map_err(|diags| PrintError::Pdf(diags.iter().map(|d| d.message.to_string()).collect::<Vec<_>>().join("; ")))
}

/// A rendered page: greyscale pixels, one byte per pixel, row-major, 0 = black.
#[derive(Debug, Clone)]
pub struct GrayPage {
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// `width * height` luminance bytes.
    pub pixels: Vec<u8>,
}

impl GrayPage {
    /// Every QR code found on the page.
    pub fn decode(&self) -> Vec<String> {
        crate::qr::decode_gray(self.width, self.height, &self.pixels)
    }

    /// Every QR code found on the page with its size and place in pixels.
    pub fn decode_located(&self) -> Vec<crate::qr::FoundCode> {
        crate::qr::decode_gray_located(self.width, self.height, &self.pixels)
    }

    /// The part of the page from (`x`, `y`) of `width` × `height` pixels (clipped to the page).
    pub fn crop(&self, x: u32, y: u32, width: u32, height: u32) -> GrayPage {
        let (x, y) = (x.min(self.width), y.min(self.height));
        let (width, height) = (width.min(self.width - x), height.min(self.height - y));
        let mut pixels = Vec::with_capacity((width * height) as usize);
        for row in y..y + height {
            let start = (row * self.width + x) as usize;
            pixels.extend_from_slice(&self.pixels[start..start + width as usize]);
        }
        GrayPage { width, height, pixels }
    }

    /// The page as a greyscale PNG.
    pub fn png(&self) -> Result<Vec<u8>, PrintError> {
        let image = image::GrayImage::from_raw(self.width, self.height, self.pixels.clone())
            .ok_or_else(|| PrintError::Image("pixel buffer does not match its size".into()))?;
        crate::qr::encode_png_gray(&image)
    }
}

/// Renders page `page` (0-based) at `px_per_pt` pixels per point onto white.
pub(crate) fn render_page(
    document: &PagedDocument,
    page: usize,
    px_per_pt: f64,
) -> Result<tiny_skia::Pixmap, PrintError> {
    let page = document
        .pages()
        .get(page)
        .ok_or_else(|| PrintError::Input(format!("the document has no page {}", page + 1)))?;
    let options =
        typst_render::RenderOptions { pixel_per_pt: typst::utils::Scalar::new(px_per_pt), render_bleed: false };
    Ok(typst_render::render(page, &options))
}

/// Luminance of a rendered page (pages are painted on opaque white, so alpha is ignored).
pub(crate) fn to_gray(pixmap: &tiny_skia::Pixmap) -> GrayPage {
    let pixels = pixmap
        .data()
        .chunks_exact(4)
        .map(|p| ((u32::from(p[0]) * 299 + u32::from(p[1]) * 587 + u32::from(p[2]) * 114) / 1000) as u8)
        .collect();
    GrayPage { width: pixmap.width(), height: pixmap.height(), pixels }
}

/// Encodes a rendered page as an RGBA PNG.
pub(crate) fn to_png(pixmap: &tiny_skia::Pixmap) -> Result<Vec<u8>, PrintError> {
    pixmap.encode_png().map_err(|e| PrintError::Image(e.to_string()))
}

/// All text laid out on the document's pages, in frame order (for tests of what a page says).
#[cfg(test)]
pub(crate) fn document_text(document: &PagedDocument) -> String {
    fn walk(frame: &typst::layout::Frame, out: &mut String) {
        for (_, item) in frame.items() {
            match item {
                typst::layout::FrameItem::Group(group) => walk(&group.frame, out),
                typst::layout::FrameItem::Text(text) => {
                    out.push_str(&text.text);
                    out.push(' ');
                }
                _ => {}
            }
        }
    }
    let mut out = String::new();
    for page in document.pages() {
        walk(&page.frame, &mut out);
    }
    out
}
