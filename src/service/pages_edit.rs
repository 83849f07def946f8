//! Creating pages and changing their text, address and status.

use entity::{category, page, question};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, Set};

use super::changes::Event;
use super::editing::{first_version, given_or_unused_slug, SetGiven, Submission};
use super::pages::{not_yet_retired, retired, retirement_due};
use super::Db;
use super::{now, published, versioned};
use crate::domain::{
    Change, PageChange, PageStatus, Permission, Slug, Viewer, MAX_INTRO_LEN, MAX_TITLE_LEN,
};
use crate::error::{AppError, AppResult};

#[derive(Default, PartialEq)]
pub struct PageChanges<'a> {
    pub title: Option<&'a str>,
    pub intro: Option<&'a str>,
    pub footer: Option<&'a str>,
    pub slug: Option<&'a str>,
    pub status: Option<PageStatus>,
}

/// Text that may be blank (the introduction, the footer), trimmed.
fn optional_text(
    input: &mut Submission,
    field: &str,
    what: &str,
    raw: Option<&str>,
) -> Option<String> {
    let raw = raw?;
    if raw.chars().count() > MAX_INTRO_LEN {
        let message = format!("The {what} must be {MAX_INTRO_LEN} characters or fewer");
        input.refuse(field, message);
        return None;
    }
    Some(raw.trim().to_owned())
}

pub async fn create(db: &Db, viewer: &Viewer, changes: PageChanges<'_>) -> AppResult<page::Model> {
    viewer.require(Permission::ManagePages)?;
    let mut input = Submission::new();
    // A missing title is reported as a blank one.
    let title = Some(changes.title.unwrap_or_default());
    let title = input.text("title", "page title", title, MAX_TITLE_LEN);
    let intro = optional_text(&mut input, "intro", "introduction", changes.intro);
    let footer = optional_text(&mut input, "footer", "footer", changes.footer);
    let slug = input.slug(changes.slug);
    if changes.status.is_some_and(|s| s == PageStatus::Retired) {
        input.refuse("status", "A new page cannot start retired");
    }
    input.check()?;
    let title = title.unwrap_or_default();
    let every_page = page::Entity::find();
    let slug_column = page::Column::Slug;
    let slug = given_or_unused_slug(db, slug, "title", &title, every_page, slug_column).await?;
    let at = now();
    let (txn, _turn) = crate::db::begin_write(db).await?;
    let (intro, footer) = (intro.unwrap_or_default(), footer.unwrap_or_default());
    // Whoever may create a page may publish it: its first text is published.
    let row = first_version!(page::ActiveModel {
        slug: Set(slug.into_string()),
        published_title: Set(Some(title.clone())),
        published_intro: Set(Some(intro.clone())),
        published_footer: Set(Some(footer.clone())),
        title: Set(title),
        intro: Set(intro),
        footer: Set(footer),
        status: Set(changes.status.unwrap_or(PageStatus::Draft)),
        retirement_notice: Set(None),
        replacement_url: Set(None),
        redirect_to_replacement: Set(false),
        retire_at: Set(None),
        retired_at: Set(None),
    }, by: viewer, at: at);
    let made = |id| Change::Page(PageChange::Created, id);
    versioned::create(txn, viewer, row, made).await
}

/// Editors change the working copy of the text; going live (which publishes
/// the text) or back to draft needs a publisher; changing the address needs
/// an admin. Retirement has its own mutations.
pub async fn update(
    db: &Db,
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
    let mut input = Submission::new();
    let title = input.text("title", "page title", changes.title, MAX_TITLE_LEN);
    let intro = optional_text(&mut input, "intro", "introduction", changes.intro);
    let footer = optional_text(&mut input, "footer", "footer", changes.footer);
    let slug = input.slug(changes.slug);
    if changes.status == Some(PageStatus::Retired) {
        let message = "Use retirePage to retire a page, so that readers get a notice";
        input.refuse("status", message);
    }
    let gives_nothing = changes == PageChanges::default();
    let ask = "Change at least one of title, intro, footer, slug or status";
    input.ask_for_a_change(gives_nothing, ask);
    input.check()?;
    let mut update = page::Entity::update_many();
    if changes.status == Some(PageStatus::Live) {
        // Putting a page live publishes its text, as this request leaves it.
        let published = |given: &Option<String>, working: page::Column| {
            given.clone().map_or(Expr::col(working), Expr::value)
        };
        update = update
            .col_expr(
                page::Column::PublishedTitle,
                published(&title, page::Column::Title),
            )
            .col_expr(
                page::Column::PublishedIntro,
                published(&intro, page::Column::Intro),
            )
            .col_expr(
                page::Column::PublishedFooter,
                published(&footer, page::Column::Footer),
            );
    }
    let mut update = update
        .set_given(page::Column::Title, title)
        .set_given(page::Column::Intro, intro)
        .set_given(page::Column::Footer, footer)
        .set_given(page::Column::Slug, slug.map(Slug::into_string));
    if let Some(status) = changes.status {
        // A retired page comes back only through reinstatement.
        update = update
            .col_expr(page::Column::Status, Expr::value(status))
            .filter(page::Column::Status.ne(PageStatus::Retired));
    }
    let made = if changes.status.is_some() {
        PageChange::StatusChanged
    } else {
        PageChange::Updated
    };
    apply(
        db,
        viewer,
        id,
        version,
        update,
        made,
        ("status", "This page is retired. Reinstate it first."),
    )
    .await
}

