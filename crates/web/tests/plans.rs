//! Improvement plans over real HTTP, on SQLite and (with NOK_TEST_DATABASE_URL) PostgreSQL: staff build,
//! prefill, edit, report on and publish their plan; staff of another organisation and the authority of
//! another region are refused on every route; the authority's table with overdue items and its CSV/XLSX
//! export; the public organisation page shows the published plan (never a draft) with its progress, and
//! the API returns it as JSON.

mod support;

use nok_methodology::Sphere;
use nok_store::db::testing;
use nok_store::entities::organization;
use nok_store::repo::checklists::{self, ChecklistInput};
use nok_store::repo::import::{ImportOptions, import_organizations};
use nok_store::repo::improvement_plans as plans;
use nok_store::repo::organizations::{self, OrgQuery};
use nok_store::repo::reference;
use nok_store::{Actor, Role};
use support::{PASSWORD, Server, client, csrf_of, csv_export, login, record, start, xlsx_export};

/// Two health organisations of 76 (the first is `staff`'s, the second `neighbour`'s) and one of 77; the
/// two regions' health authorities.
struct World {
    own: organization::Model,
    neighbour: organization::Model,
    far: organization::Model,
}

async fn world(s: &Server) -> World {
    let system = Actor::system();
    let mut ids = Vec::new();
    for region in ["76", "77"] {
        let a = reference::upsert_authority(
            &s.db,
            &system,
            reference::NewAuthority {
                code: &format!("{region}-health"),
                name: &format!("Минздрав {region}"),
                region_code: Some(region),
                sphere: Some("health"),
            },
        )
        .await
        .unwrap();
        ids.push(a.id);
    }
    let recs = vec![
        record(1, "76", Sphere::Health, "Городская больница № 1"),
        record(2, "76", Sphere::Health, "Городская поликлиника № 2"),
        record(3, "77", Sphere::Health, "Московская больница № 3"),
    ];
    let rows = recs.into_iter().enumerate().map(|(i, r)| (i + 2, Ok(r)));
    let report = import_organizations(&s.db, &system, rows, &ImportOptions::default(), |_| {}).await.unwrap();
    assert!(report.committed, "{:?}", report.errors);
    let mut orgs =
        organizations::list(&s.db.read, &system, &OrgQuery { per_page: 10, ..Default::default() }).await.unwrap().items;
    orgs.sort_by_key(|o| o.id);
    s.add_user("staff", Role::Staff, |n| n.organization_id = Some(orgs[0].id)).await;
    s.add_user("neighbour", Role::Staff, |n| n.organization_id = Some(orgs[1].id)).await;
    s.add_user("auth76", Role::Authority, |n| n.authority_id = Some(ids[0])).await;
    s.add_user("auth77", Role::Authority, |n| n.authority_id = Some(ids[1])).await;
    World { own: orgs[0].clone(), neighbour: orgs[1].clone(), far: orgs[2].clone() }
}

fn year() -> i32 {
    nok_store::time_util::period_of(nok_store::time_util::now())
}

/// `ДД.ММ.ГГГГ` of a stored date.
fn ru(ts: i64) -> String {
    let d = nok_store::time_util::to_datetime(ts).date();
    format!("{:02}.{:02}.{}", d.day(), u8::from(d.month()), d.year())
}

/// Signs in and returns the client with a CSRF token for its forms.
async fn session(s: &Server, user: &str) -> (reqwest::Client, String) {
    let (c, status) = login(s, user, PASSWORD).await;
    assert_eq!(status, 303, "{user} signs in");
    let page = c.get(s.url("/cabinet/plans")).send().await.unwrap().text().await.unwrap();
    let csrf = csrf_of(&page);
    (c, csrf)
}

async fn post(c: &reqwest::Client, s: &Server, path: &str, csrf: &str, fields: &[(&str, &str)]) -> reqwest::Response {
    let mut form: Vec<(&str, &str)> = vec![("csrf", csrf)];
    form.extend_from_slice(fields);
    c.post(s.url(path)).form(&form).send().await.unwrap()
}

async fn text(c: &reqwest::Client, s: &Server, path: &str) -> (u16, String) {
    let res = c.get(s.url(path)).send().await.unwrap();
    (res.status().as_u16(), res.text().await.unwrap())
}

