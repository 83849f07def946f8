use std::collections::HashMap;

use chrono::{DateTime, Utc};
use entity::{category, page, question};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};

use super::Db;
use super::Visibility;
use crate::domain::{PageStatus, QuestionStatus};
use crate::error::AppResult;

fn visible(vis: Visibility) -> sea_orm::Condition {
    match vis {
        Visibility::Everything | Visibility::Preview => sea_orm::Condition::all(),
        Visibility::Public => sea_orm::Condition::all()
            .add(page::Column::Status.is_in([PageStatus::Live, PageStatus::Retired])),
    }
}

/// The page as `vis` sees it: readers get its published text.
fn as_seen(row: page::Model, vis: Visibility) -> page::Model {
    match vis {
        Visibility::Public => super::published::page(row),
        Visibility::Everything | Visibility::Preview => row,
    }
}

pub async fn find_by_slug(db: &Db, vis: Visibility, slug: &str) -> AppResult<Option<page::Model>> {
    let row = page::Entity::find()
        .filter(page::Column::Slug.eq(slug))
        .filter(visible(vis))
        .one(db)
        .await?;
    Ok(row.map(|row| as_seen(row, vis)))
}

pub async fn list(db: &Db, vis: Visibility) -> AppResult<Vec<page::Model>> {
    let title = match vis {
        Visibility::Public => super::published::column::<page::Entity>(
            page::Column::PublishedTitle,
            page::Column::Title,
        ),
        Visibility::Everything | Visibility::Preview => Expr::col(page::Column::Title),
    };
    let rows = page::Entity::find()
        .filter(visible(vis))
        .order_by(title, sea_orm::Order::Asc)
        .order_by_asc(page::Column::Id)
        .all(db)
        .await?;
    Ok(rows.into_iter().map(|row| as_seen(row, vis)).collect())
}

pub async fn count(db: &Db) -> AppResult<u64> {
    Ok(page::Entity::find().count(db).await?)
}

/// When anything on each page last changed, for staff: the latest of the
/// page's own `updated_at` and those of its categories and questions (an
/// edited answer is a change to the page as its editors see it), for many
/// pages in one statement. Nothing for the public, who are not told when
/// working copies change.
pub async fn last_changed(
    db: &Db,
    vis: Visibility,
    page_ids: &[i32],
) -> AppResult<HashMap<i32, DateTime<Utc>>> {
    use sea_orm::sea_query::{Alias, Expr, Func, Query, UnionType};
    if vis == Visibility::Public || page_ids.is_empty() {
        return Ok(HashMap::new());
    }
    // (page_id, updated_at) of the pages and of everything on them.
    fn dated<E: EntityTrait>(
        rows: E,
        page_id: E::Column,
        updated_at: E::Column,
        page_ids: &[i32],
    ) -> sea_orm::sea_query::SelectStatement {
        Query::select()
            .expr_as(Expr::col(page_id), Alias::new("page_id"))
            .expr_as(Expr::col(updated_at), Alias::new("updated_at"))
            .from(rows)
            .and_where(page_id.is_in(page_ids.iter().copied()))
            .to_owned()
    }
    let mut changes = dated(
        page::Entity,
        page::Column::Id,
        page::Column::UpdatedAt,
        page_ids,
    );
    let categories = (category::Column::PageId, category::Column::UpdatedAt);
    let questions = (question::Column::PageId, question::Column::UpdatedAt);
    changes
        .union(
            UnionType::All,
            dated(category::Entity, categories.0, categories.1, page_ids),
        )
        .union(
            UnionType::All,
            dated(question::Entity, questions.0, questions.1, page_ids),
        );
    let latest = Query::select()
        .column(Alias::new("page_id"))
        .expr_as(
            Func::max(Expr::col(Alias::new("updated_at"))),
            Alias::new("last_changed_at"),
        )
        .from_subquery(changes, Alias::new("changes"))
        .group_by_col(Alias::new("page_id"))
        .to_owned();
    db.query_all(&latest)
        .await?
        .iter()
        .map(|row| {
            Ok((
                row.try_get::<i32>("", "page_id")?,
                row.try_get::<DateTime<Utc>>("", "last_changed_at")?,
            ))
        })
        .collect()
}

/// A page as one audience may see it. The rule that a retired page shows
/// the public nothing but its notice lives here, for GraphQL, the HTML page
/// and its search alike.
#[derive(Debug)]
pub enum PageView<T> {
    /// No such page, or none this audience may see (a draft, for the public).
    Missing,
    /// Retired for this audience: its notice and replacement, no content.
    Retired(Box<page::Model>),
    /// Shown with its content.
    Shown(T),
}

/// A page with its categories (as `categories::for_pages` decides which)
/// and their questions, in display order.
#[derive(Debug)]
pub struct PageTree {
    pub page: page::Model,
    pub sections: Vec<Section>,
}

#[derive(Debug)]
pub struct Section {
    pub category: entity::category::Model,
    pub questions: Vec<super::questions::QuestionView>,
}

/// The page at `slug` as `vis` sees it, without its content.
pub async fn find_shown(db: &Db, vis: Visibility, slug: &str) -> AppResult<PageView<page::Model>> {
    Ok(match find_by_slug(db, vis, slug).await? {
        None => PageView::Missing,
        Some(page) if !shows_content(&page, vis) => PageView::Retired(Box::new(page)),
        Some(page) => PageView::Shown(page),
    })
}

