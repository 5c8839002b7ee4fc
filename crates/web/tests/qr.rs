//! QR materials over real HTTP: downloads for every role in its scope (each file's code decoded back),
//! refusals outside it, the authority's ZIP with one PDF per organisation, logos and photos checked by
//! their bytes, the placement registry, coverage and scan analytics with exports, and the public badge.

mod support;

use nok_methodology::Sphere;
use nok_print::{Medium, questionnaire_url};
use nok_registry::record::OrganizationRecord;
use nok_store::entities::{contract, organization};
use nok_store::repo::import::{ImportOptions, import_organizations};
use nok_store::repo::organizations::{self, OrgQuery};
use nok_store::repo::reference;
use nok_store::{Actor, Role};
use support::{PASSWORD, Server, client, csrf_of, login, start};

fn record(seed: u64, region: &str, sphere: Sphere, name: &str) -> OrganizationRecord {
    let authority = if region == "76" { "76-health" } else { "77-health" };
    OrganizationRecord {
        authority: Some(authority.into()).filter(|_| sphere == Sphere::Health),
        ..support::record(seed, region, sphere, name)
    }
}

/// Three health organisations of 76 (the first one staff's and the operator's), one of 77, one culture
/// organisation of 76; the two health authorities; a user of every role.
struct World {
    own: organization::Model,
    health76: Vec<organization::Model>,
    other_region: organization::Model,
    other_sphere: organization::Model,
    authority76: i32,
    authority77: i32,
}

async fn world(s: &Server) -> World {
    let system = Actor::system();
    let new =
        |code, name, region| reference::NewAuthority { code, name, region_code: Some(region), sphere: Some("health") };
    let a76 = reference::upsert_authority(
        &s.db,
        &system,
        new("76-health", "Министерство здравоохранения Ярославской области", "76"),
    )
    .await
    .unwrap();
    let a77 = reference::upsert_authority(
        &s.db,
        &system,
        new("77-health", "Департамент здравоохранения города Москвы", "77"),
    )
    .await
    .unwrap();
    let recs = vec![
        record(1, "76", Sphere::Health, "Городская больница № 1"),
        record(2, "76", Sphere::Health, "Городская поликлиника № 2"),
        record(3, "76", Sphere::Health, "Стоматологическая поликлиника № 3"),
        record(4, "77", Sphere::Health, "Московская больница № 4"),
        record(5, "76", Sphere::Culture, "Областная библиотека"),
    ];
    let rows = recs.into_iter().enumerate().map(|(i, r)| (i + 2, Ok(r)));
    let report = import_organizations(&s.db, &system, rows, &ImportOptions::default(), |_| {}).await.unwrap();
    assert!(report.committed, "{:?}", report.errors);
    let mut orgs = organizations::list(&s.db.read, &system, &OrgQuery { per_page: 100, ..Default::default() })
        .await
        .unwrap()
        .items;
    orgs.sort_by_key(|o| o.id);
    let op = reference::create_operator(&s.db, &system, "Оператор", None).await.unwrap();
    let c = contract::Model {
        id: 0,
        operator_id: op.id,
        authority_id: a76.id,
        number: "1".into(),
        period: 2026,
        starts_on: None,
        ends_on: None,
    };
    reference::create_contract(&s.db, &system, c, &[orgs[0].id]).await.unwrap();
    s.add_user("admin", Role::Admin, |_| {}).await;
    s.add_user("auth76", Role::Authority, |n| n.authority_id = Some(a76.id)).await;
    s.add_user("council76", Role::Council, |n| n.authority_id = Some(a76.id)).await;
    s.add_user("operator", Role::Operator, |n| n.operator_id = Some(op.id)).await;
    s.add_user("staff", Role::Staff, |n| n.organization_id = Some(orgs[0].id)).await;
    s.add_user("mon77", Role::Monitor, |n| n.monitor_regions = Some(vec!["77".into()])).await;
    World {
        own: orgs[0].clone(),
        health76: orgs[..3].to_vec(),
        other_region: orgs[3].clone(),
        other_sphere: orgs[4].clone(),
        authority76: a76.id,
        authority77: a77.id,
    }
}

async fn get(c: &reqwest::Client, s: &Server, path: &str) -> reqwest::Response {
    c.get(s.url(path)).send().await.unwrap()
}

