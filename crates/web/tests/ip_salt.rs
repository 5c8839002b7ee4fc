//! Client addresses are hashed under a random salt of the day that every instance shares; when the day
//! turns, a new salt is used and the old one is deleted from the database.

use nok_store::db::testing::{backends, fresh};
use nok_store::repo::settings;
use nok_web::security::ip_salt::IpSalt;
use time::Duration;

#[tokio::test]
async fn instances_share_the_days_salt_and_old_salts_are_deleted() {
    for backend in backends() {
        let t = fresh(backend).await;
        let one = IpSalt::load(&t.db).await.unwrap();
        let two = IpSalt::load(&t.db).await.unwrap();
        let today = one.hash("203.0.113.7");
        assert_eq!(today.len(), 32, "{backend}");
        assert!(!today.contains("203.0.113.7"), "{backend}");
        assert_eq!(today, two.hash("203.0.113.7"), "{backend}: instances hash alike");
        assert_ne!(today, one.hash("203.0.113.8"), "{backend}");
        assert_eq!(settings::ip_salt_days(&t.db).await.unwrap(), 1, "{backend}");

        let tomorrow = time::OffsetDateTime::now_utc().date() + Duration::days(1);
        one.rotate_to(&t.db, tomorrow).await.unwrap();
        let rotated = one.hash("203.0.113.7");
        assert_ne!(rotated, today, "{backend}: a new day, a new salt");
        assert_eq!(settings::ip_salt_days(&t.db).await.unwrap(), 1, "{backend}: yesterday's salt is gone");
        two.rotate_to(&t.db, tomorrow).await.unwrap();
        assert_eq!(two.hash("203.0.113.7"), rotated, "{backend}: both instances moved to the same salt");
    }
}
