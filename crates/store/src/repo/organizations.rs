//! Organisations: scoped listing with search, filters, sorting and pagination; the card; create, edit,
//! (de)activate with history; conversion to and from the registry's file record.

use super::Page;
use super::audit::{self, Entry};
use crate::Db;
use crate::entities::{authority, organization};
use crate::error::{Result, StoreError};
use crate::scope::{Actor, Scope};
use crate::time_util::now;
use nok_registry::record::OrganizationRecord;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect,
};
use sha2::{Digest, Sha256};
use std::collections::HashMap;

/// Sort keys offered by registry lists.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SortKey {
    #[default]
    Name,
    Inn,
    Region,
    Sphere,
    Population,
    Updated,
}

/// A registry list query.
#[derive(Clone, Debug, Default)]
pub struct OrgQuery {
    /// Free text: part of a name, or an ИНН.
    pub q: Option<String>,
    pub region_code: Option<String>,
    pub sphere: Option<String>,
    pub authority_id: Option<i32>,
    pub include_inactive: bool,
    pub sort: SortKey,
    pub descending: bool,
    pub page: u64,
    pub per_page: u64,
}

/// Lower-cased text searched by the `q` filter (names and ИНН).
pub fn search_text(full_name: &str, short_name: &str, inn: &str) -> String {
    format!("{} {} {}", full_name.to_lowercase(), short_name.to_lowercase(), inn)
}

/// The stable public id of an organisation (used in QR codes): derived from its ИНН, which never changes.
pub fn public_id_for(inn: &str) -> String {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
    let digest = Sha256::digest(format!("nok-organization:{inn}").as_bytes());
    digest.iter().take(10).map(|b| ALPHABET[(*b as usize) % ALPHABET.len()] as char).collect()
}

fn condition(actor: &Actor, q: &OrgQuery) -> Condition {
    use organization::Column as C;
    let mut c = actor.organization_filter();
    if let Some(text) = q.q.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        let needle = text.to_lowercase().replace(['%', '_'], " ");
        for word in needle.split_whitespace() {
            c = c.add(C::SearchText.contains(word));
        }
    }
    if let Some(r) = &q.region_code {
        c = c.add(C::RegionCode.eq(r.clone()));
    }
    if let Some(s) = &q.sphere {
        c = c.add(C::Sphere.eq(s.clone()));
    }
    if let Some(a) = q.authority_id {
        c = c.add(C::AuthorityId.eq(a));
    }
    if !q.include_inactive {
        c = c.add(C::Active.eq(true));
    }
    c
}

/// A page of the organisations the actor may see.
pub async fn list<C: ConnectionTrait>(conn: &C, actor: &Actor, q: &OrgQuery) -> Result<Page<organization::Model>> {
    use organization::Column as C;
    let per_page = q.per_page.clamp(1, 500);
    let page = q.page.max(1);
    let column = match q.sort {
        SortKey::Name => C::ShortName,
        SortKey::Inn => C::Inn,
        SortKey::Region => C::RegionCode,
        SortKey::Sphere => C::Sphere,
        SortKey::Population => C::Population,
        SortKey::Updated => C::UpdatedAt,
    };
    let mut select = organization::Entity::find().filter(condition(actor, q));
    select = if q.descending { select.order_by_desc(column) } else { select.order_by_asc(column) };
    let paginator = select.order_by_asc(C::Id).paginate(conn, per_page);
    let total = paginator.num_items().await?;
    let items = paginator.fetch_page(page - 1).await?;
    Ok(Page { items, total, page, per_page })
}

/// Counts the organisations the actor may see that match the query.
pub async fn count<C: ConnectionTrait>(conn: &C, actor: &Actor, q: &OrgQuery) -> Result<u64> {
    Ok(organization::Entity::find().filter(condition(actor, q)).count(conn).await?)
}

/// One organisation, if the actor may see it (`Forbidden` when it exists outside the scope).
pub async fn get<C: ConnectionTrait>(conn: &C, actor: &Actor, id: i32) -> Result<organization::Model> {
    let org = organization::Entity::find_by_id(id).one(conn).await?.ok_or(StoreError::NotFound)?;
    check_visible(conn, actor, &org).await?;
    Ok(org)
}

pub(crate) async fn check_visible<C: ConnectionTrait>(
    conn: &C,
    actor: &Actor,
    org: &organization::Model,
) -> Result<()> {
    let operator_orgs = match actor.scope {
        Scope::Operator { operator_id } => Some(super::reference::operator_organization_ids(conn, operator_id).await?),
        _ => None,
    };
    if actor.sees_organization(org, operator_orgs.as_deref()) { Ok(()) } else { Err(StoreError::Forbidden) }
}

/// Public read by the id printed in QR codes (active organisations only; no actor needed).
pub async fn by_public_id<C: ConnectionTrait>(conn: &C, public_id: &str) -> Result<organization::Model> {
    organization::Entity::find()
        .filter(organization::Column::PublicId.eq(public_id))
        .filter(organization::Column::Active.eq(true))
        .one(conn)
        .await?
        .ok_or(StoreError::NotFound)
}

