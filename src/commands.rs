//! What each CLI command does.

use std::io::Write;

use anyhow::Context;

use crate::app::{self, App};
use crate::cli::{DbArgs, ExportArgs, ImportArgs, ServeArgs};
use crate::domain::Viewer;
use crate::{db, graphql, interchange, service};

pub async fn serve(args: ServeArgs) -> anyhow::Result<()> {
    let app: App = app::build(&args).await?;
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
    match service::interchange::import(&db, &Viewer::System, pages, &note).await {
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
    let file = service::interchange::export(&db)
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
