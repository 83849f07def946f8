//! Sign-in throttling, counted in the database so that every replica sees
//! the same failures. Each account and each client address has its own
//! budget of attempts per window; past it, sign-in is refused until the
//! lock ends. A successful sign-in clears the account's and the address's count.

use chrono::{DateTime, Duration, Utc};
use entity::sign_in_throttle;
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{DatabaseConnection, EntityTrait, Set};

use crate::error::{AppError, AppResult};

pub const ACCOUNT_LIMIT: i32 = 5;
pub const ADDRESS_LIMIT: i32 = 20;
pub const WINDOW_MINUTES: i64 = 15;

pub fn account_key(email: &str) -> String {
    format!("account:{email}")
}

pub fn address_key(addr: &str) -> String {
    format!("address:{addr}")
}

fn limit_for(key: &str) -> i32 {
    if key.starts_with("account:") {
        ACCOUNT_LIMIT
    } else {
        ADDRESS_LIMIT
    }
}

/// Counts one sign-in attempt against each key and refuses it with
/// RATE_LIMITED when a key has had more than its limit in the window, or
/// is locked. The count is one atomic upsert per key, made before the
/// password is checked: parallel attempts cannot all read the same count
/// and slip past it, so with a limit of 5 at most 5 attempts are ever
/// checked, however many arrive at once. A successful sign-in clears the
/// count ([`clear`]); anything else leaves it counted.
pub async fn admit(db: &DatabaseConnection, keys: &[String], now: DateTime<Utc>) -> AppResult<()> {
    let mut refused_until: Option<DateTime<Utc>> = None;
    for key in keys {
        let row = count_attempt(db, key, now).await?;
        if let Some(until) = row.locked_until.filter(|until| *until > now) {
            refused_until = refused_until.max(Some(until));
        }
    }
    match refused_until {
        None => Ok(()),
        Some(until) => {
            let seconds = (until - now).num_seconds().max(1) as u64;
            let minutes = seconds.div_ceil(60);
            Err(AppError::RateLimited {
                message: format!(
                    "Too many failed sign-in attempts. Try again in {minutes} minute{}.",
                    if minutes == 1 { "" } else { "s" }
                ),
                retry_after_secs: seconds,
            })
        }
    }
}

/// One attempt more for `key`, in a window of [`WINDOW_MINUTES`] that
/// starts again once it has passed. The first attempt past the limit locks
/// the key for a window from then. Every column is computed from the row
/// as it is when the statement runs (PostgreSQL locks the row for the
/// update; SQLite runs one writer at a time).
async fn count_attempt(
    db: &DatabaseConnection,
    key: &str,
    now: DateTime<Utc>,
) -> AppResult<sign_in_throttle::Model> {
    use sea_orm::sea_query::ExprTrait;
    use sign_in_throttle::{Column, Entity};
    let window = Duration::minutes(WINDOW_MINUTES);
    let column = |c: Column| Expr::col((Entity, c));
    let in_window = column(Column::WindowStartedAt).gt(now - window);
    let attempts = Expr::case(in_window.clone(), column(Column::Failures).add(1)).finally(1);
    let over_limit = Expr::expr(attempts.clone()).gt(limit_for(key));
    let not_locked = column(Column::LockedUntil)
        .is_null()
        .or(column(Column::LockedUntil).lte(now));
    let first = sign_in_throttle::ActiveModel {
        key: Set(key.to_owned()),
        failures: Set(1),
        window_started_at: Set(now),
        locked_until: Set(None),
    };
    let on_conflict = OnConflict::column(Column::Key)
        .values([
            (Column::Failures, attempts.into()),
            (
                Column::WindowStartedAt,
                Expr::case(in_window, column(Column::WindowStartedAt))
                    .finally(now)
                    .into(),
            ),
            (
                Column::LockedUntil,
                Expr::case(over_limit.and(not_locked), now + window)
                    .finally(column(Column::LockedUntil))
                    .into(),
            ),
        ])
        .to_owned();
    Ok(Entity::insert(first)
        .on_conflict(on_conflict)
        .exec_with_returning(db)
        .await?)
}

pub async fn clear(db: &DatabaseConnection, keys: &[String]) -> AppResult<()> {
    for key in keys {
        sign_in_throttle::Entity::delete_by_id(key.clone())
            .exec(db)
            .await?;
    }
    Ok(())
}
