//! Improvement plans on SQLite and (with NOK_TEST_DATABASE_URL) PostgreSQL: who may read and change them
//! (every role against another scope's organisation), overdue computed from the deadline, progress counts,
//! publication rules, the public read of the latest published plan (never a draft), shortcomings offered
//! from the checklist, the table an authority follows, and the audit trail of every change.

mod common;

use common::{forbidden, invalid};

use nok_methodology::Sphere;
use nok_store::db::testing;
use nok_store::repo::audit;
use nok_store::repo::checklists::{self, ChecklistInput};
use nok_store::repo::improvement_plans::{
    self as plans, ItemInput, ItemStatus, ListFilter, ListQuery, ListSort, PlanStatus, ProgressInput, Shown, SourceKind,
};
use nok_store::scope::Scope;
use nok_store::{Actor, Role, StoreError};

const YEAR: i32 = 2026;
const DAY: i64 = 86_400;

/// A complete item due `days` from today.
fn item(text: &str, days: i64, status: ItemStatus) -> ItemInput {
    ItemInput {
        criterion: Some("K2".into()),
        shortcoming: Some(text.into()),
        measure: Some(format!("Устранить: {text}")),
        deadline: Some(plans::today() + days * DAY),
        responsible_name: Some("Иванова Мария Сергеевна".into()),
        responsible_position: Some("заведующий хозяйством".into()),
        status,
    }
}

fn staff_of(org: i32) -> Actor {
    Actor {
        user_id: None,
        login: format!("staff-{org}"),
        role: Role::Staff,
        scope: Scope::Organization { organization_id: org },
    }
}

fn authority_of(region: &str) -> Actor {
    Actor {
        user_id: None,
        login: format!("authority-{region}"),
        role: Role::Authority,
        scope: Scope::Authority { authority_id: 0, region_code: Some(region.into()), sphere: Some("health".into()) },
    }
}

