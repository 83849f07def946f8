//! Two-factor sign-in with an authenticator app (TOTP), and one-time
//! recovery codes for when the app is lost.
//!
//! Signing in with a second factor is two requests. The password leaves the
//! session "waiting for a code" (`PendingStep::Code`), in which it is
//! nobody: every query acts as for an anonymous reader. Only the right code
//! (or an unused recovery code) signs the session in. Codes are counted by
//! the same throttle as passwords, and the count a right password leaves is
//! cleared only by the right code, so taking turns between a known
//! password and guessed codes gains nothing.
//!
//! Where `QANDA_REQUIRE_2FA` covers someone without a second factor, the
//! password leaves the session "must set up an app" (`PendingStep::Enrol`):
//! it may set one up and sign out, nothing else.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Duration, Utc};
use entity::{recovery_code, second_factor, user};
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{ColumnTrait, Condition, EntityTrait, PaginatorTrait, QueryFilter, Set};
use serde_json::json;

use super::changes::{self, Event};
use super::{now, users, Db};
use crate::auth::{recovery, throttle, totp};
use crate::domain::{
    AccountChange, Change, Permission, SecondFactorCode, TwoFactorRequirement, Viewer,
};
use crate::error::{AppError, AppResult};

/// A sign-in that is half done: the password was right, and this is next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PendingStep {
    /// A code from the authenticator app, or a recovery code.
    Code,
    /// Setting up an authenticator app, which `QANDA_REQUIRE_2FA` asks of
    /// this person before anything else.
    Enrol,
}

/// How long someone has to type their code after their password. Short:
/// the state is only worth something to someone who has the password.
pub const CODE_STEP_MINUTES: i64 = 5;
/// How long someone has to set up an app after their password: long
/// enough to install one and scan the code.
pub const ENROL_STEP_MINUTES: i64 = 30;
/// How long a secret shown for setting up an app waits for its first code.
/// Shown again if asked within that time, so reloading the set-up screen
/// keeps the QR code already scanned.
pub const PENDING_SECRET_MINUTES: i64 = 60;

impl PendingStep {
    /// Its form in the session.
    pub fn as_str(self) -> &'static str {
        match self {
            PendingStep::Code => "code",
            PendingStep::Enrol => "enrol",
        }
    }

    pub fn from_stored(text: &str) -> Option<PendingStep> {
        match text {
            "code" => Some(PendingStep::Code),
            "enrol" => Some(PendingStep::Enrol),
            _ => None,
        }
    }

    /// How long the half-done sign-in lasts from the password.
    pub fn lifetime(self) -> Duration {
        match self {
            PendingStep::Code => Duration::minutes(CODE_STEP_MINUTES),
            PendingStep::Enrol => Duration::minutes(ENROL_STEP_MINUTES),
        }
    }
}

/// Where a right password leaves a sign-in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AfterPassword {
    SignedIn,
    Pending(PendingStep),
}

/// What comes after a right password for `user`.
pub async fn after_password(
    db: &Db,
    user: &user::Model,
    requirement: TwoFactorRequirement,
) -> AppResult<AfterPassword> {
    Ok(if is_enrolled(db, user.id).await? {
        AfterPassword::Pending(PendingStep::Code)
    } else if requirement.applies_to(user.role) {
        AfterPassword::Pending(PendingStep::Enrol)
    } else {
        AfterPassword::SignedIn
    })
}

fn confirmed() -> Condition {
    Condition::all().add(second_factor::Column::Secret.is_not_null())
}

/// Whether the user signs in with a code from an authenticator app.
pub async fn is_enrolled(db: &Db, user_id: i32) -> AppResult<bool> {
    Ok(second_factor::Entity::find_by_id(user_id)
        .filter(confirmed())
        .count(db)
        .await?
        > 0)
}

/// Which of these users sign in with an authenticator app, in one query.
pub async fn enrolled_among(db: &Db, user_ids: &[i32]) -> AppResult<HashSet<i32>> {
    use sea_orm::QuerySelect;
    let ids: Vec<i32> = second_factor::Entity::find()
        .select_only()
        .column(second_factor::Column::UserId)
        .filter(second_factor::Column::UserId.is_in(user_ids.iter().copied()))
        .filter(confirmed())
        .into_tuple()
        .all(db)
        .await?;
    Ok(ids.into_iter().collect())
}

