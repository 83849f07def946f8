//! GET /metrics in Prometheus text format, for operators. Off unless a
//! token is configured (`QANDA_METRICS_TOKEN`); then a scrape must send
//! `Authorization: Bearer <token>`.
//!
//! Recorded: requests by route, method and status; request latency by
//! route; GraphQL errors by code; database pool use; response cache hits,
//! misses and builds.

use std::sync::OnceLock;
use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};
use sha2::{Digest, Sha256};

use super::AppState;

const LATENCY: &str = "qanda_http_request_duration_seconds";

/// Latency buckets in seconds: fine below a millisecond, where cached
/// reads are, up to the request timeout.
const BUCKETS: &[f64] = &[
    0.000_25, 0.000_5, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];

/// The process-wide recorder (the `metrics` facade allows one per process),
/// installed the first time an app with metrics on is built.
pub fn recorder() -> &'static PrometheusHandle {
    static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();
    HANDLE.get_or_init(|| {
        let recorder = PrometheusBuilder::new()
            .set_buckets_for_metric(Matcher::Full(LATENCY.to_owned()), BUCKETS)
            .expect("the buckets are not empty")
            .build_recorder();
        let handle = recorder.handle();
        if metrics::set_global_recorder(recorder).is_err() {
            tracing::warn!("a metrics recorder was already installed; /metrics may be empty");
        }
        describe();
        handle
    })
}

fn describe() {
    metrics::describe_counter!(
        "qanda_http_requests_total",
        "HTTP requests answered, by route, method and status."
    );
    metrics::describe_histogram!(
        LATENCY,
        metrics::Unit::Seconds,
        "Time to answer an HTTP request, by route."
    );
    metrics::describe_counter!(
        "qanda_graphql_errors_total",
        "GraphQL errors returned, by extensions.code."
    );
    metrics::describe_gauge!(
        "qanda_db_pool_connections",
        "Database connections open, by state (in_use, idle)."
    );
    metrics::describe_gauge!(
        "qanda_db_pool_max_connections",
        "Most database connections the pool may open."
    );
    metrics::describe_counter!(
        "qanda_response_cache_hits_total",
        "Anonymous reads answered from the response cache."
    );
    metrics::describe_counter!(
        "qanda_response_cache_misses_total",
        "Anonymous reads not found in the response cache."
    );
    metrics::describe_counter!(
        "qanda_response_cache_builds_total",
        "Answers built for the response cache after a miss; concurrent misses for one answer share one build."
    );
}

/// Counts a GraphQL error by its code (a no-op when metrics are off).
pub fn graphql_error(code: &str) {
    metrics::counter!("qanda_graphql_errors_total", "code" => code.to_owned()).increment(1);
}

/// Middleware: records each request's route, status and latency. The route
/// is the pattern (`/pages/{slug}`), never the path, so the number of
/// series stays small.
pub async fn record(request: Request, next: Next) -> Response {
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map(|path| path.as_str().to_owned())
        .unwrap_or_else(|| "unmatched".to_owned());
    let method = request.method().as_str().to_owned();
    let started = Instant::now();
    let response = next.run(request).await;
    let status = response.status().as_u16().to_string();
    metrics::histogram!(LATENCY, "route" => route.clone()).record(started.elapsed().as_secs_f64());
    metrics::counter!(
        "qanda_http_requests_total",
        "route" => route,
        "method" => method,
        "status" => status
    )
    .increment(1);
    response
}

pub async fn scrape(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let Some(expected) = &state.metrics_token_hash else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let presented = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(hash_token);
    // Comparing digests keeps the comparison's time independent of how much
    // of the token was right.
    if presented.as_ref() != Some(expected) {
        return (
            StatusCode::UNAUTHORIZED,
            [(header::WWW_AUTHENTICATE, "Bearer")],
            "Send the metrics token as a Bearer token.\n",
        )
            .into_response();
    }
    // The recorder is the process's; the values sampled here are this
    // server's. Sampling and rendering as one step keeps another server in
    // the same process (tests run many) from showing its values in ours.
    static SCRAPE: std::sync::Mutex<()> = std::sync::Mutex::new(());
    let rendered = {
        let _one_at_a_time = SCRAPE.lock().unwrap_or_else(|e| e.into_inner());
        sample_gauges(&state);
        let handle = recorder();
        handle.run_upkeep();
        handle.render()
    };
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        rendered,
    )
        .into_response()
}

pub fn hash_token(token: &str) -> [u8; 32] {
    Sha256::digest(token.as_bytes()).into()
}

/// Values read at scrape time rather than counted as they happen.
fn sample_gauges(state: &AppState) {
    let grown = state.cache.unreported();
    metrics::counter!("qanda_response_cache_hits_total").increment(grown.hits);
    metrics::counter!("qanda_response_cache_misses_total").increment(grown.misses);
    metrics::counter!("qanda_response_cache_builds_total").increment(grown.builds);
    let (size, idle, max) = pool_use(&state.db);
    metrics::gauge!("qanda_db_pool_connections", "state" => "in_use")
        .set((size as usize).saturating_sub(idle) as f64);
    metrics::gauge!("qanda_db_pool_connections", "state" => "idle").set(idle as f64);
    metrics::gauge!("qanda_db_pool_max_connections").set(max as f64);
}

/// Open connections, idle connections and the pool's maximum.
fn pool_use(db: &sea_orm::DatabaseConnection) -> (u32, usize, u32) {
    match db.get_database_backend() {
        sea_orm::DatabaseBackend::Postgres => {
            let pool = db.get_postgres_connection_pool();
            (
                pool.size(),
                pool.num_idle(),
                pool.options().get_max_connections(),
            )
        }
        _ => {
            let pool = db.get_sqlite_connection_pool();
            (
                pool.size(),
                pool.num_idle(),
                pool.options().get_max_connections(),
            )
        }
    }
}
