//! Changing questions: every mutation is one transaction that checks the
//! version the editor started from, writes the row, a revision and an audit
//! event, or changes nothing.

use chrono::{DateTime, Utc};
use entity::{category, question, revision};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter, Set, UpdateMany};
use serde_json::json;

use super::changes::{self, Event};
use super::editing::{
    check_position, first_version, given_or_unused_slug, renumber, SetGiven, Submission,
};
use super::versioned::{self, Attempt};
use super::Db;
use super::{categories_edit, page_updates, published};
use super::{now, revisions};
use crate::domain::{
    question_deletable, Change, Permission, QuestionChange, QuestionStatus, Slug, TwoPersonRule,
    Viewer, MAX_ANSWER_LEN, MAX_NOTE_LEN, MAX_QUESTION_LEN,
};
use crate::error::{AppError, AppResult};
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

fn parse_note(input: &mut Submission, note: Option<&str>) -> Option<String> {
    let note = note.map(str::trim).filter(|n| !n.is_empty())?;
    if note.chars().count() > MAX_NOTE_LEN {
        let message = format!("The note must be {MAX_NOTE_LEN} characters or fewer");
        input.refuse("note", message);
        return None;
    }
    Some(note.to_owned())
}

async fn find_category(db: &Db, id: i32) -> AppResult<category::Model> {
    category::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::field("categoryId", "There is no category with this id"))
}

/// The event of the change `made` to question `id`.
fn made_to(id: i32, made: QuestionChange) -> Event {
    Event::new(Change::Question(made, id))
}

pub async fn create(
    db: &Db,
    viewer: &Viewer,
    input: NewQuestion<'_>,
) -> AppResult<question::Model> {
    viewer.require(Permission::EditContent)?;
    let mut submitted = Submission::new();
    let text = Some(input.question);
    let text = submitted.text("question", "question", text, MAX_QUESTION_LEN);
    let answer = Some(input.answer);
    let answer = submitted.text("answer", "answer", answer, MAX_ANSWER_LEN);
    let slug = submitted.slug(input.slug);
    submitted.check()?;
    let (text, answer) = (text.unwrap_or_default(), answer.unwrap_or_default());
    let category = find_category(db, input.category_id).await?;
    let on_the_page =
        question::Entity::find().filter(question::Column::PageId.eq(category.page_id));
    let slug_column = question::Column::Slug;
    let slug = given_or_unused_slug(db, slug, "question", &text, on_the_page, slug_column).await?;
    let position = versioned::positions::<question::Entity>(db, category.id, 0)
        .await?
        .len() as i32
        + 1;
    let at = now();
    let (txn, _turn) = crate::db::begin_write(db).await?;
    let row = first_version!(question::ActiveModel {
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
        published_at: Set(None),
        published_by: Set(None),
        archived_at: Set(None),
    }, by: viewer, at: at);
    let made = |id| Change::Question(QuestionChange::Created, id);
    versioned::create(txn, viewer, row, made).await
}

pub async fn update(
    db: &Db,
    viewer: &Viewer,
    id: i32,
    version: i32,
    changes: QuestionChanges<'_>,
) -> AppResult<question::Model> {
    viewer.require(Permission::EditContent)?;
    let mut input = Submission::new();
    let text = input.text("question", "question", changes.question, MAX_QUESTION_LEN);
    let answer = input.text("answer", "answer", changes.answer, MAX_ANSWER_LEN);
    let slug = input.slug(changes.slug);
    let note = parse_note(&mut input, changes.note);
    let gives_nothing =
        changes.question.is_none() && changes.answer.is_none() && changes.slug.is_none();
    let ask = "Change the question, the answer or the slug";
    input.ask_for_a_change(gives_nothing, ask);
    input.check()?;
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
    update = update.set_given(question::Column::Slug, slug.map(Slug::into_string));
    let unconditional = |_: &question::Model| {
        AppError::internal(anyhow::anyhow!("unconditional update matched no row"))
    };
    let event = made_to(id, QuestionChange::Updated).noted(note.as_deref());
    versioned::change(db, viewer, id, version, update, unconditional, event).await
}

/// Publish, unpublish, archive or restore: one state change each.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transition {
    Publish,
    Unpublish,
    Archive,
    Restore,
}

