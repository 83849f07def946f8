//! The command line. Every flag can also be set by an environment variable;
//! the doc comments below are what `--help` prints.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::domain::TwoFactorRequirement;

#[derive(Debug, Parser)]
#[command(
    name = "qanda",
    version,
    about = "A GraphQL content API with an admin editor for Q&A (FAQ) pages",
    long_about = "A GraphQL content API with an admin editor for Q&A (FAQ) pages.\n\n\
                  With no configuration, `qanda serve` creates ./qanda.db (SQLite), \
                  loads the Local Digital Q&A sample page and listens on 127.0.0.1:8080."
)]
pub struct Cli {
    #[command(flatten)]
    pub log: LogArgs,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the HTTP server (GraphQL API at /graphql). Applies migrations first.
    Serve(Box<ServeArgs>),
    /// Apply any pending database migrations, then exit. Safe to run again.
    Migrate(DbArgs),
    /// Import a plain-text Q&A page or a JSON file written by `qanda export`.
    Import(ImportArgs),
    /// Write every page, with drafts and archived entries, as JSON.
    Export(ExportArgs),
    /// Print the GraphQL schema (SDL).
    Schema,
    /// Manage staff accounts. Passwords are read from a prompt, or from
    /// standard input when it is not a terminal; never from the command line.
    User(UserArgs),
}

#[derive(Debug, Clone, Args)]
pub struct UserArgs {
    #[command(flatten)]
    pub db: DbArgs,
    #[command(subcommand)]
    pub command: UserCommand,
}

#[derive(Debug, Clone, Subcommand)]
pub enum UserCommand {
    /// Add a user; asks for their password.
    Add {
        /// Their email address, used to sign in.
        #[arg(long)]
        email: String,
        /// The name shown to other staff.
        #[arg(long)]
        name: String,
        /// EDITOR, PUBLISHER or ADMIN.
        #[arg(long, default_value = "EDITOR")]
        role: String,
    },
    /// List every user.
    List,
    /// Stop a user signing in; their sessions end at once.
    Disable { email: String },
    /// Let a disabled user sign in again.
    Enable { email: String },
    /// Change a user's role (EDITOR, PUBLISHER or ADMIN).
    SetRole { email: String, role: String },
    /// Set a new password for a user; asks for it.
    ResetPassword { email: String },
    /// Remove a user's second factor and recovery codes, and end their
    /// sessions: for an admin locked out without their authenticator app.
    #[command(name = "reset-2fa")]
    Reset2fa { email: String },
}

#[derive(Debug, Clone, Args)]
pub struct DbArgs {
    /// Database URL: sqlite://PATH for SQLite (created if missing) or
    /// postgres://USER:PASS@HOST/DB for PostgreSQL.
    #[arg(long, env = "DATABASE_URL", default_value = "sqlite://qanda.db")]
    pub database_url: String,
    /// PostgreSQL schema to keep qanda's tables in, instead of `public`.
    #[arg(long, env = "QANDA_DATABASE_SCHEMA")]
    pub database_schema: Option<String>,
    /// Most database connections to hold open at once.
    #[arg(long, env = "QANDA_DATABASE_MAX_CONNECTIONS", default_value_t = 16)]
    pub database_max_connections: u32,
}

