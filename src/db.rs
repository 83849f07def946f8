//! Connecting to SQLite or PostgreSQL, and counting the statements we send.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use migration::MigratorTrait;
use sea_orm::{ConnectOptions, Database, DatabaseConnection};

/// Counts every SQL statement sent on a connection. Tests use it to prove
/// that reads run a fixed number of statements (no N+1).
#[derive(Clone, Default, Debug)]
pub struct StatementCounter(Arc<AtomicU64>);

impl StatementCounter {
    pub fn get(&self) -> u64 {
        self.0.load(Ordering::Relaxed)
    }
}

pub struct DbSettings<'a> {
    pub url: &'a str,
    /// PostgreSQL schema to use instead of `public` (tests use one per test).
    pub schema: Option<&'a str>,
    pub max_connections: u32,
}

pub async fn connect(
    settings: DbSettings<'_>,
) -> anyhow::Result<(DatabaseConnection, StatementCounter)> {
    let mut options = ConnectOptions::new(settings.url);
    options
        .max_connections(settings.max_connections)
        .min_connections(1)
        .connect_timeout(Duration::from_secs(10))
        .acquire_timeout(Duration::from_secs(10))
        .sqlx_logging(false)
        .map_sqlx_sqlite_opts(|opts| {
            opts.create_if_missing(true)
                .journal_mode(sea_orm::sqlx::sqlite::SqliteJournalMode::Wal)
                .synchronous(sea_orm::sqlx::sqlite::SqliteSynchronous::Normal)
                .foreign_keys(true)
                .busy_timeout(Duration::from_secs(5))
                // The WAL is reset after each checkpoint but never shrinks by
                // itself; keep it from holding on to a burst's worth of disk.
                .pragma("journal_size_limit", (64 * 1024 * 1024).to_string())
        });
    if let Some(schema) = settings.schema {
        options.set_schema_search_path(schema);
    }
    let mut db = Database::connect(options).await.with_context(|| {
        format!(
            "could not connect to the database at {}",
            redact(settings.url)
        )
    })?;
    let counter = StatementCounter::default();
    let inner = counter.0.clone();
    db.set_metric_callback(move |_| {
        inner.fetch_add(1, Ordering::Relaxed);
    });
    Ok((db, counter))
}

pub async fn migrate(db: &DatabaseConnection) -> anyhow::Result<usize> {
    let pending = migration::Migrator::get_pending_migrations(db)
        .await
        .context("could not read the migration state")?
        .len();
    migration::Migrator::up(db, None)
        .await
        .context("could not apply the database migrations")?;
    Ok(pending)
}

/// The URL without its password, for messages.
pub fn redact(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut parsed) if parsed.password().is_some() => {
            let _ = parsed.set_password(Some("***"));
            parsed.to_string()
        }
        _ => url.to_owned(),
    }
}

/// Starts a transaction that will write. On SQLite it takes the write lock
/// at once (`BEGIN IMMEDIATE`), so concurrent writers queue on the busy
/// timeout; a deferred transaction that read first (the full-text index's
/// triggers read its configuration) would instead fail with "database is
/// locked" when another writer got there first.
pub async fn begin_write(
    db: &DatabaseConnection,
) -> Result<sea_orm::DatabaseTransaction, sea_orm::DbErr> {
    use sea_orm::{SqliteTransactionMode, TransactionOptions, TransactionTrait};
    db.begin_with_options(TransactionOptions {
        sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
        ..TransactionOptions::default()
    })
    .await
}
