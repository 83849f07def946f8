//! The GraphQL-over-HTTP rules: methods, media types, status codes, error codes.

use serde_json::{json, Value};

use crate::helpers::TestApp;

const PAGES: &str = "{ pages { title } }";

#[tokio::test]
async fn get_runs_queries_and_negotiates_the_response_type() {
    let app = TestApp::spawn().await;
    let response = app
        .client
        .get(app.url("/graphql"))
        .query(&[("query", PAGES)])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert!(response.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("application/json"));
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["data"]["pages"][0]["title"], "Local Digital Q&A");

    let response = app
        .client
        .get(app.url("/graphql"))
        .query(&[("query", PAGES)])
        .header(
            "accept",
            "application/graphql-response+json, application/json;q=0.9",
        )
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert!(response.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("application/graphql-response+json"));
}

#[tokio::test]
async fn get_with_variables_and_operation_name() {
    let app = TestApp::spawn().await;
    let response = app
        .client
        .get(app.url("/graphql"))
        .query(&[
            (
                "query",
                "query A { pages { slug } } query B($s: String!) { page(slug: $s) { title } }",
            ),
            ("operationName", "B"),
            ("variables", r#"{"s":"local-digital-qa"}"#),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["data"]["page"]["title"], "Local Digital Q&A");

    let response = app
        .client
        .get(app.url("/graphql"))
        .query(&[("query", PAGES), ("variables", "not json")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 400);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["errors"][0]["extensions"]["code"], "BAD_USER_INPUT");
}

#[tokio::test]
async fn mutations_over_get_are_refused_with_405() {
    let app = TestApp::spawn().await;
    for query in [
        "mutation { anything }",
        "query A { pages { slug } } mutation B { x }",
    ] {
        let response = app
            .client
            .get(app.url("/graphql"))
            .query(&[("query", query), ("operationName", "B")])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 405, "{query}");
        assert_eq!(response.headers()["allow"], "POST");
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["errors"][0]["extensions"]["code"], "BAD_USER_INPUT");
    }
}

#[tokio::test]
async fn malformed_requests_get_a_graphql_error_body_and_no_data() {
    let app = TestApp::spawn().await;
    // A body that is not a GraphQL request at all is 400 whatever the
    // client accepts; a document that does not parse or validate is 400 in
    // application/graphql-response+json and 200 in plain application/json
    // (the GraphQL-over-HTTP specification's rule for legacy clients).
    let cases: Vec<(&str, &str, u16)> = vec![
        ("{not json", "application/json", 400),
        (r#"{"variables": {}}"#, "application/json", 400),
        (r#"{"query": 42}"#, "application/json", 400),
        (r#"{"query": "{ pages { title "}"#, "application/json", 200),
        (r#"{"query": "{ noSuchField }"}"#, "application/json", 200),
        (
            r#"{"query": "query($n: Int!) { pages { title } }", "variables": {"n": "x"}}"#,
            "application/json",
            200,
        ),
    ];
    for (body, content_type, json_status) in cases {
        for accept in ["application/json", "application/graphql-response+json"] {
            let expected = if accept == "application/json" {
                json_status
            } else {
                400
            };
            let response = app
                .client
                .post(app.url("/graphql"))
                .header("content-type", content_type)
                .header("accept", accept)
                .body(body)
                .send()
                .await
                .unwrap();
            assert_eq!(response.status(), expected, "{body} ({accept})");
            let json: Value = response.json().await.unwrap();
            assert!(
                json.get("data").is_none(),
                "a request error has no data: {json}"
            );
            let error = &json["errors"][0];
            assert!(
                error["message"].as_str().is_some_and(|m| !m.is_empty()),
                "{json}"
            );
            assert_eq!(error["extensions"]["code"], "BAD_USER_INPUT", "{json}");
        }
    }
}

#[tokio::test]
async fn form_and_text_bodies_are_refused() {
    let app = TestApp::spawn().await;
    for content_type in [
        "application/x-www-form-urlencoded",
        "text/plain",
        "multipart/form-data",
    ] {
        let response = app
            .client
            .post(app.url("/graphql"))
            .header("content-type", content_type)
            .body(r#"{"query":"{ pages { title } }"}"#)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 415, "{content_type}");
    }
}

#[tokio::test]
async fn batches_run_each_operation() {
    let app = TestApp::spawn().await;
    let response = app
        .client
        .post(app.url("/graphql"))
        .json(&json!([{ "query": PAGES }, { "query": "{ page(slug: \"nope\") { title } }" }]))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body[0]["data"]["pages"][0]["title"], "Local Digital Q&A");
    assert!(body[1]["data"]["page"].is_null());

    let too_many: Vec<Value> = (0..11).map(|_| json!({ "query": PAGES })).collect();
    let response = app
        .client
        .post(app.url("/graphql"))
        .json(&too_many)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 400);
}

#[tokio::test]
async fn bad_arguments_are_bad_user_input_naming_the_field() {
    let app = TestApp::spawn().await;
    let (status, body) = app
        .post_graphql(r#"{ question(id: "abc") { id } }"#, json!({}))
        .await;
    assert_eq!(status, 200, "the query ran; the field failed: {body}");
    let error = &body["errors"][0];
    assert_eq!(error["extensions"]["code"], "BAD_USER_INPUT");
    assert_eq!(error["extensions"]["fields"][0]["field"], "id");
    assert_eq!(error["path"], json!(["question"]));
}

#[tokio::test]
async fn graphiql_and_the_sdl_are_served() {
    let app = TestApp::spawn().await;
    let response = app
        .client
        .get(app.url("/graphql"))
        .header("accept", "text/html,application/xhtml+xml")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert!(response
        .text()
        .await
        .unwrap()
        .to_lowercase()
        .contains("graphiql"));

    let sdl = app
        .client
        .get(app.url("/schema.graphql"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    for needle in [
        "type Page",
        "type Category",
        "type Question",
        "enum PageStatus",
        "answerHtml",
    ] {
        assert!(sdl.contains(needle), "SDL lacks {needle}");
    }
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_qanda"))
        .arg("schema")
        .output()
        .unwrap();
    assert!(output.status.success());
    assert_eq!(
        String::from_utf8(output.stdout).unwrap(),
        sdl,
        "`qanda schema` prints the served SDL"
    );
}

#[tokio::test]
async fn internal_errors_are_coded_and_reveal_nothing() {
    use sea_orm::ConnectionTrait;
    let app = TestApp::spawn().await;
    // Break the database under the running server.
    app.db
        .execute_unprepared("ALTER TABLE questions RENAME TO questions_gone")
        .await
        .unwrap();
    let (status, body) = app
        .post_graphql(
            r#"{ page(slug: "local-digital-qa") { categories { questions { id } } } }"#,
            json!({}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let error = &body["errors"][0];
    assert_eq!(error["extensions"]["code"], "INTERNAL", "{body}");
    let message = error["message"].as_str().unwrap().to_lowercase();
    for secret in ["questions", "sql", "table", "relation"] {
        assert!(
            !message.contains(secret),
            "the message leaks '{secret}': {message}"
        );
    }
}