/// The statuses whose publish time publishes the working copy: a draft's
/// first publication, or a published question's scheduled change.
const SCHEDULABLE: [QuestionStatus; 2] = [QuestionStatus::Draft, QuestionStatus::Published];

/// A question whose publish time has come by `at`: a draft to be published,
/// or a published question whose working copy replaces its live text.
/// From that time readers see the working copy, whenever the background
/// task records it (`publication_due` says the same of one row).
pub(crate) fn publish_due(at: DateTime<Utc>) -> Condition {
    Condition::all()
        .add(question::Column::Status.is_in(SCHEDULABLE))
        .add(question::Column::PublishAt.lte(at))
}

/// `publish_due`, of one row read.
pub(crate) fn publication_due(row: &question::Model, at: DateTime<Utc>) -> bool {
    SCHEDULABLE.contains(&row.status) && row.publish_at.is_some_and(|publish| publish <= at)
}

/// Whether a publish time may be set: for a draft, or for a published
/// question whose working copy differs from what readers see.
pub(crate) fn publication_schedulable() -> Condition {
    let changed_since_published = Condition::all()
        .add(question::Column::Status.eq(QuestionStatus::Published))
        .add(published::differs_in_sql::<question::Entity>(
            &published::QUESTION_TEXT,
        ));
    Condition::any()
        .add(question::Column::Status.eq(QuestionStatus::Draft))
        .add(changed_since_published)
}

/// A question not yet archived whose expiry time has come by `at`.
pub(crate) fn expiry_due(at: DateTime<Utc>) -> Condition {
    Condition::all()
        .add(question::Column::Status.ne(QuestionStatus::Archived))
        .add(question::Column::ExpireAt.lte(at))
}

/// Empties the live copy: nothing of it stays public.
fn without_live_copy(update: UpdateMany<question::Entity>) -> UpdateMany<question::Entity> {
    update
        .col_expr(question::Column::LiveQuestion, Expr::value(NO_TEXT))
        .col_expr(question::Column::LiveAnswer, Expr::value(NO_TEXT))
        .col_expr(question::Column::LiveAnswerHtml, Expr::value(NO_TEXT))
}

const NO_TEXT: Option<String> = None;

/// The update a transition makes, the change it records and why it may be
/// refused. By hand it happens now and needs the right state; on schedule
/// (`Viewer::Schedule`) it is dated by the time that was set, and applies
/// only while that time is still set and due.
fn transition_update(
    viewer: &Viewer,
    transition: Transition,
    at: DateTime<Utc>,
) -> (UpdateMany<question::Entity>, QuestionChange, &'static str) {
    let update = question::Entity::update_many();
    let scheduled = viewer.on_schedule();
    match transition {
        Transition::Publish => {
            let update = if scheduled {
                let when = Expr::col(question::Column::PublishAt);
                publishing(update, when).filter(publish_due(at))
            } else {
                publishing(update, Expr::value(Some(at)))
                    .col_expr(question::Column::PublishedBy, Expr::value(viewer.user_id()))
                    .filter(question::Column::Status.ne(QuestionStatus::Archived))
            };
            let refusal = "Archived questions cannot be published. Restore it first.";
            (update, QuestionChange::Published, refusal)
        }
        Transition::Unpublish => (
            // Unpublished by hand: an old publish time must not republish it.
            back_to_draft(
                update,
                QuestionStatus::Published,
                question::Column::PublishAt,
            ),
            QuestionChange::Unpublished,
            "Only a published question can be unpublished.",
        ),
        Transition::Archive if scheduled => (
            archiving(update, Expr::col(question::Column::ExpireAt)).filter(expiry_due(at)),
            QuestionChange::Expired,
            "This question is already archived.",
        ),
        Transition::Archive => (
            archiving(update, Expr::value(Some(at)))
                .filter(question::Column::Status.ne(QuestionStatus::Archived)),
            QuestionChange::Archived,
            "This question is already archived.",
        ),
        Transition::Restore => (
            back_to_draft(
                update,
                QuestionStatus::Archived,
                question::Column::ArchivedAt,
            ),
            QuestionChange::Restored,
            "Only an archived question can be restored.",
        ),
    }
}

