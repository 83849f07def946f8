//! Scheduled changes. What readers see already honours `publishAt`,
//! `expireAt` and `retireAt` at read time; this records each due transition
//! (status change, revision, audit event) once. Every transition is a
//! version-checked update, so when several replicas run this at the same
//! moment exactly one of them records it.

use chrono::{DateTime, Utc};
use entity::{page, question};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QuerySelect, UpdateMany};
use serde_json::json;

use super::now;
use super::pages_edit::retiring;
use super::questions_edit::{archiving, publishing};
use super::versioned::{self, Revisioned};
use crate::domain::{Permission, QuestionStatus, Viewer};
use crate::error::{AppError, AppResult, FieldError};

/// How many transitions were recorded by this run.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Recorded {
    pub published: usize,
    pub expired: usize,
    pub retired: usize,
}

/// Records one due transition of a question; false when another replica
/// (or an editor) got there first.
async fn apply_question(
    db: &DatabaseConnection,
    id: i32,
    version: i32,
    update: UpdateMany<question::Entity>,
    action: &str,
) -> AppResult<bool> {
    apply::<question::Entity>(db, id, version, update, action).await
}

/// One scheduled change: the versioned write, then its revision and audit
/// event as the system, or nothing when the row moved on.
async fn apply<E: Revisioned>(
    db: &DatabaseConnection,
    id: i32,
    version: i32,
    update: UpdateMany<E>,
    action: &str,
) -> AppResult<bool> {
    let (txn, _turn) = crate::db::begin_write(db).await?;
    let Some(row) = versioned::write(&txn, None, id, version, update)
        .await?
        .written()
    else {
        return Ok(false);
    };
    let detail = json!({ "version": E::version_of(&row), "scheduled": true });
    versioned::finish::<E>(
        txn,
        &Viewer::System,
        &row,
        action,
        Some("Scheduled"),
        detail,
    )
    .await?;
    Ok(true)
}

async fn due_questions(
    db: &DatabaseConnection,
    condition: sea_orm::Condition,
) -> AppResult<Vec<(i32, i32)>> {
    Ok(question::Entity::find()
        .select_only()
        .column(question::Column::Id)
        .column(question::Column::Version)
        .filter(condition)
        .into_tuple::<(i32, i32)>()
        .all(db)
        .await?)
}

pub async fn record_due(db: &DatabaseConnection) -> AppResult<Recorded> {
    let at = now();
    let mut recorded = Recorded::default();

    let publish_due = sea_orm::Condition::all()
        .add(question::Column::Status.eq(QuestionStatus::Draft))
        .add(question::Column::PublishAt.lte(at));
    for (id, version) in due_questions(db, publish_due.clone()).await? {
        let at = Expr::col(question::Column::PublishAt);
        let update = publishing(question::Entity::update_many(), at).filter(publish_due.clone());
        recorded.published +=
            apply_question(db, id, version, update, "question.publish").await? as usize;
    }

    let expire_due = sea_orm::Condition::all()
        .add(question::Column::Status.ne(QuestionStatus::Archived))
        .add(question::Column::ExpireAt.lte(at));
    for (id, version) in due_questions(db, expire_due.clone()).await? {
        let at = Expr::col(question::Column::ExpireAt);
        let update = archiving(question::Entity::update_many(), at).filter(expire_due.clone());
        recorded.expired +=
            apply_question(db, id, version, update, "question.expire").await? as usize;
    }

    let retire_due = super::pages::retirement_due(at);
    let pages: Vec<(i32, i32)> = page::Entity::find()
        .select_only()
        .column(page::Column::Id)
        .column(page::Column::Version)
        .filter(retire_due.clone())
        .into_tuple()
        .all(db)
        .await?;
    for (id, version) in pages {
        let at = Expr::col(page::Column::RetireAt);
        let update = retiring(page::Entity::update_many(), at).filter(retire_due.clone());
        recorded.retired +=
            apply::<page::Entity>(db, id, version, update, "page.retire").await? as usize;
    }
    Ok(recorded)
}

/// Runs `record_due` every `period` until the process stops; wakes the
/// webhook worker when it recorded something.
pub fn spawn(
    db: DatabaseConnection,
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
/// Publishing can only be scheduled for a draft.
pub async fn schedule_question(
    db: &DatabaseConnection,
    viewer: &Viewer,
    id: i32,
    version: i32,
    publish_at: Option<DateTime<Utc>>,
    expire_at: Option<DateTime<Utc>>,
) -> AppResult<question::Model> {
    viewer.require(Permission::Publish)?;
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
        update = update.filter(question::Column::Status.eq(QuestionStatus::Draft));
    }
    let (txn, _turn) = crate::db::begin_write(db).await?;
    let row = versioned::write(&txn, Some(viewer), id, version, update)
        .await?
        .checked(|_| {
            AppError::field("publishAt", "Only a draft can be scheduled for publishing")
        })?;
    let detail = json!({ "publishAt": publish_at, "expireAt": expire_at });
    versioned::finish::<question::Entity>(txn, viewer, &row, "question.schedule", None, detail)
        .await?;
    Ok(row)
}
