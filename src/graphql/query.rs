use async_graphql::{Context, ErrorExtensions, Object, Result, ID};
use sea_orm::DatabaseConnection;

use super::types::{Page, Question};
use crate::domain::Viewer;
use crate::error::AppError;
use crate::service::{self, Visibility};

pub struct QueryRoot;

fn deps<'a>(ctx: &'a Context<'_>) -> (&'a DatabaseConnection, Visibility) {
    let viewer = ctx.data_opt::<Viewer>().unwrap_or(&Viewer::Anonymous);
    // The public read API shows published content; editor queries that ask
    // for drafts come with sign-in.
    (
        ctx.data_unchecked::<DatabaseConnection>(),
        Visibility::for_viewer(viewer, false),
    )
}

fn parse_id(field: &str, id: &ID) -> Result<i32> {
    id.parse::<i32>().ok().filter(|n| *n > 0).ok_or_else(|| {
        AppError::field(field, format!("'{}' is not a valid id", id.as_str())).extend()
    })
}

#[Object]
impl QueryRoot {
    /// A page by its slug, or null if there is none you may see.
    async fn page(&self, ctx: &Context<'_>, slug: String) -> Result<Option<Page>> {
        let (db, vis) = deps(ctx);
        let row = service::pages::find_by_slug(db, vis, &slug)
            .await
            .map_err(|e| e.extend())?;
        Ok(row.map(|row| Page { row, vis }))
    }

    /// Every page you may see, by title.
    async fn pages(&self, ctx: &Context<'_>) -> Result<Vec<Page>> {
        let (db, vis) = deps(ctx);
        let rows = service::pages::list(db, vis)
            .await
            .map_err(|e| e.extend())?;
        Ok(rows.into_iter().map(|row| Page { row, vis }).collect())
    }

    /// One question by id, or null if there is none you may see.
    async fn question(&self, ctx: &Context<'_>, id: ID) -> Result<Option<Question>> {
        let (db, vis) = deps(ctx);
        let id = parse_id("id", &id)?;
        let view = service::questions::find(db, vis, id)
            .await
            .map_err(|e| e.extend())?;
        Ok(view.map(Question))
    }

    /// One question by its page's slug and its own slug.
    async fn question_by_slug(
        &self,
        ctx: &Context<'_>,
        page_slug: String,
        slug: String,
    ) -> Result<Option<Question>> {
        let (db, vis) = deps(ctx);
        let view = service::questions::find_by_slug(db, vis, &page_slug, &slug)
            .await
            .map_err(|e| e.extend())?;
        Ok(view.map(Question))
    }
}
