//! One-time links for creating the first admin, and sign-in throttling
//! shared by every replica.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum SetupTokens {
    Table,
    Id,
    TokenHash,
    ExpiresAt,
    UsedAt,
    CreatedAt,
}

#[derive(DeriveIden)]
enum SignInThrottles {
    Table,
    Key,
    Failures,
    WindowStartedAt,
    LockedUntil,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(SetupTokens::Table)
                    .col(pk_auto(SetupTokens::Id))
                    .col(string_len_uniq(SetupTokens::TokenHash, 128))
                    .col(timestamp_with_time_zone(SetupTokens::ExpiresAt))
                    .col(timestamp_with_time_zone_null(SetupTokens::UsedAt))
                    .col(timestamp_with_time_zone(SetupTokens::CreatedAt))
                    .take(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(SignInThrottles::Table)
                    .col(string_len(SignInThrottles::Key, 400).primary_key())
                    .col(integer(SignInThrottles::Failures))
                    .col(timestamp_with_time_zone(SignInThrottles::WindowStartedAt))
                    .col(timestamp_with_time_zone_null(SignInThrottles::LockedUntil))
                    .take(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(SignInThrottles::Table).take())
            .await?;
        manager
            .drop_table(Table::drop().table(SetupTokens::Table).take())
            .await
    }
}
