//! Two-factor sign-in over GraphQL: the second half of signing in, setting
//! up an authenticator app, an admin's reset, and the gate that keeps a
//! session which must set up an app from doing anything else.

use std::sync::Arc;

use async_graphql::extensions::{
    Extension, ExtensionContext, ExtensionFactory, NextResolve, ResolveInfo,
};
use async_graphql::{
    Context, Enum, ErrorExtensions, Object, PathSegment, Pos, Result, ServerResult, SimpleObject,
    Value, ID,
};
use tower_sessions::Session;

use super::admin::User;
use super::mutation::ClientAddr;
use super::query::{db, viewer};
use super::{parse_id, Gql};
use crate::auth::session::{self, SignInState};
use crate::domain::TwoFactorRequirement;
use crate::error::AppError;
use crate::service::two_factor::{self, AfterPassword};
use crate::service::users::{self, UserChange};

/// Where this session stands in signing in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
pub enum SignInStep {
    /// Nobody is signed in.
    SignedOut,
    /// The password was right; the code from the authenticator app, or a
    /// recovery code, comes next (`signInSecondFactor`), within 5 minutes.
    /// Until then the session can do nothing a signed-out one cannot.
    SecondFactor,
    /// The password was right, and this account must set up an
    /// authenticator app before anything else (`beginTwoFactorEnrolment`,
    /// then `confirmTwoFactorEnrolment`), within 30 minutes. Until then
    /// every other operation but signing out is refused with `FORBIDDEN`.
    EnrolSecondFactor,
    /// Signed in.
    SignedIn,
}

impl From<&SignInState> for SignInStep {
    fn from(state: &SignInState) -> Self {
        match state {
            SignInState::SignedOut => SignInStep::SignedOut,
            SignInState::AwaitingCode { .. } => SignInStep::SecondFactor,
            SignInState::MustEnrol { .. } => SignInStep::EnrolSecondFactor,
            SignInState::SignedIn(_) => SignInStep::SignedIn,
        }
    }
}

/// An authenticator app being set up. Shown only to the person setting it
/// up, only while they do.
#[derive(SimpleObject)]
pub struct TwoFactorEnrolment {
    /// The secret as text (base32), for typing into the app instead of scanning.
    pub secret: String,
    /// The `otpauth://` address the QR code carries.
    pub setup_uri: String,
    /// The QR code as an inline SVG image, drawn by this server.
    pub qr_code_svg: String,
}

/// An authenticator app set up and confirmed.
#[derive(SimpleObject)]
pub struct TwoFactorConfirmation {
    pub user: User,
    /// Ten one-time codes for signing in without the app. Shown this once:
    /// only a hash of each is kept.
    pub recovery_codes: Vec<String>,
}

pub(crate) fn sign_in_state<'a>(ctx: &Context<'a>) -> &'a SignInState {
    ctx.data_opt::<SignInState>()
        .unwrap_or(&SignInState::SignedOut)
}

pub(crate) fn requirement(ctx: &Context<'_>) -> TwoFactorRequirement {
    ctx.data_opt::<TwoFactorRequirement>()
        .copied()
        .unwrap_or_default()
}

/// Starts the session a right password (or a setup link) leads to: signed
/// in, with the user returned, or waiting for its next step, with null.
pub(crate) async fn begin_session(
    ctx: &Context<'_>,
    user: entity::user::Model,
    next: AfterPassword,
) -> Result<Option<User>> {
    let session = ctx.data::<Session>()?;
    match next {
        AfterPassword::SignedIn => {
            session::start(session, &user).await.gql()?;
            Ok(Some(User(user)))
        }
        AfterPassword::Pending(step) => {
            session::start_pending(session, &user, step).await.gql()?;
            Ok(None)
        }
    }
}

#[derive(Default)]
pub struct TwoFactorQuery;

#[Object]
impl TwoFactorQuery {
    /// Where this session stands in signing in: after `signIn` returns
    /// null, this says what comes next.
    async fn sign_in_step(&self, ctx: &Context<'_>) -> SignInStep {
        sign_in_state(ctx).into()
    }
}

#[derive(Default)]
pub struct TwoFactorMutation;

#[Object]
impl TwoFactorMutation {
    /// The second half of signing in: the 6-digit code from the
    /// authenticator app, or one of the recovery codes (each works once).
    /// Throttled with password attempts. Signs the session in under a new id.
    async fn sign_in_second_factor(&self, ctx: &Context<'_>, code: String) -> Result<User> {
        let SignInState::AwaitingCode { user_id } = sign_in_state(ctx) else {
            return Err(AppError::SignInTimedOut.extend());
        };
        let addr = ctx.data_opt::<ClientAddr>().map(|a| a.0.as_str());
        let user = two_factor::sign_in_with_code(db(ctx), *user_id, &code, addr)
            .await
            .gql()?;
        session::start(ctx.data::<Session>()?, &user).await.gql()?;
        Ok(User(user))
    }

