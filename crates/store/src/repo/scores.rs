//! Live scores: the methodology engine applied to the live counters of an organisation and period
//! plus its recorded checklist. Reading a score never scans raw responses; [`recompute`] rebuilds the
//! counters from them.

use super::checklist_lists::{self, RegionalLists};
use super::checklists;
use crate::Db;
use crate::error::{Result, StoreError};
use nok_methodology::sample::Progress;
use nok_methodology::{
    AnswerCounts, ChecklistCounts, ChecklistSection, Definition, QuestionId, ScoreInput, Scores, Sphere, YesNo,
};
use sea_orm::ConnectionTrait;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query};
use std::sync::Arc;

pub use super::recompute::RecomputeReport;

/// Channels that count as the official online questionnaire for the 20 % online share (§5).
pub const ONLINE_CHANNELS: [&str; 7] =
    ["qr_poster", "qr_paper", "qr_screen", "website_widget", "invitation", "portal", "api"];

/// Whether responses of `channel` count towards the online share.
pub fn is_online(channel: &str) -> bool {
    ONLINE_CHANNELS.contains(&channel)
}

/// Counters of one organisation and period.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Counters {
    pub responses: u64,
    pub answers: AnswerCounts,
    /// Of `responses`, those through the online channels ([`ONLINE_CHANNELS`]).
    pub online: u64,
}

/// A `SELECT` of `survey_counter` whose columns from `offset` on are `responses, q1_yes, q1_no, …, q15_no`
/// and the sum of the online channel columns (read them back with [`counters_from_row`]).
pub(crate) fn select_counters(leading: &[&str]) -> sea_orm::sea_query::SelectStatement {
    let mut select = Query::select();
    select.from(Alias::new("survey_counter"));
    for c in leading {
        select.column(Alias::new(*c));
    }
    select.column(Alias::new("responses"));
    for q in 1..=15 {
        select.column(Alias::new(format!("q{q}_yes"))).column(Alias::new(format!("q{q}_no")));
    }
    let online = ONLINE_CHANNELS
        .iter()
        .map(|c| Expr::col(Alias::new(crate::channels::counter_column(c))))
        .reduce(|sum, col| sum.add(col))
        .expect("there are online channels");
    select.expr(online);
    select
}

/// The counters in a row of [`select_counters`], starting at column `offset`.
pub(crate) fn counters_from_row(row: &sea_orm::QueryResult, offset: usize) -> Result<Counters> {
    let get = |i: usize| -> Result<u64> {
        Ok(u64::try_from(row.try_get_by_index::<i64>(offset + i).map_err(StoreError::Db)?).unwrap_or(0))
    };
    let mut answers = AnswerCounts::new();
    for q in QuestionId::all() {
        let i = 1 + 2 * q.index();
        answers.set(q, YesNo { yes: get(i)?, no: get(i + 1)? });
    }
    Ok(Counters { responses: get(0)?, answers, online: get(1 + 2 * QuestionId::all().count())? })
}

/// Reads the live counters (all zero when nothing has arrived yet).
pub async fn counters<C: ConnectionTrait>(conn: &C, organization_id: i32, period: i32) -> Result<Counters> {
    let mut select = select_counters(&[]);
    select
        .and_where(Expr::col(Alias::new("organization_id")).eq(organization_id))
        .and_where(Expr::col(Alias::new("period")).eq(period));
    match conn.query_one(&select).await? {
        Some(row) => counters_from_row(&row, 0),
        None => Ok(Counters::default()),
    }
}

/// Live scores of an organisation for a period.
#[derive(Clone, Debug)]
pub struct LiveScores {
    pub scores: Scores,
    /// Counted responses.
    pub responses: u64,
    /// Counted responses through the online channels ([`ONLINE_CHANNELS`]).
    pub online_responses: u64,
    /// Whether the checklist of the period has been recorded.
    pub checklist_recorded: bool,
    /// The checklist counts that were scored; `None` when none is recorded (the checklist-based
    /// indicators then have no data and the definition's missing-data policy applies).
    pub checklist: Option<ChecklistCounts>,
    /// The 1.1 sections scored against the region's own list instead of the methodology's.
    pub regional_lists: Vec<ChecklistSection>,
}