async fn bytes(c: &reqwest::Client, s: &Server, path: &str) -> (u16, String, Vec<u8>) {
    let res = get(c, s, path).await;
    let status = res.status().as_u16();
    let ctype = res.headers().get("content-type").map(|v| v.to_str().unwrap().to_string()).unwrap_or_default();
    (status, ctype, res.bytes().await.unwrap().to_vec())
}

/// Every download of an organisation works and its code reads back to the right link.
async fn downloads_work(c: &reqwest::Client, s: &Server, org: &organization::Model) {
    let id = org.id;
    let url = |m| questionnaire_url(&s.base, &org.public_id, m);
    let page = get(c, s, &format!("/cabinet/qr/{id}")).await;
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains("QR-коды и плакаты") && html.contains(&url(Medium::Poster)), "{html}");
    assert!(escaped_snippet(&html), "the widget snippet is shown escaped");

    let (st, ctype, svg) = bytes(c, s, &format!("/cabinet/qr/{id}/code?medium=paper&format=svg&mm=40")).await;
    assert_eq!((st, ctype.as_str()), (200, "image/svg+xml"));
    nok_print::verify_svg(std::str::from_utf8(&svg).unwrap(), &url(Medium::Paper)).unwrap();
    let (st, ctype, png) = bytes(c, s, &format!("/cabinet/qr/{id}/code?medium=screen&format=png&px=600")).await;
    assert_eq!((st, ctype.as_str()), (200, "image/png"));
    nok_print::verify_png(&png, &url(Medium::Screen)).unwrap();
    let (st, ctype, pdf) = bytes(c, s, &format!("/cabinet/qr/{id}/poster?size=a3&distance=1,2")).await;
    assert_eq!((st, ctype.as_str()), (200, "application/pdf"));
    nok_print::verify_pdf(&pdf, &url(Medium::Poster)).unwrap();
    let (st, _, pdf) = bytes(c, s, &format!("/cabinet/qr/{id}/labels?mm=35")).await;
    assert_eq!(st, 200);
    assert!(pdf.starts_with(b"%PDF"));
    let (st, _, png) = bytes(c, s, &format!("/cabinet/qr/{id}/screen?orientation=portrait")).await;
    assert_eq!(st, 200);
    nok_print::verify_png(&png, &url(Medium::Screen)).unwrap();
    let (st, _, html) = bytes(c, s, &format!("/cabinet/qr/{id}/widget?badge=1")).await;
    assert_eq!(st, 200);
    let html = String::from_utf8(html).unwrap();
    assert!(html.contains("nok-widget") && html.contains("/badge/") && !html.contains("<script"), "{html}");
}

/// The page shows the widget's HTML as text (inside a textarea), never as markup.
fn escaped_snippet(html: &str) -> bool {
    html.contains("nok-widget")
        && !html.contains("<div class=\"nok-widget\"")
        && (html.contains("&lt;div") || html.contains("&#60;div"))
}

async fn refused(c: &reqwest::Client, s: &Server, org: &organization::Model) {
    for path in [
        format!("/cabinet/qr/{}", org.id),
        format!("/cabinet/qr/{}/code?format=svg", org.id),
        format!("/cabinet/qr/{}/poster", org.id),
        format!("/cabinet/qr/{}/labels", org.id),
        format!("/cabinet/qr/{}/screen", org.id),
        format!("/cabinet/qr/{}/widget", org.id),
        format!("/cabinet/placements/{}", org.id),
    ] {
        assert_eq!(get(c, s, &path).await.status(), 403, "{path}");
    }
}

fn zip_names(body: &[u8]) -> Vec<String> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(body.to_vec())).expect("a readable ZIP");
    (0..archive.len()).map(|i| archive.by_index(i).unwrap().name().unwrap().to_string()).collect()
}

