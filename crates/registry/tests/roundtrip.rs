//! Whatever is exported reads back identically: random valid records (quotes, `;`, line breaks, Cyrillic,
//! markup, formula-like text, municipalities of up to 200 characters) → CSV / XLSX / JSON → the importer (or serde
//! for JSON) → the same records.

use nok_registry::ids::{make_inn, make_kpp, make_ogrn};
use nok_registry::{OrganizationRecord, Sphere, read_organizations, regions, write_csv, write_json, write_xlsx};
use proptest::prelude::*;
use std::io::Cursor;

/// Text as a person might type it: any mix of these, never starting or ending with whitespace (cells are trimmed).
fn text(max: usize) -> impl Strategy<Value = String> {
    proptest::string::string_regex(&format!("[А-Яа-яЁё№«»A-Za-z0-9 ;,.\"'<>/&=+@()\\-\\n]{{0,{max}}}"))
        .unwrap()
        .prop_map(|s| s.trim().to_owned())
}

fn non_empty(max: usize) -> impl Strategy<Value = String> {
    text(max).prop_map(|s| if s.is_empty() { "Школа".to_owned() } else { s })
}

fn optional(s: impl Strategy<Value = String>) -> impl Strategy<Value = Option<String>> {
    proptest::option::of(s).prop_map(|o| o.filter(|s| !s.is_empty()))
}

fn slug() -> impl Strategy<Value = String> {
    "[a-z][a-z0-9-]{0,15}[a-z0-9]"
}

fn record() -> impl Strategy<Value = OrganizationRecord> {
    let names = (non_empty(120), non_empty(60), text(200));
    let ids = (any::<u32>(), any::<bool>(), any::<bool>());
    let coordinates = proptest::option::of((-90.0f64..=90.0, -180.0f64..=180.0));
    let contacts = (
        optional(slug().prop_map(|s| format!("https://{s}.example.ru/nok?x=1"))),
        optional(slug().prop_map(|s| format!("info@{s}.ru"))),
        optional(text(30)),
    );
    let rest = (
        proptest::sample::select(Sphere::ALL.to_vec()),
        proptest::sample::select(regions::all().to_vec()),
        optional(text(200)),
        optional(text(20)),
        any::<u32>(),
        any::<bool>(),
    );
    (names, ids, coordinates, contacts, rest).prop_map(
        |(
            (full_name, short_name, address),
            (seed, has_ogrn, has_kpp),
            coords,
            (website, email, phone),
            (sphere, region, municipality, authority, population, active),
        )| {
            OrganizationRecord {
                inn: make_inn(u64::from(seed)),
                full_name,
                short_name,
                ogrn: has_ogrn.then(|| make_ogrn(u64::from(seed))),
                kpp: has_kpp.then(|| make_kpp(u64::from(seed))),
                address,
                latitude: coords.map(|c| c.0),
                longitude: coords.map(|c| c.1),
                website,
                email,
                phone,
                sphere,
                region_code: region.code.to_owned(),
                municipality,
                authority,
                population,
                active,
            }
        },
    )
}

/// Records with distinct ИНН (a repeat would rightly be refused by the importer).
fn registry() -> impl Strategy<Value = Vec<OrganizationRecord>> {
    proptest::collection::vec(record(), 0..25).prop_map(|mut records| {
        for (i, r) in records.iter_mut().enumerate() {
            r.inn = make_inn(i as u64);
        }
        records
    })
}

fn read_back(bytes: Vec<u8>) -> Vec<OrganizationRecord> {
    read_organizations(Cursor::new(bytes), None)
        .unwrap()
        .map(|r| r.unwrap_or_else(|e| panic!("row refused: {e:?}")))
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn csv_round_trip(records in registry()) {
        for r in &records {
            prop_assert_eq!(r.validate(), vec![], "generator makes valid records");
        }
        let mut bytes = Vec::new();
        write_csv(&mut bytes, &records).unwrap();
        prop_assert_eq!(read_back(bytes), records);
    }

    #[test]
    fn xlsx_round_trip(records in registry()) {
        let mut bytes = Cursor::new(Vec::new());
        write_xlsx(&mut bytes, &records).unwrap();
        prop_assert_eq!(read_back(bytes.into_inner()), records);
    }

    #[test]
    fn json_round_trip(records in registry()) {
        let mut bytes = Vec::new();
        write_json(&mut bytes, &records).unwrap();
        let back: Vec<OrganizationRecord> = serde_json::from_slice(&bytes).unwrap();
        prop_assert_eq!(back, records);
    }
}

