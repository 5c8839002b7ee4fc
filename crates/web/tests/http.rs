//! The web skeleton end to end over real HTTP: Russian pages, sign-in with lockout, CSRF, escaping,
//! registry pages, import and export through the browser forms, operations endpoints.

mod support;

use nok_store::Role;
use support::{PASSWORD, client, csrf_of, login, start};

#[tokio::test]
async fn pages_are_russian_and_operations_endpoints_work() {
    let s = start("sqlite").await;
    let c = client();
    let home = c.get(s.url("/")).send().await.unwrap();
    assert_eq!(home.status(), 200);
    let html = home.text().await.unwrap();
    assert!(html.contains("lang=\"ru\""));
    assert!(html.contains("Перейти к содержанию"), "skip link");
    assert!(html.contains("<main id=\"main\""), "main landmark");
    assert!(!html.contains("http://") || !html.contains("<script src=\"http"), "no external scripts");

    let missing = c.get(s.url("/no/such/page")).send().await.unwrap();
    assert_eq!(missing.status(), 404);
    assert!(missing.text().await.unwrap().contains("Страница не найдена"));

    assert_eq!(c.get(s.url("/healthz")).send().await.unwrap().text().await.unwrap(), "ok");
    let metrics = c.get(s.url("/metrics")).send().await.unwrap().text().await.unwrap();
    assert!(metrics.contains("nok_http_requests_total"), "{metrics}");

    let lv = c.get(s.url("/low-vision?on=1&back=/")).send().await.unwrap();
    assert_eq!(lv.status(), 303);
    let home = c.get(s.url("/")).send().await.unwrap().text().await.unwrap();
    assert!(home.contains("class=\"low-vision\""), "low-vision mode remembered in a cookie");
}

