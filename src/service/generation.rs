//! What a cached public answer depends on: the content generation (raised
//! by the database itself, with triggers, on every change to pages,
//! categories or questions, whichever replica or tool made it) and the
//! next scheduled time at which what the public sees changes by itself.

use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DatabaseBackend, Statement};

use super::Db;
use crate::error::{AppError, AppResult};

/// The current content generation: one primary-key read.
pub async fn current(db: &Db) -> AppResult<i64> {
    let row = db
        .query_one_raw(Statement::from_string(
            db.get_database_backend(),
            "SELECT generation FROM content_generation WHERE id = 1",
        ))
        .await?
        .ok_or_else(|| {
            AppError::internal(anyhow::anyhow!("the content_generation row is missing"))
        })?;
    Ok(row.try_get_by_index::<i64>(0)?)
}

/// The earliest scheduled publication, expiry or retirement after `after`:
/// until then, what the public sees can change only through a write, which
/// raises the generation. `None` when nothing is scheduled.
pub async fn next_scheduled_change(
    db: &Db,
    after: DateTime<Utc>,
) -> AppResult<Option<DateTime<Utc>>> {
    let backend = db.get_database_backend();
    let param = match backend {
        DatabaseBackend::Postgres => "$1",
        _ => "?1",
    };
    let sql = format!(
        "SELECT (SELECT min(publish_at) FROM questions WHERE publish_at > {param}), \
                (SELECT min(expire_at) FROM questions WHERE expire_at > {param}), \
                (SELECT min(retire_at) FROM pages WHERE retire_at > {param})"
    );
    let Some(row) = db
        .query_one_raw(Statement::from_sql_and_values(backend, sql, [after.into()]))
        .await?
    else {
        return Ok(None);
    };
    let mut earliest: Option<DateTime<Utc>> = None;
    for index in 0..3 {
        let at: Option<DateTime<Utc>> = row.try_get_by_index(index)?;
        earliest = match (earliest, at) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
    }
    Ok(earliest)
}
