//! The admin UI as the server delivers it: embedded, strict headers,
//! cacheable hashed assets, client-side routes falling back to index.html.

use crate::helpers::TestApp;

#[tokio::test]
async fn admin_routes_serve_the_app_with_strict_headers() {
    let app = TestApp::spawn().await;
    for path in [
        "/admin",
        "/admin/",
        "/admin/pages/local-digital-qa",
        "/admin/questions/4/history",
    ] {
        let response = app.client.get(app.url(path)).send().await.unwrap();
        assert_eq!(response.status(), 200, "{path}");
        let headers = response.headers().clone();
        assert!(
            headers["content-type"]
                .to_str()
                .unwrap()
                .starts_with("text/html"),
            "{path}"
        );
        let csp = headers["content-security-policy"].to_str().unwrap();
        for directive in [
            "default-src 'self'",
            "script-src 'self'",
            "frame-ancestors 'none'",
            "object-src 'none'",
        ] {
            assert!(
                csp.contains(directive),
                "{path}: CSP lacks {directive}: {csp}"
            );
        }
        assert!(
            !csp.contains("unsafe-inline") && !csp.contains("unsafe-eval"),
            "{csp}"
        );
        assert_eq!(headers["x-frame-options"], "DENY");
        assert_eq!(headers["x-content-type-options"], "nosniff");
        assert_eq!(headers["referrer-policy"], "no-referrer");
        assert_eq!(headers["cache-control"], "no-cache");
        let html = response.text().await.unwrap();
        assert!(html.contains("<div id=\"app\">"), "{path}");
    }
}

#[tokio::test]
async fn the_index_loads_only_hashed_assets_and_no_inline_script() {
    let app = TestApp::spawn().await;
    let html = app
        .client
        .get(app.url("/admin/"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let mut assets = Vec::new();
    for piece in html.split("<script").skip(1) {
        let tag = &piece[..piece.find('>').unwrap()];
        assert!(
            tag.contains("src=\"/admin/assets/"),
            "an inline or foreign script: <script{tag}>"
        );
        let after = &piece[piece.find('>').unwrap() + 1..];
        assert!(
            after.trim_start().starts_with("</script>"),
            "a script with a body"
        );
        let src = tag
            .split("src=\"")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap();
        assets.push(src.to_owned());
    }
    assert!(!html.contains("style=\""), "no inline style attributes");
    assert!(!assets.is_empty(), "the app's script is referenced");
    for asset in assets {
        let response = app.client.get(app.url(&asset)).send().await.unwrap();
        assert_eq!(response.status(), 200, "{asset}");
        assert_eq!(
            response.headers()["cache-control"],
            "public, max-age=31536000, immutable"
        );
        assert!(response.headers()["content-type"]
            .to_str()
            .unwrap()
            .contains("javascript"));
    }
    let missing = app
        .client
        .get(app.url("/admin/assets/nope-123.js"))
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status(), 404);
}

#[test]
fn the_committed_sdl_is_current() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("admin-ui/schema.graphql");
    let committed = std::fs::read_to_string(&path).expect("admin-ui/schema.graphql is committed");
    assert!(
        committed == qanda::graphql::sdl(),
        "admin-ui/schema.graphql is stale: run `cargo run -- schema > admin-ui/schema.graphql`, then `npm run codegen` in admin-ui"
    );
}
