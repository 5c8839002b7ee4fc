//! Checklists on SQLite and (with NOK_TEST_DATABASE_URL) PostgreSQL: who may read and record them
//! (a test per role against another scope's organisation), what is stored and audited, validation,
//! the waiting-time scale, and absent items becoming shortcomings.

mod common;

use common::{forbidden, invalid};

use nok_methodology::{ChecklistSection, Sphere};
use nok_store::StoreError;
use nok_store::db::testing;
use nok_store::repo::checklists::{self, ChecklistInput, ItemInput};

fn ticked(ids: &[&str]) -> ChecklistInput {
    ChecklistInput {
        items: ids
            .iter()
            .map(|id| ItemInput { item_id: (*id).to_owned(), present: true, tried: true, ..ItemInput::default() })
            .collect(),
        ..ChecklistInput::default()
    }
}

#[tokio::test]
async fn every_role_reads_and_records_only_within_its_scope() {
    for backend in testing::backends() {
        let db = testing::fresh(backend).await;
        let w = common::world(&db).await;
        let contract_org = w.org("76", Sphere::Health).clone(); // the operator's contract, the staff's own
        let other_region = w.org("77", Sphere::Health).clone();
        let other_sphere = w.org("76", Sphere::Culture).clone();
        let input = ticked(&["comfort.water"]);

        // admin: anything
        checklists::save(&db, &w.admin, other_region.id, 2026, &input).await.expect("admin records");
        // authority 76/health: its region and sphere only
        checklists::save(&db, &w.authority, contract_org.id, 2026, &input).await.expect("authority records own");
        forbidden(checklists::save(&db, &w.authority, other_region.id, 2026, &input).await);
        forbidden(checklists::save(&db, &w.authority, other_sphere.id, 2026, &input).await);
        forbidden(checklists::get(&db.read, &w.authority, other_region.id, 2026).await);
        // operator: its contract's organisations only
        let c = checklists::save(&db, &w.operator, contract_org.id, 2026, &input)
            .await
            .expect("operator records contract org");
        assert!(c.may_edit);
        forbidden(checklists::save(&db, &w.operator, other_region.id, 2026, &input).await);
        forbidden(checklists::get(&db.read, &w.operator, other_sphere.id, 2026).await);
        // council: reads its authority's organisations, records nothing
        let seen = checklists::get(&db.read, &w.council, contract_org.id, 2026).await.expect("council reads");
        assert!(!seen.may_edit);
        forbidden(checklists::save(&db, &w.council, contract_org.id, 2026, &input).await);
        forbidden(checklists::get(&db.read, &w.council, other_region.id, 2026).await);
        // staff: reads their own organisation's checklist, records nothing
        assert!(checklists::get(&db.read, &w.staff, contract_org.id, 2026).await.unwrap().recorded.is_some());
        forbidden(checklists::save(&db, &w.staff, contract_org.id, 2026, &input).await);
        forbidden(checklists::get(&db.read, &w.staff, other_region.id, 2026).await);
        // monitor of region 77: reads 77, records nothing, does not see 76
        assert!(checklists::get(&db.read, &w.monitor_77, other_region.id, 2026).await.is_ok());
        forbidden(checklists::save(&db, &w.monitor_77, other_region.id, 2026, &input).await);
        forbidden(checklists::get(&db.read, &w.monitor_77, contract_org.id, 2026).await);
        forbidden(checklists::history(&db.read, &w.monitor_77, contract_org.id, 2026).await);
    }
}

