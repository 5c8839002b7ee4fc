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

/// Renders a template into a string (for pages that are cached or post-processed).
pub fn render<T: Template>(t: &T) -> Result<String, crate::error::AppError> {
    t.render().map_err(|e| {
        tracing::error!(error = %e, "template failed");
        crate::error::AppError::Internal(e.to_string())
    })
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    status: u16,
    title: String,
    text: String,
    detail: Option<String>,
    low_vision: bool,
}

tokio::task_local! {
    /// Whether the request being answered is in the low-vision mode: error pages are rendered where no
    /// `Ctx` is at hand (a handler's error, the fallback, a middleware's refusal).
    static LOW_VISION: bool;
}

/// Middleware: keeps the request's low-vision preference for the error pages rendered while answering it.
pub async fn remember_low_vision(req: axum::extract::Request, next: axum::middleware::Next) -> Response {
    use crate::security::cookies;
    let on = cookies::get(req.headers(), cookies::LOW_VISION).as_deref() == Some("1");
    LOW_VISION.scope(on, next.run(req)).await
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
        low_vision: LOW_VISION.try_with(|on| *on).unwrap_or(false),
    };
    let html = t.render().unwrap_or_else(|_| "<h1>Ошибка</h1>".into());
    (status, [(header::CONTENT_TYPE, "text/html; charset=utf-8")], html).into_response()
}
