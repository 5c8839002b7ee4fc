//! The explanation page of one organisation's score, public (`/o/{public_id}/explain`: the published
//! values once the period is published, else the live ones under the small-numbers rule) and in the
//! cabinet (`/cabinet/scores/{id}/explain`: always the live values, labelled as such).

use super::explain::{self, Explanation};
use crate::ctx::Ctx;
use crate::error::{AppError, AppResult};
use crate::render::page;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use nok_methodology::sample::Progress;
use nok_methodology::{Definition, Sphere};
use nok_store::entities::organization;
use nok_store::repo::{organizations, scores, snapshots};
use serde::Deserialize;

#[derive(Deserialize, Default)]
pub(super) struct PeriodQuery {
    period: Option<i32>,
}

#[derive(Template)]
#[template(path = "scores/explain.html")]
struct ExplainPage {
    ctx: Ctx,
    org_name: String,
    sphere: String,
    period: i32,
    back_href: String,
    back_label: String,
    /// Values shown (the small-numbers rule hides them on the public page).
    shown: bool,
    not_enough: String,
    x: Explanation,
    progress: String,
    /// Published values are shown (otherwise live ones).
    frozen: bool,
    /// «Опубликовано ДД.ММ.ГГГГ…» or «Текущие значения…».
    status: String,
}

/// The numbers an explanation page shows: the published ones (public page of a published period) or
/// the live ones.
struct Shown {
    scores: nok_methodology::Scores,
    responses: u64,
    online_responses: u64,
    checklist_recorded: bool,
    /// The 1.1 sections counted against the region's own list.
    regional_lists: Vec<nok_methodology::ChecklistSection>,
}

async fn explain_page(
    state: &AppState,
    ctx: Ctx,
    org: organization::Model,
    period: i32,
    public: bool,
) -> AppResult<Response> {
    let sphere = Sphere::from_code(&org.sphere).ok_or(AppError::NotFound)?;
    let published = snapshots::for_organization(&state.db.read, org.id, period).await?;
    let frozen = published.as_ref().filter(|_| public).and_then(|p| {
        let scores = p.scores()?;
        let input = p.input();
        let checklist_recorded = input.as_ref().is_none_or(|i| i.checklist.is_some());
        let count = |n: i64| u64::try_from(n).unwrap_or(0);
        Some(Shown {
            scores,
            responses: count(p.row.responses),
            online_responses: count(p.row.online_responses),
            checklist_recorded,
            regional_lists: input.map(|i| i.regional_lists).unwrap_or_default(),
        })
    });
    let is_frozen = frozen.is_some();
    let s = match frozen {
        Some(s) => s,
        None => {
            let live = scores::live_scores(&state.db.read, org.id, sphere, period).await?;
            Shown {
                responses: live.responses,
                online_responses: live.online_responses,
                checklist_recorded: live.checklist_recorded,
                regional_lists: live.regional_lists,
                scores: live.scores,
            }
        }
    };
    let date = published.as_ref().map(|p| crate::routes::feedback::date(p.published_at));
    let status = match (&date, is_frozen) {
        (Some(d), true) => nok_i18n::t!("sc-explain-published", date = d.as_str()),
        (Some(d), false) => nok_i18n::t!("sc-explain-live-published", date = d.as_str()),
        (None, _) => nok_i18n::t("sc-explain-live"),
    };
    let min = state.config.min_responses;
    let shown = !public || (s.responses >= min && s.scores.total.is_some());
    let def = Definition::by_id(&s.scores.methodology).unwrap_or_else(Definition::current);
    let population = u64::try_from(org.population).unwrap_or(0);
    let p = Progress::with_rule(&def.sample, population, s.responses, s.online_responses);
    let (back_href, back_label) = if public {
        (format!("/o/{}", org.public_id), nok_i18n::t("sc-explain-back"))
    } else {
        (format!("/cabinet/scores?period={period}"), nok_i18n::t("sc-explain-back-cabinet"))
    };
    Ok(page(&ExplainPage {
        org_name: org.short_name.clone(),
        sphere: sphere.name_ru().to_owned(),
        period,
        back_href,
        back_label,
        shown,
        not_enough: nok_i18n::t!("sc-explain-not-enough-text", min = min, n = s.responses),
        progress: format!(
            "{} {} / {} · {} {} / {}",
            nok_i18n::t("sc-summary-sample"),
            p.collected,
            p.target,
            nok_i18n::t("sc-summary-online"),
            p.collected_online,
            p.online_target
        ),
        x: explain::explain(&s.scores, s.responses, s.checklist_recorded, &s.regional_lists),
        frozen: is_frozen,
        status,
        ctx,
    }))
}

pub(super) async fn public(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(public_id): Path<String>,
    Query(q): Query<PeriodQuery>,
) -> AppResult<Response> {
    let org = organizations::by_public_id(&state.db.read, &public_id).await?;
    let period = q.period.unwrap_or_else(crate::portal::current_period);
    explain_page(&state, ctx, org, period, true).await
}

pub(super) async fn cabinet(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(org_id): Path<i32>,
    Query(q): Query<PeriodQuery>,
) -> AppResult<Response> {
    let actor = ctx.require_user()?.clone();
    let org = organizations::get(&state.db.read, &actor, org_id).await?;
    let period = q.period.unwrap_or_else(crate::portal::current_period);
    explain_page(&state, ctx, org, period, false).await
}