/// Whether `viewer` may know if someone signs in with a second factor:
/// the person themself and admins may; other staff may not.
pub fn may_know(viewer: &Viewer, user_id: i32) -> bool {
    viewer.user_id() == Some(user_id) || viewer.may(Permission::ManageUsers)
}

/// For each of these users that `viewer` may know about, whether they sign
/// in with an authenticator app (one query; none when there is nobody).
pub async fn enrolment_of(
    db: &Db,
    viewer: &Viewer,
    user_ids: &[i32],
) -> AppResult<HashMap<i32, bool>> {
    let known: Vec<i32> = user_ids
        .iter()
        .copied()
        .filter(|id| may_know(viewer, *id))
        .collect();
    if known.is_empty() {
        return Ok(HashMap::new());
    }
    let enrolled = enrolled_among(db, &known).await?;
    Ok(known
        .into_iter()
        .map(|id| (id, enrolled.contains(&id)))
        .collect())
}

/// How many unused recovery codes the user has, when `viewer` may know.
pub async fn recovery_codes_left_for(
    db: &Db,
    viewer: &Viewer,
    user_id: i32,
) -> AppResult<Option<u64>> {
    if !may_know(viewer, user_id) {
        return Ok(None);
    }
    Ok(Some(recovery_codes_left(db, user_id).await?))
}

/// How many of the user's recovery codes are still unused.
pub async fn recovery_codes_left(db: &Db, user_id: i32) -> AppResult<u64> {
    Ok(recovery_code::Entity::find()
        .filter(recovery_code::Column::UserId.eq(user_id))
        .filter(recovery_code::Column::UsedAt.is_null())
        .count(db)
        .await?)
}

/// An authenticator app being set up: what the person scans or types in.
/// Shown only to that person, only while they set it up.
pub struct Enrolment {
    /// Base32, for typing into the app.
    pub secret: String,
    /// The `otpauth://` address the QR code carries.
    pub setup_uri: String,
    /// The QR code, as inline SVG.
    pub qr_svg: String,
}

fn acting_user(viewer: &Viewer) -> AppResult<i32> {
    match viewer {
        Viewer::Staff { user_id, .. } => Ok(*user_id),
        _ => Err(AppError::Unauthenticated),
    }
}

async fn find_user(db: &Db, user_id: i32) -> AppResult<user::Model> {
    users::find(db, user_id)
        .await?
        .filter(|user| !user.disabled)
        .ok_or(AppError::Unauthenticated)
}

fn fresh_pending(row: &second_factor::Model, at: DateTime<Utc>) -> Option<&str> {
    let since = row.pending_since?;
    (at - since < Duration::minutes(PENDING_SECRET_MINUTES))
        .then_some(row.pending_secret.as_deref())
        .flatten()
}

/// Starts (or, within the hour, shows again) setting up an authenticator
/// app for the viewer. A second factor they already have keeps working
/// until the new one is confirmed.
pub async fn begin_enrolment(db: &Db, viewer: &Viewer) -> AppResult<Enrolment> {
    let user = find_user(db, acting_user(viewer)?).await?;
    let at = now();
    let row = second_factor::Entity::find_by_id(user.id).one(db).await?;
    let secret = match row.as_ref().and_then(|row| fresh_pending(row, at)) {
        Some(secret) => secret.to_owned(),
        None => {
            let secret = totp::new_secret();
            let pending = second_factor::ActiveModel {
                user_id: Set(user.id),
                secret: Set(None),
                confirmed_at: Set(None),
                last_used_step: Set(None),
                pending_secret: Set(Some(secret.clone())),
                pending_since: Set(Some(at)),
            };
            second_factor::Entity::insert(pending)
                .on_conflict(
                    OnConflict::column(second_factor::Column::UserId)
                        .update_columns([
                            second_factor::Column::PendingSecret,
                            second_factor::Column::PendingSince,
                        ])
                        .to_owned(),
                )
                .exec(db)
                .await?;
            secret
        }
    };
    let setup_uri = totp::setup_uri(&secret, &user.email).map_err(AppError::internal)?;
    let qr_svg = totp::qr_svg(&setup_uri, "QR code to scan with your authenticator app")
        .map_err(AppError::internal)?;
    Ok(Enrolment {
        secret,
        setup_uri,
        qr_svg,
    })
}

