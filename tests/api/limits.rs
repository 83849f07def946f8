//! Query limits: each refused before it costs anything, with a 4xx status,
//! `extensions.code` BAD_USER_INPUT and `extensions.limit` naming the limit;
//! and a refused request changes nothing.

use serde_json::{json, Value};

use crate::helpers::{page_doc, question_doc, TestApp};
use qanda::domain::Role;

async fn post_raw(app: &TestApp, body: impl Into<reqwest::Body>) -> (u16, Value) {
    let response = app
        .client
        .post(app.url("/graphql"))
        .header("content-type", "application/json")
        .body(body)
        .send()
        .await
        .expect("the server answers");
    let status = response.status().as_u16();
    (status, response.json().await.expect("a JSON error body"))
}

fn assert_refused(status: u16, body: &Value, expected_status: u16, limit: Option<&str>) {
    assert_eq!(status, expected_status, "{body}");
    assert!(body.get("data").is_none(), "nothing ran: {body}");
    let error = &body["errors"][0];
    assert_eq!(error["extensions"]["code"], "BAD_USER_INPUT", "{body}");
    if let Some(limit) = limit {
        assert_eq!(error["extensions"]["limit"], limit, "{body}");
    }
    assert!(!error["message"].as_str().unwrap_or("").is_empty());
}

