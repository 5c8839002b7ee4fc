//! The review queue of flagged survey responses (device repeats, bursts from one source): stored but not
//! counted until an authorised body (or an administrator) accepts them — then the counters are updated in
//! the same transaction — or rejects them for good. Only organisations in the reviewer's scope are listed
//! or changed; every decision is audited.

use super::Page;
use super::audit::{self, Entry};
use super::survey::{STATUS_ACCEPTED, STATUS_FLAGGED};
use crate::Db;
use crate::entities::{organization, response};
use crate::error::{Result, StoreError};
use crate::scope::{Actor, Role};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, QueryTrait,
    Select, TransactionTrait,
};
use serde_json::json;
use std::collections::HashMap;

/// Status of a flagged response an authority refused: kept for the record, never counted.
pub const STATUS_REJECTED: &str = "rejected";

/// The queue's condition, exactly as the partial index `response_flagged` states it.
const FLAGGED: &str = "status = 'flagged'";

/// A flagged response with its organisation, as the queue shows it.
#[derive(Clone, Debug)]
pub struct FlaggedRow {
    pub response: response::Model,
    pub organization: organization::Model,
}

/// A decision on a flagged response.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Decision {
    Accept,
    Reject,
}

impl Decision {
    fn status(self) -> &'static str {
        match self {
            Decision::Accept => STATUS_ACCEPTED,
            Decision::Reject => STATUS_REJECTED,
        }
    }

    fn action(self) -> &'static str {
        match self {
            Decision::Accept => "response.accept",
            Decision::Reject => "response.reject",
        }
    }
}

/// Whether the actor's role reviews flagged responses at all (its scope then limits which).
pub fn may_review(actor: &Actor) -> bool {
    matches!(actor.role, Role::Admin | Role::Authority)
}

fn check_role(actor: &Actor) -> Result<()> {
    if may_review(actor) { Ok(()) } else { Err(StoreError::Forbidden) }
}

/// The flagged responses of the organisations the actor reviews, newest first.
fn select(actor: &Actor) -> Result<Select<response::Entity>> {
    check_role(actor)?;
    let in_scope = organization::Entity::find()
        .select_only()
        .column(organization::Column::Id)
        .filter(actor.organization_filter())
        .into_query();
    Ok(response::Entity::find()
        // Written out, not bound: SQLite uses the partial index `response_flagged` (migration m0016) only
        // when the query repeats its condition.
        .filter(Expr::cust(FLAGGED))
        .filter(response::Column::OrganizationId.in_subquery(in_scope))
        .order_by_desc(response::Column::CreatedAt)
        .order_by_asc(response::Column::Id))
}

async fn with_organizations<C: ConnectionTrait>(conn: &C, responses: Vec<response::Model>) -> Result<Vec<FlaggedRow>> {
    let mut org_ids: Vec<i32> = responses.iter().map(|r| r.organization_id).collect();
    org_ids.sort_unstable();
    org_ids.dedup();
    let orgs: HashMap<i32, organization::Model> = organization::Entity::find()
        .filter(organization::Column::Id.is_in(org_ids))
        .all(conn)
        .await?
        .into_iter()
        .map(|o| (o.id, o))
        .collect();
    Ok(responses
        .into_iter()
        .filter_map(|r| {
            orgs.get(&r.organization_id).cloned().map(|organization| FlaggedRow { response: r, organization })
        })
        .collect())
}

/// A page of the flagged responses of the organisations the actor reviews, newest first.
pub async fn list<C: ConnectionTrait>(conn: &C, actor: &Actor, page: u64, per_page: u64) -> Result<Page<FlaggedRow>> {
    let per_page = per_page.clamp(1, 200);
    let page = page.max(1);
    let paginator = select(actor)?.paginate(conn, per_page);
    let total = paginator.num_items().await?;
    let items = with_organizations(conn, paginator.fetch_page(page - 1).await?).await?;
    Ok(Page { items, total, page, per_page })
}

/// Every flagged response the actor reviews (for export), newest first, at most `limit`.
pub async fn export<C: ConnectionTrait>(conn: &C, actor: &Actor, limit: u64) -> Result<Vec<FlaggedRow>> {
    with_organizations(conn, select(actor)?.limit(limit).all(conn).await?).await
}

/// One flagged response of an organisation the actor reviews (`Forbidden` out of scope, `NotFound` when it
/// is no longer flagged).
pub async fn get<C: ConnectionTrait>(conn: &C, actor: &Actor, id: &uuid::Uuid) -> Result<FlaggedRow> {
    check_role(actor)?;
    let response = response::Entity::find_by_id(id.to_string()).one(conn).await?.ok_or(StoreError::NotFound)?;
    let organization =
        organization::Entity::find_by_id(response.organization_id).one(conn).await?.ok_or(StoreError::NotFound)?;
    super::organizations::check_visible(conn, actor, &organization).await?;
    if response.status != STATUS_FLAGGED {
        return Err(StoreError::NotFound);
    }
    Ok(FlaggedRow { response, organization })
}

/// Accepts or rejects one flagged response. Accepting adds it to the live counters in the same
/// transaction. `Conflict` when it is no longer flagged (decided already), `Forbidden` out of scope.
pub async fn decide(db: &Db, actor: &Actor, id: &uuid::Uuid, decision: Decision) -> Result<response::Model> {
    check_role(actor)?;
    let txn = db.write.begin().await?;
    let r = response::Entity::find_by_id(id.to_string()).one(&txn).await?.ok_or(StoreError::NotFound)?;
    let org = organization::Entity::find_by_id(r.organization_id).one(&txn).await?.ok_or(StoreError::NotFound)?;
    super::organizations::check_visible(&txn, actor, &org).await?;
    if r.status != STATUS_FLAGGED {
        return Err(StoreError::Conflict(format!("response {id} is {}, not flagged", r.status)));
    }
    let changed = response::Entity::update_many()
        .col_expr(response::Column::Status, Expr::value(decision.status()))
        .filter(response::Column::Id.eq(r.id.clone()))
        .filter(response::Column::Status.eq(STATUS_FLAGGED))
        .exec(&txn)
        .await?
        .rows_affected;
    if changed != 1 {
        return Err(StoreError::Conflict(format!("response {id} was decided meanwhile")));
    }
    // Accepting counts the response: the status change fires the counter triggers (m0015).
    audit::record(
        &txn,
        actor,
        Entry {
            action: decision.action(),
            object_type: "response",
            object_id: r.id.clone(),
            before: Some(
                json!({ "status": r.status, "flag_reason": r.flag_reason, "organization_id": r.organization_id }),
            ),
            after: Some(json!({ "status": decision.status() })),
            ip_hash: None,
        },
    )
    .await?;
    txn.commit().await?;
    Ok(response::Model { status: decision.status().to_string(), ..r })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::testing;

    #[tokio::test]
    async fn the_queue_reads_the_partial_index() {
        assert_eq!(FLAGGED, format!("status = '{STATUS_FLAGGED}'"));
        for backend in testing::backends() {
            let db = testing::fresh(backend).await;
            let stmt = select(&Actor::system()).unwrap().build(db.backend());
            let plan = testing::query_plan(&db, stmt).await;
            assert!(plan.contains("response_flagged"), "{backend}: {plan}");
        }
    }
}
