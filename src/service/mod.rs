//! Every database query and every rule lives here. Each function takes the
//! acting `Viewer` (or a `Visibility` derived from it) explicitly.

pub mod account_links;
pub mod audit;
pub mod audit_log;
pub mod categories;
pub mod categories_edit;
pub mod changes;
pub mod constraints;
mod editing;
pub mod generation;
pub mod health;
pub mod history;
pub mod import_export;
pub mod outbox;
pub mod page_updates;
pub mod pages;
pub mod pages_edit;
mod paging;
pub mod people;
pub mod published;
pub mod questions;
pub mod questions_edit;
pub mod review;
pub mod revisions;
pub mod schedule;
pub mod search;
pub mod two_factor;
pub mod unpublished;
pub mod users;
mod versioned;
pub mod webhook_target;
pub mod webhook_worker;
pub mod webhooks;

use chrono::{DateTime, SubsecRound, Utc};

/// The database every service function reads and writes: the pool's
/// connection (SQLite or PostgreSQL).
pub type Db = sea_orm::DatabaseConnection;

use crate::domain::Viewer;

/// What a read may return. Anonymous readers always get `Public`, whatever
/// they ask for; signed-in staff get `Everything` only when they ask.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Visibility {
    /// LIVE and RETIRED pages, categories not archived, PUBLISHED questions
    /// with their last published text.
    Public,
    /// Drafts, archived items and working copies too.
    Everything,
    /// The public page as it will be once the drafts are published (its
    /// `?preview=true`): working copies and drafts, but nothing archived or
    /// past its removal time.
    Preview,
}

impl Visibility {
    /// The public page: a preview for signed-in staff who ask for one, the
    /// published page for anyone else.
    pub fn for_page(viewer: &Viewer, wants_preview: bool) -> Visibility {
        match Visibility::for_viewer(viewer, wants_preview) {
            Visibility::Public => Visibility::Public,
            _ => Visibility::Preview,
        }
    }

    pub fn for_viewer(viewer: &Viewer, include_unpublished: bool) -> Visibility {
        if include_unpublished && viewer.may_see_unpublished() {
            Visibility::Everything
        } else {
            Visibility::Public
        }
    }
}

/// `rows` in lists by `key` (a parent's id), each list in the order the rows
/// came, each row made into what the list holds by `item`.
pub fn grouped<R, T>(
    rows: impl IntoIterator<Item = R>,
    key: impl Fn(&R) -> i32,
    mut item: impl FnMut(R) -> T,
) -> std::collections::HashMap<i32, Vec<T>> {
    let mut groups: std::collections::HashMap<i32, Vec<T>> = std::collections::HashMap::new();
    for row in rows {
        groups.entry(key(&row)).or_default().push(item(row));
    }
    groups
}

/// The children of many parents (the categories of pages, the questions of
/// categories) that `shown` lets through, in one query: in lists by parent,
/// each in position order, each row made into what the list holds by
/// `item`. Readers get each row's published place and copy.
async fn children_of<E: versioned::Content, T>(
    db: &Db,
    vis: Visibility,
    parent_ids: &[i32],
    shown: sea_orm::Condition,
    item: impl FnMut(E::Model) -> T,
) -> crate::error::AppResult<std::collections::HashMap<i32, Vec<T>>> {
    use sea_orm::sea_query::{Expr, ExprTrait};
    use sea_orm::{QueryFilter, QueryOrder};
    let (parent, position) = match vis {
        Visibility::Public => (
            E::PUBLISHED_PARENT.map_or(Expr::col(E::PARENT), |published| {
                published::column::<E>(published, E::PARENT)
            }),
            published::column::<E>(E::PUBLISHED_POSITION, E::POSITION),
        ),
        Visibility::Everything | Visibility::Preview => {
            (Expr::col(E::PARENT), Expr::col(E::POSITION))
        }
    };
    let rows = E::find()
        .filter(parent.is_in(parent_ids.iter().copied()))
        .filter(shown)
        .order_by(position, sea_orm::Order::Asc)
        .order_by_asc(E::ID)
        .all(db)
        .await?;
    let rows = rows.into_iter().map(|row| match vis {
        Visibility::Public => E::as_readers_see(row),
        Visibility::Everything | Visibility::Preview => row,
    });
    Ok(grouped(rows, E::parent_of, item))
}

/// The current time at the precision both databases store (microseconds),
/// so that a value read back equals the value written.
pub fn now() -> DateTime<Utc> {
    Utc::now().trunc_subsecs(6)
}
