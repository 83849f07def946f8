//! GET /pages/{slug}: a page as accessible, server-rendered HTML in GOV.UK
//! style, working without JavaScript. Signed-in staff can preview drafts
//! with `?preview=true`. Unknown pages are 404; retired pages are 410 with
//! their notice (or a 301 to the replacement when set to redirect).

use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use maud::{html, Markup, PreEscaped, DOCTYPE};
use serde::Deserialize;
use serde_json::json;
use tower_sessions::Session;

use super::conditional::Audience;
use super::response_cache::{with_cache_status, CacheKey};
use super::{admin, viewer, AppState};
use crate::domain::{PageStatus, QuestionStatus};
use crate::service::page_updates::PublicUpdates;
use crate::service::pages::{Depth, PageView, Section};
use crate::service::published;
use crate::service::questions::QuestionView;
use crate::service::{self, Visibility};
use crate::{error::AppError, markdown};

/// Public pages may be framed by nothing and load only our own files;
/// the JSON-LD block is data, not script, so it needs no exception.
const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; style-src 'self'; \
     img-src 'self' data:; font-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'none'";

#[derive(Deserialize)]
pub struct PageParams {
    #[serde(default)]
    preview: Option<String>,
}

pub(super) fn layout(
    title: &str,
    banner: Option<Markup>,
    body: Markup,
    head_extra: Option<Markup>,
) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en" class="govuk-template" {
            head {
                meta charset="utf-8";
                title { (title) }
                meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover";
                @if let Some(href) = admin::stylesheet_href() {
                    link rel="stylesheet" href=(href);
                }
                @if let Some(extra) = head_extra { (extra) }
            }
            body class="govuk-template__body" {
                a href="#main-content" class="govuk-skip-link" { "Skip to main content" }
                header class="govuk-service-navigation" {
                    div class="govuk-width-container" {
                        div class="govuk-service-navigation__container" {
                            span class="govuk-service-navigation__service-name" {
                                span class="govuk-service-navigation__text" { "Local Digital" }
                            }
                        }
                    }
                }
                div class="govuk-width-container" {
                    @if let Some(banner) = banner { (banner) }
                    main class="govuk-main-wrapper" id="main-content" {
                        (body)
                    }
                }
            }
        }
    }
}

pub(super) fn html_response(status: StatusCode, markup: Markup, private: bool) -> Response {
    let mut response = (status, markup.into_string()).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CONTENT_SECURITY_POLICY),
    );
    // Who is signed in decides the preview and how the answer may be kept.
    headers.insert(header::VARY, HeaderValue::from_static("cookie"));
    if private {
        headers.insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static("private, no-store"),
        );
    }
    response
}

/// A page that says only what went wrong, as GOV.UK's error pages do.
fn error_page(status: StatusCode, title: &str, heading: &str, advice: &str) -> Response {
    let body = html! {
        h1 class="govuk-heading-l" { (heading) }
        p class="govuk-body" { (advice) }
    };
    html_response(status, layout(title, None, body, None), false)
}

pub(super) fn not_found() -> Response {
    let advice = "If you typed the web address, check it is correct.";
    error_page(
        StatusCode::NOT_FOUND,
        "Page not found",
        "Page not found",
        advice,
    )
}

pub(super) fn internal(error: AppError) -> Response {
    tracing::error!(?error, "could not render a public page");
    error_page(
        StatusCode::INTERNAL_SERVER_ERROR,
        "Sorry, there is a problem",
        "Sorry, there is a problem with the service",
        "Try again later.",
    )
}

pub(super) fn retired(page: &entity::page::Model) -> Response {
    if page.redirect_to_replacement {
        if let Some(url) = &page.replacement_url {
            if let Ok(location) = HeaderValue::from_str(url) {
                return (
                    StatusCode::MOVED_PERMANENTLY,
                    [(header::LOCATION, location)],
                )
                    .into_response();
            }
        }
    }
    let notice = page
        .retirement_notice
        .as_deref()
        .unwrap_or("This page is no longer available.");
    let body = html! {
        h1 class="govuk-heading-l" { (page.title) }
        div class="govuk-inset-text qanda-prose" { (PreEscaped(markdown::to_html(notice))) }
        @if let Some(url) = &page.replacement_url {
            p class="govuk-body" {
                a class="govuk-link" href=(url) { "Go to the page that replaces it" }
            }
        }
    };
    html_response(
        StatusCode::GONE,
        layout(&page.title, None, body, None),
        false,
    )
}

/// In a preview, what the public does not see yet.
fn preview_tag(question: &QuestionView) -> Option<&'static str> {
    if question.status() == QuestionStatus::Draft {
        Some(if question.row.publish_at.is_some() {
            "Draft, scheduled"
        } else {
            "Draft"
        })
    } else if question.has_unpublished_changes() {
        Some(if question.row.publish_at.is_some() {
            "Unpublished changes, scheduled"
        } else {
            "Unpublished changes"
        })
    } else if published::question_place_differs(&question.row) {
        Some("Moved: not published yet")
    } else {
        None
    }
}

