//! The small-numbers rule applied to live results: a result is published only when it has a total and at
//! least `min_responses` counted responses; rankings, means and top lists are taken over published results
//! only. Pure functions over the store's `OrgResult`s; no I/O.

use nok_methodology::Sphere;
use nok_store::entities::organization;
use nok_store::repo::aggregates::{self, Aggregate, Level, OrgResult, competition_ranks};
use nok_store::repo::publications::YearResult;

/// Whether a result may be shown as a score.
pub fn is_published(r: &OrgResult, min_responses: u64) -> bool {
    r.responses >= min_responses && r.values.total.is_some()
}

/// The live results of a set of organisations (a region or the country) in one period.
pub struct Ranking {
    pub period: i32,
    pub min_responses: u64,
    pub results: Vec<OrgResult>,
}

impl Ranking {
    pub fn new(period: i32, results: Vec<OrgResult>, min_responses: u64) -> Ranking {
        Ranking { period, min_responses, results }
    }

    /// The results of one sphere (or all).
    pub fn in_sphere(&self, sphere: Option<Sphere>) -> impl Iterator<Item = &OrgResult> {
        self.results.iter().filter(move |r| sphere.is_none_or(|s| r.sphere == s))
    }

    /// The published results of one sphere (or all).
    pub fn published(&self, sphere: Option<Sphere>) -> impl Iterator<Item = &OrgResult> {
        self.in_sphere(sphere).filter(|r| is_published(r, self.min_responses))
    }

    /// Published results ranked by total, highest first (competition ranks: 1, 2, 2, 4).
    pub fn ranked(&self, sphere: Option<Sphere>) -> Vec<(u32, &OrgResult)> {
        let published: Vec<&OrgResult> = self.published(sphere).collect();
        let totals: Vec<Option<f64>> = published.iter().map(|r| r.values.total).collect();
        let decimals = published.first().map_or(2, |r| r.definition.decimals);
        let mut out: Vec<(u32, &OrgResult)> = published
            .into_iter()
            .zip(competition_ranks(&totals, decimals))
            .filter_map(|(r, rank)| rank.map(|rank| (rank, r)))
            .collect();
        out.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.short_name.cmp(&b.1.short_name)));
        out
    }

    /// Results not published (too few responses), most responses first.
    pub fn unpublished(&self, sphere: Option<Sphere>) -> Vec<&OrgResult> {
        let mut out: Vec<&OrgResult> =
            self.in_sphere(sphere).filter(|r| !is_published(r, self.min_responses)).collect();
        out.sort_by(|a, b| b.responses.cmp(&a.responses).then_with(|| a.short_name.cmp(&b.short_name)));
        out
    }

    /// Means over the published results, grouped at `level`.
    pub fn means(&self, level: Level) -> Vec<Aggregate> {
        aggregates::aggregate(self.published(None), level)
    }

    /// The mean of the published results of one sphere in one region.
    pub fn peer_mean(&self, region_code: &str, sphere: Sphere) -> Option<Aggregate> {
        self.means(Level::SphereInRegion)
            .into_iter()
            .find(|a| a.key.region_code.as_deref() == Some(region_code) && a.key.sphere == Some(sphere))
    }

    /// The `n` organisations with the most counted responses.
    pub fn most_responses(&self, n: usize) -> Vec<&OrgResult> {
        let mut all: Vec<&OrgResult> = self.results.iter().filter(|r| r.responses > 0).collect();
        all.sort_by(|a, b| b.responses.cmp(&a.responses).then_with(|| a.short_name.cmp(&b.short_name)));
        all.truncate(n);
        all
    }
}

/// One year of an organisation's history.
#[derive(Clone, Debug)]
pub struct YearFigures {
    pub period: i32,
    pub responses: u64,
    /// The total, only when it may be shown (enough responses).
    pub total: Option<f64>,
    /// The values are the published (frozen) ones.
    pub frozen: bool,
}

/// Everything the organisation page shows about its survey and scores.
pub struct OrgFigures {
    pub org: organization::Model,
    pub period: i32,
    pub min_responses: u64,
    /// The current period's live result (absent for an organisation outside the methodology's spheres).
    pub result: Option<OrgResult>,
    pub history: Vec<YearFigures>,
    /// Counted responses per channel in the period.
    pub channels: Vec<(String, u64)>,
    /// Mean of the published results of the same sphere in the same region.
    pub peer: Option<Aggregate>,
    /// Rank among the published results of its sphere in its region, and how many there are.
    pub rank: Option<(u32, usize)>,
}

impl OrgFigures {
    pub fn new(
        org: organization::Model,
        period: i32,
        result: Option<OrgResult>,
        history: Vec<YearResult>,
        channels: Vec<(String, u64)>,
        region: &Ranking,
        min_responses: u64,
    ) -> OrgFigures {
        let sphere = Sphere::from_code(&org.sphere);
        let (peer, rank) = match sphere {
            Some(s) => {
                let ranked = region.ranked(Some(s));
                let rank = ranked.iter().find(|(_, r)| r.organization_id == org.id).map(|(n, _)| (*n, ranked.len()));
                (region.peer_mean(&org.region_code, s), rank)
            }
            None => (None, None),
        };
        let mut history: Vec<YearFigures> = history
            .into_iter()
            .map(|y| YearFigures {
                period: y.period,
                responses: y.responses,
                total: y.total.filter(|_| y.responses >= min_responses),
                frozen: y.published,
            })
            .collect();
        history.sort_by_key(|y| std::cmp::Reverse(y.period));
        OrgFigures { org, period, min_responses, result, history, channels, peer, rank }
    }

    /// Responses counted so far in the period, live (the sample section shows them also after a
    /// publication froze the score).
    pub fn live_responses(&self) -> u64 {
        self.channels.iter().map(|(_, n)| *n).sum()
    }

    /// Responses behind the score shown (the frozen count once the period's results are published).
    pub fn responses(&self) -> u64 {
        self.result.as_ref().map_or(0, |r| r.responses)
    }

    /// The result, when it may be shown as a score.
    pub fn published(&self) -> Option<&OrgResult> {
        self.result.as_ref().filter(|r| is_published(r, self.min_responses))
    }
}
