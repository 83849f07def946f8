//! The results table (plain and Markdown), start-to-ready times and the
//! targets the numbers are judged against.

use std::fmt::Write as _;
use std::time::Duration;

use crate::load::{RunResult, Side};
use crate::procs::Memory;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Workload {
    Page,
    PageNoCache,
    Question,
    QuestionNoCache,
    Search,
    SearchNoCache,
    Update,
    /// Not a table row: builds of the cached page after a publish under load.
    Publish,
}

impl Workload {
    pub fn label(self) -> &'static str {
        match self {
            Workload::Page => "whole page, cache on",
            Workload::PageNoCache => "whole page, cache off",
            Workload::Question => "question(id:), cache on",
            Workload::QuestionNoCache => "question(id:), cache off",
            Workload::Search => "search, cache on",
            Workload::SearchNoCache => "search, cache off",
            Workload::Update => "updateQuestion",
            Workload::Publish => "builds after a publish",
        }
    }

    /// The name `--workloads` takes.
    pub fn name(self) -> &'static str {
        match self {
            Workload::Page => "page",
            Workload::PageNoCache => "page-nocache",
            Workload::Question => "question",
            Workload::QuestionNoCache => "question-nocache",
            Workload::Search => "search",
            Workload::SearchNoCache => "search-nocache",
            Workload::Update => "update",
            Workload::Publish => "publish",
        }
    }

    /// Anonymous reads with the response cache on (the default).
    fn cached_read(self) -> bool {
        matches!(self, Workload::Page | Workload::Question | Workload::Search)
    }
}

/// One run, reduced to what the table shows.
#[derive(Debug, Clone)]
pub struct Sample {
    pub rps: f64,
    pub p50_ms: f64,
    pub p99_ms: f64,
    pub errors: u64,
    pub first_error: Option<String>,
    pub memory: Option<Memory>,
}

impl Sample {
    pub fn new(run: &RunResult, memory: Option<Memory>) -> Sample {
        Sample {
            rps: run.rps(),
            p50_ms: run.quantile_ms(0.50),
            p99_ms: run.quantile_ms(0.99),
            errors: run.errors,
            first_error: run.first_error.clone(),
            memory,
        }
    }
}

pub struct Row {
    pub workload: Workload,
    pub dataset: String,
    pub side: Side,
    pub connections: usize,
    pub body_bytes: usize,
    pub samples: Vec<Sample>,
}

fn median(mut values: Vec<f64>) -> f64 {
    values.retain(|v| !v.is_nan());
    if values.is_empty() {
        return f64::NAN;
    }
    values.sort_by(f64::total_cmp);
    let mid = values.len() / 2;
    if values.len() % 2 == 1 {
        values[mid]
    } else {
        (values[mid - 1] + values[mid]) / 2.0
    }
}

impl Row {
    pub fn rps(&self) -> f64 {
        median(self.samples.iter().map(|s| s.rps).collect())
    }
    pub fn p50(&self) -> f64 {
        median(self.samples.iter().map(|s| s.p50_ms).collect())
    }
    pub fn p99(&self) -> f64 {
        median(self.samples.iter().map(|s| s.p99_ms).collect())
    }
    pub fn errors(&self) -> u64 {
        self.samples.iter().map(|s| s.errors).sum()
    }
    /// VmRSS after each run's load, median.
    pub fn rss_mb(&self) -> Option<f64> {
        let values: Vec<f64> = self
            .samples
            .iter()
            .filter_map(|s| s.memory.map(|m| m.rss_kb as f64 / 1024.0))
            .collect();
        (!values.is_empty()).then(|| median(values))
    }
    /// VmHWM over the runs: the most the server was resident under this load.
    pub fn peak_mb(&self) -> Option<f64> {
        self.samples
            .iter()
            .filter_map(|s| s.memory.map(|m| m.peak_kb as f64 / 1024.0))
            .reduce(f64::max)
    }
}

