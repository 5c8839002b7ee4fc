//! The organisation's «QR-коды и плакаты» page and its downloads: the code per medium (SVG/PNG), the
//! poster (PDF, A4/A3, for a scanning distance), the label sheet (PDF), screen images (PNG 1920×1080 and
//! 1080×1920) and the website widget snippet. Anyone who sees the organisation may download; every file
//! has had its code decoded back by `nok-print` before it is sent.

use super::access::{self, blocking, download, non_empty, parse_decimal};
use super::materials;
use crate::ctx::Ctx;
use crate::error::{AppError, AppResult};
use crate::render::page;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use nok_print::{LabelInput, MIN_QR_MM, Medium, PaperSize, PosterInput, ScreenOrientation, WidgetQr};
use nok_store::entities::organization;
use nok_store::repo::{images, placements, reference, scans};
use serde::Deserialize;

/// PNG side offered by default, pixels.
const DEFAULT_PX: u32 = 1024;
/// Largest PNG side, pixels.
const MAX_PX: u32 = 4096;
/// Largest printed QR symbol, mm.
const MAX_MM: f64 = 400.0;

/// The medium from its code in a query (`poster`, `paper`, `screen`, `website`).
pub fn medium_of(code: Option<&str>) -> AppResult<Medium> {
    match code.unwrap_or("poster") {
        "poster" => Ok(Medium::Poster),
        "paper" => Ok(Medium::Paper),
        "screen" => Ok(Medium::Screen),
        "website" => Ok(Medium::Website),
        other => Err(AppError::BadRequest(format!("medium {other:?}"))),
    }
}

fn medium_code(m: Medium) -> &'static str {
    match m {
        Medium::Poster => "poster",
        Medium::Paper => "paper",
        Medium::Screen => "screen",
        Medium::Website => "website",
    }
}

/// The paper size from its code (`a4`, `a3`).
pub fn size_of(code: Option<&str>) -> AppResult<PaperSize> {
    match code.unwrap_or("a4") {
        "a4" => Ok(PaperSize::A4),
        "a3" => Ok(PaperSize::A3),
        other => Err(AppError::BadRequest(format!("size {other:?}"))),
    }
}

/// The scanning distance from the poster form: empty takes the size's default; refused outside 0.1–20 m.
pub fn distance_of(text: &Option<String>) -> AppResult<Option<f64>> {
    let bad = || AppError::BadRequest(nok_i18n::t("qr-poster-distance-invalid"));
    match parse_decimal(text).map_err(|_| bad())? {
        Some(d) if (0.1..=placements::MAX_DISTANCE_M).contains(&d) => Ok(Some(d)),
        Some(_) => Err(bad()),
        None => Ok(None),
    }
}

/// One medium's row in the downloads table.
struct MediumRow {
    code: &'static str,
    name: String,
    url: String,
}

/// One size's defaults in the poster form.
struct SizeOption {
    code: &'static str,
    name: String,
    default_distance: String,
    default_side_mm: String,
}

#[derive(Template)]
#[template(path = "qr/org.html")]
struct OrgPage {
    ctx: Ctx,
    org: organization::Model,
    mediums: Vec<MediumRow>,
    sizes: Vec<SizeOption>,
    short_url: String,
    widget: String,
    with_badge: bool,
    badge_url: String,
    may_edit_logo: bool,
    has_org_logo: bool,
    authority: Option<(i32, String, bool)>,
    logo_error: Option<String>,
    rule: placements::RuleStatus,
    scans: Vec<(String, u64, u64, String)>,
    period: i32,
    min_label_mm: String,
}

#[derive(Deserialize, Default)]
pub struct OrgQuery {
    badge: Option<String>,
    error: Option<String>,
}

/// The widget snippet: the print crate's HTML, plus the live badge under it when asked for.
pub fn widget_snippet(state: &AppState, org: &organization::Model, with_badge: bool) -> AppResult<String> {
    let url = materials::url(&state.config.base_url, org, Medium::Website);
    let mut html = nok_print::widget_html(&org.full_name, &url, WidgetQr::Inline)
        .map_err(|e| AppError::Internal(e.to_string()))?;
    if with_badge {
        let badge = super::public::badge_url(&state.config.base_url, &org.public_id);
        html.push_str(&format!(
            "\n<p style=\"margin:8px 0 0\"><img src=\"{}\" alt=\"{}\" height=\"22\"></p>",
            nok_print::escape_html(&badge),
            nok_print::escape_html(&nok_i18n::t("qr-badge-alt")),
        ));
    }
    Ok(html)
}

