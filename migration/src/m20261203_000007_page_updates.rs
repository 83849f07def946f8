//! What readers were shown, and when: one row each time something on a page
//! is published (a question by hand or on schedule, or the page's own
//! working copy), with the public change note given with it, if any. The
//! page's "Last updated" is the newest row; its "See all updates" lists the
//! rows with notes. Existing published questions give the first rows.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum PageUpdates {
    Table,
    Id,
    PageId,
    PublishedAt,
    Note,
    PublishedBy,
}

#[derive(DeriveIden)]
enum Pages {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Questions {
    Table,
    PageId,
    PublishedAt,
    PublishedBy,
    LiveQuestion,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(PageUpdates::Table)
                    .col(pk_auto(PageUpdates::Id))
                    .col(integer(PageUpdates::PageId))
                    .col(timestamp_with_time_zone(PageUpdates::PublishedAt))
                    .col(string_len_null(PageUpdates::Note, 300))
                    .col(integer_null(PageUpdates::PublishedBy))
                    .foreign_key(
                        ForeignKey::create()
                            .from(PageUpdates::Table, PageUpdates::PageId)
                            .to(Pages::Table, Pages::Id)
                            .on_delete(ForeignKeyAction::Cascade)
                            .on_update(ForeignKeyAction::Cascade),
                    )
                    .take(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_page_updates_page_newest")
                    .table(PageUpdates::Table)
                    .col(PageUpdates::PageId)
                    .col(PageUpdates::PublishedAt)
                    .take(),
            )
            .await?;
        let first_rows = Query::insert()
            .into_table(PageUpdates::Table)
            .columns([
                PageUpdates::PageId,
                PageUpdates::PublishedAt,
                PageUpdates::PublishedBy,
            ])
            .select_from(
                Query::select()
                    .columns([
                        Questions::PageId,
                        Questions::PublishedAt,
                        Questions::PublishedBy,
                    ])
                    .from(Questions::Table)
                    .and_where(Expr::col(Questions::LiveQuestion).is_not_null())
                    .and_where(Expr::col(Questions::PublishedAt).is_not_null())
                    .to_owned(),
            )
            .map_err(|e| DbErr::Custom(e.to_string()))?
            .to_owned();
        manager.exec_stmt(first_rows).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(PageUpdates::Table).to_owned())
            .await
    }
}
