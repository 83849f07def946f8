//! Each revision says what happened: `action` keeps the audit log's name of
//! the change that made it (`question.publish`, `category.move`, …). Older
//! revisions get theirs from the audit entry of the same item and version
//! where there is one; a first version without one was a creation; the
//! rest stay empty and read as "Changed". Notes of restores no longer name
//! internal revision ids: "Restored from revision 7 (version 1)" becomes
//! "Restored from version 1".

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DatabaseBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Revisions {
    Table,
    Action,
}

/// The audit entry that recorded the same item at the same version. Every
/// audit entry of a versioned change keeps the version in its detail.
fn fill_from_audit(backend: DatabaseBackend) -> String {
    let version = match backend {
        DatabaseBackend::Postgres => "(a.detail::jsonb ->> 'version')",
        _ => "CAST(json_extract(a.detail, '$.version') AS TEXT)",
    };
    format!(
        "UPDATE revisions SET action = (
            SELECT a.action FROM audit_events a
            WHERE a.target_type = revisions.item_type
              AND a.target_id = CAST(revisions.item_id AS TEXT)
              AND {version} = CAST(revisions.item_version AS TEXT)
            ORDER BY a.id LIMIT 1)
        WHERE action IS NULL"
    )
}

const FIRST_VERSIONS: &str = "UPDATE revisions SET action = item_type || '.create'
    WHERE action IS NULL AND item_version = 1";

fn restore_notes(backend: DatabaseBackend) -> &'static str {
    match backend {
        DatabaseBackend::Postgres => {
            r"UPDATE revisions
            SET note = regexp_replace(note, '^Restored from revision [0-9]+ \(version ([0-9]+)\)$', 'Restored from version \1')
            WHERE note ~ '^Restored from revision [0-9]+ \(version [0-9]+\)$'"
        }
        _ => {
            "UPDATE revisions
            SET note = 'Restored from version ' || substr(note, instr(note, '(version ') + 9, length(note) - instr(note, '(version ') - 9)
            WHERE note GLOB 'Restored from revision [0-9]* (version [0-9]*)'"
        }
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Revisions::Table)
                    .add_column(ColumnDef::new(Revisions::Action).string_len(64).null())
                    .take(),
            )
            .await?;
        let backend = manager.get_database_backend();
        let db = manager.get_connection();
        db.execute_unprepared(&fill_from_audit(backend)).await?;
        db.execute_unprepared(FIRST_VERSIONS).await?;
        db.execute_unprepared(restore_notes(backend)).await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Revisions::Table)
                    .drop_column(Revisions::Action)
                    .take(),
            )
            .await
    }
}
