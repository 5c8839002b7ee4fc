//! Results of many organisations at once and their aggregates: every organisation in the actor's scope
//! scored from its live counters and recorded checklist (bulk reads, no raw responses); means of
//! totals, criteria and indicators per sphere in a region, region, municipality, authority and country
//! over the organisations assessed in the period [C: arithmetic mean]; competition rankings (1, 2, 2, 4)
//! at the published precision; history by year.

use super::checklist_lists::{self, YearLists};
use super::checklists;
use super::scores::{self, Counters};
use crate::entities::organization;
use crate::error::{Result, StoreError};
use crate::scope::Actor;
use nok_methodology::sample::Progress;
use nok_methodology::{ChecklistSection, Definition, ScoreInput, ScoreValues, Sphere, score_values};
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Order, Query};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, QueryTrait};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};

/// Organisations whose results are wanted (within the actor's scope).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResultFilter {
    pub region_code: Option<String>,
    pub sphere: Option<String>,
    pub authority_id: Option<i32>,
    /// One organisation only.
    pub organization_id: Option<i32>,
}

/// One organisation's live result for a period.
#[derive(Clone, Debug)]
pub struct OrgResult {
    pub organization_id: i32,
    pub public_id: String,
    pub short_name: String,
    pub sphere: Sphere,
    pub region_code: String,
    /// Муниципальное образование from the registry, if given.
    pub municipality: Option<String>,
    pub authority_id: Option<i32>,
    pub population: i64,
    /// The definition the result was computed with.
    pub definition: &'static Definition,
    pub values: ScoreValues,
    pub responses: u64,
    pub online_responses: u64,
    pub checklist_recorded: bool,
    /// The 1.1 sections scored against the region's own list instead of the methodology's.
    pub regional_lists: Vec<ChecklistSection>,
    /// When the values are a published snapshot's (see `publications::overlay`): the publication time
    /// (Unix seconds). `None`: live values.
    pub published_at: Option<i64>,
}

impl OrgResult {
    /// Whether the organisation counts as assessed in the period (it has a total).
    pub fn assessed(&self) -> bool {
        self.values.total.is_some()
    }