pub struct Retirement<'a> {
    /// Markdown shown in place of the page.
    pub notice: &'a str,
    pub replacement_url: Option<&'a str>,
    /// Answer with a 301 to the replacement instead of a 410 with the notice.
    pub redirect: bool,
}

fn parse_retirement(retirement: &Retirement<'_>) -> AppResult<(String, Option<String>)> {
    let mut input = Submission::new();
    let notice = Some(retirement.notice);
    let notice = input.text("notice", "retirement notice", notice, MAX_INTRO_LEN);
    let given_url = retirement
        .replacement_url
        .map(str::trim)
        .filter(|u| !u.is_empty());
    let url = given_url.and_then(|raw| match url::Url::parse(raw) {
        Ok(url) if matches!(url.scheme(), "http" | "https") => Some(url.to_string()),
        _ => {
            let message = "Enter a full web address starting with https://";
            input.refuse("replacementUrl", message);
            None
        }
    });
    if retirement.redirect && given_url.is_none() {
        let message = "Enter the address to send readers to, or turn off the redirect";
        input.refuse("replacementUrl", message);
    }
    input.check()?;
    Ok((notice.unwrap_or_default(), url))
}

/// Retires a page: the public gets its notice (410) or a redirect (301), and
/// GraphQL answers with status RETIRED and no questions. Content is kept.
pub async fn retire(
    db: &Db,
    viewer: &Viewer,
    id: i32,
    version: i32,
    input: Retirement<'_>,
) -> AppResult<page::Model> {
    viewer.require(Permission::ManagePages)?;
    let (notice, url) = parse_retirement(&input)?;
    let update = retiring(page::Entity::update_many(), Expr::value(Some(now())))
        .col_expr(page::Column::RetirementNotice, Expr::value(Some(notice)))
        .col_expr(page::Column::ReplacementUrl, Expr::value(url))
        .col_expr(
            page::Column::RedirectToReplacement,
            Expr::value(input.redirect),
        )
        .filter(not_yet_retired());
    apply(
        db,
        viewer,
        id,
        version,
        update,
        PageChange::Retired,
        ("id", "This page is already retired."),
    )
    .await
}

/// Records the retirement of a page whose scheduled time has come, with
/// the notice and replacement set when it was scheduled. Nothing happens
/// (CONFLICT) when the page moved on since `version`, e.g. because another
/// replica recorded it first.
pub async fn retire_when_due(db: &Db, id: i32, version: i32) -> AppResult<page::Model> {
    let update = retiring(
        page::Entity::update_many(),
        Expr::col(page::Column::RetireAt),
    )
    .filter(retirement_due(now()));
    let refusal = ("id", "This page's retirement is not due.");
    apply(
        db,
        &Viewer::Schedule,
        id,
        version,
        update,
        PageChange::Retired,
        refusal,
    )
    .await
}

/// The columns retiring sets, by hand (`at` now) or on schedule (`at` the
/// retirement time); the notice and replacement were set with the schedule.
fn retiring(
    update: sea_orm::UpdateMany<page::Entity>,
    at: Expr,
) -> sea_orm::UpdateMany<page::Entity> {
    update
        .col_expr(page::Column::Status, Expr::value(PageStatus::Retired))
        .col_expr(page::Column::RetiredAt, at)
        .col_expr(
            page::Column::RetireAt,
            Expr::value(Option::<chrono::DateTime<chrono::Utc>>::None),
        )
}

/// Brings a retired page back, as it was, live.
pub async fn reinstate(db: &Db, viewer: &Viewer, id: i32, version: i32) -> AppResult<page::Model> {
    viewer.require(Permission::ManagePages)?;
    let no_time = Expr::value(Option::<chrono::DateTime<chrono::Utc>>::None);
    let update = page::Entity::update_many()
        .col_expr(page::Column::Status, Expr::value(PageStatus::Live))
        .col_expr(page::Column::RetiredAt, no_time.clone())
        .col_expr(page::Column::RetireAt, no_time)
        .filter(retired());
    apply(
        db,
        viewer,
        id,
        version,
        update,
        PageChange::Reinstated,
        ("id", "Only a retired page can be reinstated."),
    )
    .await
}