/// A tag in a preview beside what the public does not see yet.
fn preview_marker(tag: Option<&'static str>) -> Markup {
    html! {
        @if let Some(tag) = tag {
            p class="govuk-body" { strong class="govuk-tag govuk-tag--grey" { (tag) } }
        }
    }
}

/// What readers get instead of the preview, when it is not this page.
fn preview_caveat(page: &entity::page::Model) -> Option<String> {
    match service::pages::public_status(page) {
        PageStatus::Draft => {
            Some("This page is a draft: readers get \u{201c}Page not found\u{201d}.".into())
        }
        PageStatus::Retired => Some(
            "This page is retired: readers get its retirement notice, not this content.".into(),
        ),
        PageStatus::Live => page.retire_at.map(|at| {
            format!(
                "This page will retire on {} (UTC).",
                at.format("%-d %B %Y at %H:%M")
            )
        }),
    }
}

/// Element ids on the page. A question's is its slug (search results link
/// to it); a category's is its slug too, unless a question on the page has
/// that slug, when it is `category-SLUG`, so no id is used twice.
struct Anchors {
    question_slugs: std::collections::HashSet<String>,
}

impl Anchors {
    fn new(sections: &[Section]) -> Anchors {
        let question_slugs = sections
            .iter()
            .flat_map(|s| s.questions.iter().map(|q| q.row.slug.clone()))
            .collect();
        Anchors { question_slugs }
    }

    fn category(&self, section: &Section) -> String {
        let slug = &section.category.slug;
        if self.question_slugs.contains(slug) {
            format!("category-{slug}")
        } else {
            slug.clone()
        }
    }
}

/// schema.org FAQPage data for search engines.
fn faq_json_ld(
    sections: &[Section],
    last_updated: Option<chrono::DateTime<chrono::Utc>>,
) -> String {
    let entities: Vec<_> = sections
        .iter()
        .flat_map(|s| s.questions.iter())
        .map(|q| {
            json!({
                "@type": "Question",
                "name": q.question(),
                "acceptedAnswer": { "@type": "Answer", "text": q.answer_html() },
            })
        })
        .collect();
    let mut data =
        json!({ "@context": "https://schema.org", "@type": "FAQPage", "mainEntity": entities });
    if let Some(at) = last_updated {
        data["dateModified"] = json!(at.to_rfc3339());
    }
    // `</` must not appear inside a script element.
    data.to_string().replace("</", "<\\/")
}

/// A date as GOV.UK writes it: 3 December 2026.
fn long_date(at: chrono::DateTime<chrono::Utc>) -> String {
    at.format("%-d %B %Y").to_string()
}

/// "Last updated" under the heading, with a link to the notes if any.
fn last_updated(updates: &PublicUpdates) -> Markup {
    html! {
        @if let Some(at) = updates.last_updated {
            p class="govuk-body-s qanda-last-updated" {
                "Last updated: "
                time datetime=(at.to_rfc3339()) { (long_date(at)) }
                @if !updates.notes.is_empty() {
                    " — " a class="govuk-link" href="#full-history" { "See all updates" }
                }
            }
        }
    }
}

/// Every change note, newest first, as GOV.UK lists a page's updates.
fn full_history(updates: &PublicUpdates) -> Markup {
    html! {
        @if !updates.notes.is_empty() {
            section aria-labelledby="full-history" {
                h2 class="govuk-heading-m" id="full-history" { "Updates to this page" }
                ol class="govuk-list" reversed {
                    @for update in &updates.notes {
                        li {
                            time class="govuk-!-font-weight-bold" datetime=(update.published_at.to_rfc3339()) {
                                (long_date(update.published_at))
                            }
                            br;
                            (update.note.as_deref().unwrap_or_default())
                        }
                    }
                }
            }
        }
    }
}

