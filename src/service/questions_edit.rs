//! Changing questions: every mutation is one transaction that checks the
//! version the editor started from, writes the row, a revision and an audit
//! event, or changes nothing.

use std::collections::HashSet;

use entity::{category, question, revision};
use sea_orm::sea_query::{Condition, Expr};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, DatabaseTransaction, EntityTrait,
    QueryFilter, QuerySelect, Set, UpdateMany,
};
use serde_json::json;

use super::audit::{self, AuditEntry};
use super::editing::{check_position, renumber, unused_slug};
use super::versioned::{self, Attempt};
use super::{now, revisions};
use crate::domain::{
    required_text, Permission, QuestionStatus, Slug, Viewer, MAX_ANSWER_LEN, MAX_NOTE_LEN,
    MAX_QUESTION_LEN,
};
use crate::error::{AppError, AppResult, FieldError};
use crate::markdown;

const NO_TIME: Option<chrono::DateTime<chrono::Utc>> = None;

pub struct NewQuestion<'a> {
    pub category_id: i32,
    pub question: &'a str,
    pub answer: &'a str,
    pub slug: Option<&'a str>,
}

#[derive(Default)]
pub struct QuestionChanges<'a> {
    pub question: Option<&'a str>,
    pub answer: Option<&'a str>,
    pub slug: Option<&'a str>,
    pub note: Option<&'a str>,
}

fn collect<T>(errors: &mut Vec<FieldError>, result: Result<T, FieldError>) -> Option<T> {
    result.map_err(|e| errors.push(e)).ok()
}

fn parse_note(errors: &mut Vec<FieldError>, note: Option<&str>) -> Option<String> {
    let note = note.map(str::trim).filter(|n| !n.is_empty())?;
    if note.chars().count() > MAX_NOTE_LEN {
        errors.push(FieldError::new(
            "note",
            format!("The note must be {MAX_NOTE_LEN} characters or fewer"),
        ));
        return None;
    }
    Some(note.to_owned())
}

async fn find_category(db: &DatabaseConnection, id: i32) -> AppResult<category::Model> {
    category::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::field("categoryId", "There is no category with this id"))
}

async fn page_slugs(db: &DatabaseConnection, page_id: i32) -> AppResult<HashSet<String>> {
    Ok(question::Entity::find()
        .select_only()
        .column(question::Column::Slug)
        .filter(question::Column::PageId.eq(page_id))
        .into_tuple::<String>()
        .all(db)
        .await?
        .into_iter()
        .collect())
}

async fn positions(
    conn: &impl sea_orm::ConnectionTrait,
    category_id: i32,
    except: i32,
) -> AppResult<Vec<(i32, i32)>> {
    versioned::positions::<question::Entity>(conn, category_id, except).await
}

async fn apply_positions(txn: &DatabaseTransaction, changes: Vec<(i32, i32)>) -> AppResult<()> {
    versioned::apply_positions::<question::Entity>(txn, changes).await
}

/// Runs a version-checked update. When no row changed, says why: the
/// question is gone (NOT_FOUND), someone else saved first (CONFLICT), or
/// the action does not apply in its current state (`not_allowed`).
async fn apply(
    txn: &DatabaseTransaction,
    viewer: &Viewer,
    id: i32,
    version: i32,
    update: UpdateMany<question::Entity>,
    not_allowed: impl FnOnce(&question::Model) -> AppError,
) -> AppResult<question::Model> {
    versioned::write(txn, Some(viewer), id, version, update)
        .await
        .map_err(super::constraints::on_write)?
        .checked(not_allowed)
}

async fn finish(
    txn: DatabaseTransaction,
    viewer: &Viewer,
    row: &question::Model,
    action: &str,
    note: Option<&str>,
) -> AppResult<()> {
    let detail = json!({ "version": row.version, "slug": row.slug });
    versioned::finish::<question::Entity>(txn, viewer, row, action, note, detail).await
}

