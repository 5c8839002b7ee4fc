//! `/cabinet/votes`: the comments citizens left with their agreement or disagreement with the rating
//! (never published). Organisation staff read their own organisation's, authorities and councils those of
//! their scope, administrators and federal monitoring all — the store decides (`repo::rating_votes`). A filter
//! by year, one organisation (`?organization=`), pagination, and CSV/XLSX export of the same selection.

use super::{actor, date};
use crate::ctx::Ctx;
use crate::error::AppResult;
use crate::portal::export::{Cell, ExportLinks, Table};
use crate::render::page;
use crate::state::AppState;
use crate::views::Pager;
use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::routing::get;
use nok_store::repo::rating_votes::{self, CommentQuery, CommentRow};
use serde::Deserialize;

pub fn routes() -> Router<AppState> {
    Router::new().route("/cabinet/votes", get(list)).route("/cabinet/votes/export/{format}", get(export))
}

const PER_PAGE: u64 = 25;
/// The largest export.
const EXPORT_LIMIT: u64 = 100_000;

/// Filters arrive as text so that an empty select («все годы») is simply no filter.
#[derive(Deserialize, Default, Clone)]
struct ListQuery {
    organization: Option<String>,
    period: Option<String>,
    page: Option<u64>,
}

impl ListQuery {
    fn organization(&self) -> Option<i32> {
        self.organization.as_deref().and_then(|v| v.trim().parse().ok())
    }

    fn period(&self) -> Option<i32> {
        self.period.as_deref().and_then(|v| v.trim().parse().ok())
    }

    fn store(&self, page: u64, per_page: u64) -> CommentQuery {
        CommentQuery { organization_id: self.organization(), period: self.period(), page, per_page }
    }

    /// The filters as a query string (for page and export links).
    fn href(&self) -> String {
        let org = self.organization().map(|o| o.to_string()).unwrap_or_default();
        let period = self.period().map(|p| p.to_string()).unwrap_or_default();
        serde_urlencoded::to_string([("organization", org.as_str()), ("period", period.as_str())]).unwrap_or_default()
    }
}

fn opinion(agree: bool) -> String {
    nok_i18n::t(if agree { "fb-agree" } else { "fb-disagree" })
}

struct Row {
    date: String,
    organization_id: i32,
    organization: String,
    period: i32,
    opinion: String,
    comment: String,
}

impl From<CommentRow> for Row {
    fn from(r: CommentRow) -> Row {
        Row {
            date: date(r.vote.created_at),
            organization_id: r.vote.organization_id,
            organization: r.organization,
            period: r.vote.period,
            opinion: opinion(r.vote.agree),
            comment: r.vote.comment.unwrap_or_default(),
        }
    }
}

#[derive(Template)]
#[template(path = "feedback/cabinet_votes.html")]
struct ListPage {
    ctx: Ctx,
    /// The organisation the list is narrowed to: its id and name.
    organization: Option<(i32, String)>,
    period: String,
    periods: Vec<i32>,
    rows: Vec<Row>,
    total: u64,
    pager: Pager,
    export: ExportLinks,
}

async fn list(State(state): State<AppState>, ctx: Ctx, Query(q): Query<ListQuery>) -> AppResult<Response> {
    let actor = actor(&ctx)?;
    let db = &state.db.read;
    let p = rating_votes::comments(db, &actor, &q.store(q.page.unwrap_or(1), PER_PAGE)).await?;
    let organization = match q.organization() {
        Some(id) => Some((id, nok_store::repo::organizations::get(db, &actor, id).await?.short_name)),
        None => None,
    };
    let periods = rating_votes::comment_periods(db, &actor, q.organization()).await?;
    let base = q.href();
    Ok(page(&ListPage {
        ctx,
        organization,
        period: q.period().map(|p| p.to_string()).unwrap_or_default(),
        periods,
        total: p.total,
        pager: Pager::new(p.page, p.pages(), |n| format!("/cabinet/votes?{base}&page={n}")),
        rows: p.items.into_iter().map(Row::from).collect(),
        export: ExportLinks::new("/cabinet/votes/export", &base),
    }))
}

async fn export(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(format): Path<String>,
    Query(q): Query<ListQuery>,
) -> AppResult<Response> {
    let actor = actor(&ctx)?;
    let rows = rating_votes::export_comments(&state.db.read, &actor, &q.store(1, EXPORT_LIMIT), EXPORT_LIMIT).await?;
    let mut table =
        Table::with_headers(&["fb-col-date", "fb-organization", "fb-col-period", "fb-col-opinion", "fb-col-comment"]);
    table.rows = rows
        .into_iter()
        .map(Row::from)
        .map(|r| {
            vec![
                Cell::Text(r.date),
                Cell::Text(r.organization),
                Cell::Count(u64::try_from(r.period).unwrap_or_default()),
                Cell::Text(r.opinion),
                Cell::Text(r.comment),
            ]
        })
        .collect();
    table.download(&format, "rating-comments")
}
