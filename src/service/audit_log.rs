//! The audit trail's read side, for a person reading it: which actions
//! there are to filter by, who did each thing in words, and what the
//! things done to are called now, and the filtered list itself. Entries
//! are written by `audit::write`, from each change's event.

use std::collections::HashMap;

use chrono::{DateTime, Utc};

use entity::{audit_event, category, page, question, user, webhook};
use sea_orm::{ColumnTrait, EntityTrait, JoinType, QueryFilter, QuerySelect, RelationTrait};

use super::Db;
use crate::domain::{Change, Permission, Viewer};
use crate::error::{AppError, AppResult};

/// The actions to filter the log by (admins only).
pub fn actions(viewer: &Viewer) -> AppResult<Vec<&'static str>> {
    viewer.require(Permission::ManageUsers)?;
    Ok(Change::all_actions())
}

#[derive(Debug, Default, Clone)]
pub struct AuditFilter {
    pub actor_id: Option<i32>,
    pub action: Option<String>,
    pub since: Option<DateTime<Utc>>,
    pub until: Option<DateTime<Utc>>,
}

/// Newest first; `before_id` is the cursor (ids only grow). A time range
/// that ends before it starts is refused rather than answered with
/// nothing, so a mistyped date is noticed.
pub async fn list(
    db: &Db,
    viewer: &Viewer,
    filter: &AuditFilter,
    before_id: Option<i32>,
    limit: u64,
) -> AppResult<(Vec<audit_event::Model>, u64)> {
    viewer.require(Permission::ManageUsers)?;
    if let (Some(since), Some(until)) = (filter.since, filter.until) {
        if until <= since {
            return Err(AppError::field(
                "until",
                "The end of the time range must be after its start",
            ));
        }
    }
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

/// Who did it, when no user did. The scheduler acts as the system and
/// marks its entries `"scheduled": true`; the only entries made for
/// someone not signed in are failed sign-ins; anything else came from the
/// command line or the server itself.
pub fn unnamed_actor(event: &audit_event::Model) -> &'static str {
    let scheduled = serde_json::from_str::<serde_json::Value>(&event.detail)
        .is_ok_and(|detail| detail["scheduled"] == serde_json::Value::Bool(true));
    if scheduled {
        "Scheduled"
    } else if event.action.starts_with("sign_in.") {
        "Anonymous"
    } else {
        "System"
    }
}

/// Who did it, in words: the user's display name, or what `unnamed_actor`
/// says when no user did.
pub fn actor_name(event: &audit_event::Model, actor: Option<&user::Model>) -> String {
    match (event.actor_id, actor) {
        (Some(_), Some(user)) => user.display_name.clone(),
        (Some(id), None) => format!("User {id}"),
        (None, _) => unnamed_actor(event).to_owned(),
    }
}

/// The kinds of thing an audit event can be about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TargetKind {
    Question,
    Page,
    Category,
    User,
    Webhook,
}

impl TargetKind {
    /// The kind and id an event names, if it names one this knows.
    pub fn of(event: &audit_event::Model) -> Option<(TargetKind, i32)> {
        let kind = match event.target_type.as_deref()? {
            "question" => TargetKind::Question,
            "page" => TargetKind::Page,
            "category" => TargetKind::Category,
            "user" => TargetKind::User,
            "webhook" => TargetKind::Webhook,
            _ => return None,
        };
        let id = event.target_id.as_deref()?.parse().ok()?;
        Some((kind, id))
    }
}

/// What a person calls an item now, and where it sits.
#[derive(Debug, Clone)]
pub struct TargetSummary {
    /// A question's text (working copy), a page's or category's title, a
    /// user's display name, a webhook's description or else its URL.
    pub title: String,
    /// The slug of the page the item is on (a page's own): the admin UI
    /// addresses pages and categories by it.
    pub page_slug: Option<String>,
}

