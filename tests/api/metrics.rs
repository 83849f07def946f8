//! GET /metrics: off without a token, refused without the right one, and
//! in Prometheus text format with the series operators need.

use serde_json::json;

use crate::helpers::TestApp;

const TOKEN: &str = "scrape-token-for-tests";

async fn scrape(app: &TestApp, token: Option<&str>) -> (u16, String) {
    let mut request = app.client.get(app.url("/metrics"));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let response = request.send().await.unwrap();
    (response.status().as_u16(), response.text().await.unwrap())
}

#[tokio::test]
async fn there_are_no_metrics_without_a_token() {
    let app = TestApp::spawn().await;
    assert_eq!(scrape(&app, None).await.0, 404);
    assert_eq!(scrape(&app, Some(TOKEN)).await.0, 404);
}

#[tokio::test]
async fn metrics_need_the_token_and_show_requests_errors_pool_and_cache() {
    let _turn = crate::helpers::METRICS.lock().await;
    let app = TestApp::builder()
        .configure(|args| args.metrics_token = Some(TOKEN.to_owned()))
        .spawn()
        .await;
    assert_eq!(scrape(&app, None).await.0, 401);
    assert_eq!(scrape(&app, Some("wrong")).await.0, 401);

    // Traffic to count: two reads of one page (a miss, then a hit), an
    // error, and a public page.
    for _ in 0..2 {
        app.query("{ page(slug: \"local-digital-qa\") { title } }", json!({}))
            .await;
    }
    // A request error, 400 to a client that accepts graphql-response+json.
    let status = app
        .client
        .post(app.url("/graphql"))
        .header("accept", "application/graphql-response+json")
        .json(&json!({ "query": "{ nope }" }))
        .send()
        .await
        .unwrap()
        .status();
    assert_eq!(status, 400);
    let page = app
        .client
        .get(app.url("/pages/local-digital-qa"))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);

    let (status, text) = scrape(&app, Some(TOKEN)).await;
    assert_eq!(status, 200, "{text}");
    let has = |needle: &str| {
        assert!(
            text.lines().any(|line| line.contains(needle)),
            "no line with {needle:?} in:\n{text}"
        )
    };
    has(r#"qanda_http_requests_total{route="/graphql",method="POST",status="200"}"#);
    has(r#"qanda_http_requests_total{route="/graphql",method="POST",status="400"}"#);
    has(r#"qanda_http_requests_total{route="/pages/{slug}",method="GET",status="200"}"#);
    has(r#"qanda_http_request_duration_seconds_bucket{route="/graphql",le="0.005"}"#);
    has(r#"qanda_graphql_errors_total{code="BAD_USER_INPUT"}"#);
    has(r#"qanda_db_pool_connections{state="idle"}"#);
    has(r#"qanda_db_pool_connections{state="in_use"}"#);
    has("qanda_db_pool_max_connections");
    has("qanda_response_cache_hits_total");
    has("qanda_response_cache_misses_total");
    // Routes are patterns, never raw paths.
    assert!(!text.contains("local-digital-qa"), "{text}");

    // The cache counters count: a new query read five times is one miss
    // and four hits (a scrape copies this server's own counts).
    let query = "{ page(slug: \"local-digital-qa\") { title intro } }";
    let before = scrape(&app, Some(TOKEN)).await.1;
    for _ in 0..5 {
        app.query(query, json!({})).await;
    }
    let after = scrape(&app, Some(TOKEN)).await.1;
    let grew = |series: &str| value(&after, series) - value(&before, series);
    assert_eq!(grew("qanda_response_cache_hits_total"), 4.0, "{after}");
    assert_eq!(grew("qanda_response_cache_misses_total"), 1.0, "{after}");
}

/// The value of an unlabelled series in Prometheus text (0 when absent).
fn value(text: &str, series: &str) -> f64 {
    text.lines()
        .find_map(|line| line.strip_prefix(series)?.strip_prefix(' '))
        .map_or(0.0, |v| v.trim().parse().expect("a number"))
}
