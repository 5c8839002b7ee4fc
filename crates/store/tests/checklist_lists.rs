//! Regional 1.1 lists and frozen municipalities on SQLite and (with NOK_TEST_DATABASE_URL) PostgreSQL:
//! an authority's list replaces the methodology's in checklists, live scores, bulk results,
//! recompute and publications (1.1 checked against hand-computed values); a removed item no longer
//! counts; every change is audited; authorities of another region or sphere are refused by every
//! function, councils and monitors only read; published results keep the municipality they had.

mod common;
mod score_fixtures;

use nok_methodology::{ChecklistSection, Sphere};
use nok_store::db::testing;
use nok_store::repo::aggregates::{self, Level, ResultFilter};
use nok_store::repo::checklist_lists::{self, Change, ListKey, Move};
use nok_store::repo::checklists::{self, ChecklistInput, ItemInput};
use nok_store::repo::{organizations, publications, reference, scores, snapshots, users};
use nok_store::{Actor, Db, Role, StoreError};
use score_fixtures::{store, worked_example_masks};

const YEAR: i32 = 2026;

fn close(a: Option<f64>, b: f64) {
    let a = a.expect("a value");
    assert!((a - b).abs() < 1e-9, "{a} != {b}");
}

fn forbidden<T: std::fmt::Debug>(r: Result<T, StoreError>, what: &str) {
    assert!(matches!(r, Err(StoreError::Forbidden)), "{what}: expected Forbidden, got {r:?}");
}

fn refused<T: std::fmt::Debug>(r: Result<T, StoreError>, code: &str) {
    match r {
        Err(StoreError::Invalid(m)) => assert!(m.starts_with(code), "{m} is not {code}"),
        other => panic!("expected {code}, got {other:?}"),
    }
}

fn ticked(ids: &[&str]) -> ChecklistInput {
    ChecklistInput {
        items: ids
            .iter()
            .map(|id| ItemInput { item_id: (*id).to_owned(), present: true, ..ItemInput::default() })
            .collect(),
        ..ChecklistInput::default()
    }
}

fn key(region: &str, sphere: Sphere, section: ChecklistSection) -> ListKey {
    ListKey { region_code: region.into(), sphere, section, year: YEAR }
}

/// An authority of `region` and `sphere` with a user of role `role` bound to it.
async fn bound_user(db: &Db, code: &str, region: &str, sphere: Sphere, login: &str, role: Role) -> Actor {
    let system = Actor::system();
    let new = reference::NewAuthority { code, name: code, region_code: Some(region), sphere: Some(sphere.code()) };
    let a = reference::upsert_authority(db, &system, new).await.unwrap();
    let user = users::NewUser {
        login: login.into(),
        password: "correct horse battery".into(),
        role: Some(role),
        authority_id: Some(a.id),
        ..Default::default()
    };
    let u = users::create(db, &system, user).await.unwrap();
    users::actor_for(&db.read, &u).await.unwrap()
}

async fn indicator_1_1(db: &Db, org: i32) -> Option<f64> {
    scores::live_scores(&db.read, org, Sphere::Health, YEAR).await.unwrap().scores.indicators.get("1.1").copied()
}

