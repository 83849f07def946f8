//! GraphQL over HTTP, following the GraphQL-over-HTTP specification:
//! queries by GET or POST, mutations by POST only, JSON request bodies,
//! `application/graphql-response+json` when the client accepts it.

use async_graphql::dataloader::DataLoader;
use async_graphql::parser::types::OperationType;
use async_graphql::{BatchRequest, Request, Response, ServerError, Variables};
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{ConnectInfo, Query, RawQuery, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response as HttpResponse};
use std::net::SocketAddr;

use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;
use tower_sessions::Session;

use super::conditional::Audience;
use super::response_cache::{with_cache_status, CacheKey, Missed, Peek, PreparedOrError};
use super::AppState;
use crate::auth::session::SignInState;
use crate::domain::Viewer;
use crate::graphql::mutation::ClientAddr;
use crate::graphql::{limits, Loaders};

const GRAPHQL_RESPONSE: &str = "application/graphql-response+json";
const JSON: &str = "application/json";

/// Which media type the client asked for.
#[derive(Clone, Copy, PartialEq, Eq)]
enum MediaType {
    GraphqlResponse,
    Json,
}

impl MediaType {
    fn negotiate(headers: &HeaderMap) -> MediaType {
        let accept = headers
            .get(header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        if accept.contains(GRAPHQL_RESPONSE) {
            MediaType::GraphqlResponse
        } else {
            MediaType::Json
        }
    }

    fn name(self) -> &'static str {
        match self {
            MediaType::GraphqlResponse => "application/graphql-response+json; charset=utf-8",
            MediaType::Json => "application/json; charset=utf-8",
        }
    }

    fn header(self) -> HeaderValue {
        HeaderValue::from_static(self.name())
    }
}

/// A request over one of the query limits: refused before it runs, with
/// `extensions.limit` naming the limit.
fn limit_error(media: MediaType, message: &str, limit: &str) -> HttpResponse {
    super::metrics::graphql_error("BAD_USER_INPUT");
    let body = json!({
        "errors": [{
            "message": message,
            "extensions": { "code": "BAD_USER_INPUT", "limit": limit }
        }]
    });
    (
        StatusCode::BAD_REQUEST,
        [(header::CONTENT_TYPE, media.header())],
        body.to_string(),
    )
        .into_response()
}

/// A request refused before it ran (a query limit), as the engine's own
/// request errors are answered.
fn refused(media: MediaType, error: ServerError) -> HttpResponse {
    respond(media, vec![Response::from_errors(vec![error])], false)
}

/// An error answered before any GraphQL runs (bad method, body, parameters).
fn request_error(media: MediaType, status: StatusCode, message: &str) -> HttpResponse {
    super::metrics::graphql_error("BAD_USER_INPUT");
    let body = json!({
        "errors": [{ "message": message, "extensions": { "code": "BAD_USER_INPUT" } }]
    });
    (
        status,
        [(header::CONTENT_TYPE, media.header())],
        body.to_string(),
    )
        .into_response()
}

fn error_json(error: &ServerError, request_failed: bool) -> Value {
    let mut value =
        serde_json::to_value(error).unwrap_or_else(|_| json!({ "message": error.message }));
    if let Value::Object(map) = &mut value {
        let extensions = map
            .entry("extensions")
            .or_insert_with(|| Value::Object(Map::new()));
        if let Value::Object(ext) = extensions {
            // Errors raised by the GraphQL engine itself (syntax, validation,
            // limits) carry no code yet: they are the client's to fix.
            let code = ext.entry("code").or_insert_with(|| {
                Value::from(if request_failed {
                    "BAD_USER_INPUT"
                } else {
                    "INTERNAL"
                })
            });
            super::metrics::graphql_error(code.as_str().unwrap_or("INTERNAL"));
        }
    }
    value
}

/// A request error (syntax, validation, limits) means execution never
/// started: the response then has no `data` entry at all.
fn failed_before_execution(response: &Response) -> bool {
    response.data == async_graphql::Value::Null
        && !response.errors.is_empty()
        && response.errors.iter().all(|e| e.path.is_empty())
}

/// One response as the GraphQL-over-HTTP specification shapes it. `data`
/// is serialised straight from the engine's value, so fields come in the
/// order they were selected and a large page is written without building a
/// second tree of it first.
#[derive(Serialize)]
struct ResponseBody<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    data: Option<&'a async_graphql::Value>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    errors: Vec<Value>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    extensions: &'a BTreeMap<String, async_graphql::Value>,
}