#[tokio::test]
async fn staff_build_report_and_publish_and_the_public_sees_only_the_published_plan() {
    for backend in testing::backends() {
        let s = start(backend).await;
        let w = world(&s).await;
        let y = year();
        let base = format!("/cabinet/plan/{}/{y}", w.own.id);
        let public = format!("/o/{}", w.own.public_id);
        let api = format!("/api/v1/organizations/{}/plan", w.own.public_id);
        let (staff, csrf) = session(&s, "staff").await;

        // No plan yet: an empty state and the button to create it; nothing public.
        let (st, html) = text(&staff, &s, &base).await;
        assert_eq!(st, 200, "{backend}");
        assert!(html.contains("План на этот год ещё не составлен") && html.contains("Составить план"), "{html}");
        assert_eq!(post(&staff, &s, &base, &csrf, &[]).await.status(), 303);

        // The operator's checklist (everything absent) offers its items; staff add them in one go.
        checklists::save(&s.db, &Actor::system(), w.own.id, y, &ChecklistInput::default()).await.unwrap();
        let (_, html) = text(&staff, &s, &base).await;
        assert!(html.contains("Добавить недостатки в план") && html.contains("Отсутствует: "), "{backend}");
        let res = post(&staff, &s, &format!("{base}/prefill"), &csrf, &[]).await;
        assert_eq!(res.status(), 303);
        let plan = plans::get(&s.db.read, &Actor::system(), w.own.id, y).await.unwrap();
        assert!(plan.items.len() > 3, "{backend}");

        // A manual item: a wrong date comes back to its field; a good one is added.
        let bad = [("shortcoming", "Нет кулера"), ("deadline", "31.02.2026"), ("status", "planned")];
        let res = post(&staff, &s, &format!("{base}/items"), &csrf, &bad).await;
        assert_eq!(res.status(), 422, "{backend}");
        let html = res.text().await.unwrap();
        assert!(html.contains("aria-invalid=\"true\"") && html.contains("Плановый срок: укажите дату"), "{html}");
        let past = ru(plans::today() - 3 * 86_400);
        let good = [
            ("criterion", "K2"),
            ("shortcoming", "Нет кулера с питьевой водой"),
            ("measure", "Установить кулер в зоне ожидания"),
            ("deadline", past.as_str()),
            ("responsible_name", "Петров Алексей Викторович"),
            ("responsible_position", "заведующий хозяйством"),
            ("status", "planned"),
        ];
        assert_eq!(post(&staff, &s, &format!("{base}/items"), &csrf, &good).await.status(), 303);
        let (_, html) = text(&staff, &s, &base).await;
        assert!(html.contains("Нет кулера с питьевой водой") && html.contains(&past), "{backend}");
        assert!(html.contains("Просрочено"), "overdue named in words: {backend}");

        // Publishing waits until every item is complete.
        let res = post(&staff, &s, &format!("{base}/publish"), &csrf, &[]).await;
        assert_eq!(res.status(), 422, "{backend}");
        assert!(res.text().await.unwrap().contains("Нельзя опубликовать план"));
        let plan = plans::get(&s.db.read, &Actor::system(), w.own.id, y).await.unwrap();
        let kept = plan.items.iter().find(|i| i.item.shortcoming == "Нет кулера с питьевой водой").unwrap().item.id;
        let prefilled: Vec<i32> = plan.items.iter().map(|i| i.item.id).filter(|id| *id != kept).collect();
        // Delete asks first; then removes.
        let (st, html) = text(&staff, &s, &format!("{base}/items/{}/delete", prefilled[0])).await;
        assert!(st == 200 && html.contains("Удалить пункт плана?"), "{backend}");
        for id in &prefilled {
            let res = post(&staff, &s, &format!("{base}/items/{id}/delete"), &csrf, &[("confirmed", "1")]).await;
            assert_eq!(res.status(), 303);
        }
        // Edit keeps the fields; a progress report puts the item in work.
        let (st, html) = text(&staff, &s, &format!("{base}/items/{kept}/edit")).await;
        assert!(st == 200 && html.contains("Установить кулер в зоне ожидания"), "{backend}");
        let mut edited = good.to_vec();
        edited[2] = ("measure", "Установить два кулера");
        assert_eq!(post(&staff, &s, &format!("{base}/items/{kept}/edit"), &csrf, &edited).await.status(), 303);
        let today = ru(plans::today());
        let report = [("done_on", today.as_str()), ("what_done", "Заключён договор на поставку")];
        assert_eq!(post(&staff, &s, &format!("{base}/items/{kept}/progress"), &csrf, &report).await.status(), 303);
        let approved = ru(plans::today() - 86_400);
        let res = post(&staff, &s, &format!("{base}/approval"), &csrf, &[("approved_on", approved.as_str())]).await;
        assert_eq!(res.status(), 303);

        // Still a draft: the public page and the API show no plan.
        let (_, html) = text(&client(), &s, &public).await;
        assert!(!html.contains("plan-title"), "{backend}: a draft is never public");
        assert_eq!(client().get(s.url(&api)).send().await.unwrap().status(), 404);

        assert_eq!(post(&staff, &s, &format!("{base}/publish"), &csrf, &[]).await.status(), 303);
        let (_, html) = text(&staff, &s, &base).await;
        assert!(html.contains("План опубликован") && html.contains("Опубликован"), "{backend}");

        // Published: the section with progress, the deadline as ДД.ММ.ГГГГ, the position (not the name).
        let (st, html) = text(&client(), &s, &public).await;
        assert_eq!(st, 200);
        assert!(html.contains("id=\"plan-title\""), "{backend}: {html}");
        assert!(html.contains("выполнено 0 из 1") && html.contains("<progress"), "{backend}");
        assert!(html.contains("Установить два кулера") && html.contains(&past), "{backend}");
        assert!(html.contains("заведующий хозяйством") && !html.contains("Петров Алексей"), "{backend}");
        assert!(html.contains("Просрочено") && html.contains("Заключён договор на поставку"), "{backend}");
        assert!(html.contains(&format!("Утверждён учредителем {approved}")), "{backend}");

        // The API: the same plan as JSON.
        let res = client().get(s.url(&api)).send().await.unwrap();
        assert_eq!(res.status(), 200, "{backend}");
        let json: serde_json::Value = res.json().await.unwrap();
        assert_eq!(json["organization_id"], w.own.public_id.as_str());
        assert_eq!(json["year"], y);
        assert_eq!(json["approved_on"], plans::iso_date(plans::today() - 86_400).as_str());
        assert_eq!(json["progress"]["total"], 1);
        assert_eq!(json["progress"]["done"], 0);
        assert_eq!(json["progress"]["overdue"], 1);
        let item = &json["items"][0];
        assert_eq!(item["section"], "K2");
        assert_eq!(item["measure"], "Установить два кулера");
        assert_eq!(item["deadline"], plans::iso_date(plans::today() - 3 * 86_400).as_str());
        assert_eq!(item["status"], "overdue");
        assert_eq!(item["responsible_position"], "заведующий хозяйством");
        assert!(item.get("responsible_name").is_none(), "no personal name in open data");
        assert_eq!(item["progress"][0]["what_done"], "Заключён договор на поставку");
        assert_eq!(item["progress"][0]["done_on"], plans::iso_date(plans::today()).as_str());
        let none =
            client().get(s.url(&format!("/api/v1/organizations/{}/plan", w.far.public_id))).send().await.unwrap();
        assert_eq!(none.status(), 404);
        let body: serde_json::Value = none.json().await.unwrap();
        assert_eq!(body["errors"][0]["code"], "no_published_plan");
        let unknown = client().get(s.url("/api/v1/organizations/nosuchorg1/plan")).send().await.unwrap();
        assert_eq!(unknown.status(), 404);
        // The OpenAPI document describes it.
        let doc: serde_json::Value =
            client().get(s.url("/api/openapi.json")).send().await.unwrap().json().await.unwrap();
        assert!(doc["paths"]["/api/v1/organizations/{id}/plan"]["get"].is_object(), "{backend}");

        // Marking it done shows on the page.
        let done = [("done_on", today.as_str()), ("what_done", "Кулеры установлены"), ("complete", "1")];
        assert_eq!(post(&staff, &s, &format!("{base}/items/{kept}/progress"), &csrf, &done).await.status(), 303);
        let (_, html) = text(&client(), &s, &public).await;
        assert!(html.contains("выполнено 1 из 1") && html.contains("Выполнено"), "{backend}");
    }
}