#[tokio::test]
async fn an_authoritys_list_replaces_the_methodologys_in_every_score() {
    for backend in testing::backends() {
        let db = testing::fresh(backend).await;
        let w = common::world(&db).await;
        let org = w.org("76", Sphere::Health).clone();
        let stand_key = key("76", Sphere::Health, ChecklistSection::Stand);
        let def = checklists::definition_for_year(YEAR);
        let stand = def.checklist(Sphere::Health, ChecklistSection::Stand);
        let site = def.checklist(Sphere::Health, ChecklistSection::Site);
        assert_eq!((stand.len(), site.len()), (14, 20), "the shipped health lists");

        // 7 of the 14 stand items and 10 of the 20 website items: 1.1 = 50 × (7/14 + 10/20) = 50.
        let ids: Vec<&str> = stand[..7].iter().chain(&site[..10]).map(|i| i.id.as_str()).collect();
        checklists::save(&db, &w.operator, org.id, YEAR, &ticked(&ids)).await.unwrap();
        close(indicator_1_1(&db, org.id).await, 50.0);
        let view = checklist_lists::get(&db.read, &w.authority, &stand_key).await.unwrap();
        assert!(view.regional.is_none() && view.may_edit && view.items.len() == 14, "{backend}");

        // Started from the methodology's list: the same items, the same value, but a regional list.
        let started = checklist_lists::change(&db, &w.authority, &stand_key, &Change::Start).await.unwrap();
        assert!(started.regional.is_some() && started.items.iter().all(|i| i.from_methodology));
        let live = scores::live_scores(&db.read, org.id, Sphere::Health, YEAR).await.unwrap();
        close(live.scores.indicators.get("1.1").copied(), 50.0);
        assert_eq!(live.regional_lists, [ChecklistSection::Stand], "{backend}");

        // Removing the 7 items not found: 50 × (7/7 + 10/20) = 75.
        for item in &stand[7..] {
            checklist_lists::change(&db, &w.authority, &stand_key, &Change::Remove { item_id: item.id.clone() })
                .await
                .unwrap();
        }
        close(indicator_1_1(&db, org.id).await, 75.0);

        // One item of the region's own (not found yet): 50 × (7/8 + 10/20) = 68.75.
        let name = "Информация о региональной программе льготного лекарственного обеспечения".to_owned();
        let added = checklist_lists::change(&db, &w.authority, &stand_key, &Change::Add { name }).await.unwrap();
        let new_item = added.items.last().unwrap().clone();
        assert!(!new_item.from_methodology && !stand.iter().any(|i| i.id == new_item.id), "{}", new_item.id);
        close(indicator_1_1(&db, org.id).await, 68.75);

        // Renaming and moving change nothing in the score; the order is kept.
        let rename = Change::Rename {
            item_id: new_item.id.clone(), name: "Региональная льготная программа".into()
        };
        checklist_lists::change(&db, &w.authority, &stand_key, &rename).await.unwrap();
        let up = Change::Move { item_id: new_item.id.clone(), direction: Move::Up };
        let moved = checklist_lists::change(&db, &w.authority, &stand_key, &up).await.unwrap();
        assert_eq!(moved.items[6].id, new_item.id, "{backend}");
        assert_eq!(moved.items[6].name_ru, "Региональная льготная программа");
        assert_eq!(moved.items[7].id, stand[6].id);
        close(indicator_1_1(&db, org.id).await, 68.75);

        // A removed item no longer counts, though its tick is still stored: 50 × (6/7 + 10/20).
        let remove = Change::Remove { item_id: stand[0].id.clone() };
        checklist_lists::change(&db, &w.authority, &stand_key, &remove).await.unwrap();
        let expected = 50.0 * (6.0 / 7.0 + 0.5);
        close(indicator_1_1(&db, org.id).await, expected);
        let c = checklists::get(&db.read, &w.operator, org.id, YEAR).await.unwrap();
        let (counts, stand_section) = (c.counts(), &c.sections[0]);
        assert_eq!((counts.stand_present, counts.stand_required), (6, 7), "{backend}");
        assert_eq!((counts.site_present, counts.site_required), (10, 20));
        assert!(stand_section.regional && !c.sections[1].regional, "the form marks the regional list");
        assert_eq!(stand_section.items.len(), 7);
        let short: Vec<String> = c.shortcomings().into_iter().map(|s| s.shortcoming.item_id).collect();
        assert!(short.contains(&new_item.id) && !short.contains(&stand[0].id) && !short.contains(&stand[7].id));

        // Recording again uses the regional list: removed items are unknown, the new one can be ticked.
        let old = checklists::save(&db, &w.operator, org.id, YEAR, &ticked(&[stand[8].id.as_str()])).await;
        assert!(matches!(old, Err(StoreError::Invalid(m)) if m.contains(&stand[8].id)), "{backend}");
        let mut again: Vec<&str> = ids[1..].to_vec();
        again.push(new_item.id.as_str());
        checklists::save(&db, &w.operator, org.id, YEAR, &ticked(&again)).await.unwrap();
        let expected = 50.0 * (7.0 / 7.0 + 0.5);
        close(indicator_1_1(&db, org.id).await, expected);

        // Bulk results and a recompute agree with the live score.
        let only = ResultFilter { organization_id: Some(org.id), ..ResultFilter::default() };
        let bulk = aggregates::org_results(&db.read, &w.admin, &only, YEAR).await.unwrap();
        close(bulk[0].indicator("1.1"), expected);
        assert_eq!(bulk[0].regional_lists, [ChecklistSection::Stand]);
        store(&db, org.id, YEAR, "portal", &worked_example_masks(true)).await;
        let before = scores::live_scores(&db.read, org.id, Sphere::Health, YEAR).await.unwrap().scores;
        scores::recompute(&db, Some(YEAR)).await.unwrap();
        let after = scores::live_scores(&db.read, org.id, Sphere::Health, YEAR).await.unwrap().scores;
        assert_eq!(before.total, after.total, "{backend}");
        close(after.indicators.get("1.1").copied(), expected);

        // Published: the snapshot holds the regional counts; a later change of the list alters the
        // live value only.
        let a76 = reference::authority_by_code(&db.read, "76-health").await.unwrap().unwrap();
        publications::publish(&db, &w.authority, a76.id, YEAR).await.unwrap();
        let published = snapshots::for_organization(&db.read, org.id, YEAR).await.unwrap().unwrap();
        let frozen = published.input().unwrap();
        assert_eq!(frozen.regional_lists, [ChecklistSection::Stand], "{backend}");
        assert_eq!(frozen.checklist.unwrap().stand_required, 7);
        close(published.scores().unwrap().indicators.get("1.1").copied(), expected);
        checklist_lists::change(&db, &w.authority, &stand_key, &Change::Reset).await.unwrap();
        // 6/14 (stand[0] was not ticked again, the new item is not in the list) + 10/20
        close(indicator_1_1(&db, org.id).await, 50.0 * (6.0 / 14.0 + 0.5));
        let still = snapshots::for_organization(&db.read, org.id, YEAR).await.unwrap().unwrap();
        close(still.scores().unwrap().indicators.get("1.1").copied(), expected);
        let mut public = aggregates::org_results(&db.read, &w.admin, &only, YEAR).await.unwrap();
        assert!(public[0].regional_lists.is_empty());
        snapshots::overlay(&db.read, YEAR, &mut public).await.unwrap();
        close(public[0].indicator("1.1"), expected);
        assert_eq!(public[0].regional_lists, [ChecklistSection::Stand]);

        // Every change is in the list's history, newest first, with the list before and after.
        let history = checklist_lists::history(&db.read, &w.council, &stand_key).await.unwrap();
        let actions: Vec<&str> = history.iter().map(|h| h.action.as_str()).collect();
        let mut expected_actions = vec!["checklist_list.reset", "checklist_list.remove", "checklist_list.move"];
        expected_actions.extend(["checklist_list.rename", "checklist_list.add"]);
        expected_actions.extend(["checklist_list.remove"; 7]);
        expected_actions.push("checklist_list.start");
        assert_eq!(actions, expected_actions, "{backend}");
        assert!(history.iter().all(|h| h.actor_login == "auth76"));
        let items = |v: &Option<serde_json::Value>| v.as_ref().unwrap()["items"].as_array().unwrap().len();
        assert_eq!((items(&history[0].before), items(&history[0].after)), (7, 14), "reset");
        assert_eq!((items(&history[1].before), items(&history[1].after)), (8, 7), "remove");
    }
}

