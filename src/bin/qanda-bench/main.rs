//! qanda-bench: how close the real `qanda serve` comes to a server that only
//! sends fixed bytes, under the same keep-alive HTTP/1.1 load.
//!
//! One run: builds datasets (the bundled sample page, and a large generated
//! page imported with `qanda import`), starts `qanda serve` as a child
//! process on each (timing start to ready on the existing database), and for
//! each workload alternates runs against two fixed-bytes baselines sending
//! qanda's own answer (this binary in its hidden `baseline` mode, a hyper
//! server; and nginx serving the answer from a file) and qanda. Prints
//! medians, server memory, and PASS/FAIL against the targets (judged
//! against nginx). Also counts how many times the cached page is built
//! after a publish while readers keep asking for it.
//!
//! ```sh
//! cargo build --release --features bench --bin qanda --bin qanda-bench
//! cargo run --release --features bench --bin qanda-bench -- --quick   # smoke test
//! cargo run --release --features bench --bin qanda-bench              # 3 runs of 10 s each
//! cargo run --release --features bench --bin qanda-bench -- --postgres postgres://postgres@127.0.0.1/test --markdown
//! ```

mod baseline;
mod dataset;
mod load;
mod procs;
mod report;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicI64;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{bail, Context};
use clap::{Args, Parser, Subcommand};
use hyper::header::{CONTENT_TYPE, SET_COOKIE};
use hyper::StatusCode;
use serde_json::{json, Value};

use load::{Driver, DriverFactory, Editor, Fixed, LoadSpec, Side};
use procs::{Baseline, Database, Nginx, PgSchema, Qanda, Serve, Server, Workspace};
use report::{ReadyTime, Report, Row, Sample, Workload};

#[derive(Debug, Parser)]
#[command(
    name = "qanda-bench",
    args_conflicts_with_subcommands = true,
    about = "Benchmark qanda serve against a fixed-bytes HTTP server under the same load"
)]
struct Cli {
    #[command(subcommand)]
    mode: Option<Mode>,
    #[command(flatten)]
    options: Options,
}

#[derive(Debug, Subcommand)]
enum Mode {
    /// Serve one file's bytes to every request (started by the bench itself).
    #[command(hide = true)]
    Baseline {
        #[arg(long)]
        port: u16,
        #[arg(long)]
        body_file: PathBuf,
        #[arg(long)]
        content_type: String,
    },
}

#[derive(Debug, Clone, Args)]
struct Options {
    /// Seconds measured in each run.
    #[arg(long, default_value_t = 10.0)]
    duration: f64,
    /// Seconds of load before each run's measurement starts.
    #[arg(long, default_value_t = 1.0)]
    warmup: f64,
    /// Keep-alive connections, one client task each (updateQuestion uses one per editor).
    #[arg(long, default_value_t = 32)]
    connections: usize,
    /// Runs per server and workload, alternating baseline and qanda; the table shows medians.
    #[arg(long, default_value_t = 3)]
    runs: usize,
    /// Signed-in editors updating their own question at once.
    #[arg(long, default_value_t = 8)]
    editors: usize,
    /// Smoke test: one run of 2 s per server and workload.
    #[arg(long)]
    quick: bool,
    /// Print the results as Markdown tables too.
    #[arg(long)]
    markdown: bool,
    /// Also measure updateQuestion on PostgreSQL (a schema of the bench's own,
    /// created and dropped with psql), e.g. postgres://postgres@127.0.0.1/test.
    #[arg(long, env = "QANDA_BENCH_POSTGRES_URL")]
    postgres: Option<String>,
    /// The qanda binary; by default the one next to this executable.
    #[arg(long)]
    qanda: Option<PathBuf>,
    /// The nginx binary for the second baseline; by default `nginx` on the
    /// PATH or /usr/sbin/nginx (Debian/Ubuntu: `apt-get install nginx`).
    #[arg(long)]
    nginx: Option<PathBuf>,
    /// Compare with the built-in hyper server only (targets are then judged
    /// against it, which is slower than nginx here).
    #[arg(long, conflicts_with = "nginx")]
    no_nginx: bool,
    /// Datasets to run: seed, large (PostgreSQL follows --postgres).
    #[arg(long, value_delimiter = ',', default_values_t = ["seed".to_string(), "large".to_string()])]
    datasets: Vec<String>,
    /// Workloads to run (all by default): page, question, search,
    /// page-nocache, question-nocache, search-nocache, update, publish.
    #[arg(long, value_delimiter = ',')]
    workloads: Vec<String>,
    /// Categories on the large page.
    #[arg(long, default_value_t = 50)]
    categories: usize,
    /// Published questions in each category of the large page.
    #[arg(long, default_value_t = 40)]
    questions: usize,
    /// Characters in each answer of the large page (about).
    #[arg(long, default_value_t = 600)]
    answer_chars: usize,
}

fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    if let Some(Mode::Baseline {
        port,
        body_file,
        content_type,
    }) = cli.mode
    {
        return baseline::run(port, &body_file, &content_type);
    }
    let mut options = cli.options;
    if options.quick {
        options.duration = 2.0;
        options.runs = 1;
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async {
        let mut terminate =
            tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())?;
        // Dropping the bench on a signal drops its guards: the servers are
        // killed, the temporary files and schema removed.
        tokio::select! {
            result = run(options) => result,
            _ = tokio::signal::ctrl_c() => bail!("interrupted; servers stopped and files removed"),
            _ = terminate.recv() => bail!("terminated; servers stopped and files removed"),
        }
    })
}

async fn run(options: Options) -> anyhow::Result<()> {
    let work = Workspace::new()?;
    // Run copies: a rebuild in the working tree during the run (cargo
    // replaces target/PROFILE/*) must not swap or remove the binaries.
    let qanda_source = qanda_binary(&options)?;
    let qanda = Qanda {
        path: work.copy_executable(&qanda_source, "qanda")?,
    };
    let nginx = if options.no_nginx {
        None
    } else {
        Some(procs::find_nginx(options.nginx.as_deref())?)
    };
    let own = std::env::current_exe().context("finding the bench's own executable")?;
    let bench_copy = work.copy_executable(&own, "qanda-bench")?;
    let spec = LoadSpec {
        connections: options.connections,
        warmup: Duration::from_secs_f64(options.warmup),
        duration: Duration::from_secs_f64(options.duration),
    };
    let mut bench = Bench {
        work,
        bench: bench_copy,
        nginx,
        qanda,
        spec,
        options: options.clone(),
        report: Report::default(),
        files: 0,
    };
    eprintln!(
        "qanda-bench: {} connections, {} s warm-up + {} s per run, {} run(s) per server; qanda at {}",
        spec.connections,
        options.warmup,
        options.duration,
        options.runs,
        qanda_source.display()
    );
    let load_before = load_average();
    let outcome = bench.all().await;
    // Other work on the machine shares the cores with both servers.
    bench.report.notes.push(format!(
        "load average (1 min) at start {load_before}, at end {}",
        load_average()
    ));
    println!();
    println!("{}", bench.report.plain());
    println!("start to ready (spawn until GET /readyz answers 200):");
    print!("{}", bench.report.ready_plain());
    println!();
    if !bench.report.builds.is_empty() {
        println!("builds of the cached whole page after one publish under load:");
        print!("{}", bench.report.builds_plain());
        println!();
    }
    println!("targets:");
    print!("{}", bench.report.targets_plain());
    let errors = bench.report.errors_plain();
    if !errors.is_empty() {
        println!();
        println!("errors:");
        print!("{errors}");
    }
    for note in &bench.report.notes {
        println!("note: {note}");
    }
    if options.markdown {
        println!();
        println!("{}", bench.report.markdown());
    }
    outcome
}

