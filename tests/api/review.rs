//! Review before publishing: an editor sends a working copy for review, a
//! publisher sends it back with a comment or publishes it; the queue, each
//! person's work, the history and the audit log follow every step; and the
//! two-person rule, on and off.

use qanda::domain::Role;
use serde_json::{json, Value};

use crate::helpers::{Person, TestApp};

const SAMPLE: &str = "local-digital-qa";

const QUESTION: &str = "query($id: ID!) { question(id: $id) { id version status
    review { state message comment changedSinceSent sentBy { displayName } returnedBy { displayName } }
    revisions(first: 20) { nodes { action note author { displayName } } } } }";

const SUBMIT: &str = "mutation($id: ID!, $v: Int!, $m: String) {
    submitForReview(id: $id, version: $v, message: $m) { id review { state } } }";

const SEND_BACK: &str = "mutation($id: ID!, $v: Int!, $c: String!) {
    sendBack(id: $id, version: $v, comment: $c) { id review { state comment } } }";

const PUBLISH: &str =
    "mutation($id: ID!, $v: Int!) { publishQuestion(id: $id, version: $v) { id status } }";

const QUEUE: &str =
    "{ reviewCount reviewQueue { itemType message changedSinceSent sentBy { displayName }
    question { id question } page { slug } } }";

const MY_WORK: &str = "{ myWork { drafts { id question } sent { question { id } message }
    returned { question { id } comment returnedBy { displayName } } } }";

async fn first_question(person: &Person) -> Value {
    person
        .query(
            "query($s: String!) { page(slug: $s, includeDrafts: true) { id version
               categories { questions { id version } } } }",
            json!({ "s": SAMPLE }),
        )
        .await["page"]["categories"][0]["questions"][0]
        .clone()
}

async fn question(person: &Person, id: &Value) -> Value {
    person.query(QUESTION, json!({ "id": id })).await["question"].clone()
}

async fn edit(person: &Person, id: &Value, answer: &str) -> Value {
    let version = question(person, id).await["version"].clone();
    person
        .query(
            "mutation($id: ID!, $v: Int!, $a: String!) { updateQuestion(id: $id, version: $v,
               input: { answer: $a }) { version } }",
            json!({ "id": id, "v": version, "a": answer }),
        )
        .await["updateQuestion"]["version"]
        .clone()
}

