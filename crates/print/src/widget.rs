//! The website widget (an HTML snippet: text above, the QR code, an active link below) and the live
//! badge (SVG with the total score or «оценка проводится»).
//!
//! The snippet loads nothing from outside: no scripts, no trackers, no fonts, no remote pictures — the
//! code is inline SVG unless the caller passes its own picture address. Every text is HTML-escaped.

use crate::PrintError;
use crate::poster::clean_name;
use crate::qr::{Qr, verify_svg};
use crate::url::check_url;
use std::fmt::Write as _;

/// Escapes text for HTML content and attribute values (also valid in SVG/XML).
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// How the widget shows its code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WidgetQr<'a> {
    /// Inline SVG inside the snippet (self-contained; the default choice).
    Inline,
    /// An `<img>` with this address (e.g. the platform's own `…/qr.svg`); it must be an http(s) link or
    /// a path starting with `/`.
    Image(&'a str),
}

/// A picture address for the snippet: an http(s) link, or a path on the platform starting with `/`.
fn check_src(src: &str) -> Result<(), PrintError> {
    if src.starts_with('/') && !src.starts_with("//") {
        if src.chars().all(|c| c.is_ascii_graphic() && !matches!(c, '"' | '<' | '>' | '\\' | '`')) {
            Ok(())
        } else {
            Err(PrintError::BadUrl(src.to_string()))
        }
    } else {
        check_url(src)
    }
}

/// Side of the code in the widget, CSS pixels.
const WIDGET_QR_PX: u32 = 180;

/// The widget snippet for the organisation's website: a heading and the organisation's name above the
/// code, an active link to the questionnaire below it. `url` should carry the `website_widget` channel.
pub fn widget_html(org_name: &str, url: &str, qr: WidgetQr<'_>) -> Result<String, PrintError> {
    check_url(url)?;
    let name = clean_name(org_name);
    let alt = nok_i18n::t!("print-widget-qr-alt", name = name.as_str());
    let picture = match qr {
        WidgetQr::Inline => {
            let svg = Qr::encode_unchecked(url)?.svg_inline(WIDGET_QR_PX, &alt);
            verify_svg(&svg, url)?;
            svg
        }
        WidgetQr::Image(src) => {
            check_src(src)?;
            Qr::encode(url)?; // the link is still checked by decoding its code
            format!(
                "<img src=\"{}\" width=\"{WIDGET_QR_PX}\" height=\"{WIDGET_QR_PX}\" alt=\"{}\">",
                escape_html(src),
                escape_html(&alt)
            )
        }
    };
    let mut html = String::with_capacity(4096);
    let _ = write!(
        html,
        "<div class=\"nok-widget\" style=\"display:inline-block;box-sizing:border-box;max-width:300px;padding:16px;\
border:1px solid #c5d2e0;border-radius:12px;background:#fff;color:#1a1a1a;font-family:sans-serif;\
text-align:center;line-height:1.35\">\
<p style=\"margin:0 0 4px;font-size:17px;font-weight:700;color:#0b4f8a\">{heading}</p>\
<p style=\"margin:0 0 12px;font-size:14px\">{name}</p>\
<div style=\"line-height:0\">{picture}</div>\
<p style=\"margin:12px 0 0;font-size:16px\"><a href=\"{href}\" style=\"color:#0b4f8a;font-weight:700\">{link}</a></p>\
</div>",
        heading = escape_html(&nok_i18n::t("print-widget-heading")),
        name = escape_html(&name),
        href = escape_html(url),
        link = escape_html(&nok_i18n::t("print-widget-link")),
    );
    Ok(html)
}

/// An `<img>` of the live badge served by the platform (`badge_src`: an http(s) link or a path starting
/// with `/`), to put under the widget when the site wants the current score shown. It is the only other
/// address such a snippet loads, and it belongs to the platform itself.
pub fn badge_img_html(badge_src: &str) -> Result<String, PrintError> {
    check_src(badge_src)?;
    Ok(format!(
        "<p style=\"margin:8px 0 0;line-height:0\"><img src=\"{}\" height=\"22\" alt=\"{}\"></p>",
        escape_html(badge_src),
        escape_html(&nok_i18n::t("print-badge-alt"))
    ))
}

/// The live badge as SVG: «Оценка | 84,30 из 100», or «Оценка | оценка проводится» while there is no
/// published total (also for a total that is not a number in 0–100).
pub fn badge_svg(total: Option<f64>) -> String {
    let total = total.filter(|t| t.is_finite() && (0.0..=100.0).contains(t));
    let (value, title, fill) = match total {
        Some(t) => {
            let score = nok_i18n::format_decimal(t, 2);
            (
                nok_i18n::t!("print-badge-score", score = score.as_str()),
                nok_i18n::t!("print-badge-title-score", score = score.as_str()),
                "#1d6b3a",
            )
        }
        None => (nok_i18n::t("print-badge-pending"), nok_i18n::t("print-badge-title-pending"), "#5c5c5c"),
    };
    let label = nok_i18n::t("print-badge-label");
    // Text widths are fixed with textLength, so the badge looks the same whatever font the viewer has.
    let width_of = |s: &str| s.chars().count() as f64 * 7.0;
    let (lw, vw) = (width_of(&label) + 16.0, width_of(&value) + 16.0);
    let total_w = lw + vw;
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{total_w:.0}\" height=\"22\" viewBox=\"0 0 {total_w:.0} 22\" \
role=\"img\" aria-label=\"{title}\"><title>{title}</title>\
<rect width=\"{total_w:.0}\" height=\"22\" rx=\"4\" fill=\"{fill}\"/>\
<path d=\"M4 0h{lw_inner:.0}v22H4a4 4 0 0 1-4-4V4a4 4 0 0 1 4-4z\" fill=\"#0b4f8a\"/>\
<g fill=\"#fff\" font-family=\"DejaVu Sans,Verdana,Arial,sans-serif\" font-size=\"12\">\
<text x=\"8\" y=\"15\" textLength=\"{lt:.0}\" lengthAdjust=\"spacingAndGlyphs\">{label}</text>\
<text x=\"{vx:.0}\" y=\"15\" textLength=\"{vt:.0}\" lengthAdjust=\"spacingAndGlyphs\">{value}</text>\
</g></svg>",
        title = escape_html(&title),
        lw_inner = lw - 4.0,
        lt = lw - 16.0,
        vx = lw + 8.0,
        vt = vw - 16.0,
        label = escape_html(&label),
        value = escape_html(&value),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup() {
        assert_eq!(escape_html("<a href=\"x\">'&'</a>"), "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
    }

    #[test]
    fn badge_image_points_only_at_the_platform() {
        let html = badge_img_html("/o/7F3KQ9/badge.svg").unwrap();
        assert!(html.contains("<img src=\"/o/7F3KQ9/badge.svg\"") && html.contains("alt=\""));
        assert!(badge_img_html("https://nok.example.ru/o/1/badge.svg").is_ok());
        for bad in ["javascript:alert(1)", "//evil.example/b.svg", "/x\"onerror=\"alert(1)"] {
            assert!(badge_img_html(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn image_source_must_be_ours_or_http() {
        let url = "https://nok.example.ru/o/1/anketa?ch=website_widget";
        assert!(widget_html("X", url, WidgetQr::Image("/o/1/qr.svg")).is_ok());
        assert!(widget_html("X", url, WidgetQr::Image("javascript:alert(1)")).is_err());
        assert!(widget_html("X", url, WidgetQr::Image("//evil.example/x.svg")).is_err());
    }
}
