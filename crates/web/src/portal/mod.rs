//! Public figures of the citizen portal: an organisation's result with the small-numbers rule, its
//! history by year and the mean of its region and sphere; region and country rankings for the region
//! pages and the home page's top lists. Numbers come from the store's aggregates (live counters through
//! the methodology engine), with the frozen values of a published period in place of the live ones
//! (`snapshots::overlay`); this module only applies the publication rule and keeps them in short-lived
//! per-instance caches, because pages are read far more often than they change. An organisation's entry
//! is dropped as soon as a response for it is committed on this instance.

mod cache;
pub mod export;
pub mod figures;
pub mod municipalities;
pub mod pages;
pub mod plan;
pub mod view;

pub use figures::{OrgFigures, Ranking};

use cache::TtlCache;
use nok_store::repo::aggregates::{self, OrgResult, ResultFilter};
use nok_store::repo::{organizations, publications, snapshots, survey_stats};
use nok_store::time_util::{now, period_of};
use nok_store::{Actor, Db, StoreError};
use std::sync::Arc;
use std::time::Duration;

/// How long an organisation's figures are reused (responses committed here drop them at once).
const ORG_TTL: Duration = Duration::from_secs(10);
/// How long a region ranking (and the peer means taken from it) is reused.
const REGION_TTL: Duration = Duration::from_secs(60);
/// How long the country ranking behind the home page's top lists is reused.
const COUNTRY_TTL: Duration = Duration::from_secs(300);

/// The public sees every active organisation: the registry and the results are open data.
pub fn public_actor() -> Actor {
    Actor { scope: nok_store::scope::Scope::Regions { regions: None }, ..Actor::system() }
}

/// The assessment period shown by default: the current calendar year.
pub fn current_period() -> i32 {
    period_of(now())
}

/// The portal's figures and caches. Clone freely.
#[derive(Clone)]
pub struct Portal {
    inner: Arc<Inner>,
}

struct Inner {
    min_responses: u64,
    orgs: TtlCache<String, Arc<OrgFigures>>,
    regions: TtlCache<(String, i32), Arc<Ranking>>,
    country: TtlCache<i32, Arc<Ranking>>,
    pages: pages::PageCache,
}

impl Portal {
    /// `min_responses`: below this many counted responses a result is not published (shown as
    /// «недостаточно ответов»).
    pub fn new(min_responses: u64) -> Portal {
        Portal {
            inner: Arc::new(Inner {
                min_responses,
                orgs: TtlCache::new(ORG_TTL, 50_000),
                regions: TtlCache::new(REGION_TTL, 200),
                country: TtlCache::new(COUNTRY_TTL, 4),
                pages: pages::PageCache::default(),
            }),
        }
    }

    pub fn min_responses(&self) -> u64 {
        self.inner.min_responses
    }

    /// Drops the cached figures and pages of these organisations (their counters changed).
    pub fn invalidate(&self, organization_ids: &[i32]) {
        // Pages first: that bumps the generation, so figures being read right now are not kept.
        self.inner.pages.clear();
        self.inner.orgs.remove_where(|f| organization_ids.binary_search(&f.org.id).is_ok());
    }

    /// Drops the cached figures and pages of these organisations, by public id (after a commit).
    pub fn invalidate_public(&self, public_ids: &[String]) {
        self.inner.pages.remove(public_ids);
        for id in public_ids {
            self.inner.orgs.remove(id);
        }
    }

    /// The rendered anonymous organisation pages.
    pub fn pages(&self) -> &pages::PageCache {
        &self.inner.pages
    }

    /// Drops every rendered page (something shown on them may have changed).
    pub fn drop_pages(&self) {
        self.inner.pages.clear();
    }

    /// Drops every cached figure (results were published).
    pub fn clear(&self) {
        self.inner.pages.clear();
        self.inner.orgs.remove_where(|_| true);
        self.inner.regions.remove_where(|_| true);
        self.inner.country.remove_where(|_| true);
    }

