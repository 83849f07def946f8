//! Who is asking: the viewer a session cookie stands for.

use tower_sessions::Session;

use super::conditional::Audience;
use super::AppState;
use crate::auth::session::SignInState;
use crate::domain::Viewer;

/// The viewer the request's session stands for.
pub async fn from_session(state: &AppState, session: &Session) -> Viewer {
    crate::auth::session::viewer(&state.db, session, state.sessions).await
}

/// Where the request's session stands, a half-done sign-in included.
pub async fn sign_in_state(state: &AppState, session: &Session) -> SignInState {
    crate::auth::session::state(&state.db, session, state.sessions).await
}

/// Who may keep an answer: anything sent to a signed-in person is private
/// to their browser, even where it equals what the public gets.
pub fn audience(viewer: &Viewer) -> Audience {
    match viewer {
        Viewer::Anonymous => Audience::Public,
        _ => Audience::Private,
    }
}
