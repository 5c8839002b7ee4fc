//! Published (frozen) results read back: the values of a snapshot in the engine's shape, its
//! explanation (the engine re-run on the frozen input with the frozen version and policy), and the
//! overlay that puts published values in place of live ones for the public pages. Written by
//! `publications::publish`; never updated.

use super::aggregates::OrgResult;
use super::checklists;
use crate::entities::{publication, published_result};
use crate::error::Result;
use nok_methodology::{
    AnswerCounts, ChecklistCounts, ChecklistSection, Definition, IndicatorExplanation, MissingDataPolicy, ScoreInput,
    ScoreValues, Scores, Sphere,
};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// What a published result was computed from (the `inputs` column).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FrozenInput {
    pub policy: MissingDataPolicy,
    /// `None`: no checklist was recorded.
    pub checklist: Option<ChecklistCounts>,
    pub answers: AnswerCounts,
    /// The 1.1 sections counted against the region's own list (absent in older snapshots: none).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub regional_lists: Vec<ChecklistSection>,
}

/// The `inputs` column of a snapshot row.
pub(crate) fn inputs_json(
    input: &ScoreInput,
    policy: MissingDataPolicy,
    regional_lists: &[ChecklistSection],
) -> String {
    let frozen = FrozenInput {
        policy,
        checklist: input.checklist,
        answers: input.answers,
        regional_lists: regional_lists.to_vec(),
    };
    serde_json::to_string(&frozen).unwrap_or_default()
}

/// An organisation's published result and when it was published.
#[derive(Clone, Debug, PartialEq)]
pub struct Published {
    pub row: published_result::Model,
    /// Unix seconds.
    pub published_at: i64,
}

impl Published {
    /// The version the result was computed with.
    pub fn definition(&self) -> &'static Definition {
        checklists::definition_by_id(&self.row.methodology)
    }

    pub fn sphere(&self) -> Option<Sphere> {
        Sphere::from_code(&self.row.sphere)
    }

    /// The stored input, when the snapshot has one.
    pub fn input(&self) -> Option<FrozenInput> {
        self.row.inputs.as_deref().and_then(|s| serde_json::from_str(s).ok())
    }

    /// The frozen values in the engine's shape (indicators in the sphere's order).
    pub fn values(&self) -> Option<ScoreValues> {
        let sphere = self.sphere()?;
        let stored: HashMap<String, f64> = serde_json::from_str(&self.row.indicators).unwrap_or_default();
        let indicators =
            self.definition().sphere(sphere).indicators.iter().map(|si| stored.get(&si.id).copied()).collect();
        let r = &self.row;
        Some(ScoreValues { indicators, criteria: vec![r.k1, r.k2, r.k3, r.k4, r.k5], total: r.total })
    }

    /// The explanation of the published score: the engine on the frozen input, or — for a snapshot
    /// without one, or should the engine no longer give the published total — the frozen values alone.
    /// Either way the numbers are the published ones.
    pub fn scores(&self) -> Option<Scores> {
        let (def, sphere, values) = (self.definition(), self.sphere()?, self.values()?);
        let rerun = self.input().map(|f| {
            let input = ScoreInput { sphere, checklist: f.checklist, answers: f.answers };
            nok_methodology::score(def, &input, f.policy)
        });
        let same = |s: &Scores| {
            s.methodology == self.row.methodology
                && match (s.total, values.total) {
                    (Some(a), Some(b)) => (a - b).abs() < 1e-9,
                    (a, b) => a.is_none() && b.is_none(),
                }
        };
        Some(match rerun.filter(same) {
            Some(s) => s,
            None => values_only(def, sphere, &values, self.input().map_or(def.missing_data.default, |f| f.policy)),
        })
    }
}