#[tokio::test]
async fn an_answer_goes_to_review_comes_back_and_is_published() {
    let app = TestApp::spawn().await;
    let editor = app.signed_in(Role::Editor).await;
    let publisher = app.signed_in(Role::Publisher).await;
    let id = first_question(&editor).await["id"].clone();

    // Nothing to review until there is an unpublished change.
    let version = question(&editor, &id).await["version"].clone();
    editor
        .expect_error(SUBMIT, json!({ "id": id, "v": version }), "BAD_USER_INPUT")
        .await;

    let version = edit(&editor, &id, "An answer for review.").await;
    editor
        .expect_error(SUBMIT, json!({ "id": id, "v": 1 }), "CONFLICT")
        .await;
    let long = "x".repeat(1001);
    editor
        .expect_error(
            SUBMIT,
            json!({ "id": id, "v": version, "m": long }),
            "BAD_USER_INPUT",
        )
        .await;
    let sent = editor
        .query(
            SUBMIT,
            json!({ "id": id, "v": version, "m": "Please check the dates" }),
        )
        .await;
    assert_eq!(sent["submitForReview"]["review"]["state"], "IN_REVIEW");

    // Publishers see it waiting, with the message and who sent it; editors may not look.
    let queue = publisher.query(QUEUE, json!({})).await;
    assert_eq!(queue["reviewCount"], 1);
    let waiting = &queue["reviewQueue"][0];
    assert_eq!(waiting["itemType"], "QUESTION");
    assert_eq!(waiting["message"], "Please check the dates");
    assert_eq!(waiting["sentBy"]["displayName"], "Editor person");
    assert_eq!(waiting["question"]["id"], id);
    assert_eq!(waiting["page"]["slug"], SAMPLE);
    assert_eq!(waiting["changedSinceSent"], false);
    editor
        .expect_error("{ reviewQueue { id } }", json!({}), "FORBIDDEN")
        .await;
    assert_eq!(
        editor.query("{ reviewCount }", json!({})).await["reviewCount"],
        0
    );

    // Edited while in review: still in review, marked for the reviewer.
    let version = edit(&editor, &id, "An answer for review, corrected.").await;
    let queue = publisher.query(QUEUE, json!({})).await;
    assert_eq!(queue["reviewQueue"][0]["changedSinceSent"], true);

    // Sent back: the comment cannot be empty; editors cannot send back.
    publisher
        .expect_error(
            SEND_BACK,
            json!({ "id": id, "v": version, "c": "  " }),
            "BAD_USER_INPUT",
        )
        .await;
    editor
        .expect_error(
            SEND_BACK,
            json!({ "id": id, "v": version, "c": "No" }),
            "FORBIDDEN",
        )
        .await;
    let back = publisher
        .query(
            SEND_BACK,
            json!({ "id": id, "v": version, "c": "The date is wrong" }),
        )
        .await;
    assert_eq!(back["sendBack"]["review"]["state"], "SENT_BACK");
    publisher
        .expect_error(
            SEND_BACK,
            json!({ "id": id, "v": version, "c": "Again" }),
            "BAD_USER_INPUT",
        )
        .await;
    assert_eq!(publisher.query(QUEUE, json!({})).await["reviewCount"], 0);
    let work = editor.query(MY_WORK, json!({})).await["myWork"].clone();
    assert_eq!(work["returned"][0]["question"]["id"], id);
    assert_eq!(work["returned"][0]["comment"], "The date is wrong");
    assert_eq!(
        work["returned"][0]["returnedBy"]["displayName"],
        "Publisher person"
    );
    assert!(work["sent"].as_array().unwrap().is_empty());

    // Changed and sent again, then published: the review ends.
    let version = edit(&editor, &id, "An answer for review, with the right date.").await;
    editor
        .query(SUBMIT, json!({ "id": id, "v": version, "m": "Fixed" }))
        .await;
    let work = editor.query(MY_WORK, json!({})).await["myWork"].clone();
    assert_eq!(work["sent"][0]["message"], "Fixed");
    assert!(work["returned"].as_array().unwrap().is_empty());
    publisher
        .query(PUBLISH, json!({ "id": id, "v": version }))
        .await;
    let after = question(&editor, &id).await;
    assert!(after["review"].is_null(), "{after}");
    assert_eq!(publisher.query(QUEUE, json!({})).await["reviewCount"], 0);

    // Every step is in the history, with its note.
    let actions: Vec<(String, Value)> = after["revisions"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["action"].as_str().unwrap().to_owned(), r["note"].clone()))
        .collect();
    for (action, note) in [
        ("SENT_FOR_REVIEW", json!("Please check the dates")),
        ("SENT_BACK", json!("The date is wrong")),
        ("SENT_FOR_REVIEW", json!("Fixed")),
    ] {
        assert!(
            actions.contains(&(action.to_owned(), note.clone())),
            "{action} {note}: {actions:?}"
        );
    }
    assert_eq!(actions[0].0, "PUBLISHED");

    // And in the audit log.
    let admin = app.signed_in(Role::Admin).await;
    let log = admin
        .query(
            "{ auditEvents(first: 50) { edges { node { action } } } }",
            json!({}),
        )
        .await
        .to_string();
    for action in ["question.submit_for_review", "question.send_back"] {
        assert!(log.contains(action), "{action} in the audit log");
    }

    // Readers never see review state.
    let (_, body) = app
        .anonymous()
        .post_graphql(QUESTION, json!({ "id": id }))
        .await;
    assert!(
        body["data"]["question"].is_null() || body["data"]["question"]["review"].is_null(),
        "{body}"
    );
}

