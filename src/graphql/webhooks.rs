//! Webhooks for admins: registering URLs, their deliveries, sending again.
//! Thin resolvers over `service::webhooks`, which checks the role.

use async_graphql::{Context, InputObject, Object, Result, SimpleObject, ID};
use chrono::{DateTime, Utc};
use entity::{webhook, webhook_delivery};

use super::admin::{author, CountedConnection, User};
use super::enums::{WebhookDeliveryStatus, WebhookEvent};
use super::query::{db, viewer};
use super::{newest_first, parse_id, Gql};
use crate::domain::{self, WebhookTargets};
use crate::service::webhooks::{self, NewWebhook, WebhookChanges};

/// Where webhooks may point, as the server was started (schema data);
/// without it, only the public internet.
fn targets(ctx: &Context<'_>) -> WebhookTargets {
    ctx.data_opt::<WebhookTargets>()
        .copied()
        .unwrap_or_default()
}

pub type WebhookDeliveryConnection = CountedConnection<WebhookDelivery>;

/// A URL that receives a signed JSON POST when the chosen events happen.
pub struct Webhook(pub webhook::Model);

#[Object]
impl Webhook {
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }

    async fn url(&self) -> &str {
        &self.0.url
    }

    /// What it is told about.
    async fn events(&self) -> Vec<WebhookEvent> {
        let events = domain::WebhookEvent::split(&self.0.events);
        events.into_iter().map(WebhookEvent::from).collect()
    }

    /// What it is for, in the admin's words.
    async fn description(&self) -> Option<&str> {
        self.0.description.as_deref()
    }

    /// A webhook that is turned off is sent nothing; its pending deliveries wait.
    async fn active(&self) -> bool {
        self.0.active
    }

    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }

    async fn created_by(&self, ctx: &Context<'_>) -> Result<Option<User>> {
        author(ctx, self.0.created_by).await
    }

    /// Send it back with changes to this webhook.
    async fn version(&self) -> i32 {
        self.0.version
    }
}

/// A webhook with its signing secret, which is shown only here: when the
/// webhook is created and when its secret is replaced.
#[derive(SimpleObject)]
pub struct WebhookWithSecret {
    pub webhook: Webhook,
    /// The HMAC-SHA256 key: `X-Qanda-Signature` is `sha256=` and the hex
    /// HMAC of the raw request body keyed with this text.
    pub secret: String,
}

/// One event sent (or being sent) to one webhook.
pub struct WebhookDelivery(pub webhook_delivery::Model);

#[Object]
impl WebhookDelivery {
    /// Also sent as the `X-Qanda-Delivery` header.
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }

    async fn webhook_id(&self) -> ID {
        ID(self.0.webhook_id.to_string())
    }

    async fn event(&self) -> Option<WebhookEvent> {
        let event = self.0.event.parse::<domain::WebhookEvent>().ok();
        event.map(WebhookEvent::from)
    }

    /// The payload's `id`: the same for every webhook told of one change, and
    /// kept when a delivery is sent again.
    async fn event_id(&self) -> &str {
        &self.0.event_id
    }

    async fn status(&self) -> WebhookDeliveryStatus {
        self.0.status.into()
    }

    /// Attempts made so far.
    async fn attempts(&self) -> i32 {
        self.0.attempts
    }

    /// When it will be tried next, while pending.
    async fn next_attempt_at(&self) -> Option<DateTime<Utc>> {
        self.0.next_attempt_at
    }

    async fn last_attempt_at(&self) -> Option<DateTime<Utc>> {
        self.0.last_attempt_at
    }

    /// The HTTP status the receiver last answered with, if it answered.
    async fn last_status_code(&self) -> Option<i32> {
        self.0.last_status_code
    }

    /// Why the last attempt failed, if it did.
    async fn last_error(&self) -> Option<&str> {
        self.0.last_error.as_deref()
    }

    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }

    async fn delivered_at(&self) -> Option<DateTime<Utc>> {
        self.0.delivered_at
    }

    /// The JSON body, exactly as sent and signed.
    async fn payload(&self) -> &str {
        &self.0.payload
    }
}

#[derive(InputObject)]
pub struct CreateWebhookInput {
    /// A full http:// or https:// address.
    pub url: String,
    /// At least one.
    pub events: Vec<WebhookEvent>,
    /// Up to 200 characters.
    pub description: Option<String>,
}