#[tokio::test]
async fn other_staff_and_another_region_are_refused_on_every_route() {
    for backend in testing::backends() {
        let s = start(backend).await;
        let w = world(&s).await;
        let y = year();
        let base = format!("/cabinet/plan/{}/{y}", w.own.id);
        let (staff, csrf) = session(&s, "staff").await;
        assert_eq!(post(&staff, &s, &base, &csrf, &[]).await.status(), 303);
        let item = [("shortcoming", "Нет пандуса"), ("status", "planned")];
        assert_eq!(post(&staff, &s, &format!("{base}/items"), &csrf, &item).await.status(), 303);
        let id = plans::get(&s.db.read, &Actor::system(), w.own.id, y).await.unwrap().items[0].item.id;

        let full = [
            ("shortcoming", "Нет пандуса"),
            ("measure", "Построить пандус"),
            ("deadline", "01.12.2030"),
            ("responsible_name", "Иванов Иван Иванович"),
            ("responsible_position", "завхоз"),
            ("status", "planned"),
        ];
        let gets = [
            base.clone(),
            format!("{base}/items/{id}/edit"),
            format!("{base}/items/{id}/progress"),
            format!("{base}/items/{id}/delete"),
        ];
        let posts: Vec<(String, Vec<(&str, &str)>)> = vec![
            (base.clone(), vec![]),
            (format!("{base}/approval"), vec![("approved_on", "01.02.2026")]),
            (format!("{base}/prefill"), vec![]),
            (format!("{base}/publish"), vec![]),
            (format!("{base}/items"), full.to_vec()),
            (format!("{base}/items/{id}/edit"), full.to_vec()),
            (format!("{base}/items/{id}/progress"), vec![("done_on", "01.02.2026"), ("what_done", "x")]),
            (format!("{base}/items/{id}/delete"), vec![("confirmed", "1")]),
        ];
        let refused_everywhere = async |user: &str, read_status: u16| {
            let (c, csrf) = session(&s, user).await;
            let (st, _) = text(&c, &s, &base).await;
            assert_eq!(st, read_status, "{backend}: {user} GET {base}");
            for path in &gets[1..] {
                assert_eq!(text(&c, &s, path).await.0, 403, "{backend}: {user} GET {path}");
            }
            for (path, fields) in &posts {
                let res = post(&c, &s, path, &csrf, fields).await;
                assert_eq!(res.status(), 403, "{backend}: {user} POST {path}");
            }
        };
        // Staff of another organisation: neither the draft nor, later, the published plan.
        refused_everywhere("neighbour", 403).await;
        // The authority of another region: nothing; of the region: reads, changes nothing.
        refused_everywhere("auth77", 403).await;
        refused_everywhere("auth76", 200).await;
        let (auth76, _) = session(&s, "auth76").await;
        let (_, html) = text(&auth76, &s, &base).await;
        assert!(html.contains("Нет пандуса") && !html.contains("Добавить пункт"), "{backend}: read-only");

        // Publish, then try again: the published plan is still out of their reach.
        assert_eq!(post(&staff, &s, &format!("{base}/items/{id}/edit"), &csrf, &full).await.status(), 303);
        assert_eq!(post(&staff, &s, &format!("{base}/publish"), &csrf, &[]).await.status(), 303);
        refused_everywhere("neighbour", 403).await;
        refused_everywhere("auth77", 403).await;
        // Nothing changed by the refused calls.
        let plan = plans::get(&s.db.read, &Actor::system(), w.own.id, y).await.unwrap();
        assert_eq!(plan.items.len(), 1, "{backend}");
        assert_eq!(plan.items[0].item.measure.as_deref(), Some("Построить пандус"));
        assert!(plan.items[0].progress.is_empty() && plan.record.unwrap().approved_on.is_none());
        // Signed out: sign in first.
        assert_eq!(client().get(s.url(&base)).send().await.unwrap().status(), 303);
        // A neighbour's own plan is theirs.
        let (neighbour, ncsrf) = session(&s, "neighbour").await;
        let theirs = format!("/cabinet/plan/{}/{y}", w.neighbour.id);
        assert_eq!(post(&neighbour, &s, &theirs, &ncsrf, &[]).await.status(), 303, "{backend}");
    }
}

