use std::path::PathBuf;
use std::time::Duration;

use clap::Parser;
use qanda::cli::{Cli, Command, DbArgs, ServeArgs};
use qanda::db::StatementCounter;
use qanda::domain::Viewer;
use qanda::interchange::PageDocument;
use sea_orm::{ConnectionTrait, Database, DatabaseConnection};
use serde_json::{json, Value};

/// A database that exists for one test and is removed after it.
pub enum TestDatabase {
    Sqlite { dir: tempfile::TempDir },
    Postgres { base_url: String, schema: String },
}

impl TestDatabase {
    /// A fresh PostgreSQL schema for tests that need PostgreSQL whatever the
    /// run's backend: from QANDA_TEST_DATABASE_URL when it is PostgreSQL, else
    /// QANDA_TEST_POSTGRES_URL. `None` (the test is skipped, with a message)
    /// when neither is set, except under CI=true, where that fails.
    pub async fn postgres() -> Option<TestDatabase> {
        let url = std::env::var("QANDA_TEST_DATABASE_URL")
            .ok()
            .filter(|u| u.starts_with("postgres"))
            .or_else(|| {
                std::env::var("QANDA_TEST_POSTGRES_URL")
                    .ok()
                    .filter(|u| !u.is_empty())
            });
        let Some(url) = url else {
            if std::env::var("CI").is_ok_and(|v| v == "true") {
                panic!("this test needs PostgreSQL: set QANDA_TEST_POSTGRES_URL (CI=true forbids skipping)");
            }
            eprintln!("skipping a PostgreSQL-only test: set QANDA_TEST_POSTGRES_URL to run it");
            return None;
        };
        Some(Self::postgres_at(url).await)
    }

    async fn postgres_at(base_url: String) -> TestDatabase {
        let schema = format!("test_{}", uuid::Uuid::new_v4().simple());
        let admin = Database::connect(&base_url)
            .await
            .unwrap_or_else(|e| panic!("PostgreSQL is not reachable at {base_url}: {e}"));
        admin
            .execute_unprepared(&format!("CREATE SCHEMA \"{schema}\""))
            .await
            .expect("create a test schema");
        admin.close().await.ok();
        TestDatabase::Postgres { base_url, schema }
    }

    /// A fresh database on the backend this run tests: PostgreSQL when
    /// QANDA_TEST_DATABASE_URL is set (a new schema per test), else a
    /// temporary SQLite file.
    pub async fn fresh() -> TestDatabase {
        match std::env::var("QANDA_TEST_DATABASE_URL") {
            Ok(base_url) if !base_url.is_empty() => {
                let schema = format!("test_{}", uuid::Uuid::new_v4().simple());
                let admin = Database::connect(&base_url).await.unwrap_or_else(|e| {
                    panic!("QANDA_TEST_DATABASE_URL is set but PostgreSQL is not reachable at {base_url}: {e}")
                });
                admin
                    .execute_unprepared(&format!("CREATE SCHEMA \"{schema}\""))
                    .await
                    .expect("create a test schema");
                admin.close().await.ok();
                TestDatabase::Postgres { base_url, schema }
            }
            _ => TestDatabase::Sqlite {
                dir: tempfile::tempdir().expect("create a temporary directory"),
            },
        }
    }

    pub fn url(&self) -> String {
        match self {
            TestDatabase::Sqlite { dir } => {
                format!("sqlite://{}", dir.path().join("qanda.db").display())
            }
            TestDatabase::Postgres { base_url, .. } => base_url.clone(),
        }
    }

    pub fn schema(&self) -> Option<String> {
        match self {
            TestDatabase::Sqlite { .. } => None,
            TestDatabase::Postgres { schema, .. } => Some(schema.clone()),
        }
    }

    pub fn db_args(&self) -> DbArgs {
        DbArgs {
            database_url: self.url(),
            database_schema: self.schema(),
            database_max_connections: 8,
        }
    }

    /// Environment for running the `qanda` binary against this database.
    pub fn env(&self) -> Vec<(&'static str, String)> {
        let mut env = vec![("DATABASE_URL", self.url())];
        if let Some(schema) = self.schema() {
            env.push(("QANDA_DATABASE_SCHEMA", schema));
        }
        env
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        if let TestDatabase::Postgres { base_url, schema } = self {
            let (base_url, schema) = (base_url.clone(), schema.clone());
            // Drop runs inside the test's runtime, so clean up on a thread of our own.
            let _ = std::thread::spawn(move || {
                let runtime = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .expect("a runtime for cleanup");
                runtime.block_on(async {
                    if let Ok(db) = Database::connect(&base_url).await {
                        let _ = db
                            .execute_unprepared(&format!(
                                "DROP SCHEMA IF EXISTS \"{schema}\" CASCADE"
                            ))
                            .await;
                        db.close().await.ok();
                    }
                });
            })
            .join();
        }
    }
}

