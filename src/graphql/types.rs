//! GraphQL output types. They wrap storage rows and decide nothing: what a
//! reader may see was settled by the service that loaded the row.

use std::sync::Mutex;

use async_graphql::dataloader::DataLoader;
use async_graphql::{Context, ErrorExtensions, Object, Result, SimpleObject, ID};
use chrono::{DateTime, Utc};
use entity::{category, page};

use super::admin::{PageDiff, Revision, RevisionConnection, RevisionDiff};
use super::enums::{PageStatus, QuestionStatus};
use super::loaders::{
    CategoriesOfPage, CategoryById, LastChangedOfPage, Loaders, QuestionsOfCategory,
};
use super::query::{db, viewer};
use super::{newest_first, parse_id, Gql};
use crate::domain::{PageActions, QuestionActions};
use crate::error::AppError;
use crate::markdown;
use crate::service::questions::QuestionView;
use crate::service::{self, pages, Visibility};

pub(crate) fn loader<'a>(ctx: &'a Context<'_>) -> &'a DataLoader<Loaders> {
    ctx.data_unchecked::<DataLoader<Loaders>>()
}

pub(crate) fn loader_error(error: std::sync::Arc<AppError>) -> async_graphql::Error {
    error.extend()
}

/// A Q&A page: an introduction, categories of questions, and a footer.
pub struct Page {
    pub row: page::Model,
    pub vis: Visibility,
    /// Categories loaded ahead by the query that found the page, if it did.
    pub prefetched: Mutex<Option<Vec<Category>>>,
}

impl Page {
    pub fn new(row: page::Model, vis: Visibility) -> Self {
        Page {
            row,
            vis,
            prefetched: Mutex::new(None),
        }
    }

    pub fn prefilled(row: page::Model, vis: Visibility, categories: Vec<Category>) -> Self {
        Page {
            row,
            vis,
            prefetched: Mutex::new(Some(categories)),
        }
    }
}

#[Object]
impl Page {
    async fn id(&self) -> ID {
        ID(self.row.id.to_string())
    }

    /// The page's address, as in /pages/{slug}.
    async fn slug(&self) -> &str {
        &self.row.slug
    }

    /// The page's main heading, also the title of its browser tab.
    async fn title(&self) -> &str {
        &self.row.title
    }

    /// The introduction, as Markdown source.
    async fn intro(&self) -> &str {
        &self.row.intro
    }

    /// The introduction as sanitised HTML.
    async fn intro_html(&self) -> String {
        markdown::to_html(&self.row.intro)
    }

    /// Text shown after the last category, as Markdown source.
    async fn footer(&self) -> &str {
        &self.row.footer
    }

    /// The footer as sanitised HTML.
    async fn footer_html(&self) -> String {
        markdown::to_html(&self.row.footer)
    }

    /// RETIRED from the moment `retireAt` comes, for staff too, even before
    /// the background task records it.
    async fn status(&self) -> PageStatus {
        pages::public_status(&self.row).into()
    }

    /// When the page will retire by itself, if scheduled.
    async fn retire_at(&self) -> Option<DateTime<Utc>> {
        self.row.retire_at
    }

    /// Shown in place of the content once the page is retired.
    async fn retirement_notice(&self) -> Option<&str> {
        self.row.retirement_notice.as_deref()
    }

    /// Where readers of a retired page should go instead.
    async fn replacement_url(&self) -> Option<&str> {
        self.row.replacement_url.as_deref()
    }

    /// True when the public is sent to `replacementUrl` (301) instead of seeing the notice.
    async fn redirects_to_replacement(&self) -> bool {
        self.row.redirect_to_replacement
    }

    /// When the page retired: by hand, or at its scheduled `retireAt`.
    async fn retired_at(&self) -> Option<DateTime<Utc>> {
        pages::retired_at(&self.row)
    }

    async fn updated_at(&self) -> DateTime<Utc> {
        self.row.updated_at
    }

    /// When anything on the page last changed: the latest of its own
    /// `updatedAt` and that of its categories and questions (drafts and
    /// working copies included). Only for staff who asked for drafts; null
    /// for the public.
    async fn last_changed_at(&self, ctx: &Context<'_>) -> Result<Option<DateTime<Utc>>> {
        loader(ctx)
            .load_one(LastChangedOfPage(self.row.id, self.vis))
            .await
            .map_err(loader_error)
    }

    /// Send it back with changes to this page.
    async fn version(&self) -> i32 {
        self.row.version
    }

    /// When readers were last shown something new on this page: the latest
    /// publish of its text, structure or any question. Null before anything
    /// on it has been published.
    async fn last_updated_at(&self, ctx: &Context<'_>) -> Result<Option<DateTime<Utc>>> {
        service::page_updates::last_updated(db(ctx), self.row.id)
            .await
            .gql()
    }