#[tokio::test]
async fn the_authority_table_shows_overdue_items_and_exports_them() {
    for backend in testing::backends() {
        let s = start(backend).await;
        let w = world(&s).await;
        let y = year();
        let staff = |org: i32| Actor {
            user_id: None,
            login: "staff".into(),
            role: Role::Staff,
            scope: nok_store::scope::Scope::Organization { organization_id: org },
        };
        let input = |text: &str, days: i64| plans::ItemInput {
            criterion: Some("K3".into()),
            shortcoming: Some(text.into()),
            measure: Some("Мера".into()),
            deadline: Some(plans::today() + days * 86_400),
            responsible_name: Some("Иванов И. И.".into()),
            responsible_position: Some("завхоз".into()),
            status: plans::ItemStatus::Planned,
        };
        let own = staff(w.own.id);
        plans::create(&s.db, &own, w.own.id, y).await.unwrap();
        plans::add_item(&s.db, &own, w.own.id, y, &input("Просрочено", -10)).await.unwrap();
        plans::add_item(&s.db, &own, w.own.id, y, &input("Впереди", 10)).await.unwrap();
        plans::publish(&s.db, &own, w.own.id, y).await.unwrap();
        plans::create(&s.db, &Actor::system(), w.far.id, y).await.unwrap();

        let (auth, _) = session(&s, "auth76").await;
        let (st, html) = text(&auth, &s, &format!("/cabinet/plans?period={y}")).await;
        assert_eq!(st, 200, "{backend}");
        assert!(html.contains(&w.own.short_name) && html.contains(&w.neighbour.short_name), "{backend}");
        assert!(!html.contains(&w.far.short_name), "{backend}: another region");
        assert!(html.contains("1 просрочено") && html.contains("Не составлен"), "{backend}");
        let (_, html) = text(&auth, &s, &format!("/cabinet/plans?period={y}&plan=overdue")).await;
        assert!(html.contains(&w.own.short_name) && !html.contains(&w.neighbour.short_name), "{backend}");
        let (_, html) = text(&auth, &s, &format!("/cabinet/plans?period={y}&q=поликлиника")).await;
        assert!(!html.contains(&w.own.short_name) && html.contains(&w.neighbour.short_name), "{backend}");
        let (_, html) = text(&auth, &s, &format!("/cabinet/plans?period={y}&sort=overdue&dir=desc")).await;
        assert!(html.contains("aria-sort=\"descending\""), "{backend}");
        // The authority opens the plan and sees the overdue item, read-only.
        let (st, html) = text(&auth, &s, &format!("/cabinet/plan/{}/{y}", w.own.id)).await;
        assert!(st == 200 && html.contains("Просрочено") && html.contains("fb-overdue"), "{backend}");

        let csv = csv_export(&auth, &s, &format!("/cabinet/plans/export/csv?period={y}")).await;
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(
            lines[0],
            "Организация;ИНН;Регион;Сфера;План;Утверждён учредителем;Опубликован;Мероприятий;Выполнено;Просрочено"
        );
        assert_eq!(lines.len(), 3, "{backend}: {csv}");
        let today = ru(plans::today());
        let own_line = format!("{};{};76;Охрана здоровья;Опубликован;;{today};2;0;1", w.own.short_name, w.own.inn);
        assert!(lines.contains(&own_line.as_str()), "{backend}: {csv}");
        let other_line = format!("{};{};76;Охрана здоровья;Не составлен;;;;;", w.neighbour.short_name, w.neighbour.inn);
        assert!(lines.contains(&other_line.as_str()), "{backend}: {csv}");
        let sheet = xlsx_export(&auth, &s, &format!("/cabinet/plans/export/xlsx?period={y}&plan=overdue")).await;
        assert_eq!(sheet.len(), 2, "{backend}: the header and the one organisation with overdue items");
        assert_eq!(sheet[1][0], w.own.short_name);

        // Another region's authority exports only its own organisations.
        let (auth77, _) = session(&s, "auth77").await;
        let csv = csv_export(&auth77, &s, &format!("/cabinet/plans/export/csv?period={y}")).await;
        assert!(csv.contains(&w.far.short_name) && !csv.contains(&w.own.short_name), "{backend}");
    }
}
