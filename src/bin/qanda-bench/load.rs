//! The load generator: N tokio tasks, each holding one keep-alive HTTP/1.1
//! connection and sending requests back to back, latencies in an HDR
//! histogram (microseconds). The same client drives the baseline and qanda,
//! so whatever it costs is the same on both sides.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use bytes::Bytes;
use hdrhistogram::Histogram;
use http_body_util::{BodyExt, Full};
use hyper::client::conn::http1::SendRequest;
use hyper::header::{HeaderName, HeaderValue, CONTENT_TYPE, COOKIE, HOST};
use hyper::{HeaderMap, Method, Request, StatusCode, Uri};
use hyper_util::rt::TokioIo;
use memchr::memmem;
use serde_json::{json, Value};
use tokio::net::TcpStream;
use tokio::task::JoinSet;
use tokio::time::Instant;

/// What one connection sends, and how it judges each answer.
pub trait Driver: Send {
    fn request(&mut self) -> Request<Full<Bytes>>;
    /// Whether the answer is a success. May update the driver's state
    /// (an editor keeps the version it got back).
    fn check(&mut self, status: StatusCode, body: &[u8]) -> bool;
}

/// Which server a run drives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// The built-in fixed-bytes hyper server.
    Hyper,
    /// nginx serving the same bytes from a file.
    Nginx,
    Qanda,
}

impl Side {
    pub fn name(self) -> &'static str {
        match self {
            Side::Hyper => "hyper",
            Side::Nginx => "nginx",
            Side::Qanda => "qanda",
        }
    }
}

/// Makes the driver for one connection of a run.
pub type DriverFactory = Arc<dyn Fn(SocketAddr, Side, usize) -> Box<dyn Driver> + Send + Sync>;

#[derive(Debug, Clone, Copy)]
pub struct LoadSpec {
    pub connections: usize,
    pub warmup: Duration,
    pub duration: Duration,
}

/// One run's measurements: only requests sent after the warm-up and
/// answered before the end count.
pub struct RunResult {
    pub requests: u64,
    pub errors: u64,
    pub first_error: Option<String>,
    pub histogram: Histogram<u64>,
    pub duration: Duration,
}

impl RunResult {
    pub fn rps(&self) -> f64 {
        self.requests as f64 / self.duration.as_secs_f64()
    }

    pub fn quantile_ms(&self, q: f64) -> f64 {
        if self.histogram.is_empty() {
            return f64::NAN;
        }
        self.histogram.value_at_quantile(q) as f64 / 1000.0
    }
}

fn histogram() -> Histogram<u64> {
    // 1 µs to 10 minutes at three significant figures.
    Histogram::new_with_bounds(1, 600_000_000, 3).expect("valid histogram bounds")
}

/// GraphQL answers with `"errors"` are failures even with status 200.
fn has_errors(body: &[u8]) -> bool {
    memmem::find(body, b"\"errors\"").is_some()
}

/// Drives `addr` with `spec.connections` connections for the warm-up and
/// then the measured duration.
pub async fn drive(
    addr: SocketAddr,
    side: Side,
    spec: LoadSpec,
    factory: &DriverFactory,
) -> anyhow::Result<RunResult> {
    let start = Instant::now();
    let from = start + spec.warmup;
    let until = from + spec.duration;
    let mut tasks = JoinSet::new();
    for i in 0..spec.connections {
        let driver = factory(addr, side, i);
        tasks.spawn(connection_loop(addr, driver, from, until));
    }
    let mut total = RunResult {
        requests: 0,
        errors: 0,
        first_error: None,
        histogram: histogram(),
        duration: spec.duration,
    };
    while let Some(joined) = tasks.join_next().await {
        let part = joined.context("a load task failed")?;
        total.requests += part.requests;
        total.errors += part.errors;
        total.first_error = total.first_error.or(part.first_error);
        total
            .histogram
            .add(&part.histogram)
            .context("merging latency histograms")?;
    }
    Ok(total)
}