/// Public read by internal id (active organisations only).
pub async fn public_by_id<C: ConnectionTrait>(conn: &C, id: i32) -> Result<organization::Model> {
    organization::Entity::find_by_id(id)
        .filter(organization::Column::Active.eq(true))
        .one(conn)
        .await?
        .ok_or(StoreError::NotFound)
}

/// Resolves authority codes written in files to ids (and back), caching lookups.
#[derive(Default)]
pub struct AuthorityCodes {
    by_code: HashMap<String, Option<authority::Model>>,
}

impl AuthorityCodes {
    pub async fn resolve<C: ConnectionTrait>(&mut self, conn: &C, code: &str) -> Result<Option<authority::Model>> {
        if let Some(hit) = self.by_code.get(code) {
            return Ok(hit.clone());
        }
        let found = super::reference::authority_by_code(conn, code).await?;
        self.by_code.insert(code.to_string(), found.clone());
        Ok(found)
    }
}

/// Builds the row for a new organisation from a validated record.
pub(crate) fn new_active_model(
    rec: &OrganizationRecord,
    authority_id: Option<i32>,
    at: i64,
) -> organization::ActiveModel {
    let mut m = organization::ActiveModel {
        id: Default::default(),
        public_id: Set(public_id_for(&rec.inn)),
        inn: Set(rec.inn.clone()),
        created_at: Set(at),
        ..Default::default()
    };
    apply_record(&mut m, rec, authority_id, at);
    m
}

/// Copies the editable fields of a record onto a row.
pub(crate) fn apply_record(
    m: &mut organization::ActiveModel,
    rec: &OrganizationRecord,
    authority_id: Option<i32>,
    at: i64,
) {
    let short = if rec.short_name.trim().is_empty() { rec.full_name.clone() } else { rec.short_name.clone() };
    m.ogrn = Set(rec.ogrn.clone());
    m.kpp = Set(rec.kpp.clone());
    m.search_text = Set(search_text(&rec.full_name, &short, &rec.inn));
    m.full_name = Set(rec.full_name.clone());
    m.short_name = Set(short);
    m.address = Set(rec.address.clone());
    m.latitude = Set(rec.latitude);
    m.longitude = Set(rec.longitude);
    m.website = Set(rec.website.clone());
    m.email = Set(rec.email.clone());
    m.phone = Set(rec.phone.clone());
    m.sphere = Set(rec.sphere.code().to_string());
    m.region_code = Set(rec.region_code.clone());
    m.municipality = Set(rec.municipality.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned));
    m.authority_id = Set(authority_id);
    m.population = Set(i64::from(rec.population));
    m.active = Set(rec.active);
    m.updated_at = Set(at);
}

/// The file record of a stored organisation (for export, editing forms and comparisons).
pub fn to_record(m: &organization::Model, authority_code: Option<String>) -> OrganizationRecord {
    OrganizationRecord {
        inn: m.inn.clone(),
        full_name: m.full_name.clone(),
        short_name: m.short_name.clone(),
        ogrn: m.ogrn.clone(),
        kpp: m.kpp.clone(),
        address: m.address.clone(),
        latitude: m.latitude,
        longitude: m.longitude,
        website: m.website.clone(),
        email: m.email.clone(),
        phone: m.phone.clone(),
        sphere: nok_methodology::Sphere::from_code(&m.sphere).unwrap_or(nok_methodology::Sphere::Culture),
        region_code: m.region_code.clone(),
        municipality: m.municipality.clone(),
        authority: authority_code,
        population: u32::try_from(m.population).unwrap_or(u32::MAX),
        active: m.active,
    }
}

fn invalid(rec: &OrganizationRecord) -> Option<StoreError> {
    let errors = rec.validate();
    if errors.is_empty() {
        None
    } else {
        Some(StoreError::Invalid(
            errors.iter().map(|e| format!("{}: {}", e.field.header(), e.reason())).collect::<Vec<_>>().join("; "),
        ))
    }
}

async fn resolve_authority<C: ConnectionTrait>(conn: &C, rec: &OrganizationRecord) -> Result<Option<i32>> {
    match rec.authority.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(code) => match super::reference::authority_by_code(conn, code).await? {
            Some(a) => Ok(Some(a.id)),
            None => Err(StoreError::Invalid(format!("authority: unknown code {code:?}"))),
        },
    }
}