    /// The public change notes given when something on this page was
    /// published, newest first.
    async fn change_notes(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
    ) -> Result<ChangeNoteConnection> {
        let id = self.row.id;
        let fetch = |before, limit| service::page_updates::notes(db(ctx), id, before, limit);
        newest_first(first, after, fetch, |n| n.id, ChangeNote::from).await
    }

    /// True when the page's working copy differs from what readers see: its
    /// text, a category's title, address or order, or where a published
    /// question stands. `publishPage` publishes them. Always false for the
    /// public, who are not told that edits are pending.
    async fn has_unpublished_changes(&self, ctx: &Context<'_>) -> Result<bool> {
        if self.vis == Visibility::Public {
            return Ok(false);
        }
        pages::has_unpublished_changes(db(ctx), &self.row)
            .await
            .gql()
    }

    /// What the signed-in viewer may do to this page now (all false for the
    /// public). Every change is checked again when it is made.
    async fn viewer_can(&self, ctx: &Context<'_>) -> PageViewerCan {
        PageViewerCan(PageActions::of(
            viewer(ctx),
            pages::public_status(&self.row),
        ))
    }

    /// The page's revisions and its categories' (their text and order),
    /// newest first (signed-in staff only).
    async fn history(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
    ) -> Result<RevisionConnection> {
        let id = self.row.id;
        let fetch = |before, limit| {
            service::history::list_for_page(db(ctx), viewer(ctx), id, before, limit)
        };
        newest_first(first, after, fetch, |r| r.id, Revision::new).await
    }

    /// Where the page's own working copy stands in review (staff only;
    /// null when it is not in review and was not sent back).
    async fn review(&self, ctx: &Context<'_>) -> Result<Option<super::review::Review>> {
        let item = service::review::Item::Page(self.row.id);
        super::review::review_of(ctx, item).await
    }

    /// Every unpublished change on the page, item by item, each with what
    /// readers see now and the version to publish it at (signed-in staff
    /// only): its text, categories, the order of its questions, and each
    /// question with unpublished text or never published.
    async fn unpublished_changes(
        &self,
        ctx: &Context<'_>,
    ) -> Result<Vec<super::review::UnpublishedChange>> {
        super::review::changes_of(ctx, &self.row).await
    }

    /// What has changed in the page's title, introduction and footer since
    /// they were published, word by word (signed-in staff only). Null while
    /// the page is a draft.
    async fn unpublished_diff(&self, ctx: &Context<'_>) -> Result<Option<PageDiff>> {
        let diff = service::history::page_since_published(viewer(ctx), &self.row).gql()?;
        Ok(diff.map(Into::into))
    }

    /// The categories in display order. Empty for the public once the page is retired.
    async fn categories(&self, ctx: &Context<'_>) -> Result<Vec<Category>> {
        if !pages::shows_content(&self.row, self.vis) {
            return Ok(Vec::new());
        }
        if let Some(categories) = take(&self.prefetched) {
            return Ok(categories);
        }
        let rows = loader(ctx)
            .load_one(CategoriesOfPage(self.row.id, self.vis))
            .await
            .map_err(loader_error)?
            .unwrap_or_default();
        Ok(rows
            .into_iter()
            .map(|row| Category::new(row, self.vis))
            .collect())
    }
}