#[derive(Debug, Clone, Args)]
pub struct ServeArgs {
    #[command(flatten)]
    pub db: DbArgs,
    /// Address and port to listen on.
    #[arg(long, env = "QANDA_BIND", default_value = "127.0.0.1:8080")]
    pub bind: SocketAddr,
    /// The public URL of this server (used for links and, from HTTPS, secure cookies).
    /// Defaults to http://BIND.
    #[arg(long, env = "QANDA_BASE_URL")]
    pub base_url: Option<url::Url>,
    /// Do not load the Local Digital Q&A sample page into an empty database.
    #[arg(long, env = "QANDA_NO_SAMPLE")]
    pub no_sample: bool,
    /// Turn off the GraphiQL explorer served to browsers at GET /graphql.
    #[arg(long, env = "QANDA_NO_GRAPHIQL")]
    pub no_graphiql: bool,
    /// Turn off the in-process cache of anonymous published reads. Every
    /// read then goes to the database (ETags and 304s still work).
    #[arg(long, env = "QANDA_NO_RESPONSE_CACHE")]
    pub no_response_cache: bool,
    /// `max-age` in seconds that anonymous published reads may be kept by
    /// browsers and proxies. 0 (the default) makes them revalidate every
    /// time (a cheap 304 when nothing changed), so nobody is shown a stale answer.
    #[arg(long, env = "QANDA_CACHE_MAX_AGE", default_value_t = 0)]
    pub cache_max_age: u32,
    /// Largest request body accepted, in bytes.
    #[arg(long, env = "QANDA_MAX_BODY_BYTES", default_value_t = 1024 * 1024)]
    pub max_body_bytes: usize,
    /// Serve Prometheus metrics at GET /metrics to scrapers that send
    /// `Authorization: Bearer TOKEN`. Without a token there is no /metrics.
    #[arg(long, env = "QANDA_METRICS_TOKEN", hide_env_values = true)]
    pub metrics_token: Option<String>,
    /// Deepest nesting of fields a GraphQL query may have.
    #[arg(long, env = "QANDA_MAX_QUERY_DEPTH", default_value_t = 16)]
    pub max_query_depth: usize,
    /// Highest complexity a GraphQL query may have (each field selected costs 1).
    #[arg(long, env = "QANDA_MAX_QUERY_COMPLEXITY", default_value_t = 5_000)]
    pub max_query_complexity: usize,
    /// Most aliased fields a GraphQL request may have, fragments expanded.
    #[arg(long, env = "QANDA_MAX_QUERY_ALIASES", default_value_t = 100)]
    pub max_query_aliases: usize,
    /// Most operations in one batched GraphQL request.
    #[arg(long, env = "QANDA_MAX_BATCH", default_value_t = 10)]
    pub max_batch: usize,
    /// Longest time one GraphQL operation may run, in milliseconds, before
    /// it is stopped and answered with an error.
    #[arg(long, env = "QANDA_QUERY_TIMEOUT_MS", default_value_t = 10_000)]
    pub query_timeout_ms: u64,
    /// On SIGTERM or Ctrl-C, how long to let in-flight requests finish
    /// before stopping anyway, in seconds.
    #[arg(long, env = "QANDA_SHUTDOWN_GRACE_SECS", default_value_t = 10)]
    pub shutdown_grace_secs: u64,
    /// Longest time a request may take before it is answered 503, in seconds.
    #[arg(long, env = "QANDA_REQUEST_TIMEOUT_SECS", default_value_t = 30)]
    pub request_timeout_secs: u64,
    /// Sign staff out after this many minutes without a request.
    #[arg(long, env = "QANDA_SESSION_IDLE_MINUTES", default_value_t = 60)]
    pub session_idle_minutes: u64,
    /// How often to record due scheduled changes (publish, expiry, retirement), in seconds.
    /// Readers see scheduled changes on time regardless; this only records them.
    #[arg(long, env = "QANDA_SCHEDULER_INTERVAL_SECS", default_value_t = 15)]
    pub scheduler_interval_secs: u64,
    /// Sign staff out this many hours after they signed in, however active.
    #[arg(long, env = "QANDA_SESSION_MAX_HOURS", default_value_t = 12)]
    pub session_max_hours: u64,
    /// The lowest role that must sign in with a second factor (a code from
    /// an authenticator app): EDITOR, PUBLISHER, ADMIN or none. Such a user
    /// without one is sent to set one up at their next sign-in, and can do
    /// nothing else first.
    #[arg(
        long = "require-2fa",
        env = "QANDA_REQUIRE_2FA",
        default_value = "none"
    )]
    pub require_2fa: TwoFactorRequirement,
    /// Nobody may publish a change they made themselves (the last person to
    /// change each item), admins included: a second person publishes.
    #[arg(long, env = "QANDA_TWO_PERSON_RULE", default_value_t = false, action = clap::ArgAction::Set)]
    pub two_person_rule: bool,
    #[command(flatten)]
    pub webhooks: WebhookArgs,
    #[command(flatten)]
    pub mail: MailArgs,
}

