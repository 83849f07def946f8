//! Review before publishing. An editor sends a question's or a page's
//! working copy for review with a message; publishers see what waits, and
//! publish it (with the usual publishing mutations) or send it back with a
//! comment. Each step is a revision of the item (at its current version:
//! the text does not change) and an audit event. Publishing the item ends
//! its review (`on_change`, a listener of every recorded change).

use entity::{page, question, review};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder, Set,
};

use super::changes::Event;
use super::{now, pages, unpublished, versioned, Db};
use crate::domain::{
    review_message, send_back_comment, Change, PageChange, Permission, QuestionChange,
    QuestionStatus, Viewer,
};
use crate::error::{AppError, AppResult};

pub const IN_REVIEW: &str = "in_review";
pub const SENT_BACK: &str = "sent_back";
const QUESTION: &str = "question";
const PAGE: &str = "page";

/// What a review is of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Item {
    Question(i32),
    Page(i32),
}

impl Item {
    fn parts(self) -> (&'static str, i32) {
        match self {
            Item::Question(id) => (QUESTION, id),
            Item::Page(id) => (PAGE, id),
        }
    }

    pub fn of(row: &review::Model) -> Item {
        if row.item_type == PAGE {
            Item::Page(row.item_id)
        } else {
            Item::Question(row.item_id)
        }
    }
}

fn this_review(item: Item) -> Condition {
    let (kind, id) = item.parts();
    Condition::all()
        .add(review::Column::ItemType.eq(kind))
        .add(review::Column::ItemId.eq(id))
}

/// The item's review, if it is in review or was sent back.
pub async fn of(conn: &impl ConnectionTrait, item: Item) -> AppResult<Option<review::Model>> {
    Ok(review::Entity::find()
        .filter(this_review(item))
        .one(conn)
        .await?)
}

/// True when the question has something readers do not see yet.
fn question_pending(row: &question::Model) -> bool {
    row.status != QuestionStatus::Archived && unpublished::question_change(row).is_some()
}

/// Sends a question's working copy at `version` for review.
pub async fn submit_question(
    db: &Db,
    viewer: &Viewer,
    id: i32,
    version: i32,
    message: Option<&str>,
) -> AppResult<question::Model> {
    viewer.require(Permission::EditContent)?;
    let message = review_message(message).map_err(|e| AppError::fields(vec![e]))?;
    let (txn, _turn) = crate::db::begin_write(db).await?;
    let row = current::<question::Entity>(&txn, id, version, "question").await?;
    if !question_pending(&row) {
        return Err(AppError::field(
            "id",
            "There is nothing to review: readers already see this question as it is",
        ));
    }
    let item = Item::Question(id);
    open(&txn, viewer, item, row.page_id, version, message.clone()).await?;
    let event = Event::new(Change::Question(QuestionChange::SubmittedForReview, id))
        .noted(message.as_deref());
    versioned::record::<question::Entity>(&txn, viewer, &row, event).await?;
    txn.commit().await?;
    Ok(row)
}

/// Sends the page's own working copy (its text, categories and order) at
/// `version` for review.
pub async fn submit_page(
    db: &Db,
    viewer: &Viewer,
    id: i32,
    version: i32,
    message: Option<&str>,
) -> AppResult<page::Model> {
    viewer.require(Permission::EditContent)?;
    let message = review_message(message).map_err(|e| AppError::fields(vec![e]))?;
    let (txn, _turn) = crate::db::begin_write(db).await?;
    let row = current::<page::Entity>(&txn, id, version, "page").await?;
    if !pages::has_unpublished_changes(&txn, &row).await? {
        return Err(AppError::field(
            "id",
            "There is nothing to review: readers already see this page's text, categories and order as they are",
        ));
    }
    open(&txn, viewer, Item::Page(id), id, version, message.clone()).await?;
    let event =
        Event::new(Change::Page(PageChange::SubmittedForReview, id)).noted(message.as_deref());
    versioned::record::<page::Entity>(&txn, viewer, &row, event).await?;
    txn.commit().await?;
    Ok(row)
}

/// Sends a question in review back to its editor with a comment (publishers).
pub async fn send_back_question(
    db: &Db,
    viewer: &Viewer,
    id: i32,
    version: i32,
    comment: &str,
) -> AppResult<question::Model> {
    viewer.require(Permission::Publish)?;
    let comment = send_back_comment(comment).map_err(|e| AppError::fields(vec![e]))?;
    let (txn, _turn) = crate::db::begin_write(db).await?;
    let row = current::<question::Entity>(&txn, id, version, "question").await?;
    close_with_comment(&txn, viewer, Item::Question(id), &comment).await?;
    let event =
        Event::new(Change::Question(QuestionChange::SentBack, id)).noted(Some(comment.as_str()));
    versioned::record::<question::Entity>(&txn, viewer, &row, event).await?;
    txn.commit().await?;
    Ok(row)
}

/// Sends a page in review back to its editor with a comment (publishers).
pub async fn send_back_page(
    db: &Db,
    viewer: &Viewer,
    id: i32,
    version: i32,
    comment: &str,
) -> AppResult<page::Model> {
    viewer.require(Permission::Publish)?;
    let comment = send_back_comment(comment).map_err(|e| AppError::fields(vec![e]))?;
    let (txn, _turn) = crate::db::begin_write(db).await?;
    let row = current::<page::Entity>(&txn, id, version, "page").await?;
    close_with_comment(&txn, viewer, Item::Page(id), &comment).await?;
    let event = Event::new(Change::Page(PageChange::SentBack, id)).noted(Some(comment.as_str()));
    versioned::record::<page::Entity>(&txn, viewer, &row, event).await?;
    txn.commit().await?;
    Ok(row)
}

