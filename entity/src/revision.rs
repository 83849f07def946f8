use sea_orm::entity::prelude::*;

/// An immutable snapshot of a page, category or question, taken on every save.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "revisions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub item_type: String,
    pub item_id: i32,
    pub item_version: i32,
    /// JSON snapshot of the item's editable fields.
    pub snapshot: String,
    pub note: Option<String>,
    /// The audit log's name of the change that made this revision; empty
    /// for old revisions whose change is not known.
    pub action: Option<String>,
    pub author_id: Option<i32>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
