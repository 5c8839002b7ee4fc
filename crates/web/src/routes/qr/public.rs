//! Public pages of the QR materials: the live badge `GET /badge/{public_id}.svg` (the total score, or
//! «оценка проводится» while there are too few responses or no total) with caching headers, and the
//! instructions for an organisation's webmaster `GET /widget/{public_id}` with the snippet to copy.

use super::access::current_period;
use crate::ctx::Ctx;
use crate::error::{AppError, AppResult};
use crate::render::page;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use nok_methodology::Sphere;
use nok_store::repo::{organizations, scores, snapshots};
use sha2::{Digest, Sha256};

/// How long browsers and caches may keep a badge, seconds.
const BADGE_MAX_AGE: u32 = 600;

/// The badge's address for an organisation.
pub fn badge_url(base_url: &str, public_id: &str) -> String {
    format!("{}/badge/{}.svg", base_url.trim_end_matches('/'), public_id)
}

/// The total shown on the badge once the organisation has the minimum of responses: the published
/// total when the current period is published, else the live one.
async fn badge_total(state: &AppState, public_id: &str) -> AppResult<Option<f64>> {
    let org = organizations::by_public_id(&state.db.read, public_id).await?;
    let sphere = Sphere::from_code(&org.sphere).ok_or(AppError::NotFound)?;
    let min = state.config.min_responses;
    if let Some(p) = snapshots::for_organization(&state.db.read, org.id, current_period()).await? {
        return Ok(p.row.total.filter(|_| u64::try_from(p.row.responses).unwrap_or(0) >= min));
    }
    let live = scores::live_scores(&state.db.read, org.id, sphere, current_period()).await?;
    Ok(live.scores.total.filter(|_| live.responses >= min))
}

/// `GET /badge/{public_id}.svg`.
pub async fn badge(State(state): State<AppState>, Path(file): Path<String>, headers: HeaderMap) -> AppResult<Response> {
    let public_id = file.strip_suffix(".svg").ok_or(AppError::NotFound)?;
    let svg = nok_print::badge_svg(badge_total(&state, public_id).await?);
    let etag = format!("\"{}\"", hex::encode(&Sha256::digest(svg.as_bytes())[..12]));
    let cache = [
        (header::CACHE_CONTROL, format!("public, max-age={BADGE_MAX_AGE}")),
        (header::ETAG, etag.clone()),
        (header::HeaderName::from_static("cross-origin-resource-policy"), "cross-origin".to_string()),
    ];
    let matches = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag || t.trim() == "*"));
    if matches {
        return Ok((StatusCode::NOT_MODIFIED, cache).into_response());
    }
    let mut res = (cache, svg).into_response();
    res.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("image/svg+xml; charset=utf-8"));
    Ok(res)
}

#[derive(Template)]
#[template(path = "qr/widget_help.html")]
struct WidgetHelpPage {
    ctx: Ctx,
    name: String,
    snippet: String,
    snippet_with_badge: String,
    badge_url: String,
    questionnaire_url: String,
}

/// `GET /widget/{public_id}`: how to put the widget on the organisation's website.
pub async fn widget_help(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(public_id): Path<String>,
) -> AppResult<Response> {
    let org = organizations::by_public_id(&state.db.read, &public_id).await?;
    Ok(page(&WidgetHelpPage {
        snippet: super::downloads::widget_snippet(&state, &org, false)?,
        snippet_with_badge: super::downloads::widget_snippet(&state, &org, true)?,
        badge_url: badge_url(&state.config.base_url, &org.public_id),
        questionnaire_url: super::materials::url(&state.config.base_url, &org, nok_print::Medium::Website),
        name: org.full_name,
        ctx,
    }))
}
