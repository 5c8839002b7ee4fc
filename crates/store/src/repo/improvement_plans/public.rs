//! The public plan: the latest published one of an organisation, read in one query.

use super::{PlanStatus, Progress, Shown, c, order_key, today};
use crate::error::{Result, StoreError};
use sea_orm::ConnectionTrait;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, JoinType, Order, Query};
use serde::Serialize;

/// A published item as the public sees it (no responsible person's name: only the position).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PublishedItem {
    pub criterion: Option<String>,
    pub shortcoming: String,
    pub measure: String,
    pub deadline: Option<i64>,
    pub responsible_position: String,
    pub shown: Shown,
    /// `(done_on, what was done)`, oldest first.
    pub progress: Vec<(i64, String)>,
}

/// The latest published plan of an organisation.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PublishedPlan {
    pub year: i32,
    pub approved_on: Option<i64>,
    pub published_at: Option<i64>,
    /// In plan order.
    pub items: Vec<PublishedItem>,
}

impl PublishedPlan {
    pub fn progress(&self) -> Progress {
        Progress::of(self.items.iter().map(|i| i.shown))
    }
}

/// The published plan of the latest year of an organisation, if any — one query (the plan, its items
/// and their reports joined), so the organisation page stays cheap.
pub async fn published_latest<C: ConnectionTrait>(conn: &C, organization_id: i32) -> Result<Option<PublishedPlan>> {
    let published = PlanStatus::Published.code();
    let latest = Query::select()
        .expr(Expr::col(Alias::new("year")).max())
        .from(Alias::new("improvement_plan"))
        .and_where(Expr::col(Alias::new("organization_id")).eq(organization_id))
        .and_where(Expr::col(Alias::new("status")).eq(published))
        .to_owned();
    let stmt = Query::select()
        .expr(c("p", "year"))
        .expr(c("p", "approved_on"))
        .expr(c("p", "published_at"))
        .expr(c("i", "id"))
        .expr(c("i", "criterion"))
        .expr(c("i", "shortcoming"))
        .expr(c("i", "measure"))
        .expr(c("i", "deadline"))
        .expr(c("i", "responsible_position"))
        .expr(c("i", "status"))
        .expr(c("g", "done_on"))
        .expr(c("g", "what_done"))
        .from_as(Alias::new("improvement_plan"), Alias::new("p"))
        .join_as(
            JoinType::LeftJoin,
            Alias::new("plan_item"),
            Alias::new("i"),
            c("i", "plan_id").equals((Alias::new("p"), Alias::new("id"))),
        )
        .join_as(
            JoinType::LeftJoin,
            Alias::new("plan_progress"),
            Alias::new("g"),
            c("g", "item_id").equals((Alias::new("i"), Alias::new("id"))),
        )
        .and_where(c("p", "organization_id").eq(organization_id))
        .and_where(c("p", "status").eq(published))
        .and_where(c("p", "year").in_subquery(latest))
        .order_by((Alias::new("i"), Alias::new("id")), Order::Asc)
        .order_by((Alias::new("g"), Alias::new("done_on")), Order::Asc)
        .order_by((Alias::new("g"), Alias::new("id")), Order::Asc)
        .to_owned();
    let rows = conn.query_all(&stmt).await?;
    let Some(first) = rows.first() else { return Ok(None) };
    let get = |e: sea_orm::DbErr| StoreError::Db(e);
    let mut plan = PublishedPlan {
        year: first.try_get_by_index::<i32>(0).map_err(get)?,
        approved_on: first.try_get_by_index::<Option<i64>>(1).map_err(get)?,
        published_at: first.try_get_by_index::<Option<i64>>(2).map_err(get)?,
        items: Vec::new(),
    };
    let today = today();
    let mut keyed: Vec<(i32, PublishedItem)> = Vec::new();
    for r in &rows {
        let Some(id) = r.try_get_by_index::<Option<i32>>(3).map_err(get)? else { continue };
        if keyed.last().is_none_or(|(last, _)| *last != id) {
            let deadline = r.try_get_by_index::<Option<i64>>(7).map_err(get)?;
            let status: String = r.try_get_by_index(9).map_err(get)?;
            keyed.push((
                id,
                PublishedItem {
                    criterion: r.try_get_by_index(4).map_err(get)?,
                    shortcoming: r.try_get_by_index(5).map_err(get)?,
                    measure: r.try_get_by_index::<Option<String>>(6).map_err(get)?.unwrap_or_default(),
                    deadline,
                    responsible_position: r.try_get_by_index::<Option<String>>(8).map_err(get)?.unwrap_or_default(),
                    shown: Shown::of(&status, deadline, today),
                    progress: Vec::new(),
                },
            ));
        }
        if let (Some(done_on), Some(what)) = (
            r.try_get_by_index::<Option<i64>>(10).map_err(get)?,
            r.try_get_by_index::<Option<String>>(11).map_err(get)?,
        ) && let Some((_, item)) = keyed.last_mut()
        {
            item.progress.push((done_on, what));
        }
    }
    keyed.sort_by_key(|(id, i)| order_key(i.criterion.as_deref(), i.deadline, *id));
    plan.items = keyed.into_iter().map(|(_, i)| i).collect();
    Ok(Some(plan))
}
