//! Coverage of the two-poster rule: `GET /cabinet/coverage` — for the actor's scope, narrowed to a
//! region or an authority, the share of organisations assessed in the period (counted responses or an
//! operator's contract for it) that have posters at the entrance and the main contact point, against the
//! 100 % target; per region and per organisation (sorting, pages, only those missing), exported as CSV
//! or XLSX from `/cabinet/coverage/export/{csv|xlsx}`; the per-region table from
//! `/cabinet/coverage/regions/export/{csv|xlsx}`.

use super::listing::{EXPORT_LIMIT, PER_PAGE, TableQuery};
use crate::ctx::Ctx;
use crate::error::AppResult;
use crate::portal::export::{Cell, Table};
use crate::render::page;
use crate::state::AppState;
use crate::views::{self, Pager, SortLink};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use nok_store::repo::placements::{self, CoverageQuery, CoverageRow, CoverageSort, CoverageSummary};
use nok_store::repo::reference;

const PATH: &str = "/cabinet/coverage";
const SORTS: [(&str, &str); 5] = [
    ("name", "cov-col-name"),
    ("region", "cov-col-region"),
    ("posters", "cov-col-posters"),
    ("verified", "cov-col-verified"),
    ("rule", "cov-col-rule"),
];

fn store_query(q: &TableQuery, page: u64, per_page: u64) -> CoverageQuery {
    let sort = match q.sort_key(&SORTS.map(|s| s.0)) {
        Some("region") => CoverageSort::Region,
        Some("posters") => CoverageSort::Posters,
        Some("verified") => CoverageSort::Verified,
        Some("rule") => CoverageSort::Rule,
        _ => CoverageSort::Name,
    };
    CoverageQuery {
        period: q.period(),
        region_code: q.region(),
        authority_id: q.authority_id(),
        failing_only: q.failing_only(),
        sort,
        descending: q.descending(),
        page,
        per_page,
    }
}

/// A summary as the page shows it.
struct SummaryView {
    region: String,
    assessed: u64,
    meeting: u64,
    share: String,
    on_target: bool,
}

impl SummaryView {
    fn new(s: &CoverageSummary, regions: &[(String, String)]) -> SummaryView {
        SummaryView {
            region: if s.region_code.is_empty() { String::new() } else { views::region_name(regions, &s.region_code) },
            assessed: s.assessed,
            meeting: s.meeting,
            share: format!("{} %", nok_i18n::format_decimal(s.share_percent(), 1)),
            on_target: s.share_percent() >= placements::COVERAGE_TARGET_PERCENT,
        }
    }
}

struct RowView {
    id: i32,
    name: String,
    inn: String,
    region: String,
    posters: u64,
    entrance: bool,
    main_contact: bool,
    verified: u64,
    met: bool,
}

#[derive(Template)]
#[template(path = "qr/coverage.html")]
struct CoveragePage {
    ctx: Ctx,
    query: TableQuery,
    period: i32,
    summary: SummaryView,
    by_region: Vec<SummaryView>,
    rows: Vec<RowView>,
    total: u64,
    pager: Pager,
    sort_links: Vec<SortLink>,
    regions: Vec<(String, String)>,
    authorities: Vec<(String, String)>,
    export_query: String,
    target: String,
}

pub async fn coverage_page(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(query): Query<TableQuery>,
) -> AppResult<Response> {
    let actor = ctx.require_user()?.clone();
    let sq = store_query(&query, query.page.unwrap_or(1), PER_PAGE);
    let (summary, page_data) = placements::coverage(&state.db.read, &actor, &sq).await?;
    let by_region = placements::coverage_by_region(&state.db.read, &actor, &sq).await?;
    let regions = views::region_options(&state).await?;
    let rows = page_data
        .items
        .iter()
        .map(|r| RowView {
            id: r.organization_id,
            name: r.short_name.clone(),
            inn: r.inn.clone(),
            region: views::region_name(&regions, &r.region_code),
            posters: r.posters,
            entrance: r.entrance,
            main_contact: r.main_contact,
            verified: r.verified,
            met: r.rule().met(),
        })
        .collect();
    let authorities =
        reference::authorities(&state.db.read, &actor).await?.into_iter().map(|a| (a.id.to_string(), a.name)).collect();
    Ok(page(&CoveragePage {
        period: query.period(),
        summary: SummaryView::new(&summary, &regions),
        by_region: by_region.iter().map(|s| SummaryView::new(s, &regions)).collect(),
        rows,
        total: page_data.total,
        pager: query.pager(PATH, page_data.page, page_data.pages()),
        sort_links: query.sort_links(PATH, &SORTS, "name"),
        export_query: query.href(None, None),
        target: format!("{} %", nok_i18n::format_decimal(placements::COVERAGE_TARGET_PERCENT, 0)),
        regions,
        authorities,
        ctx,
        query,
    }))
}

