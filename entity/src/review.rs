use sea_orm::entity::prelude::*;

/// A question's or page's working copy sent for review: where it stands
/// (`in_review` or `sent_back`), the sender's message and the reviewer's
/// comment.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "reviews")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    /// `question` or `page`.
    pub item_type: String,
    pub item_id: i32,
    pub page_id: i32,
    /// `in_review` or `sent_back`.
    pub state: String,
    pub message: Option<String>,
    pub sent_by: Option<i32>,
    pub sent_at: DateTimeUtc,
    /// The item's version when it was sent.
    pub sent_version: i32,
    pub comment: Option<String>,
    pub returned_by: Option<i32>,
    pub returned_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
