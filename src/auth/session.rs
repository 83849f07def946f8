//! A staff member's session: what it holds, starting it at sign-in,
//! reading the viewer it stands for, keeping it alive and ending it. The
//! transports (GraphQL mutations, HTTP handlers) call these; none of them
//! knows the keys.
//!
//! A sign-in can be half done (the password was right; a code, or setting
//! up an app, comes next). Such a session names its user and the step, and
//! stands for nobody: its viewer is anonymous.

use chrono::Duration;
use sea_orm::DatabaseConnection;
use tower_sessions::Session;

use crate::domain::{Role, Viewer};
use crate::error::{AppError, AppResult};
use crate::service::two_factor::PendingStep;
use crate::service::users::{self, SessionClaims};

const USER: &str = "uid";
/// A digest of the password hash: a password change ends other sessions.
const FINGERPRINT: &str = "fp";
/// The user's session generation at sign-in: raising it ends every session.
const GENERATION: &str = "gen";
/// When the password was accepted, or, once the sign-in is whole, when it was.
const SIGNED_IN_AT: &str = "at";
/// When the session was last saved for being in use (seconds since 1970).
const TOUCHED_AT: &str = "touched";
/// What a half-done sign-in waits for (`PendingStep`); absent once signed in.
const STEP: &str = "step";

/// How long sessions last, from the server's settings.
#[derive(Debug, Clone, Copy)]
pub struct SessionLimits {
    /// Longest time from sign-in.
    pub max_age: Duration,
    /// Longest time without a request.
    pub idle: std::time::Duration,
}

/// Where a session stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignInState {
    SignedOut,
    /// Signed in: the viewer is staff.
    SignedIn(Viewer),
    /// The password was right; the code from the app (or a recovery code)
    /// is next. Grants nothing.
    AwaitingCode {
        user_id: i32,
    },
    /// The password was right; this person must set up an authenticator
    /// app before anything else. Grants nothing but that and signing out.
    MustEnrol {
        user_id: i32,
        role: Role,
    },
}

impl SignInState {
    /// Who the session acts as: nobody until the sign-in is whole.
    pub fn viewer(&self) -> Viewer {
        match self {
            SignInState::SignedIn(viewer) => viewer.clone(),
            _ => Viewer::Anonymous,
        }
    }

    /// Who may set up an authenticator app in this session: a signed-in
    /// person, or one whose sign-in waits for them to set one up. Nobody
    /// who has typed only their password for an account that has a second
    /// factor: they could otherwise replace it.
    pub fn enroller(&self) -> Viewer {
        match self {
            SignInState::SignedIn(viewer) => viewer.clone(),
            SignInState::MustEnrol { user_id, role } => Viewer::Staff {
                user_id: *user_id,
                role: *role,
            },
            _ => Viewer::Anonymous,
        }
    }
}

fn store_error(error: tower_sessions::session::Error) -> AppError {
    AppError::internal(anyhow::anyhow!("session store: {error}"))
}

/// Signs `user` in on this session, under a new id, so that a session id
/// planted before sign-in is useless.
pub async fn start(session: &Session, user: &entity::user::Model) -> AppResult<()> {
    begin(session, user, None).await
}

/// Records a right password for `user` on this session, under a new id;
/// `step` comes next, and until then the session stands for nobody.
pub async fn start_pending(
    session: &Session,
    user: &entity::user::Model,
    step: PendingStep,
) -> AppResult<()> {
    begin(session, user, Some(step)).await
}

async fn begin(
    session: &Session,
    user: &entity::user::Model,
    step: Option<PendingStep>,
) -> AppResult<()> {
    session.cycle_id().await.map_err(store_error)?;
    let now = crate::service::now().timestamp();
    session.insert(USER, user.id).await.map_err(store_error)?;
    session
        .insert(FINGERPRINT, users::password_fingerprint(user))
        .await
        .map_err(store_error)?;
    session
        .insert(GENERATION, user.session_generation)
        .await
        .map_err(store_error)?;
    session
        .insert(SIGNED_IN_AT, now)
        .await
        .map_err(store_error)?;
    session.insert(TOUCHED_AT, now).await.map_err(store_error)?;
    match step {
        Some(step) => session.insert(STEP, step.as_str()).await.map(|_| ()),
        None => session.remove_value(STEP).await.map(|_| ()),
    }
    .map_err(store_error)
}

