//! A staff member's session: what it holds, starting it at sign-in,
//! reading the viewer it stands for, keeping it alive and ending it. The
//! transports (GraphQL mutations, HTTP handlers) call these; none of them
//! knows the keys.

use chrono::Duration;
use sea_orm::{ActiveModelTrait, DatabaseConnection, Set};
use tower_sessions::Session;

use crate::domain::Viewer;
use crate::error::{AppError, AppResult};
use crate::service::users::{self, SessionClaims};

const USER: &str = "uid";
/// A digest of the password hash: a password change ends other sessions.
const FINGERPRINT: &str = "fp";
const SIGNED_IN_AT: &str = "at";
/// When the session was last saved for being in use (seconds since 1970).
const TOUCHED_AT: &str = "touched";

/// How long sessions last, from the server's settings.
#[derive(Debug, Clone, Copy)]
pub struct SessionLimits {
    /// Longest time from sign-in.
    pub max_age: Duration,
    /// Longest time without a request.
    pub idle: std::time::Duration,
}

fn store_error(error: tower_sessions::session::Error) -> AppError {
    AppError::internal(anyhow::anyhow!("session store: {error}"))
}

/// Signs `user` in on this session, under a new id, so that a session id
/// planted before sign-in is useless.
pub async fn start(session: &Session, user: &entity::user::Model) -> AppResult<()> {
    session.cycle_id().await.map_err(store_error)?;
    let now = crate::service::now().timestamp();
    session.insert(USER, user.id).await.map_err(store_error)?;
    session
        .insert(FINGERPRINT, users::password_fingerprint(user))
        .await
        .map_err(store_error)?;
    session
        .insert(SIGNED_IN_AT, now)
        .await
        .map_err(store_error)?;
    session.insert(TOUCHED_AT, now).await.map_err(store_error)?;
    Ok(())
}

/// Signs in the first admin, whom the setup link has just created. No
/// password sign-in came first to record the time (`users::sign_in` does
/// that), so it is recorded here; else their account would say they had
/// never signed in while they are.
pub async fn start_after_setup(
    db: &DatabaseConnection,
    session: &Session,
    user: entity::user::Model,
) -> AppResult<entity::user::Model> {
    let mut signed_in: entity::user::ActiveModel = user.into();
    signed_in.last_sign_in_at = Set(Some(crate::service::now()));
    let user = signed_in.update(db).await?;
    start(session, &user).await?;
    Ok(user)
}

/// Ends the session: it is deleted on the server, so its cookie stops working.
pub async fn end(session: &Session) -> AppResult<()> {
    session.flush().await.map_err(store_error)
}

/// The viewer a session stands for. A session that no longer holds (user
/// disabled, password changed, too old) is deleted on the spot.
pub async fn viewer(db: &DatabaseConnection, session: &Session, limits: SessionLimits) -> Viewer {
    let user_id = match session.get::<i32>(USER).await {
        Ok(Some(id)) => id,
        Ok(None) => return Viewer::Anonymous,
        Err(error) => {
            tracing::warn!(%error, "could not read the session");
            return Viewer::Anonymous;
        }
    };
    let fingerprint = session.get::<String>(FINGERPRINT).await.ok().flatten();
    let signed_in_at = session
        .get::<i64>(SIGNED_IN_AT)
        .await
        .ok()
        .flatten()
        .and_then(|ts| chrono::DateTime::from_timestamp(ts, 0));
    let (Some(fingerprint), Some(signed_in_at)) = (fingerprint, signed_in_at) else {
        let _ = session.flush().await;
        return Viewer::Anonymous;
    };
    let claims = SessionClaims {
        user_id,
        fingerprint,
        signed_in_at,
    };
    match users::viewer_for_session(db, &claims, limits.max_age).await {
        Ok(Some((viewer, _))) => {
            touch(session, limits.idle).await;
            viewer
        }
        Ok(None) => {
            let _ = session.flush().await;
            Viewer::Anonymous
        }
        Err(error) => {
            tracing::warn!(?error, "could not check the session's user");
            Viewer::Anonymous
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
