//! Who is asking: the viewer a session cookie stands for.

use tower_sessions::Session;

use super::conditional::Audience;
use super::AppState;
use crate::domain::Viewer;
use crate::graphql::mutation::{
    SESSION_FINGERPRINT, SESSION_SIGNED_IN_AT, SESSION_TOUCHED_AT, SESSION_USER,
};
use crate::service::users::{self, SessionClaims};

/// The viewer a session stands for. A session that no longer holds (user
/// disabled, password changed, too old) is deleted on the spot.
pub async fn from_session(state: &AppState, session: &Session) -> Viewer {
    let user_id = match session.get::<i32>(SESSION_USER).await {
        Ok(Some(id)) => id,
        Ok(None) => return Viewer::Anonymous,
        Err(error) => {
            tracing::warn!(%error, "could not read the session");
            return Viewer::Anonymous;
        }
    };
    let fingerprint = session
        .get::<String>(SESSION_FINGERPRINT)
        .await
        .ok()
        .flatten();
    let signed_in_at = session
        .get::<i64>(SESSION_SIGNED_IN_AT)
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
    match users::viewer_for_session(&state.db, &claims, state.session_max_age).await {
        Ok(Some((viewer, _))) => {
            touch(state, session).await;
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

/// Sessions end after `session_idle` without a request. Saving the session
/// on every request would write a row per request (doubling the writes of
/// an editor's save); instead an active session is saved, which pushes its
/// expiry on, once a sixteenth of the idle time has passed since the last
/// save. So a session ends between 15/16 of the idle time and the whole of
/// it after its last request.
async fn touch(state: &AppState, session: &Session) {
    let now = crate::service::now().timestamp();
    let every = (state.session_idle.as_secs() / 16).max(1) as i64;
    let touched = session
        .get::<i64>(SESSION_TOUCHED_AT)
        .await
        .ok()
        .flatten()
        .unwrap_or(0);
    if now - touched >= every {
        // Marks the session changed: the session layer saves it, with a
        // fresh expiry, when the response goes out.
        if let Err(error) = session.insert(SESSION_TOUCHED_AT, now).await {
            tracing::warn!(%error, "could not touch the session");
        }
    }
}

/// Who may keep an answer: anything sent to a signed-in person is private
/// to their browser, even where it equals what the public gets.
pub fn audience(viewer: &Viewer) -> Audience {
    match viewer {
        Viewer::Anonymous => Audience::Public,
        _ => Audience::Private,
    }
}
