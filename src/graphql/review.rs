//! Reviewing a page's unpublished changes and publishing a chosen set of
//! them (the "Review and publish" screen).

use async_graphql::{Context, Enum, InputObject, Object, Result, SimpleObject, ID};
use chrono::{DateTime, Utc};

use entity::review;
use sea_orm::EntityTrait;

use super::admin::{author, DiffSegment, User};
use super::query::{db, viewer};
use super::types::{Page, Question};
use super::{parse_id, Gql};
use crate::domain::TwoPersonRule;
use crate::error::AppError;
use crate::service::questions::QuestionView;
use crate::service::review as reviews;
use crate::service::unpublished::{self, ChangedField as Field, Item, Pending};
use crate::service::Visibility;

/// What kind of change an unpublished item is.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "crate::service::unpublished::ItemKind")]
pub enum UnpublishedKind {
    /// The page's title, introduction and footer; its id is the page's.
    PageText,
    /// A category's title, address and place among the categories.
    Category,
    /// Where the questions readers see stand (category, place, address);
    /// its id is the page's.
    Order,
    /// A question's text, or its first publication.
    Question,
}

/// One unpublished change on a page, as the review screen lists it.
pub struct UnpublishedChange(pub Pending);

#[Object]
impl UnpublishedChange {
    async fn kind(&self) -> UnpublishedKind {
        self.0.item.kind.into()
    }

    /// The page's id (page text, order), the category's or the question's.
    async fn id(&self) -> ID {
        ID(self.0.item.id.to_string())
    }

    /// The version to give back when publishing it.
    async fn version(&self) -> i32 {
        self.0.item.version
    }

    /// What it is, for people: a category's title, a question, …
    async fn title(&self) -> &str {
        &self.0.title
    }

    /// What publishing it does, in a sentence.
    async fn summary(&self) -> &str {
        &self.0.summary
    }

    /// Each changed value, word by word from what readers see now.
    async fn fields(&self) -> Vec<ChangedField> {
        self.0
            .fields
            .iter()
            .cloned()
            .map(ChangedField::from)
            .collect()
    }

    /// Who changed it last.
    async fn changed_by(&self, ctx: &Context<'_>) -> Result<Option<User>> {
        author(ctx, self.0.changed_by).await
    }

    async fn changed_at(&self) -> DateTime<Utc> {
        self.0.changed_at
    }
}

/// One changed value of an unpublished change.
#[derive(SimpleObject)]
pub struct ChangedField {
    pub label: String,
    /// Removed words are what readers see now; added words what they will see.
    pub diff: Vec<DiffSegment>,
}

impl From<Field> for ChangedField {
    fn from(field: Field) -> Self {
        ChangedField {
            label: field.label,
            diff: field.diff.into_iter().map(DiffSegment).collect(),
        }
    }
}

/// One change chosen for publishing, at the version it was reviewed.
#[derive(InputObject)]
pub struct ChangeToPublish {
    pub kind: UnpublishedKind,
    pub id: ID,
    pub version: i32,
}

#[derive(InputObject)]
pub struct PublishChangesInput {
    pub page_id: ID,
    /// The changes to publish, from `Page.unpublishedChanges`.
    pub items: Vec<ChangeToPublish>,
    /// What changed, for readers: plain text, up to 300 characters.
    pub change_note: Option<String>,
}

#[derive(Default)]
pub struct ReviewMutation;

/// `Page.unpublishedChanges`, for the page resolver.
pub async fn changes_of(
    ctx: &Context<'_>,
    page: &entity::page::Model,
) -> Result<Vec<UnpublishedChange>> {
    let listed = unpublished::list(db(ctx), viewer(ctx), page).await.gql()?;
    Ok(listed.into_iter().map(UnpublishedChange).collect())
}

/// Whether a second person must publish (`QANDA_TWO_PERSON_RULE`).
pub fn two_person_rule(ctx: &Context<'_>) -> TwoPersonRule {
    ctx.data_opt::<TwoPersonRule>().copied().unwrap_or_default()
}

/// Where an item stands in review.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReviewState {
    /// Sent for review; waiting for a publisher.
    InReview,
    /// Sent back to its editor with a comment.
    SentBack,
}

