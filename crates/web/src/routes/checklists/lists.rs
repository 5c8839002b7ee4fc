//! Regional 1.1 lists in the cabinet: `/cabinet/checklist-lists` shows the lists of a year the user
//! sees and opens any list by region, sphere, section and year; `/cabinet/checklist-lists/{region}/
//! {sphere}/{section}/{year}` shows one list with its history and, for its authority and
//! administrators, the forms that start it from the methodology's list, add, rename, move and remove
//! items and reset it (removal and reset ask first). Every form works without JavaScript. Who may
//! read or change which list is decided by the store. The changes themselves are in `changes`.

mod changes;

use crate::ctx::Ctx;
use crate::error::{AppError, AppResult};
use crate::render::page;
use crate::routes::feedback::date;
use crate::state::AppState;
use crate::views::{region_name, region_options, sphere_options};
use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use nok_store::repo::audit::HistoryEntry;
use nok_store::repo::checklist_lists::{self, ListKey, ListView, SECTIONS};
use serde::Deserialize;

const BASE: &str = "/cabinet/checklist-lists";
const LIST: &str = "/cabinet/checklist-lists/{region}/{sphere}/{section}/{year}";
const ITEM: &str = "/cabinet/checklist-lists/{region}/{sphere}/{section}/{year}/items/{item}";

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(BASE, get(overview))
        .route(&format!("{BASE}/open"), get(open))
        .route(LIST, get(show))
        .merge(changes::routes())
}

fn list_href(key: &ListKey) -> String {
    format!("{BASE}/{}", key.path())
}

fn section_name(key: &ListKey) -> String {
    nok_i18n::t(&format!("cll-section-{}", key.section.key()))
}

/// The key in a URL, `404` when a part names nothing.
fn key_of(region: &str, sphere: &str, section: &str, year: i32) -> AppResult<ListKey> {
    ListKey::parse(region, sphere, section, year).ok_or(AppError::NotFound)
}

type ListPath = Path<(String, String, String, i32)>;
type ItemPath = Path<(String, String, String, i32, String)>;

struct SummaryRow {
    href: String,
    region: String,
    sphere: String,
    section: String,
    items: usize,
    regional: bool,
    updated: String,
}

#[derive(Template)]
#[template(path = "checklists/lists.html")]
struct OverviewPage {
    ctx: Ctx,
    year: i32,
    rows: Vec<SummaryRow>,
    regions: Vec<(String, String)>,
    spheres: Vec<(String, String)>,
    sections: Vec<(String, String)>,
}

#[derive(Deserialize, Default)]
struct YearQuery {
    year: Option<i32>,
}