/// How much of a page's tree a read fetches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Depth {
    /// Its categories and their questions: what the HTML page shows.
    Whole,
    /// Its categories, each section's list of questions left empty: what
    /// the page's search needs to name the category of each result.
    Categories,
}

/// The page at `slug` as `vis` sees it, with its tree to `depth`: the one
/// read behind the HTML page and its search.
pub async fn view(
    db: &Db,
    vis: Visibility,
    slug: &str,
    depth: Depth,
) -> AppResult<PageView<PageTree>> {
    Ok(match find_shown(db, vis, slug).await? {
        PageView::Missing => PageView::Missing,
        PageView::Retired(page) => PageView::Retired(page),
        PageView::Shown(page) => {
            let trees = trees(db, vis, vec![page], depth).await?;
            match trees.into_iter().next() {
                Some(tree) => PageView::Shown(tree),
                None => PageView::Missing,
            }
        }
    })
}

/// Many pages' trees in two statements whatever their size: all their
/// categories in one, all those categories' questions in another (skipped
/// for `Depth::Categories`, leaving each section's list empty). A
/// page that shows no content to `vis` gets no sections.
pub async fn trees(
    db: &Db,
    vis: Visibility,
    pages: Vec<page::Model>,
    depth: Depth,
) -> AppResult<Vec<PageTree>> {
    let shown: Vec<i32> = pages
        .iter()
        .filter(|p| shows_content(p, vis))
        .map(|p| p.id)
        .collect();
    let mut categories = super::categories::for_pages(db, vis, &shown).await?;
    let mut questions = if depth == Depth::Whole {
        let ids: Vec<i32> = categories.values().flatten().map(|c| c.id).collect();
        super::questions::for_categories(db, vis, &ids).await?
    } else {
        Default::default()
    };
    Ok(pages
        .into_iter()
        .map(|page| PageTree {
            sections: categories
                .remove(&page.id)
                .unwrap_or_default()
                .into_iter()
                .map(|category| Section {
                    questions: questions.remove(&category.id).unwrap_or_default(),
                    category,
                })
                .collect(),
            page,
        })
        .collect())
}

/// A retired page keeps its content but shows none of it to the public.
pub fn shows_content(page: &page::Model, vis: Visibility) -> bool {
    vis != Visibility::Public || public_status(page) == PageStatus::Live
}

/// The status the public sees: a page whose retirement time has come is
/// retired, even before the background task records it.
pub fn public_status(page: &page::Model) -> PageStatus {
    let due = page.retire_at.is_some_and(|at| at <= super::now());
    match page.status {
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

/// The pages whose content the public sees (`shows_content` for the
/// public): LIVE, and not yet due to retire. For reads that reach
/// questions without going through a page first, such as search.
pub(crate) fn shows_content_to_public() -> sea_orm::Condition {
    sea_orm::Condition::all()
        .add(page::Column::Status.eq(PageStatus::Live))
        .add(retirement_not_due())
}

/// A LIVE page whose retirement time has come by `at`: retired in all but
/// the record.
pub(crate) fn retirement_due(at: chrono::DateTime<chrono::Utc>) -> sea_orm::Condition {
    sea_orm::Condition::all()
        .add(page::Column::Status.eq(PageStatus::Live))
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
        .add(page::Column::Status.eq(PageStatus::Retired))
        .add(retirement_due(super::now()))
}

/// Not retired, in record or in effect: neither a new schedule nor a second
/// retirement may apply to a page once its retirement time has come.
pub(crate) fn not_yet_retired() -> sea_orm::Condition {
    sea_orm::Condition::all()
        .add(page::Column::Status.ne(PageStatus::Retired))
        .add(retirement_not_due())
}

/// True when the page's working copy differs from what readers see: its
/// text, a category's title, address or place (or a category never
/// published), or the category, place or address of a question readers
/// have seen. Archived items are left out: readers see none of them.
pub async fn has_unpublished_changes(
    conn: &impl ConnectionTrait,
    page: &page::Model,
) -> AppResult<bool> {
    use super::published::{self, differs_in_sql};
    if published::page_text_differs(page) {
        return Ok(true);
    }
    let categories = category::Entity::find()
        .filter(category::Column::PageId.eq(page.id))
        .filter(category::Column::ArchivedAt.is_null())
        .filter(differs_in_sql::<category::Entity>(&published::CATEGORY))
        .count(conn)
        .await?;
    if categories > 0 {
        return Ok(true);
    }
    let questions = places_pending(page.id).count(conn).await?;
    Ok(questions > 0)
}

/// The questions of page `page_id` whose published place (category,
/// position, address) differs from their working place. A question never
/// published has no published place to differ from; an archived one is
/// shown to no reader.
pub fn places_pending_condition(page_id: i32) -> sea_orm::Condition {
    use super::published::{self, differs_in_sql};
    sea_orm::Condition::all()
        .add(question::Column::PageId.eq(page_id))
        .add(question::Column::PublishedCategoryId.is_not_null())
        .add(question::Column::Status.ne(QuestionStatus::Archived))
        .add(differs_in_sql::<question::Entity>(
            &published::QUESTION_PLACE,
        ))
}

/// `places_pending_condition` as a query.
pub fn places_pending(page_id: i32) -> sea_orm::Select<question::Entity> {
    question::Entity::find().filter(places_pending_condition(page_id))
}