pub async fn create(
    db: &DatabaseConnection,
    viewer: &Viewer,
    input: NewQuestion<'_>,
) -> AppResult<question::Model> {
    viewer.require(Permission::EditContent)?;
    let mut errors = Vec::new();
    let text = collect(
        &mut errors,
        required_text("question", "question", input.question, MAX_QUESTION_LEN),
    );
    let answer = collect(
        &mut errors,
        required_text("answer", "answer", input.answer, MAX_ANSWER_LEN),
    );
    let slug = input
        .slug
        .map(|s| collect(&mut errors, Slug::parse("slug", s)));
    if !errors.is_empty() {
        return Err(AppError::fields(errors));
    }
    let (text, answer) = (text.unwrap_or_default(), answer.unwrap_or_default());
    let category = find_category(db, input.category_id).await?;
    let slug = match slug.flatten() {
        Some(slug) => slug,
        None => unused_slug("question", &text, &page_slugs(db, category.page_id).await?)?,
    };
    let position = positions(db, category.id, 0).await?.len() as i32 + 1;
    let at = now();
    let (txn, _turn) = crate::db::begin_write(db).await?;
    let row = question::ActiveModel {
        page_id: Set(category.page_id),
        category_id: Set(category.id),
        slug: Set(slug.into_string()),
        position: Set(position),
        status: Set(QuestionStatus::Draft),
        answer_html: Set(markdown::to_html(&answer)),
        question: Set(text),
        answer: Set(answer),
        live_question: Set(None),
        live_answer: Set(None),
        live_answer_html: Set(None),
        publish_at: Set(None),
        expire_at: Set(None),
        version: Set(1),
        created_at: Set(at),
        created_by: Set(viewer.user_id()),
        updated_at: Set(at),
        updated_by: Set(viewer.user_id()),
        published_at: Set(None),
        published_by: Set(None),
        archived_at: Set(None),
        ..Default::default()
    }
    .insert(&txn)
    .await
    .map_err(super::constraints::on_write)?;
    finish(txn, viewer, &row, "question.create", None).await?;
    Ok(row)
}

pub async fn update(
    db: &DatabaseConnection,
    viewer: &Viewer,
    id: i32,
    version: i32,
    changes: QuestionChanges<'_>,
) -> AppResult<question::Model> {
    viewer.require(Permission::EditContent)?;
    let mut errors = Vec::new();
    let text = changes.question.and_then(|q| {
        collect(
            &mut errors,
            required_text("question", "question", q, MAX_QUESTION_LEN),
        )
    });
    let answer = changes.answer.and_then(|a| {
        collect(
            &mut errors,
            required_text("answer", "answer", a, MAX_ANSWER_LEN),
        )
    });
    let slug = changes
        .slug
        .and_then(|s| collect(&mut errors, Slug::parse("slug", s)));
    let note = parse_note(&mut errors, changes.note);
    if errors.is_empty()
        && changes.question.is_none()
        && changes.answer.is_none()
        && changes.slug.is_none()
    {
        errors.push(FieldError::new(
            "input",
            "Change the question, the answer or the slug",
        ));
    }
    if !errors.is_empty() {
        return Err(AppError::fields(errors));
    }
    let mut update = question::Entity::update_many();
    if let Some(text) = text {
        update = update.col_expr(question::Column::Question, Expr::value(text));
    }
    if let Some(answer) = answer {
        update = update
            .col_expr(
                question::Column::AnswerHtml,
                Expr::value(markdown::to_html(&answer)),
            )
            .col_expr(question::Column::Answer, Expr::value(answer));
    }
    if let Some(slug) = slug {
        update = update.col_expr(question::Column::Slug, Expr::value(slug.into_string()));
    }
    let (txn, _turn) = crate::db::begin_write(db).await?;
    let row = apply(&txn, viewer, id, version, update, |_| {
        AppError::internal(anyhow::anyhow!("unconditional update matched no row"))
    })
    .await?;
    finish(txn, viewer, &row, "question.update", note.as_deref()).await?;
    Ok(row)
}

/// Publish, unpublish, archive or restore: one state change each.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transition {
    Publish,
    Unpublish,
    Archive,
    Restore,
}

