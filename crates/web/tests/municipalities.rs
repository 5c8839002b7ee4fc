//! The municipal level over real HTTP, on SQLite and (with NOK_TEST_DATABASE_URL) PostgreSQL: the
//! region page lists each municipality with its organisations and the mean total of the published ones
//! (CSV and XLSX too), and the cabinet aggregates page groups and exports by municipality.

mod support;

use nok_methodology::{AnswerMask, Sphere};
use nok_registry::record::OrganizationRecord;
use nok_store::repo::organizations;
use nok_store::repo::survey::{self, NewResponse};
use nok_store::time_util::{now, period_of};
use nok_store::{Actor, Role};
use support::{PASSWORD, Server, client, csv_export, login, start, xlsx_export};

const YAR: &str = "городской округ город Ярославль";
const RYB: &str = "Рыбинский муниципальный район";

/// A culture respondent (no q5): «Да» to everything, or to the filter questions only.
fn culture(yes: bool) -> AnswerMask {
    let asked = 0x7fff & !(1 << 4);
    AnswerMask { asked, yes: if yes { asked } else { (1 << 0) | (1 << 2) | (1 << 6) | (1 << 10) } }
}

/// A culture organisation of region 76 with `answers` stored in the current period.
async fn org(s: &Server, seed: u64, municipality: Option<&str>, answers: &[AnswerMask]) {
    let rec = OrganizationRecord {
        municipality: municipality.map(str::to_owned),
        ..support::record(seed, "76", Sphere::Culture, &format!("Дом культуры № {seed}"))
    };
    let id = organizations::create(&s.db, &Actor::system(), &rec).await.unwrap().id;
    let batch: Vec<NewResponse> = answers
        .iter()
        .map(|m| NewResponse {
            id: uuid::Uuid::new_v4(),
            organization_id: id,
            period: period_of(now()),
            channel: "portal".into(),
            asked: m.asked,
            yes: m.yes,
            sex: None,
            age: None,
            suggestions_sealed: None,
            device_hash: None,
            ip_hash: None,
            flag_reason: None,
            created_at: now(),
        })
        .collect();
    survey::insert_batch(&s.db, &batch).await.unwrap();
}

#[tokio::test]
async fn region_page_and_aggregates_by_municipality() {
    for backend in nok_store::db::testing::backends() {
        let s = start(backend).await;
        // Without a checklist its indicators have no data and each criterion is its survey indicators
        // alone: all «Да» scores 100, the other 0, the municipality's mean is 50,00. Two responses are
        // too few to publish.
        org(&s, 1, Some(YAR), &[culture(true); 10]).await;
        org(&s, 2, Some(YAR), &[culture(false); 10]).await;
        org(&s, 3, Some(RYB), &[culture(true); 2]).await;
        org(&s, 4, None, &[culture(true); 10]).await;

        let page = client().get(s.url("/r/76")).send().await.unwrap().text().await.unwrap();
        assert!(page.contains("Средний балл по муниципальным образованиям"), "{backend}");
        let row = |name: &str| {
            let start = page.find(&format!("<th scope=\"row\">{name}</th>")).unwrap_or_else(|| panic!("{name}"));
            page[start..].split("</tr>").next().unwrap().to_owned()
        };
        let yar = row(YAR);
        assert!(yar.contains("<td class=\"num\">2</td>") && yar.contains("<strong>50,00</strong>"), "{yar}");
        let ryb = row(RYB);
        assert!(ryb.contains("<td class=\"num\">1</td>") && ryb.contains("<td class=\"num\">0</td>"), "{ryb}");
        assert!(ryb.contains("—") && !ryb.contains("<strong>"), "nothing published: no mean");

        let c = client();
        let csv = csv_export(&c, &s, "/r/76/municipalities/csv").await;
        assert!(csv.starts_with("Место;Муниципальное образование;Организаций;"), "{csv}");
        assert!(csv.contains(&format!("\n1;{YAR};2;2;50,00\n")), "{csv}");
        assert!(csv.contains(&format!("\n;{RYB};1;0;\n")), "{csv}");
        let xlsx = xlsx_export(&c, &s, "/r/76/municipalities/xlsx?sphere=culture").await;
        assert_eq!(xlsx[1][1], YAR);
        assert_eq!(xlsx.len(), 3, "header and two municipalities");
        let none = csv_export(&c, &s, "/r/76/municipalities/csv?sphere=health").await;
        assert_eq!(none.lines().count(), 1, "no health organisations: the header only");

        s.add_user("admin", Role::Admin, |_| {}).await;
        let (admin, _) = login(&s, "admin", PASSWORD).await;
        let period = period_of(now());
        let query = format!("period={period}&level=municipality");
        let html =
            admin.get(s.url(&format!("/cabinet/aggregates?{query}"))).send().await.unwrap().text().await.unwrap();
        assert!(html.contains(&format!("— {YAR}")), "{backend}");
        assert!(html.contains("<option value=\"municipality\" selected>"));
        let csv = csv_export(&admin, &s, &format!("/cabinet/aggregates/export/csv?{query}")).await;
        assert!(csv.contains(&format!("— {YAR};2;2;50,00;")), "{csv}");
        let xlsx = xlsx_export(&admin, &s, &format!("/cabinet/aggregates/export/xlsx?{query}")).await;
        assert_eq!(xlsx.len(), 3, "{xlsx:?}");
        assert_eq!(client().get(s.url("/cabinet/aggregates/export/csv")).send().await.unwrap().status(), 303);
    }
}
