//! One-time account links: invitations (an admin invites a person, who
//! sets their own password) and password resets.
//!
//! A token is 32 random bytes; only its SHA-256 is stored. A link works
//! once (using it is a conditional update: of two uses, one wins), until it
//! expires, and each step is in the audit log. With a mail server, the
//! link goes by email through the outbox, in the transaction that made it;
//! without one, an invitation's link, or a reset link an admin makes, is
//! shown to the admin to pass on.

use chrono::Duration;
use entity::{account_link, user};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, Set,
};
use serde_json::json;

use super::changes::{self, Event};
use super::now;
use super::outbox;
use super::webhook_worker::Waker;
use super::Db;
use crate::auth::{password, token};
use crate::domain::{
    required_text, AccountChange, Change, Email, NewPassword, Permission, Role, Viewer,
    MAX_TITLE_LEN,
};
use crate::error::{AppError, AppResult};
use crate::mail::templates;

pub const INVITATION: &str = "invitation";
pub const PASSWORD_RESET: &str = "password_reset";
pub const INVITATION_LIFETIME_DAYS: i64 = 7;
pub const RESET_LIFETIME_MINUTES: i64 = 60;
/// Reset requests per address (the email asked for) per hour.
pub const RESETS_PER_EMAIL_PER_HOUR: u64 = 3;
/// Reset requests per client (network address) per hour.
pub const RESETS_PER_CLIENT_PER_HOUR: u64 = 10;

/// Where links point and whether they can be emailed (schema data).
#[derive(Clone, Debug)]
pub struct LinkSettings {
    /// The server's public URL; without it, links are paths (`/admin/…`)
    /// that the admin UI completes with its own origin.
    pub base_url: Option<url::Url>,
    /// `QANDA_SMTP_URL` is set.
    pub mail_configured: bool,
    /// Wakes the mail worker once a message is committed.
    pub mail_waker: Waker,
}

impl LinkSettings {
    fn url(&self, screen: &str, raw_token: &str) -> String {
        let path = format!("/admin/{screen}?token={raw_token}");
        match &self.base_url {
            Some(base) => format!("{}{path}", base.as_str().trim_end_matches('/')),
            None => path,
        }
    }
}

/// What an admin made: the link is there only when it was not emailed.
pub struct Issued {
    pub link: account_link::Model,
    pub url_to_pass_on: Option<String>,
}

pub struct NewInvitation<'a> {
    pub email: &'a str,
    pub display_name: &'a str,
    pub role: Role,
}

fn role_words(role: Role) -> &'static str {
    match role {
        Role::Editor => "an editor",
        Role::Publisher => "a publisher",
        Role::Admin => "an admin",
    }
}

fn new_token() -> (String, String) {
    let raw = token::generate();
    let hash = token::digest(&raw);
    (raw, hash)
}