    /// `(indicator id, value)` in the sphere's order.
    pub fn indicators(&self) -> impl Iterator<Item = (&'static str, Option<f64>)> + '_ {
        let variant = self.definition.sphere(self.sphere);
        variant.indicators.iter().map(|si| si.id.as_str()).zip(self.values.indicators.iter().copied())
    }

    /// The value of one indicator.
    pub fn indicator(&self, id: &str) -> Option<f64> {
        self.indicators().find(|(i, _)| *i == id).and_then(|(_, v)| v)
    }

    /// `(criterion id, value)` in order K1…K5.
    pub fn criteria(&self) -> impl Iterator<Item = (&'static str, Option<f64>)> + '_ {
        self.definition.criteria.iter().map(|c| c.id.as_str()).zip(self.values.criteria.iter().copied())
    }

    /// Sample progress (§5).
    pub fn progress(&self) -> Progress {
        Progress::with_rule(
            &self.definition.sample,
            u64::try_from(self.population).unwrap_or(0),
            self.responses,
            self.online_responses,
        )
    }
}

type OrgRow = (i32, String, String, String, String, Option<String>, Option<i32>, i64);

/// Live results of the active organisations the actor sees that match `filter`, for `period`, in
/// name order. Organisations without a recorded checklist have no data for the checklist-based
/// indicators (the definition's missing-data policy decides), scored with the period's version.
pub async fn org_results<C: ConnectionTrait>(
    conn: &C,
    actor: &Actor,
    filter: &ResultFilter,
    period: i32,
) -> Result<Vec<OrgResult>> {
    let mut out = Vec::new();
    for_each_result(conn, actor, filter, period, |r, _| out.push(r)).await?;
    Ok(out)
}

/// [`org_results`] one at a time, each with the engine input it was scored from.
pub(crate) async fn for_each_result<C: ConnectionTrait>(
    conn: &C,
    actor: &Actor,
    filter: &ResultFilter,
    period: i32,
    mut f: impl FnMut(OrgResult, ScoreInput),
) -> Result<()> {
    use organization::Column as O;
    let mut cond = actor.organization_filter().add(O::Active.eq(true));
    if let Some(r) = &filter.region_code {
        cond = cond.add(O::RegionCode.eq(r.clone()));
    }
    if let Some(s) = &filter.sphere {
        cond = cond.add(O::Sphere.eq(s.clone()));
    }
    if let Some(a) = filter.authority_id {
        cond = cond.add(O::AuthorityId.eq(a));
    }
    if let Some(id) = filter.organization_id {
        cond = cond.add(O::Id.eq(id));
    }
    let orgs: Vec<OrgRow> = organization::Entity::find()
        .select_only()
        .columns([
            O::Id,
            O::PublicId,
            O::ShortName,
            O::Sphere,
            O::RegionCode,
            O::Municipality,
            O::AuthorityId,
            O::Population,
        ])
        .filter(cond)
        .order_by_asc(O::ShortName)
        .order_by_asc(O::Id)
        .into_tuple()
        .all(conn)
        .await?;
    let ids: Vec<i32> = orgs.iter().map(|o| o.0).collect();
    let counters = period_counters(conn, period, &ids).await?;
    let recorded = checklists::recorded(conn, period, Some(&ids)).await?;
    let lists = if recorded.is_empty() { YearLists::default() } else { checklist_lists::of_year(conn, period).await? };
    for (id, public_id, short_name, sphere, region_code, municipality, authority_id, population) in orgs {
        let Some(sphere) = Sphere::from_code(&sphere) else { continue };
        let c = counters.get(&id).cloned().unwrap_or_default();
        let regional = lists.get(&region_code, sphere);
        let scores::Scoring { definition, input, regional_lists } =
            scores::scoring_input(recorded.get(&id), regional, sphere, period, c.answers);
        let values = score_values(definition, &input, definition.missing_data.default);
        let result = OrgResult {
            organization_id: id,
            public_id,
            short_name,
            sphere,
            region_code,
            municipality,
            authority_id,
            population,
            definition,
            values,
            responses: c.responses,
            online_responses: c.online,
            checklist_recorded: input.checklist.is_some(),
            regional_lists,
            published_at: None,
        };
        f(result, input);
    }
    Ok(())
}

/// Only the ids in `ids` are kept; small sets are filtered in SQL.
fn restrict(select: &mut sea_orm::sea_query::SelectStatement, ids: &[i32]) {
    if ids.len() <= 500 {
        select.and_where(Expr::col(Alias::new("organization_id")).is_in(ids.iter().copied()));
    }
}

async fn period_counters<C: ConnectionTrait>(conn: &C, period: i32, ids: &[i32]) -> Result<HashMap<i32, Counters>> {
    let mut select = scores::select_counters(&["organization_id"]);
    select.and_where(Expr::col(Alias::new("period")).eq(period));
    restrict(&mut select, ids);
    let mut out = HashMap::new();
    for row in conn.query_all(&select).await? {
        let id: i32 = row.try_get_by_index(0).map_err(StoreError::Db)?;
        out.insert(id, scores::counters_from_row(&row, 1)?);
    }
    Ok(out)
}

/// The periods that have live counters, newest first (within the actor's scope).
pub async fn periods<C: ConnectionTrait>(conn: &C, actor: &Actor) -> Result<Vec<i32>> {
    let visible = organization::Entity::find()
        .select_only()
        .column(organization::Column::Id)
        .filter(actor.organization_filter())
        .into_query();
    let stmt = Query::select()
        .distinct()
        .column(Alias::new("period"))
        .from(Alias::new("survey_counter"))
        .cond_where(Condition::all().add(Expr::col(Alias::new("organization_id")).in_subquery(visible)))
        .order_by(Alias::new("period"), Order::Desc)
        .to_owned();
    conn.query_all(&stmt).await?.iter().map(|r| r.try_get_by_index::<i32>(0).map_err(StoreError::Db)).collect()
}

/// How organisations are grouped.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// One sphere in one region.
    #[default]
    SphereInRegion,
    /// A region (all spheres).
    Region,
    /// A municipality within a region (all spheres); organisations without one are left out.
    Municipality,
    /// An authority (by the organisations' authority).
    Authority,
    /// Everything given.
    Country,
}

impl Level {
    pub const ALL: [Level; 5] =
        [Level::SphereInRegion, Level::Region, Level::Municipality, Level::Authority, Level::Country];