fn wrong_code() -> AppError {
    AppError::field(
        "code",
        "The code is not right. Check the code in your authenticator app and try again",
    )
}

/// Confirms the app being set up with a code from it. The new secret
/// replaces any earlier one, ten new recovery codes replace any earlier
/// ones (returned here, the only time they are shown), and every other
/// session of the user ends: someone who had signed in with the password
/// alone is signed out. The caller starts the viewer's session again.
pub async fn confirm_enrolment(
    db: &Db,
    viewer: &Viewer,
    raw_code: &str,
) -> AppResult<(user::Model, Vec<String>)> {
    let user = find_user(db, acting_user(viewer)?).await?;
    let code = SecondFactorCode::parse_app_code("code", raw_code)
        .map_err(|e| AppError::fields(vec![e]))?;
    let at = now();
    let expired = || {
        AppError::field(
            "code",
            "Setting up your app took too long. Start again and scan the new QR code",
        )
    };
    let row = second_factor::Entity::find_by_id(user.id).one(db).await?;
    let Some(pending) = row.as_ref().and_then(|row| fresh_pending(row, at)) else {
        return Err(expired());
    };
    let step = totp::matching_step(pending, &code, at)
        .map_err(AppError::internal)?
        .ok_or_else(wrong_code)?;
    let codes: Vec<String> = (0..recovery::COUNT).map(|_| recovery::generate()).collect();

    let (txn, _turn) = crate::db::begin_write(db).await?;
    // Claimed by its value: of two confirmations racing, one wins.
    let claimed = second_factor::Entity::update_many()
        .col_expr(
            second_factor::Column::Secret,
            Expr::value(Some(pending.to_owned())),
        )
        .col_expr(second_factor::Column::ConfirmedAt, Expr::value(Some(at)))
        // The code just typed is used: it cannot sign anyone in again.
        .col_expr(second_factor::Column::LastUsedStep, Expr::value(Some(step)))
        .col_expr(
            second_factor::Column::PendingSecret,
            Expr::value(None::<String>),
        )
        .col_expr(
            second_factor::Column::PendingSince,
            Expr::value(None::<DateTime<Utc>>),
        )
        .filter(second_factor::Column::UserId.eq(user.id))
        .filter(second_factor::Column::PendingSecret.eq(pending))
        .exec(&txn)
        .await?;
    if claimed.rows_affected != 1 {
        return Err(expired());
    }
    recovery_code::Entity::delete_many()
        .filter(recovery_code::Column::UserId.eq(user.id))
        .exec(&txn)
        .await?;
    recovery_code::Entity::insert_many(codes.iter().map(|shown| recovery_code::ActiveModel {
        user_id: Set(user.id),
        code_hash: Set(recovery::digest(&recovery::compact(shown))),
        used_at: Set(None),
        created_at: Set(at),
        ..Default::default()
    }))
    .exec(&txn)
    .await?;
    end_sessions(&txn, user.id, at).await?;
    let change = Change::Account(AccountChange::TwoFactorEnabled, Some(user.id));
    let detail = json!({ "recovery_codes": recovery::COUNT, "replaced": row.as_ref().is_some_and(|r| r.secret.is_some()) });
    changes::record(&txn, viewer, Event::new(change).with(detail)).await?;
    txn.commit().await?;
    let user = find_user(db, user.id).await?;
    Ok((user, codes))
}

/// Ends every session of the user: each session keeps the generation it
/// began in, and stops working once the user's has moved on.
pub(crate) async fn end_sessions(
    conn: &impl sea_orm::ConnectionTrait,
    user_id: i32,
    at: DateTime<Utc>,
) -> AppResult<()> {
    use sea_orm::sea_query::ExprTrait;
    user::Entity::update_many()
        .col_expr(
            user::Column::SessionGeneration,
            Expr::col(user::Column::SessionGeneration).add(1),
        )
        .col_expr(user::Column::UpdatedAt, Expr::value(at))
        .filter(user::Column::Id.eq(user_id))
        .exec(conn)
        .await?;
    Ok(())
}

