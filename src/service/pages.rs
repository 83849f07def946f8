use entity::page;
use sea_orm::{
    ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
};

use super::Visibility;
use crate::domain::PageStatus;
use crate::error::AppResult;

fn visible(vis: Visibility) -> sea_orm::Condition {
    match vis {
        Visibility::Everything | Visibility::Preview => sea_orm::Condition::all(),
        Visibility::Public => sea_orm::Condition::all().add(
            page::Column::Status.is_in([PageStatus::Live.as_str(), PageStatus::Retired.as_str()]),
        ),
    }
}

pub async fn find_by_slug(
    db: &DatabaseConnection,
    vis: Visibility,
    slug: &str,
) -> AppResult<Option<page::Model>> {
    Ok(page::Entity::find()
        .filter(page::Column::Slug.eq(slug))
        .filter(visible(vis))
        .one(db)
        .await?)
}

pub async fn list(db: &DatabaseConnection, vis: Visibility) -> AppResult<Vec<page::Model>> {
    Ok(page::Entity::find()
        .filter(visible(vis))
        .order_by_asc(page::Column::Title)
        .order_by_asc(page::Column::Id)
        .all(db)
        .await?)
}

pub async fn count(db: &DatabaseConnection) -> AppResult<u64> {
    Ok(page::Entity::find().count(db).await?)
}

/// A retired page keeps its content but shows none of it to the public.
pub fn shows_content(page: &page::Model, vis: Visibility) -> bool {
    vis != Visibility::Public || public_status(page) == PageStatus::Live
}

/// The status the public sees: a page whose retirement time has come is
/// retired, even before the background task records it.
pub fn public_status(page: &page::Model) -> PageStatus {
    let stored = page.status.parse().unwrap_or(PageStatus::Draft);
    let due = page.retire_at.is_some_and(|at| at <= super::now());
    match stored {
        PageStatus::Live if due => PageStatus::Retired,
        other => other,
    }
}

/// When the page retired: the recorded time, or its scheduled time once that
/// has come and before the background task has recorded it.
pub fn retired_at(page: &page::Model) -> Option<chrono::DateTime<chrono::Utc>> {
    match public_status(page) {
        PageStatus::Retired => page.retired_at.or(page.retire_at),
        _ => None,
    }
}

// The rule of `public_status` as SQL, for filters and conditional updates.

/// A LIVE page whose retirement time has come by `at`: retired in all but
/// the record.
pub(crate) fn retirement_due(at: chrono::DateTime<chrono::Utc>) -> sea_orm::Condition {
    sea_orm::Condition::all()
        .add(page::Column::Status.eq(PageStatus::Live.as_str()))
        .add(page::Column::RetireAt.lte(at))
}

/// No retirement time, or one still to come.
pub(crate) fn retirement_not_due() -> sea_orm::Condition {
    sea_orm::Condition::any()
        .add(page::Column::RetireAt.is_null())
        .add(page::Column::RetireAt.gt(super::now()))
}

/// Retired, recorded or not.
pub(crate) fn retired() -> sea_orm::Condition {
    sea_orm::Condition::any()
        .add(page::Column::Status.eq(PageStatus::Retired.as_str()))
        .add(retirement_due(super::now()))
}

/// Not retired, in record or in effect: neither a new schedule nor a second
/// retirement may apply to a page once its retirement time has come.
pub(crate) fn not_yet_retired() -> sea_orm::Condition {
    sea_orm::Condition::all()
        .add(page::Column::Status.ne(PageStatus::Retired.as_str()))
        .add(retirement_not_due())
}
