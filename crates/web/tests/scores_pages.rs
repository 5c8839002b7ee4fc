//! Scores in the browser over real HTTP, on SQLite and (with NOK_TEST_DATABASE_URL) PostgreSQL: the
//! public explanation page (small-numbers rule, formulas, counts, comma decimals, configurable marks,
//! methodology version, print styles), checklists recorded by an operator and refused to other
//! scopes, XLSX export and import, the cabinet list with sorting and exports, aggregates and
//! publication with confirmation.

mod support;

use nok_methodology::{AnswerMask, QuestionId, Sphere};
use nok_store::entities::{contract, organization};
use nok_store::repo::survey::{self, NewResponse};
use nok_store::repo::{organizations, reference};
use nok_store::{Actor, Role};
use support::{PASSWORD, Server, client, csrf_of, login, record, start};

const PERIOD: i32 = 2026;

/// 200 respondents with the §7 counts.
fn worked_example() -> Vec<AnswerMask> {
    (0..200u32)
        .map(|i| {
            let mut m = AnswerMask::EMPTY;
            for (q, n) in [
                (1u8, 80u32),
                (3, 60),
                (5, 180),
                (6, 170),
                (7, 12),
                (9, 190),
                (10, 194),
                (11, 50),
                (13, 184),
                (14, 186),
                (15, 188),
            ] {
                m.set(QuestionId(q), i < n);
            }
            for (q, filter, n) in [(2u8, 1u8, 76u32), (4, 3, 54), (8, 7, 9), (12, 11, 45)] {
                if m.answer(QuestionId(filter)) == Some(true) {
                    m.set(QuestionId(q), i < n);
                }
            }
            m
        })
        .collect()
}

async fn store_responses(s: &Server, org: i32, masks: &[AnswerMask]) {
    let batch: Vec<NewResponse> = masks
        .iter()
        .map(|m| NewResponse {
            id: uuid::Uuid::new_v4(),
            organization_id: org,
            period: PERIOD,
            channel: "portal".into(),
            asked: m.asked,
            yes: m.yes,
            sex: None,
            age: None,
            suggestions_sealed: None,
            device_hash: None,
            ip_hash: None,
            flag_reason: None,
            created_at: 1_767_225_600,
        })
        .collect();
    survey::insert_batch(&s.db, &batch).await.unwrap();
}

struct Setup {
    ours: organization::Model,
    theirs: organization::Model,
    authority_id: i32,
}

/// Two health organisations of region 76, an authority over them, an operator with a contract over
/// the first one, and users of every role.
async fn setup(s: &Server) -> Setup {
    let system = Actor::system();
    let a = reference::upsert_authority(
        &s.db,
        &system,
        reference::NewAuthority {
            code: "76-health",
            name: "Минздрав ЯО",
            region_code: Some("76"),
            sphere: Some("health"),
        },
    )
    .await
    .unwrap();
    let ours = organizations::create(&s.db, &system, &record(1, "76", Sphere::Health, "Больница № 1")).await.unwrap();
    let theirs = organizations::create(&s.db, &system, &record(2, "76", Sphere::Health, "Больница № 2")).await.unwrap();
    let op = reference::create_operator(&s.db, &system, "Оператор", None).await.unwrap();
    let c = contract::Model {
        id: 0,
        operator_id: op.id,
        authority_id: a.id,
        number: "1".into(),
        period: PERIOD,
        starts_on: None,
        ends_on: None,
    };
    reference::create_contract(&s.db, &system, c, &[ours.id]).await.unwrap();
    s.add_user("admin", Role::Admin, |_| {}).await;
    s.add_user("auth", Role::Authority, |n| n.authority_id = Some(a.id)).await;
    s.add_user("council", Role::Council, |n| n.authority_id = Some(a.id)).await;
    s.add_user("op", Role::Operator, |n| n.operator_id = Some(op.id)).await;
    s.add_user("staff2", Role::Staff, |n| n.organization_id = Some(theirs.id)).await;
    Setup { ours, theirs, authority_id: a.id }
}

async fn get(c: &reqwest::Client, s: &Server, path: &str) -> (u16, String) {
    let res = c.get(s.url(path)).send().await.unwrap();
    (res.status().as_u16(), res.text().await.unwrap())
}

/// The part of `html` after the first `start` up to the next `end`.
fn between<'a>(html: &'a str, start: &str, end: &str) -> &'a str {
    let from = html.find(start).unwrap_or_else(|| panic!("{start:?} not in the page")) + start.len();
    let len = html[from..].find(end).unwrap_or_else(|| panic!("{end:?} not after {start:?}"));
    &html[from..from + len]
}