    /// What the public sees of `filter` in `period`: published values where published, live otherwise.
    async fn public_results(db: &Db, filter: &ResultFilter, period: i32) -> Result<Vec<OrgResult>, StoreError> {
        let mut results = aggregates::org_results(&db.read, &public_actor(), filter, period).await?;
        snapshots::overlay(&db.read, period, &mut results).await?;
        Ok(results)
    }

    /// The ranking of the active organisations of a region in the period.
    pub async fn region(&self, db: &Db, region_code: &str, period: i32) -> Result<Arc<Ranking>, StoreError> {
        let key = (region_code.to_string(), period);
        if let Some(hit) = self.inner.regions.get(&key) {
            return Ok(hit);
        }
        let filter = ResultFilter { region_code: Some(region_code.to_string()), ..ResultFilter::default() };
        let results = Self::public_results(db, &filter, period).await?;
        let ranking = Arc::new(Ranking::new(period, results, self.min_responses()));
        self.inner.regions.put(key, ranking.clone());
        Ok(ranking)
    }

    /// The ranking of every active organisation in the period (the home page's top lists).
    pub async fn country(&self, db: &Db, period: i32) -> Result<Arc<Ranking>, StoreError> {
        if let Some(hit) = self.inner.country.get(&period) {
            return Ok(hit);
        }
        let results = Self::public_results(db, &ResultFilter::default(), period).await?;
        let ranking = Arc::new(Ranking::new(period, results, self.min_responses()));
        self.inner.country.put(period, ranking.clone());
        Ok(ranking)
    }

    /// An active organisation's figures for the current period, by its public id.
    pub async fn organization(&self, db: &Db, public_id: &str) -> Result<Arc<OrgFigures>, StoreError> {
        if let Some(hit) = self.inner.orgs.get(&public_id.to_string()) {
            return Ok(hit);
        }
        let generation = self.inner.pages.generation();
        let org = organizations::by_public_id(&db.read, public_id).await?;
        let period = current_period();
        let filter = ResultFilter { organization_id: Some(org.id), ..ResultFilter::default() };
        let result = Self::public_results(db, &filter, period).await?.into_iter().next();
        let history = publications::org_history(&db.read, org.id).await?;
        let channels = survey_stats::channel_counts(&db.read, org.id, period).await?;
        let region = self.region(db, &org.region_code, period).await?;
        let figures = Arc::new(OrgFigures::new(org, period, result, history, channels, &region, self.min_responses()));
        if self.inner.pages.generation() == generation {
            // Nothing was dropped while these were read: they are current.
            self.inner.orgs.put(public_id.to_string(), figures.clone());
        }
        Ok(figures)
    }
}

/// Starts survey intake (its writer drops the portal's cached figures of organisations whose counters
/// changed) and the portal; needs a Tokio runtime.
pub fn start_services(
    db: &Db,
    config: &crate::config::WebConfig,
    key: nok_store::crypto::FieldKey,
) -> (crate::intake::Intake, Portal) {
    let portal = Portal::new(config.min_responses);
    let on_commit = portal.clone();
    let intake = crate::intake::Intake::start(
        db.clone(),
        &config.intake,
        key,
        Arc::new(move |ids: &[String]| on_commit.invalidate_public(ids)),
    );
    (intake, portal)
}

/// Whether a request stores survey responses (those drop exactly their organisation's cached pages
/// after the commit, through the intake writer).
fn is_survey_intake(path: &str) -> bool {
    path == "/api/v1/responses" || (path.starts_with("/o/") && path.ends_with("/anketa"))
}

/// Middleware: after any successful change other than a survey response (a review published or
/// answered, a vote, a registry edit, a publication…) the rendered organisation pages are dropped, so
/// the change is on the next page view. Changes are rare next to page views; dropping all pages keeps
/// every present and future form correct without each handler knowing which pages show its data.
pub async fn invalidate_on_change(
    axum::extract::State(state): axum::extract::State<crate::state::AppState>,
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    use axum::http::Method;
    let changes =
        !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) && !is_survey_intake(req.uri().path());
    let res = next.run(req).await;
    if changes && (res.status().is_success() || res.status().is_redirection()) {
        state.portal.drop_pages();
    }
    res
}
