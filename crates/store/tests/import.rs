//! Registry import through the store: all rows or nothing, per-row errors with real row numbers,
//! `skip_invalid`, re-import by ИНН with history, scope of the importing authority, and an
//! export → import round trip to identical data — on SQLite and PostgreSQL.

mod common;

use nok_methodology::Sphere;
use nok_registry::import::read_organizations;
use nok_store::Actor;
use nok_store::db::testing;
use nok_store::repo::import::{ImportOptions, import_organizations};
use nok_store::repo::organizations::{self, OrgQuery};
use std::io::Cursor;

fn csv_of(records: &[nok_registry::record::OrganizationRecord]) -> Vec<u8> {
    let mut out = Vec::new();
    nok_registry::export::write_csv(&mut out, records.iter()).unwrap();
    out
}

async fn import_bytes(
    db: &nok_store::Db,
    actor: &Actor,
    bytes: Vec<u8>,
    skip_invalid: bool,
) -> nok_store::repo::import::ImportReport {
    let rows = read_organizations(Cursor::new(bytes), None).unwrap();
    import_organizations(db, actor, rows.numbered(), &ImportOptions { skip_invalid }, |_| {}).await.unwrap()
}

async fn count(db: &nok_store::Db) -> u64 {
    organizations::count(&db.read, &Actor::system(), &OrgQuery { include_inactive: true, ..Default::default() })
        .await
        .unwrap()
}

fn records(n: u64) -> Vec<nok_registry::record::OrganizationRecord> {
    (0..n).map(|i| common::record(1000 + i, "76", Sphere::Culture, &format!("Библиотека № {i}"))).collect()
}

#[tokio::test]
async fn one_bad_row_among_thousands_writes_nothing() {
    for backend in testing::backends() {
        let db = testing::fresh(backend).await;
        let mut recs = records(3000);
        recs[1500].inn = "7707083890".into(); // wrong check digit
        let report = import_bytes(&db, &Actor::system(), csv_of(&recs), false).await;
        assert!(!report.committed, "{backend}");
        assert_eq!(report.invalid_rows, 1);
        assert_eq!(report.errors[0].row, 1502, "header is row 1, first data row is 2");
        assert_eq!(report.errors[0].column, "ИНН");
        assert_eq!(count(&db).await, 0, "{backend}: nothing written");

        let report = import_bytes(&db, &Actor::system(), csv_of(&recs), true).await;
        assert!(report.committed);
        assert_eq!(report.created, 2999, "{backend}");
        assert_eq!(count(&db).await, 2999);
    }
}

#[tokio::test]
async fn reimport_updates_by_inn_and_records_history() {
    for backend in testing::backends() {
        let db = testing::fresh(backend).await;
        let mut recs = records(20);
        let first = import_bytes(&db, &Actor::system(), csv_of(&recs), false).await;
        assert_eq!((first.created, first.updated), (20, 0));
        recs[3].short_name = "Переименованная библиотека".into();
        let second = import_bytes(&db, &Actor::system(), csv_of(&recs), false).await;
        assert_eq!((second.created, second.updated, second.unchanged), (0, 1, 19), "{backend}");
        let found = organizations::list(
            &db.read,
            &Actor::system(),
            &OrgQuery { q: Some("переименованная".into()), ..Default::default() },
        )
        .await
        .unwrap();
        assert_eq!(found.total, 1);
        let history = organizations::history(&db, &Actor::system(), found.items[0].id).await.unwrap();
        assert_eq!(history.len(), 2, "created + updated");
        assert_eq!(history[0].before.as_ref().unwrap()["short_name"], "Библиотека № 3");
    }
}

#[tokio::test]
async fn database_checks_name_the_row() {
    for backend in testing::backends() {
        let db = testing::fresh(backend).await;
        let w = common::world(&db).await;
        let mut recs = records(3);
        recs[1].authority = Some("no-such-authority".into());
        recs[2].region_code = "77".into(); // outside the authority's region
        recs[2].sphere = Sphere::Health;
        recs[0].sphere = Sphere::Health;
        recs[1].sphere = Sphere::Health;
        let report = import_bytes(&db, &w.authority, csv_of(&recs), false).await;
        assert!(!report.committed);
        let rows: Vec<(usize, &str)> = report.errors.iter().map(|e| (e.row, e.column.as_str())).collect();
        assert_eq!(rows, vec![(3, "Уполномоченный орган"), (4, "Код региона")], "{backend}");
        assert_eq!(count(&db).await, 8, "only the fixture's organisations");
    }
}

#[tokio::test]
async fn export_then_import_round_trips_to_identical_data() {
    for backend in testing::backends() {
        let source = testing::fresh(backend).await;
        let region = nok_registry::demo::generate(3, 60);
        for a in &region.authorities {
            let regional = a.code.starts_with("76-");
            nok_store::repo::reference::upsert_authority(
                &source,
                &Actor::system(),
                nok_store::repo::reference::NewAuthority {
                    code: &a.code,
                    name: &a.name,
                    region_code: regional.then_some("76"),
                    sphere: a.sphere.map(|s| s.code()),
                },
            )
            .await
            .unwrap();
        }
        let report = import_bytes(&source, &Actor::system(), csv_of(&region.organizations), false).await;
        assert!(report.committed, "{:?}", report.errors.first());
        let mut exported = Vec::new();
        organizations::for_each_record(&source.read, &Actor::system(), true, |r| exported.push(r)).await.unwrap();

        let target = testing::fresh(backend).await;
        for a in &region.authorities {
            let regional = a.code.starts_with("76-");
            nok_store::repo::reference::upsert_authority(
                &target,
                &Actor::system(),
                nok_store::repo::reference::NewAuthority {
                    code: &a.code,
                    name: &a.name,
                    region_code: regional.then_some("76"),
                    sphere: a.sphere.map(|s| s.code()),
                },
            )
            .await
            .unwrap();
        }
        let mut xlsx = Cursor::new(Vec::new());
        nok_registry::export::write_xlsx(&mut xlsx, exported.iter()).unwrap();
        let report = import_bytes(&target, &Actor::system(), xlsx.into_inner(), false).await;
        assert!(report.committed, "{:?}", report.errors.first());
        let mut again = Vec::new();
        organizations::for_each_record(&target.read, &Actor::system(), true, |r| again.push(r)).await.unwrap();
        exported.sort_by(|a, b| a.inn.cmp(&b.inn));
        again.sort_by(|a, b| a.inn.cmp(&b.inn));
        assert_eq!(exported, again, "{backend}");
    }
}
