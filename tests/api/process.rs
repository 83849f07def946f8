//! The server as a process: graceful shutdown on SIGTERM (stop accepting,
//! let in-flight requests finish within the grace period, close the
//! database) and crash safety on SQLite (a SIGKILL in the middle of a
//! stream of saves loses none that had been acknowledged).
//!
//! Each test runs the real `qanda serve` binary and signals it. What they
//! check about the database file (its integrity after a SIGKILL, the WAL
//! after a clean stop) is SQLite's, so they use a temporary SQLite file of
//! their own in every run, PostgreSQL runs included; the SIGTERM drill runs
//! on PostgreSQL as well when one is configured.
#![cfg(unix)]

use std::collections::HashMap;
use std::convert::Infallible;
use std::io::{BufRead, BufReader};
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use bytes::Bytes;
use futures::SinkExt;
use http_body_util::{BodyExt, StreamBody};
use hyper::body::Frame;
use hyper::header::{CONTENT_LENGTH, CONTENT_TYPE, HOST};
use hyper_util::rt::TokioIo;
use rand::Rng;
use sea_orm::{ConnectionTrait, DatabaseBackend, DatabaseConnection, EntityTrait, Statement};
use serde_json::{json, Value};

use crate::helpers::{run_cli_with_input, TestDatabase, PASSWORD};

const PAGE: &str = "local-digital-qa";
const EDITOR: &str = "editor@example.org";

const SIGN_IN: &str =
    "mutation($e: String!, $p: String!) { signIn(email: $e, password: $p) { id } }";
const SAVE: &str = "mutation($id: ID!, $v: Int!, $a: String!) {
  updateQuestion(id: $id, version: $v, input: { answer: $a }) { version answer } }";
const WORKING_COPY: &str =
    "query($id: ID!) { question(id: $id, includeDrafts: true) { version answer } }";
const QUESTIONS: &str =
    "query($slug: String!) { page(slug: $slug, includeDrafts: true) { categories { questions { id version answer } } } }";
/// Everything a reader of the page asks for: some work for the server.
const WHOLE_PAGE: &str = "{ page(slug: \"local-digital-qa\") { title intro status \
    categories { title questions { id slug question answer answerHtml publishedAt } } } }";

/// A `qanda serve` child process on a port of its own choosing.
struct Server {
    child: Child,
    /// `http://127.0.0.1:PORT`, as the server announced it.
    address: String,
    log: Arc<Mutex<Vec<String>>>,
}

