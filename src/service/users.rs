//! Staff accounts: sign-in, password changes, user management and the
//! one-time link that creates the first admin.

use chrono::{DateTime, Duration, Utc};
use entity::{setup_token, user};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use serde_json::json;

use super::changes::{self, Event};
use super::now;
use super::two_factor::{self, AfterPassword, PendingStep};
use super::Db;
use crate::auth::{password, throttle, token};
use crate::domain::{
    required_text, AccountChange, Change, Email, NewPassword, Permission, Role,
    TwoFactorRequirement, Viewer, MAX_TITLE_LEN,
};
use crate::error::{AppError, AppResult, FieldError};

pub const SETUP_LINK_LIFETIME_MINUTES: i64 = 60;

/// A short fingerprint of the password hash, kept in the session: when the
/// password changes, every older session stops working.
pub fn password_fingerprint(user: &user::Model) -> String {
    token::digest(&user.password_hash)[..16].to_owned()
}

/// What the session says about who signed in.
pub struct SessionClaims {
    pub user_id: i32,
    pub fingerprint: String,
    /// The user's session generation when the session began (0 in sessions
    /// from before there was one).
    pub generation: i32,
    pub signed_in_at: DateTime<Utc>,
}

/// The viewer a session stands for, or `None` when the session no longer
/// holds (account gone or disabled, password changed, sessions ended by a
/// second factor set up or reset, absolute expiry passed).
pub async fn viewer_for_session(
    db: &Db,
    claims: &SessionClaims,
    max_age: Duration,
) -> AppResult<Option<(Viewer, user::Model)>> {
    if now() - claims.signed_in_at >= max_age {
        return Ok(None);
    }
    let Some(user) = user::Entity::find_by_id(claims.user_id).one(db).await? else {
        return Ok(None);
    };
    if user.disabled
        || password_fingerprint(&user) != claims.fingerprint
        || user.session_generation != claims.generation
    {
        return Ok(None);
    }
    Ok(Some((
        Viewer::Staff {
            user_id: user.id,
            role: user.role,
        },
        user,
    )))
}

/// The throttle's keys for a sign-in: the account and the client's address.
pub(crate) fn sign_in_keys(email: &str, client_addr: Option<&str>) -> Vec<String> {
    let mut keys = vec![throttle::account_key(&email.trim().to_lowercase())];
    if let Some(addr) = client_addr {
        keys.push(throttle::address_key(addr));
    }
    keys
}

/// Checks an email address and password. A right password signs the user
/// in, or leaves the sign-in waiting for their second factor (the throttle
/// keeps counting until the code is right), or for them to set one up
/// where `requirement` asks it of them.
pub async fn sign_in(
    db: &Db,
    email: &str,
    password_text: &str,
    client_addr: Option<&str>,
    requirement: TwoFactorRequirement,
) -> AppResult<(user::Model, AfterPassword)> {
    let mut missing = Vec::new();
    if email.trim().is_empty() {
        missing.push(FieldError::new("email", "Enter your email address"));
    }
    if password_text.is_empty() {
        missing.push(FieldError::new("password", "Enter your password"));
    }
    if !missing.is_empty() {
        return Err(AppError::fields(missing));
    }
    let email = email.trim().to_lowercase();
    let keys = sign_in_keys(&email, client_addr);
    throttle::admit(db, &keys, now()).await?;

    let found = user::Entity::find()
        .filter(user::Column::Email.eq(&email))
        .one(db)
        .await?;
    // Always verify, against a dummy hash when there is no such account,
    // so that the answer takes as long whether or not the email exists.
    let matches = password::verify_async(
        found.as_ref().map(|u| u.password_hash.clone()),
        password_text.to_owned(),
    )
    .await;
    let user = match found {
        Some(user) if matches && !user.disabled => user,
        found => {
            let reason = match &found {
                None => "unknown email",
                Some(u) if u.disabled && matches => "account disabled",
                Some(_) => "wrong password",
            };
            let change = Change::Account(AccountChange::SignInFailed, found.map(|u| u.id));
            let detail = json!({ "email": email, "reason": reason });
            let event = Event::new(change).with(detail).from_addr(client_addr);
            changes::record(db, &Viewer::Anonymous, event).await?;
            return Err(AppError::WrongCredentials);
        }
    };
    let next = two_factor::after_password(db, &user, requirement).await?;
    match next {
        AfterPassword::SignedIn => {
            let detail = json!({ "email": user.email });
            Ok((finish_sign_in(db, user, client_addr, detail).await?, next))
        }
        // Nothing is left to guess once a right password only leads to
        // setting up an app.
        AfterPassword::Pending(PendingStep::Enrol) => {
            throttle::clear(db, &keys).await?;
            Ok((user, next))
        }
        AfterPassword::Pending(PendingStep::Code) => Ok((user, next)),
    }
}

