//! Scheduled changes. What readers see already honours `publishAt`,
//! `expireAt` and `retireAt` at read time; this records each due transition
//! (status change, revision, audit event) once. Every transition is a
//! version-checked update, so when several replicas run this at the same
//! moment exactly one of them records it.

use chrono::{DateTime, Utc};
use entity::{page, question};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QuerySelect, UpdateMany};
use serde_json::json;

use super::audit::{self, AuditEntry};
use super::{now, revisions};
use crate::domain::{PageStatus, Permission, QuestionStatus, Viewer};
use crate::error::{AppError, AppResult, FieldError};

const NO_TIME: Option<DateTime<Utc>> = None;

/// How many transitions were recorded by this run.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Recorded {
    pub published: usize,
    pub expired: usize,
    pub retired: usize,
}

async fn apply_question(
    db: &DatabaseConnection,
    id: i32,
    version: i32,
    update: UpdateMany<question::Entity>,
    action: &str,
) -> AppResult<bool> {
    let (txn, _turn) = crate::db::begin_write(db).await?;
    let result = update
        .col_expr(
            question::Column::Version,
            Expr::col(question::Column::Version).add(1),
        )
        .col_expr(question::Column::UpdatedAt, Expr::value(now()))
        .filter(question::Column::Id.eq(id))
        .filter(question::Column::Version.eq(version))
        .exec(&txn)
        .await?;
    if result.rows_affected != 1 {
        // Another replica (or an editor) got there first.
        return Ok(false);
    }
    let Some(row) = question::Entity::find_by_id(id).one(&txn).await? else {
        return Ok(false);
    };
    revisions::record(
        &txn,
        &Viewer::System,
        "question",
        id,
        row.version,
        revisions::question_snapshot(&row),
        Some("Scheduled"),
    )
    .await?;
    audit::record(
        &txn,
        &Viewer::System,
        AuditEntry::new(action, "question", id)
            .with(json!({ "version": row.version, "scheduled": true })),
    )
    .await?;
    txn.commit().await?;
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
        .add(question::Column::Status.eq(QuestionStatus::Draft.as_str()))
        .add(question::Column::PublishAt.lte(at));
    for (id, version) in due_questions(db, publish_due.clone()).await? {
        let update = question::Entity::update_many()
            .col_expr(
                question::Column::Status,
                Expr::value(QuestionStatus::Published.as_str()),
            )
            .col_expr(
                question::Column::LiveQuestion,
                Expr::col(question::Column::Question),
            )
            .col_expr(
                question::Column::LiveAnswer,
                Expr::col(question::Column::Answer),
            )
            .col_expr(
                question::Column::LiveAnswerHtml,
                Expr::col(question::Column::AnswerHtml),
            )
            .col_expr(
                question::Column::PublishedAt,
                Expr::col(question::Column::PublishAt),
            )
            .col_expr(question::Column::PublishAt, Expr::value(NO_TIME))
            .filter(publish_due.clone());
        recorded.published +=
            apply_question(db, id, version, update, "question.publish").await? as usize;
    }

    let expire_due = sea_orm::Condition::all()
        .add(question::Column::Status.ne(QuestionStatus::Archived.as_str()))
        .add(question::Column::ExpireAt.lte(at));
    for (id, version) in due_questions(db, expire_due.clone()).await? {
        let update = question::Entity::update_many()
            .col_expr(
                question::Column::Status,
                Expr::value(QuestionStatus::Archived.as_str()),
            )
            .col_expr(
                question::Column::ArchivedAt,
                Expr::col(question::Column::ExpireAt),
            )
            .col_expr(question::Column::ExpireAt, Expr::value(NO_TIME))
            .col_expr(question::Column::PublishAt, Expr::value(NO_TIME))
            .filter(expire_due.clone());
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
        let (txn, _turn) = crate::db::begin_write(db).await?;
        let result = page::Entity::update_many()
            .col_expr(
                page::Column::Status,
                Expr::value(PageStatus::Retired.as_str()),
            )
            .col_expr(page::Column::RetiredAt, Expr::col(page::Column::RetireAt))
            .col_expr(page::Column::RetireAt, Expr::value(NO_TIME))
            .col_expr(
                page::Column::Version,
                Expr::col(page::Column::Version).add(1),
            )
            .col_expr(page::Column::UpdatedAt, Expr::value(now()))
            .filter(page::Column::Id.eq(id))
            .filter(page::Column::Version.eq(version))
            .filter(retire_due.clone())
            .exec(&txn)
            .await?;
        if result.rows_affected != 1 {
            continue;
        }
        if let Some(row) = page::Entity::find_by_id(id).one(&txn).await? {
            revisions::record(
                &txn,
                &Viewer::System,
                "page",
                id,
                row.version,
                revisions::page_snapshot(&row),
                Some("Scheduled"),
            )
            .await?;
            audit::record(
                &txn,
                &Viewer::System,
                AuditEntry::new("page.retire", "page", id)
                    .with(json!({ "version": row.version, "scheduled": true })),
            )
            .await?;
        }
        txn.commit().await?;
        recorded.retired += 1;
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
        .col_expr(question::Column::ExpireAt, Expr::value(expire_at))
        .col_expr(question::Column::UpdatedBy, Expr::value(viewer.user_id()));
    if publish_at.is_some() {
        update = update.filter(question::Column::Status.eq(QuestionStatus::Draft.as_str()));
    }
    let (txn, _turn) = crate::db::begin_write(db).await?;
    let result = update
        .col_expr(
            question::Column::Version,
            Expr::col(question::Column::Version).add(1),
        )
        .col_expr(question::Column::UpdatedAt, Expr::value(now()))
        .filter(question::Column::Id.eq(id))
        .filter(question::Column::Version.eq(version))
        .exec(&txn)
        .await?;
    let row = question::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or_else(|| AppError::NotFound("There is no question with this id.".into()))?;
    if result.rows_affected == 0 {
        return Err(if row.version != version {
            AppError::conflict("question", row.version)
        } else {
            AppError::field("publishAt", "Only a draft can be scheduled for publishing")
        });
    }
    revisions::record(
        &txn,
        viewer,
        "question",
        id,
        row.version,
        revisions::question_snapshot(&row),
        None,
    )
    .await?;
    audit::record(
        &txn,
        viewer,
        AuditEntry::new("question.schedule", "question", id)
            .with(json!({ "publishAt": publish_at, "expireAt": expire_at })),
    )
    .await?;
    txn.commit().await?;
    Ok(row)
}