/// The table row of indicator `id` on the explanation page.
fn indicator_row<'a>(html: &'a str, id: &str) -> &'a str {
    between(html, &format!("<th scope=\"row\">{id}</th>"), "</tr>")
}

/// The §7 worked example without a checklist: each indicator's value, each criterion's and the total.
const INDICATORS: [(&str, &str); 15] = [
    ("1.1", "нет данных"),
    ("1.2", "нет данных"),
    ("1.3", "92,50"),
    ("2.1", "нет данных"),
    ("2.2", "90,00"),
    ("2.3", "85,00"),
    ("3.1", "нет данных"),
    ("3.2", "нет данных"),
    ("3.3", "75,00"),
    ("4.1", "95,00"),
    ("4.2", "97,00"),
    ("4.3", "90,00"),
    ("5.1", "92,00"),
    ("5.2", "93,00"),
    ("5.3", "94,00"),
];
/// K1 = 1.3 alone; K2 = (0,4·90 + 0,3·85) / 0,7; K3 = 3.3 alone; K4 = 0,4·95 + 0,4·97 + 0,2·90;
/// K5 = 0,3·92 + 0,2·93 + 0,5·94.
const CRITERIA: [(&str, &str); 5] =
    [("K1", "92,50"), ("K2", "87,86"), ("K3", "75,00"), ("K4", "94,80"), ("K5", "93,20")];
/// (92,5 + 87,857 + 75 + 94,8 + 93,2) / 5.
const TOTAL: &str = "88,67";

#[tokio::test]
async fn explanation_page_is_public_complete_and_printable() {
    for backend in nok_store::db::testing::backends() {
        let s = start(backend).await;
        let w = setup(&s).await;
        let anon = client();
        let path = format!("/o/{}/explain?period={PERIOD}", w.ours.public_id);

        // Below the minimum number of responses: formulas and version, but no values.
        store_responses(&s, w.ours.id, &worked_example()[..5]).await;
        let (status, html) = get(&anon, &s, &path).await;
        assert_eq!(status, 200, "{backend}");
        assert!(
            html.contains("<p>Оценка публикуется, когда учтено не меньше 10 анкет; сейчас учтено 5. Формулы и версия методики показаны ниже.</p>"),
            "{backend}: the small-numbers rule with the counts"
        );
        assert!(html.contains("<dt>Версия методики</dt><dd><strong>nok-2025</strong> — "), "the methodology version");
        let formula = "<td><code>50 × (Y_q2 / Y_q1 + Y_q4 / Y_q3)</code></td>";
        assert!(indicator_row(&html, "1.3").contains(formula), "{backend}: the formula of 1.3");
        for (id, _) in INDICATORS {
            assert!(indicator_row(&html, id).contains("<td class=\"num\">—</td>"), "{backend}: {id} has no value");
        }
        assert!(!html.contains("<span class=\"score\">"), "{backend}: no criterion or total value");

        store_responses(&s, w.ours.id, &worked_example()[5..]).await;
        let (_, html) = get(&anon, &s, &path).await;
        for (id, value) in INDICATORS {
            let row = indicator_row(&html, id);
            assert!(row.contains(&format!("<td class=\"num\"><strong>{value}</strong></td>")), "{backend}: {id} {row}");
        }
        for (id, value) in CRITERIA {
            let title = between(&html, &format!("<h2 id=\"crit-{id}\">"), "</h2>");
            assert!(title.ends_with(&format!(": <span class=\"score\">{value}</span>")), "{backend}: {title}");
        }
        assert_eq!(
            between(&html, "<h2 id=\"total-title\">", "</h2>"),
            format!("Итоговый показатель организации: <span class=\"score\">{TOTAL}</span>"),
            "{backend}: the total of the worked example without a checklist"
        );
        assert!(
            indicator_row(&html, "1.3").contains(
                "<li><code>Y_q2</code> = 76 <span class=\"muted\">(ответили «Да» на вопрос 2)</span></li><li><code>Y_q1</code> = 80 "
            ),
            "{backend}: input counts are shown"
        );
        assert!(
            indicator_row(&html, "1.1").contains(
                "<p class=\"mark\">[B] по практике операторов — <span class=\"mark-c\">значение по умолчанию, настраивается</span></p>"
            ),
            "[B]/[C] values are marked configurable"
        );
        assert!(
            html.contains("<p class=\"notice\">Чек-лист оператора за этот период не внесён: по показателям, которые рассчитываются по чек-листу (1.1, 1.2, 2.1, 3.1, 3.2), данных нет, и к ним применено правило при отсутствии данных — «нет данных» с перераспределением весов.</p>"),
            "{backend}: without a checklist its indicators have no data and the policy is named"
        );
        assert!(
            indicator_row(&html, "2.1").contains("<code>comfort</code> = не указано"),
            "a missing count is not shown as 0"
        );
        assert!(html.contains("<link rel=\"stylesheet\" href=\"/static/scores.css\">"));
        let css = anon.get(s.url("/static/scores.css")).send().await.unwrap().text().await.unwrap();
        assert!(css.contains("@media print"), "print styles");
        assert_eq!(get(&anon, &s, "/o/nosuchorg/explain").await.0, 404);

        // The cabinet variant follows the scope.
        let (staff, _) = login(&s, "staff2", PASSWORD).await;
        assert_eq!(get(&staff, &s, &format!("/cabinet/scores/{}/explain", w.ours.id)).await.0, 403, "{backend}");
        assert_eq!(get(&staff, &s, &format!("/cabinet/scores/{}/explain?period={PERIOD}", w.theirs.id)).await.0, 200);
    }
}

