use std::collections::HashMap;

use entity::{category, page, question};
use sea_orm::{ColumnTrait, EntityTrait, JoinType, QueryFilter, QuerySelect, RelationTrait};

use super::Db;
use super::Visibility;
use crate::domain::QuestionStatus;
use crate::error::AppResult;

/// A question as one reader sees it: the public get the last published
/// text, staff who asked for unpublished content get the working copy.
#[derive(Debug, Clone)]
pub struct QuestionView {
    pub row: question::Model,
    pub vis: Visibility,
}

impl QuestionView {
    /// The question as `vis` sees it: readers get its published place.
    pub fn new(row: question::Model, vis: Visibility) -> Self {
        let row = match vis {
            Visibility::Public => super::published::question(row),
            Visibility::Everything | Visibility::Preview => row,
        };
        QuestionView { row, vis }
    }

    /// True when this reader sees the live text rather than the working
    /// copy: the public does, until a scheduled publication is due, from
    /// when it sees the working copy (before the background task records
    /// it, so there is no gap).
    fn shows_live_text(&self) -> bool {
        self.vis == Visibility::Public && !self.publication_due()
    }

    fn publication_due(&self) -> bool {
        super::questions_edit::publication_due(&self.row, super::now())
    }

    fn chosen<'a>(&'a self, live: &'a Option<String>, working: &'a str) -> &'a str {
        match live {
            Some(live) if self.shows_live_text() => live,
            _ => working,
        }
    }

    pub fn question(&self) -> &str {
        self.chosen(&self.row.live_question, &self.row.question)
    }

    pub fn answer(&self) -> &str {
        self.chosen(&self.row.live_answer, &self.row.answer)
    }

    pub fn answer_html(&self) -> &str {
        self.chosen(&self.row.live_answer_html, &self.row.answer_html)
    }

    /// The public sees a question whose scheduled publication is due as
    /// published, even before the background task records it.
    pub fn status(&self) -> QuestionStatus {
        match (self.vis, self.row.status) {
            (Visibility::Public, QuestionStatus::Draft) if self.publication_due() => {
                QuestionStatus::Published
            }
            (_, stored) => stored,
        }
    }

    /// True when the working copy differs from what the public sees (not
    /// once a scheduled change is due: readers see it then). The public is
    /// not told that edits are pending.
    pub fn has_unpublished_changes(&self) -> bool {
        self.vis != Visibility::Public
            && self.status() == QuestionStatus::Published
            && !self.publication_due()
            && super::published::question_text_differs(&self.row)
    }
}

/// What the public sees is decided at read time, so a scheduled change is
/// never served early or late, whenever the background task records it:
/// published questions, and drafts whose publish time has come, until their
/// expiry time.
pub(crate) fn visible(vis: Visibility) -> sea_orm::Condition {
    use sea_orm::Condition;
    let now = super::now();
    let not_expired = Condition::any()
        .add(question::Column::ExpireAt.is_null())
        .add(question::Column::ExpireAt.gt(now));
    match vis {
        Visibility::Everything => Condition::all(),
        Visibility::Preview => Condition::all()
            .add(question::Column::Status.ne(QuestionStatus::Archived))
            .add(not_expired),
        Visibility::Public => {
            let published = Condition::all()
                .add(question::Column::Status.eq(QuestionStatus::Published))
                .add(question::Column::LiveQuestion.is_not_null());
            let due = super::questions_edit::publish_due(now);
            Condition::all()
                .add(Condition::any().add(published).add(due))
                .add(not_expired)
        }
    }
}

/// The questions of many categories in one query, each list in position order.
pub async fn for_categories(
    db: &Db,
    vis: Visibility,
    category_ids: &[i32],
) -> AppResult<HashMap<i32, Vec<QuestionView>>> {
    let view = |row| QuestionView::new(row, vis);
    super::children_of::<question::Entity, _>(db, vis, category_ids, visible(vis), view).await
}

/// For the public, a question is only reachable through a live page and a
/// category that is not archived.
pub(crate) fn reachable(
    select: sea_orm::Select<question::Entity>,
    vis: Visibility,
) -> sea_orm::Select<question::Entity> {
    match vis {
        Visibility::Everything | Visibility::Preview => select.filter(visible(vis)),
        Visibility::Public => {
            use sea_orm::sea_query::{Expr, ExprTrait, Query};
            // The category readers see it in, which is not archived.
            let shown_in = super::published::question_category();
            let in_a_shown_category = Query::select()
                .expr(Expr::val(1))
                .from(category::Entity)
                .and_where(Expr::col((category::Entity, category::Column::Id)).eq(shown_in))
                .and_where(Expr::col((category::Entity, category::Column::ArchivedAt)).is_null())
                .to_owned();
            select
                .filter(visible(vis))
                .join(JoinType::InnerJoin, question::Relation::Page.def())
                .filter(Expr::exists(in_a_shown_category))
                .filter(super::pages::shows_content_to_public())
        }
    }
}

pub async fn find(db: &Db, vis: Visibility, id: i32) -> AppResult<Option<QuestionView>> {
    let row = reachable(question::Entity::find_by_id(id), vis)
        .one(db)
        .await?;
    Ok(row.map(|row| QuestionView::new(row, vis)))
}

pub async fn find_by_slug(
    db: &Db,
    vis: Visibility,
    page_slug: &str,
    slug: &str,
) -> AppResult<Option<QuestionView>> {
    use sea_orm::sea_query::ExprTrait;
    let select = question::Entity::find();
    let select = match vis {
        // The public path already joins the page; readers know a question
        // by its published address.
        Visibility::Public => {
            let address = super::published::column::<question::Entity>(
                question::Column::PublishedSlug,
                question::Column::Slug,
            );
            reachable(select, vis).filter(address.eq(slug))
        }
        Visibility::Everything | Visibility::Preview => select
            .filter(question::Column::Slug.eq(slug))
            .join(JoinType::InnerJoin, question::Relation::Page.def()),
    };
    let row = select
        .filter(page::Column::Slug.eq(page_slug))
        .one(db)
        .await?;
    Ok(row.map(|row| QuestionView::new(row, vis)))
}
