//! Improvement plans (планы по устранению недостатков, methodology §6, the form of ПП РФ № 457): one plan
//! per organisation and assessment year, draft → published, with the founder's approval date; its items
//! (shortcoming, measure, planned deadline, responsible person, status) and progress reports on them
//! (what was actually done and when). «Overdue» is computed from the deadline — an item not done whose
//! deadline is before today (Moscow date) — and never stored.
//!
//! Shortcomings are offered from the organisation's checklist of the year (every absent item) and from
//! its indicators below [`LOW_INDICATOR_POINTS`] that no checklist item already explains.
//!
//! Scope: reading needs the organisation in the actor's scope (staff their own, an authority or its
//! council its region and sphere, an operator its contracts, a monitor its regions), drafts included;
//! changing is for the organisation's own staff and administrators only. Every change is audited under
//! the plan (`improvement_plan`, `{organization}/{year}`). The public reads published plans only, through
//! [`published_latest`] — one query.

mod edit;
mod input;
mod progress;
mod public;
mod shortcomings;
mod table;

pub use edit::{add_item, create, delete_item, publish, set_approval, update_item};
pub use input::{FieldError, ItemInput, ProgressInput};
pub use progress::add_progress;
pub use public::{PublishedItem, PublishedPlan, published_latest};
pub use shortcomings::{Offer, add_offers, offers};
pub use table::{ListFilter, ListQuery, ListRow, ListSort, ListSummary, list};

use crate::entities::{improvement_plan, organization, plan_item, plan_progress};
use crate::error::Result;
use crate::repo::audit;
use crate::repo::organizations;
use crate::scope::{Actor, Role, Scope};
use crate::time_util::to_datetime;
use sea_orm::sea_query::{Alias, Expr};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use serde::Serialize;
use std::collections::HashMap;

/// Indicators below this many points are offered as shortcomings [C: the «отлично» band of the regional
/// quality levels starts above 80].
pub const LOW_INDICATOR_POINTS: f64 = 80.0;
/// Longest shortcoming, measure or progress text kept (characters).
pub const MAX_TEXT_CHARS: usize = 2000;
/// Longest name or position kept (characters).
pub const MAX_NAME_CHARS: usize = 200;

/// Where a plan is in its life.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PlanStatus {
    Draft,
    Published,
}

impl PlanStatus {
    pub fn code(self) -> &'static str {
        match self {
            PlanStatus::Draft => "draft",
            PlanStatus::Published => "published",
        }
    }

    pub fn from_code(code: &str) -> Option<PlanStatus> {
        [PlanStatus::Draft, PlanStatus::Published].into_iter().find(|s| s.code() == code)
    }
}

/// The stored status of an item.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemStatus {
    Planned,
    InProgress,
    Done,
}

impl ItemStatus {
    pub const ALL: [ItemStatus; 3] = [ItemStatus::Planned, ItemStatus::InProgress, ItemStatus::Done];

    pub fn code(self) -> &'static str {
        match self {
            ItemStatus::Planned => "planned",
            ItemStatus::InProgress => "in_progress",
            ItemStatus::Done => "done",
        }
    }

    pub fn from_code(code: &str) -> Option<ItemStatus> {
        ItemStatus::ALL.into_iter().find(|s| s.code() == code)
    }
}

/// The status as shown: the stored one, or overdue when the deadline has passed and it is not done.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Shown {
    Planned,
    InProgress,
    Done,
    Overdue,
}

impl Shown {
    pub fn code(self) -> &'static str {
        match self {
            Shown::Planned => "planned",
            Shown::InProgress => "in_progress",
            Shown::Done => "done",
            Shown::Overdue => "overdue",
        }
    }

    /// The status of an item stored as `status` with `deadline`, on `today` (see [`today`]).
    pub fn of(status: &str, deadline: Option<i64>, today: i64) -> Shown {
        match ItemStatus::from_code(status) {
            Some(ItemStatus::Done) => Shown::Done,
            _ if deadline.is_some_and(|d| d < today) => Shown::Overdue,
            Some(ItemStatus::InProgress) => Shown::InProgress,
            _ => Shown::Planned,
        }
    }
}

/// Where an offered shortcoming came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SourceKind {
    /// An absent item of the checklist.
    Checklist,
    /// An indicator below [`LOW_INDICATOR_POINTS`].
    Indicator,
}

impl SourceKind {
    pub fn code(self) -> &'static str {
        match self {
            SourceKind::Checklist => "checklist",
            SourceKind::Indicator => "indicator",
        }
    }

    pub fn from_code(code: &str) -> Option<SourceKind> {
        [SourceKind::Checklist, SourceKind::Indicator].into_iter().find(|s| s.code() == code)
    }
}

/// Today's date in Moscow (how deadlines are read), as Unix seconds at midnight UTC like stored dates.
pub fn today() -> i64 {
    let msk = time::UtcOffset::from_hms(3, 0, 0).expect("valid offset");
    let date = time::OffsetDateTime::now_utc().to_offset(msk).date();
    date.midnight().assume_utc().unix_timestamp()
}

/// A date as stored: Unix seconds at midnight UTC.
pub fn day(date: time::Date) -> i64 {
    date.midnight().assume_utc().unix_timestamp()
}

/// Items done, in work, planned and overdue, of how many.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Progress {
    pub total: u64,
    pub done: u64,
    pub in_progress: u64,
    pub planned: u64,
    pub overdue: u64,
}

impl Progress {
    pub fn of(shown: impl IntoIterator<Item = Shown>) -> Progress {
        let mut p = Progress::default();
        for s in shown {
            p.total += 1;
            match s {
                Shown::Done => p.done += 1,
                Shown::InProgress => p.in_progress += 1,
                Shown::Planned => p.planned += 1,
                Shown::Overdue => p.overdue += 1,
            }
        }
        p
    }

