use async_graphql::{Context, Object, Result, ID};
use chrono::{DateTime, Utc};
use sea_orm::DatabaseConnection;

use super::admin::{connection, AuditEvent, AuditEventConnection, CountedConnection, User};
use super::types::{Category, Page, Question, SearchHit};
use super::{newest_first, page_size, parse_cursor, parse_id, Gql};
use crate::domain::{Permission, Viewer};
use crate::service::pages::{Depth, PageView};
use crate::service::{self, Visibility};

pub struct QueryRoot;

/// Loads what the query selects below the pages top-down, through the
/// service's one read of a page tree: the whole tree then costs the same
/// number of statements however large it is.
async fn with_tree(
    ctx: &Context<'_>,
    rows: Vec<entity::page::Model>,
    vis: Visibility,
) -> Result<Vec<Page>> {
    let categories_wanted = ctx.look_ahead().field("categories");
    if !categories_wanted.exists() {
        return Ok(rows.into_iter().map(|row| Page::new(row, vis)).collect());
    }
    let depth = if categories_wanted.field("questions").exists() {
        Depth::Whole
    } else {
        Depth::Categories
    };
    let trees = service::pages::trees(db(ctx), vis, rows, depth)
        .await
        .gql()?;
    Ok(trees
        .into_iter()
        .map(|tree| {
            let categories = tree
                .sections
                .into_iter()
                .map(|section| {
                    let questions = (depth == Depth::Whole).then_some(section.questions);
                    Category::prefilled(section.category, vis, questions)
                })
                .collect();
            Page::prefilled(tree.page, vis, categories)
        })
        .collect())
}

pub(crate) fn db<'a>(ctx: &Context<'a>) -> &'a DatabaseConnection {
    ctx.data_unchecked::<DatabaseConnection>()
}

pub(crate) fn viewer<'a>(ctx: &Context<'a>) -> &'a Viewer {
    ctx.data_opt::<Viewer>().unwrap_or(&Viewer::Anonymous)
}

/// Drafts only for signed-in staff who ask; anonymous readers get the
/// published view whatever they pass.
fn visibility(ctx: &Context<'_>, include_drafts: bool) -> Visibility {
    Visibility::for_viewer(viewer(ctx), include_drafts)
}