/// The row at `version`: gone, or someone else changed it since.
async fn current<E: versioned::Versioned>(
    conn: &impl ConnectionTrait,
    id: i32,
    version: i32,
    what: &str,
) -> AppResult<E::Model> {
    let row = E::find()
        .filter(E::ID.eq(id))
        .one(conn)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("There is no {what} with this id.")))?;
    let current = E::version_of(&row);
    if current != version {
        return Err(AppError::conflict(what, current));
    }
    Ok(row)
}

/// The item is in review from now, with `message`: a new review, or the
/// same one again (after it was sent back, or with a newer version).
async fn open(
    conn: &impl ConnectionTrait,
    viewer: &Viewer,
    item: Item,
    page_id: i32,
    version: i32,
    message: Option<String>,
) -> AppResult<()> {
    let (kind, id) = item.parts();
    review::Entity::delete_many()
        .filter(this_review(item))
        .exec(conn)
        .await?;
    review::ActiveModel {
        item_type: Set(kind.to_owned()),
        item_id: Set(id),
        page_id: Set(page_id),
        state: Set(IN_REVIEW.to_owned()),
        message: Set(message),
        sent_by: Set(viewer.user_id()),
        sent_at: Set(now()),
        sent_version: Set(version),
        comment: Set(None),
        returned_by: Set(None),
        returned_at: Set(None),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    Ok(())
}

async fn close_with_comment(
    conn: &impl ConnectionTrait,
    viewer: &Viewer,
    item: Item,
    comment: &str,
) -> AppResult<()> {
    let waiting = of(conn, item).await?.filter(|r| r.state == IN_REVIEW);
    let Some(waiting) = waiting else {
        return Err(AppError::field("id", "This is not waiting for review"));
    };
    let mut active: review::ActiveModel = waiting.into();
    active.state = Set(SENT_BACK.to_owned());
    active.comment = Set(Some(comment.to_owned()));
    active.returned_by = Set(viewer.user_id());
    active.returned_at = Set(Some(now()));
    active.update(conn).await?;
    Ok(())
}

/// A listener of every recorded change: publishing an item ends its review.
pub(super) async fn on_change(conn: &impl ConnectionTrait, change: Change) -> AppResult<()> {
    let item = match change {
        Change::Question(QuestionChange::Published, id) => Item::Question(id),
        Change::Page(PageChange::Published, id) => Item::Page(id),
        _ => return Ok(()),
    };
    review::Entity::delete_many()
        .filter(this_review(item))
        .exec(conn)
        .await?;
    Ok(())
}

/// What waits for review, oldest first (publishers and admins).
pub async fn queue(db: &Db, viewer: &Viewer) -> AppResult<Vec<review::Model>> {
    viewer.require(Permission::Publish)?;
    Ok(review::Entity::find()
        .filter(review::Column::State.eq(IN_REVIEW))
        .order_by_asc(review::Column::SentAt)
        .order_by_asc(review::Column::Id)
        .all(db)
        .await?)
}

/// How many items wait for review (publishers and admins; 0 for others).
pub async fn waiting_count(db: &Db, viewer: &Viewer) -> AppResult<u64> {
    use sea_orm::PaginatorTrait;
    if !viewer.may(Permission::Publish) {
        return Ok(0);
    }
    Ok(review::Entity::find()
        .filter(review::Column::State.eq(IN_REVIEW))
        .count(db)
        .await?)
}

/// Someone's work: the questions they changed last that readers do not
/// see yet and that are not in review, what they sent for review, and
/// what came back.
pub struct MyWork {
    pub drafts: Vec<question::Model>,
    pub sent: Vec<review::Model>,
    pub returned: Vec<review::Model>,
}

pub async fn my_work(db: &Db, viewer: &Viewer) -> AppResult<MyWork> {
    viewer.require(Permission::EditContent)?;
    let me = viewer.user_id();
    let mine = review::Entity::find()
        .filter(review::Column::SentBy.eq(me))
        .order_by_desc(review::Column::SentAt)
        .all(db)
        .await?;
    let reviewed: Vec<i32> = mine
        .iter()
        .filter(|r| r.item_type == QUESTION)
        .map(|r| r.item_id)
        .collect();
    let last_changed_by_me = Condition::any()
        .add(question::Column::UpdatedBy.eq(me))
        .add(
            Condition::all()
                .add(question::Column::UpdatedBy.is_null())
                .add(question::Column::CreatedBy.eq(me)),
        );
    let drafts = question::Entity::find()
        .filter(last_changed_by_me)
        .filter(question::Column::Status.ne(QuestionStatus::Archived))
        .filter(question::Column::Id.is_not_in(reviewed))
        .order_by_desc(question::Column::UpdatedAt)
        .all(db)
        .await?
        .into_iter()
        .filter(question_pending)
        .collect();
    let (sent, returned) = mine.into_iter().partition(|r| r.state == IN_REVIEW);
    Ok(MyWork {
        drafts,
        sent,
        returned,
    })
}

/// True when the item changed after it was sent (its version moved on).
pub fn changed_since_sent(review: &review::Model, current_version: i32) -> bool {
    current_version != review.sent_version
}
