//! Sign-in throttling, counted in the database so that every replica sees
//! the same failures. Each account and each client address has its own
//! budget of failures per window; past it, sign-in is refused until the
//! lock ends. A successful sign-in clears the account's and the address's count.

use chrono::{DateTime, Duration, Utc};
use entity::sign_in_throttle;
use sea_orm::{ActiveModelTrait, DatabaseConnection, EntityTrait, Set};

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

/// Refuses with RATE_LIMITED while any of the keys is locked.
pub async fn check(db: &DatabaseConnection, keys: &[String], now: DateTime<Utc>) -> AppResult<()> {
    for key in keys {
        let Some(row) = sign_in_throttle::Entity::find_by_id(key.clone())
            .one(db)
            .await?
        else {
            continue;
        };
        if let Some(until) = row.locked_until.filter(|until| *until > now) {
            let seconds = (until - now).num_seconds().max(1) as u64;
            let minutes = seconds.div_ceil(60);
            return Err(AppError::RateLimited {
                message: format!(
                    "Too many failed sign-in attempts. Try again in {minutes} minute{}.",
                    if minutes == 1 { "" } else { "s" }
                ),
                retry_after_secs: seconds,
            });
        }
    }
    Ok(())
}

pub async fn record_failure(
    db: &DatabaseConnection,
    keys: &[String],
    now: DateTime<Utc>,
) -> AppResult<()> {
    let window = Duration::minutes(WINDOW_MINUTES);
    for key in keys {
        let existing = sign_in_throttle::Entity::find_by_id(key.clone())
            .one(db)
            .await?;
        let (failures, started) = match &existing {
            Some(row) if now - row.window_started_at < window => {
                (row.failures + 1, row.window_started_at)
            }
            _ => (1, now),
        };
        let locked_until = (failures >= limit_for(key)).then(|| now + window);
        let row = sign_in_throttle::ActiveModel {
            key: Set(key.clone()),
            failures: Set(failures),
            window_started_at: Set(started),
            locked_until: Set(locked_until),
        };
        if existing.is_some() {
            row.update(db).await?;
        } else {
            row.insert(db).await?;
        }
    }
    Ok(())
}

pub async fn clear(db: &DatabaseConnection, keys: &[String]) -> AppResult<()> {
    for key in keys {
        sign_in_throttle::Entity::delete_by_id(key.clone())
            .exec(db)
            .await?;
    }
    Ok(())
}