#[tokio::test]
async fn login_lockout_does_not_reveal_accounts() {
    let s = start("sqlite").await;
    s.add_user("admin", Role::Admin, |_| {}).await;
    for login_name in ["admin", "nobody"] {
        let mut statuses = Vec::new();
        for _ in 0..10 {
            let (_, status) = login(&s, login_name, "wrong password!").await;
            statuses.push(status.as_u16());
        }
        assert!(statuses.iter().all(|&st| st == 401), "{login_name}: {statuses:?}");
    }
    // Locked now even with the right password, with the same message as for an unknown login.
    let c = client();
    let page = c.get(s.url("/login")).send().await.unwrap().text().await.unwrap();
    let res = c
        .post(s.url("/login"))
        .form(&[("csrf", csrf_of(&page).as_str()), ("login", "admin"), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 401);
    assert!(res.text().await.unwrap().contains("Слишком много неудачных попыток"));
}

#[tokio::test]
async fn state_changes_without_csrf_proof_are_refused() {
    let s = start("sqlite").await;
    s.add_user("admin", Role::Admin, |_| {}).await;
    let c = client();
    let res = c.post(s.url("/login")).form(&[("login", "admin"), ("password", PASSWORD)]).send().await.unwrap();
    assert_eq!(res.status(), 403);
    let (c, status) = login(&s, "admin", PASSWORD).await;
    assert_eq!(status, 303);
    let res = c.post(s.url("/registry")).form(&[("inn", "7707083893"), ("full_name", "X")]).send().await.unwrap();
    assert_eq!(res.status(), 403);
    let res = c.post(s.url("/registry")).form(&[("csrf", "forged"), ("inn", "7707083893")]).send().await.unwrap();
    assert_eq!(res.status(), 403);
}

#[tokio::test]
async fn registry_create_escapes_html_and_keeps_history() {
    let s = start("sqlite").await;
    s.add_user("admin", Role::Admin, |_| {}).await;
    let (c, _) = login(&s, "admin", PASSWORD).await;
    let form = c.get(s.url("/registry/new")).send().await.unwrap().text().await.unwrap();
    let csrf = csrf_of(&form);
    let name = "Школа <script>alert(1)</script> № 5";
    let inn = nok_registry::ids::make_inn(42);
    let res = c
        .post(s.url("/registry"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("inn", inn.as_str()),
            ("full_name", name),
            ("sphere", "education"),
            ("region_code", "76"),
            ("address", "г. Ярославль"),
            ("population", "600"),
            ("latitude", "57,62"),
            ("longitude", "39,87"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303, "{}", res.text().await.unwrap());
    let card_url = res.headers()["location"].to_str().unwrap().to_string();
    let card = c.get(s.url(&card_url)).send().await.unwrap().text().await.unwrap();
    assert!(!card.contains("<script>alert(1)</script>"), "names are escaped");
    assert!(
        card.contains("&lt;script&gt;alert(1)&lt;/script&gt;") || card.contains("&#60;script&#62;"),
        "shown as text"
    );
    assert!(card.contains("добавил(а) организацию"), "history shows the creation");

    // A bad ИНН comes back with the field named.
    let res = c
        .post(s.url("/registry"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("inn", "7707083890"),
            ("full_name", "Y"),
            ("sphere", "culture"),
            ("region_code", "76"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 422);
    let page = res.text().await.unwrap();
    assert!(page.contains("href=\"#inn\""), "error summary links to the field");

    // The list finds it by name, case-insensitively in Cyrillic.
    let list = c.get(s.url("/registry?q=%D0%A8%D0%9A%D0%9E%D0%9B%D0%90")).send().await.unwrap().text().await.unwrap();
    assert!(list.contains(&inn));
}

#[tokio::test]
async fn registry_import_and_export_through_the_browser() {
    let s = start("sqlite").await;
    s.add_user("admin", Role::Admin, |_| {}).await;
    let (c, _) = login(&s, "admin", PASSWORD).await;
    let page = c.get(s.url("/registry/import")).send().await.unwrap().text().await.unwrap();
    let csrf = csrf_of(&page.replace("csrf=", "name=\"csrf\" value=\"").replace("\" enctype", "\"\" enctype"));
    let good = format!(
        "ИНН;Полное наименование;Сфера;Код региона\n{};Библиотека № 1;culture;76\n",
        nok_registry::ids::make_inn(7)
    );
    let bad = format!("{good}7707083890;Плохой ИНН;culture;76\n");

    let upload = |body: String| {
        let part = reqwest::multipart::Part::bytes(body.into_bytes()).file_name("r.csv");
        reqwest::multipart::Form::new().part("file", part)
    };
    let res = c.post(s.url(&format!("/registry/import?csrf={csrf}"))).multipart(upload(bad)).send().await.unwrap();
    let html = res.text().await.unwrap();
    assert!(html.contains("Файл не загружен"), "{html}");
    assert!(html.contains("<td class=\"num\">3</td>"), "the bad row is named by its line");
    let export = c.get(s.url("/registry/export/csv")).send().await.unwrap().bytes().await.unwrap();
    assert!(!String::from_utf8_lossy(&export).contains("Библиотека"), "nothing was written");

    let res = c.post(s.url(&format!("/registry/import?csrf={csrf}"))).multipart(upload(good)).send().await.unwrap();
    assert!(res.text().await.unwrap().contains("Загрузка выполнена"));
    let export = c.get(s.url("/registry/export/csv")).send().await.unwrap().bytes().await.unwrap();
    assert!(export.starts_with(b"\xEF\xBB\xBF"), "CSV for Excel starts with a BOM");
    assert!(String::from_utf8_lossy(&export).contains("Библиотека № 1"));
    let xlsx = c.get(s.url("/registry/export/xlsx")).send().await.unwrap().bytes().await.unwrap();
    assert!(xlsx.starts_with(b"PK"), "XLSX is a zip");
}

#[tokio::test]
async fn cabinet_pages_need_sign_in_and_respect_roles() {
    let s = start("sqlite").await;
    s.add_user("mon", Role::Monitor, |_| {}).await;
    let c = client();
    let res = c.get(s.url("/registry")).send().await.unwrap();
    assert_eq!(res.status(), 303);
    assert!(res.headers()["location"].to_str().unwrap().starts_with("/login?next="));
    let (c, _) = login(&s, "mon", PASSWORD).await;
    assert_eq!(c.get(s.url("/registry")).send().await.unwrap().status(), 200);
    assert_eq!(c.get(s.url("/registry/new")).send().await.unwrap().status(), 403);
    assert_eq!(c.get(s.url("/admin/users")).send().await.unwrap().status(), 403);
}