#[tokio::test]
async fn checklists_are_recorded_in_scope_and_round_trip_through_xlsx() {
    for backend in nok_store::db::testing::backends() {
        let s = start(backend).await;
        let w = setup(&s).await;
        let (op, _) = login(&s, "op", PASSWORD).await;
        let form_path = format!("/cabinet/checklists/{}/{PERIOD}", w.ours.id);
        let (status, html) = get(&op, &s, &form_path).await;
        assert_eq!(status, 200, "{backend}");
        assert_eq!(html.matches("<fieldset class=\"cl-section\">").count(), 7, "{backend}: a fieldset per section");
        for legend in [
            "1.1. Информация на информационных стендах",
            "1.1. Информация на официальном сайте",
            "1.2. Дистанционные способы взаимодействия",
            "2.1. Комфортные условия предоставления услуг",
            "3.1. Оборудование помещений и территории для инвалидов",
            "3.2. Условия доступности услуг для инвалидов",
            "2.2. Время ожидания",
        ] {
            assert!(html.contains(&format!("<legend>{legend}")), "{backend}: {legend}");
        }
        assert!(html.contains("name=\"present:comfort.water\""));
        assert!(html.contains("name=\"tried:remote.phone\""), "remote channels: shown and tried");
        let csrf = csrf_of(&html);

        let res = op
            .post(s.url(&form_path))
            .form(&[
                ("csrf", csrf.as_str()),
                ("present:comfort.water", "1"),
                ("present:remote.phone", "1"),
                ("tried:remote.phone", "1"),
                ("present:remote.email", "1"),
                ("comment:remote.email", "адрес на сайте не отвечает"),
                ("waiting_days", "8"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 303, "{backend}: {}", res.text().await.unwrap());
        let (_, html) = get(&op, &s, &format!("{form_path}?saved=1")).await;
        assert!(html.contains("<p class=\"notice\" role=\"status\">Чек-лист сохранён.</p>"), "{backend}");
        let shortcoming =
            "<tr><td>K1</td><td>1.2</td><td>Электронная почта</td><td>адрес на сайте не отвечает</td></tr>";
        let shortcomings = between(&html, "<h2 id=\"cl-short\">Недостатки для плана по устранению</h2>", "</section>");
        assert!(shortcomings.contains(shortcoming), "{backend}: the comment is shown with its shortcoming");
        let history = between(&html, "<h2 id=\"cl-history\">История изменений</h2>", "</section>");
        assert_eq!(history.matches("<li>").count(), 1, "{backend}: {history}");
        assert!(history.contains("</strong> · op · сохранил(а) чек-лист</p></li>"), "{backend}: {history}");

        // A refused value comes back with the reason and the entered ticks.
        let res = op
            .post(s.url(&form_path))
            .form(&[("csrf", csrf.as_str()), ("present:comfort.navigation", "1"), ("waiting_days", "-3")])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 422);
        let html = res.text().await.unwrap();
        let summary = between(&html, "<div class=\"error-summary\" role=\"alert\" tabindex=\"-1\">", "</div>");
        assert!(summary.contains("waiting_days"), "{backend}: the field is named: {summary}");
        assert!(html.contains("name=\"waiting_days\" inputmode=\"decimal\" value=\"-3\""), "the entered value is kept");
        assert!(html.contains(
            "name=\"present:comfort.navigation\" value=\"1\" aria-describedby=\"name-comfort-navigation\" checked"
        ));

        // Other scopes: the operator's non-contract organisation, the council and staff may not record.
        let other = format!("/cabinet/checklists/{}/{PERIOD}", w.theirs.id);
        assert_eq!(get(&op, &s, &other).await.0, 403);
        assert_eq!(op.post(s.url(&other)).form(&[("csrf", csrf.as_str())]).send().await.unwrap().status(), 403);
        let (council, _) = login(&s, "council", PASSWORD).await;
        let (status, html) = get(&council, &s, &form_path).await;
        assert_eq!(status, 200);
        assert!(html.contains("просматривать чек-лист, но не изменять"));
        let ccsrf = csrf_of(&html);
        assert_eq!(
            council.post(s.url(&form_path)).form(&[("csrf", ccsrf.as_str())]).send().await.unwrap().status(),
            403
        );
        let (staff, _) = login(&s, "staff2", PASSWORD).await;
        assert_eq!(get(&staff, &s, &form_path).await.0, 403);

        // XLSX: export, import the same file back, and a broken file is refused with a message.
        let xlsx = op.get(s.url(&format!("{form_path}/export.xlsx"))).send().await.unwrap().bytes().await.unwrap();
        assert!(xlsx.starts_with(b"PK"));
        let upload = |bytes: Vec<u8>| {
            reqwest::multipart::Form::new().part("file", reqwest::multipart::Part::bytes(bytes).file_name("c.xlsx"))
        };
        let res = op
            .post(s.url(&format!("{form_path}/import?csrf={csrf}")))
            .multipart(upload(xlsx.to_vec()))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 303, "{backend}");
        let (_, html) = get(&op, &s, &format!("{form_path}?imported=1")).await;
        assert!(html.contains("<p class=\"notice\" role=\"status\">Чек-лист загружен из файла.</p>"), "{backend}");
        assert!(
            html.contains("name=\"present:comfort.water\" value=\"1\" aria-describedby=\"name-comfort-water\" checked"),
            "ticks survive the round trip"
        );
        assert!(html.contains(shortcoming), "{backend}: comments survive the round trip");
        let res = op
            .post(s.url(&format!("{form_path}/import?csrf={csrf}")))
            .multipart(upload(b"not a workbook".to_vec()))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 422);
        assert!(res.text().await.unwrap().contains("не читается как XLSX"));

        // The public explanation now says the checklist is recorded.
        let (_, html) = get(&client(), &s, &format!("/o/{}/explain?period={PERIOD}", w.ours.public_id)).await;
        assert!(html.contains("<p>Данные независимой проверки (чек-лист оператора) внесены.</p>"), "{backend}");
    }
}

