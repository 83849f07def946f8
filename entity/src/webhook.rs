use sea_orm::entity::prelude::*;

/// A URL that receives a signed POST when chosen events happen.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "webhooks")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub url: String,
    /// The HMAC-SHA256 key for the signature header. Kept in clear text
    /// because signing needs it; never returned by the API after creation.
    pub secret: String,
    /// Comma-separated event names, e.g. `question.published,page.retired`.
    pub events: String,
    pub active: bool,
    pub description: Option<String>,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub created_by: Option<i32>,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(has_many = "super::webhook_delivery::Entity")]
    Delivery,
}

impl Related<super::webhook_delivery::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Delivery.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
