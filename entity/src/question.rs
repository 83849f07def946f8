use sea_orm::entity::prelude::*;

/// A question keeps two copies of its text: the working copy (`question`,
/// `answer`) that editors change, and the live copy (`live_*`) that the
/// public sees, written only on publish.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "questions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub page_id: i32,
    pub category_id: i32,
    pub slug: String,
    pub position: i32,
    pub status: super::status::QuestionStatus,
    pub question: String,
    pub answer: String,
    pub answer_html: String,
    pub live_question: Option<String>,
    pub live_answer: Option<String>,
    pub live_answer_html: Option<String>,
    pub publish_at: Option<DateTimeUtc>,
    pub expire_at: Option<DateTimeUtc>,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub created_by: Option<i32>,
    pub updated_at: DateTimeUtc,
    pub updated_by: Option<i32>,
    pub published_at: Option<DateTimeUtc>,
    pub published_by: Option<i32>,
    pub archived_at: Option<DateTimeUtc>,
    /// Where readers see it; NULL until first published (it follows its
    /// working place until then).
    pub published_category_id: Option<i32>,
    pub published_slug: Option<String>,
    pub published_position: Option<i32>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::category::Entity",
        from = "Column::CategoryId",
        to = "super::category::Column::Id"
    )]
    Category,
    #[sea_orm(
        belongs_to = "super::page::Entity",
        from = "Column::PageId",
        to = "super::page::Column::Id"
    )]
    Page,
}

impl Related<super::page::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Page.def()
    }
}

impl Related<super::category::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Category.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