#[tokio::test]
async fn cabinet_list_aggregates_and_publication() {
    for backend in nok_store::db::testing::backends() {
        let s = start(backend).await;
        let w = setup(&s).await;
        store_responses(&s, w.ours.id, &worked_example()).await;
        store_responses(&s, w.theirs.id, &worked_example()[..150]).await;
        let (auth, _) = login(&s, "auth", PASSWORD).await;

        let (status, html) = get(&auth, &s, &format!("/cabinet/scores?period={PERIOD}&sort=total&dir=desc")).await;
        assert_eq!(status, 200, "{backend}");
        let ours_total = "aria-label=\"Как рассчитано: Больница № 1\"><strong>88,67</strong></a>";
        let theirs_total = "aria-label=\"Как рассчитано: Больница № 2\"><strong>93,10</strong></a>";
        let (ours_at, theirs_at) = (html.find(ours_total), html.find(theirs_total));
        assert!(ours_at.is_some() && theirs_at.is_some(), "{backend}: both totals: {html}");
        assert!(theirs_at < ours_at, "{backend}: sorted by the total, highest first");
        assert!(
            html.contains("<th scope=\"col\" aria-sort=\"descending\" class=\"num\"><a href=\"/cabinet/scores?period=2026&#38;sort=total&#38;dir=asc\">Итог</a></th>"),
            "{backend}: the sorted column says so"
        );
        assert!(
            html.contains("<progress max=\"100\" value=\"50\" aria-label=\"Выборка: 200 / 400\"></progress> 200 / 400")
                && html.contains(
                    "<progress max=\"100\" value=\"37\" aria-label=\"Выборка: 150 / 400\"></progress> 150 / 400"
                ),
            "{backend}: collected against min(ceil(0.4 N), 600)"
        );
        let csv = auth
            .get(s.url(&format!("/cabinet/scores/export/csv?period={PERIOD}")))
            .send()
            .await
            .unwrap()
            .bytes()
            .await
            .unwrap();
        assert!(csv.starts_with(b"\xEF\xBB\xBF"));
        // In the list's default order (by name), each with its rank.
        let csv = String::from_utf8_lossy(&csv[3..]).replace("\r\n", "\n");
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(
            lines,
            [
                "Организация;Код для QR;Сфера;Регион;Итог;K1;K2;K3;K4;K5;Анкет;Цель выборки;Онлайн;Чек-лист;Место"
                    .to_string(),
                format!(
                    "Больница № 1;{};Охрана здоровья;Ярославская область;{TOTAL};92,50;87,86;75,00;94,80;93,20;200;400;200;не внесён;2",
                    w.ours.public_id
                ),
                format!(
                    "Больница № 2;{};Охрана здоровья;Ярославская область;93,10;92,50;100,00;75,00;98,00;100,00;150;400;150;не внесён;1",
                    w.theirs.public_id
                ),
            ],
            "{backend}"
        );
        let xlsx = auth
            .get(s.url(&format!("/cabinet/scores/export/xlsx?period={PERIOD}")))
            .send()
            .await
            .unwrap()
            .bytes()
            .await
            .unwrap();
        assert!(xlsx.starts_with(b"PK"));
        assert_eq!(get(&auth, &s, "/cabinet/scores/export/pdf").await.0, 404);
        let (_, staff_list) =
            get(&login(&s, "staff2", PASSWORD).await.0, &s, &format!("/cabinet/scores?period={PERIOD}")).await;
        assert!(staff_list.contains(theirs_total), "{backend}: staff see their own organisation…");
        assert!(!staff_list.contains("Больница № 1"), "{backend}: …only");

        let (status, html) = get(&auth, &s, &format!("/cabinet/aggregates?period={PERIOD}&level=region")).await;
        assert_eq!(status, 200);
        // The region's mean total: (88,671 + 93,10) / 2.
        assert!(html.contains("<td class=\"num\"><strong>90,89</strong></td>"), "{backend}: the region's mean");
        let history = between(&html, "<h2 id=\"history-title\">Динамика по годам</h2>", "</section>");
        assert!(
            history
                .contains("<tbody><tr><th scope=\"row\">2026</th><td class=\"num\">2</td><td class=\"num\">90,89</td>"),
            "{backend}: the year in the history: {history}"
        );
        assert!(html.contains("<button type=\"submit\">Опубликовать результаты за 2026 год</button>"));

        // Publication: a confirmation page, then the frozen snapshot; the council may not publish.
        let confirm = format!("/cabinet/publish?period={PERIOD}&authority_id={}", w.authority_id);
        let (status, html) = get(&auth, &s, &confirm).await;
        assert_eq!(status, 200);
        assert!(
            html.contains("<p>Будут зафиксированы результаты 2 организаций. Отменить публикацию нельзя, повторная публикация за этот период невозможна.</p>"),
            "{backend}: {html}"
        );
        let csrf = csrf_of(&html);
        let (council, _) = login(&s, "council", PASSWORD).await;
        let form =
            [("csrf", csrf.clone()), ("period", PERIOD.to_string()), ("authority_id", w.authority_id.to_string())];
        assert_eq!(get(&council, &s, &confirm).await.0, 403);
        let ccsrf = csrf_of(&get(&council, &s, &format!("/cabinet/checklists/{}/{PERIOD}", w.ours.id)).await.1);
        let cform = [("csrf", ccsrf), ("period", PERIOD.to_string()), ("authority_id", w.authority_id.to_string())];
        assert_eq!(council.post(s.url("/cabinet/publish")).form(&cform).send().await.unwrap().status(), 403);
        let res = auth.post(s.url("/cabinet/publish")).form(&form).send().await.unwrap();
        assert_eq!(res.status(), 303, "{backend}");
        let (_, html) = get(&auth, &s, &format!("/cabinet/aggregates?period={PERIOD}&published=1")).await;
        assert!(html.contains("<p class=\"notice\" role=\"status\">Результаты опубликованы.</p>"), "{backend}");
        let published = between(&html, "<h2 id=\"pub-title\">", "</section>");
        let row = between(published, "<tbody>", "</tbody>");
        let on = publication_date(&s).await;
        assert!(
            row.starts_with(&format!("<tr><td>2026</td><td>Минздрав ЯО</td><td class=\"num\">2</td><td>{on} "))
                && row.ends_with("</td><td>auth</td><td>nok-2025</td></tr>"),
            "{backend}: the publication is listed: {row}"
        );
        assert_eq!(
            auth.post(s.url("/cabinet/publish")).form(&form).send().await.unwrap().status(),
            400,
            "published once per period"
        );
        let (_, html) = get(&client(), &s, &format!("/o/{}/explain?period={PERIOD}", w.ours.public_id)).await;
        let on = publication_date(&s).await;
        assert!(
            html.contains(&format!("<p class=\"notice published\" role=\"status\">Опубликовано {on}: ")),
            "{backend}"
        );
    }
}