#[tokio::test]
async fn every_role_reads_and_changes_only_within_its_scope() {
    for backend in testing::backends() {
        let db = testing::fresh(backend).await;
        let w = common::world(&db).await;
        let own = w.org("76", Sphere::Health).clone(); // the staff's, and the operator's contract
        let neighbour =
            w.orgs.iter().find(|o| o.region_code == "76" && o.sphere == "health" && o.id != own.id).unwrap();
        let other_staff = staff_of(neighbour.id);

        // Staff create and fill their own organisation's draft.
        let plan = plans::create(&db, &w.staff, own.id, YEAR).await.expect("staff create own plan");
        assert!(plan.may_edit && plan.status() == Some(PlanStatus::Draft));
        let draft_item =
            ItemInput { shortcoming: Some("Нет питьевой воды".into()), ..ItemInput::default() };
        let it = plans::add_item(&db, &w.staff, own.id, YEAR, &draft_item).await.expect("a draft item may be bare");
        let full = item("Нет кресла-коляски", 30, ItemStatus::Planned);

        // Staff of another organisation: nothing of it, draft or published, by any call.
        forbidden(plans::get(&db.read, &other_staff, own.id, YEAR).await);
        forbidden(plans::create(&db, &other_staff, own.id, YEAR + 1).await);
        forbidden(plans::add_item(&db, &other_staff, own.id, YEAR, &full).await);
        forbidden(plans::update_item(&db, &other_staff, own.id, YEAR, it.id, &full).await);
        forbidden(plans::delete_item(&db, &other_staff, own.id, YEAR, it.id).await);
        let report = ProgressInput {
            done_on: Some(plans::today()),
            what_done: Some("Сделано".into()),
            details: None,
            complete: false,
        };
        forbidden(plans::add_progress(&db, &other_staff, own.id, YEAR, it.id, &report).await);
        forbidden(plans::set_approval(&db, &other_staff, own.id, YEAR, Some(plans::today())).await);
        forbidden(plans::publish(&db, &other_staff, own.id, YEAR).await);
        forbidden(plans::add_offers(&db, &other_staff, own.id, YEAR).await);
        forbidden(plans::offers(&db.read, &other_staff, own.id, YEAR).await);
        forbidden(plans::history(&db.read, &other_staff, own.id, YEAR).await);
        // …and staff cannot reach into their own organisation's plan with another's item id.
        plans::create(&db, &other_staff, neighbour.id, YEAR).await.expect("the neighbour's own plan");
        let theirs = plans::add_item(&db, &other_staff, neighbour.id, YEAR, &full).await.unwrap();
        assert!(matches!(plans::delete_item(&db, &w.staff, own.id, YEAR, theirs.id).await, Err(StoreError::NotFound)));

        // Publish, then the other staff still may not edit it.
        plans::update_item(&db, &w.staff, own.id, YEAR, it.id, &item("Нет питьевой воды", 10, ItemStatus::Planned))
            .await
            .unwrap();
        plans::publish(&db, &w.staff, own.id, YEAR).await.expect("publish");
        forbidden(plans::add_item(&db, &other_staff, own.id, YEAR, &full).await);
        forbidden(plans::update_item(&db, &other_staff, own.id, YEAR, it.id, &full).await);
        forbidden(plans::delete_item(&db, &other_staff, own.id, YEAR, it.id).await);
        forbidden(plans::add_progress(&db, &other_staff, own.id, YEAR, it.id, &report).await);

        // The authority of the region and sphere reads (drafts too) but changes nothing.
        let seen = plans::get(&db.read, &w.authority, neighbour.id, YEAR).await.expect("authority reads a draft");
        assert!(!seen.may_edit && seen.status() == Some(PlanStatus::Draft));
        forbidden(plans::add_item(&db, &w.authority, own.id, YEAR, &full).await);
        forbidden(plans::publish(&db, &w.authority, neighbour.id, YEAR).await);
        // The authority of another region: nothing.
        forbidden(plans::get(&db.read, &authority_of("77"), own.id, YEAR).await);
        forbidden(plans::history(&db.read, &authority_of("77"), own.id, YEAR).await);
        // Council reads; an operator reads within its contract only; a monitor within its regions only.
        assert!(!plans::get(&db.read, &w.council, own.id, YEAR).await.unwrap().may_edit);
        forbidden(plans::add_item(&db, &w.council, own.id, YEAR, &full).await);
        assert!(!plans::get(&db.read, &w.operator, own.id, YEAR).await.unwrap().may_edit);
        forbidden(plans::get(&db.read, &w.operator, neighbour.id, YEAR).await);
        forbidden(plans::add_progress(&db, &w.operator, own.id, YEAR, it.id, &report).await);
        forbidden(plans::get(&db.read, &w.monitor_77, own.id, YEAR).await);
        let org77 = w.org("77", Sphere::Health);
        assert!(plans::get(&db.read, &w.monitor_77, org77.id, YEAR).await.unwrap().record.is_none());
        forbidden(plans::create(&db, &w.monitor_77, org77.id, YEAR).await);
        // Administrators change any plan.
        assert!(matches!(plans::add_item(&db, &w.admin, org77.id, YEAR, &full).await, Err(StoreError::NotFound)));
        plans::create(&db, &w.admin, org77.id, YEAR).await.expect("admin creates");
        plans::add_item(&db, &w.admin, org77.id, YEAR, &full).await.expect("admin adds");

        // Every change is in the plan's history, with who did it.
        let history = plans::history(&db.read, &w.staff, own.id, YEAR).await.unwrap();
        let actions: Vec<&str> = history.iter().map(|h| h.action.as_str()).collect();
        assert_eq!(actions, ["plan.publish", "plan.item.update", "plan.item.create", "plan.create"], "{backend}");
        assert!(history.iter().all(|h| h.actor_login == "staff"), "{backend}");
        let entries = audit::history(&db.read, "improvement_plan", &format!("{}/{YEAR}", neighbour.id)).await.unwrap();
        assert_eq!(entries.len(), 2, "{backend}: create and item of the neighbour");
    }
}

