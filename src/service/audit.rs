//! The audit trail: who did what, when.

use sea_orm::{ActiveModelTrait, ConnectionTrait, Set};

use crate::domain::Viewer;
use crate::error::AppResult;

pub struct AuditEntry<'a> {
    pub action: &'a str,
    pub target_type: Option<&'a str>,
    pub target_id: Option<String>,
    pub detail: serde_json::Value,
}

pub async fn record(
    conn: &impl ConnectionTrait,
    viewer: &Viewer,
    entry: AuditEntry<'_>,
) -> AppResult<()> {
    entity::audit_event::ActiveModel {
        occurred_at: Set(super::now()),
        actor_id: Set(viewer.user_id()),
        action: Set(entry.action.to_owned()),
        target_type: Set(entry.target_type.map(str::to_owned)),
        target_id: Set(entry.target_id),
        detail: Set(entry.detail.to_string()),
        client_addr: Set(None),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    Ok(())
}