/// The last step of every sign-in (password alone, password and code, or
/// setting up an app): clears the throttle's counts, notes the time and
/// records it, with `detail` saying how.
pub(crate) async fn finish_sign_in(
    db: &Db,
    user: user::Model,
    client_addr: Option<&str>,
    detail: serde_json::Value,
) -> AppResult<user::Model> {
    throttle::clear(db, &sign_in_keys(&user.email, client_addr)).await?;
    let mut active: user::ActiveModel = user.into();
    active.last_sign_in_at = Set(Some(now()));
    let user = active.update(db).await?;
    let viewer = Viewer::Staff {
        user_id: user.id,
        role: user.role,
    };
    let change = Change::Account(AccountChange::SignedIn, Some(user.id));
    let event = Event::new(change).with(detail).from_addr(client_addr);
    changes::record(db, &viewer, event).await?;
    Ok(user)
}

pub async fn record_sign_out(db: &Db, viewer: &Viewer) -> AppResult<()> {
    if let Some(id) = viewer.user_id() {
        let change = Change::Account(AccountChange::SignedOut, Some(id));
        changes::record(db, viewer, Event::new(change)).await?;
    }
    Ok(())
}

pub async fn find(db: &Db, id: i32) -> AppResult<Option<user::Model>> {
    Ok(user::Entity::find_by_id(id).one(db).await?)
}

pub async fn find_by_email(db: &Db, email: &str) -> AppResult<Option<user::Model>> {
    Ok(user::Entity::find()
        .filter(user::Column::Email.eq(email.trim().to_lowercase()))
        .one(db)
        .await?)
}

pub async fn list(db: &Db, viewer: &Viewer) -> AppResult<Vec<user::Model>> {
    viewer.require(Permission::ManageUsers)?;
    Ok(user::Entity::find()
        .order_by_asc(user::Column::Email)
        .all(db)
        .await?)
}

pub struct NewUser<'a> {
    pub email: &'a str,
    pub display_name: &'a str,
    pub role: Role,
    pub password: &'a str,
}

pub async fn create(db: &Db, viewer: &Viewer, input: NewUser<'_>) -> AppResult<user::Model> {
    viewer.require(Permission::ManageUsers)?;
    let (email, display_name, password) = parse_new_user(&input)?;
    let hash = password::hash_async(password.expose().to_owned())
        .await
        .map_err(AppError::internal)?;
    let (txn, _turn) = crate::db::begin_write(db).await?;
    let user = insert_user(&txn, &email, &display_name, input.role, hash).await?;
    let change = Change::Account(AccountChange::Created, Some(user.id));
    let detail = json!({ "email": user.email, "role": user.role });
    changes::record(&txn, viewer, Event::new(change).with(detail)).await?;
    txn.commit().await?;
    Ok(user)
}

fn parse_new_user(input: &NewUser<'_>) -> AppResult<(Email, String, NewPassword)> {
    let email = Email::parse("email", input.email);
    let name = required_text("displayName", "name", input.display_name, MAX_TITLE_LEN);
    let password = NewPassword::parse("password", input.password);
    match (email, name, password) {
        (Ok(e), Ok(n), Ok(p)) => Ok((e, n, p)),
        (e, n, p) => Err(AppError::fields(
            [e.err(), n.err(), p.err()].into_iter().flatten().collect(),
        )),
    }
}

async fn insert_user(
    conn: &impl sea_orm::ConnectionTrait,
    email: &Email,
    display_name: &str,
    role: Role,
    hash: String,
) -> AppResult<user::Model> {
    let at = now();
    user::ActiveModel {
        email: Set(email.as_str().to_owned()),
        display_name: Set(display_name.to_owned()),
        role: Set(role),
        password_hash: Set(hash),
        disabled: Set(false),
        last_sign_in_at: Set(None),
        version: Set(1),
        created_at: Set(at),
        updated_at: Set(at),
        ..Default::default()
    }
    .insert(conn)
    .await
    .map_err(super::constraints::on_write)
}