/// An admin invites a person: a link valid for 7 days to set a password.
pub async fn invite(
    db: &Db,
    viewer: &Viewer,
    input: NewInvitation<'_>,
    settings: &LinkSettings,
) -> AppResult<Issued> {
    viewer.require(Permission::ManageUsers)?;
    let email = Email::parse("email", input.email);
    let name = required_text("name", "name", input.display_name, MAX_TITLE_LEN);
    let (email, name) = match (email, name) {
        (Ok(e), Ok(n)) => (e, n),
        (e, n) => {
            return Err(AppError::fields(
                [e.err(), n.err()].into_iter().flatten().collect(),
            ))
        }
    };
    let (txn, _turn) = crate::db::begin_write(db).await?;
    if user_with_email(&txn, email.as_str()).await?.is_some() {
        return Err(AppError::field(
            "email",
            "There is already an account with this email address",
        ));
    }
    let inviter = match viewer.user_id() {
        Some(id) => user::Entity::find_by_id(id).one(&txn).await?,
        None => None,
    };
    let (raw, hash) = new_token();
    let at = now();
    let link = account_link::ActiveModel {
        purpose: Set(INVITATION.to_owned()),
        token_hash: Set(hash),
        email: Set(email.as_str().to_owned()),
        display_name: Set(Some(name.clone())),
        role: Set(Some(input.role)),
        user_id: Set(None),
        created_by: Set(viewer.user_id()),
        client_addr: Set(None),
        expires_at: Set(at + Duration::days(INVITATION_LIFETIME_DAYS)),
        used_at: Set(None),
        created_at: Set(at),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let url = settings.url("invitation", &raw);
    if settings.mail_configured {
        let inviter = inviter.map_or("An administrator".to_owned(), |u| u.display_name);
        let message = templates::invitation(
            email.as_str(),
            &name,
            role_words(input.role),
            &inviter,
            &url,
        );
        outbox::enqueue(&txn, &message).await?;
    }
    let change = Change::Account(AccountChange::Invited, None);
    let detail = json!({
        "email": email.as_str(),
        "role": input.role,
        "emailed": settings.mail_configured,
    });
    changes::record(&txn, viewer, Event::new(change).with(detail)).await?;
    txn.commit().await?;
    settings.mail_waker.wake();
    Ok(Issued {
        link,
        url_to_pass_on: (!settings.mail_configured).then_some(url),
    })
}

async fn user_with_email(
    conn: &impl ConnectionTrait,
    email: &str,
) -> AppResult<Option<user::Model>> {
    Ok(user::Entity::find()
        .filter(user::Column::Email.eq(email.to_lowercase()))
        .one(conn)
        .await?)
}

/// The link behind a raw token, while it is unused and unexpired.
pub async fn usable(
    db: &Db,
    purpose: &str,
    raw_token: &str,
) -> AppResult<Option<account_link::Model>> {
    Ok(account_link::Entity::find()
        .filter(account_link::Column::Purpose.eq(purpose))
        .filter(account_link::Column::TokenHash.eq(token::digest(raw_token)))
        .filter(account_link::Column::UsedAt.is_null())
        .filter(account_link::Column::ExpiresAt.gt(now()))
        .one(db)
        .await?
        .filter(|link| purpose != PASSWORD_RESET || link.user_id.is_some()))
}

fn used_or_expired() -> AppError {
    AppError::field(
        "token",
        "This link has already been used, or has expired. Ask for a new one.",
    )
}

/// Marks the link used, in `txn`; of two racing uses only one succeeds.
async fn claim(
    txn: &impl ConnectionTrait,
    purpose: &str,
    raw_token: &str,
) -> AppResult<account_link::Model> {
    let at = now();
    let hash = token::digest(raw_token);
    let claimed = account_link::Entity::update_many()
        .col_expr(account_link::Column::UsedAt, Expr::value(Some(at)))
        .filter(account_link::Column::Purpose.eq(purpose))
        .filter(account_link::Column::TokenHash.eq(&hash))
        .filter(account_link::Column::UsedAt.is_null())
        .filter(account_link::Column::ExpiresAt.gt(at))
        .exec(txn)
        .await?;
    if claimed.rows_affected != 1 {
        return Err(used_or_expired());
    }
    account_link::Entity::find()
        .filter(account_link::Column::TokenHash.eq(hash))
        .one(txn)
        .await?
        .ok_or_else(used_or_expired)
}

async fn hash_new_password(raw: &str) -> AppResult<String> {
    let password = NewPassword::parse("password", raw).map_err(|e| AppError::fields(vec![e]))?;
    password::hash_async(password.expose().to_owned())
        .await
        .map_err(AppError::internal)
}

/// The invitee sets their password: the account is made with the name,
/// address and role the admin chose.
pub async fn accept_invitation(db: &Db, raw_token: &str, password: &str) -> AppResult<user::Model> {
    let hash = hash_new_password(password).await?;
    let (txn, _turn) = crate::db::begin_write(db).await?;
    let link = claim(&txn, INVITATION, raw_token).await?;
    if user_with_email(&txn, &link.email).await?.is_some() {
        return Err(AppError::field(
            "token",
            "There is already an account with this email address. Sign in, or reset your password.",
        ));
    }
    let at = now();
    let role = link.role.unwrap_or(Role::Editor);
    let user = user::ActiveModel {
        email: Set(link.email.clone()),
        display_name: Set(link
            .display_name
            .clone()
            .unwrap_or_else(|| link.email.clone())),
        role: Set(role),
        password_hash: Set(hash),
        disabled: Set(false),
        last_sign_in_at: Set(Some(at)),
        version: Set(1),
        created_at: Set(at),
        updated_at: Set(at),
        ..Default::default()
    }
    .insert(&txn)
    .await
    .map_err(super::constraints::on_write)?;
    let viewer = Viewer::Staff {
        user_id: user.id,
        role,
    };
    let change = Change::Account(AccountChange::InvitationAccepted, Some(user.id));
    let detail = json!({ "email": user.email, "role": role, "invitedBy": link.created_by });
    changes::record(&txn, &viewer, Event::new(change).with(detail)).await?;
    txn.commit().await?;
    Ok(user)
}

/// "Forgotten your password?": the same answer whether or not an account
/// has this address, and the same work: a link row (the throttle's count)
/// is written and a token made either way; only an enabled account gets
/// the email. Throttled per address asked for and per client.
pub async fn request_password_reset(
    db: &Db,
    email: &str,
    client_addr: Option<&str>,
    settings: &LinkSettings,
) -> AppResult<()> {
    let email = Email::parse("email", email).map_err(|e| AppError::fields(vec![e]))?;
    let email = email.as_str().to_owned();
    let at = now();
    let hour_ago = at - Duration::hours(1);
    let (txn, _turn) = crate::db::begin_write(db).await?;
    take_turns(&txn, &email, client_addr).await?;
    let recent = || {
        account_link::Entity::find()
            .filter(account_link::Column::Purpose.eq(PASSWORD_RESET))
            .filter(account_link::Column::CreatedAt.gt(hour_ago))
    };
    let for_email = recent()
        .filter(account_link::Column::Email.eq(&email))
        .count(&txn)
        .await?;
    let for_client = match client_addr {
        Some(addr) => {
            recent()
                .filter(account_link::Column::ClientAddr.eq(addr))
                .count(&txn)
                .await?
        }
        None => 0,
    };
    if for_email >= RESETS_PER_EMAIL_PER_HOUR || for_client >= RESETS_PER_CLIENT_PER_HOUR {
        return Err(AppError::RateLimited {
            message: "Too many requests to reset a password. Try again in an hour.".to_owned(),
            retry_after_secs: 3600,
        });
    }
    let account = user_with_email(&txn, &email)
        .await?
        .filter(|user| !user.disabled);
    let (raw, hash) = new_token();
    account_link::ActiveModel {
        purpose: Set(PASSWORD_RESET.to_owned()),
        token_hash: Set(hash),
        email: Set(email.clone()),
        display_name: Set(None),
        role: Set(None),
        user_id: Set(account.as_ref().map(|user| user.id)),
        created_by: Set(None),
        client_addr: Set(client_addr.map(str::to_owned)),
        expires_at: Set(at + Duration::minutes(RESET_LIFETIME_MINUTES)),
        used_at: Set(None),
        created_at: Set(at),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    if let (Some(user), true) = (&account, settings.mail_configured) {
        let url = settings.url("reset-password", &raw);
        outbox::enqueue(
            &txn,
            &templates::password_reset(&user.email, &user.display_name, &url),
        )
        .await?;
    }
    let change = Change::Account(
        AccountChange::PasswordResetRequested,
        account.as_ref().map(|user| user.id),
    );
    let detail = json!({ "email": email, "known": account.is_some() });
    let event = Event::new(change).with(detail).from_addr(client_addr);
    changes::record(&txn, &Viewer::Anonymous, event).await?;
    txn.commit().await?;
    settings.mail_waker.wake();
    Ok(())
}

/// Counting and then inserting is a race on PostgreSQL, where parallel
/// transactions do not see each other's new rows: requests for the same
/// address or from the same client take turns on a transaction-scoped
/// advisory lock (in a fixed order, so two never wait for each other).
/// SQLite's write transaction already runs one at a time.
async fn take_turns(
    txn: &impl ConnectionTrait,
    email: &str,
    client_addr: Option<&str>,
) -> AppResult<()> {
    use sea_orm::{DbBackend, Statement};
    if txn.get_database_backend() != DbBackend::Postgres {
        return Ok(());
    }
    let mut keys = vec![format!("reset-email:{email}")];
    keys.extend(client_addr.map(|addr| format!("reset-client:{addr}")));
    keys.sort();
    for key in keys {
        txn.execute_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "SELECT pg_advisory_xact_lock(hashtext($1))",
            [key.into()],
        ))
        .await?;
    }
    Ok(())
}