fn render(
    page: &entity::page::Model,
    sections: &[Section],
    preview: bool,
    updates: &PublicUpdates,
) -> Markup {
    let anchors = Anchors::new(sections);
    let banner = preview.then(|| {
        html! {
            div class="govuk-notification-banner" role="region" aria-labelledby="preview-title" {
                div class="govuk-notification-banner__header" {
                    h2 class="govuk-notification-banner__title" id="preview-title" { "Preview" }
                }
                div class="govuk-notification-banner__content" {
                    p class="govuk-notification-banner__heading" {
                        "You are previewing drafts and unpublished changes. The public does not see them yet."
                    }
                    @if let Some(caveat) = preview_caveat(page) {
                        p class="govuk-body" { (caveat) }
                    }
                }
            }
        }
    });
    let json_ld = html! { script type="application/ld+json" { (PreEscaped(faq_json_ld(sections, updates.last_updated))) } };
    let body = html! {
        div class="govuk-grid-row" {
            div class="govuk-grid-column-two-thirds" {
                h1 class="govuk-heading-xl" { (page.title) }
                @if !preview { (last_updated(updates)) }
                @if preview && published::page_text_differs(page) {
                    (preview_marker(Some("Unpublished changes to the page's text")))
                }
                div class="govuk-body qanda-prose" { (PreEscaped(markdown::to_html(&page.intro))) }
                @if !preview { (super::public_search::search_form(&page.slug, "")) }
                @if !sections.is_empty() {
                    nav aria-labelledby="contents-title" {
                        h2 class="govuk-heading-s" id="contents-title" {
                            "Select a category to skip to the relevant Q&A"
                        }
                        ul class="govuk-list" {
                            @for section in sections {
                                li { a class="govuk-link" href={ "#" (anchors.category(section)) } { (section.category.title) } }
                            }
                        }
                    }
                }
                @for section in sections {
                    section aria-labelledby=(anchors.category(section)) {
                        h2 class="govuk-heading-l" id=(anchors.category(section)) { (section.category.title) }
                        @if preview && published::category_differs(&section.category) {
                            (preview_marker(Some(if section.category.published_title.is_none() {
                                "New category: not published yet"
                            } else {
                                "Unpublished changes to this category"
                            })))
                        }
                        @for q in &section.questions {
                            h3 class="govuk-heading-m" id=(q.row.slug) { (q.question()) }
                            @if preview { (preview_marker(preview_tag(q))) }
                            div class="govuk-body qanda-prose" { (PreEscaped(q.answer_html())) }
                        }
                    }
                }
                @if !page.footer.trim().is_empty() {
                    hr class="govuk-section-break govuk-section-break--l govuk-section-break--visible";
                    div class="govuk-body qanda-prose" { (PreEscaped(markdown::to_html(&page.footer))) }
                }
                @if !preview { (full_history(updates)) }
            }
        }
    };
    let title = if preview {
        format!("Preview: {}", page.title)
    } else {
        page.title.clone()
    };
    layout(&title, banner, body, Some(json_ld))
}

pub async fn page(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    Query(params): Query<PageParams>,
    session: Session,
    headers: HeaderMap,
) -> Response {
    let wants_preview = params.preview.as_deref() == Some("true");
    // Only signed-in staff get drafts; anyone else asking for a preview gets
    // the published page. (Without a session cookie this reads nothing.)
    let viewer = viewer::from_session(&state, &session).await;
    let vis = Visibility::for_page(&viewer, wants_preview);
    // The published page is the same for everyone, so one copy serves all;
    // but what a signed-in person was sent is theirs alone to keep.
    let (key, audience) = match vis {
        Visibility::Public => (
            Some(CacheKey::Page(slug.clone())),
            viewer::audience(&viewer),
        ),
        Visibility::Everything | Visibility::Preview => (None, Audience::Private),
    };
    let built = build(&state, &slug, vis);
    answer_through_cache(&state, key, audience, &headers, built).await
}

/// The answer kept under `key`, or `built` (kept unless it is a server
/// error), as the reader's conditional request and `audience` call for.
/// The page and its search both answer this way.
pub(super) async fn answer_through_cache(
    state: &AppState,
    key: Option<CacheKey>,
    audience: Audience,
    headers: &HeaderMap,
    built: impl std::future::Future<Output = Response>,
) -> Response {
    let answered = state
        .cache
        .through(key, || async {
            let _slot = match audience {
                Audience::Public => state.public_builds.acquire().await.ok(),
                Audience::Private => None,
            };
            let response = built.await;
            let storable = !response.status().is_server_error();
            (response, storable)
        })
        .await;
    match answered {
        Ok((prepared, cache_status)) => with_cache_status(
            prepared.answer(headers, state.cache_policy.header(audience)),
            cache_status,
        ),
        Err(response) => response,
    }
}

async fn build(state: &AppState, slug: &str, vis: Visibility) -> Response {
    let preview = vis == Visibility::Preview;
    match service::pages::view(&state.db, vis, slug, Depth::Whole).await {
        Ok(PageView::Missing) => not_found(),
        Ok(PageView::Retired(page)) => retired(&page),
        Ok(PageView::Shown(tree)) => {
            let updates = match service::page_updates::public_updates(&state.db, tree.page.id).await
            {
                Ok(updates) => updates,
                Err(error) => return internal(error),
            };
            let shown = render(&tree.page, &tree.sections, preview, &updates);
            html_response(StatusCode::OK, shown, preview)
        }
        Err(error) => internal(error),
    }
}
