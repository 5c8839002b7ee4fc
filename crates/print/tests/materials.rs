//! End-to-end checks of every material: each template at each size is compiled, the finished file is
//! rasterised and its code decoded back and compared with the link; sizes, fonts and escaping are checked.

use nok_print::*;
use std::sync::Mutex;

const BASE: &str = "https://nok.example.ru";
const ID: &str = "7F3KQ9";
/// Pixels per point for rasterising PDFs in checks.
const PX_PER_PT: f64 = 2.0;
const MM_PER_PT: f64 = 25.4 / 72.0;

fn poster(size: PaperSize) -> PosterInput {
    PosterInput {
        org_name: "Государственное бюджетное учреждение здравоохранения «Городская клиническая больница № 1»".into(),
        authority_name: Some("Министерство здравоохранения Московской области".into()),
        org_logo: None,
        authority_logo: None,
        url: questionnaire_url(BASE, ID, Medium::Poster),
        short_url: short_url(BASE, ID),
        size,
        distance_m: None,
    }
}

fn raster_logo(format: image::ImageFormat) -> Vec<u8> {
    let image = image::RgbImage::from_fn(120, 80, |x, y| image::Rgb([(x * 2) as u8, 80, (y * 3) as u8]));
    let mut out = Vec::new();
    image.write_to(&mut std::io::Cursor::new(&mut out), format).unwrap();
    out
}

const SVG_LOGO: &str = r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100"><circle cx="50" cy="50" r="45" fill="#c0392b"/><rect x="30" y="30" width="40" height="40" fill="#fff"/></svg>"##;

/// The PDF is a PDF, embeds its fonts (subsets of DejaVu) and carries a text layer.
fn assert_pdf_with_embedded_fonts(pdf: &[u8]) {
    assert!(pdf.starts_with(b"%PDF-"), "not a PDF");
    let has = |needle: &[u8]| pdf.windows(needle.len()).any(|w| w == needle);
    assert!(has(b"/FontFile"), "no embedded font program");
    assert!(has(b"DejaVuSans"), "DejaVu Sans is not the font");
    assert!(has(b"/ToUnicode"), "no text layer (ToUnicode map)");
}

/// Rasterises page 1 and returns the decoded codes with their sides in millimetres.
fn decoded_mm(pdf: &[u8], px_per_pt: f64) -> Vec<(String, f64)> {
    let page = rasterize_pdf_page(pdf, 0, px_per_pt).unwrap();
    page.decode_located().into_iter().map(|c| (c.text, c.side_px / px_per_pt * MM_PER_PT)).collect()
}

/// Every code on a page with many identical ones, searched in overlapping windows of `window_mm`
/// (the decoder pairs finder patterns of neighbouring codes wrongly on a full sheet), with sides in mm.
fn decoded_in_windows_mm(pdf: &[u8], px_per_pt: f64, window_mm: f64) -> Vec<(String, f64)> {
    let page = rasterize_pdf_page(pdf, 0, px_per_pt).unwrap();
    let window = (window_mm / MM_PER_PT * px_per_pt) as u32;
    let stride = (window / 3).max(1);
    let mut found: Vec<FoundCode> = Vec::new();
    for y in (0..page.height).step_by(stride as usize) {
        for x in (0..page.width).step_by(stride as usize) {
            for code in page.crop(x, y, window, window).decode_located() {
                let center = (code.center.0 + x as f64, code.center.1 + y as f64);
                let same = |f: &&mut FoundCode| {
                    (f.center.0 - center.0).abs() < code.side_px / 2.0
                        && (f.center.1 - center.1).abs() < code.side_px / 2.0
                };
                // A window may cut the edge of a code that still decodes; keep the largest view.
                match found.iter_mut().find(same) {
                    Some(known) if known.side_px < code.side_px => *known = FoundCode { center, ..code },
                    Some(_) => {}
                    None => found.push(FoundCode { center, ..code }),
                }
            }
        }
    }
    found.into_iter().map(|c| (c.text, c.side_px / px_per_pt * MM_PER_PT)).collect()
}

#[test]
fn posters_at_every_size_decode_from_the_rasterised_pdf() {
    for size in PaperSize::ALL {
        for (org_logo, authority_logo, authority) in [
            (None, None, true),
            (Some(raster_logo(image::ImageFormat::Png)), Some(SVG_LOGO.as_bytes().to_vec()), true),
            (Some(SVG_LOGO.as_bytes().to_vec()), Some(raster_logo(image::ImageFormat::Jpeg)), false),
        ] {
            let mut input = poster(size);
            input.org_logo = org_logo;
            input.authority_logo = authority_logo;
            if !authority {
                input.authority_name = None;
            }
            let pdf = poster_pdf(&input).unwrap();
            assert_pdf_with_embedded_fonts(&pdf);
            let (w, h) = size.size_mm();
            let page = rasterize_pdf_page(&pdf, 0, PX_PER_PT).unwrap();
            let expect_px = |mm: f64| (mm / MM_PER_PT * PX_PER_PT).round() as u32;
            assert_eq!((page.width, page.height), (expect_px(w), expect_px(h)), "{size:?} page size");
            let codes = decoded_mm(&pdf, PX_PER_PT);
            assert_eq!(codes.len(), 1, "{size:?}: {codes:?}");
            assert_eq!(codes[0].0, input.url);
            let qr = Qr::encode(&input.url).unwrap();
            let planned = poster_qr_size(&qr, size, None).unwrap();
            let measured = codes[0].1;
            assert!(
                (measured - planned.side_mm).abs() / planned.side_mm < 0.01,
                "{size:?}: code measures {measured:.1} mm, planned {:.1} mm",
                planned.side_mm
            );
        }
    }
}

