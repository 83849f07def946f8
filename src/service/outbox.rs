//! The email outbox and the mail worker.
//!
//! # Writing a message (the internal API)
//!
//! Inside the transaction of the change a message announces:
//!
//! ```ignore
//! let message = mail::templates::password_reset(&user.email, &user.display_name, &url);
//! outbox::enqueue(&txn, &message).await?;
//! txn.commit().await?;
//! waker.wake(); // optional: send now rather than at the next poll
//! ```
//!
//! If the transaction rolls back, no message exists; once it commits, the
//! worker sends it. To write at most one message of a kind to a person
//! every N minutes (a digest), ask [`sent_recently`] first, in the same
//! transaction.
//!
//! # Sending
//!
//! Every replica runs a worker. As with webhook deliveries
//! (`webhook_worker`), a worker claims an attempt with a conditional update
//! (still pending, same attempt count, still due) that pushes
//! `next_attempt_at` a lease into the future, so of two replicas that saw
//! the same due message only one sends it. A temporary refusal (4xx, no
//! connection) is tried again after a backoff that doubles, up to
//! `max_attempts`; a permanent one (5xx) fails at once.
//!
//! Without `QANDA_SMTP_URL`, nothing is sent: the worker marks messages
//! `NOT_SENT`, and admins see them (not their links) on the Emails screen.

use std::time::Duration;

use chrono::{DateTime, Utc};
use entity::mail_message;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};

use super::now;
use super::webhook_worker::{at_plus, retry_delay, Waker};
use super::Db;
use crate::domain::{Permission, Viewer};
use crate::error::AppResult;
use crate::mail::transport::{self, SendError};
use crate::mail::{MailSettings, Message};

pub const PENDING: &str = "PENDING";
pub const SENT: &str = "SENT";
pub const FAILED: &str = "FAILED";
/// No mail server is set up: kept for admins to see, never sent.
pub const NOT_SENT: &str = "NOT_SENT";

const BATCH: u64 = 20;
const MAX_ERROR_LEN: usize = 500;

#[derive(Debug, Clone)]
pub struct OutboxSettings {
    /// How often to look for due messages (other replicas' included).
    pub poll_interval: Duration,
    /// The wait after the first failed attempt; it doubles after each one.
    pub retry_base: Duration,
    /// Attempts before a message is marked failed.
    pub max_attempts: i32,
    /// `None` without `QANDA_SMTP_URL`: nothing is sent.
    pub mail: Option<MailSettings>,
}

impl OutboxSettings {
    /// How long a claimed attempt is left to its worker before another may
    /// take it over: well beyond the SMTP timeout.
    fn lease(&self) -> Duration {
        let timeout = self
            .mail
            .as_ref()
            .map_or(Duration::from_secs(30), |mail| mail.timeout);
        timeout * 3 + Duration::from_secs(30)
    }
}

/// Writes `message` to the outbox, due at once. Call it inside the
/// transaction of the change the message announces.
pub async fn enqueue(conn: &impl ConnectionTrait, message: &Message) -> AppResult<i32> {
    let at = now();
    let row = mail_message::ActiveModel {
        kind: Set(message.kind.to_owned()),
        recipient: Set(message.to.to_lowercase()),
        subject: Set(message.subject.clone()),
        text_body: Set(message.text.clone()),
        html_body: Set(message.html.clone()),
        status: Set(PENDING.to_owned()),
        attempts: Set(0),
        next_attempt_at: Set(Some(at)),
        last_attempt_at: Set(None),
        last_error: Set(None),
        created_at: Set(at),
        sent_at: Set(None),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    Ok(row.id)
}

/// Whether a message of `kind` was written to `recipient` within `within`:
/// for "at most one message per person per N minutes".
pub async fn sent_recently(
    conn: &impl ConnectionTrait,
    recipient: &str,
    kind: &str,
    within: Duration,
) -> AppResult<bool> {
    let since = now() - chrono::Duration::from_std(within).unwrap_or(chrono::Duration::zero());
    let count = mail_message::Entity::find()
        .filter(mail_message::Column::Recipient.eq(recipient.to_lowercase()))
        .filter(mail_message::Column::Kind.eq(kind))
        .filter(mail_message::Column::CreatedAt.gt(since))
        .count(conn)
        .await?;
    Ok(count > 0)
}

/// The newest messages, for admins (the bodies hold one-time links: the
/// GraphQL type does not expose them).
pub async fn recent(db: &Db, viewer: &Viewer, limit: u64) -> AppResult<Vec<mail_message::Model>> {
    viewer.require(Permission::ManageUsers)?;
    Ok(mail_message::Entity::find()
        .order_by_desc(mail_message::Column::CreatedAt)
        .order_by_desc(mail_message::Column::Id)
        .limit(limit.clamp(1, 200))
        .all(db)
        .await?)
}

/// Looks for due messages every `poll_interval`, and at once when woken.
pub fn spawn(db: Db, settings: OutboxSettings, waker: Waker) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let transport = match settings.mail.as_ref().map(MailSettings::transport) {
            Some(Ok(transport)) => Some(transport),
            Some(Err(error)) => {
                tracing::error!(%error, "mail: the SMTP settings do not work; nothing will be sent");
                return;
            }
            None => None,
        };
        let period = settings.poll_interval.max(Duration::from_millis(10));
        let mut ticker = tokio::time::interval_at(tokio::time::Instant::now() + period, period);
        ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tokio::select! {
                _ = ticker.tick() => {},
                _ = waker.notified() => {},
            }
            loop {
                match send_due(&db, transport.as_ref(), &settings).await {
                    Ok(picked) if picked as u64 == BATCH => continue,
                    Ok(_) => break,
                    Err(error) => {
                        tracing::warn!(?error, "mail: could not send due messages");
                        break;
                    }
                }
            }
        }
    })
}

