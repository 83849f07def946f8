//! Cursor paging shared by every newest-first list (audit, revisions,
//! webhook deliveries): the cursor is the last id seen, and ids only grow.

use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, FromQueryResult, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, Select,
};

use crate::error::AppResult;

/// Up to `limit` rows of `select` older than `before_id`, newest first, and
/// how many rows `select` matches in all (the cursor does not change it).
pub async fn newest_first<E>(
    db: &impl ConnectionTrait,
    select: Select<E>,
    id: E::Column,
    before_id: Option<i32>,
    limit: u64,
) -> AppResult<(Vec<E::Model>, u64)>
where
    E: EntityTrait,
    E::Model: FromQueryResult + Send + Sync,
{
    let total = select.clone().count(db).await?;
    let select = match before_id {
        Some(before) => select.filter(id.lt(before)),
        None => select,
    };
    let rows = select.order_by_desc(id).limit(limit).all(db).await?;
    Ok((rows, total))
}
