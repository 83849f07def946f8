//! Immutable snapshots, one per save of a page, category or question.

use entity::{category, page, question};
use sea_orm::{ActiveModelTrait, ConnectionTrait, Set};
use serde_json::json;

use super::Db;
use crate::domain::{RevisionAction, Viewer};
use crate::error::AppResult;

pub fn page_snapshot(p: &page::Model) -> serde_json::Value {
    json!({
        "slug": p.slug, "title": p.title, "intro": p.intro, "footer": p.footer,
        "status": p.status, "retirementNotice": p.retirement_notice,
        "replacementUrl": p.replacement_url,
    })
}

pub fn category_snapshot(c: &category::Model) -> serde_json::Value {
    json!({
        "slug": c.slug, "title": c.title, "position": c.position,
        "archived": c.archived_at.is_some(),
    })
}

pub fn question_snapshot(q: &question::Model) -> serde_json::Value {
    json!({
        "slug": q.slug, "question": q.question, "answer": q.answer,
        "status": q.status, "categoryId": q.category_id, "position": q.position,
    })
}

/// The note of a revision the scheduler made (unless its change had one).
pub const SCHEDULED_NOTE: &str = "Scheduled";

/// Keeps a revision of an item at a version, with the change that made it
/// (`change`: the audit log's name, e.g. `Change::action()`).
#[allow(clippy::too_many_arguments)]
pub async fn record(
    conn: &impl ConnectionTrait,
    viewer: &Viewer,
    item_type: &str,
    item_id: i32,
    item_version: i32,
    snapshot: serde_json::Value,
    note: Option<&str>,
    change: &str,
) -> AppResult<()> {
    entity::revision::ActiveModel {
        item_type: Set(item_type.to_owned()),
        item_id: Set(item_id),
        item_version: Set(item_version),
        snapshot: Set(snapshot.to_string()),
        note: Set(note.map(str::to_owned)),
        action: Set(Some(change.to_owned())),
        author_id: Set(viewer.user_id()),
        created_at: Set(super::now()),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    Ok(())
}

/// What happened in `revision`. The scheduler acts as nobody and notes
/// that it acted on schedule.
pub fn action_of(revision: &entity::revision::Model) -> RevisionAction {
    let on_schedule =
        revision.author_id.is_none() && revision.note.as_deref() == Some(SCHEDULED_NOTE);
    RevisionAction::of(revision.action.as_deref(), on_schedule)
}

/// The text a question revision holds.
#[derive(Debug, Clone, serde::Deserialize)]
pub struct QuestionSnapshot {
    pub question: String,
    pub answer: String,
}

impl QuestionSnapshot {
    pub fn parse(snapshot: &str) -> AppResult<QuestionSnapshot> {
        serde_json::from_str(snapshot).map_err(|e| {
            crate::error::AppError::internal(anyhow::anyhow!("unreadable revision snapshot: {e}"))
        })
    }
}

/// Newest first; `before_id` is the cursor (ids only grow).
pub async fn list_for(
    db: &Db,
    viewer: &Viewer,
    item_type: &str,
    item_id: i32,
    before_id: Option<i32>,
    limit: u64,
) -> AppResult<(Vec<entity::revision::Model>, u64)> {
    use entity::revision;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    viewer.require(crate::domain::Permission::EditContent)?;
    let select = revision::Entity::find()
        .filter(revision::Column::ItemType.eq(item_type))
        .filter(revision::Column::ItemId.eq(item_id));
    super::paging::newest_first(db, select, revision::Column::Id, before_id, limit).await
}

/// How a run of words of a diff stands between two revisions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DiffKind {
    /// In both revisions.
    Same,
    /// Only in the later revision.
    Added,
    /// Only in the earlier revision.
    Removed,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiffSegment {
    pub kind: DiffKind,
    pub text: String,
}

/// A word-level diff: runs of the same kind are merged.
pub fn diff_words(old: &str, new: &str) -> Vec<DiffSegment> {
    let diff = similar::TextDiff::from_words(old, new);
    let mut segments: Vec<DiffSegment> = Vec::new();
    for change in diff.iter_all_changes() {
        let kind = match change.tag() {
            similar::ChangeTag::Equal => DiffKind::Same,
            similar::ChangeTag::Insert => DiffKind::Added,
            similar::ChangeTag::Delete => DiffKind::Removed,
        };
        match segments.last_mut() {
            Some(last) if last.kind == kind => last.text.push_str(change.value()),
            _ => segments.push(DiffSegment {
                kind,
                text: change.value().to_owned(),
            }),
        }
    }
    segments
}

/// True when a diff found nothing added or removed.
pub fn identical(segments: &[DiffSegment]) -> bool {
    segments.iter().all(|s| s.kind == DiffKind::Same)
}

pub struct QuestionDiff {
    pub question: Vec<DiffSegment>,
    pub answer: Vec<DiffSegment>,
}

impl QuestionDiff {
    pub fn identical(&self) -> bool {
        identical(&self.question) && identical(&self.answer)
    }
}

/// Compares two revisions of one question.
pub async fn diff_question(
    db: &Db,
    viewer: &Viewer,
    question_id: i32,
    from_id: i32,
    to_id: i32,
) -> AppResult<QuestionDiff> {
    use entity::revision;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    viewer.require(crate::domain::Permission::EditContent)?;
    let rows = revision::Entity::find()
        .filter(revision::Column::ItemType.eq("question"))
        .filter(revision::Column::ItemId.eq(question_id))
        .filter(revision::Column::Id.is_in([from_id, to_id]))
        .all(db)
        .await?;
    let find = |id: i32, field: &str| {
        rows.iter()
            .find(|r| r.id == id)
            .ok_or_else(|| {
                crate::error::AppError::field(field, "This question has no revision with this id")
            })
            .and_then(|r| QuestionSnapshot::parse(&r.snapshot))
    };
    let from = find(from_id, "fromRevisionId")?;
    let to = find(to_id, "toRevisionId")?;
    Ok(QuestionDiff {
        question: diff_words(&from.question, &to.question),
        answer: diff_words(&from.answer, &to.answer),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diffs_by_word() {
        let segments = diff_words("We hope to hold roadshows", "We will hold two roadshows");
        let added: String = segments
            .iter()
            .filter(|s| s.kind == DiffKind::Added)
            .map(|s| s.text.as_str())
            .collect();
        let removed: String = segments
            .iter()
            .filter(|s| s.kind == DiffKind::Removed)
            .map(|s| s.text.as_str())
            .collect();
        assert!(
            added.contains("will") && added.contains("two"),
            "{segments:?}"
        );
        assert!(
            removed.contains("hope") && removed.contains("to"),
            "{segments:?}"
        );
    }
}
