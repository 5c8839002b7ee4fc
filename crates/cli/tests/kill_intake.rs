//! Nothing acknowledged is lost: the real `nok serve` binary takes survey responses from concurrent clients
//! and is killed with SIGKILL in the middle of the load, several times; after each restart every response
//! that was answered 201 or 200 is stored exactly once, the live counters equal a count of the stored
//! responses, and re-sending an acknowledged id answers 200 without counting it again.

mod common;

use nok_methodology::{Definition, Sphere};
use nok_registry::record::OrganizationRecord;
use nok_store::entities::response;
use nok_store::{Actor, Db};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::{Value, json};
use std::collections::HashSet;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

fn spawn_server(db_url: &str, port: u16) -> Child {
    Command::new(env!("CARGO_BIN_EXE_nok"))
        .args(["--database-url", db_url, "serve", "--port", &port.to_string()])
        .env("NOK_LOG", "warn")
        .env("NOK_INTAKE_PER_SOURCE_PER_MINUTE", "100000000")
        .env("NOK_INTAKE_PER_SOURCE_BURST", "100000000")
        .env("NOK_INTAKE_BURST_MAX", "100000000")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start nok serve")
}

async fn wait_ready(base: &str) {
    let client = reqwest::Client::new();
    let until = Instant::now() + Duration::from_secs(60);
    while Instant::now() < until {
        if client.get(format!("{base}/healthz")).send().await.is_ok_and(|r| r.status() == 200) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("nok serve did not come up at {base}");
}

async fn seed(db_url: &str) -> String {
    let db = Db::open(db_url).await.unwrap();
    let rec = OrganizationRecord {
        full_name: "Городская поликлиника № 1".into(),
        ogrn: Some(nok_registry::ids::make_ogrn(42)),
        ..common::record(42, "76", Sphere::Health, "Поликлиника № 1")
    };
    let org = nok_store::repo::organizations::create(&db, &Actor::system(), &rec).await.unwrap();
    db.close().await.unwrap();
    org.public_id
}

fn body(public_id: &str, id: &str) -> Value {
    let mut answers: serde_json::Map<String, Value> = Definition::current()
        .questionnaire(Sphere::Health)
        .iter()
        .map(|q| (q.id.to_string(), json!(q.id.0 % 3 != 0)))
        .collect();
    // Keep the filters consistent: a follow-up only after «Да» to its filter.
    for q in Definition::current().questionnaire(Sphere::Health) {
        if let Some(f) = q.filtered_by
            && answers.get(&f.to_string()) != Some(&json!(true))
        {
            answers.remove(&q.id.to_string());
        }
    }
    json!({ "id": id, "organization_id": public_id, "channel": "api", "answers": answers })
}

/// What the clients saw: ids acknowledged as stored, and acknowledged ids that a later retry stored
/// again (answered 201 a second time), which must never happen.
#[derive(Clone, Default)]
struct Seen {
    acked: Vec<String>,
    stored_twice: Vec<String>,
}

/// Submits from `clients` tasks until `stop`. A request that got no answer (the server was killed) is
/// retried with the same id, as a real client does; every tenth request re-sends an id acknowledged
/// before, which must answer 200.
async fn load(base: String, public_id: String, clients: usize, stop: Arc<AtomicBool>, seen: Arc<Mutex<Seen>>) {
    let tasks: Vec<_> = (0..clients)
        .map(|i| {
            let (base, public_id, stop, seen) = (base.clone(), public_id.clone(), stop.clone(), seen.clone());
            tokio::spawn(async move {
                let client = reqwest::Client::builder().timeout(Duration::from_secs(5)).build().unwrap();
                let mut n = 0u64;
                let mut unanswered: Option<String> = None;
                while !stop.load(Ordering::Relaxed) {
                    n += 1;
                    let repeat = n
                        .is_multiple_of(10)
                        .then(|| {
                            let s = seen.lock().unwrap();
                            s.acked.get((i * 31 + n as usize) % s.acked.len().max(1)).cloned()
                        })
                        .flatten();
                    let id = repeat
                        .clone()
                        .or_else(|| unanswered.take())
                        .unwrap_or_else(|| uuid::Uuid::now_v7().to_string());
                    match client.post(format!("{base}/api/v1/responses")).json(&body(&public_id, &id)).send().await {
                        Ok(res) if res.status() == 201 || res.status() == 200 => {
                            let mut s = seen.lock().unwrap();
                            if repeat.is_none() {
                                s.acked.push(id);
                            } else if res.status() == 201 {
                                s.stored_twice.push(id);
                            }
                        }
                        Ok(res) => panic!("unexpected status {}", res.status()),
                        Err(_) => {
                            if repeat.is_none() {
                                unanswered = Some(id);
                            }
                            tokio::time::sleep(Duration::from_millis(5)).await
                        }
                    }
                }
            })
        })
        .collect();
    for t in tasks {
        t.await.unwrap();
    }
}

async fn check(db_url: &str, seen: &Seen) {
    let db = Db::connect(db_url).await.unwrap();
    assert!(seen.stored_twice.is_empty(), "acknowledged ids stored a second time: {:?}", seen.stored_twice);
    let acked = &seen.acked;
    let unique: HashSet<&String> = acked.iter().collect();
    assert_eq!(unique.len(), acked.len(), "an id is acknowledged as a new response once");
    let mut found = 0;
    for chunk in acked.chunks(500) {
        found += response::Entity::find()
            .filter(response::Column::Id.is_in(chunk.iter().cloned()))
            .count(&db.read)
            .await
            .unwrap();
    }
    assert_eq!(found as usize, unique.len(), "every acknowledged response is stored");
    let stored =
        response::Entity::find().filter(response::Column::Status.eq("accepted")).count(&db.read).await.unwrap();
    let row = db
        .read
        .query_one_raw(sea_orm::Statement::from_string(
            db.read.get_database_backend(),
            "SELECT COALESCE(SUM(responses), 0) FROM survey_counter",
        ))
        .await
        .unwrap()
        .unwrap();
    let counted: i64 = row.try_get_by_index(0).unwrap();
    assert_eq!(counted as u64, stored, "the counters count each stored response exactly once");
    db.close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acknowledged_responses_survive_sigkill() {
    let dir = tempfile::tempdir().unwrap();
    let db_url = format!("sqlite://{}", dir.path().join("nok.db").display());
    let public_id = seed(&db_url).await;
    let seen = Arc::new(Mutex::new(Seen::default()));
    // One port and one set of clients across every restart, so that requests left unanswered by a kill
    // are retried against the next server.
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let stop = Arc::new(AtomicBool::new(false));
    let loader = tokio::spawn(load(base.clone(), public_id.clone(), 32, stop.clone(), seen.clone()));
    for (round, run_ms) in [700u64, 1300, 2100].into_iter().enumerate() {
        let mut server = spawn_server(&db_url, port);
        wait_ready(&base).await;
        let before = seen.lock().unwrap().acked.len();
        tokio::time::sleep(Duration::from_millis(run_ms)).await;
        server.kill().expect("SIGKILL");
        server.wait().unwrap();
        // No server is listening now: nothing is acknowledged or written until the next start.
        let after = seen.lock().unwrap().acked.len();
        assert!(after > before, "round {round}: responses were acknowledged before the kill");
        let snapshot = seen.lock().unwrap().clone();
        check(&db_url, &snapshot).await;
    }

    // The retries of the requests the last kill left unanswered reach a live server; then re-sending
    // acknowledged ids answers 200 and counts nothing.
    let mut server = spawn_server(&db_url, port);
    wait_ready(&base).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    stop.store(true, Ordering::Relaxed);
    loader.await.unwrap();
    let acked = seen.lock().unwrap().acked.clone();
    let client = reqwest::Client::new();
    for id in acked.iter().step_by((acked.len() / 50).max(1)) {
        let res = client.post(format!("{base}/api/v1/responses")).json(&body(&public_id, id)).send().await.unwrap();
        assert_eq!(res.status(), 200, "{id} was stored before");
    }
    server.kill().unwrap();
    server.wait().unwrap();
    let snapshot = seen.lock().unwrap().clone();
    check(&db_url, &snapshot).await;
}
