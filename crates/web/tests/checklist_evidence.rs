//! Evidence files over real HTTP, on SQLite and (with NOK_TEST_DATABASE_URL) PostgreSQL: a multipart
//! form without JavaScript; a PNG accepted and downloaded with its type as an attachment; a file of
//! another type and one over the configured limit refused with a Russian reason naming the item;
//! users outside the organisation's scope refused; removal after a confirmation.

mod support;

use nok_methodology::{ChecklistSection, Sphere};
use nok_store::entities::contract;
use nok_store::repo::{checklists, organizations, reference};
use nok_store::{Actor, Role};
use support::{PASSWORD, Server, csrf_of, login, record, start_with};

const YEAR: i32 = 2026;
const LIMIT: usize = 2048;

async fn get(c: &reqwest::Client, s: &Server, path: &str) -> (u16, String) {
    let res = c.get(s.url(path)).send().await.unwrap();
    (res.status().as_u16(), res.text().await.unwrap())
}

fn form(item: &str, name: &str, bytes: Vec<u8>) -> reqwest::multipart::Form {
    reqwest::multipart::Form::new()
        .text("item", item.to_owned())
        .part("file", reqwest::multipart::Part::bytes(bytes).file_name(name.to_owned()))
}

#[tokio::test]
async fn files_are_uploaded_checked_served_in_scope_and_removed() {
    for backend in nok_store::db::testing::backends() {
        let s = start_with(backend, |c| c.evidence_max_bytes = LIMIT).await;
        let system = Actor::system();
        let new = reference::NewAuthority {
            code: "76-health",
            name: "Минздрав ЯО",
            region_code: Some("76"),
            sphere: Some("health"),
        };
        let a76 = reference::upsert_authority(&s.db, &system, new).await.unwrap();
        let new =
            reference::NewAuthority {
                code: "77-health", name: "ДЗМ", region_code: Some("77"), sphere: Some("health")
            };
        let a77 = reference::upsert_authority(&s.db, &system, new).await.unwrap();
        let org =
            organizations::create(&s.db, &system, &record(1, "76", Sphere::Health, "Больница № 1")).await.unwrap();
        let op = reference::create_operator(&s.db, &system, "Оператор", None).await.unwrap();
        let c = contract::Model {
            id: 0,
            operator_id: op.id,
            authority_id: a76.id,
            number: "1".into(),
            period: YEAR,
            starts_on: None,
            ends_on: None,
        };
        reference::create_contract(&s.db, &system, c, &[org.id]).await.unwrap();
        s.add_user("op", Role::Operator, |n| n.operator_id = Some(op.id)).await;
        s.add_user("auth77", Role::Authority, |n| n.authority_id = Some(a77.id)).await;
        s.add_user("mon77", Role::Monitor, |n| n.monitor_regions = Some(vec!["77".into()])).await;
        s.add_user("council", Role::Council, |n| n.authority_id = Some(a76.id)).await;
        let def = checklists::definition_for_year(YEAR);
        let item = &def.checklist(Sphere::Health, ChecklistSection::Stand)[0];

        let (opc, _) = login(&s, "op", PASSWORD).await;
        let checklist = format!("/cabinet/checklists/{}/{YEAR}", org.id);
        let page = format!("{checklist}/evidence");
        let (status, html) = get(&opc, &s, &page).await;
        assert_eq!(status, 200, "{backend}");
        assert!(html.contains("после сохранения чек-листа"), "nothing to attach to before the checklist is saved");
        let csrf = csrf_of(&html);
        let res = opc.post(s.url(&checklist)).form(&[("csrf", csrf.as_str())]).send().await.unwrap();
        assert_eq!(res.status(), 303);
        let (_, html) = get(&opc, &s, &checklist).await;
        assert!(html.contains(&format!("{page}?item={}#upload", item.id)), "each item links to the upload form");
        let (_, html) = get(&opc, &s, &format!("{page}?item={}", item.id)).await;
        assert!(html.contains("enctype=\"multipart/form-data\"") && html.contains("<label for=\"cle-file\">"));
        assert!(html.contains(&format!("<option value=\"{}\" selected>", item.id)));
        assert!(html.contains("не больше 2 КиБ"), "the configured limit is stated");

        // Accepted: a PNG; downloaded as an attachment with its type.
        let upload = format!("{page}?csrf={csrf}");
        let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
        let res = opc.post(s.url(&upload)).multipart(form(&item.id, "стенд.png", png.clone())).send().await.unwrap();
        assert_eq!(res.status(), 303, "{backend}");
        let (_, html) = get(&opc, &s, &format!("{page}?uploaded=1")).await;
        assert!(html.contains("Файл загружен") && html.contains("стенд.png") && html.contains("image/png"));
        let href = html.split(&format!("href=\"{page}/")).nth(1).unwrap().split('"').next().unwrap().to_owned();
        let file = format!("{page}/{href}");
        let res = opc.get(s.url(&file)).send().await.unwrap();
        assert_eq!(res.status(), 200);
        assert_eq!(res.headers()["content-type"], "image/png");
        let disposition = res.headers()["content-disposition"].to_str().unwrap().to_owned();
        assert!(disposition.starts_with("attachment; filename=\"evidence-") && disposition.ends_with(".png\""));
        assert_eq!(res.bytes().await.unwrap().to_vec(), png);
        let (_, html) = get(&opc, &s, &checklist).await;
        assert!(html.contains(&format!("href=\"{file}\">стенд.png</a>")), "the form lists the item's files");

        // Refused with the reason, the file and the item named: another type, over the limit.
        let res = opc.post(s.url(&upload)).multipart(form(&item.id, "стенд.gif", b"GIF89a....".to_vec())).send().await;
        let res = res.unwrap();
        assert_eq!(res.status(), 422, "{backend}");
        let html = res.text().await.unwrap();
        assert!(
            html.contains(&format!(
                "Файл «стенд.gif» для пункта «{}» не принят: это не JPEG, PNG или PDF",
                item.name_ru
            )),
            "{backend}"
        );
        let mut big = png.clone();
        big.resize(LIMIT + 1, 0);
        let res = opc.post(s.url(&upload)).multipart(form(&item.id, "большой.png", big)).send().await.unwrap();
        assert_eq!(res.status(), 422);
        let html = res.text().await.unwrap();
        assert!(
            html.contains(&format!("Файл «большой.png» для пункта «{}» не принят: файл больше 2 КиБ", item.name_ru))
        );
        let res = opc.post(s.url(&upload)).multipart(form("no.such.item", "a.png", png.clone())).send().await.unwrap();
        assert_eq!(res.status(), 422);
        assert!(res.text().await.unwrap().contains("такого пункта нет в чек-листе"));

        // Another region's users cannot download; the council of the authority can, but not upload.
        for user in ["auth77", "mon77"] {
            let (c, _) = login(&s, user, PASSWORD).await;
            assert_eq!(get(&c, &s, &file).await.0, 403, "{backend}: {user}");
            assert_eq!(get(&c, &s, &page).await.0, 403, "{backend}: {user}");
        }
        let (council, _) = login(&s, "council", PASSWORD).await;
        assert_eq!(get(&council, &s, &file).await.0, 200);
        let (_, html) = get(&council, &s, &page).await;
        assert!(!html.contains("enctype=\"multipart/form-data\"") && !html.contains("/delete\""), "read only");
        let ccsrf = csrf_of(&html);
        let res = council
            .post(s.url(&format!("{page}?csrf={ccsrf}")))
            .multipart(form(&item.id, "x.png", png.clone()))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 403);
        assert_eq!(get(&council, &s, &format!("{file}/delete")).await.0, 403);

        // Removal asks first; then the file is gone.
        let (status, html) = get(&opc, &s, &format!("{file}/delete")).await;
        assert_eq!(status, 200);
        assert!(html.contains("Удалить файл подтверждения?") && html.contains("стенд.png"));
        let res = opc.post(s.url(&format!("{file}/delete"))).form(&[("csrf", csrf.as_str())]).send().await.unwrap();
        assert_eq!(res.status(), 303, "without the confirmation: back to the question");
        assert_eq!(get(&opc, &s, &file).await.0, 200);
        let confirmed = [("csrf", csrf.as_str()), ("confirmed", "1")];
        let res = opc.post(s.url(&format!("{file}/delete"))).form(&confirmed).send().await.unwrap();
        assert_eq!(res.status(), 303);
        assert_eq!(get(&opc, &s, &file).await.0, 404, "{backend}");
        let (_, html) = get(&opc, &s, &checklist).await;
        assert!(html.contains("приложил(а) файл подтверждения") && html.contains("удалил(а) файл подтверждения"));
    }
}
