//! A real server on a random local port over a fresh test database, and a cookie-keeping client.

#![allow(dead_code)]

use nok_store::db::testing::{self, TestDb};
use nok_store::repo::users;
use nok_store::{Actor, Role};
use nok_web::WebConfig;

pub const PASSWORD: &str = "correct horse battery";

/// The shared organisation fixture (`nok_store::db::testing::record`).
#[allow(unused_imports)]
pub use nok_store::db::testing::record;

pub struct Server {
    pub base: String,
    pub db: std::sync::Arc<TestDb>,
}

pub async fn start(backend: &str) -> Server {
    start_with(backend, |_| {}).await
}

/// [`start`] with a changed configuration (e.g. intake limits).
pub async fn start_with(backend: &str, configure: impl FnOnce(&mut WebConfig)) -> Server {
    serve(std::sync::Arc::new(testing::fresh(backend).await), configure).await
}

/// Another server over the same database, with its own state (intake writer, caches), as after a restart.
pub async fn restart_with(server: &Server, configure: impl FnOnce(&mut WebConfig)) -> Server {
    serve(server.db.clone(), configure).await
}

async fn serve(db: std::sync::Arc<TestDb>, configure: impl FnOnce(&mut WebConfig)) -> Server {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let base = format!("http://{addr}");
    let mut config = WebConfig { base_url: base.clone(), ..WebConfig::default() };
    configure(&mut config);
    let state = nok_web::server::state(db.db.clone(), config).await.unwrap();
    let app = nok_web::router(state).into_make_service_with_connect_info::<std::net::SocketAddr>();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    Server { base, db }
}

impl Server {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub async fn add_user(&self, login: &str, role: Role, f: impl FnOnce(&mut users::NewUser)) {
        let mut new =
            users::NewUser { login: login.into(), password: PASSWORD.into(), role: Some(role), ..Default::default() };
        f(&mut new);
        users::create(&self.db, &Actor::system(), new).await.unwrap();
    }
}

pub fn client() -> reqwest::Client {
    reqwest::Client::builder().cookie_store(true).redirect(reqwest::redirect::Policy::none()).build().unwrap()
}

/// The value of the first `name="csrf"` hidden field on a page.
pub fn csrf_of(html: &str) -> String {
    let marker = "name=\"csrf\" value=\"";
    let start = html.find(marker).expect("page has a CSRF field") + marker.len();
    html[start..].split('"').next().unwrap().to_string()
}

/// Signs in through the login form; returns the client.
pub async fn login(server: &Server, login: &str, password: &str) -> (reqwest::Client, reqwest::StatusCode) {
    let c = client();
    let page = c.get(server.url("/login")).send().await.unwrap().text().await.unwrap();
    let csrf = csrf_of(&page);
    let res = c
        .post(server.url("/login"))
        .form(&[("csrf", csrf.as_str()), ("login", login), ("password", password), ("next", "/registry")])
        .send()
        .await
        .unwrap();
    let status = res.status();
    (c, status)
}

/// GETs an export; checks the status and that the content type starts with `mime`; returns the body.
pub async fn download(c: &reqwest::Client, server: &Server, path: &str, mime: &str) -> Vec<u8> {
    let res = c.get(server.url(path)).send().await.unwrap();
    assert_eq!(res.status(), 200, "{path}");
    let content_type = res.headers()["content-type"].to_str().unwrap().to_string();
    assert!(content_type.starts_with(mime), "{path}: {content_type}");
    res.bytes().await.unwrap().to_vec()
}

/// A CSV export's text (after the byte-order mark Excel needs).
pub async fn csv_export(c: &reqwest::Client, server: &Server, path: &str) -> String {
    let bytes = download(c, server, path, "text/csv").await;
    let text = String::from_utf8(bytes).unwrap();
    text.strip_prefix('\u{feff}').expect("CSV starts with a BOM").to_string()
}

/// The first sheet of an XLSX export, cell by cell as text.
pub async fn xlsx_export(c: &reqwest::Client, server: &Server, path: &str) -> Vec<Vec<String>> {
    use calamine::Reader;
    let bytes = download(c, server, path, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet").await;
    assert!(bytes.starts_with(b"PK"), "{path}: a zip container");
    let mut book = calamine::Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
    let sheet = book.sheet_names()[0].clone();
    let range = book.worksheet_range(&sheet).unwrap();
    range.rows().map(|r| r.iter().map(|c| c.to_string()).collect()).collect()
}