/// How often the cached whole page was built after one publish, while
/// readers kept asking for it.
pub struct Builds {
    pub dataset: String,
    pub readers: usize,
    /// Builds counted by the server from just before the publish until the
    /// readers stopped.
    pub builds: u64,
    /// Reads answered after the publish (the readers' load).
    pub reads_after: u64,
}

pub struct ReadyTime {
    pub dataset: String,
    /// The first start on a new database (migrations, sample or import
    /// already done or not, as the dataset has it).
    pub first: Duration,
    /// The second start, on the existing database: the one judged.
    pub second: Duration,
    /// Later starts on the same database (e.g. the cache-off restart).
    pub later: Vec<Duration>,
}

#[derive(Default)]
pub struct Report {
    pub rows: Vec<Row>,
    pub ready: Vec<ReadyTime>,
    pub builds: Vec<Builds>,
    pub notes: Vec<String>,
}

fn ms(d: Duration) -> String {
    format!("{:.0} ms", d.as_secs_f64() * 1000.0)
}

fn size(bytes: usize) -> String {
    if bytes >= 1024 * 1024 {
        format!("{:.2} MB", bytes as f64 / (1024.0 * 1024.0))
    } else if bytes >= 1024 {
        format!("{:.1} kB", bytes as f64 / 1024.0)
    } else {
        format!("{bytes} B")
    }
}

fn num(value: f64, decimals: usize) -> String {
    if value.is_nan() {
        "-".into()
    } else {
        format!("{value:.decimals$}")
    }
}

impl Report {
    fn find(&self, workload: Workload, dataset: &str, side: Side) -> Option<&Row> {
        self.rows
            .iter()
            .find(|r| r.workload == workload && r.dataset == dataset && r.side == side)
    }

    /// qanda's requests/s as a share of a baseline's, on the same load.
    fn ratio(&self, row: &Row, against: Side) -> Option<f64> {
        if row.side != Side::Qanda {
            return None;
        }
        let baseline = self.find(row.workload, &row.dataset, against)?;
        Some(row.rps() / baseline.rps())
    }

    /// The share the targets judge: of nginx, or of hyper when nginx was
    /// not run.
    fn judged_ratio(&self, row: &Row) -> Option<f64> {
        self.ratio(row, Side::Nginx)
            .or_else(|| self.ratio(row, Side::Hyper))
    }

