//! The delivery worker: sends pending webhook deliveries, retries failures
//! with exponential backoff, and gives up after a number of attempts.
//!
//! Every replica runs one. Before sending, a worker claims the attempt with
//! a conditional update (still pending, same attempt count, still due) that
//! also pushes `next_attempt_at` a lease into the future, so of two replicas
//! that saw the same due row only one sends that attempt. A worker that dies
//! mid-send leaves the row to be retried when the lease runs out: delivery
//! is at least once, so receivers should recognise a repeated payload `id`.
//!
//! Every attempt applies the address rule (`webhook_target`): a URL that
//! leads only to refused addresses is not sent, and the delivery fails at
//! once rather than being retried, since nothing but a change of setting
//! or of address would help (and an admin can resend after either).

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use entity::{webhook, webhook_delivery};
use futures::StreamExt;
use hmac::{Hmac, Mac};
use rand::Rng;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, UpdateMany};
use sha2::Sha256;
use tokio::sync::Notify;

use super::now;
use super::webhook_target::{self, CheckingResolver};
use super::Db;
use crate::domain::{WebhookDeliveryStatus, WebhookTargets};
use crate::error::AppResult;

pub const SIGNATURE_HEADER: &str = "X-Qanda-Signature";
pub const EVENT_HEADER: &str = "X-Qanda-Event";
pub const DELIVERY_HEADER: &str = "X-Qanda-Delivery";

/// How many due deliveries one round picks up, and sends at once.
const BATCH: u64 = 20;
const CONCURRENCY: usize = 8;
/// Longest wait between two attempts, however many have failed.
const MAX_RETRY_DELAY: Duration = Duration::from_secs(3600);
/// How often finished deliveries past their keeping time are deleted.
const PRUNE_EVERY: Duration = Duration::from_secs(3600);
/// Most of an error message kept with a delivery.
const MAX_ERROR_LEN: usize = 500;

#[derive(Debug, Clone)]
pub struct DeliverySettings {
    /// How often to look for due deliveries (other replicas' included).
    pub poll_interval: Duration,
    /// The wait after the first failed attempt; it doubles after each one.
    pub retry_base: Duration,
    /// Attempts before a delivery is marked failed.
    pub max_attempts: i32,
    /// How long a receiver has to answer.
    pub timeout: Duration,
    /// How long finished deliveries are kept; `None` keeps them for ever.
    pub keep_finished: Option<Duration>,
    /// Which addresses deliveries may go to.
    pub targets: WebhookTargets,
}

impl DeliverySettings {
    /// How long a claimed attempt is left to its worker before another may
    /// take it over: well beyond the time a receiver has to answer.
    fn lease(&self) -> Duration {
        self.timeout * 3 + Duration::from_secs(30)
    }
}

/// Wakes this process's worker at once (after a local change committed
/// deliveries), instead of at its next poll.
#[derive(Clone, Default, Debug)]
pub struct Waker(Arc<Notify>);

impl Waker {
    pub fn wake(&self) {
        self.0.notify_one();
    }

    /// Resolves at the next wake (the mail worker waits on its own `Waker`).
    pub async fn notified(&self) {
        self.0.notified().await
    }
}

/// `sha256=` and the hex HMAC-SHA256 of `body` keyed with the secret's text.
pub fn signature(secret: &str, body: &[u8]) -> String {
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(secret.as_bytes()) else {
        // HMAC takes keys of any length; this cannot happen.
        return String::new();
    };
    mac.update(body);
    let digest = mac.finalize().into_bytes();
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    format!("sha256={hex}")
}

/// The wait after `attempts` failed attempts: base × 2^(attempts−1), plus up
/// to a quarter more at random (so many deliveries that failed together do
/// not all come back at the same moment), at most an hour.
pub fn retry_delay(base: Duration, attempts: i32) -> Duration {
    let exponent = attempts.saturating_sub(1).clamp(0, 30) as u32;
    let plain = base.saturating_mul(2u32.saturating_pow(exponent));
    let jitter = rand::thread_rng().gen_range(0.0..0.25);
    plain.mul_f64(1.0 + jitter).min(MAX_RETRY_DELAY)
}

pub(crate) fn at_plus(at: DateTime<Utc>, wait: Duration) -> DateTime<Utc> {
    at + chrono::Duration::from_std(wait).unwrap_or(chrono::Duration::hours(1))
}

