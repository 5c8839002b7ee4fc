//! Scan analytics. [`count_scans`] is a middleware that counts successful `GET /o/{public_id}/anketa`
//! visits whose `?ch=` names a QR variant (poster, paper, screen, website widget): hits are added up in
//! memory and written to the store's daily counters ([`nok_store::repo::scans::record_scans`]) every
//! couple of seconds, so a busy questionnaire costs one small write per interval, not one per visit.
//! `GET /cabinet/scans` shows visits, completed questionnaires and conversion per region and per
//! organisation of the actor's scope, exported as CSV or XLSX.

use super::listing::{EXPORT_LIMIT, PER_PAGE, TableQuery};
use crate::ctx::Ctx;
use crate::error::AppResult;
use crate::portal::export::{Cell, Table};
use crate::render::page;
use crate::state::AppState;
use crate::views::{self, Pager, SortLink};
use askama::Template;
use axum::extract::{Path, Query, Request, State};
use axum::http::{Method, StatusCode};
use axum::middleware::Next;
use axum::response::Response;
use nok_store::repo::scans::{self, ChannelFigures, SCAN_CHANNELS, ScanHit, ScanQuery, ScanSort};
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, Weak};
use std::time::Duration;

/// How often counted visits are written.
const FLUSH_EVERY: Duration = Duration::from_secs(2);

/// Visits counted in memory and not yet written: (organisation, day, channel index) → visits.
struct Pending {
    state: AppState,
    hits: Mutex<HashMap<(i32, i32, usize), i64>>,
    flushing: AtomicBool,
}

/// The middleware's state: a shared buffer of visits and its writer task (started on the first visit,
/// ended when the router is dropped).
#[derive(Clone)]
pub struct ScanCounter(Arc<Pending>);

impl ScanCounter {
    pub fn new(state: &AppState) -> ScanCounter {
        ScanCounter(Arc::new(Pending {
            state: state.clone(),
            hits: Mutex::new(HashMap::new()),
            flushing: AtomicBool::new(false),
        }))
    }

    fn add(&self, organization_id: i32, channel: usize) {
        let day = scans::day_of(nok_store::time_util::now());
        *self.0.hits.lock().unwrap_or_else(|p| p.into_inner()).entry((organization_id, day, channel)).or_insert(0) += 1;
        if !self.0.flushing.swap(true, Ordering::AcqRel) {
            tokio::spawn(flush_loop(Arc::downgrade(&self.0)));
        }
    }
}

async fn flush_loop(pending: Weak<Pending>) {
    loop {
        tokio::time::sleep(FLUSH_EVERY).await;
        let Some(pending) = pending.upgrade() else { return };
        let taken = std::mem::take(&mut *pending.hits.lock().unwrap_or_else(|p| p.into_inner()));
        if taken.is_empty() {
            continue;
        }
        let batch: Vec<ScanHit> = taken
            .iter()
            .map(|(&(organization_id, day, ch), &visits)| ScanHit {
                organization_id,
                day,
                channel: SCAN_CHANNELS[ch].to_string(),
                visits,
            })
            .collect();
        if let Err(e) = scans::record_scans(&pending.state.db, &batch).await {
            tracing::warn!(error = %e, visits = batch.len(), "scan counters not written; kept for the next try");
            let mut hits = pending.hits.lock().unwrap_or_else(|p| p.into_inner());
            for (k, v) in taken {
                *hits.entry(k).or_insert(0) += v;
            }
        }
    }
}

/// The public id and QR variant of a questionnaire visit (`GET /o/{id}/anketa?ch=qr_…`).
fn scan_of(req: &Request) -> Option<(String, usize)> {
    if req.method() != Method::GET {
        return None;
    }
    let mut parts = req.uri().path().split('/');
    let (Some(""), Some("o"), Some(public_id), Some("anketa"), None) =
        (parts.next(), parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return None;
    };
    let query = req.uri().query()?;
    let channel = form_urlencoded::parse(query.as_bytes()).find(|(k, _)| k == "ch").map(|(_, v)| v.into_owned())?;
    let index = SCAN_CHANNELS.iter().position(|c| *c == channel.trim())?;
    (!public_id.is_empty() && public_id.len() <= 64).then(|| (public_id.to_string(), index))
}

/// Counts questionnaire visits through QR variants (shown pages only: `200 OK`).
pub async fn count_scans(State(counter): State<ScanCounter>, req: Request, next: Next) -> Response {
    let scan = scan_of(&req);
    let res = next.run(req).await;
    if let Some((public_id, channel)) = scan
        && res.status() == StatusCode::OK
    {
        tokio::spawn(async move {
            let state = &counter.0.state;
            if let Ok(Some(org)) = state.intake.organization(&state.db, &public_id).await {
                counter.add(org.id, channel);
            }
        });
    }
    res
}

const PATH: &str = "/cabinet/scans";
const SORTS: [(&str, &str); 4] = [
    ("name", "scan-col-name"),
    ("region", "scan-col-region"),
    ("visits", "scan-col-visits"),
    ("completed", "scan-col-completed"),
];