/// A query sent by GET; the status and the JSON body.
/// The id of the sample page's first question, for mutations that must be
/// refused and change nothing.
async fn first_sample_question(app: &TestApp) -> String {
    app.query(
        "{ page(slug: \"local-digital-qa\") { categories { questions { id } } } }",
        json!({}),
    )
    .await["page"]["categories"][0]["questions"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

async fn get_query(app: &TestApp, query: &str) -> (u16, Value) {
    let response = app
        .client
        .get(app.url("/graphql"))
        .query(&[("query", query)])
        .send()
        .await
        .expect("the server answers");
    let status = response.status().as_u16();
    (status, response.json().await.expect("a JSON error body"))
}

/// How many questions have the text `text` (to prove a refusal wrote nothing).
async fn questions_saying(app: &TestApp, text: &str) -> usize {
    use entity::question;
    use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
    question::Entity::find()
        .filter(question::Column::Answer.eq(text))
        .count(&app.db)
        .await
        .unwrap() as usize
}

#[tokio::test]
async fn a_query_nested_200_levels_deep_is_refused() {
    let app = TestApp::spawn().await;
    let mut query = String::from("{ pages ");
    for _ in 0..100 {
        query.push_str("{ categories { questions { category ");
    }
    query.push_str("{ slug }");
    for _ in 0..100 {
        query.push_str(" } } }");
    }
    query.push_str(" }");
    let (status, body) = post_raw(&app, json!({ "query": query }).to_string()).await;
    assert_refused(status, &body, 400, None);

    // Just over the configured depth (16) is refused too; at it, answered.
    let deep = |levels: usize| {
        let mut q = String::from("{ pages { categories ");
        for _ in 0..levels {
            q.push_str("{ questions { category ");
        }
        q.push_str("{ slug }");
        for _ in 0..levels {
            q.push_str(" } }");
        }
        q.push_str(" } }");
        q
    };
    let (status, body) = app.post_graphql(&deep(8), json!({})).await;
    assert_refused(status, &body, 400, None);
    assert!(
        body["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("nested too deep"),
        "{body}"
    );
    let (status, body) = app.post_graphql(&deep(6), json!({})).await;
    assert_eq!(status, 200, "{body}");
}

#[tokio::test]
async fn five_thousand_aliases_are_refused_and_a_hundred_are_not() {
    let app = TestApp::spawn().await;
    let aliased = |n: usize| {
        format!(
            "{{ {} }}",
            (0..n)
                .map(|i| format!("a{i}: pages {{ slug }}"))
                .collect::<Vec<_>>()
                .join(" ")
        )
    };
    let (status, body) = app.post_graphql(&aliased(5_000), json!({})).await;
    assert_refused(status, &body, 400, Some("aliases"));
    // Over GET as well.
    let (status, body) = get_query(&app, &aliased(101)).await;
    assert_refused(status, &body, 400, Some("aliases"));
    // Hidden in a fragment spread many times: counted where it is spread.
    let fragment = format!(
        "query {{ {} }} fragment F on Query {{ a: pages {{ slug }} b: pages {{ slug }} }}",
        "...F ".repeat(60)
    );
    let (status, body) = app.post_graphql(&fragment, json!({})).await;
    assert_refused(status, &body, 400, Some("aliases"));

    let data = app.query(&aliased(100), json!({})).await;
    assert_eq!(data["a99"][0]["slug"], "local-digital-qa");
}

/// Found by the fuzzer: fragments that each spread the next twice select
/// 2^40 fields from a few hundred bytes, and async-graphql's own checks
/// walked every spread (minutes of CPU for one anonymous request). Counted
/// once per fragment, it is refused at once as over the complexity limit;
/// the same shape a few levels deep, within the limit, still runs.
#[tokio::test]
async fn fragments_that_multiply_are_refused_before_they_are_walked() {
    let app = TestApp::spawn().await;
    let doubling = |levels: usize| {
        let mut text = String::from("query { ...F0 }");
        for level in 0..levels {
            let next = level + 1;
            text.push_str(&format!(
                " fragment F{level} on QueryRoot {{ ...F{next} ...F{next} }}"
            ));
        }
        text.push_str(&format!(
            " fragment F{levels} on QueryRoot {{ __typename }}"
        ));
        text
    };
    let started = std::time::Instant::now();
    let (status, body) = app.post_graphql(&doubling(40), json!({})).await;
    assert_refused(status, &body, 400, Some("complexity"));
    let (status, body) = get_query(&app, &doubling(40)).await;
    assert_refused(status, &body, 400, Some("complexity"));
    // Generous: it was minutes; refusing it takes milliseconds.
    assert!(started.elapsed() < std::time::Duration::from_secs(10));

    let data = app.query(&doubling(3), json!({})).await;
    assert_eq!(data["__typename"], "QueryRoot");
}

#[tokio::test]
async fn the_alias_limit_is_configurable() {
    let app = TestApp::builder()
        .configure(|args| args.max_query_aliases = 2)
        .spawn()
        .await;
    let (status, body) = app
        .post_graphql(
            "{ a: pages { slug } b: pages { slug } c: pages { slug } }",
            json!({}),
        )
        .await;
    assert_refused(status, &body, 400, Some("aliases"));
    app.query("{ a: pages { slug } b: pages { slug } }", json!({}))
        .await;
}

#[tokio::test]
async fn a_batch_of_a_thousand_mutations_is_refused_whole_and_changes_nothing() {
    let app = TestApp::spawn().await;
    let editor = app.signed_in(Role::Editor).await;
    let question_id = first_sample_question(&app).await;
    let batch: Vec<Value> = (0..1_000)
        .map(|i| {
            json!({
                "query": "mutation($id: ID!, $a: String!) { updateQuestion(id: $id, version: 1, input: { answer: $a }) { version } }",
                "variables": { "id": question_id, "a": format!("batched answer {i}") }
            })
        })
        .collect();
    let response = editor
        .client
        .post(app.url("/graphql"))
        .json(&batch)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    let body: Value = response.json().await.unwrap();
    assert_refused(status, &body, 400, Some("batch"));
    assert_eq!(questions_saying(&app, "batched answer 0").await, 0);

    // Ten (the default) are allowed.
    let ten: Vec<Value> = (0..10)
        .map(|_| json!({ "query": "{ pages { slug } }" }))
        .collect();
    let (status, body) = post_raw(&app, serde_json::to_string(&ten).unwrap()).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body.as_array().unwrap().len(), 10);
}

#[tokio::test]
async fn a_twenty_megabyte_body_is_refused_with_413() {
    let app = TestApp::spawn().await;
    let editor = app.signed_in(Role::Editor).await;
    let answer = "x".repeat(20 * 1024 * 1024);
    let body = json!({
        "query": "mutation($a: String!) { createQuestion(input: { categoryId: \"1\", question: \"Big?\", answer: $a }) { id } }",
        "variables": { "a": answer }
    })
    .to_string();
    let response = editor
        .client
        .post(app.url("/graphql"))
        .header("content-type", "application/json")
        .body(body)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    let body: Value = response.json().await.unwrap();
    assert_refused(status, &body, 413, Some("body"));
    assert_eq!(questions_saying(&app, &answer).await, 0);
    // The server still answers.
    app.query("{ pages { slug } }", json!({})).await;
}

#[tokio::test]
async fn a_query_that_runs_too_long_is_stopped() {
    let app = TestApp::builder()
        .without_sample()
        .configure(|args| {
            args.query_timeout_ms = 1;
            // Built every time, so the time is spent in the query itself.
            args.no_response_cache = true;
        })
        .spawn()
        .await;
    let categories: Vec<Value> = (0..20)
        .map(|c| {
            let questions: Vec<Value> = (0..30)
                .map(|q| question_doc(&format!("q-{c}-{q}"), "PUBLISHED"))
                .collect();
            json!({ "slug": format!("c-{c}"), "title": format!("Category {c}"), "questions": questions })
        })
        .collect();
    app.import_json(json!([page_doc("big", "LIVE", Value::Array(categories))]))
        .await;
    let everything = "{ pages { categories { questions { id slug question answer answerHtml category { slug questions { slug } } } } } }";
    let (status, body) = app.post_graphql(everything, json!({})).await;
    assert_refused(status, &body, 400, Some("timeout"));
    assert!(
        body["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("took longer than 1 ms"),
        "{body}"
    );
}

/// The GraphQL parser recurses once per level of nesting: a few kilobytes
/// of `[[[[…]]]]` once aborted the whole server. Such documents are refused
/// before they are parsed, over POST and GET, and the server stays up.
#[tokio::test]
async fn values_nested_thousands_deep_are_refused_before_parsing() {
    let app = TestApp::spawn().await;
    let nested = |n: usize| {
        format!(
            "{{ page(slug: {}\"x\"{}) {{ slug }} }}",
            "[".repeat(n),
            "]".repeat(n)
        )
    };
    for n in [129, 5_000] {
        let (status, body) = app.post_graphql(&nested(n), json!({})).await;
        assert_refused(status, &body, 400, Some("nesting"));
        let (status, body) = get_query(&app, &nested(n)).await;
        assert_refused(status, &body, 400, Some("nesting"));
    }
    // A mutation nested too deep is refused whole and changes nothing.
    let editor = app.signed_in(Role::Editor).await;
    let question_id = first_sample_question(&app).await;
    let mutation = format!(
        "mutation {{ updateQuestion(id: \"{question_id}\", version: 1, \
         input: {{ answer: \"nested answer\" }}) @include(if: {}true{}) {{ version }} }}",
        "[".repeat(200),
        "]".repeat(200)
    );
    let response = editor
        .client
        .post(app.url("/graphql"))
        .json(&json!({ "query": mutation }))
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    let body: Value = response.json().await.unwrap();
    assert_refused(status, &body, 400, Some("nesting"));
    assert_eq!(questions_saying(&app, "nested answer").await, 0);

    // Brackets inside strings and comments are not nesting.
    let quoted = format!(
        "{{ page(slug: \"{}\") {{ slug }} }} # {}",
        "[".repeat(5_000),
        "{".repeat(5_000)
    );
    let data = app.query(&quoted, json!({})).await;
    assert_eq!(data["page"], Value::Null, "{data}");
    // At the limit the document is parsed, and answered as any wrong
    // argument would be.
    let (status, body) = app.post_graphql(&nested(126), json!({})).await;
    assert_ne!(
        body["errors"][0]["extensions"]["limit"], "nesting",
        "{body}"
    );
    assert!(status < 500, "{body}");
    let data = app.query("{ pages { slug } }", json!({})).await;
    assert!(data["pages"].is_array(), "still serving: {data}");
}
