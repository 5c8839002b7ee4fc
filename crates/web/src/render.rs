//! Rendering askama templates into responses, and the Russian error pages.

use askama::Template;
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};

/// Renders a page template with status 200.
pub fn page<T: Template>(t: &T) -> Response {
    match t.render() {
        Ok(html) => Html(html).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "template failed");
            error_page(StatusCode::INTERNAL_SERVER_ERROR, None)
        }
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    status: u16,
    title: String,
    text: String,
    detail: Option<String>,
}

/// A Russian error page for `status`, optionally with a specific explanation.
pub fn error_page(status: StatusCode, detail: Option<String>) -> Response {
    let key = match status.as_u16() {
        400 => "error-400",
        403 => "error-403",
        404 => "error-404",
        413 => "error-413",
        429 => "error-429",
        _ => "error-500",
    };
    let t = ErrorPage {
        status: status.as_u16(),
        title: nok_i18n::t(&format!("{key}-title")),
        text: nok_i18n::t(&format!("{key}-text")),
        detail,
    };
    let html = t.render().unwrap_or_else(|_| "<h1>Ошибка</h1>".into());
    (status, [(header::CONTENT_TYPE, "text/html; charset=utf-8")], html).into_response()
}