/// What a review is of.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReviewItemType {
    Question,
    Page,
}

/// A question's or page's working copy sent for review.
pub struct Review(pub review::Model);

#[Object]
impl Review {
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }

    async fn item_type(&self) -> ReviewItemType {
        match reviews::Item::of(&self.0) {
            reviews::Item::Question(_) => ReviewItemType::Question,
            reviews::Item::Page(_) => ReviewItemType::Page,
        }
    }

    async fn state(&self) -> ReviewState {
        if self.0.state == reviews::SENT_BACK {
            ReviewState::SentBack
        } else {
            ReviewState::InReview
        }
    }

    /// The sender's message to the reviewer.
    async fn message(&self) -> Option<&str> {
        self.0.message.as_deref()
    }

    async fn sent_by(&self, ctx: &Context<'_>) -> Result<Option<User>> {
        author(ctx, self.0.sent_by).await
    }

    async fn sent_at(&self) -> DateTime<Utc> {
        self.0.sent_at
    }

    /// The item's version when it was sent.
    async fn sent_version(&self) -> i32 {
        self.0.sent_version
    }

    /// The reviewer's comment, when it was sent back.
    async fn comment(&self) -> Option<&str> {
        self.0.comment.as_deref()
    }

    async fn returned_by(&self, ctx: &Context<'_>) -> Result<Option<User>> {
        author(ctx, self.0.returned_by).await
    }

    async fn returned_at(&self) -> Option<DateTime<Utc>> {
        self.0.returned_at
    }

    /// The question, when the review is of a question.
    async fn question(&self, ctx: &Context<'_>) -> Result<Option<Question>> {
        let reviews::Item::Question(id) = reviews::Item::of(&self.0) else {
            return Ok(None);
        };
        let row = entity::question::Entity::find_by_id(id)
            .one(db(ctx))
            .await
            .map_err(AppError::from)
            .gql()?;
        Ok(row.map(|row| Question::new(QuestionView::new(row, Visibility::Everything))))
    }

    /// The page the item is on (the item itself for a page's review).
    async fn page(&self, ctx: &Context<'_>) -> Result<Option<Page>> {
        let row = entity::page::Entity::find_by_id(self.0.page_id)
            .one(db(ctx))
            .await
            .map_err(AppError::from)
            .gql()?;
        Ok(row.map(|row| Page::new(row, Visibility::Everything)))
    }

    /// True when the item was saved again after it was sent.
    async fn changed_since_sent(&self, ctx: &Context<'_>) -> Result<bool> {
        let current = match reviews::Item::of(&self.0) {
            reviews::Item::Question(id) => entity::question::Entity::find_by_id(id)
                .one(db(ctx))
                .await
                .map(|row| row.map(|q| q.version)),
            reviews::Item::Page(id) => entity::page::Entity::find_by_id(id)
                .one(db(ctx))
                .await
                .map(|row| row.map(|p| p.version)),
        }
        .map_err(AppError::from)
        .gql()?;
        Ok(current.is_some_and(|v| reviews::changed_since_sent(&self.0, v)))
    }
}

/// Someone's own work in progress.
#[derive(SimpleObject)]
pub struct MyWork {
    /// Questions they changed last that readers do not see yet and that
    /// are not in review.
    pub drafts: Vec<Question>,
    /// What they sent for review and waits.
    pub sent: Vec<Review>,
    /// What came back to them, with the reviewer's comment.
    pub returned: Vec<Review>,
}

#[derive(Default)]
pub struct ReviewQuery;

#[Object]
impl ReviewQuery {
    /// What waits for review, oldest first (publishers and admins).
    async fn review_queue(&self, ctx: &Context<'_>) -> Result<Vec<Review>> {
        let rows = reviews::queue(db(ctx), viewer(ctx)).await.gql()?;
        Ok(rows.into_iter().map(Review).collect())
    }

    /// How many items wait for review: for the header (0 for those who
    /// cannot publish).
    async fn review_count(&self, ctx: &Context<'_>) -> Result<i32> {
        let count = reviews::waiting_count(db(ctx), viewer(ctx)).await.gql()?;
        Ok(i32::try_from(count).unwrap_or(i32::MAX))
    }

