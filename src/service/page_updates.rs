//! What readers were shown, and when: a row each time something on a page
//! is published, with the public change note given with it. Readers see
//! the page's "Last updated" date (the newest row) and its notes.

use chrono::{DateTime, Utc};
use entity::page_update;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};

use super::Db;
use crate::domain::Viewer;
use crate::error::AppResult;

/// Records that something on page `page_id` was published `at`, with its
/// change note. Called inside the publishing transaction.
pub async fn record(
    conn: &impl ConnectionTrait,
    viewer: &Viewer,
    page_id: i32,
    at: DateTime<Utc>,
    note: Option<String>,
) -> AppResult<()> {
    page_update::ActiveModel {
        page_id: Set(page_id),
        published_at: Set(at),
        note: Set(note),
        published_by: Set(viewer.user_id()),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    Ok(())
}

/// When readers were last shown something new on the page.
pub async fn last_updated(db: &Db, page_id: i32) -> AppResult<Option<DateTime<Utc>>> {
    Ok(page_update::Entity::find()
        .select_only()
        .column_as(page_update::Column::PublishedAt.max(), "last")
        .filter(page_update::Column::PageId.eq(page_id))
        .into_tuple::<Option<DateTime<Utc>>>()
        .one(db)
        .await?
        .flatten())
}

/// The page's change notes, newest first: up to `limit` older than
/// `before_id`, and how many there are.
pub async fn notes(
    db: &Db,
    page_id: i32,
    before_id: Option<i32>,
    limit: u64,
) -> AppResult<(Vec<page_update::Model>, u64)> {
    let with_notes = with_notes(page_id);
    super::paging::newest_first(db, with_notes, page_update::Column::Id, before_id, limit).await
}

fn with_notes(page_id: i32) -> sea_orm::Select<page_update::Entity> {
    page_update::Entity::find()
        .filter(page_update::Column::PageId.eq(page_id))
        .filter(page_update::Column::Note.is_not_null())
}

/// What readers are told of a page's updates: when it was last updated and
/// the newest change notes.
#[derive(Debug, Clone, Default)]
pub struct PublicUpdates {
    pub last_updated: Option<DateTime<Utc>>,
    pub notes: Vec<page_update::Model>,
}

/// The most notes a page lists; GraphQL pages through all of them.
const NOTES_SHOWN: u64 = 50;

pub async fn public_updates(db: &Db, page_id: i32) -> AppResult<PublicUpdates> {
    let last_updated = last_updated(db, page_id).await?;
    // The newest notes only: the page needs no count, so none is made.
    let notes = with_notes(page_id)
        .order_by_desc(page_update::Column::Id)
        .limit(NOTES_SHOWN)
        .all(db)
        .await?;
    Ok(PublicUpdates {
        last_updated,
        notes,
    })
}
