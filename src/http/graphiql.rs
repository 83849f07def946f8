//! GraphiQL for `GET /graphql` in a browser. The page is part of the admin
//! UI's Vite build (admin-ui/graphiql.html), so React, GraphiQL and their
//! styles and fonts come from this binary under /admin/assets/: it works
//! without internet access and runs no other site's scripts.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

/// The page in the admin UI's build; /admin does not serve it, so GraphiQL
/// is only where `--no-graphiql` can turn it off.
pub(super) const PAGE: &str = "graphiql.html";

/// The admin UI's policy (`super::admin::CONTENT_SECURITY_POLICY`) and one
/// stylesheet more. GraphiQL sets its inline styles through the DOM, which
/// `style-src` does not govern, and the build writes its fonts out as files
/// instead of data: URLs; but its dialogs and menus (Radix, through
/// react-remove-scroll-bar) lock the page's scrolling with a `<style>`
/// element. On this page, which has no margins and no scroll bar, its text
/// is always the same, so its hash allows exactly that text and no other
/// inline style. A new version of that package may change the text: then the
/// browser test fails, and Chromium's console message gives the new hash.
const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; \
     style-src 'self' 'sha256-nzTgYzXYDNe6BAHiiI7NNlfK8n/auuOAhh2t92YvuXo='; \
     img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; \
     frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

pub fn page() -> Response {
    let Some(page) = super::admin::Assets::get(PAGE) else {
        return (
            StatusCode::INTERNAL_SERVER_ERROR,
            "GraphiQL was not built into this binary.",
        )
            .into_response();
    };
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/html; charset=utf-8"),
            ),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-cache")),
            (
                header::CONTENT_SECURITY_POLICY,
                HeaderValue::from_static(CONTENT_SECURITY_POLICY),
            ),
            // The same URL answers API clients with JSON.
            (header::VARY, HeaderValue::from_static("accept")),
        ],
        page.data,
    )
        .into_response()
}
