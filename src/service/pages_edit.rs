//! Creating pages and changing their text, address and status.

use std::collections::HashSet;

use entity::page;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QuerySelect, Set,
    TransactionTrait,
};
use serde_json::json;

use super::audit::{self, AuditEntry};
use super::editing::{slug_clash, unused_slug};
use super::{now, revisions};
use crate::domain::{
    required_text, PageStatus, Permission, Slug, Viewer, MAX_INTRO_LEN, MAX_TITLE_LEN,
};
use crate::error::{AppError, AppResult, FieldError};

#[derive(Default)]
pub struct PageChanges<'a> {
    pub title: Option<&'a str>,
    pub intro: Option<&'a str>,
    pub footer: Option<&'a str>,
    pub slug: Option<&'a str>,
    pub status: Option<PageStatus>,
}

fn optional_text(
    errors: &mut Vec<FieldError>,
    field: &str,
    what: &str,
    raw: Option<&str>,
) -> Option<String> {
    let raw = raw?;
    if raw.chars().count() > MAX_INTRO_LEN {
        errors.push(FieldError::new(
            field,
            format!("The {what} must be {MAX_INTRO_LEN} characters or fewer"),
        ));
        return None;
    }
    Some(raw.trim().to_owned())
}

pub async fn create(
    db: &DatabaseConnection,
    viewer: &Viewer,
    changes: PageChanges<'_>,
) -> AppResult<page::Model> {
    viewer.require(Permission::ManagePages)?;
    let mut errors = Vec::new();
    let title = match changes.title {
        Some(t) => required_text("title", "page title", t, MAX_TITLE_LEN)
            .map_err(|e| errors.push(e))
            .ok(),
        None => {
            errors.push(FieldError::new("title", "Enter the page title"));
            None
        }
    };
    let intro = optional_text(&mut errors, "intro", "introduction", changes.intro);
    let footer = optional_text(&mut errors, "footer", "footer", changes.footer);
    let slug = changes
        .slug
        .and_then(|s| Slug::parse("slug", s).map_err(|e| errors.push(e)).ok());
    if changes.status.is_some_and(|s| s == PageStatus::Retired) {
        errors.push(FieldError::new("status", "A new page cannot start retired"));
    }
    if !errors.is_empty() {
        return Err(AppError::fields(errors));
    }
    let title = title.unwrap_or_default();
    let slug = match slug {
        Some(slug) => slug,
        None => {
            let taken: HashSet<String> = page::Entity::find()
                .select_only()
                .column(page::Column::Slug)
                .into_tuple::<String>()
                .all(db)
                .await?
                .into_iter()
                .collect();
            unused_slug("title", &title, &taken)?
        }
    };
    let at = now();
    let txn = db.begin().await?;
    let row = page::ActiveModel {
        slug: Set(slug.into_string()),
        title: Set(title),
        intro: Set(intro.unwrap_or_default()),
        footer: Set(footer.unwrap_or_default()),
        status: Set(changes
            .status
            .unwrap_or(PageStatus::Draft)
            .as_str()
            .to_owned()),
        retirement_notice: Set(None),
        replacement_url: Set(None),
        redirect_to_replacement: Set(false),
        retire_at: Set(None),
        retired_at: Set(None),
        version: Set(1),
        created_at: Set(at),
        created_by: Set(viewer.user_id()),
        updated_at: Set(at),
        updated_by: Set(viewer.user_id()),
        ..Default::default()
    }
    .insert(&txn)
    .await
    .map_err(|e| slug_clash(e, "page"))?;
    revisions::record(
        &txn,
        viewer,
        "page",
        row.id,
        row.version,
        revisions::page_snapshot(&row),
        None,
    )
    .await?;
    audit::record(
        &txn,
        viewer,
        AuditEntry::new("page.create", "page", row.id).with(json!({ "slug": row.slug })),
    )
    .await?;
    txn.commit().await?;
    Ok(row)
}

/// Editors change the text; going live or back to draft needs a publisher;
/// changing the address needs an admin. Retirement has its own mutations.
pub async fn update(
    db: &DatabaseConnection,
    viewer: &Viewer,
    id: i32,
    version: i32,
    changes: PageChanges<'_>,
) -> AppResult<page::Model> {
    viewer.require(Permission::EditContent)?;
    if changes.status.is_some() {
        viewer.require(Permission::Publish)?;
    }
    if changes.slug.is_some() {
        viewer.require(Permission::ManagePages)?;
    }
    let mut errors = Vec::new();
    let title = changes.title.and_then(|t| {
        required_text("title", "page title", t, MAX_TITLE_LEN)
            .map_err(|e| errors.push(e))
            .ok()
    });
    let intro = optional_text(&mut errors, "intro", "introduction", changes.intro);
    let footer = optional_text(&mut errors, "footer", "footer", changes.footer);
    let slug = changes
        .slug
        .and_then(|s| Slug::parse("slug", s).map_err(|e| errors.push(e)).ok());
    if changes.status == Some(PageStatus::Retired) {
        errors.push(FieldError::new(
            "status",
            "Use retirePage to retire a page, so that readers get a notice",
        ));
    }
    let nothing = changes.title.is_none()
        && changes.intro.is_none()
        && changes.footer.is_none()
        && changes.slug.is_none()
        && changes.status.is_none();
    if nothing {
        errors.push(FieldError::new(
            "input",
            "Change at least one of title, intro, footer, slug or status",
        ));
    }
    if !errors.is_empty() {
        return Err(AppError::fields(errors));
    }
    let mut update = page::Entity::update_many()
        .col_expr(
            page::Column::Version,
            Expr::col(page::Column::Version).add(1),
        )
        .col_expr(page::Column::UpdatedAt, Expr::value(now()))
        .col_expr(page::Column::UpdatedBy, Expr::value(viewer.user_id()))
        .filter(page::Column::Id.eq(id))
        .filter(page::Column::Version.eq(version));
    if let Some(title) = title {
        update = update.col_expr(page::Column::Title, Expr::value(title));
    }
    if let Some(intro) = intro {
        update = update.col_expr(page::Column::Intro, Expr::value(intro));
    }
    if let Some(footer) = footer {
        update = update.col_expr(page::Column::Footer, Expr::value(footer));
    }
    if let Some(slug) = slug {
        update = update.col_expr(page::Column::Slug, Expr::value(slug.into_string()));
    }
    if let Some(status) = changes.status {
        // A retired page comes back only through reinstatement.
        update = update
            .col_expr(page::Column::Status, Expr::value(status.as_str()))
            .filter(page::Column::Status.ne(PageStatus::Retired.as_str()));
    }
    let txn = db.begin().await?;
    let result = update.exec(&txn).await.map_err(|e| slug_clash(e, "page"))?;
    let row = page::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or_else(|| AppError::NotFound("There is no page with this id.".into()))?;
    if result.rows_affected == 0 {
        return Err(if row.version != version {
            AppError::conflict("page", row.version)
        } else {
            AppError::field("status", "This page is retired. Reinstate it first.")
        });
    }
    revisions::record(
        &txn,
        viewer,
        "page",
        row.id,
        row.version,
        revisions::page_snapshot(&row),
        None,
    )
    .await?;
    let action = if changes.status.is_some() {
        "page.status"
    } else {
        "page.update"
    };
    audit::record(
        &txn,
        viewer,
        AuditEntry::new(action, "page", row.id)
            .with(json!({ "version": row.version, "status": row.status })),
    )
    .await?;
    txn.commit().await?;
    Ok(row)
}
