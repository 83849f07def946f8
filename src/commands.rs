//! What each CLI command does.

use std::io::Write;

use anyhow::Context;

use crate::app::{self, App};
use crate::cli::{DbArgs, ExportArgs, ImportArgs, ServeArgs, UserArgs, UserCommand};
use crate::domain::Role;
use crate::domain::Viewer;
use crate::error::AppError;
use crate::service::users::{NewUser, UserChange};
use crate::{db, graphql, interchange, service};

pub async fn serve(args: ServeArgs) -> anyhow::Result<()> {
    let mut app: App = app::build(&args).await?;
    let listener = tokio::net::TcpListener::bind(args.bind)
        .await
        .with_context(|| {
            format!(
                "could not listen on {} (is another server using it?)",
                args.bind
            )
        })?;
    let addr = listener.local_addr()?;
    let base = args
        .base_url
        .as_ref()
        .map(|u| u.as_str().trim_end_matches('/').to_owned())
        .unwrap_or_else(|| format!("http://{addr}"));
    tracing::info!(%addr, "listening");
    if let Some(token) = app.setup_token.take() {
        eprintln!(
            "\nNo admin account exists yet. Create the first admin within {} minutes at:\n\n    {base}/admin/setup?token={token}\n\n(or with the GraphQL mutation completeSetup, or `qanda user add --role ADMIN`). The link works once.\n",
            service::users::SETUP_LINK_LIFETIME_MINUTES
        );
    }
    eprintln!(
        "qanda is serving {base}/graphql (database: {})",
        db::redact(&args.db.database_url)
    );
    app.serve(listener).await
}

pub async fn migrate(args: DbArgs) -> anyhow::Result<()> {
    let (db, _) = app::connect(&args).await?;
    let applied = db::migrate(&db).await?;
    println!("{applied} migration(s) applied; the database is up to date.");
    Ok(())
}

pub async fn import(args: ImportArgs) -> anyhow::Result<()> {
    let text = std::fs::read_to_string(&args.file)
        .with_context(|| format!("could not read {}", args.file.display()))?;
    let pages = interchange::parse_any(&text)
        .map_err(|e| anyhow::anyhow!("{}: {e}; nothing was imported", args.file.display()))?;
    let (db, _) = app::connect(&args.db).await?;
    db::migrate(&db).await?;
    let note = format!("Imported from {}", args.file.display());
    match service::import_export::import(&db, &Viewer::System, pages, &note).await {
        Ok(report) => {
            println!("{}: {report}", args.file.display());
            Ok(())
        }
        Err(crate::error::AppError::BadUserInput { fields, .. }) => {
            let lines: Vec<String> = fields
                .iter()
                .map(|f| format!("  {}: {}", f.field, f.message))
                .collect();
            anyhow::bail!(
                "{} has problems; nothing was imported:\n{}",
                args.file.display(),
                lines.join("\n")
            )
        }
        Err(other) => {
            Err(anyhow::anyhow!("{other}")).context(format!("importing {}", args.file.display()))
        }
    }
}

pub async fn export(args: ExportArgs) -> anyhow::Result<()> {
    let (db, _) = app::connect(&args.db).await?;
    db::migrate(&db).await?;
    let file = service::import_export::export(&db)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let json = serde_json::to_string_pretty(&file)?;
    match args.output {
        Some(path) => std::fs::write(&path, json + "\n")
            .with_context(|| format!("could not write {}", path.display()))?,
        None => {
            let mut out = std::io::stdout().lock();
            writeln!(out, "{json}")?;
        }
    }
    Ok(())
}

pub fn schema() -> anyhow::Result<()> {
    print!("{}", graphql::sdl());
    Ok(())
}