/// The metrics recorder is the process's: tests that read counts from
/// `/metrics` take turns, so that no other server adds to them meanwhile.
pub static METRICS: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

pub struct TestApp {
    pub address: String,
    pub client: reqwest::Client,
    pub db: DatabaseConnection,
    pub statements: StatementCounter,
    pub database: TestDatabase,
    /// The first-admin link's token, as `qanda serve` would print it.
    pub setup_token: Option<String>,
}

type Configure = Box<dyn FnOnce(&mut ServeArgs)>;

pub struct TestAppBuilder {
    sample: bool,
    configure: Vec<Configure>,
    database: Option<TestDatabase>,
}

impl TestAppBuilder {
    /// Start with an empty database instead of the sample page.
    pub fn without_sample(mut self) -> Self {
        self.sample = false;
        self
    }

    /// Changes the server's settings before it starts.
    pub fn configure(mut self, change: impl FnOnce(&mut ServeArgs) + 'static) -> Self {
        self.configure.push(Box::new(change));
        self
    }

    /// Use this database instead of a fresh one on the run's backend.
    pub fn on(mut self, database: TestDatabase) -> Self {
        self.database = Some(database);
        self
    }

    pub async fn spawn(self) -> TestApp {
        // QANDA_TEST_LOG=warn (or any filter) shows the servers' logs.
        if let Ok(filter) = std::env::var("QANDA_TEST_LOG") {
            let _ = tracing_subscriber::fmt()
                .with_env_filter(filter)
                .with_test_writer()
                .try_init();
        }
        let database = match self.database {
            Some(database) => database,
            None => TestDatabase::fresh().await,
        };
        // The CLI's own parser, so the defaults live in src/cli.rs only; the
        // flags are what a test server needs differently.
        let cli = Cli::try_parse_from([
            "qanda",
            "serve",
            "--bind=127.0.0.1:0",
            // Tests run the scheduler and the webhook sender when they
            // need to, not on a timer.
            "--scheduler-interval-secs=3600",
            "--webhook-poll-ms=3600000",
            // The test receivers listen on 127.0.0.1; the address rule's
            // own tests (webhook_addresses.rs) turn this off.
            "--webhook-allow-private",
        ])
        .expect("the test server's flags parse");
        let Command::Serve(args) = cli.command else {
            unreachable!("parsed as `qanda serve`")
        };
        let mut args = *args;
        args.db = database.db_args();
        args.no_sample = !self.sample;
        for change in self.configure {
            change(&mut args);
        }
        let app = qanda::build(&args).await.expect("the app builds");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = format!("http://{}", listener.local_addr().unwrap());
        let db = app.db.clone();
        let statements = app.statements.clone();
        let setup_token = app.setup_token.clone();
        tokio::spawn(async move {
            let service = app
                .router
                .into_make_service_with_connect_info::<std::net::SocketAddr>();
            axum::serve(listener, service).await.unwrap();
        });
        let client = reqwest::Client::builder()
            .cookie_store(true)
            .timeout(Duration::from_secs(30))
            .build()
            .unwrap();
        TestApp {
            address,
            client,
            db,
            statements,
            database,
            setup_token,
        }
    }
}

impl TestApp {
    pub fn builder() -> TestAppBuilder {
        TestAppBuilder {
            sample: true,
            configure: Vec::new(),
            database: None,
        }
    }

    /// The real server with the sample page loaded, as `qanda serve` starts.
    pub async fn spawn() -> TestApp {
        Self::builder().spawn().await
    }

    /// GETs `path` and returns the body as text.
    pub async fn get_text(&self, path: &str) -> String {
        self.client
            .get(self.url(path))
            .send()
            .await
            .expect("the server answers")
            .text()
            .await
            .expect("a text body")
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.address, path)
    }

    /// POSTs a query and returns the HTTP status and the JSON body.
    pub async fn post_graphql(&self, query: &str, variables: Value) -> (u16, Value) {
        let response = self
            .client
            .post(self.url("/graphql"))
            .json(&json!({ "query": query, "variables": variables }))
            .send()
            .await
            .expect("the server answers");
        let status = response.status().as_u16();
        (status, response.json().await.expect("a JSON body"))
    }

    /// POSTs a query that must succeed and returns its `data`.
    pub async fn query(&self, query: &str, variables: Value) -> Value {
        let (status, body) = self.post_graphql(query, variables).await;
        assert_eq!(status, 200, "{body}");
        assert!(body.get("errors").is_none(), "unexpected errors: {body}");
        body["data"].clone()
    }

    /// Loads pages straight through the service layer (test set-up only).
    pub async fn import(&self, pages: Vec<PageDocument>) {
        qanda::service::import_export::import(&self.db, &Viewer::System, pages, "test set-up")
            .await
            .expect("test content imports");
    }

    pub async fn import_json(&self, pages: Value) {
        let pages: Vec<PageDocument> = serde_json::from_value(pages).expect("valid test documents");
        self.import(pages).await;
    }
}