/// What an admin may change about a user; each is one versioned update.
pub enum UserChange {
    Disable,
    Enable,
    SetRole(Role),
    ResetPassword(String),
    /// Removes their second factor and recovery codes, and ends their
    /// sessions: for someone who has lost their app and their codes.
    ResetTwoFactor,
}

pub async fn change(
    db: &Db,
    viewer: &Viewer,
    id: i32,
    version: i32,
    change: UserChange,
) -> AppResult<user::Model> {
    viewer.require(Permission::ManageUsers)?;
    let new_hash = match &change {
        UserChange::ResetPassword(raw) => {
            let password =
                NewPassword::parse("password", raw).map_err(|e| AppError::fields(vec![e]))?;
            Some(
                password::hash_async(password.expose().to_owned())
                    .await
                    .map_err(AppError::internal)?,
            )
        }
        _ => None,
    };
    let (txn, _turn) = crate::db::begin_write(db).await?;
    // Lock every active admin's row before reading: two changes that would
    // each leave one admin (demoting or disabling the last two at once)
    // then take turns, and the second sees the first's result. SQLite's
    // write transaction (BEGIN IMMEDIATE) already serialises them; on
    // PostgreSQL this is SELECT … FOR UPDATE.
    let active_admins_before: Vec<i32> = active_admins()
        .select_only()
        .column(user::Column::Id)
        .lock_exclusive()
        .into_tuple()
        .all(&txn)
        .await?;
    let was_active_admin = active_admins_before.contains(&id);
    let mut update = user::Entity::update_many();
    let (made, detail) = match &change {
        UserChange::Disable => {
            update = update.col_expr(user::Column::Disabled, Expr::value(true));
            (AccountChange::Disabled, json!({}))
        }
        UserChange::Enable => {
            update = update.col_expr(user::Column::Disabled, Expr::value(false));
            (AccountChange::Enabled, json!({}))
        }
        UserChange::SetRole(role) => {
            update = update.col_expr(user::Column::Role, Expr::value(*role));
            (AccountChange::RoleChanged, json!({ "role": role }))
        }
        UserChange::ResetPassword(_) => {
            update = update.col_expr(user::Column::PasswordHash, Expr::value(new_hash.clone()));
            (AccountChange::PasswordReset, json!({}))
        }
        UserChange::ResetTwoFactor => {
            use sea_orm::sea_query::ExprTrait;
            // Every session of theirs ends (see `two_factor::end_sessions`).
            update = update.col_expr(
                user::Column::SessionGeneration,
                Expr::col(user::Column::SessionGeneration).add(1),
            );
            (AccountChange::TwoFactorReset, json!({}))
        }
    };
    let user = super::versioned::write(&txn, viewer, id, version, update)
        .await?
        .checked(|user| AppError::conflict("user", user.version))?;
    if matches!(change, UserChange::ResetTwoFactor) {
        two_factor::remove(&txn, id).await?;
    }
    // There must always be someone who can manage users.
    if was_active_admin && active_admins().count(&txn).await? == 0 {
        return Err(AppError::field(
            "id",
            "This would leave no active admin. Make someone else an admin first.",
        ));
    }
    let event = Event::new(Change::Account(made, Some(id))).with(detail);
    changes::record(&txn, viewer, event).await?;
    txn.commit().await?;
    Ok(user)
}

pub async fn change_own_password(
    db: &Db,
    viewer: &Viewer,
    current: &str,
    new: &str,
) -> AppResult<user::Model> {
    let Some(user_id) = viewer.user_id() else {
        return Err(AppError::Unauthenticated);
    };
    let new = NewPassword::parse("newPassword", new).map_err(|e| AppError::fields(vec![e]))?;
    let user = user::Entity::find_by_id(user_id)
        .one(db)
        .await?
        .ok_or(AppError::Unauthenticated)?;
    if !password::verify_async(Some(user.password_hash.clone()), current.to_owned()).await {
        return Err(AppError::field(
            "currentPassword",
            "Your current password is not right",
        ));
    }
    let hash = password::hash_async(new.expose().to_owned())
        .await
        .map_err(AppError::internal)?;
    let (txn, _turn) = crate::db::begin_write(db).await?;
    let version = user.version + 1;
    let mut active: user::ActiveModel = user.into();
    active.password_hash = Set(hash);
    active.version = Set(version);
    active.updated_at = Set(now());
    let user = active.update(&txn).await?;
    let change = Change::Account(AccountChange::PasswordChanged, Some(user_id));
    changes::record(&txn, viewer, Event::new(change)).await?;
    txn.commit().await?;
    Ok(user)
}