    /// What the targets' ratios are of.
    fn judged_against(&self) -> &'static str {
        if self.rows.iter().any(|r| r.side == Side::Nginx) {
            "nginx"
        } else {
            "hyper (no nginx)"
        }
    }

    fn table(&self) -> (Vec<&'static str>, Vec<Vec<String>>) {
        let header = vec![
            "workload",
            "dataset",
            "server",
            "conns",
            "body",
            "req/s",
            "p50 ms",
            "p99 ms",
            "errors",
            "RSS MB",
            "peak MB",
            "qanda/hyper",
            "qanda/nginx",
        ];
        let rows = self
            .rows
            .iter()
            .map(|row| {
                vec![
                    row.workload.label().to_owned(),
                    row.dataset.clone(),
                    row.side.name().to_owned(),
                    row.connections.to_string(),
                    size(row.body_bytes),
                    num(row.rps(), 0),
                    num(row.p50(), 2),
                    num(row.p99(), 2),
                    row.errors().to_string(),
                    row.rss_mb().map_or("-".into(), |v| num(v, 1)),
                    row.peak_mb().map_or("-".into(), |v| num(v, 1)),
                    self.ratio(row, Side::Hyper)
                        .map_or(String::new(), |r| format!("{:.0}%", r * 100.0)),
                    self.ratio(row, Side::Nginx)
                        .map_or(String::new(), |r| format!("{:.0}%", r * 100.0)),
                ]
            })
            .collect();
        (header, rows)
    }

    pub fn plain(&self) -> String {
        let (header, rows) = self.table();
        let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
        for row in &rows {
            for (w, cell) in widths.iter_mut().zip(row) {
                *w = (*w).max(cell.chars().count());
            }
        }
        let line = |cells: Vec<String>| -> String {
            let padded: Vec<String> = cells
                .iter()
                .zip(&widths)
                .enumerate()
                .map(|(i, (cell, w))| {
                    let pad = w - cell.chars().count();
                    if i < 3 {
                        format!("{cell}{}", " ".repeat(pad))
                    } else {
                        format!("{}{cell}", " ".repeat(pad))
                    }
                })
                .collect();
            padded.join("  ").trim_end().to_owned()
        };
        let mut out = String::new();
        let _ = writeln!(
            out,
            "{}",
            line(header.iter().map(|h| h.to_string()).collect())
        );
        let _ = writeln!(
            out,
            "{}",
            widths
                .iter()
                .map(|w| "-".repeat(*w))
                .collect::<Vec<_>>()
                .join("  ")
        );
        for row in rows {
            let _ = writeln!(out, "{}", line(row));
        }
        out
    }

    pub fn markdown(&self) -> String {
        let (header, rows) = self.table();
        let mut out = String::new();
        let _ = writeln!(out, "| {} |", header.join(" | "));
        let aligns: Vec<&str> = (0..header.len())
            .map(|i| if i < 3 { "---" } else { "--:" })
            .collect();
        let _ = writeln!(out, "| {} |", aligns.join(" | "));
        for row in rows {
            let _ = writeln!(out, "| {} |", row.join(" | "));
        }
        let _ = writeln!(out);
        let _ = writeln!(
            out,
            "| dataset | first start | second start (judged) | later starts |"
        );
        let _ = writeln!(out, "| --- | --: | --: | --- |");
        for r in &self.ready {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} |",
                r.dataset,
                ms(r.first),
                ms(r.second),
                r.later
                    .iter()
                    .map(|d| ms(*d))
                    .collect::<Vec<_>>()
                    .join(", ")
            );
        }
        if !self.builds.is_empty() {
            let _ = writeln!(out);
            let _ = writeln!(
                out,
                "| builds of the cached page after one publish | readers | builds | reads after the publish |"
            );
            let _ = writeln!(out, "| --- | --: | --: | --: |");
            for b in &self.builds {
                let _ = writeln!(
                    out,
                    "| {} | {} | {} | {} |",
                    b.dataset, b.readers, b.builds, b.reads_after
                );
            }
        }
        let _ = writeln!(out);
        let _ = writeln!(out, "| target | measured | result |");
        let _ = writeln!(out, "| --- | --- | --- |");
        for t in self.targets() {
            let _ = writeln!(out, "| {} | {} | {} |", t.what, t.measured, t.verdict());
        }
        out
    }

    pub fn ready_plain(&self) -> String {
        let mut out = String::new();
        for r in &self.ready {
            let later = if r.later.is_empty() {
                String::new()
            } else {
                format!(
                    "; later starts {}",
                    r.later
                        .iter()
                        .map(|d| ms(*d))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            };
            let _ = writeln!(
                out,
                "  {:<20} first start {:>7}   second start {:>7}{later}",
                r.dataset,
                ms(r.first),
                ms(r.second)
            );
        }
        out
    }

    pub fn builds_plain(&self) -> String {
        let mut out = String::new();
        for b in &self.builds {
            let _ = writeln!(
                out,
                "  {:<20} {} readers: {} build(s) after the publish, {} reads answered after it",
                b.dataset, b.readers, b.builds, b.reads_after
            );
        }
        out
    }

    pub fn targets_plain(&self) -> String {
        let mut out = String::new();
        for t in self.targets() {
            let _ = writeln!(out, "  {:<5} {}: {}", t.verdict(), t.what, t.measured);
        }
        out
    }

    pub fn errors_plain(&self) -> String {
        let mut out = String::new();
        for row in &self.rows {
            if let Some(first) = row.samples.iter().find_map(|s| s.first_error.as_ref()) {
                let _ = writeln!(
                    out,
                    "  {} / {} / {}: {} error(s), first: {}",
                    row.workload.label(),
                    row.dataset,
                    row.side.name(),
                    row.errors(),
                    first
                );
            }
        }
        out
    }

    pub fn targets(&self) -> Vec<Target> {
        let mut targets = Vec::new();
        let of = self.judged_against();
        for dataset in ["seed", "large"] {
            let qanda = self.find(Workload::Page, dataset, Side::Qanda);
            targets.push(Target::judge(
                format!("whole page, cache on, {dataset}: ≥ 50% of {of} req/s"),
                qanda.and_then(|row| self.judged_ratio(row)),
                |r| format!("{:.0}%", r * 100.0),
                |r| r >= 0.5,
            ));
            targets.push(Target::judge(
                format!("whole page, cache on, {dataset}: p99 < 5 ms"),
                qanda.map(|row| row.p99()),
                |v| format!("{v:.2} ms"),
                |v| v < 5.0,
            ));
        }
        for dataset in ["seed", "large"] {
            targets.push(Target::judge(
                format!("whole page, cache off, {dataset}: ≥ 10% of {of} req/s"),
                self.find(Workload::PageNoCache, dataset, Side::Qanda)
                    .and_then(|row| self.judged_ratio(row)),
                |r| format!("{:.0}%", r * 100.0),
                |r| r >= 0.1,
            ));
        }
        targets.push(Target::judge(
            "RSS, large, whole page with the cache off (peak VmHWM): < 100 MiB".into(),
            self.find(Workload::PageNoCache, "large", Side::Qanda)
                .and_then(|row| row.peak_mb()),
            |v| format!("{v:.1} MiB"),
            |v| v < 100.0,
        ));
        for b in &self.builds {
            targets.push(Target::judge(
                format!(
                    "builds of the cached page after a publish, {}, {} readers: 1",
                    b.dataset, b.readers
                ),
                Some(b.builds as f64),
                |v| format!("{v:.0}"),
                |v| v == 1.0,
            ));
        }
        // "Under load": the highest VmHWM of the anonymous read runs with
        // the response cache on (the default). Cache-off reads and
        // updateQuestion (whose sign-ins hash passwords in 19 MiB) are in
        // the table.
        let peak = self
            .rows
            .iter()
            .filter(|r| r.dataset == "large" && r.side == Side::Qanda && r.workload.cached_read())
            .filter_map(|r| r.peak_mb())
            .reduce(f64::max);
        targets.push(Target::judge(
            "RSS under load, large, cached reads (peak VmHWM): < 60 MB".into(),
            peak,
            |v| format!("{v:.1} MB"),
            |v| v < 60.0,
        ));
        for r in &self.ready {
            targets.push(Target::judge(
                format!("start to ready, existing database, {}: < 300 ms", r.dataset),
                Some(r.second.as_secs_f64() * 1000.0),
                |v| format!("{v:.0} ms"),
                |v| v < 300.0,
            ));
        }
        for dataset in self
            .rows
            .iter()
            .filter(|r| r.workload == Workload::Update && r.side == Side::Qanda)
            .map(|r| r.dataset.clone())
        {
            let engine = if dataset.contains("PostgreSQL") {
                ""
            } else {
                " (SQLite)"
            };
            let row = self.find(Workload::Update, &dataset, Side::Qanda);
            targets.push(Target::judge(
                format!("updateQuestion, {dataset}{engine}: p99 < 25 ms"),
                row.map(|r| r.p99()),
                |v| format!("{v:.2} ms"),
                |v| v < 25.0,
            ));
        }
        targets
    }
}

pub struct Target {
    pub what: String,
    pub measured: String,
    /// None: not measured, or no target.
    pub pass: Option<bool>,
}

impl Target {
    fn judge(
        what: String,
        value: Option<f64>,
        show: impl Fn(f64) -> String,
        ok: impl Fn(f64) -> bool,
    ) -> Target {
        match value.filter(|v| !v.is_nan()) {
            Some(v) => Target {
                what,
                measured: show(v),
                pass: Some(ok(v)),
            },
            None => Target {
                what,
                measured: "not measured".into(),
                pass: None,
            },
        }
    }

    pub fn verdict(&self) -> &'static str {
        match self.pass {
            Some(true) => "PASS",
            Some(false) => "FAIL",
            None => "-",
        }
    }
}
