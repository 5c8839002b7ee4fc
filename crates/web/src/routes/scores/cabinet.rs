//! The cabinet list of organisations with their live scores and sample progress: filters (period,
//! region, sphere), sortable columns, pagination, CSV and XLSX export of the whole filtered list.

use super::explain::points;
use crate::ctx::Ctx;
use crate::error::AppResult;
use crate::portal::export::{Cell, Table};
use crate::state::AppState;
use crate::views::{self, Pager, SortLink};
use axum::response::Response;
use nok_methodology::Definition;
use nok_store::Actor;
use nok_store::repo::aggregates::{self, Level, OrgResult, ResultFilter};
use serde::Deserialize;
use std::cmp::Ordering;

/// Rows per page.
const PER_PAGE: usize = 50;

#[derive(Deserialize, Default, Clone)]
pub struct ListQuery {
    pub period: Option<i32>,
    pub region: Option<String>,
    pub sphere: Option<String>,
    pub sort: Option<String>,
    pub dir: Option<String>,
    pub page: Option<usize>,
}

fn non_empty(s: &Option<String>) -> Option<String> {
    s.as_ref().map(|v| v.trim().to_owned()).filter(|v| !v.is_empty())
}

impl ListQuery {
    pub fn period(&self) -> i32 {
        self.period.unwrap_or_else(crate::portal::current_period)
    }

    fn filter(&self) -> ResultFilter {
        ResultFilter {
            region_code: non_empty(&self.region),
            sphere: non_empty(&self.sphere),
            ..ResultFilter::default()
        }
    }

    /// The query string with another sort or page.
    pub fn href(&self, sort: Option<&str>, dir: Option<&str>, page: Option<usize>) -> String {
        let mut pairs: Vec<(&str, String)> = vec![("period", self.period().to_string())];
        for (k, v) in [("region", &self.region), ("sphere", &self.sphere)] {
            if let Some(v) = non_empty(v) {
                pairs.push((k, v));
            }
        }
        if let Some(s) = sort.map(str::to_owned).or_else(|| self.sort.clone()) {
            pairs.push(("sort", s));
        }
        if let Some(d) = dir.map(str::to_owned).or_else(|| self.dir.clone()) {
            pairs.push(("dir", d));
        }
        if let Some(p) = page {
            pairs.push(("page", p.to_string()));
        }
        serde_urlencoded::to_string(&pairs).unwrap_or_default()
    }
}

/// One organisation as the list shows it.
pub struct Row {
    pub id: i32,
    pub name: String,
    pub sphere: String,
    pub region: String,
    pub total: String,
    pub criteria: Vec<String>,
    pub responses: u64,
    pub target: u64,
    pub progress_percent: u64,
    pub target_met: bool,
    pub online: u64,
    pub online_share: String,
    /// «цель N (20 %)».
    pub online_target_text: String,
    pub online_met: bool,
    pub checklist: bool,
    pub rank: Option<u32>,
}

/// Sortable columns: `(key, catalogue id of the header)`.
const SORTS: [(&str, &str); 8] = [
    ("name", "sc-col-name"),
    ("total", "sc-col-total"),
    ("k1", "K1"),
    ("k2", "K2"),
    ("k3", "K3"),
    ("k4", "K4"),
    ("k5", "K5"),
    ("responses", "sc-col-responses"),
];

fn by_value(a: Option<f64>, b: Option<f64>) -> Ordering {
    // Values first (ascending), organisations without data last.
    match (a, b) {
        (Some(a), Some(b)) => a.total_cmp(&b),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    }
}

fn sort(results: &mut [OrgResult], key: &str, descending: bool) {
    let criterion = |r: &OrgResult, i: usize| r.values.criteria.get(i).copied().flatten();
    results.sort_by(|a, b| {
        let o = match key {
            "total" => by_value(a.values.total, b.values.total),
            "responses" => a.responses.cmp(&b.responses),
            k if k.len() == 2 && k.starts_with('k') => {
                let i = usize::from(k.as_bytes()[1].saturating_sub(b'1'));
                by_value(criterion(a, i), criterion(b, i))
            }
            _ => a.short_name.to_lowercase().cmp(&b.short_name.to_lowercase()),
        };
        if descending { o.reverse() } else { o }
    });
}

/// The filtered results of the period, sorted as asked.
pub async fn results(state: &AppState, actor: &Actor, q: &ListQuery) -> AppResult<Vec<OrgResult>> {
    let mut results = aggregates::org_results(&state.db.read, actor, &q.filter(), q.period()).await?;
    sort(&mut results, q.sort.as_deref().unwrap_or("name"), q.dir.as_deref() == Some("desc"));
    Ok(results)
}

fn percent(part: u64, whole: u64) -> u64 {
    (part * 100).checked_div(whole).map_or(100, |p| p.min(100))
}