#[test]
fn csv_is_for_excel_and_safe_from_formulas() {
    let mut rec = nok_registry::demo::generate(1, 1).organizations.remove(0);
    rec.full_name = "=HYPERLINK(\"http://evil\";\"клик\")".into();
    let mut bytes = Vec::new();
    write_csv(&mut bytes, [&rec]).unwrap();
    let text = String::from_utf8(bytes.clone()).unwrap();
    assert!(text.starts_with("\u{feff}ИНН;Полное наименование;Краткое наименование;ОГРН;"), "{text}");
    assert!(text.contains(";\"'=HYPERLINK(\"\"http://evil\"\";\"\"клик\"\")\";"), "{text}");
    assert!(text.contains(";'+7 48"), "phone escaped: {text}");
    let lat = rec.latitude.unwrap().to_string().replace('.', ",");
    assert!(text.contains(&format!(";{lat};")), "decimal comma: {text}");
    assert_eq!(read_back(bytes), vec![rec]);
}

#[test]
fn municipality_column_reads_back_by_russian_header() {
    let mut rec = nok_registry::demo::generate(1, 1).organizations.remove(0);
    rec.municipality = Some("Рыбинский муниципальный район".into());
    let mut bytes = Vec::new();
    write_csv(&mut bytes, [&rec]).unwrap();
    let text = String::from_utf8(bytes.clone()).unwrap();
    assert!(text.contains(";Код региона;Муниципальное образование;Уполномоченный орган;"), "{text}");
    assert!(text.contains(";76;Рыбинский муниципальный район;"), "{text}");
    assert_eq!(read_back(bytes), vec![rec.clone()]);
    let without = text.replace(";Рыбинский муниципальный район;", ";;");
    assert_eq!(read_back(without.into_bytes()), vec![nok_registry::OrganizationRecord { municipality: None, ..rec }]);
}

#[test]
fn xlsx_file_has_a_named_sheet_and_typed_cells() {
    let region = nok_registry::demo::generate(3, 50);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("реестр.xlsx");
    nok_registry::write_xlsx_file(&path, &region.organizations).unwrap();
    let back = read_back(std::fs::read(&path).unwrap());
    assert_eq!(back, region.organizations);

    use calamine::{Data, Reader, Xlsx};
    let mut book: Xlsx<_> = calamine::open_workbook(&path).unwrap();
    assert_eq!(book.sheet_names(), vec!["Организации".to_owned()]);
    let range = book.worksheet_range("Организации").unwrap();
    assert_eq!(range.get((0, 0)), Some(&Data::String("ИНН".into())));
    assert!(matches!(range.get((1, 0)), Some(Data::String(_))), "ИНН kept as text");
    assert!(matches!(range.get((1, 6)), Some(Data::Float(_))), "latitude is a number");
    assert_eq!(range.start(), Some((0, 0)));
    assert_eq!(range.height(), 51);
}

#[test]
fn json_is_an_array_with_english_keys() {
    let region = nok_registry::demo::generate(5, 3);
    let mut bytes = Vec::new();
    write_json(&mut bytes, &region.organizations).unwrap();
    let value: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
    assert_eq!(value.as_array().unwrap().len(), 3);
    assert_eq!(value[0]["region_code"], "76");
    assert_eq!(value[0]["municipality"], region.organizations[0].municipality.as_deref().unwrap());
    assert_eq!(value[0]["sphere"], region.organizations[0].sphere.code());
    let mut empty = Vec::new();
    write_json(&mut empty, []).unwrap();
    assert_eq!(serde_json::from_slice::<Vec<OrganizationRecord>>(&empty).unwrap(), vec![]);
}