    /// The code used in URLs.
    pub fn code(self) -> &'static str {
        match self {
            Level::SphereInRegion => "sphere_in_region",
            Level::Region => "region",
            Level::Municipality => "municipality",
            Level::Authority => "authority",
            Level::Country => "country",
        }
    }

    pub fn from_code(code: &str) -> Option<Level> {
        Level::ALL.into_iter().find(|l| l.code() == code)
    }

    /// The group of `r` at this level (`None`: the organisation has no group at this level).
    fn key(self, r: &OrgResult) -> Option<GroupKey> {
        let region = || GroupKey { region_code: Some(r.region_code.clone()), ..GroupKey::default() };
        Some(match self {
            Level::SphereInRegion => GroupKey { sphere: Some(r.sphere), ..region() },
            Level::Region => region(),
            Level::Municipality => GroupKey { municipality: Some(r.municipality.clone()?), ..region() },
            Level::Authority => GroupKey { authority_id: r.authority_id, ..GroupKey::default() },
            Level::Country => GroupKey::default(),
        })
    }

    /// `results` grouped at this level, in key order.
    fn groups<'a>(self, results: impl IntoIterator<Item = &'a OrgResult>) -> BTreeMap<GroupKey, Vec<&'a OrgResult>> {
        let mut groups: BTreeMap<GroupKey, Vec<&OrgResult>> = BTreeMap::new();
        for r in results {
            if let Some(key) = self.key(r) {
                groups.entry(key).or_default().push(r);
            }
        }
        groups
    }
}

/// What identifies a group (fields not used by the level are `None`).
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct GroupKey {
    pub region_code: Option<String>,
    pub municipality: Option<String>,
    pub sphere: Option<Sphere>,
    pub authority_id: Option<i32>,
}

/// Means over the organisations of one group assessed in the period.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Aggregate {
    pub key: GroupKey,
    /// Organisations in the group.
    pub organizations: u64,
    /// Organisations with a total (the means are over these).
    pub assessed: u64,
    pub total: Option<f64>,
    /// `(criterion id, mean)` K1…K5.
    pub criteria: Vec<(String, Option<f64>)>,
    /// `(indicator id, mean)` in definition order (over the assessed organisations that have it).
    pub indicators: Vec<(String, Option<f64>)>,
    pub responses: u64,
    pub online_responses: u64,
    /// Sum of the organisations' recommended samples.
    pub sample_target: u64,
    /// Sum of the organisations' recommended online responses.
    pub online_target: u64,
}

#[derive(Default, Clone, Copy)]
struct Mean {
    sum: f64,
    n: u64,
}

impl Mean {
    fn add(&mut self, v: Option<f64>) {
        if let Some(v) = v {
            self.sum += v;
            self.n += 1;
        }
    }
    fn get(self) -> Option<f64> {
        (self.n > 0).then(|| self.sum / self.n as f64)
    }
}

/// Aggregates of `results` at `level`, ordered by key.
pub fn aggregate<'a>(results: impl IntoIterator<Item = &'a OrgResult>, level: Level) -> Vec<Aggregate> {
    level.groups(results).into_iter().map(|(key, members)| aggregate_group(key, &members)).collect()
}