/// Scores holding `values` with the definition's names and weights but no inputs or effects.
fn values_only(def: &Definition, sphere: Sphere, values: &ScoreValues, policy: MissingDataPolicy) -> Scores {
    let variant = def.sphere(sphere);
    let explanation: Vec<IndicatorExplanation> = variant
        .indicators
        .iter()
        .zip(&values.indicators)
        .map(|(si, value)| {
            let ind = &def.indicators[si.index];
            IndicatorExplanation {
                id: ind.id.clone(),
                criterion: ind.criterion.clone(),
                name_ru: ind.name_ru.clone(),
                formula_ru: ind.formula_ru.clone(),
                inputs: Vec::new(),
                value: *value,
                weight: si.weight,
                weight_used: si.weight,
                effects: Vec::new(),
                policy_applied: false,
                mark: ind.mark,
                weight_mark: si.weight_mark,
            }
        })
        .collect();
    let criteria = def.criteria.iter().map(|c| c.id.clone()).zip(values.criteria.iter().copied());
    let mut no_data: Vec<String> = explanation.iter().filter(|e| e.value.is_none()).map(|e| e.id.clone()).collect();
    no_data.extend(criteria.clone().filter(|(_, v)| v.is_none()).map(|(id, _)| id));
    Scores {
        methodology: def.id.clone(),
        sphere,
        policy,
        indicators: explanation.iter().filter_map(|e| e.value.map(|v| (e.id.clone(), v))).collect(),
        criteria: criteria.filter_map(|(id, v)| v.map(|v| (id, v))).collect(),
        total: values.total,
        no_data,
        explanation,
    }
}

/// The latest published result of `period` of each of `organization_ids` that has one.
pub async fn latest<C: ConnectionTrait>(
    conn: &C,
    period: i32,
    organization_ids: &[i32],
) -> Result<HashMap<i32, Published>> {
    let mut rows = Vec::new();
    for chunk in organization_ids.chunks(500) {
        rows.extend(
            published_result::Entity::find()
                .filter(published_result::Column::Period.eq(period))
                .filter(published_result::Column::OrganizationId.is_in(chunk.iter().copied()))
                .all(conn)
                .await?,
        );
    }
    if rows.is_empty() {
        return Ok(HashMap::new());
    }
    let mut publication_ids: Vec<i32> = rows.iter().map(|r| r.publication_id).collect();
    publication_ids.sort_unstable();
    publication_ids.dedup();
    let at: HashMap<i32, i64> = publication::Entity::find()
        .filter(publication::Column::Id.is_in(publication_ids))
        .all(conn)
        .await?
        .into_iter()
        .map(|p| (p.id, p.published_at))
        .collect();
    let mut out: HashMap<i32, Published> = HashMap::new();
    for row in rows {
        let published_at = at.get(&row.publication_id).copied().unwrap_or_default();
        if out.get(&row.organization_id).is_none_or(|p| p.row.publication_id < row.publication_id) {
            out.insert(row.organization_id, Published { row, published_at });
        }
    }
    Ok(out)
}

/// The published result of one organisation for `period`, if published.
pub async fn for_organization<C: ConnectionTrait>(
    conn: &C,
    organization_id: i32,
    period: i32,
) -> Result<Option<Published>> {
    Ok(latest(conn, period, &[organization_id]).await?.remove(&organization_id))
}

/// Puts the published values of `period` in place of the live ones wherever a result was published
/// (what the public sees), with the municipality the organisation had then (municipal aggregates of a
/// published period keep their grouping); the others stay live. Sets `published_at`.
pub async fn overlay<C: ConnectionTrait>(conn: &C, period: i32, results: &mut [OrgResult]) -> Result<()> {
    let ids: Vec<i32> = results.iter().map(|r| r.organization_id).collect();
    let published = latest(conn, period, &ids).await?;
    for r in results.iter_mut() {
        let Some(p) = published.get(&r.organization_id) else { continue };
        let (Some(values), Some(sphere)) = (p.values(), p.sphere()) else { continue };
        r.sphere = sphere;
        r.definition = p.definition();
        r.values = values;
        r.responses = u64::try_from(p.row.responses).unwrap_or(0);
        r.online_responses = u64::try_from(p.row.online_responses).unwrap_or(0);
        r.municipality = p.row.municipality.clone();
        let input = p.input();
        r.regional_lists = input.as_ref().map(|i| i.regional_lists.clone()).unwrap_or_default();
        if let Some(input) = input {
            r.checklist_recorded = input.checklist.is_some();
        }
        r.published_at = Some(p.published_at);
    }
    Ok(())
}