/// Reads a password without putting it in argv or shell history: from a
/// prompt (asked twice) on a terminal, else one line of standard input.
fn read_password(prompt: &str) -> anyhow::Result<String> {
    use std::io::IsTerminal;
    if std::io::stdin().is_terminal() {
        let first = rpassword::prompt_password(prompt)?;
        let again = rpassword::prompt_password("Type it again: ")?;
        anyhow::ensure!(
            first == again,
            "the two passwords were not the same; nothing was changed"
        );
        Ok(first)
    } else {
        let mut line = String::new();
        std::io::stdin().read_line(&mut line)?;
        Ok(line.trim_end_matches(['\r', '\n']).to_owned())
    }
}

fn parse_role(raw: &str) -> anyhow::Result<Role> {
    raw.to_uppercase()
        .parse::<Role>()
        .map_err(|e| anyhow::anyhow!(e))
}

/// Service errors as the command line shows them: one line per bad field.
fn explain(error: AppError) -> anyhow::Error {
    match error {
        AppError::BadUserInput { fields, .. } => anyhow::anyhow!(
            "{}",
            fields
                .iter()
                .map(|f| format!("{}: {}", f.field, f.message))
                .collect::<Vec<_>>()
                .join("\n")
        ),
        // The operator at the command line is told the cause: there is no
        // log to look in.
        AppError::Internal(source) => source.context("something went wrong"),
        other => anyhow::anyhow!("{other}"),
    }
}

pub async fn user(args: UserArgs) -> anyhow::Result<()> {
    let (db, _) = app::connect(&args.db).await?;
    db::migrate(&db).await?;
    let system = Viewer::System;
    let find = |email: String| {
        let db = db.clone();
        async move {
            service::users::find_by_email(&db, &email)
                .await
                .map_err(explain)?
                .ok_or_else(|| anyhow::anyhow!("there is no user with the email address {email}"))
        }
    };
    let change = |user: entity::user::Model, change: UserChange| {
        let db = db.clone();
        async move {
            service::users::change(&db, &Viewer::System, user.id, user.version, change)
                .await
                .map_err(explain)
        }
    };
    let changed = match args.command {
        UserCommand::Add { email, name, role } => {
            let role = parse_role(&role)?;
            let password = read_password(&format!("Password for {email}: "))?;
            let input = NewUser {
                email: &email,
                display_name: &name,
                role,
                password: &password,
            };
            service::users::create(&db, &system, input)
                .await
                .map_err(explain)?
        }
        UserCommand::List => {
            let mut out = std::io::stdout().lock();
            for user in service::users::list(&db, &system).await.map_err(explain)? {
                let state = if user.disabled { "disabled" } else { "active" };
                let last = user
                    .last_sign_in_at
                    .map(|at| at.format("%Y-%m-%d %H:%M UTC").to_string())
                    .unwrap_or_else(|| "never".into());
                writeln!(
                    out,
                    "{}\t{}\t{}\t{}\tlast sign-in: {}",
                    user.email, user.display_name, user.role, state, last
                )?;
            }
            return Ok(());
        }
        UserCommand::Disable { email } => change(find(email).await?, UserChange::Disable).await?,
        UserCommand::Enable { email } => change(find(email).await?, UserChange::Enable).await?,
        UserCommand::SetRole { email, role } => {
            let role = parse_role(&role)?;
            change(find(email).await?, UserChange::SetRole(role)).await?
        }
        UserCommand::ResetPassword { email } => {
            let user = find(email).await?;
            let password = read_password(&format!("New password for {}: ", user.email))?;
            change(user, UserChange::ResetPassword(password)).await?
        }
        UserCommand::Reset2fa { email } => {
            let changed = change(find(email).await?, UserChange::ResetTwoFactor).await?;
            println!(
                "Two-factor sign-in reset for {}: they sign in with their password alone, or set up an app again where that is required.",
                changed.email
            );
            changed
        }
    };
    println!(
        "{} ({}, {}{})",
        changed.email,
        changed.display_name,
        changed.role,
        if changed.disabled { ", disabled" } else { "" }
    );
    Ok(())
}