fn aggregate_group(key: GroupKey, members: &[&OrgResult]) -> Aggregate {
    let def = Definition::current();
    let mut total = Mean::default();
    let mut criteria: Vec<(String, Mean)> = def.criteria.iter().map(|c| (c.id.clone(), Mean::default())).collect();
    let mut indicators: Vec<(String, Mean)> = def.indicators.iter().map(|i| (i.id.clone(), Mean::default())).collect();
    let (mut responses, mut online, mut target, mut online_target) = (0, 0, 0, 0);
    let mut assessed = 0;
    for r in members {
        let p = r.progress();
        responses += r.responses;
        online += r.online_responses;
        target += p.target;
        online_target += p.online_target;
        if !r.assessed() {
            continue;
        }
        assessed += 1;
        total.add(r.values.total);
        for (id, v) in r.criteria() {
            if let Some((_, m)) = criteria.iter_mut().find(|(c, _)| c == id) {
                m.add(v);
            }
        }
        for (id, v) in r.indicators() {
            if let Some((_, m)) = indicators.iter_mut().find(|(i, _)| i == id) {
                m.add(v);
            }
        }
    }
    Aggregate {
        key,
        organizations: members.len() as u64,
        assessed,
        total: total.get(),
        criteria: criteria.into_iter().map(|(id, m)| (id, m.get())).collect(),
        indicators: indicators.into_iter().map(|(id, m)| (id, m.get())).collect(),
        responses,
        online_responses: online,
        sample_target: target,
        online_target,
    }
}

/// Competition ranks ("1224") of `values`, highest first; values equal at `decimals` decimals tie;
/// values without data get no rank.
pub fn competition_ranks(values: &[Option<f64>], decimals: u8) -> Vec<Option<u32>> {
    let scale = 10f64.powi(i32::from(decimals));
    let keyed: Vec<Option<i64>> = values.iter().map(|v| v.map(|v| (v * scale).round() as i64)).collect();
    let mut order: Vec<usize> = (0..values.len()).filter(|&i| keyed[i].is_some()).collect();
    order.sort_by(|&a, &b| keyed[b].cmp(&keyed[a]));
    let mut ranks = vec![None; values.len()];
    let mut rank = 0u32;
    for (pos, &i) in order.iter().enumerate() {
        if pos == 0 || keyed[i] != keyed[order[pos - 1]] {
            rank = pos as u32 + 1;
        }
        ranks[i] = Some(rank);
    }
    ranks
}

/// Each organisation's rank by total within its group at `level` (organisation id → rank).
pub fn rank_organizations(results: &[OrgResult], level: Level) -> HashMap<i32, u32> {
    let mut out = HashMap::new();
    for members in level.groups(results).values() {
        let totals: Vec<Option<f64>> = members.iter().map(|r| r.values.total).collect();
        let decimals = members.first().map_or(2, |r| r.definition.decimals);
        for (r, rank) in members.iter().zip(competition_ranks(&totals, decimals)) {
            if let Some(rank) = rank {
                out.insert(r.organization_id, rank);
            }
        }
    }
    out
}

/// Ranks of aggregates by their mean total (same order as `aggregates`).
pub fn rank_aggregates(aggregates: &[Aggregate]) -> Vec<Option<u32>> {
    let totals: Vec<Option<f64>> = aggregates.iter().map(|a| a.total).collect();
    competition_ranks(&totals, Definition::current().decimals)
}

/// The aggregate of the filtered organisations for every period with counters, newest first.
pub async fn history<C: ConnectionTrait>(
    conn: &C,
    actor: &Actor,
    filter: &ResultFilter,
) -> Result<Vec<(i32, Aggregate)>> {
    let mut out = Vec::new();
    for period in periods(conn, actor).await? {
        let results = org_results(conn, actor, filter, period).await?;
        if let Some(a) = aggregate(&results, Level::Country).into_iter().next() {
            out.push((period, a));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::competition_ranks;

    #[test]
    fn ties_share_a_rank_and_the_next_rank_skips() {
        let v = [Some(80.0), Some(90.0), Some(80.0), None, Some(70.0), Some(90.004)];
        assert_eq!(competition_ranks(&v, 2), vec![Some(3), Some(1), Some(3), None, Some(5), Some(1)]);
        assert_eq!(competition_ranks(&[], 2), Vec::<Option<u32>>::new());
        assert_eq!(competition_ranks(&[Some(1.0), Some(2.0)], 2), vec![Some(2), Some(1)]);
    }
}
