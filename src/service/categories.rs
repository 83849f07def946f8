use std::collections::HashMap;

use entity::{category, question};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use super::Db;
use super::Visibility;
use crate::error::AppResult;

/// The rule for empty categories, for every reader of every transport
/// (GraphQL, the HTML page): the public sees a category only while it holds
/// a question the public sees, so a heading never stands over nothing.
/// Staff see every category, empty or not, and a preview every category
/// that is not archived (an empty one is where the next question goes).
fn visible(vis: Visibility) -> sea_orm::Condition {
    use sea_orm::sea_query::{Expr, ExprTrait, Query};
    match vis {
        Visibility::Everything => sea_orm::Condition::all(),
        Visibility::Preview => {
            sea_orm::Condition::all().add(category::Column::ArchivedAt.is_null())
        }
        Visibility::Public => {
            let shown_in = super::published::question_category();
            let a_question_shown = Query::select()
                .expr(Expr::val(1))
                .from(question::Entity)
                .and_where(shown_in.equals((category::Entity, category::Column::Id)))
                .cond_where(super::questions::visible(Visibility::Public))
                .to_owned();
            sea_orm::Condition::all()
                .add(category::Column::ArchivedAt.is_null())
                .add(Expr::exists(a_question_shown))
        }
    }
}

/// The categories of many pages in one query, each list in position order.
pub async fn for_pages(
    db: &Db,
    vis: Visibility,
    page_ids: &[i32],
) -> AppResult<HashMap<i32, Vec<category::Model>>> {
    super::children_of::<category::Entity, _>(db, vis, page_ids, visible(vis), |row| row).await
}

/// Categories by id in one query.
pub async fn by_ids(
    db: &Db,
    vis: Visibility,
    ids: &[i32],
) -> AppResult<HashMap<i32, category::Model>> {
    let rows = category::Entity::find()
        .filter(category::Column::Id.is_in(ids.iter().copied()))
        .filter(visible(vis))
        .all(db)
        .await?;
    let as_seen = |row| match vis {
        Visibility::Public => super::published::category(row),
        Visibility::Everything | Visibility::Preview => row,
    };
    Ok(rows.into_iter().map(|c| (c.id, as_seen(c))).collect())
}