    /// Starts setting up an authenticator app (signed-in staff, or a
    /// sign-in waiting for one): the secret to scan or type in. Asked
    /// again within the hour, it shows the same secret. A second factor you
    /// already have keeps working until the new one is confirmed.
    async fn begin_two_factor_enrolment(&self, ctx: &Context<'_>) -> Result<TwoFactorEnrolment> {
        let enroller = sign_in_state(ctx).enroller();
        let enrolment = two_factor::begin_enrolment(db(ctx), &enroller)
            .await
            .gql()?;
        Ok(TwoFactorEnrolment {
            secret: enrolment.secret,
            setup_uri: enrolment.setup_uri,
            qr_code_svg: enrolment.qr_svg,
        })
    }

    /// Confirms the app being set up with a code from it. From then on
    /// signing in asks for a code; your other sessions end, and this one
    /// (signed in now, if it was waiting for this) goes on under a new id.
    async fn confirm_two_factor_enrolment(
        &self,
        ctx: &Context<'_>,
        code: String,
    ) -> Result<TwoFactorConfirmation> {
        let state = sign_in_state(ctx);
        let enroller = state.enroller();
        let (mut user, recovery_codes) = two_factor::confirm_enrolment(db(ctx), &enroller, &code)
            .await
            .gql()?;
        if matches!(state, SignInState::MustEnrol { .. }) {
            let addr = ctx.data_opt::<ClientAddr>().map(|a| a.0.as_str());
            let detail = serde_json::json!({ "email": user.email, "second_factor": "set up" });
            user = users::finish_sign_in(db(ctx), user, addr, detail)
                .await
                .gql()?;
        }
        session::start(ctx.data::<Session>()?, &user).await.gql()?;
        Ok(TwoFactorConfirmation {
            user: User(user),
            recovery_codes,
        })
    }

    /// Removes a user's second factor and recovery codes, for someone who
    /// has lost both; their sessions end, and they sign in with their
    /// password alone (or set up an app again, where that is required).
    /// Admins only; recorded in the audit log.
    async fn reset_user_two_factor(&self, ctx: &Context<'_>, id: ID, version: i32) -> Result<User> {
        let id = parse_id("id", &id)?;
        let row = users::change(
            db(ctx),
            viewer(ctx),
            id,
            version,
            UserChange::ResetTwoFactor,
        )
        .await
        .gql()?;
        Ok(User(row))
    }
}

/// What a session that must set up an authenticator app may still ask.
const ALLOWED_WHILE_ENROLLING: &[&str] = &[
    "signInStep",
    "beginTwoFactorEnrolment",
    "confirmTwoFactorEnrolment",
    "signOut",
    "signIn",
    "me",
];

/// Refuses every top-level field but setting up an app and signing out to
/// a session that `QANDA_REQUIRE_2FA` sends to set one up. The services
/// already see such a session as anonymous; this makes the answer say why
/// (`FORBIDDEN`, naming the set-up) rather than "sign in", and it covers
/// fields added later without each having to remember.
pub struct EnrolmentGate;

impl ExtensionFactory for EnrolmentGate {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(EnrolmentGate)
    }
}

#[async_trait::async_trait]
impl Extension for EnrolmentGate {
    async fn resolve(
        &self,
        ctx: &ExtensionContext<'_>,
        info: ResolveInfo<'_>,
        next: NextResolve<'_>,
    ) -> ServerResult<Option<Value>> {
        let top_level = info.path_node.parent.is_none();
        let enrolling = matches!(
            ctx.data_opt::<SignInState>(),
            Some(SignInState::MustEnrol { .. })
        );
        if top_level
            && enrolling
            && !info.is_for_introspection
            && !info.name.starts_with("__")
            && !ALLOWED_WHILE_ENROLLING.contains(&info.name)
        {
            let mut error = AppError::Forbidden(
                "Set up two-factor sign-in first. Your account must use an authenticator app \
                 before you can do anything else: set one up, or sign out."
                    .into(),
            )
            .extend()
            .into_server_error(Pos::default());
            error.path = vec![PathSegment::Field(
                info.alias.unwrap_or(info.name).to_owned(),
            )];
            return Err(error);
        }
        next.run(ctx, info).await
    }
}
