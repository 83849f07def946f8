//! The whole content model: users, pages, categories, questions, revisions,
//! sessions and audit events.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
    Email,
    DisplayName,
    Role,
    PasswordHash,
    Disabled,
    LastSignInAt,
    Version,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Pages {
    Table,
    Id,
    Slug,
    Title,
    Intro,
    Footer,
    Status,
    RetirementNotice,
    ReplacementUrl,
    RedirectToReplacement,
    RetireAt,
    RetiredAt,
    Version,
    CreatedAt,
    CreatedBy,
    UpdatedAt,
    UpdatedBy,
}

#[derive(DeriveIden)]
enum Categories {
    Table,
    Id,
    PageId,
    Slug,
    Title,
    Position,
    ArchivedAt,
    Version,
    CreatedAt,
    CreatedBy,
    UpdatedAt,
    UpdatedBy,
}

#[derive(DeriveIden)]
enum Questions {
    Table,
    Id,
    PageId,
    CategoryId,
    Slug,
    Position,
    Status,
    Question,
    Answer,
    AnswerHtml,
    LiveQuestion,
    LiveAnswer,
    LiveAnswerHtml,
    PublishAt,
    ExpireAt,
    Version,
    CreatedAt,
    CreatedBy,
    UpdatedAt,
    UpdatedBy,
    PublishedAt,
    PublishedBy,
    ArchivedAt,
}

