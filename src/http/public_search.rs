//! GET /pages/{slug}/search?q=…: the public page's search, as server-side
//! HTML that works without JavaScript, with the matched words marked and
//! links to each answer on the page.

use std::collections::HashMap;

use axum::extract::{Path, Query, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use maud::{html, Markup, PreEscaped};
use serde::Deserialize;
use tower_sessions::Session;

use super::public_page::{html_response, internal, layout, not_found, retired};
use super::response_cache::CacheKey;
use super::{viewer, AppState};
use crate::error::AppError;
use crate::service::pages::{Depth, PageTree, PageView};
use crate::service::search::{self, SearchHit, SearchQuery};
use crate::service::{self, Visibility};

/// Results per page of results.
const PER_PAGE: u64 = 10;

#[derive(Deserialize)]
pub struct SearchParams {
    #[serde(default)]
    q: String,
    #[serde(default)]
    page: Option<String>,
}

/// The search box, on the page itself and above the results.
pub fn search_form(page_slug: &str, value: &str) -> Markup {
    search_form_with_error(page_slug, value, None)
}

fn search_form_with_error(page_slug: &str, value: &str, error: Option<&str>) -> Markup {
    let group = if error.is_some() {
        "govuk-form-group govuk-form-group--error"
    } else {
        "govuk-form-group"
    };
    html! {
        form action={ "/pages/" (page_slug) "/search" } method="get" role="search" {
            div class=(group) {
                label class="govuk-label govuk-label--s" for="search-q" { "Search this Q&A" }
                @if let Some(error) = error {
                    p class="govuk-error-message" id="search-q-error" {
                        span class="govuk-visually-hidden" { "Error: " } (error)
                    }
                }
                div class="govuk-input__wrapper" {
                    input class="govuk-input" id="search-q" name="q" type="search"
                        value=(value) maxlength=(search::MAX_QUERY_CHARS)
                        aria-describedby=[error.map(|_| "search-q-error")];
                    button type="submit" class="govuk-button govuk-button--secondary govuk-!-margin-bottom-0 govuk-!-margin-left-2" {
                        "Search"
                    }
                }
            }
        }
    }
}

pub async fn search(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    RawQuery(raw): RawQuery,
    params: Result<Query<SearchParams>, axum::extract::rejection::QueryRejection>,
    session: Session,
    headers: HeaderMap,
) -> Response {
    let audience = viewer::audience(&viewer::from_session(&state, &session).await);
    // The results are the same for everyone: drafts are never searched.
    let key = CacheKey::PageSearch {
        slug: slug.clone(),
        query: raw.unwrap_or_default(),
    };
    let built = build(&state, &slug, params.ok().map(|Query(p)| p));
    super::public_page::answer_through_cache(&state, Some(key), audience, &headers, built).await
}

async fn build(state: &AppState, slug: &str, params: Option<SearchParams>) -> Response {
    let PageTree { page, sections } =
        match service::pages::view(&state.db, Visibility::Public, slug, Depth::Categories).await {
            Ok(PageView::Shown(tree)) => tree,
            Ok(PageView::Retired(page)) => return retired(&page),
            Ok(PageView::Missing) => return not_found(),
            Err(error) => return internal(error),
        };
    let params = params.unwrap_or(SearchParams {
        q: String::new(),
        page: None,
    });
    let page_number = params
        .page
        .as_deref()
        .and_then(|p| p.parse::<u64>().ok())
        .filter(|n| (1..=1000).contains(n))
        .unwrap_or(1);
    let query = match SearchQuery::parse("q", &params.q) {
        Ok(query) => query,
        Err(AppError::BadUserInput { message, .. }) => {
            return html_response(
                StatusCode::BAD_REQUEST,
                refused(&page, &params.q, &message),
                false,
            )
        }
        Err(error) => return internal(error),
    };
    let offset = (page_number - 1) * PER_PAGE;
    let (hits, total) = match search::search(&state.db, &query, Some(slug), offset, PER_PAGE).await
    {
        Ok(found) => found,
        Err(error) => return internal(error),
    };
    let category_titles: HashMap<i32, String> = sections
        .into_iter()
        .map(|s| (s.category.id, s.category.title))
        .collect();
    html_response(
        StatusCode::OK,
        results(&page, &query, &hits, &category_titles, total, page_number),
        false,
    )
}

fn refused(page: &entity::page::Model, typed: &str, message: &str) -> Markup {
    let body = two_thirds(html! {
        div class="govuk-error-summary" data-module="govuk-error-summary" {
            div role="alert" {
                h2 class="govuk-error-summary__title" { "There is a problem" }
                div class="govuk-error-summary__body" {
                    ul class="govuk-list govuk-error-summary__list" {
                        li { a href="#search-q" { (message) } }
                    }
                }
            }
        }
        h1 class="govuk-heading-l" { "Search " (page.title) }
        (search_form_with_error(&page.slug, typed, Some(message)))
        p class="govuk-body" {
            a class="govuk-link" href={ "/pages/" (page.slug) } { "Back to " (page.title) }
        }
    });
    layout(&format!("Error: Search {}", page.title), None, body, None)
}

fn results(
    page: &entity::page::Model,
    query: &SearchQuery,
    hits: &[SearchHit],
    category_titles: &HashMap<i32, String>,
    total: u64,
    page_number: u64,
) -> Markup {
    let pages = total.div_ceil(PER_PAGE).max(1);
    let link = |n: u64| {
        format!(
            "/pages/{}/search?q={}&page={n}",
            page.slug,
            url::form_urlencoded::byte_serialize(query.text().as_bytes()).collect::<String>()
        )
    };
    let body = two_thirds(html! {
        h1 class="govuk-heading-l" { "Search " (page.title) }
        (search_form(&page.slug, query.text()))
        p class="govuk-body" role="status" {
            @match total {
                0 => { "No answers match \u{2018}" (query.text()) "\u{2019}." }
                1 => { "1 answer matches \u{2018}" (query.text()) "\u{2019}." }
                n => { (n) " answers match \u{2018}" (query.text()) "\u{2019}." }
            }
        }
        @if total == 0 {
            p class="govuk-body" { "Check the spelling, or use fewer or different words." }
        }
        @if !hits.is_empty() {
            ol class="govuk-list" start=(hits[0].position) {
                @for hit in hits {
                    li {
                        h2 class="govuk-heading-s govuk-!-margin-bottom-1" {
                            a class="govuk-link" href={ "/pages/" (page.slug) "#" (hit.question.row.slug) } {
                                (hit.question.question())
                            }
                        }
                        @if let Some(category) = category_titles.get(&hit.question.row.category_id) {
                            p class="govuk-body-s govuk-!-margin-bottom-1 qanda-result-category" {
                                "Category: " (category)
                            }
                        }
                        p class="govuk-body" { (PreEscaped(&hit.snippet_html)) }
                    }
                }
            }
        }
        @if pages > 1 {
            nav class="govuk-pagination" aria-label="Results pages" {
                @if page_number > 1 {
                    div class="govuk-pagination__prev" {
                        a class="govuk-link govuk-pagination__link" href=(link(page_number - 1)) rel="prev" {
                            span class="govuk-pagination__link-title" { "Previous" }
                        }
                    }
                }
                p class="govuk-body govuk-!-margin-bottom-0" { "Page " (page_number) " of " (pages) }
                @if page_number < pages {
                    div class="govuk-pagination__next" {
                        a class="govuk-link govuk-pagination__link" href=(link(page_number + 1)) rel="next" {
                            span class="govuk-pagination__link-title" { "Next" }
                        }
                    }
                }
            }
        }
        p class="govuk-body" {
            a class="govuk-link" href={ "/pages/" (page.slug) } { "Back to " (page.title) }
        }
    });
    layout(
        &format!(
            "Search results for \u{2018}{}\u{2019}: {}",
            query.text(),
            page.title
        ),
        None,
        body,
        None,
    )
}

/// The same two-thirds column as the page the search belongs to.
fn two_thirds(content: Markup) -> Markup {
    html! {
        div class="govuk-grid-row" {
            div class="govuk-grid-column-two-thirds" { (content) }
        }
    }
}
