//! Progress reports on plan items.

use crate::Db;
use crate::entities::{plan_item, plan_progress};
use crate::error::Result;
use crate::scope::Actor;
use crate::time_util::now;
use sea_orm::{ActiveValue::Set, EntityTrait, TransactionTrait};

use super::edit::{existing, for_change, item_of, json, record, touch};
use super::input::{clean, invalid};
use super::{ItemStatus, ProgressInput, today};

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