fn yes_no(b: bool) -> Cell {
    Cell::Text(nok_i18n::t(if b { "qr-yes" } else { "qr-no" }))
}

fn export_row(r: &CoverageRow) -> Vec<Cell> {
    vec![
        Cell::Text(r.short_name.clone()),
        Cell::Text(r.inn.clone()),
        Cell::Text(r.region_code.clone()),
        Cell::Text(views::sphere_name(&r.sphere)),
        Cell::Count(r.posters),
        yes_no(r.entrance),
        yes_no(r.main_contact),
        Cell::Count(r.verified),
        yes_no(r.rule().met()),
    ]
}

/// `GET /cabinet/coverage/export/{csv|xlsx}`: every row of the selection, then the summary line.
pub async fn coverage_export(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(format): Path<String>,
    Query(query): Query<TableQuery>,
) -> AppResult<Response> {
    let actor = ctx.require_user()?.clone();
    let (summary, all) = placements::coverage(&state.db.read, &actor, &store_query(&query, 1, EXPORT_LIMIT)).await?;
    let headers = [
        "cov-col-name",
        "cov-col-inn",
        "cov-col-region",
        "cov-col-sphere",
        "cov-col-posters",
        "cov-col-entrance",
        "cov-col-main-contact",
        "cov-col-verified",
        "cov-col-rule",
    ]
    .iter()
    .map(|k| nok_i18n::t(k))
    .collect::<Vec<String>>();
    let mut rows: Vec<Vec<Cell>> = all.items.iter().map(export_row).collect();
    rows.push(vec![Cell::Text(nok_i18n::t_args(
        "cov-export-summary",
        &[
            ("period", query.period().into()),
            ("assessed", summary.assessed.into()),
            ("meeting", summary.meeting.into()),
            ("share", nok_i18n::format_decimal(summary.share_percent(), 1).into()),
        ],
    ))]);
    rows.last_mut().expect("the summary row").resize_with(headers.len(), || Cell::Empty);
    Table { headers, rows }.download(&format, &format!("coverage-{}", query.period()))
}

/// `GET /cabinet/coverage/regions/export/{csv|xlsx}`: the per-region table of the selection (code, name,
/// assessed, meeting the rule, share in percent), then the total over the selection.
pub async fn coverage_regions_export(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(format): Path<String>,
    Query(query): Query<TableQuery>,
) -> AppResult<Response> {
    let actor = ctx.require_user()?.clone();
    let sq = store_query(&query, 1, EXPORT_LIMIT);
    let by_region = placements::coverage_by_region(&state.db.read, &actor, &sq).await?;
    // The total is the sum of the regions' rows: no second query over the same selection.
    let summary = CoverageSummary {
        region_code: String::new(),
        assessed: by_region.iter().map(|s| s.assessed).sum(),
        meeting: by_region.iter().map(|s| s.meeting).sum(),
    };
    let regions = views::region_options(&state).await?;
    let row = |code: String, name: String, s: &CoverageSummary| {
        vec![
            Cell::Text(code),
            Cell::Text(name),
            Cell::Count(s.assessed),
            Cell::Count(s.meeting),
            Cell::Number(s.share_percent()),
        ]
    };
    let mut table =
        Table::with_headers(&["cov-col-region-code", "cov-col-region", "cov-assessed", "cov-meeting", "cov-share"]);
    table.rows =
        by_region.iter().map(|s| row(s.region_code.clone(), views::region_name(&regions, &s.region_code), s)).collect();
    table.rows.push(row(String::new(), nok_i18n::t("cov-total"), &summary));
    table.download(&format, &format!("coverage-regions-{}", query.period()))
}