/// The columns publishing sets, by hand (`at` now) or on schedule (`at`
/// the publish time): the working copy goes live and nothing stays pending.
pub(crate) fn publishing(
    update: UpdateMany<question::Entity>,
    at: Expr,
) -> UpdateMany<question::Entity> {
    update
        .col_expr(
            question::Column::Status,
            Expr::value(QuestionStatus::Published),
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
        .col_expr(question::Column::PublishedAt, at)
        .col_expr(question::Column::PublishAt, Expr::value(NO_TIME))
}

/// The columns archiving sets, by hand (`at` now) or on schedule (`at` the
/// expiry time): nothing scheduled may bring it back or archive it again.
pub(crate) fn archiving(
    update: UpdateMany<question::Entity>,
    at: Expr,
) -> UpdateMany<question::Entity> {
    update
        .col_expr(
            question::Column::Status,
            Expr::value(QuestionStatus::Archived),
        )
        .col_expr(question::Column::ArchivedAt, at)
        .col_expr(question::Column::PublishAt, Expr::value(NO_TIME))
        .col_expr(question::Column::ExpireAt, Expr::value(NO_TIME))
}

pub async fn transition(
    db: &DatabaseConnection,
    viewer: &Viewer,
    id: i32,
    version: i32,
    transition: Transition,
) -> AppResult<question::Model> {
    viewer.require(Permission::Publish)?;
    let at = now();
    let update = question::Entity::update_many();
    let (update, action, refusal) = match transition {
        Transition::Publish => (
            publishing(update, Expr::value(Some(at)))
                .col_expr(question::Column::PublishedBy, Expr::value(viewer.user_id()))
                .filter(question::Column::Status.ne(QuestionStatus::Archived)),
            "question.publish",
            "Archived questions cannot be published. Restore it first.",
        ),
        Transition::Unpublish => (
            update
                .col_expr(question::Column::Status, Expr::value(QuestionStatus::Draft))
                // Unpublished by hand: an old publish time must not republish it.
                .col_expr(
                    question::Column::PublishAt,
                    Expr::value(Option::<chrono::DateTime<chrono::Utc>>::None),
                )
                .col_expr(
                    question::Column::LiveQuestion,
                    Expr::value(Option::<String>::None),
                )
                .col_expr(
                    question::Column::LiveAnswer,
                    Expr::value(Option::<String>::None),
                )
                .col_expr(
                    question::Column::LiveAnswerHtml,
                    Expr::value(Option::<String>::None),
                )
                .filter(question::Column::Status.eq(QuestionStatus::Published)),
            "question.unpublish",
            "Only a published question can be unpublished.",
        ),
        Transition::Archive => (
            archiving(update, Expr::value(Some(at)))
                .filter(question::Column::Status.ne(QuestionStatus::Archived)),
            "question.archive",
            "This question is already archived.",
        ),
        Transition::Restore => (
            update
                .col_expr(question::Column::Status, Expr::value(QuestionStatus::Draft))
                .col_expr(
                    question::Column::ArchivedAt,
                    Expr::value(Option::<chrono::DateTime<chrono::Utc>>::None),
                )
                .col_expr(
                    question::Column::LiveQuestion,
                    Expr::value(Option::<String>::None),
                )
                .col_expr(
                    question::Column::LiveAnswer,
                    Expr::value(Option::<String>::None),
                )
                .col_expr(
                    question::Column::LiveAnswerHtml,
                    Expr::value(Option::<String>::None),
                )
                .filter(question::Column::Status.eq(QuestionStatus::Archived)),
            "question.restore",
            "Only an archived question can be restored.",
        ),
    };
    let (txn, _turn) = crate::db::begin_write(db).await?;
    let row = apply(&txn, viewer, id, version, update, |_| {
        AppError::field("id", refusal)
    })
    .await?;
    finish(txn, viewer, &row, action, None).await?;
    Ok(row)
}

/// Deleting is for drafts never published, and for archived questions.
pub async fn delete(
    db: &DatabaseConnection,
    viewer: &Viewer,
    id: i32,
    version: i32,
) -> AppResult<question::Model> {
    viewer.require(Permission::Publish)?;
    // Read before the transaction: on SQLite a transaction that reads first
    // cannot always take the write lock later.
    let found = question::Entity::find_by_id(id).one(db).await?;
    let (txn, _turn) = crate::db::begin_write(db).await?;
    let deletable = Condition::any()
        .add(question::Column::Status.eq(QuestionStatus::Archived))
        .add(
            Condition::all()
                .add(question::Column::Status.eq(QuestionStatus::Draft))
                .add(question::Column::PublishedAt.is_null()),
        );
    let result = question::Entity::delete_many()
        .filter(question::Column::Id.eq(id))
        .filter(question::Column::Version.eq(version))
        .filter(deletable)
        .exec(&txn)
        .await?;
    let row = Attempt::<question::Entity>::new(result.rows_affected > 0, found, version)
        .checked(|_| {
            AppError::field(
                "id",
                "Only drafts that were never published, and archived questions, can be deleted. Archive it first.",
            )
        })?;
    revision::Entity::delete_many()
        .filter(revision::Column::ItemType.eq("question"))
        .filter(revision::Column::ItemId.eq(id))
        .exec(&txn)
        .await?;
    let siblings = positions(&txn, row.category_id, id).await?;
    apply_positions(&txn, renumber(&siblings, None)).await?;
    audit::record(
        &txn,
        viewer,
        AuditEntry::new("question.delete", "question", id)
            .with(json!({ "slug": row.slug, "question": row.question })),
    )
    .await?;
    txn.commit().await?;
    Ok(row)
}

pub async fn move_to(
    db: &DatabaseConnection,
    viewer: &Viewer,
    id: i32,
    version: i32,
    category_id: i32,
    position: i32,
) -> AppResult<question::Model> {
    viewer.require(Permission::EditContent)?;
    let target = find_category(db, category_id).await?;
    let places = positions(db, target.id, id).await?.len() + 1;
    check_position(position, places)?;
    let current = question::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::NotFound("There is no question with this id.".into()))?;
    let update = question::Entity::update_many()
        .col_expr(question::Column::CategoryId, Expr::value(target.id))
        .col_expr(question::Column::PageId, Expr::value(target.page_id))
        .col_expr(question::Column::Position, Expr::value(position));
    let (txn, _turn) = crate::db::begin_write(db).await?;
    let row = apply(&txn, viewer, id, version, update, |_| {
        AppError::internal(anyhow::anyhow!("unconditional move matched no row"))
    })
    .await?;
    let siblings = positions(&txn, target.id, id).await?;
    apply_positions(&txn, renumber(&siblings, Some((id, position)))).await?;
    if current.category_id != target.id {
        let left_behind = positions(&txn, current.category_id, id).await?;
        apply_positions(&txn, renumber(&left_behind, None)).await?;
    }
    finish(txn, viewer, &row, "question.move", None).await?;
    Ok(row)
}

