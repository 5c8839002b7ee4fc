//! Regional 1.1 lists over real HTTP, on SQLite and (with NOK_TEST_DATABASE_URL) PostgreSQL: the
//! authority starts its list from the methodology's, removes (with confirmation), adds, renames and
//! moves items and resets it; the organisation's 1.1 on the explanation page follows by hand-computed
//! values and says «региональный перечень», as do the checklist form and its XLSX file; authorities
//! of another region or sphere are refused on every route, councils and monitors only read, operators
//! and staff are refused; the history shows every change.

mod support;

use nok_methodology::{ChecklistSection, Sphere};
use nok_store::entities::{contract, organization};
use nok_store::repo::checklists::definition_for_year;
use nok_store::repo::{organizations, reference};
use nok_store::{Actor, Role};
use support::{PASSWORD, Server, csrf_of, login, record, start, xlsx_export};

const YEAR: i32 = 2026;
const LIST: &str = "/cabinet/checklist-lists/76/health/stand/2026";

/// A health organisation of region 76 with an operator's contract, authorities of 76/health,
/// 77/health and 76/culture, and users of every role.
async fn setup(s: &Server) -> organization::Model {
    let system = Actor::system();
    let mut authority_ids = Vec::new();
    for (code, region, sphere) in
        [("76-health", "76", "health"), ("77-health", "77", "health"), ("76-culture", "76", "culture")]
    {
        let new = reference::NewAuthority { code, name: code, region_code: Some(region), sphere: Some(sphere) };
        authority_ids.push(reference::upsert_authority(&s.db, &system, new).await.unwrap().id);
    }
    let org = organizations::create(&s.db, &system, &record(1, "76", Sphere::Health, "Больница № 1")).await.unwrap();
    let other = organizations::create(&s.db, &system, &record(2, "77", Sphere::Health, "Больница № 2")).await.unwrap();
    let op = reference::create_operator(&s.db, &system, "Оператор", None).await.unwrap();
    let c = contract::Model {
        id: 0,
        operator_id: op.id,
        authority_id: authority_ids[0],
        number: "1".into(),
        period: YEAR,
        starts_on: None,
        ends_on: None,
    };
    reference::create_contract(&s.db, &system, c, &[org.id]).await.unwrap();
    s.add_user("admin", Role::Admin, |_| {}).await;
    s.add_user("auth", Role::Authority, |n| n.authority_id = Some(authority_ids[0])).await;
    s.add_user("auth77", Role::Authority, |n| n.authority_id = Some(authority_ids[1])).await;
    s.add_user("auth76c", Role::Authority, |n| n.authority_id = Some(authority_ids[2])).await;
    s.add_user("council", Role::Council, |n| n.authority_id = Some(authority_ids[0])).await;
    s.add_user("mon76", Role::Monitor, |n| n.monitor_regions = Some(vec!["76".into()])).await;
    s.add_user("op", Role::Operator, |n| n.operator_id = Some(op.id)).await;
    s.add_user("staff", Role::Staff, |n| n.organization_id = Some(other.id)).await;
    org
}

async fn get(c: &reqwest::Client, s: &Server, path: &str) -> (u16, String) {
    let res = c.get(s.url(path)).send().await.unwrap();
    (res.status().as_u16(), res.text().await.unwrap())
}

async fn post(c: &reqwest::Client, s: &Server, path: &str, fields: &[(&str, &str)]) -> (u16, String) {
    let res = c.post(s.url(path)).form(fields).send().await.unwrap();
    (res.status().as_u16(), res.text().await.unwrap())
}

/// A signed-in client and its CSRF token.
async fn session(s: &Server, user: &str) -> (reqwest::Client, String) {
    let (c, _) = login(s, user, PASSWORD).await;
    let (_, html) = get(&c, s, "/account/password").await;
    let csrf = csrf_of(&html);
    (c, csrf)
}

/// The value of indicator 1.1 on the cabinet explanation page (the row's bold value).
fn value_1_1(html: &str) -> String {
    let row = &html[html.find("<th scope=\"row\">1.1</th>").expect("1.1 row")..];
    let start = row.find("<strong>").unwrap() + "<strong>".len();
    row[start..].split('<').next().unwrap().to_owned()
}

