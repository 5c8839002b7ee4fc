//! For every role: reading and changing another scope's organisations is refused by the store, on
//! SQLite and (when NOK_TEST_DATABASE_URL is set) PostgreSQL.

mod common;

use nok_methodology::Sphere;
use nok_store::StoreError;
use nok_store::db::testing;
use nok_store::repo::organizations::{self, OrgQuery};

async fn visible_ids(db: &nok_store::Db, actor: &nok_store::Actor) -> Vec<i32> {
    organizations::list(&db.read, actor, &OrgQuery { per_page: 100, ..Default::default() })
        .await
        .unwrap()
        .items
        .into_iter()
        .map(|o| o.id)
        .collect()
}

fn forbidden<T: std::fmt::Debug>(r: Result<T, StoreError>) {
    assert!(matches!(r, Err(StoreError::Forbidden)), "expected Forbidden, got {r:?}");
}

#[tokio::test]
async fn every_role_is_confined_to_its_scope() {
    for backend in testing::backends() {
        let db = testing::fresh(backend).await;
        let w = common::world(&db).await;
        let other_region = w.org("77", Sphere::Health).clone();
        let other_sphere = w.org("76", Sphere::Culture).clone();
        let own_health = w.org("76", Sphere::Health).clone();

        // admin sees everything
        assert_eq!(visible_ids(&db, &w.admin).await.len(), 8, "{backend}");

        // authority 76/health: its 2 organisations only; others refused for read and write
        let ids = visible_ids(&db, &w.authority).await;
        assert_eq!(ids.len(), 2, "{backend}");
        for other in [&other_region, &other_sphere] {
            forbidden(organizations::get(&db.read, &w.authority, other.id).await);
            let rec = organizations::to_record(other, None);
            forbidden(organizations::update(&db, &w.authority, other.id, &rec).await);
            forbidden(organizations::set_active(&db, &w.authority, other.id, false).await);
        }
        forbidden(organizations::create(&db, &w.authority, &common::record(900, "77", Sphere::Health, "Чужая")).await);
        forbidden(
            organizations::create(&db, &w.authority, &common::record(901, "76", Sphere::Culture, "Чужая сфера")).await,
        );
        organizations::create(&db, &w.authority, &common::record(902, "76", Sphere::Health, "Своя"))
            .await
            .expect("own scope create");

        // council: reads its authority's organisations, changes nothing
        assert_eq!(visible_ids(&db, &w.council).await.len(), 3, "{backend}");
        forbidden(organizations::get(&db.read, &w.council, other_region.id).await);
        forbidden(organizations::set_active(&db, &w.council, own_health.id, false).await);
        forbidden(
            organizations::update(&db, &w.council, own_health.id, &organizations::to_record(&own_health, None)).await,
        );

        // operator: only the organisation of its contract
        assert_eq!(visible_ids(&db, &w.operator).await, vec![own_health.id], "{backend}");
        forbidden(organizations::get(&db.read, &w.operator, other_sphere.id).await);
        forbidden(
            organizations::update(&db, &w.operator, own_health.id, &organizations::to_record(&own_health, None)).await,
        );

        // staff: only their own organisation; may edit its card but not another's
        assert_eq!(visible_ids(&db, &w.staff).await, vec![own_health.id], "{backend}");
        forbidden(organizations::get(&db.read, &w.staff, other_region.id).await);
        forbidden(
            organizations::update(&db, &w.staff, other_region.id, &organizations::to_record(&other_region, None)).await,
        );
        forbidden(organizations::set_active(&db, &w.staff, own_health.id, false).await);
        let mut card = organizations::to_record(&own_health, None);
        card.phone = Some("+7 4852 00-00-00".into());
        card.population = 1; // identity fields are kept as the authority set them
        let updated = organizations::update(&db, &w.staff, own_health.id, &card).await.expect("staff edits own card");
        assert_eq!(updated.phone.as_deref(), Some("+7 4852 00-00-00"));
        assert_eq!(updated.population, own_health.population);

        // monitor limited to region 77: reads 77 only, writes nothing
        let ids = visible_ids(&db, &w.monitor_77).await;
        assert_eq!(ids.len(), 4, "{backend}");
        forbidden(organizations::get(&db.read, &w.monitor_77, own_health.id).await);
        forbidden(organizations::set_active(&db, &w.monitor_77, other_region.id, false).await);
        forbidden(organizations::history(&db, &w.monitor_77, own_health.id).await);
    }
}

#[tokio::test]
async fn history_records_every_change() {
    for backend in testing::backends() {
        let db = testing::fresh(backend).await;
        let w = common::world(&db).await;
        let org = w.org("76", Sphere::Health).clone();
        let mut rec = organizations::to_record(&org, None);
        rec.short_name = "Новое имя".into();
        organizations::update(&db, &w.authority, org.id, &rec).await.unwrap();
        organizations::set_active(&db, &w.authority, org.id, false).await.unwrap();
        let history = organizations::history(&db, &w.admin, org.id).await.unwrap();
        let actions: Vec<_> = history.iter().map(|h| h.action.as_str()).collect();
        assert_eq!(actions, ["organization.deactivate", "organization.update", "organization.create"], "{backend}");
        assert_eq!(history[1].actor_login, "auth76");
        assert_eq!(history[1].after.as_ref().unwrap()["short_name"], "Новое имя");
    }
}
