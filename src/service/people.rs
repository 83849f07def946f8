//! Staff as others see them in what they did: the author of a revision,
//! the actor of an audit event. Many at a time, for the loaders.

use std::collections::HashMap;

use entity::user;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use super::Db;
use crate::error::AppResult;

/// Users by id in one query; ids with no user are left out.
pub async fn by_ids(db: &Db, ids: &[i32]) -> AppResult<HashMap<i32, user::Model>> {
    let rows = user::Entity::find()
        .filter(user::Column::Id.is_in(ids.iter().copied()))
        .all(db)
        .await?;
    Ok(rows.into_iter().map(|u| (u.id, u)).collect())
}