/// Runs the real `qanda` binary against a test database. It blocks the
/// calling thread: a test that also runs a server must use a multi-thread
/// runtime, or the server, frozen mid-transaction, would hold SQLite's write
/// lock until the command gave up ("database is locked").
pub fn run_cli(database: &TestDatabase, args: &[&str]) -> std::process::Output {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_qanda"))
        .args(args)
        .envs(database.env())
        .env("QANDA_LOG", "warn")
        .output()
        .expect("the qanda binary runs");
    if !output.status.success() {
        // Say why, for the test that expected success.
        eprintln!(
            "qanda {}: {}\n{}",
            args.join(" "),
            output.status,
            String::from_utf8_lossy(&output.stderr)
        );
    }
    output
}

pub fn sample_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src/sample/local-digital-qa.txt")
}

/// A page document in the export format, for building test content.
pub fn page_doc(slug: &str, status: &str, categories: Value) -> Value {
    json!({
        "slug": slug,
        "title": format!("Page {slug}"),
        "intro": "Intro",
        "footer": "",
        "status": status,
        "categories": categories,
    })
}

pub fn question_doc(slug: &str, status: &str) -> Value {
    json!({
        "slug": slug,
        "question": format!("Question {slug}?"),
        "answer": format!("Answer for {slug}."),
        "status": status,
    })
}

/// The password every test user gets.
pub const PASSWORD: &str = "correct horse battery staple";

/// A separate HTTP client with its own cookie jar: one browser, one person.
pub struct Person {
    pub client: reqwest::Client,
    pub address: String,
    pub user_id: Option<String>,
    pub email: String,
}

impl Person {
    /// POSTs GraphQL as this person; returns status and body.
    pub async fn post_graphql(&self, query: &str, variables: Value) -> (u16, Value) {
        let response = self
            .client
            .post(format!("{}/graphql", self.address))
            .json(&json!({ "query": query, "variables": variables }))
            .send()
            .await
            .expect("the server answers");
        let status = response.status().as_u16();
        (status, response.json().await.expect("a JSON body"))
    }

    /// A query or mutation that must succeed; returns `data`.
    pub async fn query(&self, query: &str, variables: Value) -> Value {
        let (status, body) = self.post_graphql(query, variables).await;
        assert_eq!(status, 200, "{body}");
        assert!(body.get("errors").is_none(), "unexpected errors: {body}");
        body["data"].clone()
    }

    /// A request that must fail with this code; returns the first error.
    pub async fn expect_error(&self, query: &str, variables: Value, code: &str) -> Value {
        let (_, body) = self.post_graphql(query, variables).await;
        let error = body["errors"][0].clone();
        assert_eq!(error["extensions"]["code"], code, "expected {code}: {body}");
        error
    }
}

impl TestApp {
    /// A client with no cookies yet.
    pub fn anonymous(&self) -> Person {
        Person {
            client: reqwest::Client::builder()
                .cookie_store(true)
                .build()
                .unwrap(),
            address: self.address.clone(),
            user_id: None,
            email: String::new(),
        }
    }

    /// Creates a user with this role (through the service layer, as the CLI does).
    pub async fn create_user(&self, email: &str, role: qanda::domain::Role) -> String {
        let user = qanda::service::users::create(
            &self.db,
            &Viewer::System,
            qanda::service::users::NewUser {
                email,
                display_name: &format!("{role:?} person"),
                role,
                password: PASSWORD,
            },
        )
        .await
        .expect("test user is created");
        user.id.to_string()
    }

    /// A new user with this role, signed in over HTTP in a browser of their own.
    pub async fn signed_in(&self, role: qanda::domain::Role) -> Person {
        let email = format!(
            "{}-{}@example.org",
            format!("{role:?}").to_lowercase(),
            uuid::Uuid::new_v4().simple()
        );
        let id = self.create_user(&email, role).await;
        let mut person = self.anonymous();
        person
            .query(
                "mutation($e: String!, $p: String!) { signIn(email: $e, password: $p) { id } }",
                json!({ "e": email, "p": PASSWORD }),
            )
            .await;
        person.user_id = Some(id);
        person.email = email;
        person
    }
}

/// Runs the real `qanda` binary with `input` on its standard input.
pub fn run_cli_with_input(
    database: &TestDatabase,
    args: &[&str],
    input: &str,
) -> std::process::Output {
    use std::io::Write;
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_qanda"))
        .args(args)
        .envs(database.env())
        .env("QANDA_LOG", "warn")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("the qanda binary runs");
    child
        .stdin
        .take()
        .expect("stdin is piped")
        .write_all(input.as_bytes())
        .expect("write to qanda's stdin");
    child.wait_with_output().expect("qanda finishes")
}
