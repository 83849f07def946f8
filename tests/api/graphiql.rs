//! GraphiQL as the server delivers it: a page of the embedded admin UI build,
//! under a CSP that names no other origin, loading only what this server
//! serves. (browser_graphiql.rs runs it in a browser without internet.)

use crate::helpers::TestApp;

async fn graphiql_page(app: &TestApp) -> reqwest::Response {
    app.client
        .get(app.url("/graphql"))
        .header("accept", "text/html,application/xhtml+xml")
        .send()
        .await
        .unwrap()
}

/// Every source a CSP names is a keyword ('self', 'none') or a scheme that
/// stays on this machine (`data:` images): never another origin.
pub(crate) fn assert_no_other_origin(csp: &str) {
    for directive in csp.split(';') {
        let mut words = directive.split_whitespace();
        let Some(name) = words.next() else { continue };
        for source in words {
            assert!(
                source.starts_with('\'') || source == "data:",
                "{name} allows {source}: {csp}"
            );
        }
    }
    for directive in [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "font-src 'self'",
        "connect-src 'self'",
        "frame-ancestors 'none'",
    ] {
        assert!(csp.contains(directive), "the CSP lacks {directive}: {csp}");
    }
    assert!(
        !csp.contains("unsafe-inline") && !csp.contains("unsafe-eval"),
        "{csp}"
    );
}

/// The values of every `name="…"` attribute in `html`.
fn attributes<'a>(html: &'a str, name: &str) -> Vec<&'a str> {
    let needle = format!(" {name}=\"");
    html.split(needle.as_str())
        .skip(1)
        .map(|rest| &rest[..rest.find('"').unwrap()])
        .collect()
}

/// The addresses in a stylesheet's `url(…)`s.
fn css_urls(css: &str) -> Vec<&str> {
    css.split("url(")
        .skip(1)
        .map(|rest| rest[..rest.find(')').unwrap()].trim_matches(['"', '\'']))
        .collect()
}

#[tokio::test]
async fn graphiql_is_served_from_the_binary_under_a_strict_csp() {
    let app = TestApp::spawn().await;
    let response = graphiql_page(&app).await;
    assert_eq!(response.status(), 200);
    let headers = response.headers().clone();
    assert!(headers["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/html"));
    assert_no_other_origin(headers["content-security-policy"].to_str().unwrap());
    assert_eq!(headers["x-frame-options"], "DENY");
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert_eq!(headers["referrer-policy"], "no-referrer");
    assert_eq!(headers["cache-control"], "no-cache");
    assert_eq!(headers["vary"], "accept");
    let html = response.text().await.unwrap();
    assert!(html.contains("<title>qanda GraphiQL</title>"), "{html}");

    // No inline script, and every script, stylesheet and font is this server's.
    for piece in html.split("<script").skip(1) {
        let tag = &piece[..piece.find('>').unwrap()];
        assert!(tag.contains(" src=\"/admin/assets/"), "<script{tag}>");
        let body = &piece[piece.find('>').unwrap() + 1..];
        assert!(body.starts_with("</script>"), "a script with a body");
    }
    let mut urls: Vec<String> = attributes(&html, "src")
        .into_iter()
        .chain(attributes(&html, "href"))
        // The favicon: an empty data: URL, so the browser asks for none.
        .filter(|url| *url != "data:,")
        .map(str::to_owned)
        .collect();
    assert!(urls.iter().any(|url| url.ends_with(".js")), "{html}");
    assert!(urls.iter().any(|url| url.ends_with(".css")), "{html}");
    let mut fonts = 0;
    while let Some(url) = urls.pop() {
        assert!(url.starts_with("/admin/assets/"), "{url} is not ours");
        let asset = app.client.get(app.url(&url)).send().await.unwrap();
        assert_eq!(asset.status(), 200, "{url}");
        if url.ends_with(".css") {
            let css = asset.text().await.unwrap();
            for inner in css_urls(&css) {
                if inner.starts_with("data:image/") {
                    continue;
                }
                assert!(!inner.starts_with("data:"), "{url} inlines {inner:.40}");
                fonts += usize::from(inner.contains(".woff"));
                urls.push(inner.to_owned());
            }
        }
    }
    assert!(fonts > 0, "GraphiQL's stylesheet loads no font files");
}

#[tokio::test]
async fn graphiql_is_only_at_graphql_and_can_be_turned_off() {
    let app = TestApp::spawn().await;
    // The build's page is not a second way in under /admin: that is the admin UI.
    let html = app.get_text("/admin/graphiql.html").await;
    assert!(html.contains("<div id=\"app\">"), "{html}");
    assert!(!html.contains("GraphiQL"), "{html}");

    let app = TestApp::builder()
        .configure(|args| args.no_graphiql = true)
        .spawn()
        .await;
    let response = graphiql_page(&app).await;
    assert_eq!(response.status(), 400);
    assert!(!response.text().await.unwrap().contains("GraphiQL"));
}
