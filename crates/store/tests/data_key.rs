//! The key of personal data at rest on SQLite and (with NOK_TEST_DATABASE_URL) PostgreSQL: a server
//! refuses a key that does not open what is stored, and `rekey` moves every sealed value (appeal e-mails and
//! texts, mail recipients and bodies, suggestions texts) to another key in one transaction, or changes nothing.

mod common;
mod score_fixtures;

use nok_methodology::AnswerMask;
use nok_store::crypto::{FieldKey, PURPOSE_APPEAL_TEXT, PURPOSE_EMAIL, PURPOSE_MAIL_BODY, PURPOSE_SUGGESTIONS};
use nok_store::data_key;
use nok_store::db::testing;
use nok_store::entities::{appeal, mail_outbox};
use nok_store::repo::appeals::{self, NewAppeal};
use nok_store::repo::{outbox, survey};
use nok_store::time_util::now;
use nok_store::{Actor, Db, StoreError};
use sea_orm::EntityTrait;

const EMAIL: &str = "ivan.petrov@example.ru";
const TEXT: &str = "Врач Иванова И. И. грубит";

/// One sealed value of each column, under `key`; returns the response's id.
async fn seal_one_of_each(db: &Db, key: &FieldKey, org: i32) -> uuid::Uuid {
    let new = NewAppeal {
        organization_id: org,
        body: "Прошу ответить.".into(),
        email: EMAIL.into(),
        consent: true,
        device_hash: None,
        ip_hash: None,
        at: now(),
    };
    appeals::submit(db, key, new).await.unwrap();
    let mail = outbox::OutgoingMail {
        kind: "appeal_answer".into(),
        object_type: "appeal".into(),
        object_id: "1".into(),
        recipient_enc: key.encrypt(PURPOSE_EMAIL, EMAIL),
        subject: "Ответ".into(),
        body: key.encrypt(PURPOSE_MAIL_BODY, "Текст"),
    };
    outbox::enqueue_in(&db.write, mail, now()).await.unwrap();
    let mut response = score_fixtures::response(org, 2026, "qr_poster", AnswerMask { asked: 1, yes: 1 });
    response.suggestions_sealed = Some(key.encrypt(PURPOSE_SUGGESTIONS, TEXT));
    survey::insert_batch(db, std::slice::from_ref(&response)).await.unwrap();
    response.id
}

/// Every sealed value opens with `key` (and none shows in clear).
async fn all_open_with(db: &Db, key: &FieldKey, response: uuid::Uuid) -> bool {
    let appeal = appeal::Entity::find().one(&db.read).await.unwrap().unwrap();
    let mail = mail_outbox::Entity::find().one(&db.read).await.unwrap().unwrap();
    let text = survey::get(&db.read, &response).await.unwrap().unwrap().suggestions.unwrap();
    assert!(!appeal.email_enc.contains("ivan") && !text.contains("Иванова"));
    key.decrypt(PURPOSE_EMAIL, &appeal.email_enc).is_ok_and(|e| e == EMAIL)
        && key.decrypt(PURPOSE_EMAIL, &mail.recipient_enc).is_ok_and(|e| e == EMAIL)
        && key.decrypt(PURPOSE_SUGGESTIONS, &text).is_ok_and(|t| t == TEXT)
        && key.decrypt(PURPOSE_APPEAL_TEXT, &appeal.body).is_ok_and(|t| t == "Прошу ответить.")
        && key.decrypt(PURPOSE_MAIL_BODY, &mail.body).is_ok_and(|t| t == "Текст")
}

/// A new key file `name` in `dir`.
fn key_file(dir: &tempfile::TempDir, name: &str) -> std::path::PathBuf {
    let path = dir.path().join(name);
    data_key::generate_file(&path).unwrap();
    path
}

/// The audit entries of rekeys.
async fn rekeys(db: &Db) -> usize {
    nok_store::repo::audit::history(&db.read, "data_key", "personal-data").await.unwrap().len()
}

fn wrong_key<T: std::fmt::Debug>(r: Result<T, StoreError>) {
    assert!(matches!(r, Err(StoreError::WrongDataKey)), "{r:?}");
}

