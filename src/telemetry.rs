//! Structured logs with `tracing`. Logs go to standard error so that
//! `qanda export` and `qanda schema` can write clean output to standard output.

use tracing_subscriber::EnvFilter;

use crate::cli::{LogArgs, LogFormat};

pub fn init(args: &LogArgs) {
    let filter = EnvFilter::try_new(format!("{},sqlx=warn,sea_orm=warn", args.log))
        .unwrap_or_else(|_| EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    let result = match args.log_format {
        LogFormat::Text => builder.try_init(),
        LogFormat::Json => builder.json().flatten_event(true).try_init(),
    };
    // A second init (tests building several apps) is harmless.
    let _ = result;
}