#[derive(DeriveIden)]
enum Revisions {
    Table,
    Id,
    ItemType,
    ItemId,
    ItemVersion,
    Snapshot,
    Note,
    AuthorId,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Sessions {
    Table,
    Id,
    Data,
    ExpiresAt,
}

#[derive(DeriveIden)]
enum AuditEvents {
    Table,
    Id,
    OccurredAt,
    ActorId,
    Action,
    TargetType,
    TargetId,
    Detail,
    ClientAddr,
}

fn fk(
    from_table: impl IntoIden,
    from_col: impl IntoIden,
    to_table: impl IntoIden,
    to_col: impl IntoIden,
    on_delete: ForeignKeyAction,
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .from(from_table, from_col)
        .to(to_table, to_col)
        .on_delete(on_delete)
        .on_update(ForeignKeyAction::Cascade)
        .take()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Users::Table)
                    .col(pk_auto(Users::Id))
                    .col(string_len_uniq(Users::Email, 320))
                    .col(string_len(Users::DisplayName, 200))
                    .col(string_len(Users::Role, 16))
                    .col(text(Users::PasswordHash))
                    .col(boolean(Users::Disabled).default(false))
                    .col(timestamp_with_time_zone_null(Users::LastSignInAt))
                    .col(integer(Users::Version).default(1))
                    .col(timestamp_with_time_zone(Users::CreatedAt))
                    .col(timestamp_with_time_zone(Users::UpdatedAt))
                    .take(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Pages::Table)
                    .col(pk_auto(Pages::Id))
                    .col(string_len_uniq(Pages::Slug, 100))
                    .col(string_len(Pages::Title, 200))
                    .col(text(Pages::Intro))
                    .col(text(Pages::Footer))
                    .col(string_len(Pages::Status, 16))
                    .col(text_null(Pages::RetirementNotice))
                    .col(string_len_null(Pages::ReplacementUrl, 2000))
                    .col(boolean(Pages::RedirectToReplacement).default(false))
                    .col(timestamp_with_time_zone_null(Pages::RetireAt))
                    .col(timestamp_with_time_zone_null(Pages::RetiredAt))
                    .col(integer(Pages::Version).default(1))
                    .col(timestamp_with_time_zone(Pages::CreatedAt))
                    .col(integer_null(Pages::CreatedBy))
                    .col(timestamp_with_time_zone(Pages::UpdatedAt))
                    .col(integer_null(Pages::UpdatedBy))
                    .foreign_key(&mut fk(
                        Pages::Table,
                        Pages::CreatedBy,
                        Users::Table,
                        Users::Id,
                        ForeignKeyAction::SetNull,
                    ))
                    .foreign_key(&mut fk(
                        Pages::Table,
                        Pages::UpdatedBy,
                        Users::Table,
                        Users::Id,
                        ForeignKeyAction::SetNull,
                    ))
                    .take(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Categories::Table)
                    .col(pk_auto(Categories::Id))
                    .col(integer(Categories::PageId))
                    .col(string_len(Categories::Slug, 100))
                    .col(string_len(Categories::Title, 200))
                    .col(integer(Categories::Position))
                    .col(timestamp_with_time_zone_null(Categories::ArchivedAt))
                    .col(integer(Categories::Version).default(1))
                    .col(timestamp_with_time_zone(Categories::CreatedAt))
                    .col(integer_null(Categories::CreatedBy))
                    .col(timestamp_with_time_zone(Categories::UpdatedAt))
                    .col(integer_null(Categories::UpdatedBy))
                    .foreign_key(&mut fk(
                        Categories::Table,
                        Categories::PageId,
                        Pages::Table,
                        Pages::Id,
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut fk(
                        Categories::Table,
                        Categories::CreatedBy,
                        Users::Table,
                        Users::Id,
                        ForeignKeyAction::SetNull,
                    ))
                    .foreign_key(&mut fk(
                        Categories::Table,
                        Categories::UpdatedBy,
                        Users::Table,
                        Users::Id,
                        ForeignKeyAction::SetNull,
                    ))
                    .take(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_categories_page_slug")
                    .table(Categories::Table)
                    .col(Categories::PageId)
                    .col(Categories::Slug)
                    .unique()
                    .take(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_categories_page_position")
                    .table(Categories::Table)
                    .col(Categories::PageId)
                    .col(Categories::Position)
                    .take(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Questions::Table)
                    .col(pk_auto(Questions::Id))
                    .col(integer(Questions::PageId))
                    .col(integer(Questions::CategoryId))
                    .col(string_len(Questions::Slug, 100))
                    .col(integer(Questions::Position))
                    .col(string_len(Questions::Status, 16))
                    .col(text(Questions::Question))
                    .col(text(Questions::Answer))
                    .col(text(Questions::AnswerHtml))
                    .col(text_null(Questions::LiveQuestion))
                    .col(text_null(Questions::LiveAnswer))
                    .col(text_null(Questions::LiveAnswerHtml))
                    .col(timestamp_with_time_zone_null(Questions::PublishAt))
                    .col(timestamp_with_time_zone_null(Questions::ExpireAt))
                    .col(integer(Questions::Version).default(1))
                    .col(timestamp_with_time_zone(Questions::CreatedAt))
                    .col(integer_null(Questions::CreatedBy))
                    .col(timestamp_with_time_zone(Questions::UpdatedAt))
                    .col(integer_null(Questions::UpdatedBy))
                    .col(timestamp_with_time_zone_null(Questions::PublishedAt))
                    .col(integer_null(Questions::PublishedBy))
                    .col(timestamp_with_time_zone_null(Questions::ArchivedAt))
                    .foreign_key(&mut fk(
                        Questions::Table,
                        Questions::PageId,
                        Pages::Table,
                        Pages::Id,
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut fk(
                        Questions::Table,
                        Questions::CategoryId,
                        Categories::Table,
                        Categories::Id,
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut fk(
                        Questions::Table,
                        Questions::CreatedBy,
                        Users::Table,
                        Users::Id,
                        ForeignKeyAction::SetNull,
                    ))
                    .foreign_key(&mut fk(
                        Questions::Table,
                        Questions::UpdatedBy,
                        Users::Table,
                        Users::Id,
                        ForeignKeyAction::SetNull,
                    ))
                    .foreign_key(&mut fk(
                        Questions::Table,
                        Questions::PublishedBy,
                        Users::Table,
                        Users::Id,
                        ForeignKeyAction::SetNull,
                    ))
                    .take(),
            )
            .await?;
        // Question slugs are unique within their page, not only their category,
        // so moving a question between categories can never clash.
        manager
            .create_index(
                Index::create()
                    .name("ux_questions_page_slug")
                    .table(Questions::Table)
                    .col(Questions::PageId)
                    .col(Questions::Slug)
                    .unique()
                    .take(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_questions_category_position")
                    .table(Questions::Table)
                    .col(Questions::CategoryId)
                    .col(Questions::Position)
                    .take(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Revisions::Table)
                    .col(pk_auto(Revisions::Id))
                    .col(string_len(Revisions::ItemType, 16))
                    .col(integer(Revisions::ItemId))
                    .col(integer(Revisions::ItemVersion))
                    .col(text(Revisions::Snapshot))
                    .col(text_null(Revisions::Note))
                    .col(integer_null(Revisions::AuthorId))
                    .col(timestamp_with_time_zone(Revisions::CreatedAt))
                    .foreign_key(&mut fk(
                        Revisions::Table,
                        Revisions::AuthorId,
                        Users::Table,
                        Users::Id,
                        ForeignKeyAction::SetNull,
                    ))
                    .take(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_revisions_item")
                    .table(Revisions::Table)
                    .col(Revisions::ItemType)
                    .col(Revisions::ItemId)
                    .col(Revisions::Id)
                    .take(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Sessions::Table)
                    .col(string_len(Sessions::Id, 128).primary_key())
                    .col(text(Sessions::Data))
                    .col(timestamp_with_time_zone(Sessions::ExpiresAt))
                    .take(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_sessions_expires_at")
                    .table(Sessions::Table)
                    .col(Sessions::ExpiresAt)
                    .take(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(AuditEvents::Table)
                    .col(pk_auto(AuditEvents::Id))
                    .col(timestamp_with_time_zone(AuditEvents::OccurredAt))
                    .col(integer_null(AuditEvents::ActorId))
                    .col(string_len(AuditEvents::Action, 64))
                    .col(string_len_null(AuditEvents::TargetType, 32))
                    .col(string_len_null(AuditEvents::TargetId, 64))
                    .col(text(AuditEvents::Detail))
                    .col(string_len_null(AuditEvents::ClientAddr, 64))
                    .foreign_key(&mut fk(
                        AuditEvents::Table,
                        AuditEvents::ActorId,
                        Users::Table,
                        Users::Id,
                        ForeignKeyAction::SetNull,
                    ))
                    .take(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_audit_events_occurred_at")
                    .table(AuditEvents::Table)
                    .col(AuditEvents::OccurredAt)
                    .take(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_audit_events_actor")
                    .table(AuditEvents::Table)
                    .col(AuditEvents::ActorId)
                    .take(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            AuditEvents::Table.into_iden(),
            Sessions::Table.into_iden(),
            Revisions::Table.into_iden(),
            Questions::Table.into_iden(),
            Categories::Table.into_iden(),
            Pages::Table.into_iden(),
            Users::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).take())
                .await?;
        }
        Ok(())
    }
}
