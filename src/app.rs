//! Building the application: database, migrations, sample content, router.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use axum::Router;
use sea_orm::DatabaseConnection;

use crate::auth::session_store::DbSessionStore;
use crate::cli::{DbArgs, ServeArgs};
use crate::db::{self, DbSettings, StatementCounter};
use crate::domain::{Viewer, WebhookTargets};
use crate::graphql::limits::QueryLimits;
use crate::http::conditional::CachePolicy;
use crate::http::response_cache::ResponseCache;
use crate::http::{self, AppState, HttpSettings};
use crate::{graphql, interchange, service};

/// The Local Digital Q&A page (Open Government Licence v3.0), loaded into an
/// empty database on first start.
pub const SAMPLE_PAGE: &str = include_str!("sample/local-digital-qa.txt");

pub struct App {
    pub router: Router,
    pub db: DatabaseConnection,
    /// Counts SQL statements sent, for tests that prove reads do not grow with data.
    pub statements: StatementCounter,
    /// One-time token for creating the first admin, when there is no admin yet.
    pub setup_token: Option<String>,
    /// How long shutdown waits for in-flight requests.
    pub shutdown_grace: Duration,
}

pub async fn connect(args: &DbArgs) -> anyhow::Result<(DatabaseConnection, StatementCounter)> {
    db::connect(DbSettings {
        url: &args.database_url,
        schema: args.database_schema.as_deref(),
        max_connections: args.database_max_connections,
    })
    .await
}