fn response_body(response: &Response) -> (bool, ResponseBody<'_>) {
    let failed = failed_before_execution(response);
    let body = ResponseBody {
        data: (!failed).then_some(&response.data),
        errors: response
            .errors
            .iter()
            .map(|e| error_json(e, failed))
            .collect(),
        extensions: &response.extensions,
    };
    (failed, body)
}

/// Who is asking, settled once per HTTP request.
struct Caller {
    viewer: Viewer,
    /// Where the session stands, for the few fields that finish a sign-in.
    sign_in: SignInState,
    session: Session,
    client_addr: ClientAddr,
}

impl Caller {
    /// Anonymous callers all get the same answers, which may be shared. A
    /// half-done sign-in is anonymous to the services, but its answers are
    /// its own (someone who must set up an app is refused what others get).
    fn audience(&self) -> Audience {
        match self.sign_in {
            SignInState::SignedOut => Audience::Public,
            _ => Audience::Private,
        }
    }

    async fn resolve(state: &AppState, session: Session, addr: SocketAddr) -> Caller {
        let sign_in = super::viewer::sign_in_state(state, &session).await;
        Caller {
            viewer: sign_in.viewer(),
            sign_in,
            session,
            client_addr: ClientAddr(addr.ip().to_string()),
        }
    }
}

async fn execute(state: &AppState, caller: &Caller, request: Request) -> Response {
    let loaders = DataLoader::new(
        Loaders::new(state.db.clone(), caller.viewer.clone()),
        tokio::spawn,
    );
    let request = request
        .data(state.db.clone())
        .data(caller.viewer.clone())
        .data(caller.sign_in.clone())
        .data(caller.session.clone())
        .data(caller.client_addr.clone())
        .data(loaders);
    match tokio::time::timeout(state.limits.timeout, state.schema.execute(request)).await {
        Ok(response) => response,
        Err(_) => {
            // Dropping the execution future cancels it; a transaction not
            // yet committed rolls back.
            let error = limits::limit_error(
                format!(
                    "The request took longer than {} ms and was stopped. Ask for less at a time.",
                    state.limits.timeout.as_millis()
                ),
                "timeout",
            );
            Response::from_errors(vec![error])
        }
    }
}

/// Browsers send `Origin` (and `Sec-Fetch-Site`) with every cross-site POST:
/// a mutation from another site is refused. Clients that send neither
/// (curl, servers) are not browsers and carry no ambient cookies.
fn same_origin(state: &AppState, headers: &HeaderMap) -> bool {
    if headers
        .get("sec-fetch-site")
        .is_some_and(|site| site.as_bytes() == b"cross-site")
    {
        return false;
    }
    let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) else {
        return true;
    };
    match &state.allowed_origin {
        Some(allowed) => origin == allowed,
        None => {
            let host = headers
                .get(header::HOST)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("");
            !host.is_empty()
                && (origin == format!("http://{host}") || origin == format!("https://{host}"))
        }
    }
}

fn forbidden_origin(media: MediaType) -> HttpResponse {
    super::metrics::graphql_error("FORBIDDEN");
    let body = json!({
        "errors": [{
            "message": "Mutations must come from this site. The request's Origin does not match.",
            "extensions": { "code": "FORBIDDEN" }
        }]
    });
    (
        StatusCode::FORBIDDEN,
        [(header::CONTENT_TYPE, media.header())],
        body.to_string(),
    )
        .into_response()
}

/// The status of an answer whose every operation failed before execution
/// (a document that does not parse or validate, or variables that do not
/// coerce). The GraphQL-over-HTTP specification gives such answers `400`
/// in `application/graphql-response+json`, but `200` in plain
/// `application/json`, whose older clients read a non-2xx status as a
/// failure of the transport and never look at the errors. A request
/// refused by one of our limits is `400` either way: it was not run, and a
/// retry as it is would be refused again.
fn request_error_status(media: MediaType, responses: &[Response]) -> StatusCode {
    let refused_by_limit = responses.iter().flat_map(|r| &r.errors).any(|error| {
        error
            .extensions
            .as_ref()
            .is_some_and(|extensions| extensions.get("limit").is_some())
    });
    match media {
        _ if refused_by_limit => StatusCode::BAD_REQUEST,
        MediaType::GraphqlResponse => StatusCode::BAD_REQUEST,
        MediaType::Json => StatusCode::OK,
    }
}

