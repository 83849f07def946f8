//! What readers see of a row. Pages, categories and questions each hold a
//! working copy, which staff edit, and a published copy, which readers see
//! until a publisher publishes the working copy. A published value that is
//! NULL has never been published: readers see the working value (a question
//! first published, a category first shown, a page first gone live).
//!
//! Every public read passes its rows through here, so that GraphQL, the HTML
//! page, its search and JSON-LD show readers the same thing.

use entity::{category, page, question};
use sea_orm::sea_query::{Expr, Func};
use sea_orm::{Condition, EntityTrait, UpdateMany};

/// Each published column with the working column it publishes.
pub const PAGE_TEXT: [(page::Column, page::Column); 3] = [
    (page::Column::PublishedTitle, page::Column::Title),
    (page::Column::PublishedIntro, page::Column::Intro),
    (page::Column::PublishedFooter, page::Column::Footer),
];
pub const CATEGORY: [(category::Column, category::Column); 3] = [
    (category::Column::PublishedTitle, category::Column::Title),
    (category::Column::PublishedSlug, category::Column::Slug),
    (
        category::Column::PublishedPosition,
        category::Column::Position,
    ),
];
pub const QUESTION_PLACE: [(question::Column, question::Column); 3] = [
    (
        question::Column::PublishedCategoryId,
        question::Column::CategoryId,
    ),
    (question::Column::PublishedSlug, question::Column::Slug),
    (
        question::Column::PublishedPosition,
        question::Column::Position,
    ),
];

/// A question's live text with the working text it publishes. (The live
/// answer's HTML follows the live answer.)
pub const QUESTION_TEXT: [(question::Column, question::Column); 2] = [
    (question::Column::LiveQuestion, question::Column::Question),
    (question::Column::LiveAnswer, question::Column::Answer),
];

/// `update` made to publish the working values of `columns`: or, with
/// `only_when`, to publish them where that holds (of the row before the
/// update) and leave the published values as they are elsewhere.
pub fn publishing<E: EntityTrait>(
    update: UpdateMany<E>,
    columns: &[(E::Column, E::Column)],
    only_when: Option<Expr>,
) -> UpdateMany<E> {
    columns
        .iter()
        .fold(update, |update, &(published, working)| {
            let value = match &only_when {
                None => Expr::col(working),
                Some(condition) => Expr::case(condition.clone(), Expr::col(working))
                    .finally(Expr::col(published))
                    .into(),
            };
            update.col_expr(published, value)
        })
}

/// In SQL: some published value of `columns` differs from its working
/// value, or was never published.
pub fn differs_in_sql<E: EntityTrait>(columns: &[(E::Column, E::Column)]) -> Condition {
    use sea_orm::sea_query::ExprTrait;
    use sea_orm::ColumnTrait;
    columns
        .iter()
        .fold(Condition::any(), |any, &(published, working)| {
            any.add(published.is_null())
                .add(Expr::col(published).ne(Expr::col(working)))
        })
}

/// The column readers see in SQL: the published value, or the working one
/// when there is none.
pub fn column<E: EntityTrait>(published: E::Column, working: E::Column) -> Expr {
    let published: Expr = Expr::col((E::default(), published));
    let working: Expr = Expr::col((E::default(), working));
    Func::coalesce([published, working]).into()
}

fn take<T>(published: &mut Option<T>, working: &mut T) {
    if let Some(value) = published.take() {
        *working = value;
    }
}

/// In SQL: the category readers see a question in.
pub fn question_category() -> Expr {
    column::<question::Entity>(
        question::Column::PublishedCategoryId,
        question::Column::CategoryId,
    )
}

/// The page as readers see it: its published title, introduction and footer.
pub fn page(mut row: page::Model) -> page::Model {
    take(&mut row.published_title, &mut row.title);
    take(&mut row.published_intro, &mut row.intro);
    take(&mut row.published_footer, &mut row.footer);
    row
}

/// The category as readers see it: its published title, address and place.
pub fn category(mut row: category::Model) -> category::Model {
    take(&mut row.published_title, &mut row.title);
    take(&mut row.published_slug, &mut row.slug);
    take(&mut row.published_position, &mut row.position);
    row
}

/// The question's place as readers see it: its published category, address
/// and position. (Its published text is the live copy, which `QuestionView`
/// chooses.)
pub fn question(mut row: question::Model) -> question::Model {
    take(&mut row.published_category_id, &mut row.category_id);
    take(&mut row.published_slug, &mut row.slug);
    take(&mut row.published_position, &mut row.position);
    row
}

/// True when readers see other text on the page than its working copy.
pub fn page_text_differs(row: &page::Model) -> bool {
    row.published_title.as_deref() != Some(row.title.as_str())
        || row.published_intro.as_deref() != Some(row.intro.as_str())
        || row.published_footer.as_deref() != Some(row.footer.as_str())
}

/// True when a question's working text differs from its live text, or it
/// has none.
pub fn question_text_differs(row: &question::Model) -> bool {
    row.live_question.as_deref() != Some(row.question.as_str())
        || row.live_answer.as_deref() != Some(row.answer.as_str())
}

/// True when a category's working title, address or place differs from
/// what readers see, or it has never been published. An archived category
/// is shown to no reader, so nothing of it is pending.
pub fn category_differs(row: &category::Model) -> bool {
    row.archived_at.is_none()
        && (row.published_title.as_deref() != Some(row.title.as_str())
            || row.published_slug.as_deref() != Some(row.slug.as_str())
            || row.published_position != Some(row.position))
}

/// True when readers see a question in another category, place or
/// address than its working one. A question never published has no
/// published place: it goes where it stands when it is first published.
pub fn question_place_differs(row: &question::Model) -> bool {
    row.published_category_id.is_some()
        && (row.published_category_id != Some(row.category_id)
            || row.published_slug.as_deref() != Some(row.slug.as_str())
            || row.published_position != Some(row.position))
}
