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
    if pending == 0 {
        return Ok(0);
    }
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
///
/// On SQLite the writers of this process also take turns on a fair queue
/// first ([`WriteTurn`]): SQLite's busy handler polls with sleeps of up to
/// 100 ms, so eight editors saving at once would wait in those sleeps and
/// in no order, where a queue hands the lock on the moment it is free.
/// Keep the turn until the transaction has committed or rolled back.
pub async fn begin_write(
    db: &DatabaseConnection,
) -> Result<(sea_orm::DatabaseTransaction, WriteTurn), sea_orm::DbErr> {
    use sea_orm::{SqliteTransactionMode, TransactionOptions, TransactionTrait};
    let turn = WriteTurn::take(db).await;
    let txn = db
        .begin_with_options(TransactionOptions {
            sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
            ..TransactionOptions::default()
        })
        .await?;
    Ok((txn, turn))
}

/// A turn to write to one SQLite database file, held by one transaction of
/// this process at a time; nothing on PostgreSQL (row locks suffice).
#[must_use = "the turn ends when it is dropped: keep it until the transaction ends"]
pub struct WriteTurn {
    _permit: Option<tokio::sync::OwnedSemaphorePermit>,
}

/// Longest wait for a turn. Past it the transaction goes ahead and waits
/// on SQLite's own lock, as other processes' writers do, so a turn held by
/// mistake across a second write can slow a request but never hang it.
const TURN_TIMEOUT: Duration = Duration::from_secs(5);

impl WriteTurn {
    async fn take(db: &DatabaseConnection) -> WriteTurn {
        let permit = match write_queue(db) {
            Some(queue) => tokio::time::timeout(TURN_TIMEOUT, queue.acquire_owned())
                .await
                .ok()
                .and_then(Result::ok),
            None => None,
        };
        WriteTurn { _permit: permit }
    }
}

/// The queue for the database file `db` writes to: one per file, shared by
/// every connection pool of this process that opens it.
fn write_queue(db: &DatabaseConnection) -> Option<Arc<tokio::sync::Semaphore>> {
    use std::collections::HashMap;
    use std::path::PathBuf;
    use std::sync::{LazyLock, Mutex};

    static QUEUES: LazyLock<Mutex<HashMap<PathBuf, Arc<tokio::sync::Semaphore>>>> =
        LazyLock::new(Default::default);

    if db.get_database_backend() != sea_orm::DatabaseBackend::Sqlite {
        return None;
    }
    let file = db
        .get_sqlite_connection_pool()
        .connect_options()
        .get_filename()
        .to_path_buf();
    let mut queues = QUEUES.lock().unwrap_or_else(|e| e.into_inner());
    Some(
        queues
            .entry(file)
            .or_insert_with(|| Arc::new(tokio::sync::Semaphore::new(1)))
            .clone(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn sqlite(dir: &tempfile::TempDir) -> DatabaseConnection {
        let url = format!("sqlite://{}", dir.path().join("q.db").display());
        let settings = DbSettings {
            url: &url,
            schema: None,
            max_connections: 4,
        };
        connect(settings).await.unwrap().0
    }

    #[tokio::test]
    async fn writers_to_one_file_wait_for_their_turn() {
        let dir = tempfile::tempdir().unwrap();
        // Two pools on one file, as two parts of the process might open.
        let (first_db, second_db) = (sqlite(&dir).await, sqlite(&dir).await);
        // A turn alone, without SQLite's lock: only the queue can hold
        // the second writer back.
        let turn = WriteTurn::take(&first_db).await;
        let waiting = tokio::spawn(async move {
            let (txn, _turn) = begin_write(&second_db).await.unwrap();
            txn.commit().await.unwrap();
        });
        tokio::time::sleep(Duration::from_millis(200)).await;
        assert!(!waiting.is_finished(), "the second writer waits its turn");
        drop(turn);
        tokio::time::timeout(Duration::from_secs(2), waiting)
            .await
            .expect("the second writer goes as soon as the first is done")
            .unwrap();
    }

    #[tokio::test]
    async fn another_file_has_its_own_turns() {
        let (one, two) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        let (one, two) = (sqlite(&one).await, sqlite(&two).await);
        let (_txn, _turn) = begin_write(&one).await.unwrap();
        let other = tokio::time::timeout(Duration::from_secs(2), begin_write(&two)).await;
        assert!(other.is_ok(), "a write to another file does not wait");
    }
}