fn respond(media: MediaType, responses: Vec<Response>, batch: bool) -> HttpResponse {
    let mut all_failed = true;
    let mut bodies = Vec::with_capacity(responses.len());
    for response in &responses {
        let (failed, body) = response_body(response);
        all_failed &= failed;
        bodies.push(body);
    }
    let written = if batch {
        serde_json::to_vec(&bodies)
    } else {
        serde_json::to_vec(&bodies.first())
    };
    // Serialising values the engine built cannot fail (no maps with
    // non-string keys, no custom serialisers that error).
    let body = written.unwrap_or_else(|_| b"null".to_vec());
    let status = if all_failed {
        request_error_status(media, &responses)
    } else {
        StatusCode::OK
    };
    (
        status,
        [
            (header::CONTENT_TYPE, media.header()),
            // The answer depends on the media type asked for and on who
            // is signed in.
            (header::VARY, HeaderValue::from_static("accept, cookie")),
        ],
        body,
    )
        .into_response()
}

/// Asks the response cache for an anonymous request's answer before the
/// request is even parsed (a kept answer was only ever kept for a query
/// that passed every check). Staff are never answered from the cache.
async fn peek(state: &AppState, caller: &Caller, key: impl FnOnce() -> CacheKey) -> Peek {
    match caller.audience() {
        Audience::Public => state.cache.peek(key()).await,
        Audience::Private => Peek::Miss(None),
    }
}

/// Runs the requests, keeping the answer when the peek missed and the
/// requests may be cached (anonymous queries only).
async fn run(
    state: &AppState,
    caller: &Caller,
    missed: Option<Missed>,
    requests: Vec<Request>,
    batch: bool,
    media: MediaType,
) -> PreparedOrError {
    state
        .cache
        .after_peek(missed, || async {
            let _slot = match caller.audience() {
                Audience::Public => state.public_builds.acquire().await.ok(),
                Audience::Private => None,
            };
            let mut responses = Vec::with_capacity(requests.len());
            for request in requests {
                responses.push(execute(state, caller, request).await);
            }
            // Only complete successes are kept: an error may be passing.
            // Nor answers marked `cache_control(no_cache)`: they depend on
            // more than the content whose changes the cache follows.
            let storable = responses
                .iter()
                .all(|r| r.errors.is_empty() && r.cache_control.max_age != -1);
            (respond(media, responses, batch), storable)
        })
        .await
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GetParams {
    query: Option<String>,
    operation_name: Option<String>,
    variables: Option<String>,
    extensions: Option<String>,
}

fn accepts_html(headers: &HeaderMap) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("text/html"))
}

pub async fn get(
    State(state): State<AppState>,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    session: Session,
    headers: HeaderMap,
    RawQuery(raw_query): RawQuery,
    params: Result<Query<GetParams>, axum::extract::rejection::QueryRejection>,
) -> HttpResponse {
    let media = MediaType::negotiate(&headers);
    let Ok(Query(params)) = params else {
        return request_error(
            media,
            StatusCode::BAD_REQUEST,
            "The query string could not be read.",
        );
    };
    let Some(query) = params.query else {
        if state.graphiql && accepts_html(&headers) {
            return super::graphiql::page();
        }
        return request_error(
            media,
            StatusCode::BAD_REQUEST,
            "Send a GraphQL query in the `query` parameter.",
        );
    };
    let caller = Caller::resolve(&state, session, addr).await;
    let audience = caller.audience();
    let missed = match peek(&state, &caller, || CacheKey::Graphql {
        post: false,
        media: media.name(),
        request: Bytes::from(raw_query.unwrap_or_default()),
    })
    .await
    {
        Peek::Hit(prepared) => {
            return with_cache_status(
                prepared.answer(&headers, state.cache_policy.header(audience)),
                Some("hit"),
            )
        }
        Peek::Miss(missed) => missed,
    };
    let mut request = Request::new(query);
    if let Some(name) = params.operation_name {
        request = request.operation_name(name);
    }
    if let Some(raw) = params.variables.filter(|v| !v.is_empty()) {
        match serde_json::from_str::<Value>(&raw) {
            Ok(value @ Value::Object(_)) => {
                request = request.variables(Variables::from_json(value));
            }
            _ => {
                return request_error(
                    media,
                    StatusCode::BAD_REQUEST,
                    "The `variables` parameter must be a JSON object.",
                )
            }
        }
    }
    if let Some(raw) = params.extensions.filter(|v| !v.is_empty()) {
        if !matches!(serde_json::from_str::<Value>(&raw), Ok(Value::Object(_))) {
            return request_error(
                media,
                StatusCode::BAD_REQUEST,
                "The `extensions` parameter must be a JSON object.",
            );
        }
    }
    let operation = match limits::operation_type(&mut request) {
        Ok(operation) => operation,
        Err(refusal) => return refused(media, refusal),
    };
    // GET must never change anything: mutations are POST-only (this also
    // shuts the door on cross-site GET requests that would write).
    if matches!(
        operation,
        Some(OperationType::Mutation | OperationType::Subscription)
    ) {
        let mut response = request_error(
            media,
            StatusCode::METHOD_NOT_ALLOWED,
            "Mutations must be sent with POST.",
        );
        response
            .headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("POST"));
        return response;
    }
    match run(&state, &caller, missed, vec![request], false, media).await {
        Ok((prepared, cache_status)) => with_cache_status(
            prepared.answer(&headers, state.cache_policy.header(audience)),
            cache_status,
        ),
        Err(response) => response,
    }
}