#[tokio::test]
async fn downloads_per_role_and_refusals_outside_the_scope() {
    let s = start("sqlite").await;
    let w = world(&s).await;

    let anonymous = client();
    let res = get(&anonymous, &s, &format!("/cabinet/qr/{}", w.own.id)).await;
    assert_eq!(res.status(), 303, "sign-in first");

    // Staff: straight to their organisation; others refused.
    let (staff, _) = login(&s, "staff", PASSWORD).await;
    let res = get(&staff, &s, "/cabinet/qr").await;
    assert_eq!(res.headers()["location"], format!("/cabinet/qr/{}", w.own.id).as_str());
    downloads_work(&staff, &s, &w.own).await;
    refused(&staff, &s, &w.other_region).await;
    refused(&staff, &s, &w.health76[1]).await;
    assert_eq!(get(&staff, &s, &format!("/cabinet/qr/authority/{}/posters", w.authority76)).await.status(), 403);

    // Operator: its contract's organisation only; council and monitor: their scope.
    let (operator, _) = login(&s, "operator", PASSWORD).await;
    assert_eq!(get(&operator, &s, &format!("/cabinet/qr/{}/code?format=svg", w.own.id)).await.status(), 200);
    refused(&operator, &s, &w.health76[1]).await;
    let (council, _) = login(&s, "council76", PASSWORD).await;
    assert_eq!(get(&council, &s, &format!("/cabinet/qr/{}/code?format=svg", w.health76[2].id)).await.status(), 200);
    refused(&council, &s, &w.other_sphere).await;
    assert_eq!(get(&council, &s, &format!("/cabinet/qr/authority/{}/posters", w.authority76)).await.status(), 403);
    let (monitor, _) = login(&s, "mon77", PASSWORD).await;
    assert_eq!(get(&monitor, &s, &format!("/cabinet/qr/{}/code?format=png", w.other_region.id)).await.status(), 200);
    refused(&monitor, &s, &w.own).await;

    // Authority: its organisations, not another region's or sphere's; the ZIP of its own posters only.
    let (authority, _) = login(&s, "auth76", PASSWORD).await;
    downloads_work(&authority, &s, &w.health76[1]).await;
    refused(&authority, &s, &w.other_region).await;
    refused(&authority, &s, &w.other_sphere).await;
    let hub = get(&authority, &s, "/cabinet/qr").await.text().await.unwrap();
    assert!(hub.contains(&format!("/cabinet/qr/authority/{}/posters", w.authority76)));
    assert!(!hub.contains(&w.other_region.short_name), "the hub lists only the scope");
    let res = get(&authority, &s, &format!("/cabinet/qr/authority/{}/posters?size=a4", w.authority76)).await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "application/zip");
    let body = res.bytes().await.unwrap();
    let mut names = zip_names(&body);
    names.sort();
    let mut expected: Vec<String> = w.health76.iter().map(|o| format!("{}-{}-a4.pdf", o.inn, o.public_id)).collect();
    expected.sort();
    assert_eq!(names, expected, "one PDF per organisation of the authority");
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(body.to_vec())).unwrap();
    let mut pdf = Vec::new();
    std::io::Read::read_to_end(&mut archive.by_name(&expected[0]).unwrap(), &mut pdf).unwrap();
    let first = w.health76.iter().find(|o| expected[0].starts_with(&o.inn)).unwrap();
    nok_print::verify_pdf(&pdf, &questionnaire_url(&s.base, &first.public_id, Medium::Poster)).unwrap();
    assert_eq!(get(&authority, &s, &format!("/cabinet/qr/authority/{}/posters", w.authority77)).await.status(), 403);
    assert_eq!(
        get(&authority, &s, &format!("/cabinet/qr/authority/{}/posters?distance=abc", w.authority76)).await.status(),
        400
    );

    // The administrator may download any authority's archive.
    let (admin, _) = login(&s, "admin", PASSWORD).await;
    let res = get(&admin, &s, &format!("/cabinet/qr/authority/{}/posters?size=a3", w.authority77)).await;
    assert_eq!(res.status(), 200);
    assert_eq!(
        zip_names(&res.bytes().await.unwrap()),
        vec![format!("{}-{}-a3.pdf", w.other_region.inn, w.other_region.public_id)]
    );
}

fn upload(bytes: Vec<u8>, name: &str) -> reqwest::multipart::Form {
    reqwest::multipart::Form::new().part("file", reqwest::multipart::Part::bytes(bytes).file_name(name.to_string()))
}

const SVG_LOGO: &[u8] = b"<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 10 10\"><circle cx=\"5\" cy=\"5\" r=\"4\" fill=\"#0b4f8a\"/></svg>";

