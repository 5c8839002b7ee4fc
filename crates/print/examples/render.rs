//! Writes one of each material into a folder, for looking at them: `cargo run --example render -- OUT_DIR`.

use nok_print::*;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let out = std::path::PathBuf::from(std::env::args().nth(1).unwrap_or_else(|| "print-samples".into()));
    std::fs::create_dir_all(&out)?;
    let base = "https://nok.example.ru";
    let id = "7F3KQ9";
    for size in PaperSize::ALL {
        let input = PosterInput {
            org_name: "Государственное бюджетное учреждение здравоохранения «Городская клиническая больница № 1»"
                .into(),
            authority_name: Some("Министерство здравоохранения Московской области".into()),
            url: questionnaire_url(base, id, Medium::Poster),
            short_url: short_url(base, id),
            size,
            ..Default::default()
        };
        std::fs::write(out.join(format!("poster-{}.pdf", size.name())), poster_pdf(&input)?)?;
    }
    // Variants: uploaded logos and a near scanning distance; a very long name without an authority.
    let logo = |fill: &str| {
        format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 100 100\"><circle cx=\"50\" cy=\"50\" r=\"46\" fill=\"{fill}\"/><path d=\"M30 52l14 14 28-32\" stroke=\"#fff\" stroke-width=\"10\" fill=\"none\"/></svg>"
        )
        .into_bytes()
    };
    let near = PosterInput {
        org_name: "МБОУ «Средняя общеобразовательная школа № 5»".into(),
        authority_name: Some("Управление образования города Тулы".into()),
        org_logo: Some(logo("#2e7d32")),
        authority_logo: Some(logo("#0b4f8a")),
        url: questionnaire_url(base, id, Medium::Poster),
        short_url: short_url(base, id),
        size: PaperSize::A4,
        distance_m: Some(0.5),
    };
    std::fs::write(out.join("poster-a4-near-logos.pdf"), poster_pdf(&near)?)?;
    let long = PosterInput {
        org_name: "Государственное бюджетное учреждение культуры «Областная универсальная научная библиотека имени М. Горького» ".repeat(3),
        authority_name: None,
        distance_m: Some(3.0),
        ..near
    };
    std::fs::write(out.join("poster-a4-long-name.pdf"), poster_pdf(&long)?)?;
    let labels = LabelInput {
        org_name: "МБОУ «Школа № 5»".into(),
        url: questionnaire_url(base, id, Medium::Paper),
        short_url: short_url(base, id),
        qr_mm: 32.0,
    };
    std::fs::write(out.join("labels.pdf"), labels_sheet_pdf(&labels)?)?;
    for (name, o) in [("landscape", ScreenOrientation::Landscape), ("portrait", ScreenOrientation::Portrait)] {
        let png = screen_png(
            "Детская поликлиника № 3",
            &questionnaire_url(base, id, Medium::Screen),
            &short_url(base, id),
            o,
        )?;
        std::fs::write(out.join(format!("screen-{name}.png")), png)?;
    }
    let widget =
        widget_html("Детская поликлиника № 3", &questionnaire_url(base, id, Medium::Website), WidgetQr::Inline)?;
    std::fs::write(out.join("widget.html"), widget)?;
    std::fs::write(out.join("badge.svg"), badge_svg(Some(84.3)))?;
    std::fs::write(out.join("badge-pending.svg"), badge_svg(None))?;
    println!("written to {}", out.display());
    Ok(())
}
