//! Migration m0018 on SQLite and (with NOK_TEST_DATABASE_URL) PostgreSQL: suggestions texts stored in plain
//! before it are encrypted by it, decrypt to the same text with the installation's key, and are opened
//! again when it is run down; responses without suggestions stay without.

mod common;
mod score_fixtures;

use nok_methodology::AnswerMask;
use nok_store::Db;
use nok_store::crypto::{FieldKey, PURPOSE_SUGGESTIONS};
use nok_store::db::testing;
use nok_store::entities::setting;
use nok_store::migration::Migrator;
use nok_store::repo::survey;
use score_fixtures::response;
use sea_orm::EntityTrait;
use sea_orm_migration::MigratorTrait;

const PLAIN: &str = "Поставить скамейки; врач Иванова И. И. грубит";

async fn stored_suggestions(db: &Db, ids: &[uuid::Uuid]) -> Vec<Option<String>> {
    let mut out = Vec::new();
    for id in ids {
        out.push(survey::get(&db.read, id).await.unwrap().expect("stored").suggestions);
    }
    out
}

#[tokio::test]
async fn plain_suggestions_are_sealed_and_opened_again() {
    for backend in testing::backends() {
        let db = testing::fresh(backend).await;
        let w = common::world(&db).await;
        // Back to the schema before m0018, where the text was stored as it came.
        Migrator::down(&db.write, Some(1)).await.unwrap();
        let mask = AnswerMask { asked: 1, yes: 1 };
        let mut with_text = response(w.orgs[0].id, 2026, "qr_poster", mask);
        with_text.suggestions_sealed = Some(PLAIN.to_owned());
        let without = response(w.orgs[0].id, 2026, "qr_poster", mask);
        survey::insert_batch(&db, &[with_text.clone(), without.clone()]).await.unwrap();
        let ids = [with_text.id, without.id];

        Migrator::up(&db.write, None).await.unwrap();
        let sealed = stored_suggestions(&db, &ids).await;
        let text = sealed[0].clone().expect("still has a text");
        assert!(!text.contains("Иванова") && !text.contains("скамейки"), "{backend}: sealed: {text}");
        let key = FieldKey::load(&db).await.unwrap();
        assert_eq!(key.decrypt(PURPOSE_SUGGESTIONS, &text).unwrap(), PLAIN, "{backend}");
        assert_eq!(sealed[1], None, "{backend}: no text, nothing sealed");

        Migrator::down(&db.write, Some(1)).await.unwrap();
        assert_eq!(stored_suggestions(&db, &ids).await, [Some(PLAIN.to_owned()), None], "{backend}: opened again");
        Migrator::up(&db.write, None).await.unwrap();
        let again = stored_suggestions(&db, &ids).await;
        assert_eq!(key.decrypt(PURPOSE_SUGGESTIONS, again[0].as_deref().unwrap()).unwrap(), PLAIN, "{backend}");
    }
}

#[tokio::test]
async fn a_database_without_suggestions_migrates_without_a_secret() {
    for backend in testing::backends() {
        let db = testing::fresh(backend).await;
        Migrator::down(&db.write, Some(1)).await.unwrap();
        Migrator::up(&db.write, None).await.unwrap();
        let secret = setting::Entity::find_by_id("secret".to_string());
        assert!(secret.one(&db.read).await.unwrap().is_none(), "{backend}: no secret was made for nothing");
    }
}