/// The `qanda` next to this executable (both are in target/PROFILE/).
/// `cargo run --bin qanda-bench` builds only the bench, so a `qanda` older
/// than the bench is probably out of date: say so.
fn qanda_binary(options: &Options) -> anyhow::Result<PathBuf> {
    if let Some(path) = &options.qanda {
        return Ok(path.clone());
    }
    let exe = std::env::current_exe().context("finding the bench's own executable")?;
    let path = exe.with_file_name("qanda");
    let modified = |p: &Path| std::fs::metadata(p).and_then(|m| m.modified()).ok();
    match (modified(&path), modified(&exe)) {
        (None, _) => bail!(
            "{} does not exist: build it with `cargo build --release --bin qanda --bin qanda-bench` \
             (or pass --qanda PATH)",
            path.display()
        ),
        (Some(qanda), Some(bench)) if qanda < bench => eprintln!(
            "warning: {} is older than the bench and may be out of date; \
             `cargo build --release --bin qanda --bin qanda-bench` builds both",
            path.display()
        ),
        _ => {}
    }
    Ok(path)
}

fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|l| l.split_whitespace().next().map(str::to_owned))
        .unwrap_or_else(|| "?".into())
}

/// What one dataset runs.
struct Plan {
    label: String,
    db: Database,
    page_slug: String,
    no_sample: bool,
    reads: bool,
    editors: Vec<(String, String)>,
}

struct Bench {
    work: Workspace,
    /// This binary, for the hyper baseline server.
    bench: PathBuf,
    /// nginx, for the other baseline (none with --no-nginx).
    nginx: Option<PathBuf>,
    qanda: Qanda,
    spec: LoadSpec,
    options: Options,
    report: Report,
    files: usize,
}

const PASSWORD: &str = "bench password, not secret";

const SEED_PAGE: &str = "local-digital-qa";

fn whole_page_query(slug: &str) -> String {
    format!(
        "{{ page(slug: \"{slug}\") {{ id slug title categories {{ id slug title \
         questions {{ id slug question answer answerHtml }} }} }} }}"
    )
}

fn question_query(id: &str) -> String {
    format!("{{ question(id: \"{id}\") {{ id slug question answer answerHtml }} }}")
}

fn search_query(word: &str) -> String {
    format!(
        "{{ search(query: \"{word}\") {{ edges {{ node {{ snippet question {{ slug }} }} }} }} }}"
    )
}

fn graphql_get(query: &str) -> String {
    let encoded: String = url::form_urlencoded::byte_serialize(query.as_bytes()).collect();
    format!("/graphql?query={encoded}")
}

impl Bench {
    async fn all(&mut self) -> anyhow::Result<()> {
        let datasets = self.options.datasets.clone();
        let wanted = |name: &str| datasets.iter().any(|d| d == name);
        if wanted("seed") {
            let plan = Plan {
                label: "seed".into(),
                db: self.sqlite("seed"),
                page_slug: SEED_PAGE.into(),
                no_sample: false,
                reads: true,
                editors: Vec::new(),
            };
            // `qanda serve` loads the bundled sample page on its first start.
            self.dataset(plan).await?;
        }
        if wanted("large") {
            let db = self.sqlite("large");
            self.large_dataset("large", db, true).await?;
        }
        if let Some(url) = self.options.postgres.clone() {
            let schema = match PgSchema::create(&url) {
                Ok(schema) => schema,
                Err(error) => {
                    let note = format!("PostgreSQL skipped: {error:#}");
                    eprintln!("{note}");
                    self.report.notes.push(note);
                    return Ok(());
                }
            };
            let db = Database {
                url: url.clone(),
                schema: Some(schema.name.clone()),
            };
            self.large_dataset("large (PostgreSQL)", db, false).await?;
            drop(schema);
        }
        Ok(())
    }

    fn wants(&self, workload: Workload) -> bool {
        let names = &self.options.workloads;
        names.is_empty() || names.iter().any(|n| n == workload.name())
    }

    fn sqlite(&self, name: &str) -> Database {
        Database {
            url: format!(
                "sqlite://{}",
                self.work.path(&format!("{name}.db")).display()
            ),
            schema: None,
        }
    }

    /// Writes the large page as an export file, imports it with the real
    /// binary and adds the editors; returns their emails and passwords.
    /// Runs the large page on `db` (reads measured only when `reads`).
    async fn large_dataset(
        &mut self,
        label: &str,
        db: Database,
        reads: bool,
    ) -> anyhow::Result<()> {
        let editors = self.prepare_large(&db).await?;
        let plan = Plan {
            label: label.into(),
            db,
            page_slug: dataset::LARGE_PAGE.into(),
            no_sample: true,
            reads,
            editors,
        };
        self.dataset(plan).await
    }