#[tokio::test]
async fn overdue_is_computed_and_progress_counted() {
    for backend in testing::backends() {
        let db = testing::fresh(backend).await;
        let w = common::world(&db).await;
        let org = w.org("76", Sphere::Health).clone();
        plans::create(&db, &w.staff, org.id, YEAR).await.unwrap();
        let add = async |text: &str, days: i64, status: ItemStatus| {
            plans::add_item(&db, &w.staff, org.id, YEAR, &item(text, days, status)).await.unwrap()
        };
        let late = add("Просрочен", -3, ItemStatus::Planned).await;
        let late_in_work = add("Просрочен в работе", -1, ItemStatus::InProgress).await;
        let done_late = add("Выполнен после срока", -30, ItemStatus::Planned).await;
        let due_today = add("Срок сегодня", 0, ItemStatus::Planned).await;
        let working = add("В работе", 20, ItemStatus::Planned).await;

        // A report moves an item into work; «complete» makes it done, and done is never overdue.
        let report = |complete| ProgressInput {
            done_on: Some(plans::today() - DAY),
            what_done: Some("Закуплено оборудование".into()),
            details: Some("Договор № 12".into()),
            complete,
        };
        plans::add_progress(&db, &w.staff, org.id, YEAR, working.id, &report(false)).await.unwrap();
        plans::add_progress(&db, &w.staff, org.id, YEAR, done_late.id, &report(true)).await.unwrap();
        // A report dated in the future is refused.
        let future = ProgressInput { done_on: Some(plans::today() + DAY), ..report(false) };
        invalid(plans::add_progress(&db, &w.staff, org.id, YEAR, working.id, &future).await, "done_on");

        let plan = plans::get(&db.read, &w.staff, org.id, YEAR).await.unwrap();
        let shown = |id: i32| plan.item(id).unwrap().shown;
        assert_eq!(shown(late.id), Shown::Overdue, "{backend}");
        assert_eq!(shown(late_in_work.id), Shown::Overdue, "{backend}");
        assert_eq!(shown(done_late.id), Shown::Done, "{backend}");
        assert_eq!(shown(due_today.id), Shown::Planned, "{backend}: due today is not late yet");
        assert_eq!(shown(working.id), Shown::InProgress, "{backend}");
        assert_eq!(plan.item(working.id).unwrap().progress.len(), 1);
        let p = plan.progress();
        assert_eq!((p.total, p.done, p.in_progress, p.planned, p.overdue), (5, 1, 1, 1, 2), "{backend}");
        assert!((p.percent_done() - 20.0).abs() < 1e-9);

        // The stored status never says overdue; the rule is the same everywhere.
        assert_eq!(plan.item(late.id).unwrap().item.status, "planned");
        assert_eq!(Shown::of("done", Some(0), plans::today()), Shown::Done);
        assert_eq!(Shown::of("in_progress", None, plans::today()), Shown::InProgress);

        // The table counts the same.
        let (summary, page) =
            plans::list(&db.read, &w.authority, &ListQuery { year: YEAR, per_page: 50, ..ListQuery::default() })
                .await
                .unwrap();
        let row = page.items.iter().find(|r| r.organization_id == org.id).unwrap();
        assert_eq!((row.items, row.done, row.overdue, row.status), (5, 1, 2, Some(PlanStatus::Draft)), "{backend}");
        assert_eq!((summary.items, summary.done, summary.overdue, summary.with_plan), (5, 1, 2, 1), "{backend}");
    }
}

