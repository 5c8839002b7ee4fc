//! The public portal pages: the home page (search by name, ИНН, region and sphere; top lists; regions),
//! the organisation page (`/o/{public_id}`: total and K1–K5 with bars beside the region-and-sphere mean,
//! responses, history by year, the small-numbers rule, the way to rate, the published improvement plan and
//! the feedback sections), and the region page (`/r/{code}`: ranking table with a chart of sphere means,
//! the mean total of each municipality, CSV and XLSX export of both).

use crate::ctx::Ctx;
use crate::error::{AppError, AppResult};
use crate::intake::Channel;
use crate::portal::municipalities::{self, MunicipalityRow};
use crate::portal::view::{self, Bar, MeanBar, RankRow};
use crate::portal::{OrgFigures, Ranking, current_period, public_actor};
use crate::render::{page, render};
use crate::state::AppState;
use crate::views::{self, OrgRow, Pager};
use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use nok_methodology::Sphere;
use nok_store::repo::aggregates::Level;
use nok_store::repo::organizations::{self, OrgQuery};
use serde::Deserialize;
use std::collections::HashMap;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(home))
        .route("/o/{public_id}", get(organization))
        .route("/r/{code}", get(region))
        .route("/r/{code}/export/{format}", get(region_export))
        .route("/r/{code}/municipalities/{format}", get(municipalities_export))
}

/// `(code, name)` of every region (the fixed list of the subjects of the Federation; no database read).
fn region_options() -> Vec<(String, String)> {
    nok_registry::regions::all().iter().map(|r| (r.code.to_string(), r.name.to_string())).collect()
}

fn region_name(code: &str) -> String {
    nok_registry::regions::by_code(code).map_or_else(|| code.to_string(), |r| r.name.to_string())
}

fn clean(v: &Option<String>) -> Option<String> {
    v.as_ref().map(|s| s.trim().to_string()).filter(|s| !s.is_empty())
}

const TOP: usize = 10;

#[derive(Deserialize, Default)]
struct SearchQuery {
    q: Option<String>,
    region: Option<String>,
    sphere: Option<String>,
    page: Option<u64>,
}

/// A search hit with its published total, if any.
struct Hit {
    row: OrgRow,
    public_id: String,
    total: Option<String>,
}

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    ctx: Ctx,
    q: String,
    region: String,
    sphere: String,
    searched: bool,
    hits: Vec<Hit>,
    total: u64,
    pager: Pager,
    regions: Vec<(String, String)>,
    spheres: Vec<(String, String)>,
    period: i32,
    best: Vec<RankRow>,
    most_rated: Vec<RankRow>,
    region_bars: Vec<MeanBar>,
}

async fn home(State(state): State<AppState>, ctx: Ctx, Query(s): Query<SearchQuery>) -> AppResult<Response> {
    let searched = clean(&s.q).is_some() || clean(&s.region).is_some() || clean(&s.sphere).is_some();
    let query = OrgQuery {
        q: clean(&s.q),
        region_code: clean(&s.region),
        sphere: clean(&s.sphere),
        page: s.page.unwrap_or(1),
        per_page: 20,
        ..Default::default()
    };
    let result = organizations::list(&state.db.read, &public_actor(), &query).await?;
    let regions = region_options();
    let period = current_period();
    let country = state.portal.country(&state.db, period).await?;
    let min = state.portal.min_responses();
    let by_id: HashMap<i32, _> = country.results.iter().map(|r| (r.organization_id, r)).collect();
    let hits = result
        .items
        .iter()
        .map(|m| Hit {
            row: OrgRow::new(m, &regions),
            public_id: m.public_id.clone(),
            total: by_id.get(&m.id).and_then(|r| RankRow::new(None, r, min).total),
        })
        .collect();
    let href_base = serde_urlencoded::to_string([
        ("q", clean(&s.q).unwrap_or_default()),
        ("region", clean(&s.region).unwrap_or_default()),
        ("sphere", clean(&s.sphere).unwrap_or_default()),
    ])
    .unwrap_or_default();
    let pager = Pager::new(result.page, result.pages(), |p| format!("/?{href_base}&page={p}"));
    let best = country.ranked(None).into_iter().take(TOP).map(|(rank, r)| RankRow::new(Some(rank), r, min)).collect();
    let most_rated = country.most_responses(TOP).into_iter().map(|r| RankRow::new(None, r, min)).collect();
    let region_bars = country
        .means(Level::Region)
        .iter()
        .filter_map(|a| {
            let code = a.key.region_code.clone()?;
            MeanBar::new(format!("{code} — {}", region_name(&code)), Some(format!("/r/{code}")), a)
        })
        .collect();
    Ok(page(&HomePage {
        ctx,
        q: clean(&s.q).unwrap_or_default(),
        region: clean(&s.region).unwrap_or_default(),
        sphere: clean(&s.sphere).unwrap_or_default(),
        searched,
        total: result.total,
        hits,
        pager,
        regions,
        spheres: views::sphere_options(),
        period,
        best,
        most_rated,
        region_bars,
    }))
}

/// A year of the organisation's history, formatted.
struct YearRow {
    period: i32,
    responses: String,
    total: Option<String>,
    frozen: bool,
}

