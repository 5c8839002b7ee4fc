//! The municipalities of a region on its public page: for each municipality (муниципальное образование)
//! the number of active organisations, how many have a published result, and the mean of those totals,
//! ranked by the mean (ties share a place) — as rows of the page and as a CSV / XLSX file. Organisations
//! without a municipality in the registry are not counted.

use super::export::{Cell, Table};
use super::figures::Ranking;
use super::view::{count, points, width};
use nok_methodology::Sphere;
use nok_store::repo::aggregates::{self, Level};

/// One municipality's figures.
pub struct MunicipalityMean {
    pub rank: Option<u32>,
    pub name: String,
    pub organizations: u64,
    pub published: u64,
    /// Mean total of the published results.
    pub total: Option<f64>,
}

/// The municipalities of the organisations of `sphere` (or all): best mean first, then those without a
/// published result, ties in name order.
pub fn means(ranking: &Ranking, sphere: Option<Sphere>) -> Vec<MunicipalityMean> {
    let published = aggregates::aggregate(ranking.published(sphere), Level::Municipality);
    let ranks = aggregates::rank_aggregates(&published);
    let mut out: Vec<MunicipalityMean> = aggregates::aggregate(ranking.in_sphere(sphere), Level::Municipality)
        .into_iter()
        .map(|all| {
            let i = published.iter().position(|p| p.key == all.key);
            MunicipalityMean {
                rank: i.and_then(|i| ranks[i]),
                published: i.map_or(0, |i| published[i].assessed),
                total: i.and_then(|i| published[i].total),
                organizations: all.organizations,
                name: all.key.municipality.unwrap_or_default(),
            }
        })
        .collect();
    out.sort_by_cached_key(|m| (m.rank.is_none(), m.rank, m.name.to_lowercase()));
    out
}

/// A municipality as the page shows it.
pub struct MunicipalityRow {
    pub rank: Option<u32>,
    pub name: String,
    pub organizations: String,
    pub published: String,
    pub total: Option<String>,
    pub width: u8,
}

impl From<&MunicipalityMean> for MunicipalityRow {
    fn from(m: &MunicipalityMean) -> MunicipalityRow {
        MunicipalityRow {
            rank: m.rank,
            name: m.name.clone(),
            organizations: count(m.organizations),
            published: count(m.published),
            total: m.total.map(points),
            width: m.total.map_or(0, width),
        }
    }
}

/// The municipalities as a file: place, municipality, organisations, with a score, mean total.
pub fn table(means: &[MunicipalityMean]) -> Table {
    let mut t = Table::with_headers(&[
        "portal-col-rank",
        "portal-col-municipality",
        "portal-col-organizations",
        "portal-assessed",
        "portal-col-mean-total",
    ]);
    t.rows = means
        .iter()
        .map(|m| {
            vec![
                m.rank.map_or(Cell::Empty, |n| Cell::Count(u64::from(n))),
                Cell::Text(m.name.clone()),
                Cell::Count(m.organizations),
                Cell::Count(m.published),
                m.total.map_or(Cell::Empty, Cell::Number),
            ]
        })
        .collect();
    t
}