/// The rows of a page, with the rank of each organisation within its sphere in its region.
pub fn rows(all: &[OrgResult], page: usize, regions: &[(String, String)]) -> Vec<Row> {
    let ranks = aggregates::rank_organizations(all, Level::SphereInRegion);
    let decimals = Definition::current().decimals;
    all.iter()
        .skip((page - 1) * PER_PAGE)
        .take(PER_PAGE)
        .map(|r| {
            let p = r.progress();
            Row {
                id: r.organization_id,
                name: r.short_name.clone(),
                sphere: r.sphere.name_ru().to_owned(),
                region: views::region_name(regions, &r.region_code),
                total: points(r.values.total, decimals),
                criteria: r.criteria().map(|(_, v)| points(v, decimals)).collect(),
                responses: r.responses,
                target: p.target,
                progress_percent: percent(p.collected, p.target),
                target_met: p.target_met(),
                online: r.online_responses,
                online_share: if r.responses == 0 {
                    "—".to_owned()
                } else {
                    format!("{} %", nok_i18n::format_decimal(r.online_responses as f64 * 100.0 / r.responses as f64, 0))
                },
                online_target_text: nok_i18n::t!("sc-online-target", n = p.online_target),
                online_met: p.online_met(),
                checklist: r.checklist_recorded,
                rank: ranks.get(&r.organization_id).copied(),
            }
        })
        .collect()
}

/// Column headers that sort by their column (again: reversed), with `aria-sort`.
pub fn sort_links(q: &ListQuery) -> Vec<SortLink> {
    let current = q.sort.as_deref().unwrap_or("name");
    let desc = q.dir.as_deref() == Some("desc");
    SORTS
        .iter()
        .map(|(key, label)| {
            let active = *key == current;
            let next = if active && !desc { "desc" } else { "asc" };
            SortLink {
                label: if label.starts_with('K') { (*label).to_owned() } else { nok_i18n::t(label) },
                href: format!("/cabinet/scores?{}", q.href(Some(key), Some(next), None)),
                aria_sort: match (active, desc) {
                    (true, false) => "ascending",
                    (true, true) => "descending",
                    _ => "none",
                },
            }
        })
        .collect()
}

pub fn pager(q: &ListQuery, total: usize) -> Pager {
    let pages = total.div_ceil(PER_PAGE).max(1) as u64;
    Pager::new(q.page.unwrap_or(1).clamp(1, pages as usize) as u64, pages, |p| {
        format!("/cabinet/scores?{}", q.href(None, None, Some(p as usize)))
    })
}

/// Totals over the filtered list: mean total of the assessed, responses, online.
pub struct Summary {
    pub mean: String,
    pub assessed: u64,
    pub organizations: u64,
    pub responses: u64,
    pub online: u64,
    pub target: u64,
}

pub fn summary(all: &[OrgResult]) -> Summary {
    let agg = aggregates::aggregate(all, Level::Country).into_iter().next();
    Summary {
        mean: points(agg.as_ref().and_then(|a| a.total), Definition::current().decimals),
        assessed: agg.as_ref().map_or(0, |a| a.assessed),
        organizations: all.len() as u64,
        responses: agg.as_ref().map_or(0, |a| a.responses),
        online: agg.as_ref().map_or(0, |a| a.online_responses),
        target: agg.as_ref().map_or(0, |a| a.sample_target),
    }
}

/// The whole filtered list as a table for CSV / XLSX.
pub fn table(all: &[OrgResult], regions: &[(String, String)]) -> Table {
    let mut headers: Vec<String> = ["sc-col-name", "col-public_id", "sc-col-sphere", "sc-col-region", "sc-col-total"]
        .iter()
        .map(|k| nok_i18n::t(k))
        .collect();
    headers.extend(Definition::current().criteria.iter().map(|c| c.id.clone()));
    headers.extend(
        ["sc-col-responses", "sc-col-target", "sc-col-online", "sc-col-checklist", "sc-col-rank"]
            .iter()
            .map(|k| nok_i18n::t(k)),
    );
    let ranks = aggregates::rank_organizations(all, Level::SphereInRegion);
    let number = |v: Option<f64>| v.map_or(Cell::Empty, Cell::Number);
    let rows = all
        .iter()
        .map(|r| {
            let mut cells = vec![
                Cell::Text(r.short_name.clone()),
                Cell::Text(r.public_id.clone()),
                Cell::Text(r.sphere.name_ru().to_owned()),
                Cell::Text(views::region_name(regions, &r.region_code)),
                number(r.values.total),
            ];
            cells.extend(r.criteria().map(|(_, v)| number(v)));
            cells.push(Cell::Count(r.responses));
            cells.push(Cell::Count(r.progress().target));
            cells.push(Cell::Count(r.online_responses));
            cells.push(Cell::Text(nok_i18n::t(if r.checklist_recorded {
                "sc-checklist-yes"
            } else {
                "sc-checklist-no"
            })));
            cells.push(ranks.get(&r.organization_id).map_or(Cell::Empty, |n| Cell::Count(u64::from(*n))));
            cells
        })
        .collect();
    Table { headers, rows }
}

/// The list downloaded as `{base_name}.{format}` (csv or xlsx).
pub fn export(all: &[OrgResult], regions: &[(String, String)], format: &str, base_name: &str) -> AppResult<Response> {
    table(all, regions).download(format, base_name)
}

/// The periods offered: those with counters in the actor's scope, and the current one.
pub async fn periods(state: &AppState, ctx: &Ctx) -> AppResult<Vec<i32>> {
    let actor = ctx.require_user()?;
    let mut periods = aggregates::periods(&state.db.read, actor).await?;
    let current = crate::portal::current_period();
    if !periods.contains(&current) {
        periods.insert(0, current);
    }
    periods.sort_unstable_by(|a, b| b.cmp(a));
    Ok(periods)
}