#[derive(Template)]
#[template(path = "portal/org.html")]
struct OrgPage {
    ctx: Ctx,
    public_id: String,
    full_name: String,
    short_name: String,
    sphere: String,
    region_code: String,
    region_name: String,
    address: String,
    website: Option<String>,
    period: i32,
    /// Responses counted so far (live).
    responses: u64,
    /// Responses behind the score shown (frozen once published), and as «N ответов».
    score_responses: u64,
    responses_text: String,
    /// «N ответов» counted so far (live).
    live_responses_text: String,
    min_responses: u64,
    total: Option<Bar>,
    criteria: Vec<Bar>,
    /// «опубликовано ДД.ММ.ГГГГ» when the period's results are published (frozen values shown).
    published_on: Option<String>,
    peer_count: Option<String>,
    rank: Option<String>,
    sample_text: Option<String>,
    channels: Vec<(String, String)>,
    history: Vec<YearRow>,
    feedback: String,
    /// The published improvement plan of the latest year, if any.
    plan: Option<crate::portal::plan::PlanView>,
}

fn org_page(ctx: Ctx, f: &OrgFigures, region_name: String, feedback: String) -> OrgPage {
    let (total, criteria) = match f.published() {
        Some(r) => view::bars(r, f.peer.as_ref()),
        None => (None, Vec::new()),
    };
    let sphere = Sphere::from_code(&f.org.sphere);
    let sample = f.result.as_ref().map(|r| r.progress());
    OrgPage {
        public_id: f.org.public_id.clone(),
        full_name: f.org.full_name.clone(),
        short_name: f.org.short_name.clone(),
        sphere: sphere.map_or_else(|| f.org.sphere.clone(), |s| s.name_ru().to_string()),
        region_code: f.org.region_code.clone(),
        region_name,
        address: f.org.address.clone(),
        website: f.org.website.clone(),
        period: f.period,
        responses: f.live_responses(),
        score_responses: f.responses(),
        responses_text: nok_i18n::t!("portal-responses", n = f.responses()),
        live_responses_text: nok_i18n::t!("portal-responses", n = f.live_responses()),
        min_responses: f.min_responses,
        peer_count: f.peer.as_ref().map(|p| view::count(p.assessed)),
        rank: f.rank.map(|(n, of)| nok_i18n::t!("portal-rank", rank = n, of = of as u64)),
        sample_text: sample.map(|p| {
            nok_i18n::t!(
                "portal-sample",
                collected = view::count(p.collected),
                target = view::count(p.target),
                online = view::count(p.collected_online),
                online_target = view::count(p.online_target)
            )
        }),
        channels: f.channels.iter().map(|(c, n)| (Channel::name_of(c), view::count(*n))).collect(),
        published_on: f.result.as_ref().and_then(view::published_on),
        history: f
            .history
            .iter()
            .map(|y| YearRow {
                period: y.period,
                responses: view::count(y.responses),
                total: y.total.map(view::points),
                frozen: y.frozen,
            })
            .collect(),
        total,
        criteria,
        feedback,
        plan: None,
        ctx,
    }
}

/// The organisation page. Anonymous visitors get the cached render (see `portal::pages`) with their own
/// CSRF token filled in; signed-in users get a fresh one.
async fn organization(State(state): State<AppState>, ctx: Ctx, Path(public_id): Path<String>) -> AppResult<Response> {
    if !crate::intake::orgs::plausible_public_id(&public_id) {
        return Err(AppError::NotFound);
    }
    let cacheable = !ctx.signed_in() && ctx.path == format!("/o/{public_id}");
    if !cacheable {
        return Ok(Html(render_organization(&state, ctx, &public_id).await?).into_response());
    }
    let pages = state.portal.pages();
    let key = (public_id, ctx.low_vision);
    let rendered = match pages.get(&key) {
        Some(hit) => hit,
        None => {
            let generation = pages.generation();
            let anonymous = Ctx { csrf: pages.slot().to_string(), ..ctx.clone() };
            let html = render_organization(&state, anonymous, &key.0).await?;
            pages.put(key, &html, generation)
        }
    };
    Ok(Html(rendered.with_token(&ctx.csrf)).into_response())
}

async fn render_organization(state: &AppState, ctx: Ctx, public_id: &str) -> AppResult<String> {
    let figures = state.portal.organization(&state.db, public_id).await?;
    let region_name = region_name(&figures.org.region_code);
    let feedback = crate::routes::feedback::org_page_sections(state, &ctx, &figures.org).await?;
    let plan = crate::portal::plan::section(&state.db, figures.org.id).await?;
    render(&OrgPage { plan, ..org_page(ctx, &figures, region_name, feedback) })
}

#[derive(Deserialize, Default)]
struct RegionQuery {
    sphere: Option<String>,
    sort: Option<String>,
    page: Option<u64>,
}

impl RegionQuery {
    fn sphere(&self) -> Option<Sphere> {
        clean(&self.sphere).and_then(|s| Sphere::from_code(&s))
    }

