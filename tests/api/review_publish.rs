//! Review and publish: `Page.unpublishedChanges` lists every unpublished
//! change on a page, item by item, and `publishChanges` publishes a chosen
//! set in one transaction, all or none.

use entity::webhook_delivery;
use qanda::domain::Role;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::{json, Value};

use crate::helpers::{Person, TestApp};

const SAMPLE: &str = "local-digital-qa";

const READER: &str = "query($slug: String!) { page(slug: $slug) {
    title intro lastUpdatedAt changeNotes(first: 5) { edges { node { note } } }
    categories { title slug questions { slug question answer } } } }";

const STAFF: &str = "query($slug: String!) { page(slug: $slug, includeDrafts: true) {
    id version
    categories { id version title questions { id version question position } }
    unpublishedChanges { kind id version title summary
      fields { label diff { kind text } } changedBy { displayName } changedAt }
  } }";

const PUBLISH: &str = "mutation($input: PublishChangesInput!) {
    publishChanges(input: $input) { id hasUnpublishedChanges title } }";

async fn staff(person: &Person) -> Value {
    person.query(STAFF, json!({ "slug": SAMPLE })).await["page"].clone()
}

async fn reader(app: &TestApp) -> Value {
    app.anonymous()
        .query(READER, json!({ "slug": SAMPLE }))
        .await["page"]
        .clone()
}

fn changes(page: &Value) -> &Vec<Value> {
    page["unpublishedChanges"].as_array().expect("a list")
}

/// The listed change of `kind` (and `id`, when given).
fn listed<'a>(page: &'a Value, kind: &str, id: Option<&Value>) -> &'a Value {
    changes(page)
        .iter()
        .find(|c| c["kind"] == kind && id.is_none_or(|id| &c["id"] == id))
        .unwrap_or_else(|| panic!("no {kind} change listed: {page}"))
}

/// `item` as the mutation takes it.
fn chosen(item: &Value) -> Value {
    json!({ "kind": item["kind"], "id": item["id"], "version": item["version"] })
}

async fn deliveries(app: &TestApp, event: &str) -> Vec<Value> {
    webhook_delivery::Entity::find()
        .filter(webhook_delivery::Column::Event.eq(event))
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .map(|d| serde_json::from_str(&d.payload).unwrap())
        .collect()
}

async fn app_with_webhook() -> TestApp {
    let app = TestApp::builder()
        .configure(|args| args.webhooks.webhook_allow_private = true)
        .spawn()
        .await;
    let admin = app.signed_in(Role::Admin).await;
    admin
        .query(
            "mutation($input: CreateWebhookInput!) { createWebhook(input: $input) { secret } }",
            json!({ "input": { "url": "http://127.0.0.1:9/hook",
                               "events": ["QUESTION_PUBLISHED", "PAGE_PUBLISHED"] } }),
        )
        .await;
    app
}