#[tokio::test]
async fn publication_needs_complete_items_and_the_public_sees_only_the_latest_published_plan() {
    for backend in testing::backends() {
        let db = testing::fresh(backend).await;
        let w = common::world(&db).await;
        let org = w.org("76", Sphere::Health).clone();
        assert_eq!(plans::published_latest(&db.read, org.id).await.unwrap(), None);

        plans::create(&db, &w.staff, org.id, YEAR).await.unwrap();
        invalid(plans::publish(&db, &w.staff, org.id, YEAR).await, "items");
        let bare = ItemInput { shortcoming: Some("Нет пандуса".into()), ..ItemInput::default() };
        let it = plans::add_item(&db, &w.staff, org.id, YEAR, &bare).await.unwrap();
        invalid(plans::publish(&db, &w.staff, org.id, YEAR).await, "items");
        // A draft is never public.
        assert_eq!(plans::published_latest(&db.read, org.id).await.unwrap(), None, "{backend}");

        invalid(plans::add_item(&db, &w.staff, org.id, YEAR, &ItemInput::default()).await, "shortcoming");
        let bad_section = ItemInput { criterion: Some("K9".into()), ..item("x", 1, ItemStatus::Planned) };
        invalid(plans::add_item(&db, &w.staff, org.id, YEAR, &bad_section).await, "criterion");
        let mut complete = item("Нет пандуса", 60, ItemStatus::Planned);
        plans::update_item(&db, &w.staff, org.id, YEAR, it.id, &complete).await.unwrap();
        plans::set_approval(&db, &w.staff, org.id, YEAR, Some(plans::today() - 5 * DAY)).await.unwrap();
        invalid(plans::set_approval(&db, &w.staff, org.id, YEAR, Some(plans::today() + 5 * DAY)).await, "approved_on");
        plans::publish(&db, &w.staff, org.id, YEAR).await.unwrap();
        assert!(matches!(plans::publish(&db, &w.staff, org.id, YEAR).await, Err(StoreError::Conflict(_))));

        // Items of a published plan must stay complete.
        complete.measure = None;
        invalid(plans::update_item(&db, &w.staff, org.id, YEAR, it.id, &complete).await, "measure");
        invalid(plans::add_item(&db, &w.staff, org.id, YEAR, &bare).await, "measure");
        plans::add_item(&db, &w.staff, org.id, YEAR, &item("Нет кулера", -2, ItemStatus::Planned)).await.unwrap();
        plans::add_progress(
            &db,
            &w.staff,
            org.id,
            YEAR,
            it.id,
            &ProgressInput {
                done_on: Some(plans::today() - DAY),
                what_done: Some("Заключён договор".into()),
                details: Some("внутреннее примечание".into()),
                complete: false,
            },
        )
        .await
        .unwrap();

        let public = plans::published_latest(&db.read, org.id).await.unwrap().expect("published");
        assert_eq!(public.year, YEAR);
        assert_eq!(public.approved_on, Some(plans::today() - 5 * DAY));
        assert_eq!(public.items.len(), 2, "{backend}");
        let first = &public.items[0]; // the earlier deadline first
        assert_eq!((first.shortcoming.as_str(), first.shown), ("Нет кулера", Shown::Overdue), "{backend}");
        let second = &public.items[1];
        assert_eq!(second.shown, Shown::InProgress);
        assert_eq!(second.responsible_position, "заведующий хозяйством");
        assert_eq!(second.progress, vec![(plans::today() - DAY, "Заключён договор".to_string())], "{backend}");
        let p = public.progress();
        assert_eq!((p.total, p.done, p.overdue), (2, 0, 1));

        // A draft of a later year does not hide the published one; once published, it is the latest.
        plans::create(&db, &w.staff, org.id, YEAR + 1).await.unwrap();
        plans::add_item(&db, &w.staff, org.id, YEAR + 1, &item("Новое", 90, ItemStatus::Planned)).await.unwrap();
        assert_eq!(plans::published_latest(&db.read, org.id).await.unwrap().unwrap().year, YEAR, "{backend}");
        plans::publish(&db, &w.staff, org.id, YEAR + 1).await.unwrap();
        let latest = plans::published_latest(&db.read, org.id).await.unwrap().unwrap();
        assert_eq!((latest.year, latest.items.len()), (YEAR + 1, 1), "{backend}");
        // Another organisation has none.
        assert_eq!(plans::published_latest(&db.read, w.org("77", Sphere::Health).id).await.unwrap(), None);
    }
}

