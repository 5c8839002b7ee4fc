//! Publishing results: an authority (or an administrator on its behalf) freezes the live results of
//! the organisations in the authority's region and sphere for a period into a snapshot with the
//! methodology version; later responses and checklist changes never alter it. Published results are
//! public. Every publication is audited; a period is published once per authority.

use super::aggregates::{self, OrgResult, ResultFilter};
use super::audit::{self, Entry};
use super::{checklists, reference, snapshots};
use crate::Db;
use crate::entities::{authority, publication, published_result};
use crate::error::{Result, StoreError};
use crate::scope::{Actor, Role, Scope};
use crate::time_util::now;
use nok_methodology::ScoreInput;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, TransactionTrait,
};
use serde::Serialize;

/// Rows per multi-row insert of a snapshot.
const CHUNK: usize = 500;

/// Whether the actor may publish for `authority_id`: administrators, and the authority itself.
pub fn may_publish(actor: &Actor, authority_id: i32) -> bool {
    match (&actor.role, &actor.scope) {
        (Role::Admin, _) => true,
        (Role::Authority, Scope::Authority { authority_id: own, .. }) => *own == authority_id,
        _ => false,
    }
}

fn snapshot_row(publication_id: i32, period: i32, r: &OrgResult, input: &ScoreInput) -> published_result::ActiveModel {
    let indicators: serde_json::Map<String, serde_json::Value> =
        r.indicators().filter_map(|(id, v)| v.map(|v| (id.to_owned(), serde_json::json!(v)))).collect();
    let mut no_data: Vec<&str> = r.indicators().filter(|(_, v)| v.is_none()).map(|(id, _)| id).collect();
    no_data.extend(r.criteria().filter(|(_, v)| v.is_none()).map(|(id, _)| id));
    let k = |i: usize| r.values.criteria.get(i).copied().flatten();
    published_result::ActiveModel {
        publication_id: Set(publication_id),
        organization_id: Set(r.organization_id),
        period: Set(period),
        sphere: Set(r.sphere.code().to_owned()),
        region_code: Set(r.region_code.clone()),
        authority_id: Set(r.authority_id),
        methodology: Set(r.definition.id.clone()),
        responses: Set(i64::try_from(r.responses).unwrap_or(i64::MAX)),
        online_responses: Set(i64::try_from(r.online_responses).unwrap_or(i64::MAX)),
        total: Set(r.values.total),
        k1: Set(k(0)),
        k2: Set(k(1)),
        k3: Set(k(2)),
        k4: Set(k(3)),
        k5: Set(k(4)),
        indicators: Set(serde_json::Value::Object(indicators).to_string()),
        no_data: Set(serde_json::json!(no_data).to_string()),
        inputs: Set(Some(snapshots::inputs_json(input, r.definition.missing_data.default, &r.regional_lists))),
        municipality: Set(r.municipality.clone()),
    }
}

/// The authority and the live results a publication of `period` would freeze, with the inputs they
/// were computed from: its organisations (its region and sphere) that have responses or a recorded
/// checklist.
async fn candidates<C: ConnectionTrait>(
    conn: &C,
    actor: &Actor,
    authority_id: i32,
    period: i32,
) -> Result<(authority::Model, Vec<(OrgResult, ScoreInput)>)> {
    if !may_publish(actor, authority_id) {
        return Err(StoreError::Forbidden);
    }
    let authority = reference::authority_by_id(conn, authority_id).await?.ok_or(StoreError::NotFound)?;
    let as_authority = Actor {
        scope: Scope::Authority {
            authority_id,
            region_code: authority.region_code.clone(),
            sphere: authority.sphere.clone(),
        },
        ..actor.clone()
    };
    let mut results = Vec::new();
    aggregates::for_each_result(conn, &as_authority, &ResultFilter::default(), period, |r, input| {
        if r.responses > 0 || r.checklist_recorded {
            results.push((r, input));
        }
    })
    .await?;
    Ok((authority, results))
}

/// How many organisations a publication of `period` for `authority_id` would freeze (for the
/// confirmation), and whether that period is already published.
pub async fn preview<C: ConnectionTrait>(
    conn: &C,
    actor: &Actor,
    authority_id: i32,
    period: i32,
) -> Result<(usize, bool)> {
    let (_, results) = candidates(conn, actor, authority_id, period).await?;
    let published = find(conn, authority_id, period).await?.is_some();
    Ok((results.len(), published))
}

async fn find<C: ConnectionTrait>(conn: &C, authority_id: i32, period: i32) -> Result<Option<publication::Model>> {
    Ok(publication::Entity::find()
        .filter(publication::Column::AuthorityId.eq(authority_id))
        .filter(publication::Column::Period.eq(period))
        .one(conn)
        .await?)
}