    async fn prepare_large(&mut self, db: &Database) -> anyhow::Result<Vec<(String, String)>> {
        let file = self.work.path("large.json");
        if !file.exists() {
            let doc = dataset::large(
                self.options.categories,
                self.options.questions,
                self.options.answer_chars,
            );
            std::fs::write(&file, serde_json::to_vec(&doc)?)?;
        }
        let size = std::fs::metadata(&file)?.len();
        eprintln!(
            "importing the large page ({} × {} questions, {:.1} MB of JSON)…",
            self.options.categories,
            self.options.questions,
            size as f64 / 1e6
        );
        let started = std::time::Instant::now();
        let said = self.qanda.import(db, &file).await?;
        eprintln!("  {said} ({:.1} s)", started.elapsed().as_secs_f64());
        let mut editors = Vec::new();
        for i in 0..self.options.editors {
            let email = format!("editor{i}@bench.example");
            self.qanda.add_user(db, &email, "EDITOR", PASSWORD).await?;
            editors.push((email, PASSWORD.to_owned()));
        }
        Ok(editors)
    }

    async fn start(&mut self, plan: &Plan, no_response_cache: bool) -> anyhow::Result<Server> {
        let settings = Serve {
            no_sample: plan.no_sample,
            no_response_cache,
            metrics_token: None,
        };
        self.start_with(plan, settings).await
    }

    async fn start_with(&mut self, plan: &Plan, settings: Serve) -> anyhow::Result<Server> {
        self.files += 1;
        let log = self.work.path(&format!("serve-{}.log", self.files));
        self.qanda.serve(&plan.db, settings, &log).await
    }

    async fn dataset(&mut self, plan: Plan) -> anyhow::Result<()> {
        eprintln!("== {} ==", plan.label);
        let first = self.start(&plan, false).await?;
        let first_ready = first.ready;
        first.stop().await?;
        let mut server = self.start(&plan, false).await?;
        self.report.ready.push(ReadyTime {
            dataset: plan.label.clone(),
            first: first_ready,
            second: server.ready,
            later: Vec::new(),
        });
        let ready = self.report.ready.len() - 1;
        eprintln!(
            "  start to ready: first {:.0} ms, second {:.0} ms",
            first_ready.as_secs_f64() * 1000.0,
            server.ready.as_secs_f64() * 1000.0
        );
        let outcome = self.cache_on(&plan, &mut server).await;
        server.stop().await?;
        outcome?;
        if plan.reads {
            let mut server = self.start(&plan, true).await?;
            self.report.ready[ready].later.push(server.ready);
            let outcome = self.cache_off(&plan, &mut server).await;
            server.stop().await?;
            outcome?;
        }
        if plan.reads && self.wants(Workload::Publish) {
            self.publish_under_load(&plan).await?;
        }
        Ok(())
    }

    async fn cache_on(&mut self, plan: &Plan, server: &mut Server) -> anyhow::Result<()> {
        let ids = self.page_question_ids(plan, server).await?;
        if plan.reads {
            let reads = [Workload::Page, Workload::Question, Workload::Search];
            self.compare_reads(plan, server, &ids, reads).await?;
        }
        if !plan.editors.is_empty() {
            self.updates(plan, server, &ids).await?;
        }
        Ok(())
    }

    async fn cache_off(&mut self, plan: &Plan, server: &mut Server) -> anyhow::Result<()> {
        let ids = self.page_question_ids(plan, server).await?;
        let reads = [
            Workload::PageNoCache,
            Workload::QuestionNoCache,
            Workload::SearchNoCache,
        ];
        self.compare_reads(plan, server, &ids, reads).await
    }

    /// The ids of the questions on the plan's page, which must answer.
    async fn page_question_ids(&self, plan: &Plan, server: &Server) -> anyhow::Result<Vec<String>> {
        let page = graphql_get(&whole_page_query(&plan.page_slug));
        let (_, _, body) = self.get_ok(server, &page).await?;
        question_ids(&body)
    }