/// A GraphQL object of yes/no answers that reads each field of a domain
/// struct of flags: the domain decides, the schema only documents.
macro_rules! flags_object {
    ($(#[$meta:meta])* $name:ident($inner:ty) { $($(#[doc = $doc:literal])* $field:ident),+ $(,)? }) => {
        pub struct $name($inner);

        $(#[$meta])*
        #[Object]
        impl $name {
            $(
                $(#[doc = $doc])*
                async fn $field(&self) -> bool {
                    self.0.$field
                }
            )+
        }
    };
}

flags_object!(
    /// What the viewer may do to a page.
    PageViewerCan(PageActions) {
        /// Edit the title, introduction and footer, and the page's categories and questions.
        edit,
        /// Change the status between DRAFT and LIVE (not while retired).
        publish,
        /// Change the page's address.
        change_slug,
        /// Retire the page, schedule its retirement, or reinstate it.
        retire,
    }
);

flags_object!(
    /// What the viewer may do to a question.
    QuestionViewerCan(QuestionActions) {
        /// Edit the working copy, move it, and restore an old version.
        edit,
        /// Publish the working copy (not while archived).
        publish,
        /// Take a published question back to draft.
        unpublish,
        /// Take the question off the public page and keep it.
        archive,
        /// Bring an archived question back as a draft.
        restore,
        /// Delete it with its history: only drafts never published, and archived questions.
        delete,
        /// Set when a draft publishes itself and when the question leaves the page (not while archived).
        schedule,
    }
);

/// What a member of staff's role lets them do anywhere.
#[derive(SimpleObject)]
pub struct UserCan {
    /// Draft and edit questions, categories and page text; reorder.
    pub edit_content: bool,
    /// Publish, unpublish, archive, restore and delete.
    pub publish: bool,
    /// Create pages, change their address, retire and reinstate them.
    pub manage_pages: bool,
    /// Manage users and read the audit log.
    pub manage_users: bool,
    /// Register webhooks, see their deliveries and send them again.
    pub manage_webhooks: bool,
}

impl UserCan {
    /// Nothing for a disabled user.
    pub fn of(role: crate::domain::Role, disabled: bool) -> Self {
        use crate::domain::Permission;
        let may = |p: Permission| !disabled && p.allowed_to(role);
        UserCan {
            edit_content: may(Permission::EditContent),
            publish: may(Permission::Publish),
            manage_pages: may(Permission::ManagePages),
            manage_users: may(Permission::ManageUsers),
            manage_webhooks: may(Permission::ManageWebhooks),
        }
    }
}

/// A heading on a page that groups related questions.
pub struct Category {
    pub row: category::Model,
    pub vis: Visibility,
    /// Questions loaded ahead by the query that found the category, if it did.
    pub prefetched: Mutex<Option<Vec<QuestionView>>>,
}

impl Category {
    pub fn new(row: category::Model, vis: Visibility) -> Self {
        Category {
            row,
            vis,
            prefetched: Mutex::new(None),
        }
    }

    pub fn prefilled(
        row: category::Model,
        vis: Visibility,
        questions: Option<Vec<QuestionView>>,
    ) -> Self {
        Category {
            row,
            vis,
            prefetched: Mutex::new(questions),
        }
    }
}

/// Prefetched children are handed out once; a second selection of the same
/// field (an alias) falls back to the batch loaders.
fn take<T>(slot: &Mutex<Option<T>>) -> Option<T> {
    slot.lock().ok().and_then(|mut guard| guard.take())
}

#[Object]
impl Category {
    async fn id(&self) -> ID {
        ID(self.row.id.to_string())
    }

    /// Unique within its page; the anchor of the category's section.
    async fn slug(&self) -> &str {
        &self.row.slug
    }

    /// The heading of the category's section, and its entry in the page's
    /// contents list.
    async fn title(&self) -> &str {
        &self.row.title
    }

    /// 1-based place of the category on its page.
    async fn position(&self) -> i32 {
        self.row.position
    }

    async fn archived(&self) -> bool {
        self.row.archived_at.is_some()
    }

    async fn version(&self) -> i32 {
        self.row.version
    }

    /// True when its working title, address or place differs from what
    /// readers see, or it has never been published. Always false for the
    /// public.
    async fn has_unpublished_changes(&self) -> bool {
        self.vis != Visibility::Public && service::published::category_differs(&self.row)
    }

    /// The questions in display order.
    async fn questions(&self, ctx: &Context<'_>) -> Result<Vec<Question>> {
        let views = match take(&self.prefetched) {
            Some(views) => views,
            None => loader(ctx)
                .load_one(QuestionsOfCategory(self.row.id, self.vis))
                .await
                .map_err(loader_error)?
                .unwrap_or_default(),
        };
        // The category is already at hand: no query for Question.category.
        Ok(views
            .into_iter()
            .map(|view| Question(view, Some(self.row.clone())))
            .collect())
    }
}

/// One question and its answer.
pub struct Question(pub QuestionView, pub Option<category::Model>);

impl Question {
    /// A question whose category is not loaded yet.
    pub fn new(view: QuestionView) -> Self {
        Question(view, None)
    }
}

#[Object]
impl Question {
    async fn id(&self) -> ID {
        ID(self.0.row.id.to_string())
    }

    /// Unique within its page.
    async fn slug(&self) -> &str {
        &self.0.row.slug
    }

    /// The question, as plain text.
    async fn question(&self) -> &str {
        self.0.question()
    }

    /// The answer, as Markdown source.
    async fn answer(&self) -> &str {
        self.0.answer()
    }

    /// The answer as sanitised HTML: no raw HTML, scripts or javascript: links.
    async fn answer_html(&self) -> &str {
        self.0.answer_html()
    }

    /// 1-based place of the question in its category.
    async fn position(&self) -> i32 {
        self.0.row.position
    }

    async fn status(&self) -> QuestionStatus {
        self.0.status().into()
    }

    /// Goes up by one on every change; send it back with an edit.
    async fn version(&self) -> i32 {
        self.0.row.version
    }

    /// What the signed-in viewer may do to this question now (all false for
    /// the public). Every change is checked again when it is made.
    async fn viewer_can(&self, ctx: &Context<'_>) -> QuestionViewerCan {
        let ever_published = self.0.row.published_at.is_some();
        QuestionViewerCan(QuestionActions::of(
            viewer(ctx),
            self.0.status(),
            ever_published,
        ))
    }

    /// Where the question stands in review (staff only; null when it is
    /// not in review and was not sent back).
    async fn review(&self, ctx: &Context<'_>) -> Result<Option<super::review::Review>> {
        let item = service::review::Item::Question(self.0.row.id);
        super::review::review_of(ctx, item).await
    }

    /// True when the working copy has edits the public cannot see yet.
    async fn has_unpublished_changes(&self) -> bool {
        self.0.has_unpublished_changes()
    }

    async fn published_at(&self) -> Option<DateTime<Utc>> {
        self.0.row.published_at
    }

    /// When a draft will be published by itself, if scheduled.
    async fn publish_at(&self) -> Option<DateTime<Utc>> {
        self.0.row.publish_at
    }

    /// When the question will leave the public page (archived), if scheduled.
    async fn expire_at(&self) -> Option<DateTime<Utc>> {
        self.0.row.expire_at
    }

    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.row.updated_at
    }

    /// The text the public sees; null if it has never been published or was unpublished.
    async fn published_question(&self) -> Option<&str> {
        self.0.row.live_question.as_deref()
    }

    /// The answer (Markdown) the public sees; null if not published.
    async fn published_answer(&self) -> Option<&str> {
        self.0.row.live_answer.as_deref()
    }

    async fn created_at(&self) -> DateTime<Utc> {
        self.0.row.created_at
    }

    /// Every saved version, newest first (signed-in staff only); the one
    /// readers see is marked `live`.
    async fn revisions(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
    ) -> Result<RevisionConnection> {
        let id = self.0.row.id;
        let fetch = |before, limit| {
            service::revisions::list_for(db(ctx), viewer(ctx), "question", id, before, limit)
        };
        let mut list = newest_first(first, after, fetch, |r| r.id, Revision::new).await?;
        let live = service::history::live_revision(db(ctx), &self.0.row)
            .await
            .gql()?;
        for edge in &mut list.edges {
            edge.node.live = Some(edge.node.row.id) == live;
        }
        Ok(list)
    }

    /// Word-level differences between two of this question's revisions (signed-in staff only).
    async fn diff(
        &self,
        ctx: &Context<'_>,
        from_revision_id: ID,
        to_revision_id: ID,
    ) -> Result<RevisionDiff> {
        let from = parse_id("fromRevisionId", &from_revision_id)?;
        let to = parse_id("toRevisionId", &to_revision_id)?;
        let diff = service::revisions::diff_question(db(ctx), viewer(ctx), self.0.row.id, from, to)
            .await
            .gql()?;
        Ok(diff.into())
    }

    /// What has changed since it was published: the working copy against
    /// the text readers see, word by word (signed-in staff only). Null
    /// while there is no published text.
    async fn unpublished_diff(&self, ctx: &Context<'_>) -> Result<Option<RevisionDiff>> {
        let diff = service::history::question_since_published(viewer(ctx), &self.0.row).gql()?;
        Ok(diff.map(Into::into))
    }

    async fn category(&self, ctx: &Context<'_>) -> Result<Category> {
        if let Some(row) = &self.1 {
            return Ok(Category::new(row.clone(), self.0.vis));
        }
        let row = loader(ctx)
            .load_one(CategoryById(self.0.row.category_id, self.0.vis))
            .await
            .map_err(loader_error)?
            .ok_or_else(|| {
                AppError::NotFound("This question's category is not available.".into()).extend()
            })?;
        Ok(Category::new(row, self.0.vis))
    }
}

/// One search result.
pub struct SearchHit(pub crate::service::search::SearchHit);

#[Object]
impl SearchHit {
    /// The question that matched, as the public sees it.
    async fn question(&self) -> Question {
        Question::new(self.0.question.clone())
    }

    /// Part of the answer around the match, as HTML: the text is escaped and
    /// each matched word is wrapped in `<mark>`.
    async fn snippet(&self) -> &str {
        &self.0.snippet_html
    }

    /// How well it matched; higher is better. Comparable only within one search.
    async fn score(&self) -> f64 {
        self.0.score
    }
}

/// A public note on what changed, given when something on a page was
/// published.
#[derive(SimpleObject)]
pub struct ChangeNote {
    pub published_at: DateTime<Utc>,
    /// Plain text, as the publisher wrote it.
    pub note: String,
}

impl From<entity::page_update::Model> for ChangeNote {
    fn from(row: entity::page_update::Model) -> Self {
        ChangeNote {
            published_at: row.published_at,
            note: row.note.unwrap_or_default(),
        }
    }
}

pub type ChangeNoteConnection = super::admin::CountedConnection<ChangeNote>;
