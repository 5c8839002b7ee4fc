//! Operations: health check, Prometheus metrics, request metrics middleware.

use crate::state::AppState;
use axum::Router;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle};
use sea_orm::ConnectionTrait;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

pub fn routes() -> Router<AppState> {
    Router::new().route("/healthz", get(healthz)).route("/metrics", get(prometheus))
}

/// How often the recorder folds the samples recorded since into its histograms.
const UPKEEP_EVERY: Duration = Duration::from_secs(5);

fn handle() -> &'static PrometheusHandle {
    static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();
    HANDLE.get_or_init(|| {
        let recorder = PrometheusBuilder::new().build_recorder();
        let handle = recorder.handle();
        // Another recorder may already be installed (tests start several servers in one process).
        let _ = metrics::set_global_recorder(recorder);
        // A recorder built without `install` keeps every histogram sample until a scrape renders it:
        // without a scraper the memory grows with every request. The upkeep folds them in regularly.
        let upkeep = handle.clone();
        let spawned = std::thread::Builder::new().name("metrics-upkeep".into()).spawn(move || {
            loop {
                std::thread::sleep(UPKEEP_EVERY);
                upkeep.run_upkeep();
            }
        });
        if let Err(e) = spawned {
            tracing::error!(error = %e, "metrics upkeep thread not started");
        }
        handle
    })
}

async fn healthz(State(state): State<AppState>) -> Response {
    match state.db.read.execute_unprepared("SELECT 1").await {
        Ok(_) => (StatusCode::OK, "ok").into_response(),
        Err(e) => {
            tracing::error!(error = %e, "health check failed");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable").into_response()
        }
    }
}

async fn prometheus() -> Response {
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], handle().render()).into_response()
}

pub async fn track_metrics(req: Request, next: Next) -> Response {
    handle();
    let path =
        req.extensions().get::<MatchedPath>().map(|p| p.as_str().to_string()).unwrap_or_else(|| "unmatched".into());
    let method = req.method().to_string();
    let start = Instant::now();
    let res = next.run(req).await;
    let labels = [("method", method), ("path", path), ("status", res.status().as_u16().to_string())];
    metrics::counter!("nok_http_requests_total", &labels).increment(1);
    metrics::histogram!("nok_http_request_duration_seconds", &labels).record(start.elapsed().as_secs_f64());
    res
}
