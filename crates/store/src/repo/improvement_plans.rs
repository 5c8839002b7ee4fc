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

use super::Page;
use super::aggregates::{self, ResultFilter};
use super::audit::{self, Entry};
use super::{checklists, organizations, snapshots};
use crate::Db;
use crate::entities::{improvement_plan, organization, plan_item, plan_progress};
use crate::error::{Result, StoreError};
use crate::scope::{Actor, Role, Scope};
use crate::time_util::{now, to_datetime};
use nok_methodology::ChecklistSection;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Func, JoinType, Order, Query, SelectStatement};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, TransactionTrait,
};
use serde::Serialize;
use std::collections::{BTreeSet, HashMap};

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
fn order_key(criterion: Option<&str>, deadline: Option<i64>, id: i32) -> (bool, String, bool, i64, i32) {
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
async fn load<C: ConnectionTrait>(conn: &C, org: organization::Model, year: i32) -> Result<Plan> {
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

/// A field that failed validation, with a short reason code (`plan-err-{code}` in the catalogue).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldError {
    pub field: &'static str,
    pub code: &'static str,
}

fn invalid(errors: &[FieldError]) -> StoreError {
    StoreError::Invalid(errors.iter().map(|e| format!("{}: {}", e.field, e.code)).collect::<Vec<_>>().join("; "))
}

/// Trimmed text, empty → none.
fn clean(text: &Option<String>) -> Option<String> {
    text.as_deref().map(str::trim).filter(|t| !t.is_empty()).map(str::to_string)
}

fn check_len(errors: &mut Vec<FieldError>, field: &'static str, text: &Option<String>, max: usize) {
    if text.as_deref().is_some_and(|t| t.chars().count() > max) {
        errors.push(FieldError { field, code: "too-long" });
    }
}

/// Whether a stored date is a plausible one (years 2000–2100).
fn plausible_day(ts: i64) -> bool {
    (946_684_800..=4_133_980_799).contains(&ts)
}

/// An item as entered in the form.
#[derive(Clone, Debug, PartialEq)]
pub struct ItemInput {
    /// `K1`…`K5` of the methodology, or none.
    pub criterion: Option<String>,
    pub shortcoming: Option<String>,
    pub measure: Option<String>,
    /// Unix seconds at midnight UTC (see [`day`]).
    pub deadline: Option<i64>,
    pub responsible_name: Option<String>,
    pub responsible_position: Option<String>,
    pub status: ItemStatus,
}

impl Default for ItemInput {
    fn default() -> Self {
        ItemInput {
            criterion: None,
            shortcoming: None,
            measure: None,
            deadline: None,
            responsible_name: None,
            responsible_position: None,
            status: ItemStatus::Planned,
        }
    }
}

impl ItemInput {
    fn normalized(&self) -> ItemInput {
        ItemInput {
            criterion: clean(&self.criterion),
            shortcoming: clean(&self.shortcoming),
            measure: clean(&self.measure),
            deadline: self.deadline,
            responsible_name: clean(&self.responsible_name),
            responsible_position: clean(&self.responsible_position),
            status: self.status,
        }
    }

    /// Everything wrong with the input. A published plan needs every field (`complete`); a draft only
    /// the shortcoming.
    pub fn validate(&self, complete: bool) -> Vec<FieldError> {
        let s = self.normalized();
        let mut errors = Vec::new();
        if let Some(c) = &s.criterion
            && nok_methodology::Definition::current().criterion(c).is_none()
        {
            errors.push(FieldError { field: "criterion", code: "criterion" });
        }
        if s.shortcoming.is_none() {
            errors.push(FieldError { field: "shortcoming", code: "required" });
        }
        check_len(&mut errors, "shortcoming", &s.shortcoming, MAX_TEXT_CHARS);
        check_len(&mut errors, "measure", &s.measure, MAX_TEXT_CHARS);
        check_len(&mut errors, "responsible_name", &s.responsible_name, MAX_NAME_CHARS);
        check_len(&mut errors, "responsible_position", &s.responsible_position, MAX_NAME_CHARS);
        if s.deadline.is_some_and(|d| !plausible_day(d)) {
            errors.push(FieldError { field: "deadline", code: "date" });
        }
        if complete || s.status != ItemStatus::Planned {
            for (field, missing) in [
                ("measure", s.measure.is_none()),
                ("deadline", s.deadline.is_none()),
                ("responsible_name", s.responsible_name.is_none()),
                ("responsible_position", s.responsible_position.is_none()),
            ] {
                if missing && !errors.iter().any(|e| e.field == field) {
                    errors.push(FieldError { field, code: if complete { "required-published" } else { "required" } });
                }
            }
        }
        errors
    }
}

/// A progress report as entered.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ProgressInput {
    /// The day it was done (Unix seconds at midnight UTC).
    pub done_on: Option<i64>,
    /// What was actually done.
    pub what_done: Option<String>,
    pub details: Option<String>,
    /// The measure is fully carried out: the item becomes done.
    pub complete: bool,
}