pub async fn org_page(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i32>,
    Query(q): Query<OrgQuery>,
) -> AppResult<Response> {
    let (actor, org) = access::org_for(&state, &ctx, id).await?;
    let base = &state.config.base_url;
    let mediums = Medium::ALL
        .iter()
        .map(|&m| MediumRow {
            code: medium_code(m),
            name: nok_i18n::t(&format!("qr-medium-{}", medium_code(m))),
            url: materials::url(base, &org, m),
        })
        .collect();
    let sizes = PaperSize::ALL
        .iter()
        .map(|&s| SizeOption {
            code: s.name(),
            name: nok_i18n::t(&format!("qr-size-{}", s.name())),
            default_distance: nok_i18n::format_decimal(s.default_distance_m(), 1),
            default_side_mm: nok_i18n::format_decimal(nok_print::qr_side_for_distance_mm(s.default_distance_m()), 0),
        })
        .collect();
    let with_badge = q.badge.as_deref() == Some("1");
    let authority = match org.authority_id {
        Some(a) => match reference::authority_by_id(&state.db.read, a).await? {
            Some(a) => Some((a.id, a.name, images::authority_logo(&state.db.read, a.id).await?.is_some())),
            None => None,
        },
        None => None,
    };
    let period = access::current_period();
    let figures = scans::for_organization(&state.db.read, &actor, org.id, period).await?;
    let scans = (0..4)
        .map(|i| {
            let name = nok_i18n::t(&format!("qr-channel-{}", scans::SCAN_CHANNELS[i].replace('_', "-")));
            let conversion =
                figures.conversion(i).map_or_else(String::new, |p| format!("{} %", nok_i18n::format_decimal(p, 1)));
            (name, figures.visits[i], figures.completed[i], conversion)
        })
        .collect();
    let rule = placements::rule_status(&placements::list(&state.db.read, &actor, org.id).await?);
    Ok(page(&OrgPage {
        widget: widget_snippet(&state, &org, with_badge)?,
        badge_url: super::public::badge_url(base, &org.public_id),
        short_url: materials::short_url(base, &org),
        may_edit_logo: actor.may_edit_card(),
        has_org_logo: images::org_logo(&state.db.read, &actor, org.id).await?.is_some(),
        logo_error: access::rejection_message(&q.error),
        min_label_mm: nok_i18n::format_decimal(MIN_QR_MM, 0),
        ctx,
        org,
        mediums,
        sizes,
        with_badge,
        authority,
        rule,
        scans,
        period,
    }))
}

#[derive(Deserialize, Default)]
pub struct CodeQuery {
    medium: Option<String>,
    format: Option<String>,
    px: Option<String>,
    mm: Option<String>,
}

/// `GET /cabinet/qr/{id}/code?medium=…&format=svg|png[&px=N|&mm=N]`.
pub async fn code(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i32>,
    Query(q): Query<CodeQuery>,
) -> AppResult<Response> {
    let (_, org) = access::org_for(&state, &ctx, id).await?;
    let medium = medium_of(q.medium.as_deref())?;
    let url = materials::url(&state.config.base_url, &org, medium);
    let invalid = |key: &str| AppError::BadRequest(nok_i18n::t(key));
    let mm = parse_decimal(&q.mm).map_err(|_| invalid("qr-code-size-invalid"))?;
    if mm.is_some_and(|mm| !(1.0..=MAX_MM).contains(&mm)) {
        return Err(invalid("qr-code-size-invalid"));
    }
    let name = |ext| materials::file_name(&org, &format!("qr-{}", medium_code(medium)), ext);
    match q.format.as_deref().unwrap_or("svg") {
        "svg" => {
            let svg = blocking(move || nok_print::qr_svg(&url, mm)).await?;
            Ok(download(svg.into_bytes(), "image/svg+xml", &name("svg")))
        }
        "png" => {
            let px = match non_empty(&q.px) {
                Some(p) => p
                    .parse::<u32>()
                    .ok()
                    .filter(|p| (64..=MAX_PX).contains(p))
                    .ok_or_else(|| invalid("qr-code-px-invalid"))?,
                None => DEFAULT_PX,
            };
            let png = blocking(move || nok_print::qr_png(&url, px)).await?;
            Ok(download(png, "image/png", &name("png")))
        }
        other => Err(AppError::BadRequest(format!("format {other:?}"))),
    }
}

