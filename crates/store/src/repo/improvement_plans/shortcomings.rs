//! Shortcomings offered for a plan: absent checklist items and low indicators, and the prefill from them.

use crate::Db;
use crate::entities::plan_item;
use crate::error::{Result, StoreError};
use crate::repo::aggregates::{self, ResultFilter};
use crate::repo::{checklists, snapshots};
use crate::scope::Actor;
use crate::time_util::now;
use nok_methodology::ChecklistSection;
use sea_orm::{ActiveValue::Set, ConnectionTrait, EntityTrait, TransactionTrait};
use serde::Serialize;
use std::collections::BTreeSet;

use super::edit::{apply, existing, for_change, json, new_item, record, touch};
use super::{ItemInput, LOW_INDICATOR_POINTS, MAX_TEXT_CHARS, Plan, PlanStatus, SourceKind, get};

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
