//! Two-factor sign-in: each user's TOTP secret (confirmed, and one waiting
//! to be confirmed while they set up an app), the last time step a code was
//! accepted at (so no code works twice), their one-time recovery codes
//! (hashed), and a session generation on users that is raised to end every
//! session of a user at once (when a second factor is set up or reset).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
    SessionGeneration,
}

#[derive(DeriveIden)]
enum SecondFactors {
    Table,
    UserId,
    Secret,
    ConfirmedAt,
    LastUsedStep,
    PendingSecret,
    PendingSince,
}

#[derive(DeriveIden)]
enum RecoveryCodes {
    Table,
    Id,
    UserId,
    CodeHash,
    UsedAt,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Users::Table)
                    .add_column(integer(Users::SessionGeneration).default(0))
                    .take(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(SecondFactors::Table)
                    .col(integer(SecondFactors::UserId).primary_key())
                    .col(string_len_null(SecondFactors::Secret, 64))
                    .col(timestamp_with_time_zone_null(SecondFactors::ConfirmedAt))
                    .col(big_integer_null(SecondFactors::LastUsedStep))
                    .col(string_len_null(SecondFactors::PendingSecret, 64))
                    .col(timestamp_with_time_zone_null(SecondFactors::PendingSince))
                    .foreign_key(
                        ForeignKey::create()
                            .from(SecondFactors::Table, SecondFactors::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade)
                            .on_update(ForeignKeyAction::Cascade),
                    )
                    .take(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(RecoveryCodes::Table)
                    .col(pk_auto(RecoveryCodes::Id))
                    .col(integer(RecoveryCodes::UserId))
                    .col(string_len(RecoveryCodes::CodeHash, 64))
                    .col(timestamp_with_time_zone_null(RecoveryCodes::UsedAt))
                    .col(timestamp_with_time_zone(RecoveryCodes::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(RecoveryCodes::Table, RecoveryCodes::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade)
                            .on_update(ForeignKeyAction::Cascade),
                    )
                    .take(),
            )
            .await?;
        // A recovery code is looked up by its user and hash.
        manager
            .create_index(
                Index::create()
                    .name("recovery_codes_user_hash")
                    .table(RecoveryCodes::Table)
                    .col(RecoveryCodes::UserId)
                    .col(RecoveryCodes::CodeHash)
                    .unique()
                    .take(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(RecoveryCodes::Table).take())
            .await?;
        manager
            .drop_table(Table::drop().table(SecondFactors::Table).take())
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Users::Table)
                    .drop_column(Users::SessionGeneration)
                    .take(),
            )
            .await
    }
}