    /// Share of items done, percent (0 for an empty plan).
    pub fn percent_done(&self) -> f64 {
        if self.total == 0 { 0.0 } else { self.done as f64 * 100.0 / self.total as f64 }
    }
}

/// An item with its progress reports and its status as shown.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ItemRow {
    pub item: plan_item::Model,
    /// Oldest first.
    pub progress: Vec<plan_progress::Model>,
    pub shown: Shown,
}

impl ItemRow {
    /// Whether every field a published plan needs is filled in.
    pub fn complete(&self) -> bool {
        item_complete(
            self.item.measure.as_deref(),
            self.item.deadline,
            self.item.responsible_name.as_deref(),
            self.item.responsible_position.as_deref(),
        )
    }
}

fn item_complete(measure: Option<&str>, deadline: Option<i64>, name: Option<&str>, position: Option<&str>) -> bool {
    let filled = |s: Option<&str>| s.is_some_and(|s| !s.trim().is_empty());
    filled(measure) && deadline.is_some() && filled(name) && filled(position)
}

/// The plan of an organisation for a year as the cabinet shows it (no row when not created yet).
#[derive(Clone, Debug)]
pub struct Plan {
    pub organization: organization::Model,
    pub year: i32,
    pub record: Option<improvement_plan::Model>,
    /// In plan order: by section (criterion), then deadline, then when added.
    pub items: Vec<ItemRow>,
    /// Whether the acting user may change it.
    pub may_edit: bool,
}

impl Plan {
    pub fn status(&self) -> Option<PlanStatus> {
        self.record.as_ref().and_then(|r| PlanStatus::from_code(&r.status))
    }

    pub fn progress(&self) -> Progress {
        Progress::of(self.items.iter().map(|i| i.shown))
    }

    /// Items still missing a measure, deadline or responsible person.
    pub fn incomplete(&self) -> Vec<&ItemRow> {
        self.items.iter().filter(|i| !i.complete()).collect()
    }

    pub fn item(&self, id: i32) -> Option<&ItemRow> {
        self.items.iter().find(|i| i.item.id == id)
    }
}

/// Plan order: section (criterion; none last), deadline (none last), then id.
pub(super) fn order_key(criterion: Option<&str>, deadline: Option<i64>, id: i32) -> (bool, String, bool, i64, i32) {
    (criterion.is_none(), criterion.unwrap_or_default().to_string(), deadline.is_none(), deadline.unwrap_or(0), id)
}

/// Whether the actor may change the plans of `organization_id` (its own staff and administrators).
pub fn may_edit(actor: &Actor, organization_id: i32) -> bool {
    match (actor.role, &actor.scope) {
        (Role::Admin, Scope::All) => true,
        (Role::Staff, Scope::Organization { organization_id: own }) => *own == organization_id,
        _ => false,
    }
}

/// The plan of an organisation the actor sees, for `year` (empty when not created yet).
pub async fn get<C: ConnectionTrait>(conn: &C, actor: &Actor, organization_id: i32, year: i32) -> Result<Plan> {
    let org = organizations::get(conn, actor, organization_id).await?;
    let mut plan = load(conn, org, year).await?;
    plan.may_edit = may_edit(actor, organization_id);
    Ok(plan)
}

/// Loads a plan without a scope check (callers have checked it).
pub(super) async fn load<C: ConnectionTrait>(conn: &C, org: organization::Model, year: i32) -> Result<Plan> {
    let record = improvement_plan::Entity::find()
        .filter(improvement_plan::Column::OrganizationId.eq(org.id))
        .filter(improvement_plan::Column::Year.eq(year))
        .one(conn)
        .await?;
    let mut items = Vec::new();
    if let Some(r) = &record {
        let rows = plan_item::Entity::find().filter(plan_item::Column::PlanId.eq(r.id)).all(conn).await?;
        let ids: Vec<i32> = rows.iter().map(|i| i.id).collect();
        let mut progress: HashMap<i32, Vec<plan_progress::Model>> = HashMap::new();
        for chunk in ids.chunks(500) {
            let reports = plan_progress::Entity::find()
                .filter(plan_progress::Column::ItemId.is_in(chunk.iter().copied()))
                .order_by_asc(plan_progress::Column::DoneOn)
                .order_by_asc(plan_progress::Column::Id)
                .all(conn)
                .await?;
            for p in reports {
                progress.entry(p.item_id).or_default().push(p);
            }
        }
        let today = today();
        items = rows
            .into_iter()
            .map(|item| ItemRow {
                shown: Shown::of(&item.status, item.deadline, today),
                progress: progress.remove(&item.id).unwrap_or_default(),
                item,
            })
            .collect();
        items.sort_by_key(|i| order_key(i.item.criterion.as_deref(), i.item.deadline, i.item.id));
    }
    Ok(Plan { organization: org, year, record, items, may_edit: false })
}

/// The audit object of a plan.
pub(super) fn object_id(organization_id: i32, year: i32) -> String {
    format!("{organization_id}/{year}")
}

/// A column of a joined table.
pub(super) fn c(table: &str, column: &str) -> Expr {
    Expr::col((Alias::new(table), Alias::new(column)))
}

/// The change history of a plan the actor sees, newest first.
pub async fn history<C: ConnectionTrait>(
    conn: &C,
    actor: &Actor,
    organization_id: i32,
    year: i32,
) -> Result<Vec<audit::HistoryEntry>> {
    audit::yearly_history(conn, actor, "improvement_plan", organization_id, year).await
}

/// A date as `ГГГГ-ММ-ДД` (for the API and date inputs).
pub fn iso_date(ts: i64) -> String {
    let d = to_datetime(ts).date();
    format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
}
