//! Scores in the browser: the public explanation of an organisation's score (`/o/{public_id}/explain`)
//! and its cabinet variant, the cabinet list of organisations with scores and sample progress (with
//! CSV/XLSX export), aggregates at every level with rankings (CSV/XLSX too) and history by year, and
//! publication of results by an authority (with confirmation). Numbers come from the store;
//! visibility is decided there.

mod cabinet;
mod explain;
mod explain_page;
mod groups;

use crate::ctx::Ctx;
use crate::error::{AppError, AppResult};
use crate::portal::export::ExportLinks;
use crate::render::page;
use crate::state::AppState;
use crate::views::{self, Pager, SortLink};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Form, Router};
use explain::points;
use nok_methodology::Definition;
use nok_store::repo::aggregates::{self, Level, ResultFilter};
use nok_store::repo::{publications, reference};
use nok_store::scope::Scope;
use nok_store::{Actor, Role};
use serde::Deserialize;

pub use cabinet::ListQuery;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/o/{public_id}/explain", get(explain_page::public))
        .route("/cabinet/scores", get(list))
        .route("/cabinet/scores/export/{format}", get(export))
        .route("/cabinet/scores/{org_id}/explain", get(explain_page::cabinet))
        .route("/cabinet/aggregates", get(aggregates_page))
        .route("/cabinet/aggregates/export/{format}", get(aggregates_export))
        .route("/cabinet/publish", get(publish_confirm).post(publish))
}

/// The public explanation of an organisation's score for the current period.
pub fn explain_href(public_id: &str) -> String {
    format!("/o/{public_id}/explain")
}

#[derive(Template)]
#[template(path = "scores/cabinet.html")]
struct ListPage {
    ctx: Ctx,
    query: ListQuery,
    period: i32,
    periods: Vec<i32>,
    regions: Vec<(String, String)>,
    spheres: Vec<(String, String)>,
    sort_links: Vec<SortLink>,
    rows: Vec<cabinet::Row>,
    total: usize,
    pager: Pager,
    summary: cabinet::Summary,
    export_query: String,
}

async fn list(State(state): State<AppState>, ctx: Ctx, Query(query): Query<ListQuery>) -> AppResult<Response> {
    let actor = ctx.require_user()?.clone();
    let all = cabinet::results(&state, &actor, &query).await?;
    let regions = views::region_options(&state).await?;
    let pager = cabinet::pager(&query, all.len());
    Ok(page(&ListPage {
        period: query.period(),
        periods: cabinet::periods(&state, &ctx).await?,
        spheres: views::sphere_options(),
        sort_links: cabinet::sort_links(&query),
        rows: cabinet::rows(&all, pager.page as usize, &regions),
        total: all.len(),
        summary: cabinet::summary(&all),
        export_query: query.href(None, None, None),
        regions,
        pager,
        query,
        ctx,
    }))
}

async fn export(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(format): Path<String>,
    Query(query): Query<ListQuery>,
) -> AppResult<Response> {
    let actor = ctx.require_user()?.clone();
    let all = cabinet::results(&state, &actor, &query).await?;
    let regions = views::region_options(&state).await?;
    cabinet::export(&all, &regions, &format, &format!("scores-{}", query.period()))
}

#[derive(Deserialize, Default)]
struct AggregatesQuery {
    period: Option<i32>,
    level: Option<String>,
    published: Option<String>,
}

impl AggregatesQuery {
    fn level(&self) -> Level {
        self.level.as_deref().and_then(Level::from_code).unwrap_or_default()
    }
}

struct YearRow {
    period: i32,
    assessed: u64,
    total: String,
    criteria: Vec<String>,
    responses: u64,
}

struct PublicationRow {
    period: i32,
    authority: String,
    organizations: i32,
    at: String,
    by: String,
    methodology: String,
}

#[derive(Template)]
#[template(path = "scores/aggregates.html")]
struct AggregatesPage {
    ctx: Ctx,
    period: i32,
    periods: Vec<i32>,
    level: String,
    levels: Vec<(String, String)>,
    criteria: Vec<String>,
    groups: Vec<groups::GroupRow>,
    export: ExportLinks,
    history: Vec<YearRow>,
    publications: Vec<PublicationRow>,
    /// Authorities the user may publish for: `(id, name)`.
    publish_for: Vec<(i32, String)>,
    publish_label: String,
    notice: Option<String>,
}

