//! Fixtures of the survey and portal HTTP tests: organisations, authorities with their users, JSON
//! submissions, complete questionnaire answers, and reads of what the store holds.

#![allow(dead_code)]

use crate::support::{Server, client};
use nok_methodology::{Definition, Sphere};
use nok_registry::record::OrganizationRecord;
use nok_store::entities::{organization, response};
use nok_store::repo::{organizations, reference, scores};
use nok_store::{Actor, Role};
use sea_orm::EntityTrait;
use serde_json::{Value, json};

/// Creates an active organisation.
pub async fn org(s: &Server, seed: u64, region: &str, sphere: Sphere, name: &str) -> organization::Model {
    let rec = OrganizationRecord {
        inn: nok_registry::ids::make_inn(seed),
        full_name: format!("{name} (полное наименование)"),
        short_name: name.to_string(),
        ogrn: Some(nok_registry::ids::make_ogrn(seed)),
        kpp: None,
        address: "г. Ярославль, ул. Свободы, д. 1".into(),
        latitude: None,
        longitude: None,
        website: Some("https://example.ru".into()),
        email: None,
        phone: None,
        sphere,
        region_code: region.to_string(),
        municipality: None,
        authority: None,
        population: 1000,
        active: true,
    };
    organizations::create(&s.db, &Actor::system(), &rec).await.expect("create organisation")
}

/// An authority of `region` × `sphere` and a user of it signing in as `login`.
pub async fn authority_user(s: &Server, login: &str, region: &str, sphere: Sphere) {
    let code = format!("{region}-{}", sphere.code());
    let a = reference::upsert_authority(
        &s.db,
        &Actor::system(),
        reference::NewAuthority {
            code: &code,
            name: "Уполномоченный орган",
            region_code: Some(region),
            sphere: Some(sphere.code()),
        },
    )
    .await
    .expect("authority");
    s.add_user(login, Role::Authority, |u| u.authority_id = Some(a.id)).await;
}

/// «Да» to every question the sphere asks (so every filtered question is asked too).
pub fn all_yes(sphere: Sphere) -> Value {
    let answers: serde_json::Map<String, Value> =
        Definition::current().questionnaire(sphere).iter().map(|q| (q.id.to_string(), json!(true))).collect();
    Value::Object(answers)
}

/// A JSON submission with a fresh id.
pub fn submission(public_id: &str, channel: &str, answers: Value) -> Value {
    json!({ "id": uuid::Uuid::now_v7(), "organization_id": public_id, "channel": channel, "answers": answers, "sex": "f", "age": 40 })
}

/// POSTs JSON to the intake API with a fresh client (no cookies: one more API client).
pub async fn post(s: &Server, body: &Value) -> (u16, Value) {
    let res = client().post(s.url("/api/v1/responses")).json(body).send().await.unwrap();
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(Value::Null))
}

/// Counted responses of the organisation in the current period (the live counter).
pub async fn counted(s: &Server, org: &organization::Model) -> u64 {
    scores::counters(&s.db.read, org.id, nok_store::time_util::period_of(nok_store::time_util::now()))
        .await
        .unwrap()
        .responses
}

/// The stored response with this id.
pub async fn stored(s: &Server, id: &str) -> Option<response::Model> {
    response::Entity::find_by_id(id.to_string()).one(&s.db.read).await.unwrap()
}

/// Every stored response.
pub async fn all_stored(s: &Server) -> Vec<response::Model> {
    response::Entity::find().all(&s.db.read).await.unwrap()
}

/// The value of the hidden field `name` of a page.
pub fn hidden(html: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let start = html.find(&marker).unwrap_or_else(|| panic!("page has a hidden {name}")) + marker.len();
    html[start..].split('"').next().unwrap().to_string()
}

/// Complete form answers: «Нет» to the filter questions (their follow-ups skipped), «Да» to the rest.
pub fn form_answers(sphere: Sphere) -> Vec<(String, String)> {
    Definition::current()
        .questionnaire(sphere)
        .iter()
        .filter(|q| q.filtered_by.is_none())
        .map(|q| (q.id.to_string(), if q.filter_for.is_empty() { "yes" } else { "no" }.to_string()))
        .collect()
}
