//! HTTP caching on GET: an `ETag` from the body, `304 Not Modified` for a
//! matching `If-None-Match`, and a `Cache-Control` policy that never lets a
//! shared cache keep what a signed-in person saw.

use axum::body::{Body, Bytes};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

/// Bodies larger than this are not buffered for an ETag (or the cache);
/// nothing qanda answers comes near it.
const MAX_BUFFERED_BODY: usize = 16 * 1024 * 1024;

/// Who may keep a response.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    /// The same for everyone: browsers and proxies may keep it.
    Public,
    /// Depends on who is signed in: only that person's browser may keep it.
    Private,
}

/// The `Cache-Control` values, settled once from configuration.
#[derive(Debug, Clone)]
pub struct CachePolicy {
    public: HeaderValue,
    private: HeaderValue,
}

impl CachePolicy {
    /// `max_age` 0 means "keep, but ask every time", answered cheaply with a
    /// 304 while nothing has changed.
    pub fn new(max_age: u32) -> CachePolicy {
        let public = if max_age == 0 {
            HeaderValue::from_static("public, no-cache")
        } else {
            HeaderValue::from_str(&format!("public, max-age={max_age}"))
                .expect("a number is a valid header value")
        };
        CachePolicy {
            public,
            private: HeaderValue::from_static("private, no-cache"),
        }
    }

    pub fn header(&self, audience: Audience) -> &HeaderValue {
        match audience {
            Audience::Public => &self.public,
            Audience::Private => &self.private,
        }
    }
}

/// A response held whole in memory, with its ETag, ready to send (or to
/// answer 304) any number of times.
#[derive(Debug)]
pub struct Prepared {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Bytes,
    pub etag: HeaderValue,
    /// False for an answer that must not be kept anywhere (a failure that
    /// may be passing): sent `no-store` whatever the policy says.
    pub keepable: bool,
}

impl Prepared {
    /// Buffers a response built by a handler. When its body cannot be read
    /// whole (over 16 MiB, or a stream that fails) the body is lost by then,
    /// so the error is logged and `Err` holds a bare 500 to send instead.
    pub async fn from_response(response: Response) -> Result<Prepared, Response> {
        let (parts, body) = response.into_parts();
        match axum::body::to_bytes(body, MAX_BUFFERED_BODY).await {
            Ok(body) => Ok(Prepared {
                status: parts.status,
                etag: etag_for(&body),
                headers: parts.headers,
                body,
                keepable: true,
            }),
            Err(error) => {
                tracing::error!(%error, "could not buffer a response body");
                Err(StatusCode::INTERNAL_SERVER_ERROR.into_response())
            }
        }
    }

    /// The response to send for a request with these headers: 304 when the
    /// client already holds this body, else the body itself.
    pub fn answer(&self, request: &HeaderMap, cache_control: &HeaderValue) -> Response {
        let cacheable = self.status == StatusCode::OK && self.keepable;
        if cacheable && client_has(request, &self.etag) {
            let mut response = StatusCode::NOT_MODIFIED.into_response();
            let headers = response.headers_mut();
            headers.insert(header::ETAG, self.etag.clone());
            headers.insert(header::CACHE_CONTROL, cache_control.clone());
            copy_vary(&self.headers, headers);
            return response;
        }
        let mut response = Response::new(Body::from(self.body.clone()));
        *response.status_mut() = self.status;
        *response.headers_mut() = self.headers.clone();
        let headers = response.headers_mut();
        if cacheable {
            headers.insert(header::ETAG, self.etag.clone());
        }
        // A handler that said how its answer may be kept (a preview's
        // `no-store`) is not overruled.
        if !self.keepable {
            headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        } else if !headers.contains_key(header::CACHE_CONTROL) {
            headers.insert(header::CACHE_CONTROL, cache_control.clone());
        }
        response
    }
}

fn copy_vary(from: &HeaderMap, to: &mut HeaderMap) {
    if let Some(vary) = from.get(header::VARY) {
        to.insert(header::VARY, vary.clone());
    }
}

/// A strong validator: the same bytes give the same tag on every replica.
pub fn etag_for(body: &[u8]) -> HeaderValue {
    let hash = xxhash_rust::xxh3::xxh3_128(body);
    HeaderValue::from_str(&format!("\"{hash:032x}\"")).expect("hex is a valid header value")
}

/// `If-None-Match` holds this tag, or `*` (weak comparison, RFC 9110 §13.1.2).
fn client_has(request: &HeaderMap, etag: &HeaderValue) -> bool {
    let wanted = strip_weak(etag.as_bytes());
    request
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .map(str::trim)
        .any(|tag| tag == "*" || strip_weak(tag.as_bytes()) == wanted)
}

fn strip_weak(tag: &[u8]) -> &[u8] {
    tag.strip_prefix(b"W/").unwrap_or(tag)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(if_none_match: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::IF_NONE_MATCH,
            HeaderValue::from_str(if_none_match).unwrap(),
        );
        headers
    }

    #[test]
    fn matching_tags_weak_or_in_a_list() {
        let etag = etag_for(b"hello");
        let tag = etag.to_str().unwrap().to_owned();
        assert!(client_has(&request(&tag), &etag));
        assert!(client_has(&request(&format!("W/{tag}")), &etag));
        assert!(client_has(&request(&format!("\"other\", {tag}")), &etag));
        assert!(client_has(&request("*"), &etag));
        assert!(!client_has(&request("\"other\""), &etag));
        assert!(!client_has(&HeaderMap::new(), &etag));
    }

    #[test]
    fn the_same_bytes_give_the_same_tag() {
        assert_eq!(etag_for(b"a"), etag_for(b"a"));
        assert_ne!(etag_for(b"a"), etag_for(b"b"));
    }

    #[test]
    fn cache_control_follows_max_age() {
        assert_eq!(
            CachePolicy::new(0).header(Audience::Public),
            "public, no-cache"
        );
        assert_eq!(
            CachePolicy::new(60).header(Audience::Public),
            "public, max-age=60"
        );
        assert_eq!(
            CachePolicy::new(60).header(Audience::Private),
            "private, no-cache"
        );
    }
}