impl ProgressInput {
    /// Everything wrong with the report (`today` as from [`today`]).
    pub fn validate(&self, today: i64) -> Vec<FieldError> {
        let mut errors = Vec::new();
        match self.done_on {
            None => errors.push(FieldError { field: "done_on", code: "required" }),
            Some(d) if !plausible_day(d) => errors.push(FieldError { field: "done_on", code: "date" }),
            Some(d) if d > today => errors.push(FieldError { field: "done_on", code: "future" }),
            Some(_) => {}
        }
        let what = clean(&self.what_done);
        if what.is_none() {
            errors.push(FieldError { field: "what_done", code: "required" });
        }
        check_len(&mut errors, "what_done", &what, MAX_TEXT_CHARS);
        check_len(&mut errors, "details", &clean(&self.details), MAX_TEXT_CHARS);
        errors
    }
}

fn object_id(organization_id: i32, year: i32) -> String {
    format!("{organization_id}/{year}")
}

async fn record<C: ConnectionTrait>(
    conn: &C,
    actor: &Actor,
    action: &str,
    organization_id: i32,
    year: i32,
    before: Option<serde_json::Value>,
    after: Option<serde_json::Value>,
) -> Result<()> {
    audit::record(
        conn,
        actor,
        Entry {
            action,
            object_type: "improvement_plan",
            object_id: object_id(organization_id, year),
            before,
            after,
            ip_hash: None,
        },
    )
    .await
}

fn json<T: Serialize>(v: &T) -> Option<serde_json::Value> {
    serde_json::to_value(v).ok()
}

/// The organisation (in scope) and its plan for a change by the actor, inside `txn`.
async fn for_change<C: ConnectionTrait>(conn: &C, actor: &Actor, organization_id: i32, year: i32) -> Result<Plan> {
    let org = organizations::get(conn, actor, organization_id).await?;
    if !may_edit(actor, organization_id) {
        return Err(StoreError::Forbidden);
    }
    let mut plan = load(conn, org, year).await?;
    plan.may_edit = true;
    Ok(plan)
}

/// The plan's row, or `NotFound` when it has not been created.
fn existing(plan: &Plan) -> Result<&improvement_plan::Model> {
    plan.record.as_ref().ok_or(StoreError::NotFound)
}

fn check_year(year: i32) -> Result<()> {
    if (2000..=2100).contains(&year) {
        Ok(())
    } else {
        Err(StoreError::Invalid(format!("year: {year} is not an assessment year")))
    }
}