#[tokio::test]
async fn an_authority_edits_its_list_and_the_score_follows() {
    for backend in nok_store::db::testing::backends() {
        let s = start(backend).await;
        let org = setup(&s).await;
        let def = definition_for_year(YEAR);
        let stand = def.checklist(Sphere::Health, ChecklistSection::Stand);
        let site = def.checklist(Sphere::Health, ChecklistSection::Site);

        // The operator records 7 of the 14 stand items and 10 of the 20 website items: 1.1 = 50.
        let (op, op_csrf) = session(&s, "op").await;
        let form_path = format!("/cabinet/checklists/{}/{YEAR}", org.id);
        let ticks: Vec<String> = stand[..7].iter().chain(&site[..10]).map(|i| format!("present:{}", i.id)).collect();
        let mut fields: Vec<(&str, &str)> = vec![("csrf", op_csrf.as_str())];
        fields.extend(ticks.iter().map(|t| (t.as_str(), "1")));
        assert_eq!(post(&op, &s, &form_path, &fields).await.0, 303, "{backend}");
        let explain = format!("/cabinet/scores/{}/explain?period={YEAR}", org.id);
        let (_, html) = get(&op, &s, &explain).await;
        assert_eq!(value_1_1(&html), "50,00", "{backend}");
        assert!(!html.contains("региональному перечню"));

        // The authority sees both of its lists, the methodology's for now.
        let (auth, csrf) = session(&s, "auth").await;
        let (status, html) = get(&auth, &s, "/cabinet/checklist-lists?year=2026").await;
        assert_eq!(status, 200, "{backend}");
        assert!(
            html.contains(&format!("href=\"{LIST}\"")) && html.contains("/cabinet/checklist-lists/76/health/site/2026")
        );
        assert!(html.contains("перечень методики"));
        let (status, html) = get(&auth, &s, LIST).await;
        assert_eq!(status, 200);
        assert!(html.contains("Действует перечень методики") && html.contains(&format!("{LIST}/start")));
        assert_eq!(post(&auth, &s, &format!("{LIST}/start"), &[("csrf", &csrf)]).await.0, 303);
        let (_, html) = get(&auth, &s, &format!("{LIST}?done=1")).await;
        assert!(html.contains("Действует региональный перечень") && html.contains("Перечень изменён"));
        assert!(html.contains("<label") && html.contains("name=\"name\""), "rename fields are labelled");

        // Removing asks first; without the confirmation nothing happens.
        let remove = format!("{LIST}/items/{}/remove", stand[13].id);
        let res = auth.post(s.url(&remove)).form(&[("csrf", csrf.as_str())]).send().await.unwrap();
        assert_eq!((res.status().as_u16(), res.headers()["location"].to_str().unwrap()), (303, remove.as_str()));
        let (status, html) = get(&auth, &s, &remove).await;
        assert_eq!(status, 200);
        assert!(html.contains("Исключить пункт из перечня?") && html.contains(&stand[13].name_ru));
        for item in &stand[7..] {
            let path = format!("{LIST}/items/{}/remove", item.id);
            assert_eq!(post(&auth, &s, &path, &[("csrf", &csrf), ("confirmed", "1")]).await.0, 303, "{}", item.id);
        }
        let (_, html) = get(&op, &s, &explain).await;
        assert_eq!(value_1_1(&html), "75,00", "{backend}: 50 × (7/7 + 10/20)");
        assert!(html.contains("рассчитан по региональному перечню (Информационные стенды)"));

        // An item of the region's own: 50 × (7/8 + 10/20) = 68,75. An empty name is refused in Russian.
        let name = "Сведения о региональной программе лекарственного обеспечения";
        assert_eq!(post(&auth, &s, &format!("{LIST}/add"), &[("csrf", &csrf), ("name", name)]).await.0, 303);
        let (status, html) = post(&auth, &s, &format!("{LIST}/add"), &[("csrf", &csrf), ("name", "  ")]).await;
        assert_eq!(status, 422);
        assert!(html.contains("Укажите название пункта"));
        let (_, html) = get(&op, &s, &explain).await;
        assert_eq!(value_1_1(&html), "68,75", "{backend}");

        // The checklist form and its workbook use and name the regional list.
        let (_, html) = get(&op, &s, &form_path).await;
        assert!(html.contains("1.1. Информация на информационных стендах (региональный перечень)"));
        assert!(html.contains(name) && !html.contains(&format!("present:{}\"", stand[8].id)));
        assert!(html.contains("1.1. Информация на официальном сайте <span"), "the website list is the methodology's");
        let sheet = xlsx_export(&op, &s, &format!("{form_path}/export.xlsx")).await;
        let regional_rows: Vec<&Vec<String>> =
            sheet.iter().filter(|r| r[0].ends_with("(региональный перечень)")).collect();
        assert_eq!(regional_rows.len(), 8, "{backend}");
        assert_eq!(regional_rows[7][3], name);

        // Rename and move the new item; the history says what happened.
        let (_, html) = get(&auth, &s, LIST).await;
        let new_id = html.split("<code class=\"muted\">").nth(8).unwrap().split('<').next().unwrap().to_owned();
        assert!(new_id.starts_with("health.stand.r"), "{new_id}");
        let item = format!("{LIST}/items/{new_id}");
        let renamed = "Региональная программа лекарственного обеспечения";
        assert_eq!(post(&auth, &s, &format!("{item}/rename"), &[("csrf", &csrf), ("name", renamed)]).await.0, 303);
        let up = [("csrf", csrf.as_str()), ("direction", "up")];
        assert_eq!(post(&auth, &s, &format!("{item}/move"), &up).await.0, 303);
        let (_, html) = get(&auth, &s, LIST).await;
        assert!(html.find(renamed).unwrap() < html.find(&stand[6].name_ru).unwrap(), "moved above");
        for expected in [
            "создал(а) региональный перечень",
            "исключил(а) пункт перечня",
            &format!("исключён пункт «{}»", stand[13].name_ru),
            &format!("добавлен пункт «{name}»"),
            &format!("«{name}» → «{renamed}»"),
            "изменён порядок пунктов",
        ] {
            assert!(html.contains(expected), "{backend}: history lacks {expected}");
        }

        // Reset asks first, then the methodology's list applies again.
        let (status, html) = get(&auth, &s, &format!("{LIST}/reset")).await;
        assert_eq!(status, 200);
        assert!(html.contains("Вернуть перечень методики?"));
        assert_eq!(post(&auth, &s, &format!("{LIST}/reset"), &[("csrf", &csrf), ("confirmed", "1")]).await.0, 303);
        let (_, html) = get(&op, &s, &explain).await;
        assert_eq!(value_1_1(&html), "50,00", "{backend}");
        assert!(!html.contains("региональному перечню"));
        assert_eq!(get(&auth, &s, "/cabinet/checklist-lists/00/health/stand/2026").await.0, 404);
        assert_eq!(get(&auth, &s, "/cabinet/checklist-lists/76/health/remote/2026").await.0, 404);
    }
}

