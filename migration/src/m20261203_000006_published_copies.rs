//! Published copies of everything readers see. An editor's change to a
//! page's text, a category's title, address or place, or a question's place
//! or address now changes a working copy; readers see the published copy
//! until a publisher publishes. A question never published has no published
//! place (NULL): it follows its working one, and takes it when it is first
//! published. Existing rows publish what readers saw before this migration.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Pages {
    Table,
    Title,
    Intro,
    Footer,
    PublishedTitle,
    PublishedIntro,
    PublishedFooter,
}

#[derive(DeriveIden)]
enum Categories {
    Table,
    Title,
    Slug,
    Position,
    PublishedTitle,
    PublishedSlug,
    PublishedPosition,
}

#[derive(DeriveIden)]
enum Questions {
    Table,
    CategoryId,
    Slug,
    Position,
    LiveQuestion,
    PublishedCategoryId,
    PublishedSlug,
    PublishedPosition,
}

/// Adds one column (SQLite takes one per ALTER TABLE).
async fn add(
    manager: &SchemaManager<'_>,
    table: impl IntoIden + 'static,
    column: ColumnDef,
) -> Result<(), DbErr> {
    let mut column = column;
    manager
        .alter_table(
            Table::alter()
                .table(table)
                .add_column(&mut column)
                .to_owned(),
        )
        .await
}

async fn drop(
    manager: &SchemaManager<'_>,
    table: impl IntoIden + 'static,
    column: impl IntoIden,
) -> Result<(), DbErr> {
    manager
        .alter_table(Table::alter().table(table).drop_column(column).to_owned())
        .await
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        add(manager, Pages::Table, text_null(Pages::PublishedTitle)).await?;
        add(manager, Pages::Table, text_null(Pages::PublishedIntro)).await?;
        add(manager, Pages::Table, text_null(Pages::PublishedFooter)).await?;
        add(
            manager,
            Categories::Table,
            text_null(Categories::PublishedTitle),
        )
        .await?;
        add(
            manager,
            Categories::Table,
            text_null(Categories::PublishedSlug),
        )
        .await?;
        add(
            manager,
            Categories::Table,
            integer_null(Categories::PublishedPosition),
        )
        .await?;
        add(
            manager,
            Questions::Table,
            integer_null(Questions::PublishedCategoryId),
        )
        .await?;
        add(
            manager,
            Questions::Table,
            text_null(Questions::PublishedSlug),
        )
        .await?;
        add(
            manager,
            Questions::Table,
            integer_null(Questions::PublishedPosition),
        )
        .await?;

        let publish_pages = Query::update()
            .table(Pages::Table)
            .value(Pages::PublishedTitle, Expr::col(Pages::Title))
            .value(Pages::PublishedIntro, Expr::col(Pages::Intro))
            .value(Pages::PublishedFooter, Expr::col(Pages::Footer))
            .to_owned();
        manager.exec_stmt(publish_pages).await?;
        let publish_categories = Query::update()
            .table(Categories::Table)
            .value(Categories::PublishedTitle, Expr::col(Categories::Title))
            .value(Categories::PublishedSlug, Expr::col(Categories::Slug))
            .value(
                Categories::PublishedPosition,
                Expr::col(Categories::Position),
            )
            .to_owned();
        manager.exec_stmt(publish_categories).await?;
        let publish_placed_questions = Query::update()
            .table(Questions::Table)
            .value(
                Questions::PublishedCategoryId,
                Expr::col(Questions::CategoryId),
            )
            .value(Questions::PublishedSlug, Expr::col(Questions::Slug))
            .value(Questions::PublishedPosition, Expr::col(Questions::Position))
            .and_where(Expr::col(Questions::LiveQuestion).is_not_null())
            .to_owned();
        manager.exec_stmt(publish_placed_questions).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop(manager, Pages::Table, Pages::PublishedTitle).await?;
        drop(manager, Pages::Table, Pages::PublishedIntro).await?;
        drop(manager, Pages::Table, Pages::PublishedFooter).await?;
        drop(manager, Categories::Table, Categories::PublishedTitle).await?;
        drop(manager, Categories::Table, Categories::PublishedSlug).await?;
        drop(manager, Categories::Table, Categories::PublishedPosition).await?;
        drop(manager, Questions::Table, Questions::PublishedCategoryId).await?;
        drop(manager, Questions::Table, Questions::PublishedSlug).await?;
        drop(manager, Questions::Table, Questions::PublishedPosition).await
    }
}
