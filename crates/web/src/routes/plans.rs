//! Improvement plans (планы по устранению недостатков; product spec step 6, C5 and C7): the plan of one
//! organisation and year in the cabinet, the table of plans an authority follows, and the public JSON of
//! the published plan. Handlers are thin: the store decides who may read and change a plan (staff their
//! own organisation's, administrators any; the rest read within their scope) and audits every change.
//! The public organisation page's section is `crate::portal::plan`.
//!
//! | module | owns |
//! |---|---|
//! | `cabinet` | `/cabinet/plan/{org}/{year}`: create, add shortcomings, items, progress reports, publish |
//! | `table` | `/cabinet/plans`: the plans of the year across the actor's organisations, CSV/XLSX export |
//! | `api` | `GET /api/v1/organizations/{id}/plan`: the published plan as JSON |

mod api;
mod cabinet;
mod table;

use crate::state::AppState;
use axum::Router;
use axum::routing::{get, post};
use nok_store::repo::improvement_plans::{PlanStatus, Shown};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/cabinet/plans", get(table::list))
        .route("/cabinet/plans/export/{format}", get(table::export))
        .route("/cabinet/plan/{org}/{year}", get(cabinet::show).post(cabinet::create))
        .route("/cabinet/plan/{org}/{year}/approval", post(cabinet::approval))
        .route("/cabinet/plan/{org}/{year}/prefill", post(cabinet::prefill))
        .route("/cabinet/plan/{org}/{year}/publish", post(cabinet::publish))
        .route("/cabinet/plan/{org}/{year}/items", post(cabinet::add_item))
        .route("/cabinet/plan/{org}/{year}/items/{id}/edit", get(cabinet::edit_form).post(cabinet::update_item))
        .route(
            "/cabinet/plan/{org}/{year}/items/{id}/progress",
            get(cabinet::progress_form).post(cabinet::add_progress),
        )
        .route("/cabinet/plan/{org}/{year}/items/{id}/delete", get(cabinet::confirm_delete).post(cabinet::delete_item))
        .route("/api/v1/organizations/{id}/plan", get(api::plan))
}

/// «Запланировано», «В работе», «Выполнено», «Просрочено».
pub(crate) fn shown_name(s: Shown) -> String {
    nok_i18n::t(&format!("plan-item-{}", s.code().replace('_', "-")))
}

/// «Черновик», «Опубликован», or «Не составлен» for no plan.
pub(crate) fn plan_state_name(s: Option<PlanStatus>) -> String {
    nok_i18n::t(&format!("plan-state-{}", s.map_or("none", PlanStatus::code)))
}

/// `ДД.ММ.ГГГГ` of a stored date, or empty.
pub(crate) fn day_text(ts: Option<i64>) -> String {
    ts.map(crate::routes::feedback::date).unwrap_or_default()
}

/// `K1. Открытость и доступность…` of a criterion id (the plan section), or empty.
pub(crate) fn criterion_name(id: Option<&str>) -> String {
    let Some(id) = id else { return String::new() };
    nok_methodology::Definition::current()
        .criterion(id)
        .map_or_else(|| id.to_string(), |c| format!("{id}. {}", c.name_ru))
}

/// «выполнено N из M».
pub(crate) fn progress_text(done: u64, total: u64) -> String {
    nok_i18n::t!("plan-progress", done = done, total = total)
}

#[cfg(test)]
mod tests {
    use nok_store::repo::improvement_plans::{ListFilter, PlanStatus, Shown};

    #[test]
    fn every_status_and_filter_has_a_name() {
        for s in [Shown::Planned, Shown::InProgress, Shown::Done, Shown::Overdue] {
            assert!(nok_i18n::has(&format!("plan-item-{}", s.code().replace('_', "-"))), "{s:?}");
        }
        for s in [None, Some(PlanStatus::Draft), Some(PlanStatus::Published)] {
            assert!(nok_i18n::has(&format!("plan-state-{}", s.map_or("none", PlanStatus::code))), "{s:?}");
        }
        for f in ListFilter::ALL {
            assert!(nok_i18n::has(&format!("plan-filter-{}", f.code())), "{f:?}");
        }
        for field in ["criterion", "shortcoming", "measure", "deadline", "responsible_name", "responsible_position"] {
            assert!(nok_i18n::has(&format!("plan-field-{}", field.replace('_', "-"))), "{field}");
        }
        for code in ["required", "required-published", "too-long", "criterion", "date", "future", "rejected"] {
            assert!(nok_i18n::has(&format!("plan-err-{code}")), "{code}");
        }
        assert_eq!(super::progress_text(3, 7), "выполнено 3 из 7");
    }
}