/// Back to a draft with no live copy, only from `from`; the time in
/// `cleared` is emptied so that it cannot act again.
fn back_to_draft(
    update: UpdateMany<question::Entity>,
    from: QuestionStatus,
    cleared: question::Column,
) -> UpdateMany<question::Entity> {
    without_live_copy(update)
        .col_expr(question::Column::Status, Expr::value(QuestionStatus::Draft))
        .col_expr(cleared, Expr::value(NO_TIME))
        .filter(question::Column::Status.eq(from))
}

/// The columns publishing sets: the working copy goes live and nothing
/// stays pending.
fn publishing(update: UpdateMany<question::Entity>, at: Expr) -> UpdateMany<question::Entity> {
    use sea_orm::sea_query::ExprTrait;
    let update = update
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
        .col_expr(question::Column::PublishAt, Expr::value(NO_TIME));
    // A question readers do not see yet (never published, or unpublished
    // since) is published where it now stands; one they see keeps its
    // published place, which only publishing its page changes.
    let unseen = Expr::col(question::Column::LiveQuestion).is_null();
    published::publishing(update, &published::QUESTION_PLACE, Some(unseen))
}

/// The columns archiving sets: nothing scheduled may bring it back or
/// archive it again.
fn archiving(update: UpdateMany<question::Entity>, at: Expr) -> UpdateMany<question::Entity> {
    update
        .col_expr(
            question::Column::Status,
            Expr::value(QuestionStatus::Archived),
        )
        .col_expr(question::Column::ArchivedAt, at)
        .col_expr(question::Column::PublishAt, Expr::value(NO_TIME))
        .col_expr(question::Column::ExpireAt, Expr::value(NO_TIME))
}

/// Publish, unpublish, archive or restore, by a publisher or on schedule.
pub async fn transition(
    db: &Db,
    viewer: &Viewer,
    id: i32,
    version: i32,
    transition: Transition,
) -> AppResult<question::Model> {
    change_state(db, viewer, id, version, transition, None).await
}

/// Publishes the question's working copy, with a public change note that
/// readers see under the page's updates.
pub async fn publish(
    db: &Db,
    viewer: &Viewer,
    id: i32,
    version: i32,
    change_note: Option<&str>,
    rule: TwoPersonRule,
) -> AppResult<question::Model> {
    viewer.require(Permission::Publish)?;
    let note = crate::domain::change_note(change_note).map_err(|e| AppError::fields(vec![e]))?;
    check_two_person_rule(db, viewer, id, rule).await?;
    change_state(db, viewer, id, version, Transition::Publish, note).await
}

/// Refuses `viewer` publishing (or scheduling) question `id` when the rule
/// is on and they changed it last.
pub(super) async fn check_two_person_rule(
    db: &Db,
    viewer: &Viewer,
    id: i32,
    rule: TwoPersonRule,
) -> AppResult<()> {
    if let Some(row) = question::Entity::find_by_id(id).one(db).await? {
        rule.check(viewer, row.updated_by.or(row.created_by), "this question")?;
    }
    Ok(())
}

async fn change_state(
    db: &Db,
    viewer: &Viewer,
    id: i32,
    version: i32,
    transition: Transition,
    change_note: Option<String>,
) -> AppResult<question::Model> {
    viewer.require(Permission::Publish)?;
    let (txn, _turn) = crate::db::begin_write(db).await?;
    let row = state_changed(&txn, viewer, id, version, transition).await?;
    if transition == Transition::Publish {
        let at = row.published_at.unwrap_or_else(now);
        page_updates::record(&txn, viewer, row.page_id, at, change_note).await?;
    }
    txn.commit().await?;
    Ok(row)
}

/// Publishes the question's working copy as one change among several in
/// `txn` (a page's selected changes), which the caller commits with its
/// change note.
pub(super) async fn publish_within(
    txn: &sea_orm::DatabaseTransaction,
    viewer: &Viewer,
    id: i32,
    version: i32,
) -> AppResult<question::Model> {
    state_changed(txn, viewer, id, version, Transition::Publish).await
}

