//! The counter schema on SQLite and (with NOK_TEST_DATABASE_URL) PostgreSQL: responses per channel live in
//! columns of `survey_counter`, read through the `channel_counter` view; the migrations that made it so
//! keep the counts when run down and up again; a response with a channel the counters do not know is
//! refused, not stored uncounted.

mod common;
mod score_fixtures;

use nok_methodology::AnswerMask;
use nok_store::StoreError;
use nok_store::db::testing;
use nok_store::migration::Migrator;
use nok_store::repo::survey::{self, Outcome};
use score_fixtures::{counter_tables, response, store};
use sea_orm_migration::MigratorTrait;

const PERIOD: i32 = 2026;

#[tokio::test]
async fn channel_counts_survive_the_migrations_down_and_up() {
    for backend in testing::backends() {
        let db = testing::fresh(backend).await;
        let w = common::world(&db).await;
        let (a, b) = (w.orgs[0].id, w.orgs[1].id);
        let yes = AnswerMask { asked: 0b11, yes: 0b01 };
        store(&db, a, PERIOD, "qr_poster", &[yes, yes, yes]).await;
        store(&db, a, PERIOD, "operator_interview", &[yes]).await;
        store(&db, b, PERIOD, "api", &[yes, yes]).await;
        let before = counter_tables(&db).await;
        let expected = vec![
            (i64::from(a), i64::from(PERIOD), "operator_interview".to_owned(), 1),
            (i64::from(a), i64::from(PERIOD), "qr_poster".to_owned(), 3),
            (i64::from(b), i64::from(PERIOD), "api".to_owned(), 2),
        ];
        let mut sorted = expected.clone();
        sorted.sort();
        assert_eq!(before.1, sorted, "{backend}: the view lists the non-zero channel counts");

        // Down past the sealed appeal texts, the sealed suggestions, the insert counting, the response indexes, the triggers and the
        // channel columns (back to a channel table), then up.
        Migrator::down(&db.write, Some(6)).await.unwrap();
        Migrator::up(&db.write, None).await.unwrap();
        assert_eq!(counter_tables(&db).await, before, "{backend}: the counts survive down and up");

        // Counting still works after the round trip.
        store(&db, b, PERIOD, "api", &[yes]).await;
        let after = counter_tables(&db).await;
        assert!(after.1.contains(&(i64::from(b), i64::from(PERIOD), "api".to_owned(), 3)), "{backend}: {after:?}");
    }
}

#[tokio::test]
async fn a_response_with_an_unknown_channel_is_refused() {
    for backend in testing::backends() {
        let db = testing::fresh(backend).await;
        let w = common::world(&db).await;
        let r = response(w.orgs[0].id, PERIOD, "carrier_pigeon", AnswerMask { asked: 1, yes: 1 });
        assert!(matches!(survey::insert(&db, &r).await, Err(StoreError::Invalid(_))), "{backend}: single insert");
        assert!(
            matches!(survey::insert_batch(&db, std::slice::from_ref(&r)).await, Err(StoreError::Invalid(_))),
            "{backend}: batch insert"
        );
        assert_eq!(counter_tables(&db).await, (vec![], vec![]), "{backend}: nothing stored or counted");
        assert!(survey::get(&db.read, &r.id).await.unwrap().is_none());
    }
}

/// A group commit says which responses it stored: a new id is created, an id stored before and a second
/// occurrence within the batch are repeats, and each response is counted once.
#[tokio::test]
async fn a_batch_tells_new_responses_from_repeats() {
    for backend in testing::backends() {
        let db = testing::fresh(backend).await;
        let w = common::world(&db).await;
        let org = w.orgs[0].id;
        let yes = AnswerMask { asked: 1, yes: 1 };
        let earlier = response(org, PERIOD, "api", yes);
        assert_eq!(survey::insert_batch(&db, std::slice::from_ref(&earlier)).await.unwrap(), [Outcome::Created]);
        let fresh = response(org, PERIOD, "qr_poster", yes);
        let batch = [earlier.clone(), fresh.clone(), fresh.clone(), response(org, PERIOD, "api", yes)];
        let outcomes = survey::insert_batch(&db, &batch).await.unwrap();
        assert_eq!(
            outcomes,
            [Outcome::Duplicate, Outcome::Created, Outcome::Duplicate, Outcome::Created],
            "{backend}: outcomes in input order"
        );
        let (counters, channels) = counter_tables(&db).await;
        assert_eq!(counters.iter().map(|c| c[2]).sum::<i64>(), 3, "{backend}: three responses counted: {counters:?}");
        assert!(
            channels.contains(&(i64::from(org), i64::from(PERIOD), "api".to_owned(), 2)),
            "{backend}: {channels:?}"
        );
        // An empty batch stores nothing and does not fail.
        assert!(survey::insert_batch(&db, &[]).await.unwrap().is_empty());
    }
}
