//! `nok qr` and `nok posters` through the built binary against a small SQLite database: the PNG decodes
//! (rqrr) back to the organisation's channel-tagged link, by ИНН and by public id; SVG gets its printed
//! size; posters are written for one organisation and for a region; unknown organisations fail.

mod common;

use nok_methodology::Sphere;
use nok_registry::record::OrganizationRecord;
use nok_store::repo::import::{ImportOptions, import_organizations};
use nok_store::repo::organizations::{self, OrgQuery};
use nok_store::{Actor, Db};
use std::path::Path;
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_nok");
const BASE: &str = "https://nok.example.ru";

fn record(seed: u64, name: &str) -> OrganizationRecord {
    OrganizationRecord { population: 500, ..common::record(seed, "76", Sphere::Culture, name) }
}

/// A database with two organisations of region 76; returns its URL and the organisations.
async fn database(dir: &Path) -> (String, Vec<nok_store::entities::organization::Model>) {
    let url = format!("sqlite://{}", dir.join("nok.db").display());
    let db = Db::open(&url).await.unwrap();
    let rows = [record(11, "Дом культуры «Нефтяник»"), record(12, "Центральная библиотека")]
        .into_iter()
        .enumerate()
        .map(|(i, r)| (i + 2, Ok(r)));
    let report = import_organizations(&db, &Actor::system(), rows, &ImportOptions::default(), |_| {}).await.unwrap();
    assert!(report.committed);
    let orgs = organizations::list(&db.read, &Actor::system(), &OrgQuery { per_page: 10, ..Default::default() })
        .await
        .unwrap()
        .items;
    db.close().await.unwrap();
    (url, orgs)
}

fn nok(db_url: &str, args: &[&str]) -> Output {
    Command::new(BIN).args(args).env("NOK_DATABASE_URL", db_url).env("NOK_BASE_URL", BASE).output().expect("nok runs")
}

fn decode_png(path: &Path) -> Vec<String> {
    let image = image::open(path).unwrap().to_luma8();
    let mut prepared = rqrr::PreparedImage::prepare(image);
    prepared.detect_grids().into_iter().filter_map(|g| g.decode().ok().map(|(_, text)| text)).collect()
}

#[tokio::test]
async fn qr_png_decodes_back_to_the_link() {
    let dir = tempfile::tempdir().unwrap();
    let (db, orgs) = database(dir.path()).await;
    let org = &orgs[0];

    let png = dir.path().join("poster.png");
    let out = nok(&db, &["qr", "--organization", &org.inn, "--format", "png", "-o", png.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(decode_png(&png), vec![format!("{BASE}/o/{}/anketa?ch=qr_poster", org.public_id)]);

    // By public id, for the website, at a printed size (300 dpi), with the base URL from the flag.
    let site = dir.path().join("site.png");
    let out = nok(
        &db,
        &[
            "qr",
            "--organization",
            &org.public_id,
            "--format",
            "png",
            "--size-mm",
            "30",
            "--medium",
            "website",
            "--base-url",
            "https://nok.gov.example",
            "-o",
            site.to_str().unwrap(),
        ],
    );
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(
        decode_png(&site),
        vec![format!("https://nok.gov.example/o/{}/anketa?ch=website_widget", org.public_id)]
    );
    let side = image::image_dimensions(&site).unwrap().0;
    assert!((400..=460).contains(&side), "30 mm code plus quiet zone at 300 dpi: {side} px");

    let svg = dir.path().join("paper.svg");
    let out = nok(
        &db,
        &[
            "qr",
            "--organization",
            &org.inn,
            "--format",
            "svg",
            "--size-mm",
            "40",
            "--medium",
            "paper",
            "-o",
            svg.to_str().unwrap(),
        ],
    );
    assert!(out.status.success());
    let text = std::fs::read_to_string(&svg).unwrap();
    assert!(text.contains("mm\""), "the SVG has a printed size: {text}");
    nok_print::verify_svg(&text, &format!("{BASE}/o/{}/anketa?ch=qr_paper", org.public_id)).unwrap();

    let out = nok(&db, &["qr", "--organization", "0000000000", "--format", "png", "-o", png.to_str().unwrap()]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("Организация не найдена"));
    let out = nok(
        &db,
        &["qr", "--organization", &org.inn, "--format", "png", "--px", "100", "--size-mm", "30", "-o", "x.png"],
    );
    assert!(!out.status.success(), "--px and --size-mm exclude each other");
}

#[tokio::test]
async fn posters_for_an_organisation_and_a_region() {
    let dir = tempfile::tempdir().unwrap();
    let (db, orgs) = database(dir.path()).await;
    let one = dir.path().join("one.pdf");
    let out = nok(
        &db,
        &["posters", "--organization", &orgs[1].inn, "--size", "a3", "--distance-m", "2", "-o", one.to_str().unwrap()],
    );
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(std::fs::read(&one).unwrap().starts_with(b"%PDF"));

    let all = dir.path().join("region");
    let out = nok(&db, &["posters", "--region", "76", "-o", all.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let mut names: Vec<String> =
        std::fs::read_dir(&all).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
    names.sort();
    let mut expected: Vec<String> = orgs.iter().map(|o| format!("{}-{}-a4.pdf", o.inn, o.public_id)).collect();
    expected.sort();
    assert_eq!(names, expected);
    assert!(String::from_utf8_lossy(&out.stderr).contains("Готово плакатов: 2"));

    let out = nok(&db, &["posters", "--region", "77", "-o", all.to_str().unwrap()]);
    assert!(!out.status.success(), "no organisations selected");
    let out = nok(&db, &["posters", "-o", all.to_str().unwrap()]);
    assert!(!out.status.success(), "one of --organization, --region, --authority is required");
}