#[tokio::test]
async fn authorities_of_another_region_or_sphere_are_refused_and_readers_only_read() {
    for backend in testing::backends() {
        let db = testing::fresh(backend).await;
        let w = common::world(&db).await;
        let other_region = bound_user(&db, "77-health", "77", Sphere::Health, "auth77", Role::Authority).await;
        let other_sphere = bound_user(&db, "76-culture", "76", Sphere::Culture, "auth76c", Role::Authority).await;
        let k = key("76", Sphere::Health, ChecklistSection::Site);
        let item_id =
            checklists::definition_for_year(YEAR).checklist(Sphere::Health, ChecklistSection::Site)[0].id.clone();
        let every_change = [
            Change::Start,
            Change::Add { name: "Пункт".into() },
            Change::Rename { item_id: item_id.clone(), name: "Пункт".into() },
            Change::Move { item_id: item_id.clone(), direction: Move::Down },
            Change::Remove { item_id: item_id.clone() },
            Change::Reset,
        ];
        checklist_lists::change(&db, &w.authority, &k, &Change::Start).await.unwrap();
        for outsider in [&other_region, &other_sphere] {
            forbidden(checklist_lists::get(&db.read, outsider, &k).await, &outsider.login);
            forbidden(checklist_lists::history(&db.read, outsider, &k).await, &outsider.login);
            for change in &every_change {
                forbidden(checklist_lists::change(&db, outsider, &k, change).await, &format!("{change:?}"));
            }
            let seen = checklist_lists::overview(&db.read, outsider, YEAR).await.unwrap();
            assert!(seen.iter().all(|l| l.key.region_code != "76" || l.key.sphere != Sphere::Health), "{backend}");
        }
        // Their own lists are theirs to edit.
        let own = key("77", Sphere::Health, ChecklistSection::Stand);
        checklist_lists::change(&db, &other_region, &own, &Change::Start).await.unwrap();
        let mine = checklist_lists::overview(&db.read, &other_region, YEAR).await.unwrap();
        let keys: Vec<String> = mine.iter().map(|l| l.key.path()).collect();
        assert_eq!(keys, ["77/health/stand/2026", "77/health/site/2026"]);
        assert!(mine[0].regional.is_some() && mine[1].regional.is_none());

        // The council reads its authority's lists; the monitor of 77 reads 77 only; neither edits.
        let seen = checklist_lists::get(&db.read, &w.council, &k).await.unwrap();
        assert!(!seen.may_edit && seen.regional.is_some(), "{backend}");
        forbidden(checklist_lists::change(&db, &w.council, &k, &Change::Reset).await, "council");
        forbidden(checklist_lists::get(&db.read, &w.monitor_77, &k).await, "monitor of 77 reading 76");
        assert!(!checklist_lists::get(&db.read, &w.monitor_77, &own).await.unwrap().may_edit);
        forbidden(checklist_lists::change(&db, &w.monitor_77, &own, &Change::Reset).await, "monitor");
        // Operators and staff have no business with the lists.
        for actor in [&w.operator, &w.staff] {
            forbidden(checklist_lists::get(&db.read, actor, &k).await, &actor.login);
            forbidden(checklist_lists::overview(&db.read, actor, YEAR).await, &actor.login);
            forbidden(checklist_lists::change(&db, actor, &k, &Change::Reset).await, &actor.login);
        }
        // Administrators edit any list.
        checklist_lists::change(&db, &w.admin, &own, &Change::Add { name: "Пункт администратора".into() })
            .await
            .unwrap();

        // What is refused, with a code the cabinet turns into Russian.
        refused(checklist_lists::change(&db, &w.authority, &k, &Change::Start).await, "list-exists");
        refused(checklist_lists::change(&db, &w.authority, &k, &Change::Add { name: "  ".into() }).await, "name-empty");
        let same = Change::Add { name: seen.items[1].name_ru.to_uppercase() };
        refused(checklist_lists::change(&db, &w.authority, &k, &same).await, "name-duplicate");
        let ghost = Change::Remove { item_id: "health.site.nothing".into() };
        refused(checklist_lists::change(&db, &w.authority, &k, &ghost).await, "unknown-item");
        let empty = key("76", Sphere::Health, ChecklistSection::Stand);
        refused(checklist_lists::change(&db, &w.authority, &empty, &Change::Reset).await, "no-list");
        for item in &seen.items[1..] {
            let remove = Change::Remove { item_id: item.id.clone() };
            checklist_lists::change(&db, &w.authority, &k, &remove).await.unwrap();
        }
        let last = Change::Remove { item_id: seen.items[0].id.clone() };
        refused(checklist_lists::change(&db, &w.authority, &k, &last).await, "last-item");
        let remote = ListKey { section: ChecklistSection::Remote, ..k.clone() };
        assert!(matches!(checklist_lists::get(&db.read, &w.admin, &remote).await, Err(StoreError::Invalid(_))));
        assert!(ListKey::parse("00", "health", "stand", YEAR).is_none());
        assert!(ListKey::parse("76", "health", "remote", YEAR).is_none());
        assert_eq!(ListKey::parse("76", "health", "site", YEAR), Some(k));
    }
}

