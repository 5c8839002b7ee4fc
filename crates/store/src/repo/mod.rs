//! Repositories: the queries of each area, each taking the acting user and checking its scope.

pub mod aggregates;
pub mod appeals;
pub mod audit;
pub mod checklist_evidence;
pub mod checklist_lists;
pub mod checklists;
pub mod chunking;
pub mod feedback;
pub mod flagged;
pub mod images;
pub mod import;
pub mod improvement_plans;
pub mod intake;
pub mod organizations;
pub mod outbox;
pub mod placements;
pub mod publications;
pub mod rating_votes;
pub mod recompute;
pub mod reference;
pub mod reviews;
pub mod scans;
pub mod scores;
pub mod sessions;
pub mod settings;
pub mod snapshots;
pub mod survey;
pub mod survey_stats;
pub mod throttle;
pub mod users;

/// One page of a list.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub total: u64,
    pub page: u64,
    pub per_page: u64,
}

impl<T> Page<T> {
    pub fn pages(&self) -> u64 {
        self.total.div_ceil(self.per_page.max(1)).max(1)
    }
}

/// `value` as the text of one JSON statement parameter: a batch passed this way keeps the statement's text
/// the same for every batch size, so the database prepares it once (`survey`, `intake`). `what` names the
/// value in the error.
pub(crate) fn json_parameter<T: serde::Serialize + ?Sized>(what: &str, value: &T) -> crate::error::Result<String> {
    serde_json::to_string(value).map_err(|e| crate::error::StoreError::Invalid(format!("{what}: {e}")))
}

/// Orders a table of organisations (a select with `id` and `short_name` columns) by the column `key` —
/// ties by name, then id, so pages never overlap — and keeps page `page` (from 1) of `per_page` rows.
pub(crate) fn order_and_page(
    stmt: &mut sea_orm::sea_query::SelectStatement,
    key: &str,
    descending: bool,
    page: u64,
    per_page: u64,
) {
    use sea_orm::sea_query::{Alias, Order};
    stmt.order_by(Alias::new(key), if descending { Order::Desc } else { Order::Asc })
        .order_by(Alias::new("short_name"), Order::Asc)
        .order_by(Alias::new("id"), Order::Asc)
        .limit(per_page)
        .offset((page.max(1) - 1) * per_page);
}
