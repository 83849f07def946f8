//! The admin UI: a single-page app built by Vite, embedded in the binary at
//! build time and served under /admin. Hashed assets are cached for a year;
//! every other path under /admin is the app's index.html, so client-side
//! routes survive a reload.

use axum::body::Body;
use axum::extract::Path;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use rust_embed::RustEmbed;

/// Also holds GraphiQL's page and assets (`super::graphiql`).
#[derive(RustEmbed)]
#[folder = "admin-ui/dist/"]
pub(super) struct Assets;

/// No inline script or style, no eval, nothing from other origins, no framing.
pub const CONTENT_SECURITY_POLICY: &str =
    "default-src 'self'; script-src 'self'; style-src 'self'; \
     img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; \
     frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

fn file(path: &str, cache: &'static str) -> Option<Response> {
    let asset = Assets::get(path)?;
    let mime = asset.metadata.mimetype();
    let mut response = Body::from(asset.data.into_owned()).into_response();
    let headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(mime) {
        headers.insert(header::CONTENT_TYPE, value);
    }
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CONTENT_SECURITY_POLICY),
    );
    Some(response)
}

fn index() -> Response {
    file("index.html", "no-cache").unwrap_or_else(|| {
        (
            StatusCode::INTERNAL_SERVER_ERROR,
            "The admin UI was not built into this binary.",
        )
            .into_response()
    })
}

pub async fn root() -> Response {
    index()
}

pub async fn path(Path(path): Path<String>) -> Response {
    if path.starts_with("assets/") {
        // Vite puts a content hash in every asset name: safe to keep forever.
        return file(&path, "public, max-age=31536000, immutable")
            .unwrap_or_else(|| (StatusCode::NOT_FOUND, "No such asset.").into_response());
    }
    match file(&path, "no-cache") {
        Some(response) if path != "index.html" && path != super::graphiql::PAGE => response,
        _ => index(),
    }
}

/// The GOV.UK Frontend stylesheet the admin UI build produced (its name
/// carries a content hash), for the public pages to share.
pub fn stylesheet_href() -> Option<&'static str> {
    static HREF: std::sync::LazyLock<Option<String>> = std::sync::LazyLock::new(|| {
        let index = Assets::get("index.html")?;
        let html = std::str::from_utf8(&index.data).ok()?.to_owned();
        let link = &html[html.find("rel=\"stylesheet\"")?..];
        let href = &link[link.find("href=\"")? + 6..];
        let href = &href[..href.find('"')?];
        href.starts_with("/admin/assets/").then(|| href.to_owned())
    });
    HREF.as_deref()
}