/// Creates the (empty, draft) plan of `organization_id` for `year`.
pub async fn create(db: &Db, actor: &Actor, organization_id: i32, year: i32) -> Result<Plan> {
    check_year(year)?;
    let txn = db.write.begin().await?;
    let plan = for_change(&txn, actor, organization_id, year).await?;
    if plan.record.is_some() {
        return Err(StoreError::Conflict(format!("the plan of {year} already exists")));
    }
    let at = now();
    let row = improvement_plan::ActiveModel {
        id: Default::default(),
        organization_id: Set(organization_id),
        year: Set(year),
        status: Set(PlanStatus::Draft.code().to_string()),
        approved_on: Set(None),
        published_at: Set(None),
        created_at: Set(at),
        created_by: Set(actor.login.clone()),
        updated_at: Set(at),
        updated_by: Set(actor.login.clone()),
    };
    let row = improvement_plan::Entity::insert(row).exec_with_returning(&txn).await?;
    record(&txn, actor, "plan.create", organization_id, year, None, json(&row)).await?;
    let mut plan = load(&txn, plan.organization, year).await?;
    txn.commit().await?;
    plan.may_edit = true;
    Ok(plan)
}

/// Marks the plan as changed by the actor (inside the caller's transaction).
async fn touch<C: ConnectionTrait>(conn: &C, actor: &Actor, row: &improvement_plan::Model, at: i64) -> Result<()> {
    let mut m: improvement_plan::ActiveModel = row.clone().into();
    m.updated_at = Set(at);
    m.updated_by = Set(actor.login.clone());
    improvement_plan::Entity::update(m).exec(conn).await?;
    Ok(())
}

/// Records (or clears) the day the founder approved the plan.
pub async fn set_approval(
    db: &Db,
    actor: &Actor,
    organization_id: i32,
    year: i32,
    approved_on: Option<i64>,
) -> Result<improvement_plan::Model> {
    let txn = db.write.begin().await?;
    let plan = for_change(&txn, actor, organization_id, year).await?;
    let before = existing(&plan)?.clone();
    if let Some(d) = approved_on {
        if !plausible_day(d) {
            return Err(invalid(&[FieldError { field: "approved_on", code: "date" }]));
        }
        if d > today() {
            return Err(invalid(&[FieldError { field: "approved_on", code: "future" }]));
        }
    }
    let mut m: improvement_plan::ActiveModel = before.clone().into();
    m.approved_on = Set(approved_on);
    m.updated_at = Set(now());
    m.updated_by = Set(actor.login.clone());
    let after = improvement_plan::Entity::update(m).exec(&txn).await?;
    record(&txn, actor, "plan.approve", organization_id, year, json(&before), json(&after)).await?;
    txn.commit().await?;
    Ok(after)
}

/// Publishes a draft plan: it needs at least one item and every item complete.
pub async fn publish(db: &Db, actor: &Actor, organization_id: i32, year: i32) -> Result<improvement_plan::Model> {
    let txn = db.write.begin().await?;
    let plan = for_change(&txn, actor, organization_id, year).await?;
    let before = existing(&plan)?.clone();
    if plan.status() == Some(PlanStatus::Published) {
        return Err(StoreError::Conflict("the plan is already published".into()));
    }
    if plan.items.is_empty() {
        return Err(invalid(&[FieldError { field: "items", code: "empty" }]));
    }
    if !plan.incomplete().is_empty() {
        return Err(invalid(&[FieldError { field: "items", code: "incomplete" }]));
    }
    let at = now();
    let mut m: improvement_plan::ActiveModel = before.clone().into();
    m.status = Set(PlanStatus::Published.code().to_string());
    m.published_at = Set(Some(at));
    m.updated_at = Set(at);
    m.updated_by = Set(actor.login.clone());
    let after = improvement_plan::Entity::update(m).exec(&txn).await?;
    record(&txn, actor, "plan.publish", organization_id, year, json(&before), json(&after)).await?;
    txn.commit().await?;
    Ok(after)
}

fn apply(m: &mut plan_item::ActiveModel, input: &ItemInput, actor: &Actor, at: i64) {
    m.criterion = Set(input.criterion.clone());
    m.shortcoming = Set(input.shortcoming.clone().unwrap_or_default());
    m.measure = Set(input.measure.clone());
    m.deadline = Set(input.deadline);
    m.responsible_name = Set(input.responsible_name.clone());
    m.responsible_position = Set(input.responsible_position.clone());
    m.status = Set(input.status.code().to_string());
    m.updated_at = Set(at);
    m.updated_by = Set(actor.login.clone());
}