async fn connection_loop(
    addr: SocketAddr,
    mut driver: Box<dyn Driver>,
    from: Instant,
    until: Instant,
) -> RunResult {
    let mut result = RunResult {
        requests: 0,
        errors: 0,
        first_error: None,
        histogram: histogram(),
        duration: until - from,
    };
    'connection: while Instant::now() < until {
        let mut sender = match connect(addr).await {
            Ok(sender) => sender,
            Err(error) => {
                if Instant::now() >= from {
                    note(&mut result, format!("connect: {error:#}"));
                }
                tokio::time::sleep(Duration::from_millis(10)).await;
                continue;
            }
        };
        loop {
            if Instant::now() >= until {
                break 'connection;
            }
            let request = driver.request();
            let sent = Instant::now();
            let answer = tokio::time::timeout_at(
                until + Duration::from_secs(10),
                exchange(&mut sender, request),
            )
            .await;
            let done = Instant::now();
            let counted = sent >= from && done <= until;
            match answer {
                Ok(Ok((status, body))) => {
                    let ok = driver.check(status, &body);
                    if counted {
                        result.requests += 1;
                        let micros = (done - sent).as_micros().max(1) as u64;
                        result.histogram.saturating_record(micros);
                        if !ok {
                            let head = String::from_utf8_lossy(&body[..body.len().min(300)]);
                            note(&mut result, format!("{status}: {head}"));
                        }
                    }
                }
                Ok(Err(error)) => {
                    if counted {
                        note(&mut result, format!("{error:#}"));
                    }
                    continue 'connection;
                }
                Err(_) => {
                    note(&mut result, "no answer within 10 s of the end".into());
                    break 'connection;
                }
            }
        }
    }
    result
}

fn note(result: &mut RunResult, what: String) {
    result.errors += 1;
    if result.first_error.is_none() {
        result.first_error = Some(what);
    }
}

async fn connect(addr: SocketAddr) -> anyhow::Result<SendRequest<Full<Bytes>>> {
    let stream = TcpStream::connect(addr).await?;
    stream.set_nodelay(true)?;
    let (sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream)).await?;
    // Ends when the sender is dropped or the server closes the connection.
    tokio::spawn(connection);
    Ok(sender)
}

async fn exchange(
    sender: &mut SendRequest<Full<Bytes>>,
    request: Request<Full<Bytes>>,
) -> anyhow::Result<(StatusCode, Bytes)> {
    sender.ready().await?;
    let response = sender.send_request(request).await?;
    let status = response.status();
    let body = response.into_body().collect().await?.to_bytes();
    Ok((status, body))
}

/// One request on a connection of its own, for set-up: returns the status,
/// headers and body.
pub async fn fetch(
    addr: SocketAddr,
    request: Request<Full<Bytes>>,
) -> anyhow::Result<(StatusCode, HeaderMap, Bytes)> {
    tokio::time::timeout(Duration::from_secs(30), fetch_once(addr, request))
        .await
        .with_context(|| format!("no answer from {addr} within 30 s"))?
}

async fn fetch_once(
    addr: SocketAddr,
    request: Request<Full<Bytes>>,
) -> anyhow::Result<(StatusCode, HeaderMap, Bytes)> {
    let mut sender = connect(addr).await?;
    sender.ready().await?;
    let response = sender.send_request(request).await?;
    let status = response.status();
    let headers = response.headers().clone();
    let body = response.into_body().collect().await?.to_bytes();
    Ok((status, headers, body))
}

/// The same request every time (GET queries; the baseline of a POST).
#[derive(Clone)]
pub struct Fixed {
    pub method: Method,
    pub uri: Uri,
    pub headers: Vec<(HeaderName, HeaderValue)>,
    pub body: Bytes,
}

