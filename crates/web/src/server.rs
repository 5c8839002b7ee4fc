//! The router with its middleware stack, and serving with graceful shutdown.

use crate::config::WebConfig;
use crate::routes;
use crate::security::{csrf, device};
use crate::state::AppState;
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderName, HeaderValue, Request, header};
use axum::middleware;
use nok_store::Db;
use std::sync::Arc;
use std::time::Duration;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;

/// Upload limit for registry files (the 50 MB case must fit).
pub const MAX_BODY_BYTES: usize = 64 * 1024 * 1024;

pub async fn state(db: Db, config: WebConfig) -> Result<AppState, nok_store::StoreError> {
    let secret = nok_store::repo::settings::secret(&db).await?;
    let ip_salt = crate::security::ip_salt::IpSalt::load(&db).await?;
    ip_salt.spawn_rotation(db.clone());
    let field_key = nok_store::data_key::load(&db, config.data_key_file.as_deref()).await?;
    let (intake, portal) = crate::portal::start_services(&db, &config, field_key.clone());
    Ok(AppState::new(crate::state::Shared {
        db,
        config: Arc::new(config),
        secret: Arc::new(secret),
        field_key,
        ip_salt,
        intake,
        portal,
    }))
}

pub fn router(state: AppState) -> Router {
    let request_id = HeaderName::from_static("x-request-id");
    Router::new()
        .merge(routes::ops::routes())
        .merge(routes::account::routes())
        .merge(routes::registry::routes())
        .merge(routes::checklists::routes())
        .merge(routes::scores::routes())
        .merge(routes::admin::routes())
        .merge(routes::public::routes())
        .merge(routes::feedback::routes())
        .merge(routes::survey::routes())
        .merge(routes::api::routes())
        .merge(routes::flagged::routes())
        .merge(routes::qr::routes())
        .merge(routes::plans::routes())
        .route("/static/{*path}", axum::routing::get(crate::static_files::serve))
        .fallback(routes::not_found)
        .layer(middleware::from_fn_with_state(routes::qr::scans::ScanCounter::new(&state), routes::qr::scans::count_scans))
        .layer(middleware::from_fn_with_state(state.clone(), crate::portal::invalidate_on_change))
        .layer(middleware::from_fn_with_state(state.clone(), csrf::verify))
        .layer(middleware::from_fn_with_state(state.clone(), device::ensure_device))
        .layer(middleware::from_fn(routes::ops::track_metrics))
        .layer(middleware::from_fn(crate::render::remember_low_vision))
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(SetResponseHeaderLayer::overriding(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(
                "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; form-action 'self'",
            ),
        ))
        .layer(SetResponseHeaderLayer::overriding(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")))
        .layer(SetResponseHeaderLayer::overriding(header::REFERRER_POLICY, HeaderValue::from_static("same-origin")))
        .layer(PropagateRequestIdLayer::new(request_id.clone()))
        .layer(TraceLayer::new_for_http().make_span_with(|req: &Request<_>| {
            let id = req.headers().get("x-request-id").and_then(|v| v.to_str().ok()).unwrap_or("-");
            tracing::info_span!("request", method = %req.method(), path = %req.uri().path(), request_id = %id)
        }))
        .layer(SetRequestIdLayer::new(request_id, MakeRequestUuid))
        .with_state(state)
}

/// Serves until Ctrl-C or SIGTERM, then finishes in-flight requests.
pub async fn serve(db: Db, config: WebConfig) -> Result<(), ServeError> {
    let addr = format!("{}:{}", config.bind, config.port);
    let state = state(db, config).await?;
    let _mail_sender = crate::mailer::start(&state);
    let listener = tokio::net::TcpListener::bind(&addr).await?;
    tracing::info!(%addr, "listening");
    axum::serve(listener, router(state).into_make_service_with_connect_info::<std::net::SocketAddr>())
        .with_graceful_shutdown(shutdown_signal())
        .await?;
    tracing::info!("stopped");
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
    tokio::time::sleep(Duration::from_millis(10)).await;
}

/// Why the server could not start or stopped with an error.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    // The cause is the source, not repeated in the text: `{:#}` of the error prints each link once.
    #[error("database")]
    Store(#[from] nok_store::StoreError),
    #[error("network")]
    Io(#[from] std::io::Error),
}