#[Object(name = "ContentQuery")]
impl QueryRoot {
    /// A page by its slug, or null if there is none you may see.
    async fn page(
        &self,
        ctx: &Context<'_>,
        slug: String,
        #[graphql(
            desc = "Signed-in staff: include drafts, archived items and working copies.",
            default = false
        )]
        include_drafts: bool,
    ) -> Result<Option<Page>> {
        let vis = visibility(ctx, include_drafts);
        match service::pages::find_shown(db(ctx), vis, &slug)
            .await
            .gql()?
        {
            PageView::Missing => Ok(None),
            // Still answered: its status, notice and replacement, no content.
            PageView::Retired(row) => Ok(Some(Page::new(*row, vis))),
            PageView::Shown(row) => Ok(with_tree(ctx, vec![row], vis).await?.pop()),
        }
    }

    /// Every page you may see, by title.
    async fn pages(
        &self,
        ctx: &Context<'_>,
        #[graphql(default = false)] include_drafts: bool,
    ) -> Result<Vec<Page>> {
        let vis = visibility(ctx, include_drafts);
        let rows = service::pages::list(db(ctx), vis).await.gql()?;
        with_tree(ctx, rows, vis).await
    }

    /// One question by id, or null if there is none you may see.
    async fn question(
        &self,
        ctx: &Context<'_>,
        id: ID,
        #[graphql(default = false)] include_drafts: bool,
    ) -> Result<Option<Question>> {
        let vis = visibility(ctx, include_drafts);
        let id = parse_id("id", &id)?;
        let view = service::questions::find(db(ctx), vis, id).await.gql()?;
        Ok(view.map(Question::new))
    }

    /// One question by its page's slug and its own slug.
    async fn question_by_slug(
        &self,
        ctx: &Context<'_>,
        page_slug: String,
        slug: String,
        #[graphql(default = false)] include_drafts: bool,
    ) -> Result<Option<Question>> {
        let vis = visibility(ctx, include_drafts);
        let view = service::questions::find_by_slug(db(ctx), vis, &page_slug, &slug)
            .await
            .gql()?;
        Ok(view.map(Question::new))
    }

    /// Published questions matching every word of `query` (English stemming:
    /// "fund" finds "funding"), best first, with a snippet of each answer.
    /// The same for everyone: drafts are never searched.
    async fn search(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Words to look for, at most 200 characters.")] query: String,
        #[graphql(desc = "Only questions on this page.")] page_slug: Option<String>,
        first: Option<i32>,
        after: Option<String>,
    ) -> Result<CountedConnection<SearchHit>> {
        let query = service::search::SearchQuery::parse("query", &query).gql()?;
        let limit = page_size(first)?;
        let offset = parse_cursor(after.as_deref())?.unwrap_or(0).max(0) as u64;
        let (hits, total) =
            service::search::search(db(ctx), &query, page_slug.as_deref(), offset, limit + 1)
                .await
                .gql()?;
        Ok(connection(
            hits,
            total,
            limit,
            offset > 0,
            |hit| hit.position as i32,
            SearchHit,
        ))
    }

    /// Markdown rendered and sanitised exactly as answers are, for the
    /// editor's live preview (signed-in staff only).
    async fn render_markdown(&self, ctx: &Context<'_>, markdown: String) -> Result<String> {
        viewer(ctx).require(Permission::EditContent).gql()?;
        Ok(crate::markdown::to_html(&markdown))
    }

    /// Whether the one-time link that creates the first admin can still be
    /// used (false once used or expired, or when an admin exists).
    // Not content: the cache of anonymous answers, which follows content
    // changes only, must not keep it.
    #[graphql(cache_control(no_cache))]
    async fn setup_link_usable(&self, ctx: &Context<'_>, token: String) -> Result<bool> {
        service::users::setup_link_usable(db(ctx), &token)
            .await
            .gql()
    }

    /// The signed-in user, or null.
    async fn me(&self, ctx: &Context<'_>) -> Result<Option<User>> {
        let Some(id) = viewer(ctx).user_id() else {
            return Ok(None);
        };
        Ok(service::users::find(db(ctx), id).await.gql()?.map(User))
    }

    /// Every user (admins only).
    async fn users(&self, ctx: &Context<'_>) -> Result<Vec<User>> {
        let rows = service::users::list(db(ctx), viewer(ctx)).await.gql()?;
        Ok(rows.into_iter().map(User).collect())
    }

    /// What happened, newest first (admins only).
    #[allow(clippy::too_many_arguments)]
    async fn audit_events(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        #[graphql(desc = "Only events by this user.")] actor_id: Option<ID>,
        #[graphql(desc = "Only this action, one of `auditActions`, e.g. `question.publish`.")]
        action: Option<String>,
        #[graphql(desc = "Only events at or after this time.")] since: Option<DateTime<Utc>>,
        #[graphql(desc = "Only events before this time, which must be after `since`.")]
        until: Option<DateTime<Utc>>,
    ) -> Result<AuditEventConnection> {
        let filter = service::audit_log::AuditFilter {
            actor_id: actor_id.map(|id| parse_id("actorId", &id)).transpose()?,
            action,
            since,
            until,
        };
        let fetch =
            |before, limit| service::audit_log::list(db(ctx), viewer(ctx), &filter, before, limit);
        newest_first(first, after, fetch, |r| r.id, AuditEvent).await
    }

    /// Every action the audit log records, to filter `auditEvents` by
    /// (admins only).
    async fn audit_actions(&self, ctx: &Context<'_>) -> Result<Vec<&'static str>> {
        service::audit_log::actions(viewer(ctx)).gql()
    }
}