fn new_item(plan_id: i32, actor: &Actor, at: i64) -> plan_item::ActiveModel {
    plan_item::ActiveModel {
        id: Default::default(),
        plan_id: Set(plan_id),
        source_kind: Set(None),
        source_ref: Set(None),
        indicator: Set(None),
        created_at: Set(at),
        created_by: Set(actor.login.clone()),
        ..Default::default()
    }
}

/// Adds an item to the plan.
pub async fn add_item(
    db: &Db,
    actor: &Actor,
    organization_id: i32,
    year: i32,
    input: &ItemInput,
) -> Result<plan_item::Model> {
    let input = input.normalized();
    let txn = db.write.begin().await?;
    let plan = for_change(&txn, actor, organization_id, year).await?;
    let row = existing(&plan)?;
    let errors = input.validate(plan.status() == Some(PlanStatus::Published));
    if !errors.is_empty() {
        return Err(invalid(&errors));
    }
    let at = now();
    let mut m = new_item(row.id, actor, at);
    apply(&mut m, &input, actor, at);
    let item = plan_item::Entity::insert(m).exec_with_returning(&txn).await?;
    touch(&txn, actor, row, at).await?;
    record(&txn, actor, "plan.item.create", organization_id, year, None, json(&item)).await?;
    txn.commit().await?;
    Ok(item)
}

/// The item `item_id` of the plan, or `NotFound` (also when it belongs to another plan).
fn item_of(plan: &Plan, item_id: i32) -> Result<&ItemRow> {
    existing(plan)?;
    plan.item(item_id).ok_or(StoreError::NotFound)
}

/// Changes an item (the link to where it came from stays).
pub async fn update_item(
    db: &Db,
    actor: &Actor,
    organization_id: i32,
    year: i32,
    item_id: i32,
    input: &ItemInput,
) -> Result<plan_item::Model> {
    let input = input.normalized();
    let txn = db.write.begin().await?;
    let plan = for_change(&txn, actor, organization_id, year).await?;
    let before = item_of(&plan, item_id)?.item.clone();
    let errors = input.validate(plan.status() == Some(PlanStatus::Published));
    if !errors.is_empty() {
        return Err(invalid(&errors));
    }
    let at = now();
    let mut m: plan_item::ActiveModel = before.clone().into();
    apply(&mut m, &input, actor, at);
    let after = plan_item::Entity::update(m).exec(&txn).await?;
    touch(&txn, actor, existing(&plan)?, at).await?;
    record(&txn, actor, "plan.item.update", organization_id, year, json(&before), json(&after)).await?;
    txn.commit().await?;
    Ok(after)
}

/// Removes an item with its progress reports (the audit log keeps what they were).
pub async fn delete_item(db: &Db, actor: &Actor, organization_id: i32, year: i32, item_id: i32) -> Result<()> {
    let txn = db.write.begin().await?;
    let plan = for_change(&txn, actor, organization_id, year).await?;
    let before = item_of(&plan, item_id)?.clone();
    plan_progress::Entity::delete_many().filter(plan_progress::Column::ItemId.eq(item_id)).exec(&txn).await?;
    plan_item::Entity::delete_by_id(item_id).exec(&txn).await?;
    touch(&txn, actor, existing(&plan)?, now()).await?;
    record(&txn, actor, "plan.item.delete", organization_id, year, json(&before), None).await?;
    txn.commit().await?;
    Ok(())
}