#[tokio::test]
async fn recording_stores_items_audits_and_lists_shortcomings() {
    for backend in testing::backends() {
        let db = testing::fresh(backend).await;
        let w = common::world(&db).await;
        let org = w.org("76", Sphere::Health).clone();

        let empty = checklists::get(&db.read, &w.operator, org.id, 2026).await.unwrap();
        assert!(empty.recorded.is_none(), "{backend}");
        assert!(empty.sections.iter().all(|s| s.items.iter().all(|i| !i.present)));
        let sections: Vec<ChecklistSection> = empty.sections.iter().map(|s| s.section).collect();
        assert_eq!(sections, ChecklistSection::ALL.to_vec(), "health has every list");
        assert!(empty.takes_waiting_time(), "health measures waiting time");
        assert!(
            checklists::shortcomings(&db.read, &w.operator, org.id, 2026).await.unwrap().is_empty(),
            "nothing recorded: no shortcomings yet"
        );

        let def = empty.definition;
        let all_items: Vec<String> =
            empty.sections.iter().flat_map(|s| s.items.iter().map(|i| i.item.id.clone())).collect();
        let remote = def.checklist(Sphere::Health, ChecklistSection::Remote);
        let comfort = def.checklist(Sphere::Health, ChecklistSection::Comfort);
        let mut input = ticked(&[comfort[0].id.as_str(), comfort[1].id.as_str(), remote[0].id.as_str()]);
        input.items.push(ItemInput {
            item_id: remote[1].id.clone(),
            present: true,
            tried: false,
            comment: Some("  указан на сайте, но не отвечает  ".into()),
            evidence: Some("звонок 12.03.2026 10:15".into()),
        });
        input.items.push(ItemInput {
            item_id: comfort[2].id.clone(),
            present: false,
            comment: Some("кулер сломан".into()),
            ..ItemInput::default()
        });
        input.waiting_days = Some(10.0);
        let saved = checklists::save(&db, &w.operator, org.id, 2026, &input).await.unwrap();
        let counts = saved.counts();
        assert_eq!((counts.comfort, counts.remote_channels), (2, 1), "{backend}");
        assert_eq!(counts.stand_required as usize, def.checklist(Sphere::Health, ChecklistSection::Stand).len());
        let scale = def.waiting_scale(Sphere::Health).expect("health has a scale");
        assert_eq!(saved.waiting_points, Some(scale.points(10.0)));

        // Every item that does not score is a shortcoming, with its comment; the rest are not.
        let short = checklists::shortcomings(&db.read, &w.staff, org.id, 2026).await.unwrap();
        assert_eq!(short.len(), all_items.len() - 3, "{backend}");
        let not_working =
            short.iter().find(|s| s.shortcoming.item_id == remote[1].id).expect("untried channel is a shortcoming");
        assert_eq!(not_working.comment, "указан на сайте, но не отвечает");
        assert_eq!(not_working.shortcoming.indicator, "1.2");
        assert_eq!(not_working.shortcoming.criterion, "K1");
        let water = short.iter().find(|s| s.shortcoming.item_id == comfort[2].id).unwrap();
        assert_eq!(water.comment, "кулер сломан");
        assert!(!short.iter().any(|s| s.shortcoming.item_id == comfort[0].id));

        // Re-recording replaces the items; both saves are in the history with before and after.
        checklists::save(&db, &w.authority, org.id, 2026, &ticked(&[comfort[3].id.as_str()])).await.unwrap();
        let again = checklists::get(&db.read, &w.admin, org.id, 2026).await.unwrap();
        assert_eq!(again.counts().comfort, 1);
        assert_eq!(again.counts().remote_channels, 0);
        assert_eq!(again.waiting_points, None);
        let history = checklists::history(&db.read, &w.admin, org.id, 2026).await.unwrap();
        let who: Vec<(&str, &str)> = history.iter().map(|h| (h.action.as_str(), h.actor_login.as_str())).collect();
        assert_eq!(who, [("checklist.save", "auth76"), ("checklist.save", "op")], "{backend}");
        assert!(history[1].before.is_none());
        assert_eq!(history[0].before.as_ref().unwrap()["notes"][&remote[1].id]["evidence"], "звонок 12.03.2026 10:15");
        assert_eq!(history[0].after.as_ref().unwrap()["present"], serde_json::json!([comfort[3].id]));

        // Another year is a separate checklist.
        assert!(checklists::get(&db.read, &w.admin, org.id, 2025).await.unwrap().recorded.is_none());
    }
}

#[tokio::test]
async fn bad_checklists_are_refused_naming_the_field() {
    for backend in testing::backends() {
        let db = testing::fresh(backend).await;
        let w = common::world(&db).await;
        let health = w.org("76", Sphere::Health).clone();
        let culture = w.org("76", Sphere::Culture).clone();
        invalid(checklists::save(&db, &w.admin, health.id, 2026, &ticked(&["no.such.item"])).await, "no.such.item");
        invalid(
            checklists::save(&db, &w.admin, health.id, 2026, &ticked(&["comfort.water", "comfort.water"])).await,
            "comfort.water",
        );
        let mut waiting = ChecklistInput { waiting_days: Some(5.0), ..ChecklistInput::default() };
        invalid(checklists::save(&db, &w.admin, culture.id, 2026, &waiting).await, "waiting_days");
        waiting.waiting_days = Some(-1.0);
        invalid(checklists::save(&db, &w.admin, health.id, 2026, &waiting).await, "waiting_days");
        let points = ChecklistInput { waiting_points: Some(101.0), ..ChecklistInput::default() };
        invalid(checklists::save(&db, &w.admin, health.id, 2026, &points).await, "waiting_points");
        let long = ChecklistInput {
            items: vec![ItemInput {
                item_id: "comfort.water".into(),
                comment: Some("я".repeat(2001)),
                ..ItemInput::default()
            }],
            ..ChecklistInput::default()
        };
        invalid(checklists::save(&db, &w.admin, health.id, 2026, &long).await, "items.comfort.water.comment");
        invalid(checklists::save(&db, &w.admin, health.id, 1999, &ChecklistInput::default()).await, "year");
        // Nothing of the refused saves was stored.
        assert!(checklists::get(&db.read, &w.admin, health.id, 2026).await.unwrap().recorded.is_none(), "{backend}");
        assert!(matches!(checklists::get(&db.read, &w.admin, 999_999, 2026).await, Err(StoreError::NotFound)));
    }
}