impl Fixed {
    pub fn get(addr: SocketAddr, path_and_query: &str) -> anyhow::Result<Fixed> {
        Ok(Fixed {
            method: Method::GET,
            uri: path_and_query.parse().context("a request path")?,
            headers: vec![(HOST, host(addr)?)],
            body: Bytes::new(),
        })
    }

    /// A GraphQL POST with a JSON body and, when signed in, a session cookie.
    pub fn post_json(
        addr: SocketAddr,
        body: &Value,
        cookie: Option<&str>,
    ) -> anyhow::Result<Fixed> {
        let mut headers = vec![
            (HOST, host(addr)?),
            (CONTENT_TYPE, HeaderValue::from_static("application/json")),
        ];
        if let Some(cookie) = cookie {
            headers.push((COOKIE, HeaderValue::from_str(cookie)?));
        }
        Ok(Fixed {
            method: Method::POST,
            uri: Uri::from_static("/graphql"),
            headers,
            body: Bytes::from(body.to_string()),
        })
    }

    pub fn build(&self) -> Request<Full<Bytes>> {
        let mut request = Request::new(Full::new(self.body.clone()));
        *request.method_mut() = self.method.clone();
        *request.uri_mut() = self.uri.clone();
        let headers = request.headers_mut();
        for (name, value) in &self.headers {
            headers.insert(name.clone(), value.clone());
        }
        request
    }
}

pub fn host(addr: SocketAddr) -> anyhow::Result<HeaderValue> {
    Ok(HeaderValue::from_str(&addr.to_string())?)
}

impl Driver for Fixed {
    fn request(&mut self) -> Request<Full<Bytes>> {
        self.build()
    }

    fn check(&mut self, status: StatusCode, body: &[u8]) -> bool {
        status == StatusCode::OK && !has_errors(body)
    }
}

pub const UPDATE_MUTATION: &str = "mutation($id: ID!, $version: Int!, $answer: String!) { \
     updateQuestion(id: $id, version: $version, input: { answer: $answer }) { id version } }";

/// A signed-in editor updating their own question again and again, each
/// time with the version the last save gave back.
/// The version is shared with the next run's editor for the same question
/// (one per server: the baseline's answers carry a made-up version).
pub struct Editor {
    pub addr: SocketAddr,
    pub cookie: String,
    pub question_id: String,
    pub version: Arc<AtomicI64>,
    pub text: Arc<str>,
    pub edits: u64,
}

impl Editor {
    pub fn body(&self) -> Value {
        json!({
            "query": UPDATE_MUTATION,
            "variables": {
                "id": self.question_id,
                "version": self.version.load(Ordering::Relaxed),
                "answer": format!("{} (edit {})", self.text, self.edits),
            }
        })
    }

    /// Keeps the version an update answered with; false unless it succeeded.
    pub fn absorb(&self, status: StatusCode, body: &[u8]) -> bool {
        let Ok(value) = serde_json::from_slice::<Value>(body) else {
            return false;
        };
        if let Some(version) = value["data"]["updateQuestion"]["version"].as_i64() {
            self.version.store(version, Ordering::Relaxed);
        } else if let Some(current) = value["errors"][0]["extensions"]["currentVersion"].as_i64() {
            // A CONFLICT: carry on from the version the server has.
            self.version.store(current, Ordering::Relaxed);
        }
        status == StatusCode::OK && value.get("errors").is_none()
    }
}

impl Driver for Editor {
    fn request(&mut self) -> Request<Full<Bytes>> {
        self.edits += 1;
        match Fixed::post_json(self.addr, &self.body(), Some(&self.cookie)) {
            Ok(fixed) => fixed.build(),
            // Cannot happen: the cookie was a valid header value at sign-in.
            Err(_) => Request::new(Full::new(Bytes::new())),
        }
    }

    fn check(&mut self, status: StatusCode, body: &[u8]) -> bool {
        self.absorb(status, body)
    }
}