/// An admin makes a reset link for a user, to pass on (for when there is
/// no mail server, or the email went astray).
pub async fn create_reset_link(
    db: &Db,
    viewer: &Viewer,
    user_id: i32,
    settings: &LinkSettings,
) -> AppResult<(account_link::Model, String)> {
    viewer.require(Permission::ManageUsers)?;
    let (txn, _turn) = crate::db::begin_write(db).await?;
    let user = user::Entity::find_by_id(user_id)
        .one(&txn)
        .await?
        .ok_or_else(|| AppError::NotFound("user".into()))?;
    let (raw, hash) = new_token();
    let at = now();
    let link = account_link::ActiveModel {
        purpose: Set(PASSWORD_RESET.to_owned()),
        token_hash: Set(hash),
        email: Set(user.email.clone()),
        display_name: Set(None),
        role: Set(None),
        user_id: Set(Some(user.id)),
        created_by: Set(viewer.user_id()),
        client_addr: Set(None),
        expires_at: Set(at + Duration::minutes(RESET_LIFETIME_MINUTES)),
        used_at: Set(None),
        created_at: Set(at),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let change = Change::Account(AccountChange::PasswordResetLinkCreated, Some(user.id));
    changes::record(&txn, viewer, Event::new(change)).await?;
    txn.commit().await?;
    Ok((link, settings.url("reset-password", &raw)))
}

/// Uses a reset link: sets the password, which ends every session of the
/// user (a session holds a fingerprint of the password hash, see
/// `users::viewer_for_session`), and spends the user's other reset links.
pub async fn reset_password(db: &Db, raw_token: &str, password: &str) -> AppResult<user::Model> {
    let hash = hash_new_password(password).await?;
    let (txn, _turn) = crate::db::begin_write(db).await?;
    let link = claim(&txn, PASSWORD_RESET, raw_token).await?;
    let Some(user_id) = link.user_id else {
        return Err(used_or_expired());
    };
    let user = user::Entity::find_by_id(user_id)
        .one(&txn)
        .await?
        .filter(|user| !user.disabled)
        .ok_or_else(used_or_expired)?;
    let version = user.version + 1;
    let mut active: user::ActiveModel = user.into();
    active.password_hash = Set(hash);
    active.version = Set(version);
    active.updated_at = Set(now());
    let user = active.update(&txn).await?;
    account_link::Entity::update_many()
        .col_expr(account_link::Column::UsedAt, Expr::value(Some(now())))
        .filter(account_link::Column::Purpose.eq(PASSWORD_RESET))
        .filter(account_link::Column::UserId.eq(user.id))
        .filter(account_link::Column::UsedAt.is_null())
        .exec(&txn)
        .await?;
    let viewer = Viewer::Staff {
        user_id: user.id,
        role: user.role,
    };
    let change = Change::Account(AccountChange::PasswordResetByLink, Some(user.id));
    changes::record(&txn, &viewer, Event::new(change)).await?;
    txn.commit().await?;
    Ok(user)
}