/// POST responses are not for HTTP caches; clients revalidate with GET.
const NO_STORE: HeaderValue = HeaderValue::from_static("no-store");

pub async fn post(
    State(state): State<AppState>,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    session: Session,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> HttpResponse {
    let media = MediaType::negotiate(&headers);
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let essence = content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    // Form and plain-text bodies are what cross-site forms can send: refuse them.
    if essence != JSON && essence != GRAPHQL_RESPONSE {
        return request_error(
            media,
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "Send the request body as application/json.",
        );
    }
    let body = match body {
        Ok(body) => body,
        Err(rejection) if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE => {
            let mut response = limit_error(
                media,
                &format!(
                    "The request body is larger than the {} bytes allowed.",
                    state.max_body_bytes
                ),
                "body",
            );
            *response.status_mut() = StatusCode::PAYLOAD_TOO_LARGE;
            return response;
        }
        Err(rejection) => {
            return request_error(
                media,
                rejection.status(),
                "The request body could not be read.",
            )
        }
    };
    let caller = Caller::resolve(&state, session, addr).await;
    let missed = match peek(&state, &caller, || CacheKey::Graphql {
        post: true,
        media: media.name(),
        request: body.clone(),
    })
    .await
    {
        Peek::Hit(prepared) => {
            return with_cache_status(prepared.answer(&HeaderMap::new(), &NO_STORE), Some("hit"))
        }
        Peek::Miss(missed) => missed,
    };
    let batch: BatchRequest = match serde_json::from_slice(&body) {
        Ok(batch) => batch,
        Err(error) => {
            return request_error(
                media,
                StatusCode::BAD_REQUEST,
                &format!("The body is not a GraphQL request: {error}"),
            )
        }
    };
    let (mut requests, is_batch) = match batch {
        BatchRequest::Single(request) => (vec![request], false),
        BatchRequest::Batch(requests) => {
            if requests.len() > state.limits.batch {
                return limit_error(
                    media,
                    &format!(
                        "A batch may hold at most {} operations; this one has {}.",
                        state.limits.batch,
                        requests.len()
                    ),
                    "batch",
                );
            }
            if requests.is_empty() {
                return request_error(media, StatusCode::BAD_REQUEST, "The batch is empty.");
            }
            (requests, true)
        }
    };
    for request in &mut requests {
        // Not a GraphQL request at all (the specification's "well-formed
        // request" needs a query), so 400 for every client.
        if request.query.trim().is_empty() {
            return request_error(
                media,
                StatusCode::BAD_REQUEST,
                "Send a GraphQL query in the `query` field.",
            );
        }
    }
    let mut has_mutation = false;
    for request in &mut requests {
        match limits::operation_type(request) {
            Ok(operation) => has_mutation |= operation == Some(OperationType::Mutation),
            Err(refusal) => return refused(media, refusal),
        }
    }
    if has_mutation && !same_origin(&state, &headers) {
        return forbidden_origin(media);
    }
    // A mutation's answer is never kept.
    let missed = missed.filter(|_| !has_mutation);
    let response = match run(&state, &caller, missed, requests, is_batch, media).await {
        Ok((prepared, cache_status)) => {
            with_cache_status(prepared.answer(&HeaderMap::new(), &NO_STORE), cache_status)
        }
        Err(response) => response,
    };
    // A mutation may have queued webhook deliveries, committed by now:
    // send them without waiting for the worker's next poll.
    if has_mutation {
        state.webhooks.wake();
    }
    response
}

pub async fn schema(State(state): State<AppState>) -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        state.sdl.to_string(),
    )
}