    /// Compares the page, its middle question and a search, measured as
    /// the `[page, question, search]` workloads (with or without the cache).
    async fn compare_reads(
        &mut self,
        plan: &Plan,
        server: &mut Server,
        ids: &[String],
        [page_reads, question_reads, search_reads]: [Workload; 3],
    ) -> anyhow::Result<()> {
        let page = graphql_get(&whole_page_query(&plan.page_slug));
        self.compare_get(page_reads, plan, server, &page).await?;
        let question = graphql_get(&question_query(&ids[ids.len() / 2]));
        self.compare_get(question_reads, plan, server, &question)
            .await?;
        let search = graphql_get(&search_query(dataset::SEARCH_WORD));
        self.compare_get(search_reads, plan, server, &search).await
    }

    /// GETs a query once; it must answer 200 without GraphQL errors.
    async fn get_ok(
        &self,
        server: &Server,
        path: &str,
    ) -> anyhow::Result<(StatusCode, String, bytes::Bytes)> {
        let request = Fixed::get(server.addr, path)?.build();
        let (status, headers, body) = load::fetch(server.addr, request).await?;
        check_answer(status, &body).with_context(|| format!("GET {path}"))?;
        let content_type = headers
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("application/json")
            .to_owned();
        Ok((status, content_type, body))
    }

    async fn compare_get(
        &mut self,
        workload: Workload,
        plan: &Plan,
        server: &mut Server,
        path: &str,
    ) -> anyhow::Result<()> {
        if !self.wants(workload) {
            return Ok(());
        }
        let (_, content_type, body) = self.get_ok(server, path).await?;
        let path: Arc<str> = path.into();
        let factory: DriverFactory = Arc::new(move |addr: SocketAddr, _side, _i| {
            let fixed = Fixed::get(addr, &path).expect("the path parsed once already");
            Box::new(fixed) as Box<dyn Driver>
        });
        let spec = self.spec;
        self.compare(
            workload,
            &plan.label,
            server,
            &body,
            &content_type,
            spec,
            factory,
        )
        .await
    }

    /// Workload 5: each editor signs in and updates its own question, back
    /// to back, with the version the last save answered.
    async fn updates(
        &mut self,
        plan: &Plan,
        server: &mut Server,
        ids: &[String],
    ) -> anyhow::Result<()> {
        if !self.wants(Workload::Update) {
            return Ok(());
        }
        let n = plan.editors.len();
        let mut cookies = Vec::with_capacity(n);
        for (email, password) in &plan.editors {
            cookies.push(sign_in(server.addr, email, password).await?);
        }
        // Questions spread over the page, one each.
        let questions: Vec<String> = (0..n).map(|i| ids[i * ids.len() / n].clone()).collect();
        let mut versions = Vec::with_capacity(n);
        for (cookie, id) in cookies.iter().zip(&questions) {
            let query = json!({
                "query": "query($id: ID!) { question(id: $id, includeDrafts: true) { version } }",
                "variables": { "id": id },
            });
            let (_, body) = post(server.addr, &query, Some(cookie)).await?;
            let value: Value = serde_json::from_slice(&body)?;
            let version = value["data"]["question"]["version"]
                .as_i64()
                .with_context(|| format!("no version for question {id}: {value}"))?;
            versions.push(version);
        }
        let text: Arc<str> = dataset::edit_text(self.options.answer_chars, 7).into();
        // Each server has its own versions: the baseline answers with a
        // made-up one that qanda would refuse.
        let shared = || -> Vec<Arc<AtomicI64>> {
            versions
                .iter()
                .map(|v| Arc::new(AtomicI64::new(*v)))
                .collect()
        };
        let (on_qanda, on_baseline) = (shared(), shared());
        // One real update gives the body the baseline sends back.
        let first = Editor {
            addr: server.addr,
            cookie: cookies[0].clone(),
            question_id: questions[0].clone(),
            version: on_qanda[0].clone(),
            text: text.clone(),
            edits: 0,
        };
        let (status, body) = post(server.addr, &first.body(), Some(&cookies[0])).await?;
        if !first.absorb(status, &body) {
            bail!(
                "updateQuestion failed: {status} {}",
                String::from_utf8_lossy(&body)
            );
        }
        let editors: Vec<(String, String)> = cookies
            .iter()
            .cloned()
            .zip(questions.iter().cloned())
            .collect();
        let factory: DriverFactory = Arc::new(move |addr, side, i| {
            let version = match side {
                Side::Qanda => on_qanda[i].clone(),
                Side::Hyper | Side::Nginx => on_baseline[i].clone(),
            };
            Box::new(Editor {
                addr,
                cookie: editors[i].0.clone(),
                question_id: editors[i].1.clone(),
                version,
                text: text.clone(),
                edits: 0,
            }) as Box<dyn Driver>
        });
        let spec = LoadSpec {
            connections: n,
            ..self.spec
        };
        self.compare(
            Workload::Update,
            &plan.label,
            server,
            &body,
            "application/json; charset=utf-8",
            spec,
            factory,
        )
        .await
    }

