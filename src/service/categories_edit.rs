//! Changing categories: create, rename, reorder, archive, restore, delete.

use entity::{category, page, question};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, Set};
use serde_json::json;

use super::changes::{self, Event};
use super::editing::{
    check_position, first_version, given_or_unused_slug, renumber, SetGiven, Submission,
};
use super::now;
use super::versioned;
use super::Db;
use crate::domain::{CategoryChange, Change, Permission, Slug, Viewer, MAX_TITLE_LEN};
use crate::error::{AppError, AppResult};

/// Refuses with `message` about the category.
fn refuse(message: &'static str) -> impl FnOnce(&category::Model) -> AppError {
    move |_| AppError::field("id", message)
}

pub async fn create(
    db: &Db,
    viewer: &Viewer,
    page_id: i32,
    title: &str,
    slug: Option<&str>,
) -> AppResult<category::Model> {
    viewer.require(Permission::EditContent)?;
    let mut input = Submission::new();
    let title = input.text("title", "category title", Some(title), MAX_TITLE_LEN);
    let slug = input.slug(slug);
    input.check()?;
    let title = title.unwrap_or_default();
    page::Entity::find_by_id(page_id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::field("pageId", "There is no page with this id"))?;
    let on_the_page = category::Entity::find().filter(category::Column::PageId.eq(page_id));
    let slug_column = category::Column::Slug;
    let slug = given_or_unused_slug(db, slug, "title", &title, on_the_page, slug_column).await?;
    let position = versioned::positions::<category::Entity>(db, page_id, 0)
        .await?
        .len() as i32
        + 1;
    let at = now();
    let (txn, _turn) = crate::db::begin_write(db).await?;
    let row = first_version!(category::ActiveModel {
        page_id: Set(page_id),
        slug: Set(slug.into_string()),
        title: Set(title),
        position: Set(position),
        archived_at: Set(None),
    }, by: viewer, at: at);
    let made = |id| Change::Category(CategoryChange::Created, id);
    versioned::create(txn, viewer, row, made).await
}

pub async fn update(
    db: &Db,
    viewer: &Viewer,
    id: i32,
    version: i32,
    title: Option<&str>,
    slug: Option<&str>,
) -> AppResult<category::Model> {
    viewer.require(Permission::EditContent)?;
    let mut input = Submission::new();
    let gives_nothing = title.is_none() && slug.is_none();
    let title = input.text("title", "category title", title, MAX_TITLE_LEN);
    let slug = input.slug(slug);
    input.ask_for_a_change(gives_nothing, "Change the title or the slug");
    input.check()?;
    let update = category::Entity::update_many()
        .set_given(category::Column::Title, title)
        .set_given(category::Column::Slug, slug.map(Slug::into_string));
    let refusal = refuse("This category cannot be changed");
    let event = Event::new(Change::Category(CategoryChange::Updated, id));
    versioned::change(db, viewer, id, version, update, refusal, event).await
}

pub async fn move_to(
    db: &Db,
    viewer: &Viewer,
    id: i32,
    version: i32,
    position: i32,
) -> AppResult<category::Model> {
    viewer.require(Permission::EditContent)?;
    let current = category::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::NotFound("There is no category with this id.".into()))?;
    let places = versioned::positions::<category::Entity>(db, current.page_id, id)
        .await?
        .len()
        + 1;
    check_position(position, places)?;
    let update =
        category::Entity::update_many().col_expr(category::Column::Position, Expr::value(position));
    let (txn, _turn) = crate::db::begin_write(db).await?;
    let refusal = refuse("This category cannot be moved");
    let row = versioned::write_checked(&txn, viewer, id, version, update, refusal).await?;
    let siblings = versioned::positions::<category::Entity>(&txn, row.page_id, id).await?;
    let placed = renumber(&siblings, Some((id, position)));
    versioned::apply_positions::<category::Entity>(&txn, placed).await?;
    let event = Event::new(Change::Category(CategoryChange::Moved, id));
    versioned::finish::<category::Entity>(txn, viewer, &row, event).await?;
    Ok(row)
}

pub async fn set_archived(
    db: &Db,
    viewer: &Viewer,
    id: i32,
    version: i32,
    archive: bool,
) -> AppResult<category::Model> {
    viewer.require(Permission::Publish)?;
    let update = category::Entity::update_many();
    let (update, made, refusal) = if archive {
        (
            update
                .col_expr(category::Column::ArchivedAt, Expr::value(Some(now())))
                .filter(category::Column::ArchivedAt.is_null()),
            CategoryChange::Archived,
            "This category is already archived.",
        )
    } else {
        (
            update
                .col_expr(
                    category::Column::ArchivedAt,
                    Expr::value(Option::<chrono::DateTime<chrono::Utc>>::None),
                )
                .filter(category::Column::ArchivedAt.is_not_null()),
            CategoryChange::Restored,
            "Only an archived category can be restored.",
        )
    };
    let event = Event::new(Change::Category(made, id));
    versioned::change(db, viewer, id, version, update, refuse(refusal), event).await
}

/// Only an empty category can be deleted, so no question is ever lost with it.
pub async fn delete(db: &Db, viewer: &Viewer, id: i32, version: i32) -> AppResult<category::Model> {
    viewer.require(Permission::Publish)?;
    let (txn, _turn) = crate::db::begin_write(db).await?;
    // Bump the version first: it checks the version and takes the write lock.
    let unchanged = category::Entity::update_many();
    let refusal = refuse("This category cannot be deleted");
    let row = versioned::write_checked(&txn, viewer, id, version, unchanged, refusal).await?;
    let holding = question::Entity::find()
        .filter(question::Column::CategoryId.eq(id))
        .count(&txn)
        .await?;
    if holding > 0 {
        return Err(AppError::field(
            "id",
            format!("This category still holds {holding} question(s). Move or delete them first."),
        ));
    }
    category::Entity::delete_by_id(id).exec(&txn).await?;
    let siblings = versioned::positions::<category::Entity>(&txn, row.page_id, id).await?;
    versioned::apply_positions::<category::Entity>(&txn, renumber(&siblings, None)).await?;
    let detail = json!({ "slug": row.slug, "title": row.title });
    let event = Event::new(Change::Category(CategoryChange::Deleted, id)).with(detail);
    changes::record(&txn, viewer, event).await?;
    txn.commit().await?;
    Ok(row)
}

/// A category readers are about to see for the first time takes its
/// working title, address and place as its published ones (nothing when it
/// was published before).
pub(crate) async fn publish_first_time(conn: &impl ConnectionTrait, id: i32) -> AppResult<()> {
    let update = category::Entity::update_many();
    super::published::publishing(update, &super::published::CATEGORY, None)
        .filter(category::Column::Id.eq(id))
        .filter(category::Column::PublishedTitle.is_null())
        .exec(conn)
        .await?;
    Ok(())
}
