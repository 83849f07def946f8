//! Review before publishing: one row per question or page whose working
//! copy an editor sent for review. It holds where the item stands now (in
//! review, or sent back with a comment); each step is also kept in the
//! item's revisions and the audit log. The row goes when the item is
//! published.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Reviews {
    Table,
    Id,
    ItemType,
    ItemId,
    PageId,
    State,
    Message,
    SentBy,
    SentAt,
    SentVersion,
    Comment,
    ReturnedBy,
    ReturnedAt,
}

#[derive(DeriveIden)]
enum Pages {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Reviews::Table)
                    .col(pk_auto(Reviews::Id))
                    .col(string_len(Reviews::ItemType, 16))
                    .col(integer(Reviews::ItemId))
                    .col(integer(Reviews::PageId))
                    .col(string_len(Reviews::State, 16))
                    .col(string_len_null(Reviews::Message, 1000))
                    .col(integer_null(Reviews::SentBy))
                    .col(timestamp_with_time_zone(Reviews::SentAt))
                    .col(integer(Reviews::SentVersion))
                    .col(string_len_null(Reviews::Comment, 1000))
                    .col(integer_null(Reviews::ReturnedBy))
                    .col(timestamp_with_time_zone_null(Reviews::ReturnedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Reviews::Table, Reviews::PageId)
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
                    .name("ux_reviews_item")
                    .table(Reviews::Table)
                    .col(Reviews::ItemType)
                    .col(Reviews::ItemId)
                    .unique()
                    .take(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Reviews::Table).to_owned())
            .await
    }
}