#[test]
fn poster_qr_side_follows_the_distance() {
    for (size, distance, expect_mm) in
        [(PaperSize::A4, 0.5, 50.0), (PaperSize::A4, 0.2, 32.0), (PaperSize::A3, 1.0, 100.0)]
    {
        let mut input = poster(size);
        input.distance_m = Some(distance);
        let pdf = poster_pdf(&input).unwrap();
        let codes = decoded_mm(&pdf, PX_PER_PT);
        assert_eq!(codes.len(), 1);
        assert_eq!(codes[0].0, input.url);
        assert!((codes[0].1 - expect_mm).abs() < 0.6, "{size:?} {distance} m: {:.1} mm", codes[0].1);
    }
    // Far beyond what the page holds: clamped, still one page, still decodes.
    for size in PaperSize::ALL {
        let mut input = poster(size);
        input.distance_m = Some(10.0);
        verify_pdf(&poster_pdf(&input).unwrap(), &input.url).unwrap();
    }
}

#[test]
fn hostile_and_long_names_are_data_not_markup() {
    let hostile = r#"<script>alert(1)</script> #set page(width: 1cm) #eval("1/0") $x^2$ *жирный* _курсив_ "кавычки" 'апостроф' \ @ref <label> // комментарий /* ] ) }"#;
    for size in PaperSize::ALL {
        let mut input = poster(size);
        input.org_name = hostile.into();
        input.authority_name = Some(hostile.into());
        verify_pdf(&poster_pdf(&input).unwrap(), &input.url).unwrap();

        let mut long = poster(size);
        long.org_name = "Государственное бюджетное учреждение культуры «Областная универсальная научная библиотека имени М. Горького» ".repeat(4);
        long.authority_name = Some(
            "Министерство культуры, туризма и архивного дела Российской Федерации по делам очень длинных названий "
                .repeat(3),
        );
        verify_pdf(&poster_pdf(&long).unwrap(), &long.url).unwrap();
    }
    let mut labels = LabelInput {
        org_name: hostile.into(),
        url: questionnaire_url(BASE, ID, Medium::Paper),
        short_url: short_url(BASE, ID),
        qr_mm: 32.0,
    };
    verify_pdf(&labels_sheet_pdf(&labels).unwrap(), &labels.url).unwrap();
    labels.org_name = "Очень длинное название ".repeat(30);
    verify_pdf(&labels_sheet_pdf(&labels).unwrap(), &labels.url).unwrap();
    let png = screen_png(hostile, &labels.url, &labels.short_url, ScreenOrientation::Landscape).unwrap();
    verify_png(&png, &labels.url).unwrap();
}

#[test]
fn broken_inputs_are_refused() {
    let mut input = poster(PaperSize::A4);
    input.org_logo = Some(b"not a picture".to_vec());
    assert!(matches!(poster_pdf(&input), Err(PrintError::Logo(_))));
    let mut input = poster(PaperSize::A4);
    input.url = "javascript:alert(1)".into();
    assert!(matches!(poster_pdf(&input), Err(PrintError::BadUrl(_))));
    let mut input = poster(PaperSize::A4);
    input.org_name = "  ".into();
    assert!(matches!(poster_pdf(&input), Err(PrintError::Input(_))));
    let mut input = poster(PaperSize::A4);
    input.org_logo = Some(b"\x89PNG\r\n\x1a\n broken".to_vec());
    assert!(poster_pdf(&input).is_err(), "a broken PNG must fail, not print a blank logo");
}

#[test]
fn label_sheets_hold_codes_of_at_least_32_mm() {
    for qr_mm in [32.0, 40.0, 60.0, 100.0] {
        let input = LabelInput {
            org_name: "МБОУ «Школа № 5»".into(),
            url: questionnaire_url(BASE, ID, Medium::Paper),
            short_url: short_url(BASE, ID),
            qr_mm,
        };
        let pdf = labels_sheet_pdf(&input).unwrap();
        assert_pdf_with_embedded_fonts(&pdf);
        let layout = label_layout(&Qr::encode(&input.url).unwrap(), qr_mm).unwrap();
        let codes = decoded_in_windows_mm(&pdf, 2.0, layout.picture_mm * 1.3);
        assert_eq!(codes.len(), layout.count(), "{qr_mm} mm: every label on the sheet decodes");
        if qr_mm <= 40.0 {
            assert!(layout.count() >= 12, "{layout:?}");
        }
        for (text, side_mm) in &codes {
            assert_eq!(text, &input.url);
            assert!(*side_mm >= 31.7 && (side_mm - qr_mm).abs() < 0.4, "{qr_mm} mm label measures {side_mm:.2} mm");
        }
    }
    let small = LabelInput {
        qr_mm: 25.0,
        ..LabelInput {
            org_name: "X".into(),
            url: questionnaire_url(BASE, ID, Medium::Paper),
            short_url: short_url(BASE, ID),
            qr_mm: 0.0,
        }
    };
    assert!(matches!(labels_sheet_pdf(&small), Err(PrintError::Input(_))));
}

