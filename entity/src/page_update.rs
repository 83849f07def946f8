use sea_orm::entity::prelude::*;

/// Something on a page was published: when, by whom, and the public change
/// note given with it.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "page_updates")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub page_id: i32,
    pub published_at: DateTimeUtc,
    pub note: Option<String>,
    pub published_by: Option<i32>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
