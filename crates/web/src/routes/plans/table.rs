//! `/cabinet/plans`: the improvement plans of one year across the organisations the actor sees — for an
//! authority its region and sphere (its council the same, an operator its contracts, a monitor its
//! regions, staff their own organisation): plan state, founder's approval, items, done and overdue, with
//! totals; search by name or ИНН, a region and a plan-state filter, sorting, pages, and the same rows as
//! CSV or XLSX from `/cabinet/plans/export/{csv|xlsx}`. Overdue items are named in words, not by colour.

use super::{day_text, plan_state_name, progress_text};
use crate::ctx::Ctx;
use crate::error::AppResult;
use crate::portal::export::{Cell, ExportLinks, Table};
use crate::render::page;
use crate::routes::qr::listing::{EXPORT_LIMIT, PER_PAGE, TableQuery};
use crate::state::AppState;
use crate::views::{self, Pager, SortLink};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use nok_store::repo::improvement_plans::{self as plans, ListFilter, ListQuery, ListRow, ListSort, ListSummary};

const PATH: &str = "/cabinet/plans";
const SORTS: [(&str, &str); 6] = [
    ("name", "plan-col-name"),
    ("region", "plan-col-region"),
    ("status", "plan-col-state"),
    ("items", "plan-col-items"),
    ("done", "plan-col-done"),
    ("overdue", "plan-col-overdue"),
];
const COLUMNS: [&str; 10] = [
    "plan-col-name",
    "plan-col-inn",
    "plan-col-region",
    "plan-col-sphere",
    "plan-col-state",
    "plan-col-approved",
    "plan-col-published",
    "plan-col-items",
    "plan-col-done",
    "plan-col-overdue",
];

fn filter_of(q: &TableQuery) -> ListFilter {
    q.plan.as_deref().and_then(ListFilter::from_code).unwrap_or_default()
}

fn store_query(q: &TableQuery, page: u64, per_page: u64) -> ListQuery {
    let sort = match q.sort_key(&SORTS.map(|s| s.0)) {
        Some("region") => ListSort::Region,
        Some("status") => ListSort::Status,
        Some("items") => ListSort::Items,
        Some("done") => ListSort::Done,
        Some("overdue") => ListSort::Overdue,
        _ => ListSort::Name,
    };
    ListQuery {
        year: q.period(),
        q: q.q.clone(),
        region_code: q.region(),
        filter: filter_of(q),
        sort,
        descending: q.descending(),
        page,
        per_page,
    }
}

/// A row as the table shows it.
struct RowView {
    id: i32,
    name: String,
    inn: String,
    region: String,
    state: String,
    approved: String,
    items: u64,
    done: u64,
    overdue: u64,
}

#[derive(Template)]
#[template(path = "plans/list.html")]
struct ListPage {
    ctx: Ctx,
    query: TableQuery,
    year: i32,
    summary_title: String,
    summary: ListSummary,
    summary_progress: String,
    rows: Vec<RowView>,
    total: u64,
    pager: Pager,
    sort_links: Vec<SortLink>,
    regions: Vec<(String, String)>,
    filters: Vec<(String, String)>,
    export: ExportLinks,
}

/// `GET /cabinet/plans`.
pub async fn list(State(state): State<AppState>, ctx: Ctx, Query(query): Query<TableQuery>) -> AppResult<Response> {
    let actor = ctx.require_user()?.clone();
    let sq = store_query(&query, query.page.unwrap_or(1), PER_PAGE);
    let (summary, found) = plans::list(&state.db.read, &actor, &sq).await?;
    let regions = views::region_options(&state).await?;
    let rows = found
        .items
        .iter()
        .map(|r| RowView {
            id: r.organization_id,
            name: r.short_name.clone(),
            inn: r.inn.clone(),
            region: views::region_name(&regions, &r.region_code),
            state: plan_state_name(r.status),
            approved: day_text(r.approved_on),
            items: r.items,
            done: r.done,
            overdue: r.overdue,
        })
        .collect();
    let filters = ListFilter::ALL
        .iter()
        .map(|f| (f.code().to_string(), nok_i18n::t(&format!("plan-filter-{}", f.code()))))
        .collect();
    Ok(page(&ListPage {
        year: sq.year,
        summary_title: nok_i18n::t!("plan-summary", year = sq.year.to_string()),
        summary_progress: progress_text(summary.done, summary.items),
        summary,
        rows,
        total: found.total,
        pager: query.pager(PATH, found.page, found.pages()),
        sort_links: query.sort_links(PATH, &SORTS, "name"),
        export: ExportLinks::new(&format!("{PATH}/export"), &query.href(None, None)),
        regions,
        filters,
        ctx,
        query,
    }))
}

fn export_row(r: &ListRow) -> Vec<Cell> {
    let plan = r.status.is_some();
    let count = |n: u64| if plan { Cell::Count(n) } else { Cell::Empty };
    vec![
        Cell::Text(r.short_name.clone()),
        Cell::Text(r.inn.clone()),
        Cell::Text(r.region_code.clone()),
        Cell::Text(views::sphere_name(&r.sphere)),
        Cell::Text(plan_state_name(r.status)),
        Cell::text(r.approved_on.map(|d| day_text(Some(d)))),
        Cell::text(r.published_at.map(|d| day_text(Some(d)))),
        count(r.items),
        count(r.done),
        count(r.overdue),
    ]
}

/// `GET /cabinet/plans/export/{csv|xlsx}`: every row of the selection.
pub async fn export(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(format): Path<String>,
    Query(query): Query<TableQuery>,
) -> AppResult<Response> {
    let actor = ctx.require_user()?.clone();
    let (_, all) = plans::list(&state.db.read, &actor, &store_query(&query, 1, EXPORT_LIMIT)).await?;
    let mut table = Table::with_headers(&COLUMNS);
    table.rows = all.items.iter().map(export_row).collect();
    table.download(&format, &format!("plans-{}", query.period()))
}
