//! Following plans across organisations: the authority table and its totals.

use super::{ItemStatus, PlanStatus, c, today};
use crate::entities::organization;
use crate::error::{Result, StoreError};
use crate::repo::Page;
use crate::scope::Actor;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Func, JoinType, Query, SelectStatement};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait};
use serde::Serialize;

/// Which organisations the table lists.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ListFilter {
    #[default]
    All,
    /// No plan for the year.
    NoPlan,
    Draft,
    Published,
    /// A plan with overdue items.
    Overdue,
}

impl ListFilter {
    pub const ALL: [ListFilter; 5] =
        [ListFilter::All, ListFilter::NoPlan, ListFilter::Draft, ListFilter::Published, ListFilter::Overdue];

    pub fn code(self) -> &'static str {
        match self {
            ListFilter::All => "all",
            ListFilter::NoPlan => "none",
            ListFilter::Draft => "draft",
            ListFilter::Published => "published",
            ListFilter::Overdue => "overdue",
        }
    }

    pub fn from_code(code: &str) -> Option<ListFilter> {
        ListFilter::ALL.into_iter().find(|f| f.code() == code)
    }
}

/// Sort keys of the plans table.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ListSort {
    #[default]
    Name,
    Region,
    Status,
    Items,
    Done,
    Overdue,
}

/// The plans of the organisations an actor follows, for one year.
#[derive(Clone, Debug, Default)]
pub struct ListQuery {
    pub year: i32,
    /// Part of a name, or an ИНН.
    pub q: Option<String>,
    pub region_code: Option<String>,
    pub filter: ListFilter,
    pub sort: ListSort,
    pub descending: bool,
    pub page: u64,
    pub per_page: u64,
}

/// One organisation of the table.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ListRow {
    pub organization_id: i32,
    pub short_name: String,
    pub inn: String,
    pub region_code: String,
    pub sphere: String,
    /// None: no plan for the year.
    pub status: Option<PlanStatus>,
    pub approved_on: Option<i64>,
    pub published_at: Option<i64>,
    pub items: u64,
    pub done: u64,
    pub overdue: u64,
}

/// Totals over the selection (before the plan filter).
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct ListSummary {
    pub organizations: u64,
    pub with_plan: u64,
    pub published: u64,
    pub items: u64,
    pub done: u64,
    pub overdue: u64,
}

fn count_items(where_: impl FnOnce(&mut SelectStatement)) -> Expr {
    let mut q = Query::select();
    q.expr(c("plan_item", "id").count())
        .from(Alias::new("plan_item"))
        .and_where(c("plan_item", "plan_id").equals((Alias::new("improvement_plan"), Alias::new("id"))));
    where_(&mut q);
    Expr::from(q).cast_as(Alias::new("BIGINT"))
}

/// Active organisations in scope with their plan of the year (if any) and its item counts.
fn list_select(actor: &Actor, q: &ListQuery, today: i64) -> SelectStatement {
    use organization::Column as O;
    let mut cond = actor.organization_filter().add(O::Active.eq(true));
    if let Some(text) = q.q.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        let needle = text.to_lowercase().replace(['%', '_'], " ");
        for word in needle.split_whitespace() {
            cond = cond.add(O::SearchText.contains(word));
        }
    }
    if let Some(r) = &q.region_code {
        cond = cond.add(O::RegionCode.eq(r.clone()));
    }
    let done = ItemStatus::Done.code();
    let status_key = Func::coalesce([c("improvement_plan", "status"), Expr::val("")]);
    let mut s = Query::select();
    s.column((organization::Entity, O::Id))
        .column((organization::Entity, O::ShortName))
        .column((organization::Entity, O::Inn))
        .column((organization::Entity, O::RegionCode))
        .column((organization::Entity, O::Sphere))
        .expr_as(status_key, Alias::new("status_key"))
        .expr_as(c("improvement_plan", "approved_on"), Alias::new("approved_on"))
        .expr_as(c("improvement_plan", "published_at"), Alias::new("published_at"))
        .expr_as(count_items(|_| {}), Alias::new("items"))
        .expr_as(
            count_items(|s| {
                s.and_where(c("plan_item", "status").eq(done));
            }),
            Alias::new("done"),
        )
        .expr_as(
            count_items(|s| {
                s.and_where(c("plan_item", "status").ne(done)).and_where(c("plan_item", "deadline").lt(today));
            }),
            Alias::new("overdue"),
        )
        .from(organization::Entity)
        .join(
            JoinType::LeftJoin,
            Alias::new("improvement_plan"),
            Condition::all()
                .add(c("improvement_plan", "organization_id").equals((organization::Entity, O::Id)))
                .add(c("improvement_plan", "year").eq(q.year)),
        )
        .cond_where(cond);
    s
}