fn active_admins() -> sea_orm::Select<user::Entity> {
    user::Entity::find()
        .filter(user::Column::Role.eq(Role::Admin))
        .filter(user::Column::Disabled.eq(false))
}

async fn active_admin_exists(db: &impl sea_orm::ConnectionTrait) -> AppResult<bool> {
    Ok(active_admins().count(db).await? > 0)
}

/// When nobody can administer this installation, issues a one-time setup
/// token (valid for an hour) and returns it; otherwise `None`.
pub async fn setup_token_if_needed(db: &Db) -> AppResult<Option<String>> {
    if active_admin_exists(db).await? {
        return Ok(None);
    }
    let token = token::generate();
    let at = now();
    setup_token::ActiveModel {
        token_hash: Set(token::digest(&token)),
        expires_at: Set(at + Duration::minutes(SETUP_LINK_LIFETIME_MINUTES)),
        used_at: Set(None),
        created_at: Set(at),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(Some(token))
}

/// Whether a setup token can still create the first admin: it was issued,
/// is unused and unexpired, and there is still no active admin. The set-up
/// screen asks this when it opens, so that a used link says so at once
/// instead of after the form has been filled in.
pub async fn setup_link_usable(db: &Db, raw_token: &str) -> AppResult<bool> {
    let waiting = setup_token::Entity::find()
        .filter(setup_token::Column::TokenHash.eq(token::digest(raw_token)))
        .filter(setup_token::Column::UsedAt.is_null())
        .filter(setup_token::Column::ExpiresAt.gt(now()))
        .count(db)
        .await?;
    Ok(waiting > 0 && !active_admin_exists(db).await?)
}

/// Uses a setup token to create the first admin. The token works once, within
/// its hour, and only while there is still no active admin. The link signs
/// them in, or, where `requirement` covers admins, has them set up an app first.
pub async fn complete_setup(
    db: &Db,
    raw_token: &str,
    input: NewUser<'_>,
    requirement: TwoFactorRequirement,
) -> AppResult<(user::Model, AfterPassword)> {
    let (email, display_name, password) = parse_new_user(&input)?;
    let invalid = || {
        AppError::field(
            "token",
            "This link has already been used, or has expired. Ask an administrator to give you an account, or sign in.",
        )
    };
    let hash = password::hash_async(password.expose().to_owned())
        .await
        .map_err(AppError::internal)?;
    let at = now();
    let (txn, _turn) = crate::db::begin_write(db).await?;
    // Claim the token first: of two racing uses, only one updates the row.
    let claimed = setup_token::Entity::update_many()
        .col_expr(setup_token::Column::UsedAt, Expr::value(Some(at)))
        .filter(setup_token::Column::TokenHash.eq(token::digest(raw_token)))
        .filter(setup_token::Column::UsedAt.is_null())
        .filter(setup_token::Column::ExpiresAt.gt(at))
        .exec(&txn)
        .await?;
    if claimed.rows_affected != 1 || active_admin_exists(&txn).await? {
        return Err(invalid());
    }
    let user = insert_user(&txn, &email, &display_name, Role::Admin, hash).await?;
    // The link signs the new admin in: this is their first sign-in.
    let mut active: user::ActiveModel = user.into();
    active.last_sign_in_at = Set(Some(now()));
    let user = active.update(&txn).await?;
    let viewer = Viewer::Staff {
        user_id: user.id,
        role: Role::Admin,
    };
    let change = Change::Account(AccountChange::Created, Some(user.id));
    let detail = json!({ "email": user.email, "role": user.role, "via": "setup link" });
    changes::record(&txn, &viewer, Event::new(change).with(detail)).await?;
    txn.commit().await?;
    let next = two_factor::after_password(db, &user, requirement).await?;
    Ok((user, next))
}
