//! The HTTP surface: routes and the tower layers every request passes through.

mod admin;
pub mod conditional;
mod graphiql;
mod graphql;
mod health;
pub mod metrics;
mod public_page;
mod public_search;
pub mod response_cache;
mod viewer;

use std::time::Duration;

use axum::extract::DefaultBodyLimit;
use axum::http::{header, HeaderName, HeaderValue, Request, StatusCode};
use axum::routing::get;
use axum::Router;
use sea_orm::DatabaseConnection;
use tower::ServiceBuilder;
use tower_http::request_id::{
    MakeRequestId, PropagateRequestIdLayer, RequestId, SetRequestIdLayer,
};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

use tower_sessions::cookie::SameSite;
use tower_sessions::{Expiry, SessionManagerLayer};

use crate::auth::session_store::DbSessionStore;
use crate::graphql::QandaSchema;

/// The handle every handler gets to its [`Dependencies`]. Axum clones the
/// state for each request, so it is one reference count, not a copy of
/// every field.
#[derive(Clone)]
pub struct AppState(std::sync::Arc<Dependencies>);

impl AppState {
    pub fn new(dependencies: Dependencies) -> AppState {
        AppState(std::sync::Arc::new(dependencies))
    }
}

impl std::ops::Deref for AppState {
    type Target = Dependencies;

    fn deref(&self) -> &Dependencies {
        &self.0
    }
}

/// What the handlers need: the database, the schema, the caches and the
/// settings, made once at start-up.
pub struct Dependencies {
    pub db: DatabaseConnection,
    pub schema: QandaSchema,
    pub sdl: std::sync::Arc<str>,
    pub graphiql: bool,
    pub limits: crate::graphql::limits::QueryLimits,
    /// Largest request body accepted (also enforced by a layer).
    pub max_body_bytes: usize,
    /// The origin mutations must come from; `None` means "the Host header's".
    pub allowed_origin: Option<String>,
    /// How long sessions last after sign-in and without a request.
    pub sessions: crate::auth::session::SessionLimits,
    /// Wakes the webhook delivery worker after a mutation.
    pub webhooks: crate::service::webhook_worker::Waker,
    /// Anonymous published reads, reused until the content changes.
    pub cache: std::sync::Arc<response_cache::ResponseCache>,
    pub cache_policy: conditional::CachePolicy,
    /// Anonymous answers built at once, at most (see [`public_build_slots`]).
    pub public_builds: std::sync::Arc<tokio::sync::Semaphore>,
    /// SHA-256 of the token /metrics asks for; `None`: no /metrics.
    pub metrics_token_hash: Option<[u8; 32]>,
}

/// How many anonymous answers may be built at once. Building one is work
/// for the processor (the GraphQL engine, rendering, serialising) between
/// short database reads, so a few per core keep every core busy; more at
/// once add no throughput, only memory: each large page in the making holds
/// its rows, its value tree and its bytes. Readers beyond these wait their
/// turn holding nothing. Staff are not held back by readers.
pub fn public_build_slots() -> usize {
    let cores = std::thread::available_parallelism().map_or(2, usize::from);
    (2 * cores).max(4)
}

pub struct HttpSettings {
    pub max_body_bytes: usize,
    pub request_timeout: Duration,
    /// Cookies marked Secure (the site is served over HTTPS).
    pub secure_cookies: bool,
}

pub const SESSION_COOKIE: &str = "qanda_session";

const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// Request ids unique across processes without a random draw per request
/// (a UUID v4 each cost a `getrandom` system call): this process's random
/// prefix, then a counter.
#[derive(Clone)]
struct RequestIds {
    prefix: std::sync::Arc<str>,
    next: std::sync::Arc<std::sync::atomic::AtomicU64>,
}

impl RequestIds {
    fn new() -> RequestIds {
        let prefix = uuid::Uuid::new_v4().simple().to_string();
        RequestIds {
            prefix: prefix[..12].into(),
            next: Default::default(),
        }
    }
}

impl MakeRequestId for RequestIds {
    fn make_request_id<B>(&mut self, _request: &Request<B>) -> Option<RequestId> {
        let n = self.next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let id = format!("{}-{n:x}", self.prefix);
        HeaderValue::from_str(&id).ok().map(RequestId::new)
    }
}

pub fn router(state: AppState, settings: HttpSettings) -> Router {
    let trace = TraceLayer::new_for_http()
        .make_span_with(|request: &Request<_>| {
            let id = request
                .headers()
                .get(&REQUEST_ID)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("-");
            tracing::info_span!(
                "request",
                id = %id,
                method = %request.method(),
                path = %request.uri().path(),
            )
        })
        .on_request(())
        .on_response(
            |response: &axum::http::Response<_>, latency: Duration, _span: &tracing::Span| {
                tracing::info!(
                    status = response.status().as_u16(),
                    ms = format!("{:.2}", latency.as_secs_f64() * 1000.0),
                    "request"
                );
            },
        )
        .on_failure(());

    let sessions = SessionManagerLayer::new(DbSessionStore::new(state.db.clone()))
        .with_name(SESSION_COOKIE)
        .with_http_only(true)
        .with_same_site(SameSite::Strict)
        .with_secure(settings.secure_cookies)
        .with_path("/")
        // Saved when it changes, and touched now and then while in use
        // (`viewer::from_session`), which keeps an active session alive
        // without a write on every request.
        .with_expiry(Expiry::OnInactivity(
            time::Duration::try_from(state.sessions.idle).unwrap_or(time::Duration::hours(1)),
        ));

    let metrics_on = state.metrics_token_hash.is_some();
    let mut routes = Router::new()
        .route("/graphql", get(graphql::get).post(graphql::post))
        .route("/schema.graphql", get(graphql::schema))
        .route("/admin", get(admin::root))
        .route("/admin/", get(admin::root))
        .route("/admin/{*path}", get(admin::path))
        .route("/pages/{slug}", get(public_page::page))
        .route("/pages/{slug}/search", get(public_search::search))
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz));
    if metrics_on {
        metrics::recorder();
        routes = routes
            .route("/metrics", get(metrics::scrape))
            .route_layer(axum::middleware::from_fn(metrics::record));
    }
    routes
        .layer(DefaultBodyLimit::max(settings.max_body_bytes))
        .layer(sessions)
        .layer(
            ServiceBuilder::new()
                .layer(SetRequestIdLayer::new(REQUEST_ID, RequestIds::new()))
                .layer(trace)
                .layer(PropagateRequestIdLayer::new(REQUEST_ID))
                .layer(SetResponseHeaderLayer::if_not_present(
                    header::X_CONTENT_TYPE_OPTIONS,
                    HeaderValue::from_static("nosniff"),
                ))
                .layer(SetResponseHeaderLayer::if_not_present(
                    header::REFERRER_POLICY,
                    HeaderValue::from_static("no-referrer"),
                ))
                .layer(SetResponseHeaderLayer::if_not_present(
                    header::X_FRAME_OPTIONS,
                    HeaderValue::from_static("DENY"),
                ))
                .layer(TimeoutLayer::with_status_code(
                    StatusCode::SERVICE_UNAVAILABLE,
                    settings.request_timeout,
                )),
        )
        .with_state(state)
}
