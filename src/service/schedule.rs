//! Scheduled changes. What readers see already honours `publishAt`,
//! `expireAt` and `retireAt` at read time; this records each due transition
//! (status change, revision, audit event) once. Every transition is a
//! version-checked update, so when several replicas run this at the same
//! moment exactly one of them records it.

use chrono::{DateTime, Utc};
use entity::{page, question};
use sea_orm::sea_query::Expr;
use sea_orm::{EntityTrait, QueryFilter, QuerySelect};
use serde_json::json;

use super::changes::Event;
use super::now;
use super::questions_edit::{self, expiry_due, publish_due, Transition};
use super::Db;
use super::{pages_edit, versioned};
use crate::domain::{Change, Permission, QuestionChange, QuestionStatus, Viewer};
use crate::error::{AppError, AppResult, FieldError};

/// How many transitions were recorded by this run.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Recorded {
    pub published: usize,
    pub expired: usize,
    pub retired: usize,
}

/// 1 when the scheduled change was recorded; 0 when another replica (or an
/// editor) changed the item first, so the change no longer applies.
fn counted<T>(result: AppResult<T>) -> AppResult<usize> {
    match result {
        Ok(_) => Ok(1),
        Err(AppError::Conflict { .. } | AppError::NotFound(_) | AppError::BadUserInput { .. }) => {
            Ok(0)
        }
        Err(other) => Err(other),
    }
}

async fn due_questions(db: &Db, condition: sea_orm::Condition) -> AppResult<Vec<(i32, i32)>> {
    Ok(question::Entity::find()
        .select_only()
        .column(question::Column::Id)
        .column(question::Column::Version)
        .filter(condition)
        .into_tuple::<(i32, i32)>()
        .all(db)
        .await?)
}

/// Makes every change whose time has come, through the same functions as
/// a publisher or admin would, as `Viewer::Schedule`.
pub async fn record_due(db: &Db) -> AppResult<Recorded> {
    let at = now();
    let by = Viewer::Schedule;
    let mut recorded = Recorded::default();
    for (id, version) in due_questions(db, publish_due(at)).await? {
        let result = questions_edit::transition(db, &by, id, version, Transition::Publish).await;
        recorded.published += counted(result)?;
    }
    for (id, version) in due_questions(db, expiry_due(at)).await? {
        let result = questions_edit::transition(db, &by, id, version, Transition::Archive).await;
        recorded.expired += counted(result)?;
    }
    let pages: Vec<(i32, i32)> = page::Entity::find()
        .select_only()
        .column(page::Column::Id)
        .column(page::Column::Version)
        .filter(super::pages::retirement_due(at))
        .into_tuple()
        .all(db)
        .await?;
    for (id, version) in pages {
        recorded.retired += counted(pages_edit::retire_when_due(db, id, version).await)?;
    }
    Ok(recorded)
}

/// Runs `record_due` every `period` until the process stops; wakes the
/// webhook worker when it recorded something.
pub fn spawn(
    db: Db,
    period: std::time::Duration,
    webhooks: super::webhook_worker::Waker,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut ticker = tokio::time::interval_at(tokio::time::Instant::now() + period, period);
        loop {
            ticker.tick().await;
            match record_due(&db).await {
                Ok(r) if r == Recorded::default() => {}
                Ok(r) => {
                    tracing::info!(
                        published = r.published,
                        expired = r.expired,
                        retired = r.retired,
                        "scheduled changes recorded"
                    );
                    webhooks.wake();
                }
                Err(error) => tracing::warn!(?error, "could not record scheduled changes"),
            }
        }
    })
}

/// Sets or clears a question's publish and expiry times (publishers).
/// Publishing can be scheduled for a draft, or for a published question's
/// unpublished changes: readers see its live text until then and its
/// working copy from then on. Whatever the working copy is at that time is
/// published, as when a publisher presses Publish: a save after scheduling
/// is part of the scheduled change (the editor shows it as such).
pub async fn schedule_question(
    db: &Db,
    viewer: &Viewer,
    id: i32,
    version: i32,
    publish_at: Option<DateTime<Utc>>,
    expire_at: Option<DateTime<Utc>>,
    rule: crate::domain::TwoPersonRule,
) -> AppResult<question::Model> {
    viewer.require(Permission::Publish)?;
    if publish_at.is_some() {
        // Publishing on schedule is publishing: the rule applies to who sets it up.
        questions_edit::check_two_person_rule(db, viewer, id, rule).await?;
    }
    if let (Some(publish), Some(expire)) = (publish_at, expire_at) {
        if expire <= publish {
            return Err(AppError::fields(vec![FieldError::new(
                "expireAt",
                "The expiry time must be after the publish time",
            )]));
        }
    }
    let mut update = question::Entity::update_many()
        .col_expr(question::Column::PublishAt, Expr::value(publish_at))
        .col_expr(question::Column::ExpireAt, Expr::value(expire_at));
    if publish_at.is_some() {
        update = update.filter(questions_edit::publication_schedulable());
    }
    let refusal = |row: &question::Model| {
        let why = match row.status {
            QuestionStatus::Archived => {
                "An archived question cannot be scheduled for publishing. Restore it first."
            }
            _ => "This question has no unpublished changes to schedule",
        };
        AppError::field("publishAt", why)
    };
    let detail = json!({ "publishAt": publish_at, "expireAt": expire_at });
    let event = Event::new(Change::Question(QuestionChange::Scheduled, id)).with(detail);
    let row = versioned::change(db, viewer, id, version, update, refusal, event).await?;
    Ok(row)
}