fn store_query(q: &TableQuery, page: u64, per_page: u64) -> ScanQuery {
    let sort = match q.sort_key(&SORTS.map(|s| s.0)) {
        Some("region") => ScanSort::Region,
        Some("visits") => ScanSort::Visits,
        Some("completed") => ScanSort::Completed,
        _ => ScanSort::Name,
    };
    ScanQuery {
        period: q.period(),
        region_code: q.region(),
        organization_id: None,
        sort,
        descending: q.descending(),
        page,
        per_page,
    }
}

fn percent(v: Option<f64>) -> String {
    v.map_or_else(|| "—".to_string(), |p| format!("{} %", nok_i18n::format_decimal(p, 1)))
}

/// One channel's figures as shown: visits, completed, conversion.
struct Figure {
    visits: u64,
    completed: u64,
    conversion: String,
}

/// A line of a table: a region or an organisation with its figures per channel and in total.
struct Line {
    id: Option<i32>,
    name: String,
    detail: String,
    channels: Vec<Figure>,
    total: Figure,
}

impl Line {
    fn new(id: Option<i32>, name: String, detail: String, f: &ChannelFigures) -> Line {
        Line {
            id,
            name,
            detail,
            channels: (0..4)
                .map(|i| Figure {
                    visits: f.visits[i],
                    completed: f.completed[i],
                    conversion: percent(f.conversion(i)),
                })
                .collect(),
            total: Figure {
                visits: f.total_visits(),
                completed: f.total_completed(),
                conversion: percent(f.total_conversion()),
            },
        }
    }
}

fn channel_names() -> Vec<String> {
    SCAN_CHANNELS.iter().map(|c| nok_i18n::t(&format!("qr-channel-{}", c.replace('_', "-")))).collect()
}

#[derive(Template)]
#[template(path = "qr/scans.html")]
struct ScansPage {
    ctx: Ctx,
    query: TableQuery,
    period: i32,
    channels: Vec<String>,
    totals: Line,
    regions_table: Vec<Line>,
    rows: Vec<Line>,
    total: u64,
    pager: Pager,
    sort_links: Vec<SortLink>,
    regions: Vec<(String, String)>,
    export_query: String,
}

pub async fn scans_page(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(query): Query<TableQuery>,
) -> AppResult<Response> {
    let actor = ctx.require_user()?.clone();
    let sq = store_query(&query, query.page.unwrap_or(1), PER_PAGE);
    let (totals, page_data) = scans::by_organization(&state.db.read, &actor, &sq).await?;
    let by_region = scans::by_region(&state.db.read, &actor, &sq).await?;
    let regions = views::region_options(&state).await?;
    let rows = page_data
        .items
        .iter()
        .map(|r| {
            Line::new(
                Some(r.organization_id),
                r.short_name.clone(),
                views::region_name(&regions, &r.region_code),
                &r.figures,
            )
        })
        .collect();
    let regions_table = by_region
        .iter()
        .map(|r| {
            let detail = nok_i18n::t_args("scan-orgs-count", &[("n", r.organizations.into())]);
            Line::new(None, views::region_name(&regions, &r.region_code), detail, &r.figures)
        })
        .collect();
    Ok(page(&ScansPage {
        period: query.period(),
        channels: channel_names(),
        totals: Line::new(None, nok_i18n::t("scan-total"), String::new(), &totals),
        regions_table,
        rows,
        total: page_data.total,
        pager: query.pager(PATH, page_data.page, page_data.pages()),
        sort_links: query.sort_links(PATH, &SORTS, "name"),
        export_query: query.href(None, None),
        regions,
        ctx,
        query,
    }))
}

/// `GET /cabinet/scans/export/{csv|xlsx}`: one row per organisation, visits, completed and conversion per
/// channel and in total.
pub async fn scans_export(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(format): Path<String>,
    Query(query): Query<TableQuery>,
) -> AppResult<Response> {
    let actor = ctx.require_user()?.clone();
    let (_, all) = scans::by_organization(&state.db.read, &actor, &store_query(&query, 1, EXPORT_LIMIT)).await?;
    let mut headers: Vec<String> =
        ["scan-col-name", "scan-col-inn", "scan-col-region"].iter().map(|k| nok_i18n::t(k)).collect();
    for name in channel_names().iter().chain(std::iter::once(&nok_i18n::t("scan-total"))) {
        for k in ["scan-col-visits", "scan-col-completed", "scan-col-conversion"] {
            headers.push(format!("{name}: {}", nok_i18n::t(k)));
        }
    }
    let conversion = |v: Option<f64>| v.map_or(Cell::Empty, Cell::Number);
    let rows = all
        .items
        .iter()
        .map(|r| {
            let f = &r.figures;
            let mut cells =
                vec![Cell::Text(r.short_name.clone()), Cell::Text(r.inn.clone()), Cell::Text(r.region_code.clone())];
            for i in 0..4 {
                cells.extend([Cell::Count(f.visits[i]), Cell::Count(f.completed[i]), conversion(f.conversion(i))]);
            }
            cells.extend([
                Cell::Count(f.total_visits()),
                Cell::Count(f.total_completed()),
                conversion(f.total_conversion()),
            ]);
            cells
        })
        .collect();
    Table { headers, rows }.download(&format, &format!("scans-{}", query.period()))
}
