//! Reference data: regions (seeded from the registry crate), authorities, operator companies, contracts.

use crate::Db;
use crate::entities::{authority, contract, contract_organization, operator_company, region};
use crate::error::{Result, StoreError};
use crate::scope::{Actor, Scope};
use sea_orm::sea_query::OnConflict;
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

/// Inserts the 89 regions if missing (idempotent; run by every migration).
pub async fn ensure_regions(db: &Db) -> Result<()> {
    let models: Vec<region::ActiveModel> = nok_registry::regions::all()
        .iter()
        .map(|r| region::ActiveModel { code: Set(r.code.to_string()), name: Set(r.name.to_string()) })
        .collect();
    region::Entity::insert_many(models)
        .on_conflict(OnConflict::column(region::Column::Code).do_nothing().to_owned())
        .exec_without_returning(&db.write)
        .await?;
    Ok(())
}

pub async fn regions<C: ConnectionTrait>(conn: &C) -> Result<Vec<region::Model>> {
    Ok(region::Entity::find().order_by_asc(region::Column::Code).all(conn).await?)
}

/// New authority data.
pub struct NewAuthority<'a> {
    pub code: &'a str,
    pub name: &'a str,
    pub region_code: Option<&'a str>,
    pub sphere: Option<&'a str>,
}

/// Creates an authority, or returns the existing one with the same code.
pub async fn upsert_authority(db: &Db, actor: &Actor, a: NewAuthority<'_>) -> Result<authority::Model> {
    if !actor.is_admin() {
        return Err(StoreError::Forbidden);
    }
    if let Some(existing) = authority_by_code(&db.write, a.code).await? {
        return Ok(existing);
    }
    let model = authority::ActiveModel {
        id: Default::default(),
        code: Set(a.code.to_string()),
        name: Set(a.name.to_string()),
        region_code: Set(a.region_code.map(str::to_string)),
        sphere: Set(a.sphere.map(str::to_string)),
    };
    let inserted = authority::Entity::insert(model).exec_with_returning(&db.write).await?;
    super::audit::record(
        &db.write,
        actor,
        super::audit::Entry {
            action: "authority.create",
            object_type: "authority",
            object_id: inserted.id.to_string(),
            before: None,
            after: serde_json::to_value(&inserted).ok(),
            ip_hash: None,
        },
    )
    .await?;
    Ok(inserted)
}

pub async fn authority_by_code<C: ConnectionTrait>(conn: &C, code: &str) -> Result<Option<authority::Model>> {
    Ok(authority::Entity::find().filter(authority::Column::Code.eq(code)).one(conn).await?)
}

pub async fn authority_by_id<C: ConnectionTrait>(conn: &C, id: i32) -> Result<Option<authority::Model>> {
    Ok(authority::Entity::find_by_id(id).one(conn).await?)
}

/// Authorities visible to the actor (an authority sees itself; admins and monitors see all).
pub async fn authorities<C: ConnectionTrait>(conn: &C, actor: &Actor) -> Result<Vec<authority::Model>> {
    let mut q = authority::Entity::find().order_by_asc(authority::Column::Code);
    if let Scope::Authority { authority_id, .. } = actor.scope {
        q = q.filter(authority::Column::Id.eq(authority_id));
    }
    Ok(q.all(conn).await?)
}

pub async fn create_operator(db: &Db, actor: &Actor, name: &str, inn: Option<&str>) -> Result<operator_company::Model> {
    if !actor.is_admin() {
        return Err(StoreError::Forbidden);
    }
    let model = operator_company::ActiveModel {
        id: Default::default(),
        name: Set(name.to_string()),
        inn: Set(inn.map(str::to_string)),
    };
    Ok(operator_company::Entity::insert(model).exec_with_returning(&db.write).await?)
}

pub async fn operator_by_id<C: ConnectionTrait>(conn: &C, id: i32) -> Result<Option<operator_company::Model>> {
    Ok(operator_company::Entity::find_by_id(id).one(conn).await?)
}

/// Records an operator's contract with the organisations it covers.
pub async fn create_contract(
    db: &Db,
    actor: &Actor,
    c: contract::Model,
    organization_ids: &[i32],
) -> Result<contract::Model> {
    if !actor.may_edit_registry() {
        return Err(StoreError::Forbidden);
    }
    if let Scope::Authority { authority_id, .. } = actor.scope
        && authority_id != c.authority_id
    {
        return Err(StoreError::Forbidden);
    }
    let model = contract::ActiveModel {
        id: Default::default(),
        operator_id: Set(c.operator_id),
        authority_id: Set(c.authority_id),
        number: Set(c.number),
        period: Set(c.period),
        starts_on: Set(c.starts_on),
        ends_on: Set(c.ends_on),
    };
    let inserted = contract::Entity::insert(model).exec_with_returning(&db.write).await?;
    for chunk in organization_ids.chunks(1000) {
        let rows: Vec<_> = chunk
            .iter()
            .map(|&o| contract_organization::ActiveModel { contract_id: Set(inserted.id), organization_id: Set(o) })
            .collect();
        contract_organization::Entity::insert_many(rows).exec_without_returning(&db.write).await?;
    }
    Ok(inserted)
}

/// The organisations covered by an operator's contracts.
pub async fn operator_organization_ids<C: ConnectionTrait>(conn: &C, operator_id: i32) -> Result<Vec<i32>> {
    let contracts: Vec<i32> = contract::Entity::find()
        .filter(contract::Column::OperatorId.eq(operator_id))
        .all(conn)
        .await?
        .into_iter()
        .map(|c| c.id)
        .collect();
    let links = contract_organization::Entity::find()
        .filter(contract_organization::Column::ContractId.is_in(contracts))
        .all(conn)
        .await?;
    Ok(links.into_iter().map(|l| l.organization_id).collect())
}