#[tokio::test]
async fn other_regions_and_spheres_are_refused_on_every_route() {
    for backend in nok_store::db::testing::backends() {
        let s = start(backend).await;
        setup(&s).await;
        let (auth, csrf) = session(&s, "auth").await;
        assert_eq!(post(&auth, &s, &format!("{LIST}/start"), &[("csrf", &csrf)]).await.0, 303, "{backend}");
        let item = definition_for_year(YEAR).checklist(Sphere::Health, ChecklistSection::Stand)[0].id.clone();
        let item_path = format!("{LIST}/items/{item}");
        let gets = [LIST.to_owned(), format!("{LIST}/reset"), format!("{item_path}/remove")];
        let posts: Vec<(String, Vec<(&str, &str)>)> = vec![
            (format!("{LIST}/start"), vec![]),
            (format!("{LIST}/add"), vec![("name", "Пункт")]),
            (format!("{LIST}/reset"), vec![("confirmed", "1")]),
            (format!("{LIST}/reset"), vec![]),
            (format!("{item_path}/rename"), vec![("name", "Пункт")]),
            (format!("{item_path}/move"), vec![("direction", "down")]),
            (format!("{item_path}/remove"), vec![("confirmed", "1")]),
            (format!("{item_path}/remove"), vec![]),
        ];
        for user in ["auth77", "auth76c", "council", "mon76", "op", "staff"] {
            let (c, csrf) = session(&s, user).await;
            let reads = matches!(user, "council" | "mon76");
            for path in &gets {
                let expected = if reads && path == LIST { 200 } else { 403 };
                assert_eq!(get(&c, &s, path).await.0, expected, "{backend}: {user} GET {path}");
            }
            for (path, extra) in &posts {
                let mut fields = vec![("csrf", csrf.as_str())];
                fields.extend(extra.iter().copied());
                assert_eq!(post(&c, &s, path, &fields).await.0, 403, "{backend}: {user} POST {path}");
            }
            let overview = get(&c, &s, "/cabinet/checklist-lists").await;
            match user {
                "op" | "staff" => assert_eq!(overview.0, 403, "{user}"),
                "auth77" | "auth76c" => {
                    assert_eq!(overview.0, 200);
                    assert!(!overview.1.contains(LIST), "{user} does not see 76/health");
                }
                _ => assert!(overview.0 == 200 && overview.1.contains(LIST), "{user} sees the list"),
            }
        }
        let (council, _) = session(&s, "council").await;
        let (_, html) = get(&council, &s, LIST).await;
        assert!(html.contains("просматривать перечень, но не изменять") && !html.contains("/rename\""), "{backend}");
        // The list is unchanged by all of the above.
        let (_, html) = get(&auth, &s, LIST).await;
        assert_eq!(html.matches("<code class=\"muted\">").count(), 14, "{backend}");
        assert!(!html.contains("Пункт</textarea>"));
    }
}
