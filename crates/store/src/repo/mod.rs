//! Repositories: the queries of each area, each taking the acting user and checking its scope.

pub mod aggregates;
pub mod appeals;
pub mod audit;
pub mod checklists;
pub mod counters;
pub mod feedback;
pub mod flagged;
pub mod images;
pub mod import;
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