/// Adds a progress report to an item; the item becomes «in progress», or done when `complete`.
pub async fn add_progress(
    db: &Db,
    actor: &Actor,
    organization_id: i32,
    year: i32,
    item_id: i32,
    input: &ProgressInput,
) -> Result<plan_progress::Model> {
    let txn = db.write.begin().await?;
    let plan = for_change(&txn, actor, organization_id, year).await?;
    let before = item_of(&plan, item_id)?.item.clone();
    let errors = input.validate(today());
    if !errors.is_empty() {
        return Err(invalid(&errors));
    }
    let at = now();
    let report = plan_progress::ActiveModel {
        id: Default::default(),
        item_id: Set(item_id),
        done_on: Set(input.done_on.unwrap_or_default()),
        what_done: Set(clean(&input.what_done).unwrap_or_default()),
        details: Set(clean(&input.details)),
        created_at: Set(at),
        created_by: Set(actor.login.clone()),
        updated_at: Set(at),
        updated_by: Set(actor.login.clone()),
    };
    let report = plan_progress::Entity::insert(report).exec_with_returning(&txn).await?;
    let status = match ItemStatus::from_code(&before.status) {
        _ if input.complete => ItemStatus::Done,
        Some(ItemStatus::Done) => ItemStatus::Done,
        _ => ItemStatus::InProgress,
    };
    let mut m: plan_item::ActiveModel = before.clone().into();
    m.status = Set(status.code().to_string());
    m.updated_at = Set(at);
    m.updated_by = Set(actor.login.clone());
    let after = plan_item::Entity::update(m).exec(&txn).await?;
    touch(&txn, actor, existing(&plan)?, at).await?;
    record(
        &txn,
        actor,
        "plan.progress.create",
        organization_id,
        year,
        json(&before),
        Some(serde_json::json!({ "item": after, "progress": report })),
    )
    .await?;
    txn.commit().await?;
    Ok(report)
}

/// A shortcoming offered for the plan.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Offer {
    pub source_kind: SourceKind,
    /// The checklist item id or the indicator id.
    pub source_ref: String,
    pub criterion: Option<String>,
    pub indicator: Option<String>,
    /// The text the item starts with.
    pub shortcoming: String,
}

/// The shortcomings of `year` not yet in the plan: every absent checklist item, then every indicator
/// below [`LOW_INDICATOR_POINTS`] that no checklist item explains.
pub async fn offers<C: ConnectionTrait>(
    conn: &C,
    actor: &Actor,
    organization_id: i32,
    year: i32,
) -> Result<Vec<Offer>> {
    let plan = get(conn, actor, organization_id, year).await?;
    offers_for(conn, actor, &plan).await
}

async fn offers_for<C: ConnectionTrait>(conn: &C, actor: &Actor, plan: &Plan) -> Result<Vec<Offer>> {
    let org_id = plan.organization.id;
    let taken: BTreeSet<(String, String)> =
        plan.items.iter().filter_map(|i| Some((i.item.source_kind.clone()?, i.item.source_ref.clone()?))).collect();
    let mut out = Vec::new();
    let absent = checklists::shortcomings(conn, actor, org_id, plan.year).await?;
    let explained: BTreeSet<&str> = absent.iter().map(|s| s.shortcoming.indicator.as_str()).collect();
    for s in &absent {
        let sc = &s.shortcoming;
        let key = if sc.section == ChecklistSection::Remote { "plan-offer-remote" } else { "plan-offer-absent" };
        let mut text = nok_i18n::t!(key, item = sc.name_ru.as_str());
        if !s.comment.is_empty() {
            text.push_str(&nok_i18n::t!("plan-offer-comment", comment = s.comment.as_str()));
        }
        out.push(Offer {
            source_kind: SourceKind::Checklist,
            source_ref: sc.item_id.clone(),
            criterion: Some(sc.criterion.clone()),
            indicator: Some(sc.indicator.clone()),
            shortcoming: text,
        });
    }
    let filter = ResultFilter { organization_id: Some(org_id), ..ResultFilter::default() };
    let mut results = aggregates::org_results(conn, actor, &filter, plan.year).await?;
    snapshots::overlay(conn, plan.year, &mut results).await?;
    if let Some(r) = results.first() {
        for (id, value) in r.indicators() {
            let Some(v) = value.filter(|v| *v < LOW_INDICATOR_POINTS) else { continue };
            if explained.contains(id) {
                continue;
            }
            let indicator = r.definition.indicator(id);
            out.push(Offer {
                source_kind: SourceKind::Indicator,
                source_ref: id.to_string(),
                criterion: indicator.map(|i| i.criterion.clone()),
                indicator: Some(id.to_string()),
                shortcoming: nok_i18n::t!(
                    "plan-offer-indicator",
                    id = id,
                    name = indicator.map_or("", |i| i.name_ru.as_str()),
                    value = nok_i18n::format_decimal(v, usize::from(r.definition.decimals))
                ),
            });
        }
    }
    out.retain(|o| !taken.contains(&(o.source_kind.code().to_string(), o.source_ref.clone())));
    Ok(out)
}