impl Server {
    /// Starts `qanda serve --bind 127.0.0.1:0` and waits until `/readyz`
    /// answers 200. The port is read from the line the server prints.
    async fn start(database: &TestDatabase, settings: &[(&str, &str)]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_qanda"))
            .args(["serve", "--bind", "127.0.0.1:0"])
            .envs(database.env())
            .env("QANDA_LOG", "info")
            .env("NO_COLOR", "1")
            .envs(settings.iter().copied())
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("qanda serve starts");
        let stderr = child.stderr.take().expect("stderr is piped");
        let log = Arc::new(Mutex::new(Vec::new()));
        let (announced, address) = tokio::sync::oneshot::channel();
        let lines = log.clone();
        // Drains the log for as long as the process lives, so it never
        // blocks on a full pipe.
        std::thread::spawn(move || {
            let mut announced = Some(announced);
            for line in BufReader::new(stderr).lines() {
                let Ok(line) = line else { break };
                let base = line
                    .split_once("qanda is serving ")
                    .and_then(|(_, rest)| rest.split_once("/graphql"))
                    .map(|(base, _)| base.to_owned());
                if let Some(base) = base {
                    if let Some(tx) = announced.take() {
                        let _ = tx.send(base);
                    }
                }
                lines.lock().unwrap().push(line);
            }
        });
        let mut server = Server {
            child,
            address: String::new(),
            log,
        };
        match tokio::time::timeout(Duration::from_secs(60), address).await {
            Ok(Ok(address)) => server.address = address,
            _ => panic!(
                "qanda serve did not say where it listens; its log:\n{}",
                server.log_text()
            ),
        }
        let client = reqwest::Client::new();
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let ready = client.get(server.url("/readyz")).send().await;
            if ready.is_ok_and(|r| r.status() == 200) {
                break;
            }
            assert!(
                Instant::now() < deadline,
                "qanda serve was not ready within 30 s; its log:\n{}",
                server.log_text()
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        server
    }

    fn url(&self, path: &str) -> String {
        format!("{}{}", self.address, path)
    }

    /// `127.0.0.1:PORT`
    fn authority(&self) -> &str {
        self.address.trim_start_matches("http://")
    }

    fn log_text(&self) -> String {
        self.log.lock().unwrap().join("\n")
    }

    fn sigterm(&self) {
        let pid = libc::pid_t::try_from(self.child.id()).expect("a pid fits pid_t");
        // SAFETY: kill(2) with a pid we spawned and still own (not yet reaped).
        let sent = unsafe { libc::kill(pid, libc::SIGTERM) };
        assert_eq!(sent, 0, "SIGTERM could not be sent");
    }

    /// SIGKILL: the process gets no chance to do anything.
    fn sigkill(&mut self) {
        self.child.kill().expect("SIGKILL is sent");
        let status = self.child.wait().expect("the killed server is reaped");
        assert_eq!(status.signal(), Some(libc::SIGKILL), "{status:?}");
    }

    fn running(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }

    /// The exit status, if the process ends within `bound`.
    async fn exit_within(&mut self, bound: Duration) -> Option<ExitStatus> {
        let deadline = Instant::now() + bound;
        loop {
            if let Some(status) = self.child.try_wait().expect("the server's status") {
                return Some(status);
            }
            if Instant::now() >= deadline {
                return None;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    /// Sends SIGTERM and waits for a clean exit (status 0) within `bound`.
    async fn stop(&mut self, bound: Duration) -> Duration {
        let signalled = Instant::now();
        self.sigterm();
        let status = self.exit_within(bound).await;
        assert!(
            status.is_some_and(|s| s.success()),
            "after SIGTERM the server should exit with status 0 within {bound:?}, got {status:?}; its log:\n{}",
            self.log_text()
        );
        signalled.elapsed()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        // A failed test must not leave a server behind.
        if self.running() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// A temporary SQLite file, whatever backend this run tests.
fn sqlite_database() -> TestDatabase {
    TestDatabase::Sqlite {
        dir: tempfile::tempdir().expect("create a temporary directory"),
    }
}

fn sqlite_file(database: &TestDatabase) -> Option<PathBuf> {
    match database {
        TestDatabase::Sqlite { dir } => Some(dir.path().join("qanda.db")),
        TestDatabase::Postgres { .. } => None,
    }
}

fn wal_file(db_file: &Path) -> PathBuf {
    let mut name = db_file.as_os_str().to_owned();
    name.push("-wal");
    PathBuf::from(name)
}

/// Size of the write-ahead log next to `db_file`, `None` when there is none.
fn wal_size(db_file: &Path) -> Option<u64> {
    std::fs::metadata(wal_file(db_file)).ok().map(|m| m.len())
}

/// Opens the SQLite file as the server does (which recovers a WAL left by a
/// crash).
async fn open_sqlite(db_file: &Path) -> DatabaseConnection {
    assert!(db_file.exists(), "{} is missing", db_file.display());
    let url = format!("sqlite://{}", db_file.display());
    let (db, _) = qanda::db::connect(qanda::db::DbSettings {
        url: &url,
        schema: None,
        max_connections: 1,
    })
    .await
    .expect("the database file opens");
    db
}

/// `PRAGMA integrity_check` and `PRAGMA foreign_key_check`, one line per
/// row: `["ok"]` for a sound file.
async fn integrity(db: &DatabaseConnection) -> Vec<String> {
    let pragma = |sql: &str| Statement::from_string(DatabaseBackend::Sqlite, sql);
    let mut found: Vec<String> = db
        .query_all_raw(pragma("PRAGMA integrity_check"))
        .await
        .expect("integrity_check runs")
        .iter()
        .map(|row| row.try_get_by_index::<String>(0).expect("a text row"))
        .collect();
    let orphans = db
        .query_all_raw(pragma("PRAGMA foreign_key_check"))
        .await
        .expect("foreign_key_check runs");
    found.extend(orphans.iter().map(|row| {
        let table = row.try_get_by_index::<String>(0).unwrap_or_default();
        format!("a row of {table} refers to a row that is not there")
    }));
    found
}

async fn assert_sound(db_file: &Path) {
    let db = open_sqlite(db_file).await;
    let found = integrity(&db).await;
    db.close().await.ok();
    assert_eq!(found, ["ok"], "{} is damaged", db_file.display());
}

/// A client with a cookie jar of its own, signed in as the editor.
async fn signed_in(server: &Server) -> reqwest::Client {
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .timeout(Duration::from_secs(30))
        .build()
        .unwrap();
    query(
        &client,
        server,
        SIGN_IN,
        json!({ "e": EDITOR, "p": PASSWORD }),
    )
    .await;
    client
}

/// A query that must succeed; returns `data`.
async fn query(client: &reqwest::Client, server: &Server, query: &str, variables: Value) -> Value {
    let response = client
        .post(server.url("/graphql"))
        .json(&json!({ "query": query, "variables": variables }))
        .send()
        .await
        .expect("the server answers");
    let status = response.status();
    let body: Value = response.json().await.expect("a JSON body");
    assert_eq!(status, 200, "{body}");
    assert!(body.get("errors").is_none(), "unexpected errors: {body}");
    body["data"].clone()
}

/// What an acknowledged save left: the version the server answered with
/// and the answer it carried.
#[derive(Clone, Debug, PartialEq)]
struct Save {
    version: i64,
    answer: String,
}

/// Saves `question` over and over, each save carrying the version the last
/// one answered with, until the server stops answering. Returns the last
/// acknowledged save. Only the kill may stop it: any other failure, or a
/// GraphQL error at any time, is an `Err`.
async fn save_stream(
    client: reqwest::Client,
    url: String,
    question: String,
    from: Save,
    round: usize,
    acknowledged: Arc<AtomicUsize>,
    killed: Arc<AtomicBool>,
) -> Result<Save, String> {
    let mut last = from;
    for n in 1.. {
        let answer = format!("Save {n} of question {question} in round {round}.");
        let variables = json!({ "id": question, "v": last.version, "a": answer });
        let sent = client
            .post(&url)
            .json(&json!({ "query": SAVE, "variables": variables }))
            .send()
            .await;
        let read = match sent {
            Ok(response) => {
                let status = response.status();
                response.bytes().await.map(|body| (status, body))
            }
            Err(e) => Err(e),
        };
        let (status, body) = match read {
            Ok(answered) => answered,
            // Cut off by the SIGKILL: this save was never acknowledged.
            Err(_) if killed.load(Ordering::SeqCst) => return Ok(last),
            Err(e) => return Err(format!("save {n} of question {question} failed: {e}")),
        };
        let body: Value = serde_json::from_slice(&body).map_err(|e| {
            format!("save {n} of question {question}: a {status} answer that is not JSON: {e}")
        })?;
        let saved = &body["data"]["updateQuestion"];
        match saved["version"].as_i64() {
            Some(version) if status == 200 && body.get("errors").is_none() => {
                assert_eq!(saved["answer"], answer.as_str());
                assert_eq!(version, last.version + 1, "one save, one version");
                last = Save { version, answer };
                acknowledged.fetch_add(1, Ordering::SeqCst);
            }
            _ => return Err(format!("save {n} of question {question}: {status} {body}")),
        }
    }
    unreachable!("the stream of saves ends only when the server stops answering")
}

/// Kills the server with SIGKILL in the middle of a stream of saves from
/// four concurrent editors' tabs, three times over; after each crash every
/// acknowledged save is in the file, which passes `PRAGMA integrity_check`.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sigkill_mid_stream_loses_no_acknowledged_save() {
    let database = sqlite_database();
    let db_file = sqlite_file(&database).unwrap();
    let added = run_cli_with_input(
        &database,
        &[
            "user", "add", "--email", EDITOR, "--name", "Editor", "--role", "EDITOR",
        ],
        &format!("{PASSWORD}\n"),
    );
    assert!(added.status.success(), "{added:?}");

    let mut server = Server::start(&database, &[]).await;
    let client = signed_in(&server).await;
    let page = query(&client, &server, QUESTIONS, json!({ "slug": PAGE })).await;
    let mut acknowledged: HashMap<String, Save> = page["page"]["categories"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|category| category["questions"].as_array().unwrap().clone())
        .take(4)
        .map(|q| {
            let save = Save {
                version: q["version"].as_i64().unwrap(),
                answer: q["answer"].as_str().unwrap().to_owned(),
            };
            (q["id"].as_str().unwrap().to_owned(), save)
        })
        .collect();
    assert_eq!(
        acknowledged.len(),
        4,
        "the sample page has at least four questions"
    );

    for round in 1..=3 {
        let client = signed_in(&server).await;
        let target = rand::thread_rng().gen_range(100..=300);
        let count = Arc::new(AtomicUsize::new(0));
        let killed = Arc::new(AtomicBool::new(false));
        let ids: Vec<String> = acknowledged.keys().cloned().collect();
        let streams: Vec<_> = ids
            .iter()
            .map(|id| {
                tokio::spawn(save_stream(
                    client.clone(),
                    server.url("/graphql"),
                    id.clone(),
                    acknowledged[id].clone(),
                    round,
                    count.clone(),
                    killed.clone(),
                ))
            })
            .collect();
        let started = Instant::now();
        while count.load(Ordering::SeqCst) < target {
            assert!(
                started.elapsed() < Duration::from_secs(60),
                "round {round}: only {} saves in a minute",
                count.load(Ordering::SeqCst)
            );
            assert!(
                streams.iter().all(|s| !s.is_finished()),
                "round {round}: a stream of saves stopped before the kill"
            );
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
        killed.store(true, Ordering::SeqCst);
        server.sigkill();
        let saves = count.load(Ordering::SeqCst);
        for (stream, id) in streams.into_iter().zip(ids) {
            let last = stream
                .await
                .expect("the stream of saves did not panic")
                .unwrap_or_else(|e| panic!("round {round}: {e}"));
            acknowledged.insert(id, last);
        }
        let wal = wal_size(&db_file);

        // The file exactly as the crash left it, read on a copy so that the
        // restarted server still has the WAL to recover.
        let copy = tempfile::tempdir().unwrap();
        let copied = copy.path().join("qanda.db");
        std::fs::copy(&db_file, &copied).unwrap();
        if wal.is_some() {
            std::fs::copy(wal_file(&db_file), wal_file(&copied)).unwrap();
        }
        let crashed = open_sqlite(&copied).await;
        assert_eq!(
            integrity(&crashed).await,
            ["ok"],
            "round {round}: the file after SIGKILL is damaged"
        );
        let on_file: HashMap<String, Save> = entity::question::Entity::find()
            .all(&crashed)
            .await
            .unwrap()
            .into_iter()
            .map(|q| {
                let save = Save {
                    version: q.version.into(),
                    answer: q.answer,
                };
                (q.id.to_string(), save)
            })
            .collect();
        crashed.close().await.ok();

        server = Server::start(&database, &[]).await;
        let client = signed_in(&server).await;
        let mut unacknowledged = 0;
        for (id, last) in &acknowledged {
            let stored =
                &query(&client, &server, WORKING_COPY, json!({ "id": id })).await["question"];
            let stored = Save {
                version: stored["version"].as_i64().unwrap(),
                answer: stored["answer"].as_str().unwrap().to_owned(),
            };
            assert_eq!(
                on_file.get(id),
                Some(&stored),
                "round {round}: the restarted server and the file agree on question {id}"
            );
            if stored.version == last.version + 1 {
                // Committed as the kill came, before its answer was sent.
                unacknowledged += 1;
            } else {
                assert_eq!(
                    &stored, last,
                    "round {round}: question {id} lost its last acknowledged save"
                );
            }
        }
        eprintln!(
            "round {round}: SIGKILL after {saves} acknowledged saves (target {target}) in {:?}; \
             WAL left behind: {wal:?} bytes; {unacknowledged} save(s) committed but not yet acknowledged",
            started.elapsed()
        );
        // The next round starts from what is stored.
        let ids: Vec<String> = acknowledged.keys().cloned().collect();
        for id in ids {
            let stored =
                &query(&client, &server, WORKING_COPY, json!({ "id": id })).await["question"];
            acknowledged.insert(
                id,
                Save {
                    version: stored["version"].as_i64().unwrap(),
                    answer: stored["answer"].as_str().unwrap().to_owned(),
                },
            );
        }
    }

    server.stop(Duration::from_secs(15)).await;
    assert_sound(&db_file).await;
}

/// A request that has sent its headers and half its body, then waits: in
/// flight, as far as the server can tell, for as long as we like.
struct HeldRequest {
    rest: Bytes,
    body: futures::channel::mpsc::Sender<Result<Frame<Bytes>, Infallible>>,
    response: tokio::task::JoinHandle<Result<(u16, Bytes), String>>,
}

impl HeldRequest {
    async fn start(server: &Server, query: &str) -> HeldRequest {
        let authority = server.authority().to_owned();
        let body = Bytes::from(json!({ "query": query }).to_string());
        let half = body.len() / 2;
        let stream = tokio::net::TcpStream::connect(&authority)
            .await
            .expect("connect to the server");
        let (mut sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
            .await
            .expect("an HTTP/1 connection");
        tokio::spawn(connection);
        // First an ordinary request on the same connection, so the server
        // has surely accepted it before the held request starts.
        let (no_more, empty) = futures::channel::mpsc::channel(0);
        drop(no_more);
        let warm_up = hyper::Request::get("/healthz")
            .header(HOST, &authority)
            .body(StreamBody::new(empty))
            .unwrap();
        let healthz = sender
            .send_request(warm_up)
            .await
            .expect("the server answers /healthz");
        assert_eq!(healthz.status(), 200);
        healthz.into_body().collect().await.expect("its body");
        sender.ready().await.expect("the connection is kept alive");
        let (mut tx, rx) = futures::channel::mpsc::channel(1);
        let request = hyper::Request::post("/graphql")
            .header(HOST, &authority)
            .header(CONTENT_TYPE, "application/json")
            .header(CONTENT_LENGTH, body.len())
            .body(StreamBody::new(rx))
            .unwrap();
        let response = tokio::spawn(async move {
            let response = sender
                .send_request(request)
                .await
                .map_err(|e| e.to_string())?;
            let status = response.status().as_u16();
            let body = response
                .into_body()
                .collect()
                .await
                .map_err(|e| e.to_string())?;
            Ok((status, body.to_bytes()))
        });
        tx.send(Ok(Frame::data(body.slice(..half))))
            .await
            .expect("the first half of the body is sent");
        // Long enough for the server to read the headers and start the request.
        tokio::time::sleep(Duration::from_millis(200)).await;
        HeldRequest {
            rest: body.slice(half..),
            body: tx,
            response,
        }
    }

    /// Sends the rest of the body; returns the answer.
    async fn finish(self) -> Result<(u16, Bytes), String> {
        let HeldRequest {
            rest,
            mut body,
            response,
        } = self;
        body.send(Ok(Frame::data(rest)))
            .await
            .map_err(|e| e.to_string())?;
        drop(body);
        Self::answer(response).await
    }

    /// What the server did with the request, without sending the rest.
    async fn abandoned(self) -> Result<(u16, Bytes), String> {
        Self::answer(self.response).await
    }

    async fn answer(
        response: tokio::task::JoinHandle<Result<(u16, Bytes), String>>,
    ) -> Result<(u16, Bytes), String> {
        tokio::time::timeout(Duration::from_secs(10), response)
            .await
            .map_err(|_| "no answer within 10 s".to_owned())?
            .expect("the request task did not panic")
    }
}

/// Checks a whole-page answer: 200, complete JSON, every question there.
fn whole_page(status: u16, body: &[u8], questions: usize) -> Result<(), String> {
    let value: Value = serde_json::from_slice(body)
        .map_err(|e| format!("a {status} answer of {} bytes is not JSON: {e}", body.len()))?;
    let got: usize = value["data"]["page"]["categories"]
        .as_array()
        .map(|categories| {
            categories
                .iter()
                .map(|c| c["questions"].as_array().map_or(0, Vec::len))
                .sum()
        })
        .unwrap_or(0);
    if status != 200 || value.get("errors").is_some() || got != questions {
        return Err(format!(
            "{status} with {got} of {questions} questions: {value}"
        ));
    }
    Ok(())
}

#[derive(Debug, Default)]
struct Reads {
    complete: usize,
    /// Requests sent after SIGTERM that could not get in.
    shut_out: usize,
    failures: Vec<String>,
}

/// Reads the whole page again and again until the server stops answering.
/// Every answer must be complete; only SIGTERM may stop it, and then with
/// an error at once, never a hang.
async fn read_until_stopped(
    url: String,
    questions: usize,
    complete: Arc<AtomicUsize>,
    signalled: Arc<AtomicBool>,
) -> Reads {
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap();
    let mut reads = Reads::default();
    loop {
        let sent = client
            .post(&url)
            .json(&json!({ "query": WHOLE_PAGE }))
            .send()
            .await;
        let response = match sent {
            Ok(response) => response,
            Err(e) if e.is_timeout() => {
                reads.failures.push(format!("a request hung: {e}"));
                return reads;
            }
            Err(_) if signalled.load(Ordering::SeqCst) => {
                reads.shut_out += 1;
                return reads;
            }
            Err(e) => {
                reads.failures.push(format!("failed before SIGTERM: {e}"));
                return reads;
            }
        };
        let status = response.status().as_u16();
        match response.bytes().await {
            Ok(body) => match whole_page(status, &body, questions) {
                Ok(()) => {
                    reads.complete += 1;
                    complete.fetch_add(1, Ordering::SeqCst);
                }
                Err(e) => {
                    reads.failures.push(e);
                    return reads;
                }
            },
            Err(e) => {
                reads
                    .failures
                    .push(format!("a {status} answer was cut off: {e}"));
                return reads;
            }
        }
    }
}

/// SIGTERM while eight readers hammer the page and one request is half
/// sent: the listener closes at once (new connections are refused, not left
/// hanging), every answer already started arrives complete, the half-sent
/// request is answered in full when its body arrives, and the process then
/// exits 0 with the database closed cleanly.
async fn sigterm_drill(database: TestDatabase) {
    // Every read goes to the database, so requests are in the middle of
    // queries when the signal comes.
    let mut server = Server::start(&database, &[("QANDA_NO_RESPONSE_CACHE", "true")]).await;
    let client = reqwest::Client::new();
    let response = client
        .post(server.url("/graphql"))
        .json(&json!({ "query": WHOLE_PAGE }))
        .send()
        .await
        .unwrap();
    let first: Value = response.json().await.unwrap();
    let questions: usize = first["data"]["page"]["categories"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["questions"].as_array().unwrap().len())
        .sum();
    assert!(questions > 0, "{first}");

    let held = HeldRequest::start(&server, WHOLE_PAGE).await;
    let complete = Arc::new(AtomicUsize::new(0));
    let signalled = Arc::new(AtomicBool::new(false));
    let readers: Vec<_> = (0..8)
        .map(|_| {
            tokio::spawn(read_until_stopped(
                server.url("/graphql"),
                questions,
                complete.clone(),
                signalled.clone(),
            ))
        })
        .collect();
    let started = Instant::now();
    while complete.load(Ordering::SeqCst) < 400 {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "only {} reads in a minute",
            complete.load(Ordering::SeqCst)
        );
        assert!(
            readers.iter().all(|r| !r.is_finished()),
            "a reader stopped before SIGTERM"
        );
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    signalled.store(true, Ordering::SeqCst);
    let terminated = Instant::now();
    server.sigterm();

    // Every reader stops promptly: its request was answered in full, or it
    // could not get in.
    let mut reads = Reads::default();
    for reader in readers {
        let got = tokio::time::timeout(Duration::from_secs(5), reader)
            .await
            .expect("a reader is stopped within 5 s of SIGTERM, not left hanging")
            .expect("a reader did not panic");
        reads.complete += got.complete;
        reads.shut_out += got.shut_out;
        reads.failures.extend(got.failures);
    }
    assert!(reads.failures.is_empty(), "{:#?}", reads.failures);
    assert_eq!(reads.shut_out, 8, "{reads:?}");

    // The held request keeps the server draining; new connections are refused.
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert!(
        server.running(),
        "the server waits for the request still in flight; its log:\n{}",
        server.log_text()
    );
    let connect = tokio::time::timeout(
        Duration::from_secs(2),
        tokio::net::TcpStream::connect(server.authority()),
    )
    .await
    .expect("a new connection is refused at once, not left waiting");
    assert_eq!(
        connect.map(|_| ()).map_err(|e| e.kind()),
        Err(std::io::ErrorKind::ConnectionRefused),
        "the listener is closed once shutdown begins"
    );

    let (status, body) = held.finish().await.expect("the held request is answered");
    whole_page(status, &body, questions).expect("the held request is answered in full");

    let status = server.exit_within(Duration::from_secs(10)).await;
    let stopped = terminated.elapsed();
    assert!(
        status.is_some_and(|s| s.success()),
        "the server exits with status 0 within 10 s of SIGTERM, got {status:?}; its log:\n{}",
        server.log_text()
    );
    let log = server.log_text();
    assert!(log.contains("shutting down"), "{log}");
    assert!(!log.contains("abandoned"), "{log}");

    let wal = sqlite_file(&database).map(|file| (wal_size(&file), file));
    eprintln!(
        "SIGTERM after {} complete reads: exited 0 in {stopped:?}; {} readers shut out; WAL after exit: {:?}",
        reads.complete,
        reads.shut_out,
        wal.as_ref().map(|(size, _)| size)
    );
    if let Some((wal, file)) = wal {
        // The last connection to close checkpoints the WAL into the file
        // and deletes it.
        assert!(
            wal.is_none_or(|size| size == 0),
            "a clean stop leaves no WAL to replay, found {wal:?} bytes"
        );
        assert_sound(&file).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sigterm_finishes_in_flight_requests_and_exits_cleanly() {
    sigterm_drill(sqlite_database()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sigterm_on_postgres_finishes_in_flight_requests_and_exits_cleanly() {
    let Some(database) = TestDatabase::postgres().await else {
        return;
    };
    sigterm_drill(database).await;
}

/// A request still running when the grace period ends does not keep the
/// process up: it is abandoned, and the server exits soon after the grace
/// period, with the database sound.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_request_still_running_after_the_grace_period_does_not_delay_exit() {
    let database = sqlite_database();
    // The request timeout is far longer, so only the grace period can end it.
    let mut server = Server::start(
        &database,
        &[
            ("QANDA_SHUTDOWN_GRACE_SECS", "2"),
            ("QANDA_REQUEST_TIMEOUT_SECS", "120"),
        ],
    )
    .await;
    let held = HeldRequest::start(&server, WHOLE_PAGE).await;
    let terminated = Instant::now();
    server.sigterm();

    tokio::time::sleep(Duration::from_millis(500)).await;
    assert!(server.running(), "the server waits out the grace period");
    let connect = tokio::net::TcpStream::connect(server.authority()).await;
    assert_eq!(
        connect.map(|_| ()).map_err(|e| e.kind()),
        Err(std::io::ErrorKind::ConnectionRefused),
        "no new connections while waiting"
    );

    let status = server.exit_within(Duration::from_secs(8)).await;
    let stopped = terminated.elapsed();
    assert!(
        status.is_some_and(|s| s.success()),
        "the server exits with status 0 within 8 s of SIGTERM despite a stalled request, got {status:?}; its log:\n{}",
        server.log_text()
    );
    assert!(
        stopped >= Duration::from_millis(1900),
        "the server gave the request its 2 s grace period, but exited after {stopped:?}"
    );
    let answer = held.abandoned().await;
    assert!(
        answer.is_err(),
        "the abandoned request gets no answer: {answer:?}"
    );
    let log = server.log_text();
    assert!(log.contains("abandoned"), "{log}");

    let db_file = sqlite_file(&database).unwrap();
    let wal = wal_size(&db_file);
    eprintln!("grace period over: exited 0 in {stopped:?}; WAL after exit: {wal:?} bytes");
    assert!(
        wal.is_none_or(|size| size == 0),
        "the database was closed cleanly, found a WAL of {wal:?} bytes"
    );
    assert_sound(&db_file).await;
}