#[tokio::test]
async fn a_page_goes_to_review_and_is_published() {
    let app = TestApp::spawn().await;
    let editor = app.signed_in(Role::Editor).await;
    let publisher = app.signed_in(Role::Publisher).await;
    let page = editor
        .query(
            "query($s: String!) { page(slug: $s, includeDrafts: true) { id version } }",
            json!({ "s": SAMPLE }),
        )
        .await["page"]
        .clone();
    let submit = "mutation($id: ID!, $v: Int!) { submitPageForReview(id: $id, version: $v,
        message: \"New title\") { version review { state } } }";
    editor
        .expect_error(
            submit,
            json!({ "id": page["id"], "v": page["version"] }),
            "BAD_USER_INPUT",
        )
        .await;
    let changed = editor
        .query(
            "mutation($id: ID!, $v: Int!) { updatePage(id: $id, version: $v,
               input: { title: \"A reviewed page\" }) { version } }",
            json!({ "id": page["id"], "v": page["version"] }),
        )
        .await["updatePage"]["version"]
        .clone();
    let sent = editor
        .query(submit, json!({ "id": page["id"], "v": changed }))
        .await;
    assert_eq!(sent["submitPageForReview"]["review"]["state"], "IN_REVIEW");
    let queue = publisher.query(QUEUE, json!({})).await;
    assert_eq!(queue["reviewQueue"][0]["itemType"], "PAGE");
    assert!(queue["reviewQueue"][0]["question"].is_null());

    let back = "mutation($id: ID!, $v: Int!) { sendPageBack(id: $id, version: $v,
        comment: \"Shorter, please\") { review { state comment } } }";
    let returned = publisher
        .query(back, json!({ "id": page["id"], "v": changed }))
        .await;
    assert_eq!(
        returned["sendPageBack"]["review"]["comment"],
        "Shorter, please"
    );
    editor
        .query(submit, json!({ "id": page["id"], "v": changed }))
        .await;
    publisher
        .query(
            "mutation($id: ID!, $v: Int!) { publishPage(id: $id, version: $v) { id } }",
            json!({ "id": page["id"], "v": changed }),
        )
        .await;
    let after = editor
        .query(
            "query($s: String!) { page(slug: $s, includeDrafts: true) { review { state } } }",
            json!({ "s": SAMPLE }),
        )
        .await;
    assert!(after["page"]["review"].is_null(), "{after}");
}

async fn two_person_app(on: bool) -> TestApp {
    TestApp::builder()
        .configure(move |args| args.two_person_rule = on)
        .spawn()
        .await
}

#[tokio::test]
async fn with_the_two_person_rule_nobody_publishes_their_own_change() {
    let app = two_person_app(true).await;
    let admin = app.signed_in(Role::Admin).await;
    let publisher = app.signed_in(Role::Publisher).await;
    let id = first_question(&admin).await["id"].clone();
    let version = edit(&admin, &id, "The admin's own change.").await;

    let error = admin
        .expect_error(PUBLISH, json!({ "id": id, "v": version }), "FORBIDDEN")
        .await;
    assert!(
        error["message"]
            .as_str()
            .unwrap()
            .contains("two-person rule"),
        "{error}"
    );
    let schedule = "mutation($id: ID!, $v: Int!, $at: DateTime) {
        scheduleQuestion(id: $id, version: $v, publishAt: $at) { id } }";
    admin
        .expect_error(
            schedule,
            json!({ "id": id, "v": version, "at": "2030-01-01T00:00:00Z" }),
            "FORBIDDEN",
        )
        .await;
    let readers = app
        .anonymous()
        .query(
            "query($s: String!) { page(slug: $s) { categories { questions { answer } } } }",
            json!({ "s": SAMPLE }),
        )
        .await;
    assert!(!readers.to_string().contains("The admin's own change."));

    // Someone else may.
    publisher
        .query(PUBLISH, json!({ "id": id, "v": version }))
        .await;

    // The page's own changes and a selection follow the same rule.
    let page = publisher
        .query(
            "query($s: String!) { page(slug: $s, includeDrafts: true) { id version } }",
            json!({ "s": SAMPLE }),
        )
        .await["page"]
        .clone();
    let changed = publisher
        .query(
            "mutation($id: ID!, $v: Int!) { updatePage(id: $id, version: $v,
               input: { title: \"Own title\" }) { version } }",
            json!({ "id": page["id"], "v": page["version"] }),
        )
        .await["updatePage"]["version"]
        .clone();
    let publish_page = "mutation($id: ID!, $v: Int!) { publishPage(id: $id, version: $v) { id } }";
    publisher
        .expect_error(
            publish_page,
            json!({ "id": page["id"], "v": changed }),
            "FORBIDDEN",
        )
        .await;
    let listed = publisher
        .query(
            "query($s: String!) { page(slug: $s, includeDrafts: true) {
               unpublishedChanges { kind id version } } }",
            json!({ "s": SAMPLE }),
        )
        .await["page"]["unpublishedChanges"][0]
        .clone();
    publisher
        .expect_error(
            "mutation($input: PublishChangesInput!) { publishChanges(input: $input) { id } }",
            json!({ "input": { "pageId": page["id"], "items": [listed] } }),
            "FORBIDDEN",
        )
        .await;
    admin
        .query(publish_page, json!({ "id": page["id"], "v": changed }))
        .await;
}

#[tokio::test]
async fn without_the_two_person_rule_a_publisher_publishes_their_own_change() {
    let app = two_person_app(false).await;
    let publisher = app.signed_in(Role::Publisher).await;
    let id = first_question(&publisher).await["id"].clone();
    let version = edit(&publisher, &id, "My own change.").await;
    publisher
        .query(PUBLISH, json!({ "id": id, "v": version }))
        .await;
}