/// Connects, migrates, loads the sample page into an empty database, and
/// builds the router. Used by `qanda serve` and by the tests.
pub async fn build(args: &ServeArgs) -> anyhow::Result<App> {
    let (db, statements) = connect(&args.db).await?;
    let applied = db::migrate(&db).await?;
    if applied > 0 {
        tracing::info!(applied, "database migrations applied");
    }
    if !args.no_sample && service::pages::count(&db).await? == 0 {
        let pages = interchange::parse_any(SAMPLE_PAGE)
            .map_err(|e| anyhow::anyhow!("the bundled sample page does not parse: {e}"))?;
        let report = service::import_export::import(&db, &Viewer::System, pages, "Sample content")
            .await
            .context("could not load the sample page")?;
        tracing::info!(%report, "loaded the Local Digital Q&A sample page");
    }

    let setup_token = service::users::setup_token_if_needed(&db)
        .await
        .context("could not check for an admin account")?;
    DbSessionStore::new(db.clone()).spawn_cleanup(Duration::from_secs(600));
    let webhooks = service::webhook_worker::Waker::default();
    let webhook_targets = WebhookTargets {
        allow_private: args.webhooks.webhook_allow_private,
    };
    if webhook_targets.allow_private {
        tracing::info!("webhooks may point at internal addresses (QANDA_WEBHOOK_ALLOW_PRIVATE)");
    }
    service::schedule::spawn(
        db.clone(),
        Duration::from_secs(args.scheduler_interval_secs.max(1)),
        webhooks.clone(),
    );
    service::webhook_worker::spawn(
        db.clone(),
        service::webhook_worker::DeliverySettings {
            poll_interval: Duration::from_millis(args.webhooks.webhook_poll_ms.max(10)),
            retry_base: Duration::from_millis(args.webhooks.webhook_retry_base_ms),
            max_attempts: args.webhooks.webhook_max_attempts.max(1),
            timeout: Duration::from_secs(args.webhooks.webhook_timeout_secs.max(1)),
            keep_finished: (args.webhooks.webhook_keep_days > 0).then(|| {
                Duration::from_secs(args.webhooks.webhook_keep_days.saturating_mul(86_400))
            }),
            targets: webhook_targets,
        },
        webhooks.clone(),
    );

    let mail = match &args.mail.smtp_url {
        Some(url) => Some(
            crate::mail::MailSettings::new(
                url.clone(),
                &args.mail.mail_from,
                Duration::from_secs(args.mail.mail_timeout_secs.max(1)),
            )
            .context("the mail settings are not right")?,
        ),
        None => None,
    };
    // Emailed links must be whole URLs: a path means nothing in a mail client.
    if mail.is_some() && args.base_url.is_none() {
        anyhow::bail!(
            "QANDA_SMTP_URL needs QANDA_BASE_URL, the public URL that links in emails point at"
        );
    }
    if mail.is_none() {
        tracing::info!(
            "no QANDA_SMTP_URL: nothing is emailed; admins pass on invitation and reset links"
        );
    }
    let mail_waker = service::webhook_worker::Waker::default();
    let link_settings = service::account_links::LinkSettings {
        base_url: args.base_url.clone(),
        mail_configured: mail.is_some(),
        mail_waker: mail_waker.clone(),
    };
    service::outbox::spawn(
        db.clone(),
        service::outbox::OutboxSettings {
            poll_interval: Duration::from_millis(args.mail.mail_poll_ms.max(10)),
            retry_base: Duration::from_millis(args.mail.mail_retry_base_ms),
            max_attempts: args.mail.mail_max_attempts.max(1),
            mail,
        },
        mail_waker,
    );

    let limits = QueryLimits {
        depth: args.max_query_depth,
        complexity: args.max_query_complexity,
        aliases: args.max_query_aliases,
        batch: args.max_batch.max(1),
        timeout: Duration::from_millis(args.query_timeout_ms.max(1)),
    };
    if args.require_2fa != crate::domain::TwoFactorRequirement::NONE {
        tracing::info!(lowest_role = %args.require_2fa, "two-factor sign-in is required (QANDA_REQUIRE_2FA)");
    }
    if args.two_person_rule {
        tracing::info!("a second person publishes every change (QANDA_TWO_PERSON_RULE)");
    }
    let schema = graphql::builder_with(&limits)
        .data(webhook_targets)
        .data(args.require_2fa)
        .data(crate::domain::TwoPersonRule(args.two_person_rule))
        .data(link_settings)
        .finish();
    let sdl: Arc<str> = schema.sdl().into();
    let state = AppState::new(http::Dependencies {
        db: db.clone(),
        schema,
        sdl,
        graphiql: !args.no_graphiql,
        limits,
        max_body_bytes: args.max_body_bytes,
        allowed_origin: args
            .base_url
            .as_ref()
            .map(|u| u.origin().ascii_serialization()),
        sessions: crate::auth::session::SessionLimits {
            max_age: chrono::Duration::hours(args.session_max_hours as i64),
            idle: Duration::from_secs(args.session_idle_minutes * 60),
        },
        webhooks,
        cache: Arc::new(ResponseCache::new(db.clone(), !args.no_response_cache)),
        cache_policy: CachePolicy::new(args.cache_max_age),
        public_builds: Arc::new(tokio::sync::Semaphore::new(http::public_build_slots())),
        metrics_token_hash: args
            .metrics_token
            .as_deref()
            .filter(|token| !token.is_empty())
            .map(http::metrics::hash_token),
    });
    let router = http::router(
        state,
        HttpSettings {
            max_body_bytes: args.max_body_bytes,
            request_timeout: Duration::from_secs(args.request_timeout_secs),
            secure_cookies: args
                .base_url
                .as_ref()
                .is_some_and(|u| u.scheme() == "https"),
        },
    );
    Ok(App {
        router,
        db,
        statements,
        setup_token,
        shutdown_grace: Duration::from_secs(args.shutdown_grace_secs),
    })
}

impl App {
    /// Serves until Ctrl-C or SIGTERM; then stops accepting, lets in-flight
    /// requests finish for up to the grace period, and closes the database.
    pub async fn serve(self, listener: tokio::net::TcpListener) -> anyhow::Result<()> {
        let stopping = Arc::new(tokio::sync::Notify::new());
        let signalled = stopping.clone();
        let server = axum::serve(
            listener,
            self.router
                .into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(async move {
            shutdown_signal().await;
            signalled.notify_one();
        });
        let grace = self.shutdown_grace;
        let deadline = async move {
            stopping.notified().await;
            tokio::time::sleep(grace).await;
        };
        tokio::select! {
            result = server => result.context("the server stopped with an error")?,
            () = deadline => tracing::warn!(
                grace_secs = grace.as_secs(),
                "requests still running after the grace period were abandoned"
            ),
        }
        // Closing the pool closes each SQLite connection; the last one to
        // close checkpoints the WAL into the database file.
        // An abandoned request may still hold a connection: don't wait for it.
        if tokio::time::timeout(Duration::from_secs(5), self.db.close())
            .await
            .is_err()
        {
            tracing::warn!("the database did not close within 5 s");
        }
        tracing::info!("stopped");
        Ok(())
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
    tracing::info!("shutting down: finishing in-flight requests");
}