/// Leave out what stays the same.
#[derive(InputObject)]
pub struct UpdateWebhookInput {
    pub url: Option<String>,
    pub events: Option<Vec<WebhookEvent>>,
    /// An empty description removes it.
    pub description: Option<String>,
    pub active: Option<bool>,
}

#[derive(Default)]
pub struct WebhookQuery;

#[Object]
impl WebhookQuery {
    /// Every webhook (admins only).
    async fn webhooks(&self, ctx: &Context<'_>) -> Result<Vec<Webhook>> {
        let rows = webhooks::list(db(ctx), viewer(ctx)).await.gql()?;
        Ok(rows.into_iter().map(Webhook).collect())
    }

    /// One webhook, or null (admins only).
    async fn webhook(&self, ctx: &Context<'_>, id: ID) -> Result<Option<Webhook>> {
        let id = parse_id("id", &id)?;
        let row = webhooks::find(db(ctx), viewer(ctx), id).await.gql()?;
        Ok(row.map(Webhook))
    }

    /// Deliveries, newest first, of one webhook or of all (admins only).
    async fn webhook_deliveries(
        &self,
        ctx: &Context<'_>,
        webhook_id: Option<ID>,
        first: Option<i32>,
        after: Option<String>,
    ) -> Result<WebhookDeliveryConnection> {
        let webhook_id = webhook_id
            .map(|id| parse_id("webhookId", &id))
            .transpose()?;
        let fetch =
            |before, limit| webhooks::deliveries(db(ctx), viewer(ctx), webhook_id, before, limit);
        newest_first(first, after, fetch, |r| r.id, WebhookDelivery).await
    }
}

#[derive(Default)]
pub struct WebhookMutation;

#[Object]
impl WebhookMutation {
    /// Registers a webhook (admins only). The answer carries its signing
    /// secret, which is not shown again.
    async fn create_webhook(
        &self,
        ctx: &Context<'_>,
        input: CreateWebhookInput,
    ) -> Result<WebhookWithSecret> {
        let events: Vec<domain::WebhookEvent> = input.events.into_iter().map(Into::into).collect();
        let input = NewWebhook {
            url: &input.url,
            events: &events,
            description: input.description.as_deref(),
        };
        let (row, secret) = webhooks::create(db(ctx), viewer(ctx), input, targets(ctx))
            .await
            .gql()?;
        Ok(WebhookWithSecret {
            webhook: Webhook(row),
            secret,
        })
    }

    /// Changes a webhook's address, events, description or whether it is on (admins only).
    async fn update_webhook(
        &self,
        ctx: &Context<'_>,
        id: ID,
        version: i32,
        input: UpdateWebhookInput,
    ) -> Result<Webhook> {
        let events: Option<Vec<domain::WebhookEvent>> = input
            .events
            .map(|events| events.into_iter().map(Into::into).collect());
        let changes = WebhookChanges {
            url: input.url.as_deref(),
            events: events.as_deref(),
            description: input.description.as_deref(),
            active: input.active,
        };
        let id = parse_id("id", &id)?;
        let row = webhooks::update(db(ctx), viewer(ctx), id, version, changes, targets(ctx))
            .await
            .gql()?;
        Ok(Webhook(row))
    }

    /// Replaces a webhook's signing secret; the answer carries the new one,
    /// which is not shown again (admins only).
    async fn rotate_webhook_secret(
        &self,
        ctx: &Context<'_>,
        id: ID,
        version: i32,
    ) -> Result<WebhookWithSecret> {
        let id = parse_id("id", &id)?;
        let (row, secret) = webhooks::rotate_secret(db(ctx), viewer(ctx), id, version)
            .await
            .gql()?;
        Ok(WebhookWithSecret {
            webhook: Webhook(row),
            secret,
        })
    }

    /// Removes a webhook and its deliveries (admins only).
    async fn delete_webhook(&self, ctx: &Context<'_>, id: ID) -> Result<Webhook> {
        let id = parse_id("id", &id)?;
        Ok(Webhook(
            webhooks::delete(db(ctx), viewer(ctx), id).await.gql()?,
        ))
    }

    /// Sends a delivered or failed delivery again, as a new delivery with the
    /// same body, signed with the current secret (admins only).
    async fn resend_webhook_delivery(&self, ctx: &Context<'_>, id: ID) -> Result<WebhookDelivery> {
        let id = parse_id("id", &id)?;
        Ok(WebhookDelivery(
            webhooks::resend(db(ctx), viewer(ctx), id).await.gql()?,
        ))
    }
}
