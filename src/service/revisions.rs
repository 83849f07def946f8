//! Immutable snapshots, one per save of a page, category or question.

use entity::{category, page, question};
use sea_orm::{ActiveModelTrait, ConnectionTrait, Set};
use serde_json::json;

use crate::domain::Viewer;
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

pub async fn record(
    conn: &impl ConnectionTrait,
    viewer: &Viewer,
    item_type: &str,
    item_id: i32,
    item_version: i32,
    snapshot: serde_json::Value,
    note: Option<&str>,
) -> AppResult<()> {
    entity::revision::ActiveModel {
        item_type: Set(item_type.to_owned()),
        item_id: Set(item_id),
        item_version: Set(item_version),
        snapshot: Set(snapshot.to_string()),
        note: Set(note.map(str::to_owned)),
        author_id: Set(viewer.user_id()),
        created_at: Set(super::now()),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    Ok(())
}
