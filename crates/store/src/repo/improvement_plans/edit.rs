//! Creating a plan, its approval and publication, and its items; every change audited under the plan.

use crate::Db;
use crate::entities::{improvement_plan, plan_item, plan_progress};
use crate::error::{Result, StoreError};
use crate::repo::audit::{self, Entry};
use crate::repo::organizations;
use crate::scope::Actor;
use crate::time_util::now;
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, TransactionTrait};
use serde::Serialize;

use super::input::{invalid, plausible_day};
use super::{FieldError, ItemInput, ItemRow, Plan, PlanStatus, load, may_edit, object_id, today};

pub(super) async fn record<C: ConnectionTrait>(
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

pub(super) fn json<T: Serialize>(v: &T) -> Option<serde_json::Value> {
    serde_json::to_value(v).ok()
}

/// The organisation (in scope) and its plan for a change by the actor, inside `txn`.
pub(super) async fn for_change<C: ConnectionTrait>(
    conn: &C,
    actor: &Actor,
    organization_id: i32,
    year: i32,
) -> Result<Plan> {
    let org = organizations::get(conn, actor, organization_id).await?;
    if !may_edit(actor, organization_id) {
        return Err(StoreError::Forbidden);
    }
    let mut plan = load(conn, org, year).await?;
    plan.may_edit = true;
    Ok(plan)
}

/// The plan's row, or `NotFound` when it has not been created.
pub(super) fn existing(plan: &Plan) -> Result<&improvement_plan::Model> {
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
pub(super) async fn touch<C: ConnectionTrait>(
    conn: &C,
    actor: &Actor,
    row: &improvement_plan::Model,
    at: i64,
) -> Result<()> {
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

pub(super) fn apply(m: &mut plan_item::ActiveModel, input: &ItemInput, actor: &Actor, at: i64) {
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

pub(super) fn new_item(plan_id: i32, actor: &Actor, at: i64) -> plan_item::ActiveModel {
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
pub(super) fn item_of(plan: &Plan, item_id: i32) -> Result<&ItemRow> {
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