/// Adds every offered shortcoming to a draft plan as an item to fill in (measure, deadline and
/// responsible person are left empty); returns how many were added.
pub async fn add_offers(db: &Db, actor: &Actor, organization_id: i32, year: i32) -> Result<usize> {
    let txn = db.write.begin().await?;
    let plan = for_change(&txn, actor, organization_id, year).await?;
    let row = existing(&plan)?.clone();
    if plan.status() == Some(PlanStatus::Published) {
        return Err(StoreError::Conflict("offers are added to a draft plan only".into()));
    }
    let offers = offers_for(&txn, actor, &plan).await?;
    if offers.is_empty() {
        return Ok(0);
    }
    let at = now();
    let rows: Vec<plan_item::ActiveModel> = offers
        .iter()
        .map(|o| {
            let mut m = new_item(row.id, actor, at);
            m.source_kind = Set(Some(o.source_kind.code().to_string()));
            m.source_ref = Set(Some(o.source_ref.clone()));
            m.indicator = Set(o.indicator.clone());
            let input = ItemInput {
                criterion: o.criterion.clone(),
                shortcoming: Some(o.shortcoming.chars().take(MAX_TEXT_CHARS).collect()),
                ..ItemInput::default()
            };
            apply(&mut m, &input, actor, at);
            m
        })
        .collect();
    plan_item::Entity::insert_many(rows).exec_without_returning(&txn).await?;
    touch(&txn, actor, &row, at).await?;
    record(&txn, actor, "plan.prefill", organization_id, year, None, json(&offers)).await?;
    txn.commit().await?;
    Ok(offers.len())
}

/// The change history of a plan the actor sees, newest first.
pub async fn history<C: ConnectionTrait>(
    conn: &C,
    actor: &Actor,
    organization_id: i32,
    year: i32,
) -> Result<Vec<audit::HistoryEntry>> {
    organizations::get(conn, actor, organization_id).await?;
    audit::history(conn, "improvement_plan", &object_id(organization_id, year)).await
}

// ---------------------------------------------------------------------------------------------------
// The public plan.

/// A published item as the public sees it (no responsible person's name: only the position).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PublishedItem {
    pub criterion: Option<String>,
    pub shortcoming: String,
    pub measure: String,
    pub deadline: Option<i64>,
    pub responsible_position: String,
    pub shown: Shown,
    /// `(done_on, what was done)`, oldest first.
    pub progress: Vec<(i64, String)>,
}

/// The latest published plan of an organisation.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PublishedPlan {
    pub year: i32,
    pub approved_on: Option<i64>,
    pub published_at: Option<i64>,
    /// In plan order.
    pub items: Vec<PublishedItem>,
}

impl PublishedPlan {
    pub fn progress(&self) -> Progress {
        Progress::of(self.items.iter().map(|i| i.shown))
    }
}

fn c(table: &str, column: &str) -> Expr {
    Expr::col((Alias::new(table), Alias::new(column)))
}

