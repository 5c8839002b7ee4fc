//! Shared fixtures for the store's integration tests: two regions' worth of organisations, authorities,
//! an operator with a contract, and one actor of every role.

#![allow(dead_code)]

use nok_methodology::Sphere;
use nok_registry::record::OrganizationRecord;
use nok_store::entities::{contract, organization};
use nok_store::repo::import::{ImportOptions, import_organizations};
use nok_store::repo::organizations::{self, OrgQuery};
use nok_store::repo::{reference, users};
use nok_store::{Actor, Db, Role, StoreError};

pub fn record(seed: u64, region: &str, sphere: Sphere, name: &str) -> OrganizationRecord {
    OrganizationRecord {
        inn: nok_registry::ids::make_inn(seed),
        full_name: name.to_string(),
        short_name: name.to_string(),
        ogrn: Some(nok_registry::ids::make_ogrn(seed)),
        kpp: None,
        address: "г. Ярославль, ул. Свободы, д. 1".into(),
        latitude: Some(57.6),
        longitude: Some(39.8),
        website: Some("https://example.ru".into()),
        email: None,
        phone: None,
        sphere,
        region_code: region.to_string(),
        municipality: None,
        authority: None,
        population: 1000,
        active: true,
    }
}

/// Asserts the call was refused for scope or role.
pub fn forbidden<T: std::fmt::Debug>(r: Result<T, StoreError>) {
    assert!(matches!(r, Err(StoreError::Forbidden)), "expected Forbidden, got {r:?}");
}

/// Asserts the call was refused as invalid, naming `field`.
pub fn invalid<T: std::fmt::Debug>(r: Result<T, StoreError>, field: &str) {
    match r {
        Err(StoreError::Invalid(msg)) => assert!(msg.contains(field), "{msg} does not name {field}"),
        other => panic!("expected Invalid naming {field}, got {other:?}"),
    }
}

pub struct World {
    pub orgs: Vec<organization::Model>,
    pub admin: Actor,
    /// Authority of region 76, health.
    pub authority: Actor,
    pub council: Actor,
    pub operator: Actor,
    /// Staff of the first health organisation in region 76.
    pub staff: Actor,
    pub monitor_77: Actor,
}

impl World {
    pub fn org(&self, region: &str, sphere: Sphere) -> &organization::Model {
        self.orgs.iter().find(|o| o.region_code == region && o.sphere == sphere.code()).expect("fixture org")
    }
}

async fn actor(db: &Db, login: &str, role: Role, f: impl FnOnce(&mut users::NewUser)) -> Actor {
    let mut new = users::NewUser {
        login: login.into(),
        password: "correct horse battery".into(),
        role: Some(role),
        ..Default::default()
    };
    f(&mut new);
    let u = users::create(db, &Actor::system(), new).await.expect("create user");
    users::actor_for(&db.read, &u).await.expect("actor")
}

pub async fn world(db: &Db) -> World {
    let system = Actor::system();
    let a76 = reference::upsert_authority(
        db,
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
    reference::upsert_authority(
        db,
        &system,
        reference::NewAuthority { code: "77-health", name: "ДЗМ", region_code: Some("77"), sphere: Some("health") },
    )
    .await
    .unwrap();
    let mut recs = Vec::new();
    let mut seed = 1;
    for region in ["76", "77"] {
        for sphere in [Sphere::Health, Sphere::Culture] {
            for i in 0..2 {
                recs.push(record(seed, region, sphere, &format!("Организация {region}-{}-{i}", sphere.code())));
                seed += 1;
            }
        }
    }
    let report = import_organizations(
        db,
        &system,
        recs.into_iter().enumerate().map(|(i, r)| (i + 2, Ok(r))),
        &ImportOptions::default(),
        |_| {},
    )
    .await
    .unwrap();
    assert!(report.committed, "{:?}", report.errors);
    let orgs =
        organizations::list(&db.read, &system, &OrgQuery { per_page: 100, ..Default::default() }).await.unwrap().items;
    let op = reference::create_operator(db, &system, "Оператор", None).await.unwrap();
    let health76: Vec<i32> =
        orgs.iter().filter(|o| o.region_code == "76" && o.sphere == "health").map(|o| o.id).collect();
    reference::create_contract(
        db,
        &system,
        contract::Model {
            id: 0,
            operator_id: op.id,
            authority_id: a76.id,
            number: "1".into(),
            period: 2026,
            starts_on: None,
            ends_on: None,
        },
        &health76[..1],
    )
    .await
    .unwrap();
    let staff_org = health76[0];
    World {
        admin: actor(db, "admin", Role::Admin, |_| {}).await,
        authority: actor(db, "auth76", Role::Authority, |n| n.authority_id = Some(a76.id)).await,
        council: actor(db, "council76", Role::Council, |n| n.authority_id = Some(a76.id)).await,
        operator: actor(db, "op", Role::Operator, |n| n.operator_id = Some(op.id)).await,
        staff: actor(db, "staff", Role::Staff, |n| n.organization_id = Some(staff_org)).await,
        monitor_77: actor(db, "mon77", Role::Monitor, |n| n.monitor_regions = Some(vec!["77".into()])).await,
        orgs,
    }
}