#[derive(Deserialize, Default)]
pub struct PosterQuery {
    size: Option<String>,
    distance: Option<String>,
}

/// Builds the poster input of an organisation the caller has loaded through a scoped read.
pub async fn poster_input(
    state: &AppState,
    org: &organization::Model,
    size: PaperSize,
    distance_m: Option<f64>,
) -> AppResult<PosterInput> {
    let source =
        materials::PosterSource::new(&state.db, &state.config.base_url, size, distance_m, std::slice::from_ref(org))
            .await?;
    Ok(source.input_with_logo(org).await?)
}

/// `GET /cabinet/qr/{id}/poster?size=a4|a3&distance=1,5`.
pub async fn poster(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i32>,
    Query(q): Query<PosterQuery>,
) -> AppResult<Response> {
    let (_, org) = access::org_for(&state, &ctx, id).await?;
    let size = size_of(non_empty(&q.size).as_deref())?;
    let input = poster_input(&state, &org, size, distance_of(&q.distance)?).await?;
    let pdf = blocking(move || nok_print::poster_pdf(&input)).await?;
    Ok(download(pdf, "application/pdf", &materials::file_name(&org, size.name(), "pdf")))
}

#[derive(Deserialize, Default)]
pub struct LabelsQuery {
    mm: Option<String>,
}

/// `GET /cabinet/qr/{id}/labels?mm=32`: an A4 sheet of labels.
pub async fn labels(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i32>,
    Query(q): Query<LabelsQuery>,
) -> AppResult<Response> {
    let (_, org) = access::org_for(&state, &ctx, id).await?;
    let qr_mm = match parse_decimal(&q.mm) {
        Ok(None) => MIN_QR_MM,
        Ok(Some(mm)) if (MIN_QR_MM..=150.0).contains(&mm) => mm,
        _ => return Err(AppError::BadRequest(nok_i18n::t("qr-labels-size-invalid"))),
    };
    let input = LabelInput {
        org_name: org.full_name.clone(),
        url: materials::url(&state.config.base_url, &org, Medium::Paper),
        short_url: materials::short_url(&state.config.base_url, &org),
        qr_mm,
    };
    let pdf = blocking(move || nok_print::labels_sheet_pdf(&input)).await?;
    Ok(download(pdf, "application/pdf", &materials::file_name(&org, "labels", "pdf")))
}

#[derive(Deserialize, Default)]
pub struct ScreenQuery {
    orientation: Option<String>,
}

/// `GET /cabinet/qr/{id}/screen?orientation=landscape|portrait`.
pub async fn screen(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i32>,
    Query(q): Query<ScreenQuery>,
) -> AppResult<Response> {
    let (_, org) = access::org_for(&state, &ctx, id).await?;
    let (orientation, what) = match q.orientation.as_deref().unwrap_or("landscape") {
        "landscape" => (ScreenOrientation::Landscape, "screen-1920x1080"),
        "portrait" => (ScreenOrientation::Portrait, "screen-1080x1920"),
        other => return Err(AppError::BadRequest(format!("orientation {other:?}"))),
    };
    let name = org.full_name.clone();
    let url = materials::url(&state.config.base_url, &org, Medium::Screen);
    let short = materials::short_url(&state.config.base_url, &org);
    let png = blocking(move || nok_print::screen_png(&name, &url, &short, orientation)).await?;
    Ok(download(png, "image/png", &materials::file_name(&org, what, "png")))
}

/// `GET /cabinet/qr/{id}/widget.html`: the snippet as a file.
pub async fn widget_file(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i32>,
    Query(q): Query<OrgQuery>,
) -> AppResult<Response> {
    let (_, org) = access::org_for(&state, &ctx, id).await?;
    let html = widget_snippet(&state, &org, q.badge.as_deref() == Some("1"))?;
    Ok(download(html.into_bytes(), "text/html; charset=utf-8", &materials::file_name(&org, "widget", "html")))
}
