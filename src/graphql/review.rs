//! Reviewing a page's unpublished changes and publishing a chosen set of
//! them (the "Review and publish" screen).

use async_graphql::{Context, Enum, InputObject, Object, Result, SimpleObject, ID};
use chrono::{DateTime, Utc};

use super::admin::{author, DiffSegment, User};
use super::query::{db, viewer};
use super::types::Page;
use super::{parse_id, Gql};
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
        let row = unpublished::publish_selected(db(ctx), viewer(ctx), page_id, &items, note)
            .await
            .gql()?;
        Ok(Page::new(row, Visibility::Everything))
    }
}

/// `Page.unpublishedChanges`, for the page resolver.
pub async fn changes_of(
    ctx: &Context<'_>,
    page: &entity::page::Model,
) -> Result<Vec<UnpublishedChange>> {
    let listed = unpublished::list(db(ctx), viewer(ctx), page).await.gql()?;
    Ok(listed.into_iter().map(UnpublishedChange).collect())
}