#[derive(Debug, Clone, Args)]
pub struct WebhookArgs {
    /// How often to look for webhook deliveries that are due, in milliseconds.
    /// Changes made through this server are sent at once; this picks up
    /// retries and other replicas' changes.
    #[arg(long, env = "QANDA_WEBHOOK_POLL_MS", default_value_t = 5000)]
    pub webhook_poll_ms: u64,
    /// The wait after a webhook's first failed attempt, in milliseconds; it
    /// doubles after each further failure (plus up to 25% jitter, at most an hour).
    #[arg(long, env = "QANDA_WEBHOOK_RETRY_BASE_MS", default_value_t = 30_000)]
    pub webhook_retry_base_ms: u64,
    /// Attempts before a webhook delivery is marked failed (it can then be resent).
    #[arg(long, env = "QANDA_WEBHOOK_MAX_ATTEMPTS", default_value_t = 8, value_parser = clap::value_parser!(i32).range(1..=30))]
    pub webhook_max_attempts: i32,
    /// How long a webhook receiver has to answer, in seconds.
    #[arg(long, env = "QANDA_WEBHOOK_TIMEOUT_SECS", default_value_t = 10)]
    pub webhook_timeout_secs: u64,
    /// Days to keep finished webhook deliveries (delivered, or failed for
    /// good) before they are deleted; 0 keeps them for ever.
    #[arg(long, env = "QANDA_WEBHOOK_KEEP_DAYS", default_value_t = 30)]
    pub webhook_keep_days: u64,
    /// Let webhooks point at internal addresses: loopback, private networks
    /// (10/8, 172.16/12, 192.168/16, fc00::/7), link-local (169.254/16,
    /// fe80::/10) and other non-public ranges. Off, webhooks reach only the
    /// public internet, checked when one is added and again at every delivery.
    #[arg(long, env = "QANDA_WEBHOOK_ALLOW_PRIVATE")]
    pub webhook_allow_private: bool,
}

#[derive(Debug, Clone, Args)]
pub struct MailArgs {
    /// The SMTP server for email: smtp://USER:PASS@HOST:587 (STARTTLS) or
    /// smtps://USER:PASS@HOST:465; add ?tls=none only for a relay on this
    /// machine or network. Unset, nothing is emailed: invitation and reset
    /// links are shown to admins to pass on.
    #[arg(long, env = "QANDA_SMTP_URL")]
    pub smtp_url: Option<url::Url>,
    /// The sender of every email: `Name <address>` or `address`.
    #[arg(long, env = "QANDA_MAIL_FROM", default_value = "Q&A <qanda@localhost>")]
    pub mail_from: String,
    /// How often to look for emails that are due, in milliseconds.
    #[arg(long, env = "QANDA_MAIL_POLL_MS", default_value_t = 5000)]
    pub mail_poll_ms: u64,
    /// The wait after an email's first failed attempt, in milliseconds; it
    /// doubles after each further failure (plus up to 25% jitter, at most an hour).
    #[arg(long, env = "QANDA_MAIL_RETRY_BASE_MS", default_value_t = 60_000)]
    pub mail_retry_base_ms: u64,
    /// Attempts before an email is marked failed.
    #[arg(long, env = "QANDA_MAIL_MAX_ATTEMPTS", default_value_t = 8, value_parser = clap::value_parser!(i32).range(1..=30))]
    pub mail_max_attempts: i32,
    /// How long the SMTP server has to answer, in seconds.
    #[arg(long, env = "QANDA_MAIL_TIMEOUT_SECS", default_value_t = 30)]
    pub mail_timeout_secs: u64,
}

#[derive(Debug, Clone, Args)]
pub struct ImportArgs {
    #[command(flatten)]
    pub db: DbArgs,
    /// The file to import: plain-text Q&A (see README) or `qanda export` JSON.
    pub file: PathBuf,
}

#[derive(Debug, Clone, Args)]
pub struct ExportArgs {
    #[command(flatten)]
    pub db: DbArgs,
    /// Write to this file instead of standard output.
    #[arg(long, short)]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Clone, Args)]
pub struct LogArgs {
    /// Log filter, e.g. `info` or `qanda=debug,info`.
    #[arg(long, env = "QANDA_LOG", default_value = "info", global = true)]
    pub log: String,
    /// Log format: `text` for people, `json` for log collectors.
    #[arg(long, env = "QANDA_LOG_FORMAT", value_enum, default_value_t = LogFormat::Text, global = true)]
    pub log_format: LogFormat,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum LogFormat {
    Text,
    Json,
}