    fn href(&self, code: &str, sort: Option<&str>, page: Option<u64>) -> String {
        let mut pairs: Vec<(&str, String)> = Vec::new();
        if let Some(s) = self.sphere() {
            pairs.push(("sphere", s.code().to_string()));
        }
        if let Some(s) = sort.map(str::to_string).or_else(|| clean(&self.sort)) {
            pairs.push(("sort", s));
        }
        if let Some(p) = page {
            pairs.push(("page", p.to_string()));
        }
        format!("/r/{code}?{}", serde_urlencoded::to_string(&pairs).unwrap_or_default())
    }
}

/// Published rows of the ranking in the requested order (rank, name or responses).
fn ranking_rows(ranking: &Ranking, q: &RegionQuery) -> Vec<RankRow> {
    let mut rows: Vec<RankRow> = ranking
        .ranked(q.sphere())
        .into_iter()
        .map(|(rank, r)| RankRow::new(Some(rank), r, ranking.min_responses))
        .collect();
    match q.sort.as_deref() {
        Some("name") => rows.sort_by(|a, b| a.name.cmp(&b.name)),
        Some("responses") => rows.sort_by_key(|r| std::cmp::Reverse(r.responses_count)),
        _ => {}
    }
    rows
}

/// A sortable column header.
struct SortHeader {
    label: String,
    href: String,
    aria_sort: &'static str,
}

#[derive(Template)]
#[template(path = "portal/region.html")]
struct RegionPage {
    ctx: Ctx,
    code: String,
    name: String,
    period: i32,
    sphere: String,
    spheres: Vec<(String, String)>,
    criteria: Vec<(String, String)>,
    headers: Vec<SortHeader>,
    rows: Vec<RankRow>,
    pager: Pager,
    unpublished: Vec<RankRow>,
    chart: Vec<MeanBar>,
    municipalities: Vec<MunicipalityRow>,
    min_responses: u64,
    export_query: String,
}

const PER_PAGE: usize = 25;

async fn region_ranking(state: &AppState, code: &str) -> AppResult<(String, std::sync::Arc<Ranking>)> {
    let region = nok_registry::regions::all().iter().find(|r| r.code == code).ok_or(AppError::NotFound)?;
    Ok((region.name.to_string(), state.portal.region(&state.db, region.code, current_period()).await?))
}

async fn region(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(code): Path<String>,
    Query(q): Query<RegionQuery>,
) -> AppResult<Response> {
    let (name, ranking) = region_ranking(&state, &code).await?;
    let all = ranking_rows(&ranking, &q);
    let pages = all.len().div_ceil(PER_PAGE).max(1) as u64;
    let page_no = q.page.unwrap_or(1).clamp(1, pages);
    let rows: Vec<RankRow> = all.into_iter().skip((page_no as usize - 1) * PER_PAGE).take(PER_PAGE).collect();
    let pager = Pager::new(page_no, pages, |p| q.href(&code, None, Some(p)));
    let current = clean(&q.sort).unwrap_or_else(|| "rank".into());
    let headers = [("rank", "portal-col-rank"), ("name", "portal-col-name"), ("responses", "portal-col-responses")]
        .into_iter()
        .map(|(key, label)| SortHeader {
            label: nok_i18n::t(label),
            href: q.href(&code, Some(key), None),
            aria_sort: if current == key {
                if key == "responses" { "descending" } else { "ascending" }
            } else {
                "none"
            },
        })
        .collect();
    let min = ranking.min_responses;
    let export_query = q.sphere().map(|s| format!("?sphere={}", s.code())).unwrap_or_default();
    Ok(page(&RegionPage {
        ctx,
        name,
        period: ranking.period,
        sphere: q.sphere().map(|s| s.code().to_string()).unwrap_or_default(),
        spheres: views::sphere_options(),
        criteria: view::criteria_headers(),
        headers,
        rows,
        pager,
        unpublished: ranking.unpublished(q.sphere()).into_iter().map(|r| RankRow::new(None, r, min)).collect(),
        chart: ranking.means(Level::SphereInRegion).iter().filter_map(MeanBar::sphere).collect(),
        municipalities: municipalities::means(&ranking, q.sphere()).iter().map(MunicipalityRow::from).collect(),
        min_responses: min,
        export_query,
        code,
    }))
}

async fn region_export(
    State(state): State<AppState>,
    Path((code, format)): Path<(String, String)>,
    Query(q): Query<RegionQuery>,
) -> AppResult<Response> {
    let (_, ranking) = region_ranking(&state, &code).await?;
    let table = crate::portal::export::ranking_table(&ranking, q.sphere());
    table.download(&format, &format!("rating-{code}-{}", ranking.period))
}

/// The region's municipalities with their mean totals as `municipalities-{code}-{period}.{csv|xlsx}`.
async fn municipalities_export(
    State(state): State<AppState>,
    Path((code, format)): Path<(String, String)>,
    Query(q): Query<RegionQuery>,
) -> AppResult<Response> {
    let (_, ranking) = region_ranking(&state, &code).await?;
    let table = municipalities::table(&municipalities::means(&ranking, q.sphere()));
    table.download(&format, &format!("municipalities-{code}-{}", ranking.period))
}