#[tokio::test]
async fn absent_checklist_items_are_offered_once_and_deleted_items_take_their_reports() {
    for backend in testing::backends() {
        let db = testing::fresh(backend).await;
        let w = common::world(&db).await;
        let org = w.org("76", Sphere::Health).clone();
        // No checklist yet: nothing from it.
        plans::create(&db, &w.staff, org.id, YEAR).await.unwrap();
        assert!(
            plans::offers(&db.read, &w.staff, org.id, YEAR)
                .await
                .unwrap()
                .iter()
                .all(|o| o.source_kind == SourceKind::Indicator),
            "{backend}"
        );
        // The operator records a checklist with everything absent but drinking water.
        let input = ChecklistInput {
            items: vec![checklists::ItemInput { item_id: "comfort.water".into(), present: true, ..Default::default() }],
            ..ChecklistInput::default()
        };
        checklists::save(&db, &w.operator, org.id, YEAR, &input).await.unwrap();
        let absent = checklists::shortcomings(&db.read, &w.staff, org.id, YEAR).await.unwrap();
        let offers = plans::offers(&db.read, &w.staff, org.id, YEAR).await.unwrap();
        let from_checklist: Vec<&str> =
            offers.iter().filter(|o| o.source_kind == SourceKind::Checklist).map(|o| o.source_ref.as_str()).collect();
        assert_eq!(from_checklist.len(), absent.len(), "{backend}");
        assert!(!from_checklist.contains(&"comfort.water"));
        let first = &offers[0];
        assert!(first.shortcoming.contains(&absent[0].shortcoming.name_ru), "{}", first.shortcoming);
        assert_eq!(first.criterion.as_deref(), Some(absent[0].shortcoming.criterion.as_str()));

        let added = plans::add_offers(&db, &w.staff, org.id, YEAR).await.unwrap();
        assert_eq!(added, offers.len(), "{backend}");
        assert!(plans::offers(&db.read, &w.staff, org.id, YEAR).await.unwrap().is_empty(), "{backend}: not twice");
        assert_eq!(plans::add_offers(&db, &w.staff, org.id, YEAR).await.unwrap(), 0);
        let plan = plans::get(&db.read, &w.staff, org.id, YEAR).await.unwrap();
        assert_eq!(plan.items.len(), offers.len());
        assert_eq!(plan.incomplete().len(), offers.len(), "prefilled items wait for a measure");
        let prefilled = plan.items.iter().find(|i| i.item.source_ref.as_deref() == Some(from_checklist[0])).unwrap();
        assert_eq!(prefilled.item.source_kind.as_deref(), Some("checklist"));

        // Deleting an item removes its reports too, and it is offered again.
        let id = prefilled.item.id;
        plans::update_item(&db, &w.staff, org.id, YEAR, id, &item("Отсутствует пункт", 5, ItemStatus::Planned))
            .await
            .unwrap();
        plans::add_progress(
            &db,
            &w.staff,
            org.id,
            YEAR,
            id,
            &ProgressInput {
                done_on: Some(plans::today()),
                what_done: Some("Начато".into()),
                ..ProgressInput::default()
            },
        )
        .await
        .unwrap();
        plans::delete_item(&db, &w.staff, org.id, YEAR, id).await.unwrap();
        let plan = plans::get(&db.read, &w.staff, org.id, YEAR).await.unwrap();
        assert!(plan.item(id).is_none());
        assert_eq!(plans::offers(&db.read, &w.staff, org.id, YEAR).await.unwrap().len(), 1, "{backend}");
        let actions: Vec<String> =
            plans::history(&db.read, &w.staff, org.id, YEAR).await.unwrap().into_iter().map(|h| h.action).collect();
        assert_eq!(
            actions,
            ["plan.item.delete", "plan.progress.create", "plan.item.update", "plan.prefill", "plan.create"],
            "{backend}"
        );
        // Offers are for drafts.
        plans::add_offers(&db, &w.staff, org.id, YEAR).await.unwrap();
        for i in plans::get(&db.read, &w.staff, org.id, YEAR).await.unwrap().items {
            plans::update_item(
                &db,
                &w.staff,
                org.id,
                YEAR,
                i.item.id,
                &item(&i.item.shortcoming, 5, ItemStatus::Planned),
            )
            .await
            .unwrap();
        }
        plans::publish(&db, &w.staff, org.id, YEAR).await.unwrap();
        assert!(matches!(plans::add_offers(&db, &w.staff, org.id, YEAR).await, Err(StoreError::Conflict(_))));
    }
}