    /// Alternates runs against the baseline (sending `body`) and qanda;
    /// adds both rows to the report.
    #[allow(clippy::too_many_arguments)]
    async fn compare(
        &mut self,
        workload: Workload,
        dataset: &str,
        server: &mut Server,
        body: &[u8],
        content_type: &str,
        spec: LoadSpec,
        factory: DriverFactory,
    ) -> anyhow::Result<()> {
        self.files += 1;
        let body_file = self.work.path(&format!("body-{}.bin", self.files));
        std::fs::write(&body_file, body)?;
        let baseline = Baseline::start(&self.bench, &body_file, content_type).await?;
        let nginx = match &self.nginx {
            Some(path) => {
                let dir = self.work.path(&format!("nginx-{}", self.files));
                Some(Nginx::start(path, &dir, &body_file, content_type).await?)
            }
            None => None,
        };
        let pid = server.pid().context("qanda's process id")?;
        let mut sides = vec![Side::Hyper];
        if nginx.is_some() {
            sides.push(Side::Nginx);
        }
        sides.push(Side::Qanda);
        let mut rows: Vec<Row> = sides
            .into_iter()
            .map(|side| Row {
                workload,
                dataset: dataset.to_owned(),
                side,
                connections: spec.connections,
                body_bytes: body.len(),
                samples: Vec::new(),
            })
            .collect();
        for run in 1..=self.options.runs {
            for row in rows.iter_mut() {
                let (addr, memory_of) = match (row.side, &nginx) {
                    (Side::Hyper, _) => (baseline.addr, None),
                    (Side::Nginx, Some(nginx)) => (nginx.addr, None),
                    (Side::Nginx, None) => unreachable!("no nginx row without nginx"),
                    (Side::Qanda, _) => (server.addr, Some(pid)),
                };
                if let Some(pid) = memory_of {
                    if !procs::reset_peak(pid) && run == 1 {
                        self.report.notes.push(
                            "could not reset VmHWM (/proc/PID/clear_refs): peaks are since start"
                                .into(),
                        );
                    }
                }
                let result = load::drive(addr, row.side, spec, &factory).await?;
                let memory = memory_of.and_then(procs::memory);
                let sample = Sample::new(&result, memory);
                eprintln!(
                    "  {:<26} {:<18} {:<8} run {run}/{}: {:>8.0} req/s  p50 {:>7.2} ms  p99 {:>7.2} ms  errors {}{}",
                    workload.label(),
                    dataset,
                    row.side.name(),
                    self.options.runs,
                    sample.rps,
                    sample.p50_ms,
                    sample.p99_ms,
                    sample.errors,
                    memory.map_or(String::new(), |m| format!(
                        "  RSS {:.1} MB (peak {:.1})",
                        m.rss_kb as f64 / 1024.0,
                        m.peak_kb as f64 / 1024.0
                    )),
                );
                row.samples.push(sample);
            }
        }
        baseline.stop().await?;
        if let Some(nginx) = nginx {
            nginx.stop().await?;
        }
        if let Some(status) = server.exited()? {
            bail!(
                "qanda stopped ({status}) during the load:\n{}",
                server.log_tail()
            );
        }
        self.report.rows.extend(rows);
        Ok(())
    }
}

