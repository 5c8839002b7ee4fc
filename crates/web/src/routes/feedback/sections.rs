//! The feedback sections of the public organisation page: agreement with the rating (counts and the vote
//! form), the latest published reviews with the organisation's answers, and the buttons to review and appeal.
//! The data is cached per organisation for a few seconds (the page is the busiest one) and dropped at once
//! when this process changes it; other instances see a change within the same few seconds. Entries are
//! keyed by database too (servers over different databases in one process, as in tests, share nothing).

use super::reviews::ReviewView;
use crate::ctx::Ctx;
use crate::error::AppResult;
use crate::state::AppState;
use askama::Template;
use nok_store::entities::organization;
use nok_store::repo::rating_votes::{self, VoteCounts};
use nok_store::repo::reviews;
use std::collections::HashMap;
use std::sync::{Arc, OnceLock, RwLock};
use std::time::{Duration, Instant};

/// How many reviews the organisation page shows (the rest are on the reviews page).
const LATEST: u64 = 5;
const TTL: Duration = Duration::from_secs(5);

struct Data {
    votes: VoteCounts,
    reviews: Vec<ReviewView>,
    total_reviews: u64,
}

/// (database, organisation id) → the data and when it was read.
type Cache = RwLock<HashMap<(u64, i32), (Instant, Arc<Data>)>>;

fn cache() -> &'static Cache {
    static CACHE: OnceLock<Cache> = OnceLock::new();
    CACHE.get_or_init(Default::default)
}

/// Drops the cached sections of an organisation (after a vote, a moderation decision or an answer).
pub(crate) fn invalidate(organization_id: i32) {
    if let Ok(mut c) = cache().write() {
        c.retain(|(_, id), _| *id != organization_id);
    }
}

/// Which database a server uses: a digest of its server secret, which is random per database.
fn database_of(state: &AppState) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    state.secret.hash(&mut h);
    h.finish()
}

/// The assessment period votes count towards: the current year.
pub(crate) fn current_period() -> i32 {
    nok_store::time_util::period_of(nok_store::time_util::now())
}

async fn load(state: &AppState, org_id: i32) -> AppResult<Arc<Data>> {
    let key = (database_of(state), org_id);
    if let Some((at, data)) = cache().read().ok().and_then(|c| c.get(&key).cloned())
        && at.elapsed() < TTL
    {
        return Ok(data);
    }
    let votes = rating_votes::counts(&state.db.read, org_id, current_period()).await?;
    let page = reviews::published(&state.db.read, org_id, 1, LATEST).await?;
    let data =
        Arc::new(Data { votes, total_reviews: page.total, reviews: page.items.iter().map(ReviewView::new).collect() });
    if let Ok(mut c) = cache().write() {
        if c.len() > 10_000 {
            c.clear();
        }
        c.insert(key, (Instant::now(), data.clone()));
    }
    Ok(data)
}

#[derive(Template)]
#[template(path = "feedback/sections.html")]
struct Sections<'a> {
    ctx: &'a Ctx,
    public_id: &'a str,
    votes: VoteCounts,
    agree_percent: String,
    disagree_percent: String,
    reviews: &'a [ReviewView],
    total_reviews: u64,
    more_reviews: bool,
    period: i32,
}

pub(crate) async fn render(state: &AppState, ctx: &Ctx, org: &organization::Model) -> AppResult<String> {
    let data = load(state, org.id).await?;
    let agree = data.votes.agree_percent();
    let disagree = if data.votes.total() == 0 { 0.0 } else { 100.0 - agree };
    Ok(Sections {
        ctx,
        public_id: &org.public_id,
        votes: data.votes,
        agree_percent: nok_i18n::format_decimal(agree, 0),
        disagree_percent: nok_i18n::format_decimal(disagree, 0),
        reviews: &data.reviews,
        total_reviews: data.total_reviews,
        more_reviews: data.total_reviews > data.reviews.len() as u64,
        period: current_period(),
    }
    .render()?)
}