async fn overview(State(state): State<AppState>, ctx: Ctx, Query(q): Query<YearQuery>) -> AppResult<Response> {
    let actor = ctx.require_user()?.clone();
    let year = q.year.filter(|y| (2000..=2100).contains(y)).unwrap_or_else(crate::portal::current_period);
    let lists = checklist_lists::overview(&state.db.read, &actor, year).await?;
    let regions = region_options(&state).await?;
    let rows = lists
        .into_iter()
        .map(|l| SummaryRow {
            href: list_href(&l.key),
            region: region_name(&regions, &l.key.region_code),
            sphere: l.key.sphere.name_ru().to_owned(),
            section: section_name(&l.key),
            items: l.items,
            regional: l.regional.is_some(),
            updated: l.regional.map(|r| format!("{}, {}", date(r.updated_at), r.updated_by)).unwrap_or_default(),
        })
        .collect();
    Ok(page(&OverviewPage {
        year,
        rows,
        regions,
        spheres: sphere_options(),
        sections: SECTIONS
            .iter()
            .map(|s| (s.key().to_owned(), nok_i18n::t(&format!("cll-section-{}", s.key()))))
            .collect(),
        ctx,
    }))
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct OpenQuery {
    region: String,
    sphere: String,
    section: String,
    year: Option<i32>,
}

async fn open(ctx: Ctx, Query(q): Query<OpenQuery>) -> AppResult<Response> {
    ctx.require_user()?;
    let key = key_of(&q.region, &q.sphere, &q.section, q.year.unwrap_or_default())?;
    Ok(Redirect::to(&list_href(&key)).into_response())
}

struct ItemRow {
    number: usize,
    id: String,
    name: String,
    from_methodology: bool,
    first: bool,
    last: bool,
    action: String,
    rename_label: String,
    up_label: String,
    down_label: String,
}

struct HistoryView {
    at: String,
    actor: String,
    action: String,
    changes: Vec<String>,
}

#[derive(Template)]
#[template(path = "checklists/list.html")]
struct ListPage {
    ctx: Ctx,
    title: String,
    href: String,
    back: String,
    status: String,
    regional: bool,
    may_edit: bool,
    items: Vec<ItemRow>,
    history: Vec<HistoryView>,
    notice: Option<String>,
    error: Option<String>,
    /// The name typed into the add form (kept when it was refused).
    new_name: String,
}

/// `(id, name)` of the items of an audited list.
fn audited_items(v: &Option<serde_json::Value>) -> Vec<(String, String)> {
    let items = v.as_ref().and_then(|v| v.get("items")).and_then(|i| i.as_array()).cloned().unwrap_or_default();
    let text = |i: &serde_json::Value, k: &str| i.get(k).and_then(|v| v.as_str()).unwrap_or_default().to_owned();
    items.iter().map(|i| (text(i, "id"), text(i, "name"))).collect()
}

/// What changed between two audited lists, in words.
fn describe(e: &HistoryEntry) -> Vec<String> {
    let (before, after) = (audited_items(&e.before), audited_items(&e.after));
    let find = |list: &[(String, String)], id: &str| list.iter().find(|(i, _)| i == id).map(|(_, n)| n.clone());
    let mut out = Vec::new();
    for (id, name) in &after {
        match find(&before, id) {
            None => out.push(nok_i18n::t!("cll-history-added", name = name.as_str())),
            Some(old) if old != *name => {
                out.push(nok_i18n::t!("cll-history-renamed", before = old, after = name.as_str()))
            }
            Some(_) => {}
        }
    }
    for (id, name) in &before {
        if find(&after, id).is_none() {
            out.push(nok_i18n::t!("cll-history-removed", name = name.as_str()));
        }
    }
    let order = |l: &[(String, String)]| {
        l.iter()
            .map(|(i, _)| i.clone())
            .filter(|i| find(&before, i).is_some() && find(&after, i).is_some())
            .collect::<Vec<_>>()
    };
    if out.is_empty() && order(&before) != order(&after) {
        out.push(nok_i18n::t("cll-history-moved"));
    }
    out
}

async fn list_page(
    state: &AppState,
    ctx: Ctx,
    v: ListView,
    notice: Option<String>,
    error: Option<String>,
) -> AppResult<ListPage> {
    let actor = ctx.require_user()?.clone();
    let history = checklist_lists::history(&state.db.read, &actor, &v.key).await?;
    let regions = region_options(state).await?;
    let key = &v.key;
    let title = nok_i18n::t!(
        "cll-list-title",
        section = section_name(key),
        region = region_name(&regions, &key.region_code),
        sphere = key.sphere.name_ru(),
        year = key.year
    );
    let status = match &v.regional {
        Some(r) => nok_i18n::t!("cll-kind-regional", created = date(r.created_at), updated = date(r.updated_at)),
        None => nok_i18n::t!("cll-kind-methodology", methodology = v.definition.id.as_str()),
    };
    let href = list_href(key);
    let n = v.items.len();
    let items = v
        .items
        .iter()
        .enumerate()
        .map(|(i, item)| ItemRow {
            number: i + 1,
            action: format!("{href}/items/{}", crate::error::urlencode(&item.id)),
            id: item.id.clone(),
            rename_label: nok_i18n::t!("cll-rename-label", name = item.name_ru.as_str()),
            up_label: nok_i18n::t!("cll-up-label", name = item.name_ru.as_str()),
            down_label: nok_i18n::t!("cll-down-label", name = item.name_ru.as_str()),
            name: item.name_ru.clone(),
            from_methodology: item.from_methodology,
            first: i == 0,
            last: i + 1 == n,
        })
        .collect();
    Ok(ListPage {
        title,
        back: format!("{BASE}?year={}", key.year),
        status,
        regional: v.regional.is_some(),
        may_edit: v.may_edit,
        items,
        history: history
            .iter()
            .map(|e| HistoryView {
                at: crate::routes::feedback::datetime(e.at),
                actor: e.actor_login.clone(),
                action: nok_i18n::t(&format!("audit-{}", e.action.replace('.', "-"))),
                changes: describe(e),
            })
            .collect(),
        notice,
        error,
        new_name: String::new(),
        href,
        ctx,
    })
}

#[derive(Deserialize, Default)]
struct ShowQuery {
    done: Option<String>,
}

async fn show(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((region, sphere, section, year)): ListPath,
    Query(q): Query<ShowQuery>,
) -> AppResult<Response> {
    let actor = ctx.require_user()?.clone();
    let key = key_of(&region, &sphere, &section, year)?;
    let v = checklist_lists::get(&state.db.read, &actor, &key).await?;
    let notice = q.done.map(|_| nok_i18n::t("cll-done"));
    Ok(page(&list_page(&state, ctx, v, notice, None).await?))
}
