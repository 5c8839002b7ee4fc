//! The groups of the aggregates page at the chosen level (sphere in a region, region, municipality,
//! authority, country): label, rank by mean total, counts, means of the total, criteria and indicators,
//! sample progress — as rows of the page and as a CSV / XLSX file.

use super::explain::points;
use crate::error::AppResult;
use crate::portal::export::{Cell, Table};
use crate::state::AppState;
use crate::views;
use nok_methodology::Definition;
use nok_store::repo::aggregates::{self, Aggregate, Level, OrgResult};
use nok_store::repo::reference;

/// One group with its label and its rank among the groups of its level.
pub struct Group {
    pub label: String,
    pub rank: Option<u32>,
    pub aggregate: Aggregate,
}

/// The groups of `results` at `level`, in key order.
pub async fn groups(state: &AppState, results: &[OrgResult], level: Level) -> AppResult<Vec<Group>> {
    let regions = views::region_options(state).await?;
    let aggs = aggregates::aggregate(results, level);
    let ranks = aggregates::rank_aggregates(&aggs);
    let mut out = Vec::with_capacity(aggs.len());
    for (aggregate, rank) in aggs.into_iter().zip(ranks) {
        out.push(Group { label: label(state, &aggregate, &regions).await?, rank, aggregate });
    }
    Ok(out)
}

/// «Ярославская область — Образование», «Ярославская область — городской округ город Ярославль», an
/// authority's name, or «Все организации».
async fn label(state: &AppState, a: &Aggregate, regions: &[(String, String)]) -> AppResult<String> {
    let region = a.key.region_code.as_deref().map(|r| views::region_name(regions, r));
    let part = a.key.sphere.map(|s| s.name_ru().to_owned()).or_else(|| a.key.municipality.clone());
    Ok(match (region, part, a.key.authority_id) {
        (Some(r), Some(part), _) => format!("{r} — {part}"),
        (Some(r), None, _) => r,
        (None, _, Some(id)) => {
            reference::authority_by_id(&state.db.read, id).await?.map(|a| a.name).unwrap_or_default()
        }
        (None, _, None) => nok_i18n::t("sc-agg-all"),
    })
}

/// A group as the page shows it (values at the published precision).
pub struct GroupRow {
    pub label: String,
    pub rank: Option<u32>,
    pub organizations: u64,
    pub assessed: u64,
    pub total: String,
    pub criteria: Vec<String>,
    pub indicators: Vec<(String, String)>,
    pub responses: u64,
    pub online: u64,
    pub target: u64,
}

impl Group {
    pub fn row(&self, decimals: u8) -> GroupRow {
        let a = &self.aggregate;
        GroupRow {
            label: self.label.clone(),
            rank: self.rank,
            organizations: a.organizations,
            assessed: a.assessed,
            total: points(a.total, decimals),
            criteria: a.criteria.iter().map(|(_, v)| points(*v, decimals)).collect(),
            indicators: a.indicators.iter().map(|(id, v)| (id.clone(), points(*v, decimals))).collect(),
            responses: a.responses,
            online: a.online_responses,
            target: a.sample_target,
        }
    }
}

/// The groups as a file: rank, group, counts, mean total, K1–K5, every indicator, sample progress.
pub fn table(groups: &[Group]) -> Table {
    let def = Definition::current();
    let mut t = Table::with_headers(&[
        "sc-col-rank",
        "sc-agg-col-group",
        "sc-agg-col-organizations",
        "sc-agg-col-assessed",
        "sc-col-total",
    ]);
    t.headers.extend(def.criteria.iter().map(|c| c.id.clone()));
    t.headers.extend(def.indicators.iter().map(|i| nok_i18n::t!("sc-agg-col-indicator", id = i.id.as_str())));
    t.headers.extend(["sc-col-responses", "sc-col-target", "sc-col-online"].map(nok_i18n::t));
    let number = |v: &Option<f64>| v.map_or(Cell::Empty, Cell::Number);
    t.rows = groups
        .iter()
        .map(|g| {
            let a = &g.aggregate;
            let mut cells = vec![
                g.rank.map_or(Cell::Empty, |n| Cell::Count(u64::from(n))),
                Cell::Text(g.label.clone()),
                Cell::Count(a.organizations),
                Cell::Count(a.assessed),
                number(&a.total),
            ];
            cells.extend(a.criteria.iter().chain(&a.indicators).map(|(_, v)| number(v)));
            cells.extend([a.responses, a.sample_target, a.online_responses].map(Cell::Count));
            cells
        })
        .collect();
    t
}