#[tokio::test]
async fn logos_placements_coverage_and_scans() {
    let s = start("sqlite").await;
    let w = world(&s).await;
    let (staff, _) = login(&s, "staff", PASSWORD).await;
    let page = get(&staff, &s, &format!("/cabinet/qr/{}", w.own.id)).await.text().await.unwrap();
    let csrf = csrf_of(&page);

    // Logos: checked by bytes and size; the accepted one is printed on the poster.
    let target = format!("/cabinet/qr/{}/logo?csrf={csrf}", w.own.id);
    let res = staff
        .post(s.url(&target))
        .multipart(upload(b"MZ\x90\x00not an image".to_vec(), "logo.png"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    assert!(res.headers()["location"].to_str().unwrap().contains("error=format"));
    let mut big = b"\x89PNG\r\n\x1a\n".to_vec();
    big.resize(1024 * 1024 + 10, 0);
    let res = staff.post(s.url(&target)).multipart(upload(big, "big.png")).send().await.unwrap();
    assert!(res.headers()["location"].to_str().unwrap().contains("error=too-large"));
    let res = staff.post(s.url(&target)).multipart(upload(SVG_LOGO.to_vec(), "logo.svg")).send().await.unwrap();
    assert_eq!(res.status(), 303);
    let (st, ctype, logo) = bytes(&staff, &s, &format!("/cabinet/qr/{}/logo", w.own.id)).await;
    assert_eq!((st, ctype.as_str(), logo.as_slice()), (200, "image/svg+xml", SVG_LOGO));
    let (st, _, pdf) = bytes(&staff, &s, &format!("/cabinet/qr/{}/poster", w.own.id)).await;
    assert_eq!(st, 200);
    nok_print::verify_pdf(&pdf, &questionnaire_url(&s.base, &w.own.public_id, Medium::Poster)).unwrap();
    let res = staff
        .post(s.url(&format!("/cabinet/qr/{}/logo?csrf={csrf}", w.other_region.id)))
        .multipart(upload(SVG_LOGO.to_vec(), "x.svg"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403, "another organisation's logo");
    let res = staff
        .post(s.url(&format!("/cabinet/qr/authority/{}/logo?csrf={csrf}", w.authority76)))
        .multipart(upload(SVG_LOGO.to_vec(), "x.svg"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403, "staff do not change the authority's logo");
    assert_eq!(get(&staff, &s, &format!("/cabinet/qr/{}/logo/delete", w.own.id)).await.status(), 200, "asks first");
    let res = staff
        .post(s.url(&format!("/cabinet/qr/{}/logo/delete", w.own.id)))
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    assert_eq!(get(&staff, &s, &format!("/cabinet/qr/{}/logo", w.own.id)).await.status(), 404);

    // Placements: two posters meet the rule; a bad form comes back with its fields named.
    let path = format!("/cabinet/placements/{}", w.own.id);
    let res = staff
        .post(s.url(&path))
        .form(&[("csrf", csrf.as_str()), ("medium", "poster"), ("distance_m", "x")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 422);
    let html = res.text().await.unwrap();
    assert!(html.contains("href=\"#plc-spot\"") && html.contains("href=\"#plc-distance_m\""), "errors link to fields");
    for spot in ["entrance", "main_contact"] {
        let form = [
            ("csrf", csrf.as_str()),
            ("medium", "poster"),
            ("spot", spot),
            ("poster_size", "a4"),
            ("distance_m", "1,5"),
            ("placed_on", "2026-03-01"),
        ];
        let res = staff.post(s.url(&path)).form(&form).send().await.unwrap();
        assert_eq!(res.status(), 303);
    }
    let html = get(&staff, &s, &path).await.text().await.unwrap();
    assert!(html.contains("Правило выполнено"), "{html}");
    assert!(html.contains("01.03.2026") && html.contains("с 1,5 м"));
    let res = staff
        .post(s.url(&format!("/cabinet/placements/{}", w.other_region.id)))
        .form(&[("csrf", csrf.as_str()), ("medium", "poster"), ("spot", "entrance"), ("poster_size", "a4")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403, "another organisation's registry");
    let (operator, _) = login(&s, "operator", PASSWORD).await;
    let op_csrf = csrf_of(&get(&operator, &s, &path).await.text().await.unwrap());
    let res = operator
        .post(s.url(&path))
        .form(&[("csrf", op_csrf.as_str()), ("medium", "poster"), ("spot", "office"), ("poster_size", "a4")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403, "the operator reads only");

    // Coverage for the authority: the contract's organisation is assessed and meets the rule.
    let (authority, _) = login(&s, "auth76", PASSWORD).await;
    let html = get(&authority, &s, "/cabinet/coverage?period=2026").await.text().await.unwrap();
    assert!(html.contains("100,0 %"), "{html}");
    assert!(html.contains(&w.own.short_name) && !html.contains(&w.other_region.short_name));
    let (st, ctype, csv) = bytes(&authority, &s, "/cabinet/coverage/export/csv?period=2026").await;
    assert_eq!((st, ctype.as_str()), (200, "text/csv; charset=utf-8"));
    let csv = String::from_utf8(csv).unwrap();
    assert!(csv.starts_with('\u{feff}') && csv.contains(&w.own.inn) && csv.contains("доля 100,0 %"), "{csv}");
    let (st, _, xlsx) = bytes(&authority, &s, "/cabinet/coverage/export/xlsx?period=2026").await;
    assert!(st == 200 && xlsx.starts_with(b"PK"));
    let (st, ctype, csv) = bytes(&authority, &s, "/cabinet/coverage/regions/export/csv?period=2026").await;
    assert_eq!((st, ctype.as_str()), (200, "text/csv; charset=utf-8"));
    let csv = String::from_utf8(csv).unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert!(lines[0].contains("Код региона") && lines[0].contains("Доля"), "{csv}");
    assert!(lines.iter().any(|l| l.starts_with("76;")) && !lines.iter().any(|l| l.starts_with("77;")), "{csv}");
    assert!(lines.last().unwrap().contains("Итого"), "{csv}");
    let (st, _, xlsx) = bytes(&authority, &s, "/cabinet/coverage/regions/export/xlsx?period=2026").await;
    assert!(st == 200 && xlsx.starts_with(b"PK"));

    // Scans: questionnaire visits through a poster code are counted per QR variant.
    let visitor = client();
    for ch in ["qr_poster", "qr_poster", "website_widget", "phone"] {
        let res = get(&visitor, &s, &format!("/o/{}/anketa?ch={ch}", w.own.public_id)).await;
        assert_eq!(res.status(), 200);
    }
    let mut found = String::new();
    for _ in 0..40 {
        tokio::time::sleep(std::time::Duration::from_millis(250)).await;
        found = String::from_utf8(bytes(&authority, &s, "/cabinet/scans/export/csv").await.2).unwrap();
        if found.contains(&w.own.inn) {
            break;
        }
    }
    let line = found.lines().find(|l| l.contains(&w.own.inn)).unwrap_or_else(|| panic!("no visits counted: {found}"));
    let cells: Vec<&str> = line.split(';').collect();
    assert_eq!((cells[3], cells[12]), ("2", "1"), "poster and widget visits: {line}");
    let html = get(&authority, &s, "/cabinet/scans").await.text().await.unwrap();
    assert!(html.contains(&w.own.short_name));
    let html = get(&staff, &s, "/cabinet/scans").await.text().await.unwrap();
    assert!(!html.contains(&w.other_region.short_name));
}

#[tokio::test]
async fn the_badge_and_the_webmaster_page_are_public() {
    let s = start("sqlite").await;
    let w = world(&s).await;
    let c = client();
    let res = get(&c, &s, &format!("/badge/{}.svg", w.own.public_id)).await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "image/svg+xml; charset=utf-8");
    assert!(res.headers()["cache-control"].to_str().unwrap().starts_with("public, max-age="));
    let etag = res.headers()["etag"].to_str().unwrap().to_string();
    let svg = res.text().await.unwrap();
    assert!(svg.starts_with("<svg") && svg.contains("оценка проводится"), "{svg}");
    let res =
        c.get(s.url(&format!("/badge/{}.svg", w.own.public_id))).header("if-none-match", &etag).send().await.unwrap();
    assert_eq!(res.status(), 304);
    assert_eq!(get(&c, &s, "/badge/nosuchorg.svg").await.status(), 404);
    assert_eq!(get(&c, &s, &format!("/badge/{}", w.own.public_id)).await.status(), 404);

    let res = get(&c, &s, &format!("/widget/{}", w.own.public_id)).await;
    assert_eq!(res.status(), 200);
    let html = res.text().await.unwrap();
    assert!(html.contains("<textarea") && escaped_snippet(&html), "escaped: {html}");
    assert!(html.contains(&format!("/badge/{}.svg", w.own.public_id)));
}