type Transport = lettre::AsyncSmtpTransport<lettre::Tokio1Executor>;

/// One round: picks up to `BATCH` due messages and tries each once, in
/// turn (SMTP servers limit connections; mail is not urgent to the second).
pub async fn send_due(
    db: &Db,
    transport: Option<&Transport>,
    settings: &OutboxSettings,
) -> AppResult<usize> {
    let seen_at = now();
    let due = mail_message::Entity::find()
        .filter(mail_message::Column::Status.eq(PENDING))
        .filter(mail_message::Column::NextAttemptAt.lte(seen_at))
        .order_by_asc(mail_message::Column::NextAttemptAt)
        .order_by_asc(mail_message::Column::Id)
        .limit(BATCH)
        .all(db)
        .await?;
    let picked = due.len();
    for message in due {
        let id = message.id;
        if let Err(error) = attempt(db, transport, settings, seen_at, message).await {
            tracing::warn!(?error, message = id, "mail: could not record an attempt");
        }
    }
    Ok(picked)
}

async fn attempt(
    db: &Db,
    transport: Option<&Transport>,
    settings: &OutboxSettings,
    seen_at: DateTime<Utc>,
    message: mail_message::Model,
) -> AppResult<()> {
    let still_due = |update: sea_orm::UpdateMany<mail_message::Entity>| {
        update
            .filter(mail_message::Column::Id.eq(message.id))
            .filter(mail_message::Column::Status.eq(PENDING))
            .filter(mail_message::Column::Attempts.eq(message.attempts))
    };
    let (Some(transport), Some(mail)) = (transport, settings.mail.as_ref()) else {
        still_due(mail_message::Entity::update_many())
            .col_expr(mail_message::Column::Status, Expr::value(NOT_SENT))
            .col_expr(
                mail_message::Column::NextAttemptAt,
                Expr::value(Option::<DateTime<Utc>>::None),
            )
            .col_expr(
                mail_message::Column::LastError,
                Expr::value(Some("No mail server is set up (QANDA_SMTP_URL)")),
            )
            .exec(db)
            .await?;
        return Ok(());
    };
    let claimed_at = now();
    let claim = still_due(mail_message::Entity::update_many())
        .col_expr(
            mail_message::Column::NextAttemptAt,
            Expr::value(Some(at_plus(claimed_at, settings.lease()))),
        )
        .col_expr(
            mail_message::Column::LastAttemptAt,
            Expr::value(Some(claimed_at)),
        )
        .filter(mail_message::Column::NextAttemptAt.lte(seen_at))
        .exec(db)
        .await?;
    if claim.rows_affected != 1 {
        // Another replica took this attempt.
        return Ok(());
    }
    let outgoing = Message {
        kind: "",
        to: message.recipient.clone(),
        subject: message.subject.clone(),
        text: message.text_body.clone(),
        html: message.html_body.clone(),
    };
    let outcome = transport::send(transport, &mail.from, &outgoing).await;
    let attempts = message.attempts + 1;
    let done_at = now();
    let update = still_due(mail_message::Entity::update_many())
        .col_expr(mail_message::Column::Attempts, Expr::value(attempts));
    let update = match &outcome {
        Ok(()) => update
            .col_expr(mail_message::Column::Status, Expr::value(SENT))
            .col_expr(mail_message::Column::SentAt, Expr::value(Some(done_at)))
            .col_expr(
                mail_message::Column::NextAttemptAt,
                Expr::value(Option::<DateTime<Utc>>::None),
            )
            .col_expr(
                mail_message::Column::LastError,
                Expr::value(Option::<String>::None),
            ),
        Err(error) => {
            let (text, give_up) = match error {
                SendError::Permanent(text) => (text, true),
                SendError::Temporary(text) => (text, attempts >= settings.max_attempts),
            };
            let (status, next) = if give_up {
                (FAILED, None)
            } else {
                let wait = retry_delay(settings.retry_base, attempts);
                (PENDING, Some(at_plus(done_at, wait)))
            };
            update
                .col_expr(mail_message::Column::Status, Expr::value(status))
                .col_expr(mail_message::Column::NextAttemptAt, Expr::value(next))
                .col_expr(
                    mail_message::Column::LastError,
                    Expr::value(Some(text.chars().take(MAX_ERROR_LEN).collect::<String>())),
                )
        }
    };
    update.exec(db).await?;
    match outcome {
        Ok(()) => tracing::info!(message = message.id, kind = %message.kind, attempts, "mail sent"),
        Err(error) => tracing::warn!(message = message.id, attempts, ?error, "mail not sent"),
    }
    Ok(())
}
