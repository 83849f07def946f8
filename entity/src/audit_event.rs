use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "audit_events")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub occurred_at: DateTimeUtc,
    pub actor_id: Option<i32>,
    pub action: String,
    pub target_type: Option<String>,
    pub target_id: Option<String>,
    /// JSON object with action-specific detail.
    pub detail: String,
    pub client_addr: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
