//! Email, invitations and password resets. Thin resolvers over
//! `service::account_links` and `service::outbox`, which check the role.

use async_graphql::{Context, Enum, InputObject, Object, Result, SimpleObject, ID};
use chrono::{DateTime, Utc};
use entity::mail_message;
use tower_sessions::Session;

use super::admin::User;
use super::enums::Role;
use super::mutation::ClientAddr;
use super::query::{db, viewer};
use super::{parse_id, Gql};
use crate::auth::session;
use crate::service::account_links::{self, LinkSettings, NewInvitation};
use crate::service::outbox;

fn links<'a>(ctx: &Context<'a>) -> Result<&'a LinkSettings> {
    ctx.data::<LinkSettings>()
}

/// Where an email stands.
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
pub enum EmailStatus {
    /// Waiting to be sent, or to be tried again.
    Pending,
    Sent,
    /// Given up: refused for good, or every attempt failed.
    Failed,
    /// Not sent: no mail server is set up.
    NotSent,
}

/// An email the server wrote. Its body is not shown: it may hold a one-time link.
pub struct Email(mail_message::Model);

#[Object]
impl Email {
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    /// What it is for: `invitation`, `password_reset`, …
    async fn kind(&self) -> &str {
        &self.0.kind
    }
    async fn recipient(&self) -> &str {
        &self.0.recipient
    }
    async fn subject(&self) -> &str {
        &self.0.subject
    }
    async fn status(&self) -> EmailStatus {
        match self.0.status.as_str() {
            outbox::SENT => EmailStatus::Sent,
            outbox::FAILED => EmailStatus::Failed,
            outbox::NOT_SENT => EmailStatus::NotSent,
            _ => EmailStatus::Pending,
        }
    }
    async fn attempts(&self) -> i32 {
        self.0.attempts
    }
    /// Why the last attempt failed (the mail server's answer when it gave one).
    async fn last_error(&self) -> Option<&str> {
        self.0.last_error.as_deref()
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    async fn sent_at(&self) -> Option<DateTime<Utc>> {
        self.0.sent_at
    }
    /// When it will be tried again, while pending.
    async fn next_attempt_at(&self) -> Option<DateTime<Utc>> {
        (self.0.status == outbox::PENDING)
            .then_some(self.0.next_attempt_at)
            .flatten()
    }
}

/// A one-time link an admin made: emailed, or to pass on.
#[derive(SimpleObject)]
pub struct AccountLink {
    pub email: String,
    pub expires_at: DateTime<Utc>,
    /// Whether the link went by email.
    pub emailed: bool,
    /// The link, when it was not emailed: give it to the person yourself.
    /// It may be a path (`/admin/…`) when QANDA_BASE_URL is not set.
    pub link: Option<String>,
}

/// Who an invitation is for, shown on the screen that accepts it.
#[derive(SimpleObject)]
pub struct InvitationDetails {
    pub email: String,
    pub name: String,
}

#[derive(InputObject)]
pub struct InviteUserInput {
    pub email: String,
    /// Their name, 1 to 200 characters.
    pub name: String,
    pub role: Role,
}

#[derive(Default)]
pub struct MailQuery;

#[Object]
impl MailQuery {
    /// The newest emails, newest first, with their status (admins only).
    async fn emails(
        &self,
        ctx: &Context<'_>,
        #[graphql(default = 50, validator(minimum = 1, maximum = 200))] first: i32,
    ) -> Result<Vec<Email>> {
        let rows = outbox::recent(db(ctx), viewer(ctx), first as u64)
            .await
            .gql()?;
        Ok(rows.into_iter().map(Email).collect())
    }

    /// Whether this server sends email (QANDA_SMTP_URL is set).
    async fn email_configured(&self, ctx: &Context<'_>) -> Result<bool> {
        Ok(links(ctx)?.mail_configured)
    }

    /// Who an invitation link is for, while it can still be used; null otherwise.
    async fn invitation(
        &self,
        ctx: &Context<'_>,
        token: String,
    ) -> Result<Option<InvitationDetails>> {
        let link = account_links::usable(db(ctx), account_links::INVITATION, &token)
            .await
            .gql()?;
        Ok(link.map(|link| InvitationDetails {
            name: link.display_name.unwrap_or_else(|| link.email.clone()),
            email: link.email,
        }))
    }

    /// Whether a password reset link can still be used.
    async fn password_reset_link_usable(&self, ctx: &Context<'_>, token: String) -> Result<bool> {
        let link = account_links::usable(db(ctx), account_links::PASSWORD_RESET, &token)
            .await
            .gql()?;
        Ok(link.is_some())
    }
}

#[derive(Default)]
pub struct MailMutation;

#[Object]
impl MailMutation {
    /// Invites a person to make an account (admins only): an email with a
    /// link valid for 7 days, or, without a mail server, the link to pass on.
    async fn invite_user(&self, ctx: &Context<'_>, input: InviteUserInput) -> Result<AccountLink> {
        let invitation = NewInvitation {
            email: &input.email,
            display_name: &input.name,
            role: input.role.into(),
        };
        let issued = account_links::invite(db(ctx), viewer(ctx), invitation, links(ctx)?)
            .await
            .gql()?;
        Ok(AccountLink {
            email: issued.link.email,
            expires_at: issued.link.expires_at,
            emailed: issued.url_to_pass_on.is_none(),
            link: issued.url_to_pass_on,
        })
    }

    /// Sets the invitee's password with the invitation's token, makes the account and signs them in.
    async fn accept_invitation(
        &self,
        ctx: &Context<'_>,
        token: String,
        password: String,
    ) -> Result<User> {
        let user = account_links::accept_invitation(db(ctx), &token, &password)
            .await
            .gql()?;
        session::start(ctx.data::<Session>()?, &user).await.gql()?;
        Ok(User(user))
    }

    /// "Forgotten your password?": emails a link valid for 1 hour if an
    /// account has this address. The answer is the same either way.
    async fn request_password_reset(&self, ctx: &Context<'_>, email: String) -> Result<bool> {
        let addr = ctx.data_opt::<ClientAddr>().map(|a| a.0.as_str());
        account_links::request_password_reset(db(ctx), &email, addr, links(ctx)?)
            .await
            .gql()?;
        Ok(true)
    }

    /// Makes a password reset link for a user, to pass on (admins only).
    async fn create_password_reset_link(&self, ctx: &Context<'_>, id: ID) -> Result<AccountLink> {
        let (link, url) = account_links::create_reset_link(
            db(ctx),
            viewer(ctx),
            parse_id("id", &id)?,
            links(ctx)?,
        )
        .await
        .gql()?;
        Ok(AccountLink {
            email: link.email,
            expires_at: link.expires_at,
            emailed: false,
            link: Some(url),
        })
    }

    /// Sets a new password with a reset link. Every session of the user
    /// ends; they then sign in with the new password.
    async fn reset_password(
        &self,
        ctx: &Context<'_>,
        token: String,
        password: String,
    ) -> Result<bool> {
        account_links::reset_password(db(ctx), &token, &password)
            .await
            .gql()?;
        Ok(true)
    }
}
