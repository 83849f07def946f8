//! The audit trail: who did what, when. Written in the same transaction as
//! the change it records, from the change's event (see `changes`).

use chrono::{DateTime, Utc};
use entity::audit_event;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    Set,
};

use super::changes::Event;
use crate::domain::{Permission, Viewer};
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

#[derive(Debug, Default, Clone)]
pub struct AuditFilter {
    pub actor_id: Option<i32>,
    pub action: Option<String>,
    pub since: Option<DateTime<Utc>>,
    pub until: Option<DateTime<Utc>>,
}

/// Newest first; `before_id` is the cursor (ids only grow).
pub async fn list(
    db: &DatabaseConnection,
    viewer: &Viewer,
    filter: &AuditFilter,
    before_id: Option<i32>,
    limit: u64,
) -> AppResult<(Vec<audit_event::Model>, u64)> {
    viewer.require(Permission::ManageUsers)?;
    let mut select = audit_event::Entity::find();
    if let Some(actor) = filter.actor_id {
        select = select.filter(audit_event::Column::ActorId.eq(actor));
    }
    if let Some(action) = &filter.action {
        select = select.filter(audit_event::Column::Action.eq(action.as_str()));
    }
    if let Some(since) = filter.since {
        select = select.filter(audit_event::Column::OccurredAt.gte(since));
    }
    if let Some(until) = filter.until {
        select = select.filter(audit_event::Column::OccurredAt.lt(until));
    }
    super::paging::newest_first(db, select, audit_event::Column::Id, before_id, limit).await
}