/// «ДД.ММ.ГГГГ» of the only publication, in Moscow time.
async fn publication_date(s: &Server) -> String {
    let p = nok_store::repo::publications::list(&s.db.read).await.unwrap().remove(0);
    let msk = time::UtcOffset::from_hms(3, 0, 0).unwrap();
    nok_i18n::format_date(nok_store::time_util::to_datetime(p.published_at).to_offset(msk).date())
}

#[tokio::test]
async fn published_values_stay_on_public_pages_while_the_cabinet_shows_live_ones() {
    for backend in nok_store::db::testing::backends() {
        let s = start(backend).await;
        let w = setup(&s).await;
        store_responses(&s, w.ours.id, &worked_example()).await;
        let (auth, _) = login(&s, "auth", PASSWORD).await;
        let confirm = format!("/cabinet/publish?period={PERIOD}&authority_id={}", w.authority_id);
        let csrf = csrf_of(&get(&auth, &s, &confirm).await.1);
        let form = [("csrf", csrf), ("period", PERIOD.to_string()), ("authority_id", w.authority_id.to_string())];
        assert_eq!(auth.post(s.url("/cabinet/publish")).form(&form).send().await.unwrap().status(), 303);
        let published_on = format!("опубликовано {}", publication_date(&s).await);

        // Later responses (every question «Нет», filters skipped) lower the live result only.
        let filtered = (1 << 1) | (1 << 3) | (1 << 7) | (1 << 11);
        store_responses(&s, w.ours.id, &[AnswerMask { asked: 0x7fff & !filtered, yes: 0 }; 50]).await;
        let live = nok_store::repo::scores::live_scores(&s.db.read, w.ours.id, Sphere::Health, PERIOD).await.unwrap();
        let live_total = nok_i18n::format_decimal(live.scores.total.unwrap(), 2);
        let frozen_total = "88,67"; // §7 answers without a checklist (see the store test)
        assert_ne!(live_total, frozen_total);

        let anon = client();
        let (_, org) = get(&anon, &s, &format!("/o/{}", w.ours.public_id)).await;
        assert!(org.contains(frozen_total) && !org.contains(&live_total), "{backend}: public page is frozen");
        assert!(org.contains(&published_on), "{backend}: {published_on}");
        let (_, region) = get(&anon, &s, "/r/76").await;
        assert!(region.contains(frozen_total) && region.contains(&published_on), "{backend}: region ranking");
        let explain = format!("/o/{}/explain?period={PERIOD}", w.ours.public_id);
        assert!(region.contains(&format!("href=\"{explain}\"")), "the ranking links the score to its explanation");
        let (_, public_explain) = get(&anon, &s, &explain).await;
        assert!(public_explain.contains(&format!("Опубликовано {}", publication_date(&s).await)));
        assert!(public_explain.contains(frozen_total) && !public_explain.contains(&live_total));
        assert!(public_explain.contains("<code>A_q6</code> = 200"), "{backend}: the frozen counts");

        let (_, cabinet) = get(&auth, &s, &format!("/cabinet/scores?period={PERIOD}")).await;
        assert!(cabinet.contains(&live_total) && !cabinet.contains(frozen_total), "{backend}: the cabinet is live");
        assert!(cabinet.contains("Показаны текущие значения"));
        let cabinet_explain = format!("/cabinet/scores/{}/explain?period={PERIOD}", w.ours.id);
        assert!(cabinet.contains(&format!("href=\"{cabinet_explain}\"")));
        let (_, html) = get(&auth, &s, &cabinet_explain).await;
        assert!(html.contains(&live_total) && html.contains("<code>A_q6</code> = 250"), "{backend}");
        assert!(html.contains("Текущие значения") && html.contains(&publication_date(&s).await));
    }
}
