//! Structured logs with `tracing`. Logs go to standard error so that
//! `qanda export` and `qanda schema` can write clean output to standard output.
//!
//! A request formats its line and hands it to a logging thread, which does
//! the writing: a write to standard error (a terminal, a pipe, a journal)
//! is a system call that may block, and it no longer happens on the request
//! path. Nothing is dropped: when the thread falls behind by a whole buffer
//! of lines, requests wait for it rather than lose a line (an error's above
//! all).

use tracing_appender::non_blocking::{NonBlockingBuilder, WorkerGuard};
use tracing_subscriber::EnvFilter;

use crate::cli::{LogArgs, LogFormat};

/// Keeps the logging thread running; dropping it writes out every line
/// still queued. Hold it for the life of the process.
#[must_use = "logs stop being written when the guard is dropped"]
pub struct LogGuard(#[allow(dead_code)] Option<WorkerGuard>);

pub fn init(args: &LogArgs) -> LogGuard {
    let filter = EnvFilter::try_new(format!("{},sqlx=warn,sea_orm=warn", args.log))
        .unwrap_or_else(|_| EnvFilter::new("info"));
    let (writer, guard) = NonBlockingBuilder::default()
        .lossy(false)
        .thread_name("qanda-log")
        .finish(std::io::stderr());
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(writer);
    let result = match args.log_format {
        LogFormat::Text => builder.try_init(),
        LogFormat::Json => builder.json().flatten_event(true).try_init(),
    };
    // A second init (tests building several apps) is harmless, and keeps
    // the first's writer.
    LogGuard(result.is_ok().then_some(guard))
}