pub fn http_client(settings: &DeliverySettings) -> reqwest::Result<reqwest::Client> {
    reqwest::Client::builder()
        .user_agent(concat!("qanda/", env!("CARGO_PKG_VERSION")))
        .timeout(settings.timeout)
        .connect_timeout(settings.timeout)
        // A redirect is an answer we did not ask for, not a delivery (and
        // following one would reach an address nobody checked).
        .redirect(reqwest::redirect::Policy::none())
        // Names are resolved here, to addresses the rule allows, and the
        // client connects to those; through a proxy, the proxy would look
        // the name up again, unchecked.
        .dns_resolver(Arc::new(CheckingResolver(settings.targets)))
        .no_proxy()
        .build()
}

/// Looks for due deliveries every `poll_interval`, and at once when woken.
pub fn spawn(db: Db, settings: DeliverySettings, waker: Waker) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let client = match http_client(&settings) {
            Ok(client) => client,
            Err(error) => {
                tracing::error!(
                    ?error,
                    "webhooks: could not build the HTTP client; nothing will be sent"
                );
                return;
            }
        };
        let period = settings.poll_interval.max(Duration::from_millis(10));
        // The first look waits a period too, like the other background tasks.
        let mut ticker = tokio::time::interval_at(tokio::time::Instant::now() + period, period);
        ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let mut last_prune: Option<tokio::time::Instant> = None;
        loop {
            let polled = tokio::select! {
                _ = ticker.tick() => true,
                _ = waker.0.notified() => false,
            };
            // On a poll, never on a wake: a wake follows a write just made,
            // and deleting is never urgent.
            if let (true, Some(keep)) = (polled, settings.keep_finished) {
                prune_when_due(&db, keep, &mut last_prune).await;
            }
            loop {
                match deliver_due(&db, &client, &settings).await {
                    // A full batch: there may be more due now.
                    Ok(picked) if picked as u64 == BATCH => continue,
                    Ok(_) => break,
                    Err(error) => {
                        tracing::warn!(?error, "webhooks: could not send due deliveries");
                        break;
                    }
                }
            }
        }
    })
}

/// Prunes once every `PRUNE_EVERY` (the first time at once).
async fn prune_when_due(db: &Db, keep: Duration, last: &mut Option<tokio::time::Instant>) {
    if last.is_some_and(|at| at.elapsed() < PRUNE_EVERY) {
        return;
    }
    *last = Some(tokio::time::Instant::now());
    match prune_finished(db, keep).await {
        Ok(0) => {}
        Ok(n) => tracing::info!(deleted = n, "webhooks: old finished deliveries deleted"),
        Err(error) => tracing::warn!(?error, "webhooks: could not delete old deliveries"),
    }
}

/// Deletes finished deliveries (delivered, or failed for good) whose last
/// attempt is older than `keep`, so the outbox does not grow for ever.
/// Pending ones are never deleted, however old. Returns how many went.
pub async fn prune_finished(db: &Db, keep: Duration) -> AppResult<u64> {
    use sea_orm::Condition;
    let cutoff = chrono::Duration::from_std(keep)
        .ok()
        .and_then(|keep| now().checked_sub_signed(keep));
    // Kept longer than time goes back: nothing is old enough.
    let Some(cutoff) = cutoff else {
        return Ok(0);
    };
    let delivered = Condition::all()
        .add(webhook_delivery::Column::Status.eq(WebhookDeliveryStatus::Delivered))
        .add(webhook_delivery::Column::DeliveredAt.lt(cutoff));
    let failed = Condition::all()
        .add(webhook_delivery::Column::Status.eq(WebhookDeliveryStatus::Failed))
        .add(webhook_delivery::Column::LastAttemptAt.lt(cutoff));
    let (txn, _turn) = crate::db::begin_write(db).await?;
    let result = webhook_delivery::Entity::delete_many()
        .filter(Condition::any().add(delivered).add(failed))
        .exec(&txn)
        .await?;
    txn.commit().await?;
    Ok(result.rows_affected)
}