/// The published plan of the latest year of an organisation, if any — one query (the plan, its items
/// and their reports joined), so the organisation page stays cheap.
pub async fn published_latest<C: ConnectionTrait>(conn: &C, organization_id: i32) -> Result<Option<PublishedPlan>> {
    let published = PlanStatus::Published.code();
    let latest = Query::select()
        .expr(Expr::col(Alias::new("year")).max())
        .from(Alias::new("improvement_plan"))
        .and_where(Expr::col(Alias::new("organization_id")).eq(organization_id))
        .and_where(Expr::col(Alias::new("status")).eq(published))
        .to_owned();
    let stmt = Query::select()
        .expr(c("p", "year"))
        .expr(c("p", "approved_on"))
        .expr(c("p", "published_at"))
        .expr(c("i", "id"))
        .expr(c("i", "criterion"))
        .expr(c("i", "shortcoming"))
        .expr(c("i", "measure"))
        .expr(c("i", "deadline"))
        .expr(c("i", "responsible_position"))
        .expr(c("i", "status"))
        .expr(c("g", "done_on"))
        .expr(c("g", "what_done"))
        .from_as(Alias::new("improvement_plan"), Alias::new("p"))
        .join_as(
            JoinType::LeftJoin,
            Alias::new("plan_item"),
            Alias::new("i"),
            c("i", "plan_id").equals((Alias::new("p"), Alias::new("id"))),
        )
        .join_as(
            JoinType::LeftJoin,
            Alias::new("plan_progress"),
            Alias::new("g"),
            c("g", "item_id").equals((Alias::new("i"), Alias::new("id"))),
        )
        .and_where(c("p", "organization_id").eq(organization_id))
        .and_where(c("p", "status").eq(published))
        .and_where(c("p", "year").in_subquery(latest))
        .order_by((Alias::new("i"), Alias::new("id")), Order::Asc)
        .order_by((Alias::new("g"), Alias::new("done_on")), Order::Asc)
        .order_by((Alias::new("g"), Alias::new("id")), Order::Asc)
        .to_owned();
    let rows = conn.query_all(&stmt).await?;
    let Some(first) = rows.first() else { return Ok(None) };
    let get = |e: sea_orm::DbErr| StoreError::Db(e);
    let mut plan = PublishedPlan {
        year: first.try_get_by_index::<i32>(0).map_err(get)?,
        approved_on: first.try_get_by_index::<Option<i64>>(1).map_err(get)?,
        published_at: first.try_get_by_index::<Option<i64>>(2).map_err(get)?,
        items: Vec::new(),
    };
    let today = today();
    let mut keyed: Vec<(i32, PublishedItem)> = Vec::new();
    for r in &rows {
        let Some(id) = r.try_get_by_index::<Option<i32>>(3).map_err(get)? else { continue };
        if keyed.last().is_none_or(|(last, _)| *last != id) {
            let deadline = r.try_get_by_index::<Option<i64>>(7).map_err(get)?;
            let status: String = r.try_get_by_index(9).map_err(get)?;
            keyed.push((
                id,
                PublishedItem {
                    criterion: r.try_get_by_index(4).map_err(get)?,
                    shortcoming: r.try_get_by_index(5).map_err(get)?,
                    measure: r.try_get_by_index::<Option<String>>(6).map_err(get)?.unwrap_or_default(),
                    deadline,
                    responsible_position: r.try_get_by_index::<Option<String>>(8).map_err(get)?.unwrap_or_default(),
                    shown: Shown::of(&status, deadline, today),
                    progress: Vec::new(),
                },
            ));
        }
        if let (Some(done_on), Some(what)) = (
            r.try_get_by_index::<Option<i64>>(10).map_err(get)?,
            r.try_get_by_index::<Option<String>>(11).map_err(get)?,
        ) && let Some((_, item)) = keyed.last_mut()
        {
            item.progress.push((done_on, what));
        }
    }
    keyed.sort_by_key(|(id, i)| order_key(i.criterion.as_deref(), i.deadline, *id));
    plan.items = keyed.into_iter().map(|(_, i)| i).collect();
    Ok(Some(plan))
}

// ---------------------------------------------------------------------------------------------------
// Following plans across organisations.

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
    super::order_and_page(&mut rows_stmt, key, q.descending, page, per_page);
    let items = conn.query_all(&rows_stmt).await?.iter().map(list_row).collect::<Result<Vec<_>>>()?;
    Ok((summary, Page { items, total, page, per_page }))
}

/// A date as `ГГГГ-ММ-ДД` (for the API and date inputs).
pub fn iso_date(ts: i64) -> String {
    let d = to_datetime(ts).date();
    format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
}
