//! GraphiQL in a real browser on a machine without internet access: it must
//! load everything from this server and run a query against it.

use std::time::Duration;

use fantoccini::{Client, Locator};
use serde_json::json;

use crate::browser_support::{console_errors, find, offline, wait_for_text};
use crate::graphiql::assert_no_other_origin;
use crate::helpers::TestApp;

const SAMPLE_QUERY: &str = r#"{ page(slug: "local-digital-qa") { title categories { title questions { question answerHtml } } } }"#;

/// The text of the response pane (CodeMirror draws it as lines of spans).
async fn response_text(client: &Client) -> String {
    find(client, ".graphiql-response")
        .await
        .text()
        .await
        .unwrap_or_default()
}

#[tokio::test]
async fn graphiql_runs_a_query_with_no_other_host_reachable() {
    let app = TestApp::spawn().await;
    offline("graphiql_offline", |client| async move {
        client.goto(&app.url("/graphql")).await.unwrap();
        // GraphiQL has rendered its editor, not the page's "Loading" text.
        find(&client, ".graphiql-query-editor .CodeMirror").await;
        let editor = find(&client, ".graphiql-query-editor").await;
        let shown = editor.text().await.unwrap();
        assert!(shown.contains("local-digital-qa"), "default query: {shown}");

        // Set the query as a person would leave it, then press the run button.
        client
            .execute(
                "document.querySelector('.graphiql-query-editor .CodeMirror')\
                 .CodeMirror.setValue(arguments[0]);",
                vec![json!(SAMPLE_QUERY)],
            )
            .await
            .unwrap();
        find(&client, ".graphiql-execute-button")
            .await
            .click()
            .await
            .unwrap();
        let mut answer = String::new();
        for _ in 0..100 {
            answer = response_text(&client).await;
            if answer.contains("Local Digital Q&A") {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        assert!(answer.contains("Local Digital Q&A"), "response: {answer}");
        assert!(answer.contains("\"questions\""), "response: {answer}");
        assert!(!answer.contains("\"errors\""), "response: {answer}");

        // The policy the browser got with the page.
        let csp = client
            .execute_async(
                "const done = arguments[arguments.length - 1];\
                 fetch('/graphql', { headers: { accept: 'text/html' } })\
                 .then(r => done(r.headers.get('content-security-policy')));",
                vec![],
            )
            .await
            .unwrap();
        assert_no_other_origin(csp.as_str().expect("the page has a CSP"));

        // The schema came through introspection: the docs name the root type.
        find(&client, "[aria-label='Show Documentation Explorer']")
            .await
            .click()
            .await
            .unwrap();
        find(&client, ".graphiql-doc-explorer").await;
        wait_for_text(&client, "Root Types").await;

        // A dialog locks scrolling with the one inline stylesheet the CSP allows.
        find(&client, "[aria-label='Open settings dialog']")
            .await
            .click()
            .await
            .unwrap();
        find(&client, ".graphiql-dialog").await;
        wait_for_text(&client, "Persist headers").await;

        // Nothing refused by the CSP, nothing that failed to load or run.
        let errors = console_errors(&client).await;
        assert!(errors.is_empty(), "console errors: {errors:#?}");

        let title = client.title().await.unwrap();
        assert_eq!(title, "qanda GraphiQL");
        assert!(client
            .find_all(Locator::Css("script:not([src])"))
            .await
            .unwrap()
            .is_empty());
    })
    .await;
}