/// Brings back the text of an earlier revision as the working copy: a new
/// version, which the public sees only once it is published. Like every
/// edit it carries the version the editor saw, so a restore never silently
/// overwrites a save made after the history was opened.
pub async fn restore_revision(
    db: &DatabaseConnection,
    viewer: &Viewer,
    question_id: i32,
    version: i32,
    revision_id: i32,
) -> AppResult<question::Model> {
    viewer.require(Permission::EditContent)?;
    let revision = revision::Entity::find_by_id(revision_id)
        .filter(revision::Column::ItemType.eq("question"))
        .filter(revision::Column::ItemId.eq(question_id))
        .one(db)
        .await?
        .ok_or_else(|| {
            AppError::field("revisionId", "This question has no revision with this id")
        })?;
    let snapshot = revisions::QuestionSnapshot::parse(&revision.snapshot)?;
    let update = question::Entity::update_many()
        .col_expr(question::Column::Question, Expr::value(snapshot.question))
        .col_expr(
            question::Column::AnswerHtml,
            Expr::value(markdown::to_html(&snapshot.answer)),
        )
        .col_expr(question::Column::Answer, Expr::value(snapshot.answer));
    let (txn, _turn) = crate::db::begin_write(db).await?;
    let row = apply(&txn, viewer, question_id, version, update, |row| {
        AppError::conflict("question", row.version)
    })
    .await?;
    let note = format!(
        "Restored from revision {revision_id} (version {})",
        revision.item_version
    );
    finish(txn, viewer, &row, "question.restore_revision", Some(&note)).await?;
    Ok(row)
}
