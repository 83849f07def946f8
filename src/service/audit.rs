//! The audit trail: who did what, when. Written in the same transaction as
//! the change it records.

use chrono::{DateTime, Utc};
use entity::audit_event;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};

use crate::domain::{Permission, Viewer};
use crate::error::AppResult;

pub struct AuditEntry<'a> {
    pub action: &'a str,
    pub target_type: Option<&'a str>,
    pub target_id: Option<String>,
    pub detail: serde_json::Value,
    pub client_addr: Option<String>,
}

impl<'a> AuditEntry<'a> {
    pub fn new(action: &'a str, target_type: &'a str, target_id: i32) -> Self {
        AuditEntry {
            action,
            target_type: Some(target_type),
            target_id: Some(target_id.to_string()),
            detail: serde_json::json!({}),
            client_addr: None,
        }
    }

    pub fn with(mut self, detail: serde_json::Value) -> Self {
        self.detail = detail;
        self
    }
}

/// Records `entry`. Also the one hook for webhooks: an action that announces
/// an event (publish, unpublish, expiry, archive, retirement) queues its
/// deliveries here, in the caller's transaction, so they exist exactly when
/// the change commits.
pub async fn record(
    conn: &impl ConnectionTrait,
    viewer: &Viewer,
    entry: AuditEntry<'_>,
) -> AppResult<()> {
    super::webhooks::enqueue(
        conn,
        entry.action,
        entry.target_type,
        entry.target_id.as_deref(),
        &entry.detail,
    )
    .await?;
    audit_event::ActiveModel {
        occurred_at: Set(super::now()),
        actor_id: Set(viewer.user_id()),
        action: Set(entry.action.to_owned()),
        target_type: Set(entry.target_type.map(str::to_owned)),
        target_id: Set(entry.target_id),
        detail: Set(entry.detail.to_string()),
        client_addr: Set(entry.client_addr),
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
    let total = select.clone().count(db).await?;
    if let Some(before) = before_id {
        select = select.filter(audit_event::Column::Id.lt(before));
    }
    let rows = select
        .order_by_desc(audit_event::Column::Id)
        .limit(limit)
        .all(db)
        .await?;
    Ok((rows, total))
}