/// Freezes the results of `period` for the organisations of authority `authority_id` (its region and
/// sphere) that have responses or a recorded checklist. Audited as `results.publish`.
pub async fn publish(db: &Db, actor: &Actor, authority_id: i32, period: i32) -> Result<publication::Model> {
    let txn = db.write.begin().await?;
    let (authority, results) = candidates(&txn, actor, authority_id, period).await?;
    if find(&txn, authority_id, period).await?.is_some() {
        return Err(StoreError::Conflict(format!(
            "the results of {period} of {} are already published",
            authority.code
        )));
    }
    if results.is_empty() {
        return Err(StoreError::Invalid(format!("period: no results to publish for {period}")));
    }
    let methodology = checklists::definition_for_year(period).id.clone();
    let model = publication::Entity::insert(publication::ActiveModel {
        id: Default::default(),
        authority_id: Set(authority_id),
        period: Set(period),
        methodology: Set(methodology.clone()),
        organizations: Set(i32::try_from(results.len()).unwrap_or(i32::MAX)),
        published_at: Set(now()),
        published_by: Set(actor.login.clone()),
    })
    .exec_with_returning(&txn)
    .await?;
    for chunk in results.chunks(CHUNK) {
        let rows: Vec<_> = chunk.iter().map(|(r, input)| snapshot_row(model.id, period, r, input)).collect();
        published_result::Entity::insert_many(rows).exec_without_returning(&txn).await?;
    }
    audit::record(
        &txn,
        actor,
        Entry {
            action: "results.publish",
            object_type: "publication",
            object_id: model.id.to_string(),
            before: None,
            after: Some(serde_json::json!({
                "authority": authority.code,
                "period": period,
                "methodology": methodology,
                "organizations": results.len(),
            })),
            ip_hash: None,
        },
    )
    .await?;
    txn.commit().await?;
    Ok(model)
}

/// Publications, newest first (public data: results are published to everyone).
pub async fn list<C: ConnectionTrait>(conn: &C) -> Result<Vec<publication::Model>> {
    Ok(publication::Entity::find()
        .order_by_desc(publication::Column::Period)
        .order_by_desc(publication::Column::Id)
        .all(conn)
        .await?)
}

/// The frozen results of one publication.
pub async fn results<C: ConnectionTrait>(conn: &C, publication_id: i32) -> Result<Vec<published_result::Model>> {
    Ok(published_result::Entity::find()
        .filter(published_result::Column::PublicationId.eq(publication_id))
        .order_by_asc(published_result::Column::OrganizationId)
        .all(conn)
        .await?)
}

/// An organisation's published result for a period, if published.
pub async fn published_for<C: ConnectionTrait>(
    conn: &C,
    organization_id: i32,
    period: i32,
) -> Result<Option<published_result::Model>> {
    Ok(published_result::Entity::find()
        .filter(published_result::Column::OrganizationId.eq(organization_id))
        .filter(published_result::Column::Period.eq(period))
        .order_by_desc(published_result::Column::PublicationId)
        .one(conn)
        .await?)
}

/// One year of an organisation's history.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct YearResult {
    pub period: i32,
    pub total: Option<f64>,
    /// K1…K5.
    pub criteria: Vec<Option<f64>>,
    pub responses: u64,
    /// Frozen published values (otherwise live).
    pub published: bool,
    pub methodology: String,
}

/// An organisation's results by year, newest first: the published snapshot where there is one, the
/// live result otherwise. Public (the organisation must be active).
pub async fn org_history<C: ConnectionTrait>(conn: &C, organization_id: i32) -> Result<Vec<YearResult>> {
    let org = super::organizations::public_by_id(conn, organization_id).await?;
    let public = Actor { scope: Scope::Regions { regions: None }, ..Actor::system() };
    let own = Actor { scope: Scope::Organization { organization_id }, ..Actor::system() };
    let mut periods = aggregates::periods(conn, &own).await?;
    let published: Vec<i32> = published_result::Entity::find()
        .select_only()
        .column(published_result::Column::Period)
        .filter(published_result::Column::OrganizationId.eq(organization_id))
        .into_tuple()
        .all(conn)
        .await?;
    periods.extend(published);
    periods.sort_unstable_by(|a, b| b.cmp(a));
    periods.dedup();
    let filter = ResultFilter { organization_id: Some(org.id), ..ResultFilter::default() };
    let mut out = Vec::new();
    for period in periods {
        let mut results = aggregates::org_results(conn, &public, &filter, period).await?;
        snapshots::overlay(conn, period, &mut results).await?;
        if let Some(r) = results.into_iter().find(|r| r.organization_id == organization_id) {
            out.push(YearResult {
                period,
                total: r.values.total,
                criteria: r.values.criteria.clone(),
                responses: r.responses,
                published: r.published_at.is_some(),
                methodology: r.definition.id.clone(),
            });
        }
    }
    Ok(out)
}