/// One round: picks up to `BATCH` due deliveries of active webhooks and
/// tries each once. Returns how many it picked.
pub async fn deliver_due(
    db: &Db,
    client: &reqwest::Client,
    settings: &DeliverySettings,
) -> AppResult<usize> {
    let at = now();
    let due: Vec<(webhook_delivery::Model, Option<webhook::Model>)> =
        webhook_delivery::Entity::find()
            .find_also_related(webhook::Entity)
            .filter(webhook_delivery::Column::Status.eq(WebhookDeliveryStatus::Pending))
            .filter(webhook_delivery::Column::NextAttemptAt.lte(at))
            .filter(webhook::Column::Active.eq(true))
            .order_by_asc(webhook_delivery::Column::NextAttemptAt)
            .order_by_asc(webhook_delivery::Column::Id)
            .limit(BATCH)
            .all(db)
            .await?;
    let picked = due.len();
    futures::stream::iter(due)
        .filter_map(|(delivery, hook)| async move { hook.map(|h| (delivery, h)) })
        .for_each_concurrent(CONCURRENCY, |(delivery, hook)| async move {
            let id = delivery.id;
            if let Err(error) = attempt(db, client, settings, at, delivery, hook).await {
                tracing::warn!(
                    ?error,
                    delivery = id,
                    "webhooks: could not record an attempt"
                );
            }
        })
        .await;
    Ok(picked)
}

/// What came of sending one attempt.
enum Outcome {
    Delivered(u16),
    Refused(u16),
    Unreachable(String),
    /// Not sent: the URL leads only to addresses the rule refuses.
    NotAllowed(String),
}

async fn attempt(
    db: &Db,
    client: &reqwest::Client,
    settings: &DeliverySettings,
    seen_at: DateTime<Utc>,
    delivery: webhook_delivery::Model,
    hook: webhook::Model,
) -> AppResult<()> {
    let pending = WebhookDeliveryStatus::Pending;
    let claimed_at = now();
    let claim = webhook_delivery::Entity::update_many()
        .col_expr(
            webhook_delivery::Column::NextAttemptAt,
            Expr::value(Some(at_plus(claimed_at, settings.lease()))),
        )
        .col_expr(
            webhook_delivery::Column::LastAttemptAt,
            Expr::value(Some(claimed_at)),
        )
        .filter(webhook_delivery::Column::Id.eq(delivery.id))
        .filter(webhook_delivery::Column::Status.eq(pending))
        .filter(webhook_delivery::Column::Attempts.eq(delivery.attempts))
        .filter(webhook_delivery::Column::NextAttemptAt.lte(seen_at))
        .exec(db)
        .await?;
    if claim.rows_affected != 1 {
        // Another replica took this attempt.
        return Ok(());
    }

    let outcome = send(client, &hook, &delivery, settings).await;
    let attempts = delivery.attempts + 1;
    let done_at = now();
    let mut update = webhook_delivery::Entity::update_many()
        .col_expr(webhook_delivery::Column::Attempts, Expr::value(attempts));
    update = match &outcome {
        Outcome::Delivered(code) => update
            .col_expr(
                webhook_delivery::Column::Status,
                Expr::value(WebhookDeliveryStatus::Delivered),
            )
            .col_expr(
                webhook_delivery::Column::DeliveredAt,
                Expr::value(Some(done_at)),
            )
            .col_expr(
                webhook_delivery::Column::NextAttemptAt,
                Expr::value(Option::<DateTime<Utc>>::None),
            )
            .col_expr(
                webhook_delivery::Column::LastStatusCode,
                Expr::value(Some(*code as i32)),
            )
            .col_expr(
                webhook_delivery::Column::LastError,
                Expr::value(Option::<String>::None),
            ),
        Outcome::Refused(code) => failed_attempt(
            update,
            Some(*code as i32),
            format!("The receiver answered with status {code}"),
            attempts,
            settings,
            done_at,
        ),
        Outcome::Unreachable(error) => {
            failed_attempt(update, None, error.clone(), attempts, settings, done_at)
        }
        Outcome::NotAllowed(error) => failed(
            update,
            WebhookDeliveryStatus::Failed,
            None,
            None,
            error.clone(),
        ),
    };
    update
        .filter(webhook_delivery::Column::Id.eq(delivery.id))
        .filter(webhook_delivery::Column::Status.eq(pending))
        .filter(webhook_delivery::Column::Attempts.eq(delivery.attempts))
        .exec(db)
        .await?;
    match outcome {
        Outcome::Delivered(code) => {
            tracing::info!(delivery = delivery.id, webhook = hook.id, event = %delivery.event, attempts, code, "webhook delivered")
        }
        Outcome::Refused(code) => {
            tracing::warn!(
                delivery = delivery.id,
                webhook = hook.id,
                attempts,
                code,
                "webhook attempt refused"
            )
        }
        Outcome::Unreachable(error) => {
            tracing::warn!(delivery = delivery.id, webhook = hook.id, attempts, %error, "webhook attempt failed")
        }
        Outcome::NotAllowed(error) => {
            tracing::warn!(delivery = delivery.id, webhook = hook.id, attempts, %error, "webhook not sent: address not allowed")
        }
    }
    Ok(())
}

