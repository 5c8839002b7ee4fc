//! The server with a data key file (`NOK_DATA_KEY_FILE`): what it accepts is sealed under the file's key,
//! not the server secret's, and a server given another key refuses to start.

mod support;
mod survey_common;

use nok_methodology::Sphere;
use nok_store::StoreError;
use nok_store::crypto::{FieldKey, PURPOSE_SUGGESTIONS};
use nok_store::db::testing::backends;
use nok_web::WebConfig;
use support::start_with;
use survey_common::*;

#[tokio::test]
async fn suggestions_are_sealed_under_the_key_file_and_another_key_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("data.key");
    nok_store::data_key::generate_file(&file).unwrap();
    for backend in backends() {
        let s = start_with(backend, |c| c.data_key_file = Some(file.clone())).await;
        let o = org(&s, 1, "76", Sphere::Health, "Поликлиника № 1").await;
        let mut body = submission(&o.public_id, "qr_poster", all_yes(Sphere::Health));
        body["suggestions"] = "Врач Иванова грубит".into();
        assert_eq!(post(&s, &body).await.0, 201, "{backend}");
        let stored = stored(&s, body["id"].as_str().unwrap()).await.expect("stored");
        let sealed = stored.suggestions.expect("a text");
        let file_key = nok_store::data_key::read_file(&file).unwrap();
        assert_eq!(file_key.decrypt(PURPOSE_SUGGESTIONS, &sealed).unwrap(), "Врач Иванова грубит", "{backend}");
        let secret_key = FieldKey::load(&s.db).await.unwrap();
        assert!(secret_key.decrypt(PURPOSE_SUGGESTIONS, &sealed).is_err(), "{backend}: not the server secret's key");

        let without = nok_web::server::state(s.db.db.clone(), WebConfig::default()).await;
        assert!(matches!(without, Err(StoreError::WrongDataKey)), "{backend}: a server without the key file starts");
    }
}
