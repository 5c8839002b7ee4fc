//! Migrations m0018 and m0019 on SQLite and (with NOK_TEST_DATABASE_URL) PostgreSQL: suggestions texts,
//! appeal texts and answers and mail bodies stored in plain before them are encrypted by them, decrypt to
//! the same text with the installation's key, and are opened again when they are run down; responses
//! without suggestions stay without.

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
        // Back to the schema before m0018 (and m0019), where the text was stored as it came.
        Migrator::down(&db.write, Some(2)).await.unwrap();
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

        Migrator::down(&db.write, Some(2)).await.unwrap();
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
        Migrator::down(&db.write, Some(2)).await.unwrap();
        Migrator::up(&db.write, None).await.unwrap();
        let secret = setting::Entity::find_by_id("secret".to_string());
        assert!(secret.one(&db.read).await.unwrap().is_none(), "{backend}: no secret was made for nothing");
    }
}

#[tokio::test]
async fn appeal_texts_and_mail_bodies_are_opened_by_down_and_sealed_by_up() {
    use nok_store::crypto::{PURPOSE_APPEAL_TEXT, PURPOSE_MAIL_BODY};
    use nok_store::entities::{appeal, mail_outbox};
    use nok_store::repo::appeals::{self, AnswerMail, NewAppeal};
    for backend in testing::backends() {
        let db = testing::fresh(backend).await;
        let w = common::world(&db).await;
        let key = FieldKey::load(&db).await.unwrap();
        let staff = w.staff.clone();
        let org = match staff.scope {
            nok_store::scope::Scope::Organization { organization_id } => organization_id,
            _ => panic!("staff scope"),
        };
        let new = NewAppeal {
            organization_id: org,
            body: "Прошу ответить: врач Иванова грубит.".into(),
            email: "a@example.ru".into(),
            consent: true,
            device_hash: None,
            ip_hash: None,
            at: nok_store::time_util::now(),
        };
        let id = appeals::submit(&db, &key, new).await.unwrap().appeal.id;
        let mail = |a: &appeal::Model| AnswerMail { subject: "Ответ".into(), body: a.answer.clone().unwrap() };
        appeals::answer(&db, &key, &staff, id, "Разобрались, извините.", mail, nok_store::time_util::now())
            .await
            .unwrap();
        let read = async || {
            let a = appeal::Entity::find_by_id(id).one(&db.read).await.unwrap().unwrap();
            let m = mail_outbox::Entity::find().one(&db.read).await.unwrap().unwrap();
            (a.body, a.answer.unwrap(), m.body)
        };

        Migrator::down(&db.write, Some(1)).await.unwrap();
        let plain = read().await;
        assert_eq!(
            plain,
            (
                "Прошу ответить: врач Иванова грубит.".into(),
                "Разобрались, извините.".into(),
                "Разобрались, извините.".into()
            ),
            "{backend}: opened by down"
        );
        Migrator::up(&db.write, None).await.unwrap();
        let (body, answer, mail_body) = read().await;
        assert!(
            !body.contains("Иванова") && !answer.contains("извините") && !mail_body.contains("извините"),
            "{backend}"
        );
        assert_eq!(key.decrypt(PURPOSE_APPEAL_TEXT, &body).unwrap(), plain.0, "{backend}");
        assert_eq!(key.decrypt(PURPOSE_APPEAL_TEXT, &answer).unwrap(), plain.1, "{backend}");
        assert_eq!(key.decrypt(PURPOSE_MAIL_BODY, &mail_body).unwrap(), plain.2, "{backend}");
    }
}