#[tokio::test]
async fn a_data_already_sealed_with_the_server_secret_moves_to_a_key_file_and_back() {
    let dir = tempfile::tempdir().unwrap();
    let file = key_file(&dir, "data.key");
    for backend in testing::backends() {
        let db = testing::fresh(backend).await;
        let w = common::world(&db).await;
        // An installation from before key files: data sealed with the server secret, no check value.
        let secret_key = FieldKey::load(&db).await.unwrap();
        let response = seal_one_of_each(&db, &secret_key, w.orgs[0].id).await;

        wrong_key(data_key::load(&db, Some(&file)).await);
        let current = data_key::load(&db, None).await.unwrap();
        assert_eq!(data_key::sealed_count(&db).await.unwrap(), 5, "{backend}");
        let file_key = data_key::read_file(&file).unwrap();
        let mut seen = Vec::new();
        let moved = data_key::rekey(&db, &Actor::system(), &current, &file_key, |n| seen.push(n)).await.unwrap();
        assert_eq!((moved, seen.last().copied()), (5, Some(5)), "{backend}");
        assert_eq!(rekeys(&db).await, 1, "{backend}: the rekey is in the audit log");
        assert!(all_open_with(&db, &file_key, response).await, "{backend}");
        assert!(!all_open_with(&db, &secret_key, response).await, "{backend}");
        data_key::load(&db, Some(&file)).await.unwrap();
        wrong_key(data_key::load(&db, None).await);

        // And back to the server secret.
        data_key::rekey(&db, &Actor::system(), &file_key, &secret_key, |_| {}).await.unwrap();
        assert!(all_open_with(&db, &secret_key, response).await, "{backend}");
        data_key::load(&db, None).await.unwrap();
        wrong_key(data_key::load(&db, Some(&file)).await);
    }
}

#[tokio::test]
async fn a_new_installation_takes_the_key_file_and_then_refuses_any_other() {
    let dir = tempfile::tempdir().unwrap();
    let (file, other) = (key_file(&dir, "a.key"), key_file(&dir, "b.key"));
    for backend in testing::backends() {
        let db = testing::fresh(backend).await;
        let w = common::world(&db).await;
        let key = data_key::load(&db, Some(&file)).await.unwrap();
        let response = seal_one_of_each(&db, &key, w.orgs[0].id).await;
        data_key::load(&db, Some(&file)).await.unwrap();
        wrong_key(data_key::load(&db, Some(&other)).await);
        wrong_key(data_key::load(&db, None).await);
        assert!(all_open_with(&db, &key, response).await, "{backend}");
    }
}

#[tokio::test]
async fn a_rekey_from_the_wrong_key_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let file = key_file(&dir, "data.key");
    for backend in testing::backends() {
        let db = testing::fresh(backend).await;
        let w = common::world(&db).await;
        let key = data_key::load(&db, None).await.unwrap();
        let response = seal_one_of_each(&db, &key, w.orgs[0].id).await;
        // A value sealed under another key among the right ones: the whole rekey is refused.
        let stray = FieldKey::derive(b"some other secret");
        let mut odd = score_fixtures::response(w.orgs[0].id, 2026, "qr_poster", AnswerMask { asked: 1, yes: 0 });
        odd.suggestions_sealed = Some(stray.encrypt(PURPOSE_SUGGESTIONS, TEXT));
        survey::insert_batch(&db, std::slice::from_ref(&odd)).await.unwrap();

        let target = data_key::read_file(&file).unwrap();
        let e = data_key::rekey(&db, &Actor::system(), &key, &target, |_| {}).await.unwrap_err().to_string();
        assert!(e.contains("response") && e.contains(&odd.id.to_string()), "{backend}: {e}");
        assert!(all_open_with(&db, &key, response).await, "{backend}: rolled back");
        assert_eq!(rekeys(&db).await, 0, "{backend}: no audit entry for a refused rekey");
        data_key::load(&db, None).await.unwrap();
        wrong_key(data_key::load(&db, Some(&file)).await);
    }
}