/// Authorities the actor may publish for.
async fn publishers(state: &AppState, actor: &Actor) -> AppResult<Vec<(i32, String)>> {
    Ok(match (&actor.role, &actor.scope) {
        (Role::Admin, _) => {
            reference::authorities(&state.db.read, actor).await?.into_iter().map(|a| (a.id, a.name)).collect()
        }
        (Role::Authority, Scope::Authority { authority_id, .. }) => {
            reference::authority_by_id(&state.db.read, *authority_id)
                .await?
                .map(|a| vec![(a.id, a.name)])
                .unwrap_or_default()
        }
        _ => Vec::new(),
    })
}

async fn aggregates_page(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<AggregatesQuery>,
) -> AppResult<Response> {
    let actor = ctx.require_user()?.clone();
    let period = q.period.unwrap_or_else(crate::portal::current_period);
    let level = q.level();
    let decimals = Definition::current().decimals;
    let results = aggregates::org_results(&state.db.read, &actor, &ResultFilter::default(), period).await?;
    let groups = groups::groups(&state, &results, level).await?.iter().map(|g| g.row(decimals)).collect();
    let history = aggregates::history(&state.db.read, &actor, &ResultFilter::default())
        .await?
        .into_iter()
        .map(|(period, a)| YearRow {
            period,
            assessed: a.assessed,
            total: points(a.total, decimals),
            criteria: a.criteria.iter().map(|(_, v)| points(*v, decimals)).collect(),
            responses: a.responses,
        })
        .collect();
    let mut publication_rows = Vec::new();
    for p in publications::list(&state.db.read).await? {
        let authority =
            reference::authority_by_id(&state.db.read, p.authority_id).await?.map(|a| a.name).unwrap_or_default();
        publication_rows.push(PublicationRow {
            period: p.period,
            authority,
            organizations: p.organizations,
            at: nok_i18n::format_datetime(nok_store::time_util::to_datetime(p.published_at)),
            by: p.published_by,
            methodology: p.methodology,
        });
    }
    Ok(page(&AggregatesPage {
        periods: cabinet::periods(&state, &ctx).await?,
        level: level.code().to_owned(),
        export: ExportLinks::new("/cabinet/aggregates/export", &format!("period={period}&level={}", level.code())),
        levels: Level::ALL
            .iter()
            .map(|l| (l.code().to_owned(), nok_i18n::t(&format!("sc-agg-level-{}", l.code()))))
            .collect(),
        criteria: Definition::current().criteria.iter().map(|c| c.id.clone()).collect(),
        publish_for: publishers(&state, &actor).await?,
        publish_label: nok_i18n::t!("sc-publish-button", period = period),
        notice: q.published.map(|_| nok_i18n::t("sc-publish-done")),
        publications: publication_rows,
        period,
        groups,
        history,
        ctx,
    }))
}

/// The groups of the aggregates page as `aggregates-{level}-{period}.{csv|xlsx}`.
async fn aggregates_export(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(format): Path<String>,
    Query(q): Query<AggregatesQuery>,
) -> AppResult<Response> {
    let actor = ctx.require_user()?.clone();
    let period = q.period.unwrap_or_else(crate::portal::current_period);
    let level = q.level();
    let results = aggregates::org_results(&state.db.read, &actor, &ResultFilter::default(), period).await?;
    let groups = groups::groups(&state, &results, level).await?;
    groups::table(&groups).download(&format, &format!("aggregates-{}-{period}", level.code()))
}

#[derive(Deserialize)]
struct PublishForm {
    period: i32,
    authority_id: i32,
}

#[derive(Template)]
#[template(path = "scores/publish.html")]
struct PublishPage {
    ctx: Ctx,
    title: String,
    text: String,
    period: i32,
    authority_id: i32,
    authority: String,
    already: bool,
}

async fn publish_confirm(State(state): State<AppState>, ctx: Ctx, Query(f): Query<PublishForm>) -> AppResult<Response> {
    let actor = ctx.require_user()?.clone();
    let (organizations, already) = publications::preview(&state.db.read, &actor, f.authority_id, f.period).await?;
    let authority = reference::authority_by_id(&state.db.read, f.authority_id).await?.ok_or(AppError::NotFound)?;
    Ok(page(&PublishPage {
        ctx,
        title: nok_i18n::t!("sc-publish-confirm-title", period = f.period),
        text: nok_i18n::t!("sc-publish-confirm-text", n = organizations),
        period: f.period,
        authority_id: f.authority_id,
        authority: authority.name,
        already,
    }))
}

async fn publish(State(state): State<AppState>, ctx: Ctx, Form(f): Form<PublishForm>) -> AppResult<Response> {
    let actor = ctx.require_user()?.clone();
    publications::publish(&state.db, &actor, f.authority_id, f.period).await?;
    state.portal.clear();
    Ok(Redirect::to(&format!("/cabinet/aggregates?period={}&published=1", f.period)).into_response())
}
