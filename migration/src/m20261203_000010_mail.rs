//! Email: an outbox of messages written in the same transaction as the
//! change they announce, and one-time account links (invitations and
//! password resets), of which only a hash of the token is kept.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum MailMessages {
    Table,
    Id,
    Kind,
    Recipient,
    Subject,
    TextBody,
    HtmlBody,
    Status,
    Attempts,
    NextAttemptAt,
    LastAttemptAt,
    LastError,
    CreatedAt,
    SentAt,
}

#[derive(DeriveIden)]
enum AccountLinks {
    Table,
    Id,
    Purpose,
    TokenHash,
    Email,
    DisplayName,
    Role,
    UserId,
    CreatedBy,
    ClientAddr,
    ExpiresAt,
    UsedAt,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(MailMessages::Table)
                    .col(pk_auto(MailMessages::Id))
                    // What the message is for ("invitation", "password_reset", …).
                    .col(string_len(MailMessages::Kind, 40))
                    .col(string_len(MailMessages::Recipient, 320))
                    .col(string_len(MailMessages::Subject, 200))
                    .col(text(MailMessages::TextBody))
                    .col(text(MailMessages::HtmlBody))
                    .col(string_len(MailMessages::Status, 16))
                    .col(integer(MailMessages::Attempts).default(0))
                    .col(timestamp_with_time_zone_null(MailMessages::NextAttemptAt))
                    .col(timestamp_with_time_zone_null(MailMessages::LastAttemptAt))
                    .col(text_null(MailMessages::LastError))
                    .col(timestamp_with_time_zone(MailMessages::CreatedAt))
                    .col(timestamp_with_time_zone_null(MailMessages::SentAt))
                    .take(),
            )
            .await?;
        // The mail worker's question: what is pending and due?
        manager
            .create_index(
                Index::create()
                    .name("ix_mail_messages_due")
                    .table(MailMessages::Table)
                    .col(MailMessages::Status)
                    .col(MailMessages::NextAttemptAt)
                    .take(),
            )
            .await?;
        // Throttling a recipient ("at most one message per N minutes").
        manager
            .create_index(
                Index::create()
                    .name("ix_mail_messages_recipient")
                    .table(MailMessages::Table)
                    .col(MailMessages::Recipient)
                    .col(MailMessages::Kind)
                    .col(MailMessages::CreatedAt)
                    .take(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(AccountLinks::Table)
                    .col(pk_auto(AccountLinks::Id))
                    // "invitation" or "password_reset".
                    .col(string_len(AccountLinks::Purpose, 32))
                    .col(string_len_uniq(AccountLinks::TokenHash, 64))
                    // Lower-cased; for a reset, the address asked for (kept
                    // even when no account has it, for throttling).
                    .col(string_len(AccountLinks::Email, 320))
                    .col(string_len_null(AccountLinks::DisplayName, 200))
                    .col(string_len_null(AccountLinks::Role, 16))
                    // The account a reset is for; none for an invitation, or
                    // for a reset asked for an address with no account.
                    .col(integer_null(AccountLinks::UserId))
                    .col(integer_null(AccountLinks::CreatedBy))
                    .col(string_len_null(AccountLinks::ClientAddr, 64))
                    .col(timestamp_with_time_zone(AccountLinks::ExpiresAt))
                    .col(timestamp_with_time_zone_null(AccountLinks::UsedAt))
                    .col(timestamp_with_time_zone(AccountLinks::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(AccountLinks::Table, AccountLinks::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade)
                            .on_update(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(AccountLinks::Table, AccountLinks::CreatedBy)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::SetNull)
                            .on_update(ForeignKeyAction::Cascade),
                    )
                    .take(),
            )
            .await?;
        // Throttling resets per address and per client.
        manager
            .create_index(
                Index::create()
                    .name("ix_account_links_email")
                    .table(AccountLinks::Table)
                    .col(AccountLinks::Purpose)
                    .col(AccountLinks::Email)
                    .col(AccountLinks::CreatedAt)
                    .take(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_account_links_client")
                    .table(AccountLinks::Table)
                    .col(AccountLinks::Purpose)
                    .col(AccountLinks::ClientAddr)
                    .col(AccountLinks::CreatedAt)
                    .take(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(AccountLinks::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(MailMessages::Table).to_owned())
            .await
    }
}
