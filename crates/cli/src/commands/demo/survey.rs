//! Demo survey responses: realistic answer rates per question, the questionnaire's filter logic, a
//! spread of channels, spread over the current year. Deterministic for a seed.

use nok_store::Db;
use nok_store::entities::organization;
use nok_store::repo::survey::{self, NewResponse};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// Channels with their share of demo responses (in per mille).
const CHANNELS: [(&str, u32); 7] = [
    ("qr_poster", 380),
    ("portal", 140),
    ("operator_interview", 250),
    ("website_widget", 90),
    ("qr_paper", 60),
    ("phone", 50),
    ("paper", 30),
];

/// The share answering «Да» for q1..q15 (filters are applied separately).
const YES_RATE: [f64; 15] = [0.62, 0.9, 0.48, 0.88, 0.86, 0.84, 0.12, 0.7, 0.93, 0.95, 0.35, 0.9, 0.9, 0.91, 0.92];

fn pick_channel(rng: &mut ChaCha8Rng) -> &'static str {
    let mut x = rng.random_range(0..1000u32);
    for (c, share) in CHANNELS {
        if x < share {
            return c;
        }
        x -= share;
    }
    "portal"
}

/// One respondent's answers as (asked, yes) masks; `quality` shifts the organisation's rates.
fn answers(rng: &mut ChaCha8Rng, uses_q5: bool, quality: f64) -> (u16, u16) {
    let (mut asked, mut yes) = (0u16, 0u16);
    let answer = |q: usize, asked: &mut u16, yes: &mut u16, rng: &mut ChaCha8Rng| -> bool {
        let base = YES_RATE[q - 1];
        let p = if matches!(q, 1 | 3 | 7 | 11) { base } else { (base + quality).clamp(0.05, 0.99) };
        let v = rng.random_bool(p);
        *asked |= 1 << (q - 1);
        if v {
            *yes |= 1 << (q - 1);
        }
        v
    };
    // Filter questions: 1→2, 3→4, 7→8, 11→12.
    for (filter, follow) in [(1, 2), (3, 4)] {
        if answer(filter, &mut asked, &mut yes, rng) {
            answer(follow, &mut asked, &mut yes, rng);
        }
    }
    if uses_q5 {
        answer(5, &mut asked, &mut yes, rng);
    }
    answer(6, &mut asked, &mut yes, rng);
    if answer(7, &mut asked, &mut yes, rng) {
        answer(8, &mut asked, &mut yes, rng);
    }
    answer(9, &mut asked, &mut yes, rng);
    answer(10, &mut asked, &mut yes, rng);
    if answer(11, &mut asked, &mut yes, rng) {
        answer(12, &mut asked, &mut yes, rng);
    }
    for q in 13..=15 {
        answer(q, &mut asked, &mut yes, rng);
    }
    (asked, yes)
}

/// The start (UTC) of the year of `now`: demo responses fall between it and now.
pub(super) fn year_start(now: i64) -> anyhow::Result<i64> {
    let year = nok_store::time_util::period_of(now);
    Ok(time::Date::from_calendar_date(year, time::Month::January, 1)?.midnight().assume_utc().unix_timestamp())
}

/// One demo respondent of `org` at `created_at`; `quality` shifts the organisation's answer rates.
pub(super) fn respondent(
    rng: &mut ChaCha8Rng,
    org: &organization::Model,
    quality: f64,
    created_at: i64,
) -> NewResponse {
    let uses_q5 = matches!(org.sphere.as_str(), "health" | "social" | "mse");
    let (asked, yes) = answers(rng, uses_q5, quality);
    let mut id_bytes = [0u8; 16];
    rng.fill(&mut id_bytes);
    NewResponse {
        id: uuid::Builder::from_random_bytes(id_bytes).into_uuid(),
        organization_id: org.id,
        period: nok_store::time_util::period_of(created_at),
        channel: pick_channel(rng).to_string(),
        asked,
        yes,
        sex: Some(if rng.random_bool(0.58) { "f" } else { "m" }.to_string()),
        age: Some(rng.random_range(18..90)),
        suggestions_sealed: None,
        device_hash: None,
        ip_hash: None,
        flag_reason: None,
        created_at,
    }
}

pub async fn fill(db: &Db, orgs: &[organization::Model], count: usize, seed: u64) -> anyhow::Result<u64> {
    if orgs.is_empty() || count == 0 {
        return Ok(0);
    }
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0x5eed);
    let now = nok_store::time_util::now();
    let year_start = year_start(now)?;
    let span = (now - year_start).max(1);
    // Larger organisations get more responses; each has its own quality level.
    let weights: Vec<f64> = orgs.iter().map(|o| (o.population.max(100) as f64).sqrt()).collect();
    let total_weight: f64 = weights.iter().sum();
    let quality: Vec<f64> = orgs.iter().map(|_| rng.random_range(-0.25..0.06)).collect();
    let mut batch = Vec::with_capacity(500);
    let mut stored = 0u64;
    for _ in 0..count {
        let mut x = rng.random_range(0.0..total_weight);
        let mut idx = 0;
        while idx + 1 < orgs.len() && x >= weights[idx] {
            x -= weights[idx];
            idx += 1;
        }
        let created_at = year_start + rng.random_range(0..span);
        batch.push(respondent(&mut rng, &orgs[idx], quality[idx], created_at));
        if batch.len() == 500 {
            stored += survey::insert_batch(db, &batch).await?.len() as u64;
            batch.clear();
        }
    }
    stored += survey::insert_batch(db, &batch).await?.len() as u64;
    Ok(stored)
}
