//! Delivery to consumers: a content generation number that any change to
//! pages, categories or questions raises (so every replica's response cache
//! knows when it is stale), and a full-text index over the text the public
//! sees.
//!
//! Both are kept by the database itself, with triggers and an expression
//! index, so no code path (an editor's save, a scheduled transition, an
//! import, another replica, a hand-written SQL fix) can forget them.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DatabaseBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

const CONTENT_TABLES: [&str; 3] = ["pages", "categories", "questions"];

/// SQLite: the text each question shows the public (the last published copy,
/// else the working copy of a draft whose publication is due), in an FTS5
/// table with its own copy of the text so `snippet()` can read it. Porter
/// stemming, as PostgreSQL's `english` configuration does.
const SQLITE_SEARCH: &str = r#"
CREATE VIRTUAL TABLE question_search USING fts5(
    question, answer, tokenize = 'porter unicode61 remove_diacritics 2'
);
INSERT INTO question_search (rowid, question, answer)
    SELECT id, coalesce(live_question, question), coalesce(live_answer, answer) FROM questions;
CREATE TRIGGER question_search_insert AFTER INSERT ON questions BEGIN
    INSERT INTO question_search (rowid, question, answer)
    VALUES (new.id, coalesce(new.live_question, new.question), coalesce(new.live_answer, new.answer));
END;
CREATE TRIGGER question_search_update
AFTER UPDATE OF question, answer, live_question, live_answer ON questions BEGIN
    DELETE FROM question_search WHERE rowid = old.id;
    INSERT INTO question_search (rowid, question, answer)
    VALUES (new.id, coalesce(new.live_question, new.question), coalesce(new.live_answer, new.answer));
END;
CREATE TRIGGER question_search_delete AFTER DELETE ON questions BEGIN
    DELETE FROM question_search WHERE rowid = old.id;
END;
"#;

/// PostgreSQL: an expression index; a query that repeats the expression
/// exactly (see `service::search`) uses it, and it can never fall behind.
const POSTGRES_SEARCH: &str = r#"
CREATE INDEX questions_search ON questions USING GIN ((
    setweight(to_tsvector('english'::regconfig, coalesce(live_question, question)), 'A')
    || setweight(to_tsvector('english'::regconfig, coalesce(live_answer, answer)), 'B')
));
"#;

/// The generation moves to the current time in microseconds (or one
/// more than before, if that is later), so a number is never used twice,
/// even after the database is restored from a backup: a cache cannot take
/// restored content for what it built before.
const SQLITE_BUMP: &str = "UPDATE content_generation SET generation = \
     max(generation + 1, CAST((julianday('now') - 2440587.5) * 86400000000.0 AS INTEGER)) \
     WHERE id = 1;";

/// A BEFORE STATEMENT trigger takes the generation row's lock before the
/// statement locks any content row, so two writers never deadlock over it.
const POSTGRES_GENERATION_FUNCTION: &str = r#"
CREATE FUNCTION qanda_bump_content_generation() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE content_generation
    SET generation = greatest(generation + 1, (extract(epoch FROM clock_timestamp()) * 1000000)::bigint)
    WHERE id = 1;
    RETURN NULL;
END;
$$;
"#;

#[derive(DeriveIden)]
enum ContentGeneration {
    Table,
    Id,
    Generation,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ContentGeneration::Table)
                    .col(
                        ColumnDef::new(ContentGeneration::Id)
                            .integer()
                            .not_null()
                            .primary_key(),
                    )
                    .col(
                        ColumnDef::new(ContentGeneration::Generation)
                            .big_integer()
                            .not_null(),
                    )
                    .take(),
            )
            .await?;
        manager
            .exec_stmt(
                Query::insert()
                    .into_table(ContentGeneration::Table)
                    .columns([ContentGeneration::Id, ContentGeneration::Generation])
                    .values_panic([1.into(), 1i64.into()])
                    .take(),
            )
            .await?;

        let db = manager.get_connection();
        match manager.get_database_backend() {
            DatabaseBackend::Sqlite => {
                for table in CONTENT_TABLES {
                    for event in ["INSERT", "UPDATE", "DELETE"] {
                        db.execute_unprepared(&format!(
                            "CREATE TRIGGER {table}_generation_{event} AFTER {event} ON {table} \
                             BEGIN {SQLITE_BUMP} END;",
                            event = event.to_lowercase(),
                        ))
                        .await?;
                    }
                }
                db.execute_unprepared(SQLITE_SEARCH).await?;
            }
            DatabaseBackend::Postgres => {
                db.execute_unprepared(POSTGRES_GENERATION_FUNCTION).await?;
                for table in CONTENT_TABLES {
                    db.execute_unprepared(&format!(
                        "CREATE TRIGGER {table}_generation BEFORE INSERT OR UPDATE OR DELETE \
                         ON {table} FOR EACH STATEMENT \
                         EXECUTE FUNCTION qanda_bump_content_generation();"
                    ))
                    .await?;
                }
                db.execute_unprepared(POSTGRES_SEARCH).await?;
            }
            other => {
                return Err(DbErr::Migration(format!(
                    "qanda supports SQLite and PostgreSQL, not {other:?}"
                )))
            }
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        match manager.get_database_backend() {
            DatabaseBackend::Sqlite => {
                for table in CONTENT_TABLES {
                    for event in ["insert", "update", "delete"] {
                        db.execute_unprepared(&format!(
                            "DROP TRIGGER IF EXISTS {table}_generation_{event};"
                        ))
                        .await?;
                    }
                }
                for trigger in ["insert", "update", "delete"] {
                    db.execute_unprepared(&format!(
                        "DROP TRIGGER IF EXISTS question_search_{trigger};"
                    ))
                    .await?;
                }
                db.execute_unprepared("DROP TABLE IF EXISTS question_search;")
                    .await?;
            }
            _ => {
                for table in CONTENT_TABLES {
                    db.execute_unprepared(&format!(
                        "DROP TRIGGER IF EXISTS {table}_generation ON {table};"
                    ))
                    .await?;
                }
                db.execute_unprepared(
                    "DROP FUNCTION IF EXISTS qanda_bump_content_generation(); \
                     DROP INDEX IF EXISTS questions_search;",
                )
                .await?;
            }
        }
        manager
            .drop_table(Table::drop().table(ContentGeneration::Table).take())
            .await
    }
}
