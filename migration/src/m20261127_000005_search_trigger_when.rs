//! SQLite's full-text index was rewritten on every edit of a question, even
//! when only the working copy of a published question changed and the text
//! the index holds (the live text) stayed the same. Each rewrite deletes
//! and re-adds the row in FTS5 and now and then sets off a segment merge,
//! inside the editor's write transaction. The trigger now runs only when
//! the indexed text changes. PostgreSQL's index is an expression index and
//! needs nothing.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DatabaseBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

const INDEXED_TEXT_CHANGED: &str = r#"
CREATE TRIGGER question_search_text_changed
AFTER UPDATE OF question, answer, live_question, live_answer ON questions
WHEN coalesce(old.live_question, old.question) IS NOT coalesce(new.live_question, new.question)
  OR coalesce(old.live_answer, old.answer) IS NOT coalesce(new.live_answer, new.answer)
BEGIN
    DELETE FROM question_search WHERE rowid = old.id;
    INSERT INTO question_search (rowid, question, answer)
    VALUES (new.id, coalesce(new.live_question, new.question), coalesce(new.live_answer, new.answer));
END;
"#;

/// The trigger as migration 000003 made it.
const ON_EVERY_EDIT: &str = r#"
CREATE TRIGGER question_search_update
AFTER UPDATE OF question, answer, live_question, live_answer ON questions BEGIN
    DELETE FROM question_search WHERE rowid = old.id;
    INSERT INTO question_search (rowid, question, answer)
    VALUES (new.id, coalesce(new.live_question, new.question), coalesce(new.live_answer, new.answer));
END;
"#;

/// Drops the trigger `old` and creates `new` (under another name: SQLite
/// refused a trigger re-created under the name just dropped, within the
/// migration's transaction).
async fn replace_trigger(manager: &SchemaManager<'_>, old: &str, new: &str) -> Result<(), DbErr> {
    if manager.get_database_backend() != DatabaseBackend::Sqlite {
        return Ok(());
    }
    let db = manager.get_connection();
    db.execute_unprepared(&format!("DROP TRIGGER IF EXISTS {old};"))
        .await?;
    db.execute_unprepared(new.trim()).await?;
    Ok(())
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        replace_trigger(manager, "question_search_update", INDEXED_TEXT_CHANGED).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        replace_trigger(manager, "question_search_text_changed", ON_EVERY_EDIT).await
    }
}
