//! Webhooks: admins register URLs; publish, unpublish, archive and retire
//! each put one delivery per subscribed webhook into an outbox table, in the
//! same transaction as the change (see `enqueue`). The delivery worker
//! (`webhook_worker`) sends them.

use chrono::{DateTime, Utc};
use entity::{page, question, webhook, webhook_delivery};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};
use serde_json::{json, Value};

use super::changes::{self, Event};
use super::editing::{SetGiven, Submission};
use super::webhook_target;
use super::Db;
use super::{now, versioned};
use crate::auth::token;
use crate::domain::{
    Change, Permission, QuestionStatus, Viewer, WebhookChange, WebhookDeliveryStatus, WebhookEvent,
    WebhookTargets, WebhookUrl, MAX_WEBHOOK_DESCRIPTION_LEN,
};
use crate::error::{AppError, AppResult};

/// What an admin fills in to register a webhook.
pub struct NewWebhook<'a> {
    pub url: &'a str,
    pub events: &'a [WebhookEvent],
    pub description: Option<&'a str>,
}

/// Changes to a webhook; leave out what stays the same.
#[derive(Default, PartialEq)]
pub struct WebhookChanges<'a> {
    pub url: Option<&'a str>,
    pub events: Option<&'a [WebhookEvent]>,
    /// An empty description removes it.
    pub description: Option<&'a str>,
    pub active: Option<bool>,
}

fn not_found() -> AppError {
    AppError::NotFound("There is no webhook with this id.".into())
}

/// The URL, if it is well formed and leads only to addresses `targets`
/// allows. Deliveries check again: this is so the admin hears of it now.
async fn parse_url(
    input: &mut Submission,
    raw: &str,
    targets: WebhookTargets,
) -> Option<WebhookUrl> {
    let url = input.keep(WebhookUrl::parse("url", raw))?;
    match webhook_target::check_url(url.as_str(), targets).await {
        Ok(()) => Some(url),
        Err(refused) => {
            let advice = refused.advice();
            let message = format!("This web address cannot receive webhooks: {refused}. {advice}");
            input.refuse("url", message);
            None
        }
    }
}

fn parse_events(input: &mut Submission, events: &[WebhookEvent]) -> String {
    if events.is_empty() {
        input.refuse("events", "Select at least one event");
    }
    WebhookEvent::join(events)
}

/// `None` for a blank description.
fn parse_description(input: &mut Submission, raw: &str) -> Option<String> {
    let text = raw.trim();
    if text.chars().count() > MAX_WEBHOOK_DESCRIPTION_LEN {
        let max = MAX_WEBHOOK_DESCRIPTION_LEN;
        let message = format!("The description must be {max} characters or fewer");
        input.refuse("description", message);
    }
    (!text.is_empty()).then(|| text.to_owned())
}

/// A new signing secret: 32 random bytes, base64url. Receivers use the text
/// itself as the HMAC key.
fn new_secret() -> String {
    format!("whsec_{}", token::generate())
}