impl LiveScores {
    /// Sample progress for an organisation with `population` yearly recipients (§5).
    pub fn progress(&self, population: u64) -> Progress {
        let def = Definition::by_id(&self.scores.methodology).unwrap_or_else(Definition::current);
        Progress::with_rule(&def.sample, population, self.responses, self.online_responses)
    }
}

/// How an organisation is scored: the definition, the engine input, and the 1.1 sections whose
/// counts come from the region's own list.
pub(crate) struct Scoring {
    pub definition: &'static Definition,
    pub input: ScoreInput,
    pub regional_lists: Vec<ChecklistSection>,
}

/// The definition and the engine input of an organisation of `sphere` in `period`: the recorded
/// checklist's version and counts against the lists in use (the region's own 1.1 lists from
/// `regional` where made, N_stand / N_site being their lengths), or — with no checklist recorded —
/// the version for the period's year and no checklist at all (never zero counts).
pub(crate) fn scoring_input(
    recorded: Option<&checklists::Recorded>,
    regional: Option<&Arc<RegionalLists>>,
    sphere: Sphere,
    period: i32,
    answers: AnswerCounts,
) -> Scoring {
    match recorded {
        Some(r) => {
            let lists = r.lists(sphere, regional);
            Scoring {
                definition: r.definition,
                input: ScoreInput { sphere, checklist: Some(lists.counts(&r.marks)), answers },
                regional_lists: lists.regional.sections(),
            }
        }
        None => Scoring {
            definition: checklists::definition_for_year(period),
            input: ScoreInput { sphere, checklist: None, answers },
            regional_lists: Vec::new(),
        },
    }
}

/// The region of an organisation (for its regional lists).
async fn region_of<C: ConnectionTrait>(conn: &C, organization_id: i32) -> Result<Option<String>> {
    use crate::entities::organization;
    use sea_orm::{EntityTrait, QuerySelect};
    Ok(organization::Entity::find_by_id(organization_id)
        .select_only()
        .column(organization::Column::RegionCode)
        .into_tuple()
        .one(conn)
        .await?)
}

/// Scores from the counters and the checklist recorded for the organisation and period (see
/// [`scoring_input`] for the version and for an organisation without a checklist).
pub async fn live_scores<C: ConnectionTrait>(
    conn: &C,
    organization_id: i32,
    sphere: Sphere,
    period: i32,
) -> Result<LiveScores> {
    // Two independent reads: on a pool they run side by side, each on its own connection.
    let ids = [organization_id];
    let (c, mut recorded) =
        futures::try_join!(counters(conn, organization_id, period), checklists::recorded(conn, period, Some(&ids)))?;
    let recorded = recorded.remove(&organization_id);
    // Regional lists matter only for a recorded checklist; reading them costs two small queries.
    let mut regional = None;
    if recorded.is_some()
        && let Some(region) = region_of(conn, organization_id).await?
    {
        regional = Some(checklist_lists::of_region(conn, &region, sphere, period).await?);
    }
    let s = scoring_input(recorded.as_ref(), regional.as_ref(), sphere, period, c.answers);
    let def = s.definition;
    let scores = nok_methodology::score(def, &s.input, def.missing_data.default);
    Ok(LiveScores {
        scores,
        responses: c.responses,
        online_responses: c.online,
        checklist_recorded: s.input.checklist.is_some(),
        checklist: s.input.checklist,
        regional_lists: s.regional_lists,
    })
}

/// Rebuilds `survey_counter` and `channel_counter` of `period` (all periods when `None`) from the
/// accepted raw responses, in one transaction that keeps inserts out while it runs.
pub async fn recompute(db: &Db, period: Option<i32>) -> Result<RecomputeReport> {
    super::recompute::run(db, period).await
}
