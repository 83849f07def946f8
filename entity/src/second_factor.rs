use sea_orm::entity::prelude::*;

/// A user's TOTP second factor. `secret` is the confirmed one (null until
/// the user has confirmed an app); `pending_secret` is one shown to them
/// and waiting for its first code. Secrets are base32, as apps take them.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "second_factors")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub user_id: i32,
    pub secret: Option<String>,
    pub confirmed_at: Option<DateTimeUtc>,
    /// The last 30-second step a code was accepted for: codes of this step
    /// or earlier are refused, so a code works once.
    pub last_used_step: Option<i64>,
    pub pending_secret: Option<String>,
    pub pending_since: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