#[tokio::test]
async fn the_authority_table_lists_its_organisations_with_filters_search_and_sorting() {
    for backend in testing::backends() {
        let db = testing::fresh(backend).await;
        let w = common::world(&db).await;
        let health76: Vec<_> = w.orgs.iter().filter(|o| o.region_code == "76" && o.sphere == "health").collect();
        let (a, b) = (health76[0], health76[1]);
        plans::create(&db, &staff_of(a.id), a.id, YEAR).await.unwrap();
        plans::add_item(&db, &staff_of(a.id), a.id, YEAR, &item("Просрочен", -2, ItemStatus::Planned)).await.unwrap();
        plans::create(&db, &staff_of(b.id), b.id, YEAR).await.unwrap();
        plans::add_item(&db, &staff_of(b.id), b.id, YEAR, &item("Впереди", 20, ItemStatus::Planned)).await.unwrap();
        plans::publish(&db, &staff_of(b.id), b.id, YEAR).await.unwrap();
        // A plan in another region is never in this authority's table.
        let org77 = w.org("77", Sphere::Health);
        plans::create(&db, &w.admin, org77.id, YEAR).await.unwrap();

        let list = async |actor: &Actor, q: ListQuery| {
            let year = if q.year == 0 { YEAR } else { q.year };
            let (summary, page) = plans::list(&db.read, actor, &ListQuery { year, per_page: 50, ..q }).await.unwrap();
            (summary, page.items.iter().map(|r| r.organization_id).collect::<Vec<_>>(), page.total)
        };
        let (summary, ids, total) = list(&w.authority, ListQuery::default()).await;
        assert_eq!(total, 2, "{backend}: the authority's region and sphere only");
        assert!(ids.contains(&a.id) && ids.contains(&b.id) && !ids.contains(&org77.id));
        assert_eq!((summary.organizations, summary.with_plan, summary.published, summary.overdue), (2, 2, 1, 1));
        assert_eq!(
            list(&w.authority, ListQuery { filter: ListFilter::Overdue, ..ListQuery::default() }).await.1,
            [a.id]
        );
        assert_eq!(
            list(&w.authority, ListQuery { filter: ListFilter::Published, ..ListQuery::default() }).await.1,
            [b.id]
        );
        assert!(
            list(&w.authority, ListQuery { filter: ListFilter::NoPlan, ..ListQuery::default() }).await.1.is_empty()
        );
        let q = Some(b.short_name.clone());
        assert_eq!(list(&w.authority, ListQuery { q, ..ListQuery::default() }).await.1, [b.id], "{backend}");
        let by_overdue =
            list(&w.authority, ListQuery { sort: ListSort::Overdue, descending: true, ..ListQuery::default() }).await.1;
        assert_eq!(by_overdue[0], a.id, "{backend}");
        // Another year: the same organisations, no plans.
        let (other, _, _) = list(&w.authority, ListQuery { year: YEAR - 1, ..ListQuery::default() }).await;
        assert_eq!(other.with_plan, 0);
        // Staff see their own row; the monitor of 77 sees 77; the other region's authority nothing of 76.
        assert_eq!(list(&w.staff, ListQuery::default()).await.1, [a.id]);
        assert!(list(&w.monitor_77, ListQuery::default()).await.1.contains(&org77.id));
        assert!(!list(&authority_of("77"), ListQuery::default()).await.1.contains(&a.id));
    }
}