    /// The signed-in person's drafts, what they sent for review and what came back.
    async fn my_work(&self, ctx: &Context<'_>) -> Result<MyWork> {
        let work = reviews::my_work(db(ctx), viewer(ctx)).await.gql()?;
        let question = |row| Question::new(QuestionView::new(row, Visibility::Everything));
        Ok(MyWork {
            drafts: work.drafts.into_iter().map(question).collect(),
            sent: work.sent.into_iter().map(Review).collect(),
            returned: work.returned.into_iter().map(Review).collect(),
        })
    }
}

#[Object]
impl ReviewMutation {
    /// Publishes the chosen changes of a page in one transaction, all or
    /// none (publishers). When any of them changed after it was listed,
    /// nothing is published and the error (CONFLICT) names it in its
    /// extensions: itemKind, itemId, currentVersion and changedBy.
    /// Announced to webhooks once, as page.published with the changes.
    async fn publish_changes(&self, ctx: &Context<'_>, input: PublishChangesInput) -> Result<Page> {
        let page_id = parse_id("pageId", &input.page_id)?;
        let items = input
            .items
            .iter()
            .map(|i| {
                Ok(Item {
                    kind: i.kind.into(),
                    id: parse_id("items", &i.id)?,
                    version: i.version,
                })
            })
            .collect::<Result<Vec<Item>>>()?;
        let note = input.change_note.as_deref();
        let rule = two_person_rule(ctx);
        let row = unpublished::publish_selected(db(ctx), viewer(ctx), page_id, &items, note, rule)
            .await
            .gql()?;
        Ok(Page::new(row, Visibility::Everything))
    }

    /// Sends a question's working copy for review (editors and up); it is
    /// tagged "In review" until it is published or sent back.
    async fn submit_for_review(
        &self,
        ctx: &Context<'_>,
        id: ID,
        version: i32,
        #[graphql(desc = "For the reviewer: up to 1,000 characters.")] message: Option<String>,
    ) -> Result<Question> {
        let id = parse_id("id", &id)?;
        let message = message.as_deref();
        let row = reviews::submit_question(db(ctx), viewer(ctx), id, version, message)
            .await
            .gql()?;
        Ok(Question::new(QuestionView::new(
            row,
            Visibility::Everything,
        )))
    }

    /// Sends a page's own working copy (text, categories, order) for review.
    async fn submit_page_for_review(
        &self,
        ctx: &Context<'_>,
        id: ID,
        version: i32,
        #[graphql(desc = "For the reviewer: up to 1,000 characters.")] message: Option<String>,
    ) -> Result<Page> {
        let id = parse_id("id", &id)?;
        let message = message.as_deref();
        let row = reviews::submit_page(db(ctx), viewer(ctx), id, version, message)
            .await
            .gql()?;
        Ok(Page::new(row, Visibility::Everything))
    }

    /// Sends a question in review back to its editor (publishers); the
    /// comment says what needs to change and cannot be empty.
    async fn send_back(
        &self,
        ctx: &Context<'_>,
        id: ID,
        version: i32,
        comment: String,
    ) -> Result<Question> {
        let id = parse_id("id", &id)?;
        let row = reviews::send_back_question(db(ctx), viewer(ctx), id, version, &comment)
            .await
            .gql()?;
        Ok(Question::new(QuestionView::new(
            row,
            Visibility::Everything,
        )))
    }

    /// Sends a page in review back to its editor (publishers).
    async fn send_page_back(
        &self,
        ctx: &Context<'_>,
        id: ID,
        version: i32,
        comment: String,
    ) -> Result<Page> {
        let id = parse_id("id", &id)?;
        let row = reviews::send_back_page(db(ctx), viewer(ctx), id, version, &comment)
            .await
            .gql()?;
        Ok(Page::new(row, Visibility::Everything))
    }
}

/// `Question.review` and `Page.review`: staff see where the item stands.
pub async fn review_of(ctx: &Context<'_>, item: reviews::Item) -> Result<Option<Review>> {
    if !viewer(ctx).may_see_unpublished() {
        return Ok(None);
    }
    let found = reviews::of(db(ctx), item).await.gql()?;
    Ok(found.map(Review))
}