/// Items named by audit events, as they are now, in one query per kind
/// (admins only). Deleted items are left out.
pub async fn targets(
    db: &Db,
    viewer: &Viewer,
    keys: &[(TargetKind, i32)],
) -> AppResult<HashMap<(TargetKind, i32), TargetSummary>> {
    viewer.require(Permission::ManageUsers)?;
    let mut ids: HashMap<TargetKind, Vec<i32>> = HashMap::new();
    for (kind, id) in keys {
        ids.entry(*kind).or_default().push(*id);
    }
    let mut found = HashMap::new();
    for (kind, ids) in ids {
        let rows: Vec<(i32, String, Option<String>)> = match kind {
            TargetKind::Question => {
                let (id, text) = (question::Column::Id, question::Column::Question);
                titles_on_pages::<question::Entity>(db, id, text, question::Relation::Page, ids)
                    .await?
            }
            TargetKind::Category => {
                let (id, title) = (category::Column::Id, category::Column::Title);
                titles_on_pages::<category::Entity>(db, id, title, category::Relation::Page, ids)
                    .await?
            }
            TargetKind::Page => page::Entity::find()
                .select_only()
                .columns([page::Column::Id, page::Column::Title, page::Column::Slug])
                .filter(page::Column::Id.is_in(ids))
                .into_tuple::<(i32, String, String)>()
                .all(db)
                .await?
                .into_iter()
                .map(|(id, title, slug)| (id, title, Some(slug)))
                .collect(),
            TargetKind::User => user::Entity::find()
                .select_only()
                .columns([user::Column::Id, user::Column::DisplayName])
                .filter(user::Column::Id.is_in(ids))
                .into_tuple::<(i32, String)>()
                .all(db)
                .await?
                .into_iter()
                .map(|(id, name)| (id, name, None))
                .collect(),
            TargetKind::Webhook => webhook::Entity::find()
                .select_only()
                .columns([
                    webhook::Column::Id,
                    webhook::Column::Url,
                    webhook::Column::Description,
                ])
                .filter(webhook::Column::Id.is_in(ids))
                .into_tuple::<(i32, String, Option<String>)>()
                .all(db)
                .await?
                .into_iter()
                .map(|(id, url, description)| {
                    let title = description.filter(|d| !d.trim().is_empty()).unwrap_or(url);
                    (id, title, None)
                })
                .collect(),
        };
        found.extend(
            rows.into_iter()
                .map(|(id, title, page_slug)| ((kind, id), TargetSummary { title, page_slug })),
        );
    }
    Ok(found)
}

/// Id, title and page slug of the rows of `E` with these ids, joined to
/// their page.
async fn titles_on_pages<E: EntityTrait>(
    db: &Db,
    id: E::Column,
    title: E::Column,
    to_page: impl RelationTrait,
    ids: Vec<i32>,
) -> AppResult<Vec<(i32, String, Option<String>)>> {
    let found: Vec<(i32, String, String)> = E::find()
        .select_only()
        .column(id)
        .column(title)
        .column(page::Column::Slug)
        .join(JoinType::InnerJoin, to_page.def())
        .filter(id.is_in(ids))
        .into_tuple()
        .all(db)
        .await?;
    Ok(found
        .into_iter()
        .map(|(id, title, slug)| (id, title, Some(slug)))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(action: &str, detail: &str) -> audit_event::Model {
        audit_event::Model {
            id: 1,
            occurred_at: chrono::Utc::now(),
            actor_id: None,
            action: action.into(),
            target_type: None,
            target_id: None,
            detail: detail.into(),
            client_addr: None,
        }
    }

    #[test]
    fn entries_without_a_user_say_who_acted() {
        assert_eq!(
            actor_name(&event("question.publish", r#"{"scheduled":true}"#), None),
            "Scheduled"
        );
        assert_eq!(
            actor_name(&event("sign_in.failure", r#"{"email":"a@b.c"}"#), None),
            "Anonymous"
        );
        assert_eq!(actor_name(&event("content.import", "{}"), None), "System");
    }
}
