use sea_orm::entity::prelude::*;

/// A one-time link: an invitation to make an account, or a password reset.
/// Only a hash of the token is kept.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "account_links")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    /// "invitation" or "password_reset".
    pub purpose: String,
    #[sea_orm(unique)]
    pub token_hash: String,
    pub email: String,
    pub display_name: Option<String>,
    pub role: Option<super::status::Role>,
    pub user_id: Option<i32>,
    pub created_by: Option<i32>,
    pub client_addr: Option<String>,
    pub expires_at: DateTimeUtc,
    pub used_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
