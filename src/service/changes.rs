//! One change, one event, many listeners. Every change calls `record` once,
//! inside its transaction, with the typed `Change` it made; the audit entry
//! and the webhook deliveries are both derived from it here, so they exist
//! exactly when the change commits.

use sea_orm::ConnectionTrait;
use serde_json::Value;

use super::{audit, review, webhooks};
use crate::domain::{Change, Viewer};
use crate::error::AppResult;

/// A change with what the audit log keeps beside it.
pub struct Event {
    pub change: Change,
    /// Facts worth keeping (the slug, the new role, …), as a JSON object.
    pub detail: Value,
    /// Where a sign-in came from.
    pub client_addr: Option<String>,
    /// What the person said about the change, kept with its revision.
    pub note: Option<String>,
}

impl Event {
    pub fn new(change: Change) -> Self {
        Event {
            change,
            detail: serde_json::json!({}),
            client_addr: None,
            note: None,
        }
    }

    pub fn noted(mut self, note: Option<&str>) -> Self {
        self.note = note.map(str::to_owned);
        self
    }

    pub fn with(mut self, detail: Value) -> Self {
        self.detail = detail;
        self
    }

    pub fn from_addr(mut self, client_addr: Option<&str>) -> Self {
        self.client_addr = client_addr.map(str::to_owned);
        self
    }
}

/// Records `event` as made by `viewer`: its audit entry, and a delivery to
/// every webhook subscribed to what it announces.
pub async fn record(conn: &impl ConnectionTrait, viewer: &Viewer, event: Event) -> AppResult<()> {
    audit::write(conn, viewer, &event).await?;
    review::on_change(conn, event.change).await?;
    if let Some(announced) = event.change.announces() {
        let scheduled = viewer.on_schedule();
        webhooks::enqueue(conn, announced, &event, scheduled).await?;
    }
    Ok(())
}
