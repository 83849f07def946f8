//! The audit trail: who did what, when. Written in the same transaction as
//! the change it records, from the change's event (see `changes`); read
//! through `audit_log`.

use entity::audit_event;
use sea_orm::{ActiveModelTrait, ConnectionTrait, Set};

use super::changes::Event;
use crate::domain::Viewer;
use crate::error::AppResult;

/// Writes the audit entry for `event`, in the caller's transaction. Called
/// only by `changes::record`, which derives everything else from the same
/// event. A change made on schedule says so in its detail.
pub(super) async fn write(
    conn: &impl ConnectionTrait,
    viewer: &Viewer,
    event: &Event,
) -> AppResult<()> {
    let mut detail = event.detail.clone();
    if let (true, Some(fields)) = (viewer.on_schedule(), detail.as_object_mut()) {
        fields.insert("scheduled".into(), serde_json::Value::Bool(true));
    }
    let (target_type, target_id) = match event.change.subject() {
        Some((kind, id)) => (Some(kind.to_owned()), id.map(|id| id.to_string())),
        None => (None, None),
    };
    audit_event::ActiveModel {
        occurred_at: Set(super::now()),
        actor_id: Set(viewer.user_id()),
        action: Set(event.change.action().to_owned()),
        target_type: Set(target_type),
        target_id: Set(target_id),
        detail: Set(detail.to_string()),
        client_addr: Set(event.client_addr.clone()),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    Ok(())
}