fn opt_i64(r: &sea_orm::QueryResult, i: usize) -> Result<Option<i64>> {
    r.try_get_by_index::<Option<i64>>(i).map_err(StoreError::Db)
}

fn count_at(r: &sea_orm::QueryResult, i: usize) -> Result<u64> {
    Ok(opt_i64(r, i)?.and_then(|v| u64::try_from(v).ok()).unwrap_or(0))
}

fn list_row(r: &sea_orm::QueryResult) -> Result<ListRow> {
    let text = |i: usize| r.try_get_by_index::<String>(i).map_err(StoreError::Db);
    Ok(ListRow {
        organization_id: r.try_get_by_index::<i32>(0).map_err(StoreError::Db)?,
        short_name: text(1)?,
        inn: text(2)?,
        region_code: text(3)?,
        sphere: text(4)?,
        status: PlanStatus::from_code(&text(5)?),
        approved_on: opt_i64(r, 6)?,
        published_at: opt_i64(r, 7)?,
        items: count_at(r, 8)?,
        done: count_at(r, 9)?,
        overdue: count_at(r, 10)?,
    })
}

/// The plans of the year of the active organisations the actor sees (narrowed by the query): a page of
/// rows and the totals. Every role may call it; the scope decides what is in it.
pub async fn list<C: ConnectionTrait>(conn: &C, actor: &Actor, q: &ListQuery) -> Result<(ListSummary, Page<ListRow>)> {
    let inner = list_select(actor, q, today());
    let sum = |col: &str| Expr::col(Alias::new(col)).sum().cast_as(Alias::new("BIGINT"));
    let has_plan = Expr::case(Expr::col(Alias::new("status_key")).ne(""), Expr::val(1i64)).finally(Expr::val(0i64));
    let is_published =
        Expr::case(Expr::col(Alias::new("status_key")).eq(PlanStatus::Published.code()), Expr::val(1i64))
            .finally(Expr::val(0i64));
    let summary_stmt = Query::select()
        .expr(Expr::col(Alias::new("id")).count().cast_as(Alias::new("BIGINT")))
        .expr(Into::<Expr>::into(has_plan).sum().cast_as(Alias::new("BIGINT")))
        .expr(Into::<Expr>::into(is_published).sum().cast_as(Alias::new("BIGINT")))
        .expr(sum("items"))
        .expr(sum("done"))
        .expr(sum("overdue"))
        .from_subquery(inner.clone(), Alias::new("t"))
        .to_owned();
    let summary = match conn.query_one(&summary_stmt).await? {
        Some(r) => ListSummary {
            organizations: count_at(&r, 0)?,
            with_plan: count_at(&r, 1)?,
            published: count_at(&r, 2)?,
            items: count_at(&r, 3)?,
            done: count_at(&r, 4)?,
            overdue: count_at(&r, 5)?,
        },
        None => ListSummary::default(),
    };
    let mut rows_stmt = Query::select();
    rows_stmt
        .columns(
            [
                "id",
                "short_name",
                "inn",
                "region_code",
                "sphere",
                "status_key",
                "approved_on",
                "published_at",
                "items",
                "done",
                "overdue",
            ]
            .map(Alias::new),
        )
        .from_subquery(inner.clone(), Alias::new("t"));
    let status = Expr::col(Alias::new("status_key"));
    match q.filter {
        ListFilter::All => {}
        ListFilter::NoPlan => {
            rows_stmt.and_where(status.eq(""));
        }
        ListFilter::Draft => {
            rows_stmt.and_where(status.eq(PlanStatus::Draft.code()));
        }
        ListFilter::Published => {
            rows_stmt.and_where(status.eq(PlanStatus::Published.code()));
        }
        ListFilter::Overdue => {
            rows_stmt.and_where(Expr::col(Alias::new("overdue")).gt(0));
        }
    }
    let mut count_stmt = rows_stmt.clone();
    count_stmt.clear_selects().expr(Expr::col(Alias::new("id")).count().cast_as(Alias::new("BIGINT")));
    let total = match conn.query_one(&count_stmt).await? {
        Some(r) => count_at(&r, 0)?,
        None => 0,
    };
    let per_page = q.per_page.clamp(1, 100_000);
    let page = Ord::max(q.page, 1);
    let key = match q.sort {
        ListSort::Name => "short_name",
        ListSort::Region => "region_code",
        ListSort::Status => "status_key",
        ListSort::Items => "items",
        ListSort::Done => "done",
        ListSort::Overdue => "overdue",
    };
    crate::repo::order_and_page(&mut rows_stmt, key, q.descending, page, per_page);
    let items = conn.query_all(&rows_stmt).await?.iter().map(list_row).collect::<Result<Vec<_>>>()?;
    Ok((summary, Page { items, total, page, per_page }))
}