/// One versioned page change: the row, a revision and an audit event in one
/// transaction. When no row matched, says why: gone, someone else saved
/// first, or `refusal` (field, message) because the page's state forbids it.
async fn apply(
    db: &Db,
    viewer: &Viewer,
    id: i32,
    version: i32,
    update: sea_orm::UpdateMany<page::Entity>,
    made: PageChange,
    refusal: (&str, &str),
) -> AppResult<page::Model> {
    let refuse = |_: &page::Model| AppError::field(refusal.0, refusal.1);
    let event = Event::new(Change::Page(made, id));
    versioned::change(db, viewer, id, version, update, refuse, event).await
}

/// Schedules the page's retirement for `retire_at` with the notice readers
/// will get, or cancels a scheduled retirement when `retire_at` is `None`.
pub async fn schedule_retirement(
    db: &Db,
    viewer: &Viewer,
    id: i32,
    version: i32,
    retire_at: Option<chrono::DateTime<chrono::Utc>>,
    input: Retirement<'_>,
) -> AppResult<page::Model> {
    viewer.require(Permission::ManagePages)?;
    let update = match retire_at {
        None => page::Entity::update_many().col_expr(
            page::Column::RetireAt,
            Expr::value(Option::<chrono::DateTime<chrono::Utc>>::None),
        ),
        Some(at) => {
            if at <= now() {
                return Err(AppError::field(
                    "retireAt",
                    "The retirement time must be in the future. To retire the page now, use retirePage",
                ));
            }
            let (notice, url) = parse_retirement(&input)?;
            page::Entity::update_many()
                .col_expr(page::Column::RetireAt, Expr::value(Some(at)))
                .col_expr(page::Column::RetirementNotice, Expr::value(Some(notice)))
                .col_expr(page::Column::ReplacementUrl, Expr::value(url))
                .col_expr(
                    page::Column::RedirectToReplacement,
                    Expr::value(input.redirect),
                )
        }
    }
    .filter(not_yet_retired());
    let made = if retire_at.is_some() {
        PageChange::RetirementScheduled
    } else {
        PageChange::RetirementCancelled
    };
    apply(
        db,
        viewer,
        id,
        version,
        update,
        made,
        ("id", "This page is already retired."),
    )
    .await
}

/// Publishes the page's working copy: its text; its categories' titles,
/// addresses and order; and where the questions readers see stand (their
/// category, order and address). Question text is published question by
/// question. Refused when readers already see all of it.
pub async fn publish(
    db: &Db,
    viewer: &Viewer,
    id: i32,
    version: i32,
    change_note: Option<&str>,
    rule: crate::domain::TwoPersonRule,
) -> AppResult<page::Model> {
    viewer.require(Permission::Publish)?;
    let note = crate::domain::change_note(change_note).map_err(|e| AppError::fields(vec![e]))?;
    let (txn, _turn) = crate::db::begin_write(db).await?;
    let update = published::publishing(page::Entity::update_many(), &published::PAGE_TEXT, None);
    let unconditional = |_: &page::Model| {
        AppError::internal(anyhow::anyhow!("unconditional update matched no row"))
    };
    // Checks the version first, so that the check below sees this version.
    let before = page::Entity::find_by_id(id).one(&txn).await?;
    let mut items = Vec::new();
    if let Some(before) = before.filter(|page| page.version == version) {
        if !super::pages::has_unpublished_changes(&txn, &before).await? {
            return Err(AppError::field(
                "id",
                "Readers already see everything on this page: there is nothing to publish",
            ));
        }
        // What is published, for the audit log and the webhook: all but
        // question text, which is published question by question.
        let mut pending = super::unpublished::pending(&txn, &before).await?;
        pending.retain(|p| p.item.kind != super::unpublished::ItemKind::Question);
        for p in &pending {
            rule.check(viewer, p.changed_by, "the changes to this page")?;
        }
        items.extend(pending.into_iter().map(|p| p.item));
    }
    let row = versioned::write_checked(&txn, viewer, id, version, update, unconditional).await?;
    published::publishing(category::Entity::update_many(), &published::CATEGORY, None)
        .filter(category::Column::PageId.eq(id))
        .exec(&txn)
        .await?;
    // A question never published keeps following its working place.
    let places = question::Entity::update_many();
    published::publishing(places, &published::QUESTION_PLACE, None)
        .filter(question::Column::PageId.eq(id))
        .filter(question::Column::PublishedCategoryId.is_not_null())
        .exec(&txn)
        .await?;
    super::page_updates::record(&txn, viewer, id, row.updated_at, note).await?;
    let detail = super::unpublished::announced(id, &row.slug, &items);
    let event = Event::new(Change::Page(PageChange::Published, id)).with(detail);
    versioned::finish::<page::Entity>(txn, viewer, &row, event).await?;
    Ok(row)
}