/// Registers a webhook and returns it with its secret, which is shown this
/// once; afterwards it can only be replaced (`rotate_secret`). Its URL must
/// lead to addresses `targets` allows.
pub async fn create(
    db: &Db,
    viewer: &Viewer,
    input: NewWebhook<'_>,
    targets: WebhookTargets,
) -> AppResult<(webhook::Model, String)> {
    viewer.require(Permission::ManageWebhooks)?;
    let mut submitted = Submission::new();
    let url = parse_url(&mut submitted, input.url, targets).await;
    let events = parse_events(&mut submitted, input.events);
    let description = input
        .description
        .and_then(|d| parse_description(&mut submitted, d));
    submitted.check()?;
    // parse_url gives no URL only with a reason, which check() reported.
    let url = url.ok_or_else(|| AppError::internal(anyhow::anyhow!("no URL and no reason")))?;
    let secret = new_secret();
    let at = now();
    let (txn, _turn) = crate::db::begin_write(db).await?;
    let row = webhook::ActiveModel {
        url: Set(url.into_string()),
        secret: Set(secret.clone()),
        events: Set(events),
        active: Set(true),
        description: Set(description),
        version: Set(1),
        created_at: Set(at),
        created_by: Set(viewer.user_id()),
        updated_at: Set(at),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let detail = json!({ "url": row.url, "events": row.events });
    record_and_commit(txn, viewer, WebhookChange::Created, row.id, detail).await?;
    Ok((row, secret))
}

/// Changes a webhook's URL, events, description or whether it is on.
/// Turned off, it is sent nothing: deliveries already waiting stay pending
/// until it is turned on again. A new URL must lead to addresses `targets`
/// allows.
pub async fn update(
    db: &Db,
    viewer: &Viewer,
    id: i32,
    version: i32,
    changes: WebhookChanges<'_>,
    targets: WebhookTargets,
) -> AppResult<webhook::Model> {
    viewer.require(Permission::ManageWebhooks)?;
    let mut input = Submission::new();
    let url = match changes.url {
        Some(raw) => parse_url(&mut input, raw, targets).await,
        None => None,
    };
    let events = changes.events.map(|e| parse_events(&mut input, e));
    let description = changes
        .description
        .map(|d| parse_description(&mut input, d));
    let gives_nothing = changes == WebhookChanges::default();
    let ask = "Change at least one of url, events, description or active";
    input.ask_for_a_change(gives_nothing, ask);
    input.check()?;
    let update = webhook::Entity::update_many()
        .set_given(webhook::Column::Url, url.map(|url| url.into_string()))
        .set_given(webhook::Column::Events, events)
        .set_given(webhook::Column::Description, description)
        .set_given(webhook::Column::Active, changes.active);
    let (txn, _turn) = crate::db::begin_write(db).await?;
    let row = versioned::write_checked(&txn, viewer, id, version, update, conflict).await?;
    let detail = json!({
        "url": row.url, "events": row.events, "active": row.active, "version": row.version
    });
    record_and_commit(txn, viewer, WebhookChange::Updated, id, detail).await?;
    Ok(row)
}

/// Replaces the signing secret and returns the new one (shown this once).
/// Deliveries still waiting are signed with the new secret.
pub async fn rotate_secret(
    db: &Db,
    viewer: &Viewer,
    id: i32,
    version: i32,
) -> AppResult<(webhook::Model, String)> {
    viewer.require(Permission::ManageWebhooks)?;
    let secret = new_secret();
    let update = webhook::Entity::update_many()
        .col_expr(webhook::Column::Secret, Expr::value(secret.clone()));
    let (txn, _turn) = crate::db::begin_write(db).await?;
    let row = versioned::write_checked(&txn, viewer, id, version, update, conflict).await?;
    let detail = json!({ "version": row.version });
    record_and_commit(txn, viewer, WebhookChange::SecretRotated, id, detail).await?;
    Ok((row, secret))
}

/// Announces a change to webhook `id` (its audit entry, and deliveries to
/// any webhook that listens for it) and commits.
async fn record_and_commit(
    txn: DatabaseTransaction,
    viewer: &Viewer,
    made: WebhookChange,
    id: i32,
    detail: Value,
) -> AppResult<()> {
    let event = Event::new(Change::Webhook(made, id)).with(detail);
    changes::record(&txn, viewer, event).await?;
    txn.commit().await?;
    Ok(())
}

/// Nothing changed although the update has no condition: someone else
/// saved first.
fn conflict(row: &webhook::Model) -> AppError {
    AppError::conflict("webhook", row.version)
}

/// Removes a webhook and, with it, its deliveries (sent or waiting).
pub async fn delete(db: &Db, viewer: &Viewer, id: i32) -> AppResult<webhook::Model> {
    viewer.require(Permission::ManageWebhooks)?;
    let (txn, _turn) = crate::db::begin_write(db).await?;
    let row = webhook::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or_else(not_found)?;
    let result = webhook::Entity::delete_many()
        .filter(webhook::Column::Id.eq(id))
        .exec(&txn)
        .await?;
    if result.rows_affected == 0 {
        return Err(not_found());
    }
    let detail = json!({ "url": row.url, "events": row.events });
    record_and_commit(txn, viewer, WebhookChange::Deleted, id, detail).await?;
    Ok(row)
}

pub async fn list(db: &Db, viewer: &Viewer) -> AppResult<Vec<webhook::Model>> {
    viewer.require(Permission::ManageWebhooks)?;
    Ok(webhook::Entity::find()
        .order_by_asc(webhook::Column::Id)
        .all(db)
        .await?)
}

pub async fn find(db: &Db, viewer: &Viewer, id: i32) -> AppResult<Option<webhook::Model>> {
    viewer.require(Permission::ManageWebhooks)?;
    Ok(webhook::Entity::find_by_id(id).one(db).await?)
}

/// Deliveries newest first, of one webhook or of all; `before_id` is the
/// cursor (ids only grow). Returns the rows and how many match in all.
pub async fn deliveries(
    db: &Db,
    viewer: &Viewer,
    webhook_id: Option<i32>,
    before_id: Option<i32>,
    limit: u64,
) -> AppResult<(Vec<webhook_delivery::Model>, u64)> {
    viewer.require(Permission::ManageWebhooks)?;
    let mut select = webhook_delivery::Entity::find();
    if let Some(id) = webhook_id {
        select = select.filter(webhook_delivery::Column::WebhookId.eq(id));
    }
    let id = webhook_delivery::Column::Id;
    super::paging::newest_first(db, select, id, before_id, limit).await
}

/// Sends a delivered or failed delivery again: a new pending delivery with
/// the same body (so the same event id), signed with the webhook's current
/// secret. The old delivery keeps its record. Refused while the delivery is
/// still pending, and while the webhook is turned off.
pub async fn resend(
    db: &Db,
    viewer: &Viewer,
    delivery_id: i32,
) -> AppResult<webhook_delivery::Model> {
    viewer.require(Permission::ManageWebhooks)?;
    let Some((original, Some(hook))) = webhook_delivery::Entity::find_by_id(delivery_id)
        .find_also_related(webhook::Entity)
        .one(db)
        .await?
    else {
        return Err(AppError::NotFound(
            "There is no webhook delivery with this id.".into(),
        ));
    };
    if original.status == WebhookDeliveryStatus::Pending {
        return Err(AppError::field(
            "id",
            "This delivery is still being tried. Wait until it is delivered or has failed.",
        ));
    }
    if !hook.active {
        return Err(AppError::field(
            "id",
            "This webhook is turned off. Turn it on before sending anything again.",
        ));
    }
    let at = now();
    let (txn, _turn) = crate::db::begin_write(db).await?;
    let (event_id, event, payload) = (&original.event_id, &original.event, &original.payload);
    let row = pending_delivery(original.webhook_id, event_id, event, payload, at)
        .insert(&txn)
        .await?;
    let detail = json!({ "delivery": delivery_id, "newDelivery": row.id, "event": row.event });
    record_and_commit(txn, viewer, WebhookChange::DeliveryResent, hook.id, detail).await?;
    Ok(row)
}

/// A delivery of `payload` to `webhook_id`, to be tried from `at` on.
fn pending_delivery(
    webhook_id: i32,
    event_id: &str,
    event: &str,
    payload: &str,
    at: DateTime<Utc>,
) -> webhook_delivery::ActiveModel {
    webhook_delivery::ActiveModel {
        webhook_id: Set(webhook_id),
        event_id: Set(event_id.to_owned()),
        event: Set(event.to_owned()),
        payload: Set(payload.to_owned()),
        status: Set(WebhookDeliveryStatus::Pending),
        attempts: Set(0),
        next_attempt_at: Set(Some(at)),
        last_attempt_at: Set(None),
        last_status_code: Set(None),
        last_error: Set(None),
        created_at: Set(at),
        delivered_at: Set(None),
        ..Default::default()
    }
}

/// The transactional outbox. Called by `changes::record`, inside the
/// transaction of every change that announces `event`: writes one pending
/// delivery per active webhook subscribed to it, so a delivery exists
/// exactly when the change committed. This costs one select when no
/// webhook wants the event.
pub(super) async fn enqueue(
    conn: &impl ConnectionTrait,
    event: WebhookEvent,
    change: &super::changes::Event,
    scheduled: bool,
) -> AppResult<()> {
    let hooks: Vec<(i32, String)> = webhook::Entity::find()
        .select_only()
        .column(webhook::Column::Id)
        .column(webhook::Column::Events)
        .filter(webhook::Column::Active.eq(true))
        .into_tuple()
        .all(conn)
        .await?;
    let subscribed: Vec<i32> = hooks
        .into_iter()
        .filter(|(_, events)| WebhookEvent::split(events).contains(&event))
        .map(|(id, _)| id)
        .collect();
    if subscribed.is_empty() {
        return Ok(());
    }
    let data = match change.change {
        Change::Question(_, id) => question_data(conn, id, scheduled).await?,
        Change::Page(_, id) => page_data(conn, id, scheduled, &change.detail).await?,
        _ => None,
    };
    let Some(data) = data else {
        return Err(AppError::internal(anyhow::anyhow!(
            "no webhook payload for {:?}",
            change.change
        )));
    };
    let at = now();
    let event_id = uuid::Uuid::new_v4().to_string();
    let payload = json!({
        "id": event_id,
        "event": event.as_str(),
        "occurredAt": timestamp(at),
        "data": data,
    })
    .to_string();
    let rows = subscribed
        .into_iter()
        .map(|webhook_id| pending_delivery(webhook_id, &event_id, event.as_str(), &payload, at));
    webhook_delivery::Entity::insert_many(rows)
        .exec_without_returning(conn)
        .await?;
    Ok(())
}

fn timestamp(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(chrono::SecondsFormat::Micros, true)
}

/// What receivers learn about a question: where it is and what state it is
/// in; the text only while it is published (the public text, never a draft).
async fn question_data(
    conn: &impl ConnectionTrait,
    id: i32,
    scheduled: bool,
) -> AppResult<Option<Value>> {
    let Some((row, Some(page))) = question::Entity::find_by_id(id)
        .find_also_related(page::Entity)
        .one(conn)
        .await?
    else {
        return Ok(None);
    };
    let mut data = json!({
        "id": row.id.to_string(),
        "pageId": page.id.to_string(),
        "pageSlug": page.slug,
        "pageStatus": page.status,
        "slug": row.slug,
        "status": row.status,
        "version": row.version,
        "scheduled": scheduled,
        "publishedAt": row.published_at.map(timestamp),
        "archivedAt": row.archived_at.map(timestamp),
    });
    if row.status == QuestionStatus::Published {
        data["question"] = json!(row.live_question);
        data["answer"] = json!(row.live_answer);
        data["answerHtml"] = json!(row.live_answer_html);
    }
    Ok(Some(data))
}

/// What receivers learn about a page: what readers see of it, and for a
/// publication, what was published (`changes`: each item's kind and id).
async fn page_data(
    conn: &impl ConnectionTrait,
    id: i32,
    scheduled: bool,
    detail: &Value,
) -> AppResult<Option<Value>> {
    let Some(page) = page::Entity::find_by_id(id).one(conn).await? else {
        return Ok(None);
    };
    let changes = detail.get("changes").cloned();
    let page = super::published::page(page);
    let mut data = json!({
        "id": page.id.to_string(),
        "slug": page.slug,
        "title": page.title,
        "status": page.status,
        "notice": page.retirement_notice,
        "replacementUrl": page.replacement_url,
        "redirect": page.redirect_to_replacement,
        "retiredAt": page.retired_at.map(timestamp),
        "scheduled": scheduled,
    });
    if let Some(changes) = changes {
        data["changes"] = changes;
    }
    Ok(Some(data))
}
