use std::collections::HashMap;

use entity::category;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder};

use super::Visibility;
use crate::error::AppResult;

fn visible(vis: Visibility) -> sea_orm::Condition {
    match vis {
        Visibility::Everything => sea_orm::Condition::all(),
        Visibility::Public | Visibility::Preview => {
            sea_orm::Condition::all().add(category::Column::ArchivedAt.is_null())
        }
    }
}

/// The categories of many pages in one query, each list in position order.
pub async fn for_pages(
    db: &DatabaseConnection,
    vis: Visibility,
    page_ids: &[i32],
) -> AppResult<HashMap<i32, Vec<category::Model>>> {
    let rows = category::Entity::find()
        .filter(category::Column::PageId.is_in(page_ids.iter().copied()))
        .filter(visible(vis))
        .order_by_asc(category::Column::Position)
        .order_by_asc(category::Column::Id)
        .all(db)
        .await?;
    let mut grouped: HashMap<i32, Vec<category::Model>> = HashMap::new();
    for row in rows {
        grouped.entry(row.page_id).or_default().push(row);
    }
    Ok(grouped)
}

/// Categories by id in one query.
pub async fn by_ids(
    db: &DatabaseConnection,
    vis: Visibility,
    ids: &[i32],
) -> AppResult<HashMap<i32, category::Model>> {
    let rows = category::Entity::find()
        .filter(category::Column::Id.is_in(ids.iter().copied()))
        .filter(visible(vis))
        .all(db)
        .await?;
    Ok(rows.into_iter().map(|c| (c.id, c)).collect())
}
