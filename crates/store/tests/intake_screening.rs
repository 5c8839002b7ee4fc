//! What the intake writer asks the database when its memory does not cover a window (always on
//! PostgreSQL): devices seen per organisation and responses per source, on SQLite and (with
//! NOK_TEST_DATABASE_URL) PostgreSQL.

mod common;

use nok_methodology::Sphere;
use nok_store::db::testing;
use nok_store::repo::intake;
use nok_store::repo::survey::{self, NewResponse};
use std::collections::HashSet;

fn response(n: u128, org: i32, device: Option<&str>, source: &str, at: i64) -> NewResponse {
    NewResponse {
        id: uuid::Uuid::from_u128(n),
        organization_id: org,
        period: 2026,
        channel: "qr_poster".into(),
        asked: 1,
        yes: 1,
        sex: None,
        age: None,
        suggestions_sealed: None,
        device_hash: device.map(str::to_owned),
        ip_hash: Some(source.to_owned()),
        flag_reason: None,
        created_at: at,
    }
}

#[tokio::test]
async fn screening_counts_what_is_stored_within_the_window() {
    for backend in testing::backends() {
        let db = testing::fresh(backend).await;
        let w = common::world(&db).await;
        let (a, b) = (w.org("76", Sphere::Health).id, w.org("76", Sphere::Culture).id);
        let batch = [
            response(1, a, Some("dev-1"), "src-1", 1_000),
            response(2, b, Some("dev-1"), "src-1", 2_000),
            response(3, a, Some("dev-2"), "src-1", 2_000),
            response(4, a, None, "src-1", 2_500),
            response(5, a, Some("dev-3"), "src-2", 900),
        ];
        survey::insert_batch(&db, &batch).await.unwrap();

        // Devices: dev-1 answered for both organisations after 1 000, dev-2 for one, dev-3 only before.
        let devices = ["dev-1", "dev-2", "dev-3", "dev-9"].map(str::to_owned);
        let seen = intake::devices_seen(&db.write, &devices, 1_000).await.unwrap();
        let expected: HashSet<(String, i32)> =
            [("dev-1".to_owned(), a), ("dev-1".to_owned(), b), ("dev-2".to_owned(), a)].into_iter().collect();
        assert_eq!(seen, expected, "{backend}");
        let later = intake::devices_seen(&db.write, &devices, 2_001).await.unwrap();
        assert!(later.is_empty(), "{backend}: {later:?}");
        assert!(intake::devices_seen(&db.write, &[], 0).await.unwrap().is_empty());

        // Sources: src-1 sent three for `a` since 1 000 (counted up to the cap), one for `b`; src-2 none since.
        let pairs = [("src-1".to_owned(), a), ("src-1".to_owned(), b), ("src-2".to_owned(), a)];
        let counts = intake::source_counts(&db.write, &pairs, 1_000, 10).await.unwrap();
        assert_eq!(counts.get(&pairs[0]), Some(&3), "{backend}");
        assert_eq!(counts.get(&pairs[1]), Some(&1), "{backend}");
        assert_eq!(counts.get(&pairs[2]), None, "{backend}");
        let capped = intake::source_counts(&db.write, &pairs[..1], 0, 2).await.unwrap();
        assert_eq!(capped.get(&pairs[0]), Some(&2), "{backend}: counted up to the cap");
    }
}