/// An editor changes the page's text, renames a category, moves a
/// question, edits a published answer and writes a new question.
async fn editor_makes_changes(editor: &Person) -> Value {
    let page = staff(editor).await;
    editor
        .query(
            "mutation($id: ID!, $v: Int!) { updatePage(id: $id, version: $v,
               input: { title: \"Reviewed title\" }) { id } }",
            json!({ "id": page["id"], "v": page["version"] }),
        )
        .await;
    let first = &page["categories"][0];
    editor
        .query(
            "mutation($id: ID!, $v: Int!) { updateCategory(id: $id, version: $v,
               input: { title: \"Renamed in review\" }) { id } }",
            json!({ "id": first["id"], "v": first["version"] }),
        )
        .await;
    let second = &page["categories"][1];
    let moved = &second["questions"][1];
    editor
        .query(
            "mutation($id: ID!, $v: Int!, $c: ID!) { moveQuestion(id: $id, version: $v,
               categoryId: $c, position: 1) { id } }",
            json!({ "id": moved["id"], "v": moved["version"], "c": second["id"] }),
        )
        .await;
    let edited = &first["questions"][0];
    editor
        .query(
            "mutation($id: ID!, $v: Int!) { updateQuestion(id: $id, version: $v,
               input: { answer: \"A reviewed answer.\" }) { id } }",
            json!({ "id": edited["id"], "v": edited["version"] }),
        )
        .await;
    editor
        .query(
            "mutation($c: ID!) { createQuestion(input: { categoryId: $c,
               question: \"A new question in review?\", answer: \"Its answer.\" }) { id } }",
            json!({ "c": first["id"] }),
        )
        .await;
    staff(editor).await
}

#[tokio::test]
async fn every_unpublished_change_is_listed_with_its_diff_and_who_made_it() {
    let app = TestApp::spawn().await;
    let editor = app.signed_in(Role::Editor).await;
    assert!(
        changes(&staff(&editor).await).is_empty(),
        "the sample starts published"
    );
    let page = editor_makes_changes(&editor).await;
    let kinds: Vec<&str> = changes(&page)
        .iter()
        .map(|c| c["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        ["PAGE_TEXT", "CATEGORY", "ORDER", "QUESTION", "QUESTION"],
        "{page}"
    );
    for change in changes(&page) {
        assert_eq!(
            change["changedBy"]["displayName"], "Editor person",
            "{change}"
        );
    }
    let text = listed(&page, "PAGE_TEXT", None);
    assert_eq!(text["fields"][0]["label"], "Title");
    let diff = &text["fields"][0]["diff"];
    assert!(diff
        .as_array()
        .unwrap()
        .iter()
        .any(|s| s["kind"] == "ADDED" && s["text"].as_str().unwrap().contains("Reviewed")));
    let category = listed(&page, "CATEGORY", None);
    assert_eq!(category["title"], "Renamed in review");
    let order = listed(&page, "ORDER", None);
    assert_eq!(
        order["fields"].as_array().unwrap().len(),
        2,
        "the moved question and its neighbour: {order}"
    );
    let new = changes(&page)
        .iter()
        .find(|c| c["title"] == "A new question in review?")
        .unwrap();
    assert!(new["summary"]
        .as_str()
        .unwrap()
        .starts_with("Not published yet"));

    // Readers are not told of pending changes.
    let (_, body) = app
        .anonymous()
        .post_graphql(
            "query($slug: String!) { page(slug: $slug) { unpublishedChanges { id } } }",
            json!({ "slug": SAMPLE }),
        )
        .await;
    assert!(body["errors"].is_array(), "{body}");
}

#[tokio::test]
async fn publishing_a_selection_shows_readers_those_changes_and_no_others() {
    let app = app_with_webhook().await;
    let editor = app.signed_in(Role::Editor).await;
    let publisher = app.signed_in(Role::Publisher).await;
    let page = editor_makes_changes(&editor).await;
    let before = reader(&app).await;
    let text = listed(&page, "PAGE_TEXT", None);
    let answer = changes(&page)
        .iter()
        .find(|c| c["kind"] == "QUESTION" && c["summary"] == "Readers will see the new text")
        .unwrap();
    let input = json!({ "pageId": page["id"], "changeNote": "Reviewed the title and an answer",
                        "items": [chosen(text), chosen(answer)] });

    // Editors may look, not publish.
    editor
        .expect_error(PUBLISH, json!({ "input": input }), "FORBIDDEN")
        .await;
    assert_eq!(reader(&app).await, before);

    publisher.query(PUBLISH, json!({ "input": input })).await;
    let after = reader(&app).await;
    assert_eq!(after["title"], "Reviewed title");
    let answers: Vec<&Value> = after["categories"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|c| c["questions"].as_array().unwrap())
        .map(|q| &q["answer"])
        .collect();
    assert!(answers.contains(&&json!("A reviewed answer.")), "{after}");
    // What was not chosen stays as readers saw it.
    assert_eq!(
        after["categories"][0]["title"],
        before["categories"][0]["title"]
    );
    assert_eq!(after["categories"][1], before["categories"][1], "the order");
    assert!(!after.to_string().contains("A new question in review?"));
    assert_eq!(
        after["changeNotes"]["edges"][0]["node"]["note"],
        "Reviewed the title and an answer"
    );

    let left = staff(&editor).await;
    let remaining: Vec<&str> = changes(&left)
        .iter()
        .map(|c| c["kind"].as_str().unwrap())
        .collect();
    assert_eq!(remaining, ["CATEGORY", "ORDER", "QUESTION"]);

    // One page.published for the set, naming what it held; the question's own event too.
    let announced = deliveries(&app, "page.published").await;
    assert_eq!(announced.len(), 1, "{announced:?}");
    let data = &announced[0]["data"];
    assert_eq!(data["title"], "Reviewed title");
    assert_eq!(
        data["changes"],
        json!([{ "kind": "PAGE_TEXT", "id": page["id"] }, { "kind": "QUESTION", "id": answer["id"] }])
    );
    assert_eq!(deliveries(&app, "question.published").await.len(), 1);

    // The rest, in one go: the page then has nothing left to publish.
    let rest = staff(&editor).await;
    let items: Vec<Value> = changes(&rest).iter().map(chosen).collect();
    let done = publisher
        .query(
            PUBLISH,
            json!({ "input": { "pageId": rest["id"], "items": items } }),
        )
        .await;
    assert_eq!(done["publishChanges"]["hasUnpublishedChanges"], false);
    assert!(changes(&staff(&editor).await).is_empty());
    let readers_now = reader(&app).await;
    assert_eq!(readers_now["categories"][0]["title"], "Renamed in review");
    assert!(readers_now
        .to_string()
        .contains("A new question in review?"));
}

#[tokio::test]
async fn nothing_is_published_when_an_item_changed_after_it_was_listed() {
    let app = app_with_webhook().await;
    let editor = app.signed_in(Role::Editor).await;
    let publisher = app.signed_in(Role::Publisher).await;
    let page = editor_makes_changes(&editor).await;
    let before = reader(&app).await;
    let text = listed(&page, "PAGE_TEXT", None).clone();
    let answer = changes(&page)
        .iter()
        .find(|c| c["kind"] == "QUESTION" && c["summary"] == "Readers will see the new text")
        .unwrap()
        .clone();

    // The editor saves the answer again after the publisher opened the screen.
    let question = editor
        .query(
            "query($id: ID!) { question(id: $id) { version } }",
            json!({ "id": answer["id"] }),
        )
        .await;
    editor
        .query(
            "mutation($id: ID!, $v: Int!) { updateQuestion(id: $id, version: $v,
               input: { answer: \"Changed again.\" }) { id } }",
            json!({ "id": answer["id"], "v": question["question"]["version"] }),
        )
        .await;
    let input = json!({ "pageId": page["id"], "items": [chosen(&text), chosen(&answer)] });
    let error = publisher
        .expect_error(PUBLISH, json!({ "input": input }), "CONFLICT")
        .await;
    let extensions = &error["extensions"];
    assert_eq!(extensions["itemKind"], "QUESTION");
    assert_eq!(extensions["itemId"], answer["id"]);
    assert_eq!(extensions["changedBy"], "Editor person");
    let message = error["message"].as_str().unwrap();
    assert!(message.contains("Editor person"), "{message}");
    assert!(message.contains("Nothing was published"), "{message}");
    // All or none: not even the page's text, which had not changed.
    assert_eq!(reader(&app).await, before);
    assert!(deliveries(&app, "page.published").await.is_empty());

    // Someone else moves a question: the order listed before is stale too.
    let now = staff(&editor).await;
    let order = listed(&now, "ORDER", None).clone();
    let mover = &now["categories"][0]["questions"][0];
    editor
        .query(
            "mutation($id: ID!, $v: Int!, $c: ID!) { moveQuestion(id: $id, version: $v,
               categoryId: $c, position: 1) { id } }",
            json!({ "id": mover["id"], "v": mover["version"], "c": now["categories"][2]["id"] }),
        )
        .await;
    let input = json!({ "pageId": page["id"], "items": [chosen(&order)] });
    let error = publisher
        .expect_error(PUBLISH, json!({ "input": input }), "CONFLICT")
        .await;
    assert_eq!(error["extensions"]["itemKind"], "ORDER");
    assert_eq!(reader(&app).await, before);
}

#[tokio::test]
async fn a_bad_selection_is_refused_and_changes_nothing() {
    let app = app_with_webhook().await;
    let editor = app.signed_in(Role::Editor).await;
    let publisher = app.signed_in(Role::Publisher).await;
    let page = editor_makes_changes(&editor).await;
    let before = reader(&app).await;
    let text = chosen(listed(&page, "PAGE_TEXT", None));
    let cases = [
        (json!({ "pageId": page["id"], "items": [] }), "items"),
        (
            json!({ "pageId": page["id"], "items": [text, text] }),
            "items",
        ),
        (
            json!({ "pageId": page["id"], "items": [text], "changeNote": "x".repeat(301) }),
            "changeNote",
        ),
        (
            json!({ "pageId": page["id"], "items": [{ "kind": "QUESTION", "id": "999999", "version": 1 }] }),
            "items",
        ),
        (
            json!({ "pageId": page["id"], "items": [{ "kind": "ORDER", "id": "999999", "version": 1 }] }),
            "items",
        ),
    ];
    for (input, field) in cases {
        let error = publisher
            .expect_error(PUBLISH, json!({ "input": input }), "BAD_USER_INPUT")
            .await;
        assert_eq!(
            error["extensions"]["fields"][0]["field"], field,
            "{input}: {error}"
        );
    }
    let missing = json!({ "pageId": "999999", "items": [text] });
    publisher
        .expect_error(PUBLISH, json!({ "input": missing }), "NOT_FOUND")
        .await;
    assert_eq!(reader(&app).await, before);
    let count = webhook_delivery::Entity::find()
        .count(&app.db)
        .await
        .unwrap();
    assert_eq!(count, 0);
}