/// The second half of signing in: the code from the app, or an unused
/// recovery code, for the user whose password this session accepted.
/// Throttled with the password attempts (per account and per address); a
/// wrong code is recorded like a wrong password. A code is used once: one
/// from the app for a time step no later than the last one accepted is
/// refused, and a recovery code is marked used.
pub async fn sign_in_with_code(
    db: &Db,
    user_id: i32,
    raw_code: &str,
    client_addr: Option<&str>,
) -> AppResult<user::Model> {
    let code = SecondFactorCode::parse("code", raw_code).map_err(|e| AppError::fields(vec![e]))?;
    let user = find_user(db, user_id).await?;
    let keys = users::sign_in_keys(&user.email, client_addr);
    let at = now();
    throttle::admit(db, &keys, at).await?;
    let used = match &code {
        SecondFactorCode::Totp(code) => use_app_code(db, user.id, code, at).await?,
        SecondFactorCode::Recovery(code) => use_recovery_code(db, user.id, code, at).await?,
    };
    let Some(how) = used else {
        let change = Change::Account(AccountChange::SignInFailed, Some(user.id));
        let detail = json!({ "email": user.email, "reason": "wrong code" });
        let event = Event::new(change).with(detail).from_addr(client_addr);
        changes::record(db, &Viewer::Anonymous, event).await?;
        return Err(wrong_code());
    };
    let mut detail = json!({ "email": user.email, "second_factor": how });
    if matches!(code, SecondFactorCode::Recovery(_)) {
        detail["recovery_codes_left"] = recovery_codes_left(db, user.id).await?.into();
    }
    users::finish_sign_in(db, user, client_addr, detail).await
}

/// Accepts an app code for a step later than any accepted before, and
/// records that step in the same statement, so that two requests with one
/// code cannot both pass (on any replica).
async fn use_app_code(
    db: &Db,
    user_id: i32,
    code: &str,
    at: DateTime<Utc>,
) -> AppResult<Option<&'static str>> {
    let Some(secret) = second_factor::Entity::find_by_id(user_id)
        .one(db)
        .await?
        .and_then(|row| row.secret)
    else {
        return Ok(None);
    };
    let Some(step) = totp::matching_step(&secret, code, at).map_err(AppError::internal)? else {
        return Ok(None);
    };
    let claimed = second_factor::Entity::update_many()
        .col_expr(second_factor::Column::LastUsedStep, Expr::value(Some(step)))
        .filter(second_factor::Column::UserId.eq(user_id))
        .filter(second_factor::Column::Secret.eq(secret))
        .filter(
            Condition::any()
                .add(second_factor::Column::LastUsedStep.is_null())
                .add(second_factor::Column::LastUsedStep.lt(step)),
        )
        .exec(db)
        .await?;
    Ok((claimed.rows_affected == 1).then_some("authenticator app"))
}

async fn use_recovery_code(
    db: &Db,
    user_id: i32,
    code: &str,
    at: DateTime<Utc>,
) -> AppResult<Option<&'static str>> {
    let claimed = recovery_code::Entity::update_many()
        .col_expr(recovery_code::Column::UsedAt, Expr::value(Some(at)))
        .filter(recovery_code::Column::UserId.eq(user_id))
        .filter(recovery_code::Column::CodeHash.eq(recovery::digest(code)))
        .filter(recovery_code::Column::UsedAt.is_null())
        .exec(db)
        .await?;
    Ok((claimed.rows_affected == 1).then_some("recovery code"))
}

/// Removes the user's second factor and recovery codes (inside the admin's
/// change of the user): they sign in with their password alone, or set up
/// an app again where `QANDA_REQUIRE_2FA` asks them to. Refused when there
/// is nothing to remove.
pub(crate) async fn remove(conn: &impl sea_orm::ConnectionTrait, user_id: i32) -> AppResult<()> {
    let removed = second_factor::Entity::delete_by_id(user_id)
        .exec(conn)
        .await?
        .rows_affected;
    let codes = recovery_code::Entity::delete_many()
        .filter(recovery_code::Column::UserId.eq(user_id))
        .exec(conn)
        .await?
        .rows_affected;
    if removed == 0 && codes == 0 {
        return Err(AppError::field(
            "id",
            "This user has not set up two-factor sign-in, so there is nothing to reset",
        ));
    }
    Ok(())
}