#[tokio::test]
async fn published_results_keep_the_municipality_they_had() {
    const YAR: &str = "городской округ город Ярославль";
    const RYB: &str = "Рыбинский муниципальный район";
    for backend in testing::backends() {
        let db = testing::fresh(backend).await;
        let w = common::world(&db).await;
        let system = Actor::system();
        let h76: Vec<i32> =
            w.orgs.iter().filter(|o| o.region_code == "76" && o.sphere == "health").map(|o| o.id).collect();
        for (id, municipality) in [(h76[0], YAR), (h76[1], RYB)] {
            let org = organizations::get(&db.read, &system, id).await.unwrap();
            let mut rec = organizations::to_record(&org, None);
            rec.municipality = Some(municipality.into());
            organizations::update(&db, &system, id, &rec).await.unwrap();
            store(&db, id, YEAR, "portal", &worked_example_masks(true)).await;
        }
        let a76 = reference::authority_by_code(&db.read, "76-health").await.unwrap().unwrap();
        publications::publish(&db, &w.authority, a76.id, YEAR).await.unwrap();
        let row = publications::published_for(&db.read, h76[0], YEAR).await.unwrap().unwrap();
        assert_eq!(row.municipality.as_deref(), Some(YAR), "{backend}");

        // The first organisation moves to the other municipality after publication.
        let org = organizations::get(&db.read, &system, h76[0]).await.unwrap();
        let mut rec = organizations::to_record(&org, None);
        rec.municipality = Some(RYB.into());
        organizations::update(&db, &system, h76[0], &rec).await.unwrap();

        let filter =
            ResultFilter { region_code: Some("76".into()), sphere: Some("health".into()), ..Default::default() };
        let mut results = aggregates::org_results(&db.read, &w.admin, &filter, YEAR).await.unwrap();
        let names = |results: &[aggregates::OrgResult]| -> Vec<(String, u64)> {
            aggregates::aggregate(results, Level::Municipality)
                .into_iter()
                .map(|a| (a.key.municipality.unwrap(), a.organizations))
                .collect()
        };
        assert_eq!(names(&results), [(RYB.to_owned(), 2)], "{backend}: live results follow the registry");
        snapshots::overlay(&db.read, YEAR, &mut results).await.unwrap();
        assert_eq!(
            names(&results),
            [(RYB.to_owned(), 1), (YAR.to_owned(), 1)],
            "{backend}: the published period keeps the grouping it was published with"
        );
    }
}