/// Creates an organisation (administrators and authorities within their scope).
pub async fn create(db: &Db, actor: &Actor, rec: &OrganizationRecord) -> Result<organization::Model> {
    if let Some(e) = invalid(rec) {
        return Err(e);
    }
    actor.check_registry_write(&rec.region_code, rec.sphere.code())?;
    let authority_id = resolve_authority(&db.write, rec).await?;
    if organization::Entity::find().filter(organization::Column::Inn.eq(&rec.inn)).count(&db.write).await? > 0 {
        return Err(StoreError::Conflict(format!("inn {} already registered", rec.inn)));
    }
    let model =
        organization::Entity::insert(new_active_model(rec, authority_id, now())).exec_with_returning(&db.write).await?;
    audit::record(
        &db.write,
        actor,
        Entry {
            action: "organization.create",
            object_type: "organization",
            object_id: model.id.to_string(),
            before: None,
            after: serde_json::to_value(rec).ok(),
            ip_hash: None,
        },
    )
    .await?;
    Ok(model)
}

/// Edits an organisation's card. Staff may edit their own card's contact fields only.
pub async fn update(db: &Db, actor: &Actor, id: i32, rec: &OrganizationRecord) -> Result<organization::Model> {
    if let Some(e) = invalid(rec) {
        return Err(e);
    }
    let current = get(&db.write, actor, id).await?;
    if !actor.may_edit_card() {
        return Err(StoreError::Forbidden);
    }
    let current_authority = match current.authority_id {
        Some(a) => super::reference::authority_by_id(&db.write, a).await?.map(|a| a.code),
        None => None,
    };
    let before = to_record(&current, current_authority);
    let mut rec = rec.clone();
    if actor.role == crate::Role::Staff {
        // Staff keep the registry identity fields as the authority set them.
        rec.inn = before.inn.clone();
        rec.ogrn = before.ogrn.clone();
        rec.kpp = before.kpp.clone();
        rec.full_name = before.full_name.clone();
        rec.sphere = before.sphere;
        rec.region_code = before.region_code.clone();
        rec.municipality = before.municipality.clone();
        rec.authority = before.authority.clone();
        rec.population = before.population;
        rec.active = before.active;
    } else {
        actor.check_registry_write(&rec.region_code, rec.sphere.code())?;
    }
    if rec.inn != before.inn {
        return Err(StoreError::Invalid("inn: the ИНН of a registered organisation cannot change".into()));
    }
    let authority_id = resolve_authority(&db.write, &rec).await?;
    let mut m: organization::ActiveModel = current.into();
    apply_record(&mut m, &rec, authority_id, now());
    let updated = organization::Entity::update(m).exec(&db.write).await?;
    audit::record(
        &db.write,
        actor,
        Entry {
            action: "organization.update",
            object_type: "organization",
            object_id: id.to_string(),
            before: serde_json::to_value(&before).ok(),
            after: serde_json::to_value(&rec).ok(),
            ip_hash: None,
        },
    )
    .await?;
    Ok(updated)
}

/// Deactivates (or reactivates) an organisation; nothing is ever deleted.
pub async fn set_active(db: &Db, actor: &Actor, id: i32, active: bool) -> Result<organization::Model> {
    let current = get(&db.write, actor, id).await?;
    actor.check_registry_write(&current.region_code, &current.sphere)?;
    let was = current.active;
    let mut m: organization::ActiveModel = current.into();
    m.active = Set(active);
    m.updated_at = Set(now());
    let updated = organization::Entity::update(m).exec(&db.write).await?;
    audit::record(
        &db.write,
        actor,
        Entry {
            action: if active { "organization.activate" } else { "organization.deactivate" },
            object_type: "organization",
            object_id: id.to_string(),
            before: Some(serde_json::json!({ "active": was })),
            after: Some(serde_json::json!({ "active": active })),
            ip_hash: None,
        },
    )
    .await?;
    Ok(updated)
}

/// The change history of an organisation the actor may see.
pub async fn history(db: &Db, actor: &Actor, id: i32) -> Result<Vec<audit::HistoryEntry>> {
    get(&db.read, actor, id).await?;
    audit::history(&db.read, "organization", &id.to_string()).await
}

/// Streams the records the actor may see, in id order, in chunks (bounded memory) to `sink`.
pub async fn for_each_record<C: ConnectionTrait>(
    conn: &C,
    actor: &Actor,
    include_inactive: bool,
    mut sink: impl FnMut(OrganizationRecord),
) -> Result<u64> {
    let authorities: HashMap<i32, String> =
        authority::Entity::find().all(conn).await?.into_iter().map(|a| (a.id, a.code)).collect();
    let q = OrgQuery { include_inactive, ..Default::default() };
    let cond = condition(actor, &q);
    let mut last_id = 0;
    let mut n = 0;
    loop {
        let chunk = organization::Entity::find()
            .filter(cond.clone())
            .filter(organization::Column::Id.gt(last_id))
            .order_by_asc(organization::Column::Id)
            .limit(2000)
            .all(conn)
            .await?;
        let Some(last) = chunk.last() else { break };
        last_id = last.id;
        for m in &chunk {
            sink(to_record(m, m.authority_id.and_then(|a| authorities.get(&a).cloned())));
            n += 1;
        }
    }
    Ok(n)
}