const METRICS_TOKEN: &str = "bench metrics token, not secret";
const PUBLISHER: &str = "publisher@bench.example";

impl Bench {
    /// Readers keep asking for the whole page (cached) while a publisher
    /// publishes a new answer on it: counts the builds of the page that
    /// follow, from the server's own /metrics. With concurrent misses
    /// sharing one build, that is 1.
    async fn publish_under_load(&mut self, plan: &Plan) -> anyhow::Result<()> {
        self.qanda
            .add_user(&plan.db, PUBLISHER, "PUBLISHER", PASSWORD)
            .await?;
        let settings = Serve {
            no_sample: plan.no_sample,
            no_response_cache: false,
            metrics_token: Some(METRICS_TOKEN),
        };
        let mut server = self.start_with(plan, settings).await?;
        let outcome = self.publish_run(plan, &server).await;
        if let Some(status) = server.exited()? {
            bail!(
                "qanda stopped ({status}) during the publish run:\n{}",
                server.log_tail()
            );
        }
        server.stop().await?;
        let builds = outcome?;
        eprintln!(
            "  builds after a publish, {} readers: {} ({} reads after it)",
            builds.readers, builds.builds, builds.reads_after
        );
        self.report.builds.push(builds);
        Ok(())
    }

    async fn publish_run(&self, plan: &Plan, server: &Server) -> anyhow::Result<report::Builds> {
        let cookie = sign_in(server.addr, PUBLISHER, PASSWORD).await?;
        // A draft edit first (before the readers start): the publish alone
        // then changes what readers see, in one write.
        let query = json!({
            "query": "query($s: String!) { page(slug: $s, includeDrafts: true) { \
                      categories { questions { id version } } } }",
            "variables": { "s": plan.page_slug },
        });
        let (_, body) = post(server.addr, &query, Some(&cookie)).await?;
        let value: Value = serde_json::from_slice(&body)?;
        let questions: Vec<&Value> = value["data"]["page"]["categories"]
            .as_array()
            .into_iter()
            .flatten()
            .flat_map(|c| c["questions"].as_array().into_iter().flatten())
            .collect();
        let question = questions
            .get(questions.len() / 2)
            .with_context(|| format!("no questions to publish: {value}"))?;
        let id = question["id"].as_str().context("a question id")?.to_owned();
        let marker = format!("Published under load {:016x}.", rand::random::<u64>());
        let edit = json!({
            "query": "mutation($id: ID!, $v: Int!, $a: String!) { \
                      updateQuestion(id: $id, version: $v, input: { answer: $a }) { version } }",
            "variables": { "id": id, "v": question["version"], "a": marker },
        });
        let (status, body) = post(server.addr, &edit, Some(&cookie)).await?;
        check_answer(status, &body).context("the draft edit before the publish")?;
        let value: Value = serde_json::from_slice(&body)?;
        let version = value["data"]["updateQuestion"]["version"].clone();

        let page = graphql_get(&whole_page_query(&plan.page_slug));
        self.get_ok(server, &page).await?;
        let path: Arc<str> = page.into();
        let factory: DriverFactory = Arc::new(move |addr: SocketAddr, _side, _i| {
            let fixed = Fixed::get(addr, &path).expect("the path parsed once already");
            Box::new(fixed) as Box<dyn Driver>
        });
        // Readers run from before the publish until well after it.
        let spec = LoadSpec {
            connections: self.spec.connections,
            warmup: Duration::from_secs(1),
            duration: Duration::from_secs(3),
        };
        let addr = server.addr;
        let ends = tokio::time::Instant::now() + spec.warmup + spec.duration;
        let readers =
            tokio::spawn(async move { load::drive(addr, Side::Qanda, spec, &factory).await });
        tokio::time::sleep(Duration::from_millis(1500)).await;
        let before = builds_so_far(addr).await?;
        let publish = json!({
            "query": "mutation($id: ID!, $v: Int!) { publishQuestion(id: $id, version: $v) { version } }",
            "variables": { "id": id, "v": version },
        });
        let (status, body) = post(addr, &publish, Some(&cookie)).await?;
        check_answer(status, &body).context("publishing under load")?;
        let published_at = tokio::time::Instant::now();
        let run = readers.await.context("the readers' task")??;
        let after = builds_so_far(addr).await?;
        let page = graphql_get(&whole_page_query(&plan.page_slug));
        let (_, _, answer) = self.get_ok(server, &page).await?;
        if memchr::memmem::find(&answer, marker.as_bytes()).is_none() {
            bail!("the page does not show the published answer after the publish");
        }
        // Reads after the publish: the run's rate times the time left.
        let left = ends.saturating_duration_since(published_at);
        Ok(report::Builds {
            dataset: plan.label.clone(),
            readers: spec.connections,
            builds: after.saturating_sub(before),
            reads_after: (run.rps() * left.as_secs_f64()) as u64,
        })
    }
}

