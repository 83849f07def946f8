//! The story of an item told from its revisions: which one readers see,
//! what has changed since publication, and a page's history (its own text
//! and its categories').

use entity::{category, page, question, revision};
use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use super::revisions::{diff_words, DiffSegment, QuestionDiff, QuestionSnapshot};
use super::Db;
use crate::domain::Viewer;
use crate::domain::{Change, PageStatus, Permission, QuestionChange, QuestionStatus};
use crate::error::AppResult;

/// The revision whose text readers see, if they see the question: the
/// newest publication while it is published, or a newer import that
/// brought in the live text (as do revisions kept before the history said
/// what happened). A question whose publish time has come is shown to
/// readers as it stands, so its newest revision is live.
pub async fn live_revision(db: &Db, q: &question::Model) -> AppResult<Option<i32>> {
    let of_question = revision::Entity::find()
        .filter(revision::Column::ItemType.eq("question"))
        .filter(revision::Column::ItemId.eq(q.id))
        .order_by_desc(revision::Column::Id);
    if super::questions_edit::publication_due(q, super::now()) {
        return Ok(of_question.one(db).await?.map(|r| r.id));
    }
    let (Some(live_question), Some(live_answer), QuestionStatus::Published) =
        (&q.live_question, &q.live_answer, q.status)
    else {
        return Ok(None);
    };
    let published = Change::Question(QuestionChange::Published, q.id).action();
    let imported = Change::ContentImported.action();
    let may_be_live = Condition::any()
        .add(revision::Column::Action.is_in([published, imported]))
        .add(revision::Column::Action.is_null());
    let candidates = of_question.filter(may_be_live).all(db).await?;
    Ok(candidates.into_iter().find_map(|r| {
        if r.action.as_deref() == Some(published) {
            return Some(r.id);
        }
        let text = QuestionSnapshot::parse(&r.snapshot).ok()?;
        (&text.question == live_question && &text.answer == live_answer).then_some(r.id)
    }))
}

/// The working copy against what readers see, word by word; None while
/// there is no published text.
pub fn question_since_published(
    viewer: &Viewer,
    q: &question::Model,
) -> AppResult<Option<QuestionDiff>> {
    viewer.require(Permission::EditContent)?;
    let (Some(live_question), Some(live_answer)) = (&q.live_question, &q.live_answer) else {
        return Ok(None);
    };
    Ok(Some(QuestionDiff {
        question: diff_words(live_question, &q.question),
        answer: diff_words(live_answer, &q.answer),
    }))
}

/// A page's own text, word by word between two states.
pub struct PageDiff {
    pub title: Vec<DiffSegment>,
    pub intro: Vec<DiffSegment>,
    pub footer: Vec<DiffSegment>,
}

impl PageDiff {
    pub fn identical(&self) -> bool {
        [&self.title, &self.intro, &self.footer]
            .iter()
            .all(|segments| super::revisions::identical(segments))
    }
}

/// The page's title, introduction and footer against the published text
/// readers see; None while the page is a draft readers cannot see.
pub fn page_since_published(viewer: &Viewer, p: &page::Model) -> AppResult<Option<PageDiff>> {
    viewer.require(Permission::EditContent)?;
    if p.status == PageStatus::Draft {
        return Ok(None);
    }
    let published =
        |copy: &Option<String>, working: &str| copy.clone().unwrap_or_else(|| working.to_owned());
    Ok(Some(PageDiff {
        title: diff_words(&published(&p.published_title, &p.title), &p.title),
        intro: diff_words(&published(&p.published_intro, &p.intro), &p.intro),
        footer: diff_words(&published(&p.published_footer, &p.footer), &p.footer),
    }))
}

/// The revisions of a page and of its categories (their text and order),
/// newest first; `before_id` is the cursor.
pub async fn list_for_page(
    db: &Db,
    viewer: &Viewer,
    page_id: i32,
    before_id: Option<i32>,
    limit: u64,
) -> AppResult<(Vec<revision::Model>, u64)> {
    viewer.require(Permission::EditContent)?;
    let categories: Vec<i32> = category::Entity::find()
        .select_only()
        .column(category::Column::Id)
        .filter(category::Column::PageId.eq(page_id))
        .into_tuple()
        .all(db)
        .await?;
    let of_page = Condition::all()
        .add(revision::Column::ItemType.eq("page"))
        .add(revision::Column::ItemId.eq(page_id));
    let of_categories = Condition::all()
        .add(revision::Column::ItemType.eq("category"))
        .add(revision::Column::ItemId.is_in(categories));
    let select = revision::Entity::find().filter(Condition::any().add(of_page).add(of_categories));
    super::paging::newest_first(db, select, revision::Column::Id, before_id, limit).await
}