/// The state change, its revision and its event, in `txn`.
async fn state_changed(
    txn: &sea_orm::DatabaseTransaction,
    viewer: &Viewer,
    id: i32,
    version: i32,
    transition: Transition,
) -> AppResult<question::Model> {
    viewer.require(Permission::Publish)?;
    let (update, made, refusal) = transition_update(viewer, transition, now());
    let refuse = |_: &question::Model| AppError::field("id", refusal);
    let row = versioned::write_checked(txn, viewer, id, version, update, refuse).await?;
    if transition == Transition::Publish {
        // The first question readers see in a new category shows it.
        let category = row.published_category_id.unwrap_or(row.category_id);
        categories_edit::publish_first_time(txn, category).await?;
    }
    versioned::record::<question::Entity>(txn, viewer, &row, made_to(id, made)).await?;
    Ok(row)
}

/// Deletes a question, with its revisions, if the domain's rule allows it
/// (`question_deletable`).
pub async fn delete(db: &Db, viewer: &Viewer, id: i32, version: i32) -> AppResult<question::Model> {
    viewer.require(Permission::Publish)?;
    let (txn, _turn) = crate::db::begin_write(db).await?;
    let found = question::Entity::find_by_id(id).one(&txn).await?;
    if let Some(row) = found.as_ref().filter(|row| row.version == version) {
        if !question_deletable(row.status, row.published_at.is_some()) {
            return Err(AppError::field(
                "id",
                "Only drafts that were never published, and archived questions, can be deleted. Archive it first.",
            ));
        }
    }
    // The version filter refuses a delete that raced another change.
    let result = question::Entity::delete_many()
        .filter(question::Column::Id.eq(id))
        .filter(question::Column::Version.eq(version))
        .exec(&txn)
        .await?;
    let row = Attempt::<question::Entity>::new(result.rows_affected > 0, found, version)
        .checked(|row| AppError::conflict("question", row.version))?;
    revision::Entity::delete_many()
        .filter(revision::Column::ItemType.eq("question"))
        .filter(revision::Column::ItemId.eq(id))
        .exec(&txn)
        .await?;
    let siblings = versioned::positions::<question::Entity>(&txn, row.category_id, id).await?;
    versioned::apply_positions::<question::Entity>(&txn, renumber(&siblings, None)).await?;
    let detail = json!({ "slug": row.slug, "question": row.question });
    let event = Event::new(Change::Question(QuestionChange::Deleted, id)).with(detail);
    changes::record(&txn, viewer, event).await?;
    txn.commit().await?;
    Ok(row)
}

pub async fn move_to(
    db: &Db,
    viewer: &Viewer,
    id: i32,
    version: i32,
    category_id: i32,
    position: i32,
) -> AppResult<question::Model> {
    viewer.require(Permission::EditContent)?;
    let target = find_category(db, category_id).await?;
    let places = versioned::positions::<question::Entity>(db, target.id, id)
        .await?
        .len()
        + 1;
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
    let row = versioned::write_checked(&txn, viewer, id, version, update, |_| {
        AppError::internal(anyhow::anyhow!("unconditional move matched no row"))
    })
    .await?;
    let siblings = versioned::positions::<question::Entity>(&txn, target.id, id).await?;
    let placed = renumber(&siblings, Some((id, position)));
    versioned::apply_positions::<question::Entity>(&txn, placed).await?;
    if current.category_id != target.id {
        let left_behind =
            versioned::positions::<question::Entity>(&txn, current.category_id, id).await?;
        versioned::apply_positions::<question::Entity>(&txn, renumber(&left_behind, None)).await?;
    }
    let event = made_to(id, QuestionChange::Moved);
    versioned::finish::<question::Entity>(txn, viewer, &row, event).await?;
    Ok(row)
}

/// Brings back the text of an earlier revision as the working copy: a new
/// version, which the public sees only once it is published. Like every
/// edit it carries the version the editor saw, so a restore never silently
/// overwrites a save made after the history was opened.
pub async fn restore_revision(
    db: &Db,
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
    let conflict = |row: &question::Model| AppError::conflict("question", row.version);
    // Editors know versions; revision ids are internal.
    let note = format!("Restored from version {}", revision.item_version);
    let event = made_to(question_id, QuestionChange::RevisionRestored).noted(Some(&note));
    versioned::change(db, viewer, question_id, version, update, conflict, event).await
}