/// The server's count of cached answers built (older servers counted every
/// miss, each of which built).
async fn builds_so_far(addr: SocketAddr) -> anyhow::Result<u64> {
    let mut fixed = Fixed::get(addr, "/metrics")?;
    fixed.headers.push((
        hyper::header::AUTHORIZATION,
        hyper::header::HeaderValue::from_str(&format!("Bearer {METRICS_TOKEN}"))?,
    ));
    let (status, _, body) = load::fetch(addr, fixed.build()).await?;
    if status != StatusCode::OK {
        bail!("GET /metrics answered {status}");
    }
    let text = String::from_utf8_lossy(&body);
    let counter = |name: &str| -> Option<u64> {
        text.lines()
            .find_map(|line| line.strip_prefix(name)?.strip_prefix(' '))
            .and_then(|v| v.trim().parse::<f64>().ok())
            .map(|v| v as u64)
    };
    counter("qanda_response_cache_builds_total")
        .or_else(|| counter("qanda_response_cache_misses_total"))
        .context("no response cache counter in /metrics")
}

/// A GraphQL answer that must be a success.
fn check_answer(status: StatusCode, body: &[u8]) -> anyhow::Result<()> {
    if status != StatusCode::OK || memchr::memmem::find(body, b"\"errors\"").is_some() {
        bail!(
            "answered {status}: {}",
            String::from_utf8_lossy(&body[..body.len().min(500)])
        );
    }
    Ok(())
}

/// Every question id on the page, in page order.
fn question_ids(page: &[u8]) -> anyhow::Result<Vec<String>> {
    let value: Value = serde_json::from_slice(page)?;
    let ids: Vec<String> = value["data"]["page"]["categories"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|c| c["questions"].as_array().cloned().unwrap_or_default())
        .filter_map(|q| q["id"].as_str().map(str::to_owned))
        .collect();
    if ids.is_empty() {
        bail!("the page has no questions");
    }
    Ok(ids)
}

async fn post(
    addr: SocketAddr,
    body: &Value,
    cookie: Option<&str>,
) -> anyhow::Result<(StatusCode, bytes::Bytes)> {
    let request = Fixed::post_json(addr, body, cookie)?.build();
    let (status, _, body) = load::fetch(addr, request).await?;
    Ok((status, body))
}

/// Signs in with the `signIn` mutation; returns the session cookie
/// (`name=value`) to send back.
async fn sign_in(addr: SocketAddr, email: &str, password: &str) -> anyhow::Result<String> {
    let body = json!({
        "query": "mutation($e: String!, $p: String!) { signIn(email: $e, password: $p) { id } }",
        "variables": { "e": email, "p": password },
    });
    let request = Fixed::post_json(addr, &body, None)?.build();
    let (status, headers, answer) = load::fetch(addr, request).await?;
    check_answer(status, &answer).with_context(|| format!("signing in as {email}"))?;
    headers
        .get_all(SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .filter_map(|v| v.split(';').next())
        .find(|pair| pair.starts_with("qanda_session="))
        .map(str::to_owned)
        .with_context(|| format!("signing in as {email} set no session cookie"))
}
