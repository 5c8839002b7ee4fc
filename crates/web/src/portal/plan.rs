//! The improvement-plan section of the public organisation page: the published plan of the latest year
//! (items with measure, deadline ДД.ММ.ГГГГ, responsible position, status in words, what was done) and
//! its progress «выполнено N из M» with a progress bar. Read with one query
//! (`improvement_plans::published_latest`); nothing is shown when there is no published plan. Drafts
//! never reach this module.

use crate::routes::plans::{criterion_name, day_text, progress_text, shown_name};
use nok_store::Db;
use nok_store::StoreError;
use nok_store::repo::improvement_plans::{self as plans, PublishedPlan, Shown};

/// One item as the page shows it.
pub struct ItemView {
    pub section: String,
    pub shortcoming: String,
    pub measure: String,
    pub deadline: String,
    pub position: String,
    pub status: String,
    pub overdue: bool,
    pub done: bool,
    /// `(ДД.ММ.ГГГГ, what was done)`.
    pub reports: Vec<(String, String)>,
}

/// The section's data.
pub struct PlanView {
    /// «План по устранению недостатков на 2026 год».
    pub title: String,
    pub year: i32,
    pub approved_on: String,
    pub published_on: String,
    pub done: u64,
    pub total: u64,
    pub overdue: u64,
    /// «выполнено N из M».
    pub progress: String,
    pub items: Vec<ItemView>,
}

impl PlanView {
    pub fn new(p: &PublishedPlan) -> PlanView {
        let progress = p.progress();
        PlanView {
            title: nok_i18n::t!("plan-public-title", year = p.year.to_string()),
            year: p.year,
            approved_on: day_text(p.approved_on),
            published_on: day_text(p.published_at),
            done: progress.done,
            total: progress.total,
            overdue: progress.overdue,
            progress: progress_text(progress.done, progress.total),
            items: p
                .items
                .iter()
                .map(|i| ItemView {
                    section: criterion_name(i.criterion.as_deref()),
                    shortcoming: i.shortcoming.clone(),
                    measure: i.measure.clone(),
                    deadline: day_text(i.deadline),
                    position: i.responsible_position.clone(),
                    status: shown_name(i.shown),
                    overdue: i.shown == Shown::Overdue,
                    done: i.shown == Shown::Done,
                    reports: i.progress.iter().map(|(on, what)| (day_text(Some(*on)), what.clone())).collect(),
                })
                .collect(),
        }
    }
}

/// The section of organisation `organization_id`, or `None` when it has no published plan.
pub async fn section(db: &Db, organization_id: i32) -> Result<Option<PlanView>, StoreError> {
    Ok(plans::published_latest(&db.read, organization_id).await?.as_ref().map(PlanView::new))
}