/// Ends the session: it is deleted on the server, so its cookie stops working.
pub async fn end(session: &Session) -> AppResult<()> {
    session.flush().await.map_err(store_error)
}

/// The viewer a session stands for (nobody while a sign-in is half done).
pub async fn viewer(db: &DatabaseConnection, session: &Session, limits: SessionLimits) -> Viewer {
    state(db, session, limits).await.viewer()
}

/// Where the session stands. A session that no longer holds (user
/// disabled, password changed, sessions ended, too old, or a half-done
/// sign-in past its time) is deleted on the spot.
pub async fn state(
    db: &DatabaseConnection,
    session: &Session,
    limits: SessionLimits,
) -> SignInState {
    let user_id = match session.get::<i32>(USER).await {
        Ok(Some(id)) => id,
        Ok(None) => return SignInState::SignedOut,
        Err(error) => {
            tracing::warn!(%error, "could not read the session");
            return SignInState::SignedOut;
        }
    };
    let fingerprint = session.get::<String>(FINGERPRINT).await.ok().flatten();
    let signed_in_at = session
        .get::<i64>(SIGNED_IN_AT)
        .await
        .ok()
        .flatten()
        .and_then(|ts| chrono::DateTime::from_timestamp(ts, 0));
    // Sessions from before generations were kept began in generation 0.
    let generation = session.get::<i32>(GENERATION).await.ok().flatten();
    let step = match session.get::<String>(STEP).await.ok().flatten() {
        None => Ok(None),
        Some(text) => PendingStep::from_stored(&text).map(Some).ok_or(()),
    };
    let (Some(fingerprint), Some(signed_in_at), Ok(step)) = (fingerprint, signed_in_at, step)
    else {
        let _ = session.flush().await;
        return SignInState::SignedOut;
    };
    let claims = SessionClaims {
        user_id,
        fingerprint,
        generation: generation.unwrap_or(0),
        signed_in_at,
    };
    let max_age = step.map_or(limits.max_age, PendingStep::lifetime);
    match users::viewer_for_session(db, &claims, max_age).await {
        Ok(Some((viewer, user))) => {
            touch(session, limits.idle).await;
            match step {
                None => SignInState::SignedIn(viewer),
                Some(PendingStep::Code) => SignInState::AwaitingCode { user_id },
                Some(PendingStep::Enrol) => SignInState::MustEnrol {
                    user_id,
                    role: user.role,
                },
            }
        }
        Ok(None) => {
            let _ = session.flush().await;
            SignInState::SignedOut
        }
        Err(error) => {
            tracing::warn!(?error, "could not check the session's user");
            SignInState::SignedOut
        }
    }
}

/// Sessions end after `idle` without a request. Saving the session on every
/// request would write a row per request (doubling the writes of an
/// editor's save); instead an active session is saved, which pushes its
/// expiry on, once a sixteenth of the idle time has passed since the last
/// save. So a session ends between 15/16 of the idle time and the whole of
/// it after its last request.
async fn touch(session: &Session, idle: std::time::Duration) {
    let now = crate::service::now().timestamp();
    let every = (idle.as_secs() / 16).max(1) as i64;
    let touched = session
        .get::<i64>(TOUCHED_AT)
        .await
        .ok()
        .flatten()
        .unwrap_or(0);
    if now - touched >= every {
        // Marks the session changed: the session layer saves it, with a
        // fresh expiry, when the response goes out.
        if let Err(error) = session.insert(TOUCHED_AT, now).await {
            tracing::warn!(%error, "could not touch the session");
        }
    }
}