/// After a failed attempt: wait and try again, or give up after the last.
fn failed_attempt(
    update: UpdateMany<webhook_delivery::Entity>,
    code: Option<i32>,
    error: String,
    attempts: i32,
    settings: &DeliverySettings,
    done_at: DateTime<Utc>,
) -> UpdateMany<webhook_delivery::Entity> {
    let (status, next) = if attempts >= settings.max_attempts {
        (WebhookDeliveryStatus::Failed, None)
    } else {
        let wait = retry_delay(settings.retry_base, attempts);
        (WebhookDeliveryStatus::Pending, Some(at_plus(done_at, wait)))
    };
    failed(update, status, next, code, error)
}

/// Records a failed attempt: pending until `next`, or failed for good.
fn failed(
    update: UpdateMany<webhook_delivery::Entity>,
    status: WebhookDeliveryStatus,
    next: Option<DateTime<Utc>>,
    code: Option<i32>,
    error: String,
) -> UpdateMany<webhook_delivery::Entity> {
    update
        .col_expr(
            webhook_delivery::Column::Status,
            Expr::value(status.as_str()),
        )
        .col_expr(webhook_delivery::Column::NextAttemptAt, Expr::value(next))
        .col_expr(webhook_delivery::Column::LastStatusCode, Expr::value(code))
        .col_expr(
            webhook_delivery::Column::LastError,
            Expr::value(Some(error)),
        )
}

async fn send(
    client: &reqwest::Client,
    hook: &webhook::Model,
    delivery: &webhook_delivery::Model,
    settings: &DeliverySettings,
) -> Outcome {
    // The client's resolver checks names; an address in the URL it uses
    // as it is, so that is checked here.
    if let Err(refused) = webhook_target::check_literal(&hook.url, settings.targets) {
        return not_allowed(&refused);
    }
    let body = delivery.payload.clone();
    let result = client
        .post(&hook.url)
        .header(reqwest::header::CONTENT_TYPE, "application/json")
        .header(SIGNATURE_HEADER, signature(&hook.secret, body.as_bytes()))
        .header(EVENT_HEADER, &delivery.event)
        .header(DELIVERY_HEADER, delivery.id.to_string())
        .body(body)
        .send()
        .await;
    match result {
        Ok(response) if response.status().is_success() => {
            Outcome::Delivered(response.status().as_u16())
        }
        Ok(response) => Outcome::Refused(response.status().as_u16()),
        Err(error) => match webhook_target::refusal_in(&error) {
            Some(refused) => not_allowed(refused),
            None => Outcome::Unreachable(describe(&error, settings.timeout)),
        },
    }
}

fn not_allowed(refused: &webhook_target::RefusedTarget) -> Outcome {
    Outcome::NotAllowed(truncate(format!(
        "Not sent: {refused}. {}",
        refused.advice()
    )))
}

/// A transport error in words, with its innermost cause ("connection refused").
fn describe(error: &reqwest::Error, timeout: Duration) -> String {
    let text = if error.is_timeout() {
        format!("No answer within {} seconds", timeout.as_secs_f64())
    } else {
        let mut cause: &dyn std::error::Error = error;
        while let Some(inner) = cause.source() {
            cause = inner;
        }
        if error.is_connect() {
            format!("Could not connect: {cause}")
        } else {
            format!("Could not send: {cause}")
        }
    };
    truncate(text)
}

fn truncate(text: String) -> String {
    if text.chars().count() > MAX_ERROR_LEN {
        text.chars().take(MAX_ERROR_LEN).collect()
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signature_is_the_hex_hmac_sha256_of_the_body() {
        // RFC 4231, test case 2.
        assert_eq!(
            signature("Jefe", b"what do ya want for nothing?"),
            "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }

    #[test]
    fn retry_delays_double_with_some_jitter_and_stop_at_an_hour() {
        let base = Duration::from_secs(30);
        for attempts in 1..=6 {
            let plain = base * 2u32.pow(attempts as u32 - 1);
            let delay = retry_delay(base, attempts);
            assert!(
                delay >= plain && delay < plain.mul_f64(1.25),
                "{attempts}: {delay:?}"
            );
        }
        assert_eq!(retry_delay(base, 40), MAX_RETRY_DELAY);
    }
}
