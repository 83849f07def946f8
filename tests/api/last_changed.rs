//! A page's `lastChangedAt`: when anything on it last changed, its
//! questions and categories included, for staff; batched for a list.

use chrono::{DateTime, Utc};
use qanda::domain::Role;
use serde_json::{json, Value};

use crate::helpers::{page_doc, question_doc, TestApp};

const SAMPLE: &str = "local-digital-qa";

fn time(value: &Value) -> DateTime<Utc> {
    value
        .as_str()
        .unwrap_or_else(|| panic!("a time, not {value}"))
        .parse()
        .expect("an RFC 3339 time")
}

#[tokio::test]
async fn editing_a_question_moves_its_page_last_changed_time() {
    let app = TestApp::spawn().await;
    let editor = app.signed_in(Role::Editor).await;
    let read = "query($s: String!) { page(slug: $s, includeDrafts: true) { updatedAt lastChangedAt categories { questions { id version } } } }";
    let page = editor.query(read, json!({ "s": SAMPLE })).await["page"].clone();
    let first_changed = time(&page["lastChangedAt"]);
    assert!(first_changed >= time(&page["updatedAt"]));
    let question = page["categories"][0]["questions"][0].clone();

    tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    let edited = editor
        .query(
            "mutation($id: ID!, $v: Int!) { updateQuestion(id: $id, version: $v, input: { answer: \"A new answer.\" }) { updatedAt } }",
            json!({ "id": question["id"], "v": question["version"] }),
        )
        .await;
    let page_after = editor.query(read, json!({ "s": SAMPLE })).await["page"].clone();
    assert_eq!(
        page_after["updatedAt"], page["updatedAt"],
        "the page's own row is untouched"
    );
    let changed = time(&page_after["lastChangedAt"]);
    assert!(changed > first_changed, "{changed} after {first_changed}");
    assert_eq!(changed, time(&edited["updateQuestion"]["updatedAt"]));

    let listed = editor
        .query(
            "{ pages(includeDrafts: true) { slug lastChangedAt } }",
            json!({}),
        )
        .await;
    assert_eq!(
        time(&listed["pages"][0]["lastChangedAt"]),
        changed,
        "{listed}"
    );

    // The public is not told when working copies change.
    let public = app.query("{ pages { lastChangedAt } }", json!({})).await;
    assert_eq!(public["pages"][0]["lastChangedAt"], Value::Null);
}

#[tokio::test]
async fn the_list_of_pages_loads_last_changed_times_in_one_statement() {
    let app = TestApp::builder()
        .without_sample()
        .configure(|args| args.no_response_cache = true)
        .spawn()
        .await;
    let editor = app.signed_in(Role::Editor).await;
    let page = |slug: &str| {
        page_doc(
            slug,
            "LIVE",
            json!([{ "slug": "c", "title": "C", "questions": [question_doc("q", "PUBLISHED")] }]),
        )
    };
    let list = "{ pages(includeDrafts: true) { slug updatedAt lastChangedAt } }";
    // The fewest of three tries: a loader gathers keys for a millisecond,
    // so on a busy machine a batch can be split in two.
    let count = |expected: usize| {
        let editor = &editor;
        let app = &app;
        async move {
            let mut fewest = u64::MAX;
            for _ in 0..3 {
                let before = app.statements.get();
                let data = editor.query(list, json!({})).await;
                let pages = data["pages"].as_array().unwrap();
                assert_eq!(pages.len(), expected);
                assert!(
                    pages.iter().all(|p| p["lastChangedAt"].is_string()),
                    "{data}"
                );
                fewest = fewest.min(app.statements.get() - before);
            }
            fewest
        }
    };
    app.import_json(json!([page("one")])).await;
    let one = count(1).await;
    app.import_json(json!([page("two"), page("three"), page("four")]))
        .await;
    let four = count(4).await;
    assert_eq!(one, four, "statement count must not grow with the pages");
}