#[test]
fn screen_images_have_exact_sizes_and_decode() {
    let url = questionnaire_url(BASE, ID, Medium::Screen);
    for orientation in ScreenOrientation::ALL {
        let png = screen_png("Детская поликлиника № 3", &url, &short_url(BASE, ID), orientation).unwrap();
        let image = image::load_from_memory(&png).unwrap();
        assert_eq!((image.width(), image.height()), orientation.size_px());
        verify_png(&png, &url).unwrap();
    }
}

#[test]
fn widget_is_self_contained_and_escaped() {
    let url = questionnaire_url(BASE, ID, Medium::Website);
    let html = widget_html("<script>alert('x')</script> & «Школа»", &url, WidgetQr::Inline).unwrap();
    assert!(!html.to_lowercase().contains("<script"), "{html}");
    assert!(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; «Школа»"));
    // The only outside address is the questionnaire link itself, and it is an active link.
    assert_eq!(html.matches("http").count(), 1, "{html}");
    assert!(html.contains(&format!("<a href=\"{url}\"")));
    assert!(html.contains("<svg") && !html.contains("<iframe") && !html.contains("<link") && !html.contains("@import"));
    for handler in ["onload=", "onclick=", "onerror=", "onmouseover=", "javascript:"] {
        assert!(!html.contains(handler), "{handler} in {html}");
    }
    // Text above the code, the link below it.
    let (heading, svg, link) =
        (html.find("Оцените").unwrap(), html.find("<svg").unwrap(), html.find("<a href").unwrap());
    assert!(heading < svg && svg < link);

    let with_img = widget_html("Школа", &url, WidgetQr::Image("/o/7F3KQ9/qr.svg")).unwrap();
    assert!(with_img.contains("<img src=\"/o/7F3KQ9/qr.svg\""));
    assert!(widget_html("Школа", "javascript:alert(1)", WidgetQr::Inline).is_err());
}

#[test]
fn widget_qr_decodes() {
    let url = questionnaire_url(BASE, ID, Medium::Website);
    let svg = qr_svg(&url, Some(40.0)).unwrap();
    assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
    verify_png(&qr_png(&url, 256).unwrap(), &url).unwrap();
}

#[test]
fn badge_uses_comma_decimals() {
    let svg = badge_svg(Some(84.3));
    assert!(svg.contains("Оценка: 84,30 из 100"), "{svg}");
    assert!(svg.contains(">84,30 из 100<"));
    assert!(!svg.contains("84.3"));
    let pending = badge_svg(None);
    assert!(pending.contains("оценка проводится"));
    assert!(badge_svg(Some(f64::NAN)).contains("оценка проводится"));
    assert!(badge_svg(Some(100.0)).contains("100,00 из 100"));
}

#[test]
fn batch_uses_every_worker_and_reports_each_poster() {
    let inputs: Vec<PosterInput> = (0..12)
        .map(|i| {
            let id = format!("ORG{i:04}");
            let mut input = poster(if i % 3 == 0 { PaperSize::A3 } else { PaperSize::A4 });
            input.org_name = format!("Организация № {i}");
            input.url = questionnaire_url(BASE, &id, Medium::Poster);
            input.short_url = short_url(BASE, &id);
            if i == 5 {
                input.url = "not a link".into();
            }
            input
        })
        .collect();
    let urls: Vec<String> = inputs.iter().map(|i| i.url.clone()).collect();
    let seen = Mutex::new(Vec::new());
    let report = posters_batch_on(2, inputs, |index, result| {
        match result {
            Ok(pdf) => {
                assert!(pdf.starts_with(b"%PDF"));
                if index % 4 == 0 {
                    verify_pdf(&pdf, &urls[index]).unwrap();
                }
            }
            Err(e) => assert_eq!(index, 5, "{e}"),
        }
        seen.lock().unwrap().push(index);
    });
    assert_eq!((report.total, report.failed), (12, 1));
    let mut seen = seen.into_inner().unwrap();
    seen.sort();
    assert_eq!(seen, (0..12).collect::<Vec<_>>());
}

#[test]
fn poster_catalogue_texts_are_defined() {
    for id in [
        "print-poster-heading",
        "print-poster-can-rate",
        "print-poster-item-comfort",
        "print-poster-item-staff",
        "print-poster-item-info",
        "print-poster-item-booking",
        "print-poster-item-accessibility",
        "print-poster-appeal",
        "print-poster-scan",
        "print-poster-footer",
        "print-label-invite",
        "print-screen-heading",
        "print-widget-heading",
        "print-widget-link",
        "print-badge-pending",
    ] {
        assert!(nok_i18n::has(id), "{id} missing from the catalogue");
    }
}
