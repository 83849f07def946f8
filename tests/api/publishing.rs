//! Nothing readers see changes until a publisher publishes it. Every
//! mutation an editor may make changes a working copy only: the anonymous
//! GraphQL page tree, the HTML page, its search and the webhook deliveries
//! queued are the same, byte for byte, before and after. `publishPage` then
//! shows readers the page's text, its categories' titles, addresses and
//! order, and where its questions stand.

use entity::webhook_delivery;
use qanda::domain::Role;
use sea_orm::{EntityTrait, PaginatorTrait};
use serde_json::{json, Value};

use crate::helpers::{Person, TestApp};

const SAMPLE: &str = "local-digital-qa";

/// Everything an anonymous reader can get of the sample page over GraphQL.
const READER_TREE: &str = "query($slug: String!) {
  pages { slug title }
  page(slug: $slug) {
    slug title intro introHtml footer footerHtml status
    categories {
      slug title position
      questions { slug question answer answerHtml position status category { slug title } }
    }
  }
  search(query: \"roadshows\", first: 20) { totalCount edges { node { question { slug } } } }
}";

/// Words whose search results readers see, on the HTML search page.
const WORDS: [&str; 4] = ["roadshows", "declaration", "standards", "funding"];

/// What an anonymous reader gets, and the deliveries queued for webhooks.
struct ReaderView {
    tree: Value,
    html: String,
    searches: Vec<String>,
    deliveries: u64,
}

async fn reader_view(app: &TestApp) -> ReaderView {
    let anonymous = app.anonymous();
    let tree = anonymous
        .query(READER_TREE, json!({ "slug": SAMPLE }))
        .await;
    let html = app.get_text(&format!("/pages/{SAMPLE}")).await;
    let mut searches = Vec::new();
    for word in WORDS {
        searches.push(
            app.get_text(&format!("/pages/{SAMPLE}/search?q={word}"))
                .await,
        );
    }
    let deliveries = webhook_delivery::Entity::find()
        .count(&app.db)
        .await
        .unwrap();
    ReaderView {
        tree,
        html,
        searches,
        deliveries,
    }
}

/// The sample page as staff see it, with ids and versions.
async fn staff_tree(staff: &Person) -> Value {
    staff
        .query(
            "query($slug: String!) { page(slug: $slug, includeDrafts: true) {
               id version hasUnpublishedChanges title
               categories { id slug title version position hasUnpublishedChanges
                 questions { id slug version position status
                   revisions(first: 10) { nodes { id version } } } }
             } }",
            json!({ "slug": SAMPLE }),
        )
        .await["page"]
        .clone()
}

fn at(tree: &Value, category: usize, question: usize) -> &Value {
    &tree["categories"][category]["questions"][question]
}

/// The first category (in the staff's order) holding at least `n` questions.
fn holding(tree: &Value, n: usize) -> usize {
    tree["categories"]
        .as_array()
        .unwrap()
        .iter()
        .position(|c| c["questions"].as_array().unwrap().len() >= n)
        .expect("a category that holds enough questions")
}

fn text(value: &Value) -> String {
    value.as_str().expect("a string").to_owned()
}

fn int(value: &Value) -> i64 {
    value.as_i64().expect("a number")
}

/// A server with the sample page and a webhook told of every event, which
/// would queue a delivery for anything an editor's change announced.
async fn app_with_webhook() -> TestApp {
    let app = TestApp::builder()
        .configure(|args| args.webhooks.webhook_allow_private = true)
        .spawn()
        .await;
    let admin = app.signed_in(Role::Admin).await;
    let events: Vec<&str> = vec![
        "QUESTION_PUBLISHED",
        "QUESTION_UNPUBLISHED",
        "QUESTION_ARCHIVED",
        "PAGE_RETIRED",
        "PAGE_PUBLISHED",
    ];
    admin
        .query(
            "mutation($input: CreateWebhookInput!) { createWebhook(input: $input) { secret } }",
            json!({ "input": { "url": "http://127.0.0.1:9/hook", "events": events } }),
        )
        .await;
    app
}

/// One editor's change: what it is, and the request that makes it, built
/// from the page as staff see it just before.
struct EditorChange {
    what: &'static str,
    request: fn(&Value) -> (&'static str, Value),
}

fn editor_changes() -> Vec<EditorChange> {
    vec![
        EditorChange {
            what: "updatePage: title, intro and footer",
            request: |tree| {
                (
                    "mutation($id: ID!, $v: Int!) { updatePage(id: $id, version: $v,
                       input: { title: \"Changed title\", intro: \"Changed intro\", footer: \"Changed footer\" }) { id } }",
                    json!({ "id": tree["id"], "v": tree["version"] }),
                )
            },
        },
        EditorChange {
            what: "updateCategory: title",
            request: |tree| {
                let category = &tree["categories"][0];
                (
                    "mutation($id: ID!, $v: Int!) { updateCategory(id: $id, version: $v, input: { title: \"Renamed\" }) { id } }",
                    json!({ "id": category["id"], "v": category["version"] }),
                )
            },
        },
        EditorChange {
            what: "updateCategory: slug",
            request: |tree| {
                let category = &tree["categories"][1];
                (
                    "mutation($id: ID!, $v: Int!) { updateCategory(id: $id, version: $v, input: { slug: \"new-anchor\" }) { id } }",
                    json!({ "id": category["id"], "v": category["version"] }),
                )
            },
        },
        EditorChange {
            what: "moveCategory",
            request: |tree| {
                let category = &tree["categories"][2];
                (
                    "mutation($id: ID!, $v: Int!) { moveCategory(id: $id, version: $v, position: 1) { id } }",
                    json!({ "id": category["id"], "v": category["version"] }),
                )
            },
        },
        EditorChange {
            what: "createCategory",
            request: |tree| {
                (
                    "mutation($page: ID!) { createCategory(input: { pageId: $page, title: \"Brand new\" }) { id } }",
                    json!({ "page": tree["id"] }),
                )
            },
        },
        EditorChange {
            what: "moveQuestion within its category",
            request: |tree| {
                let index = holding(tree, 2);
                let question = at(tree, index, 1);
                let category = &tree["categories"][index]["id"];
                (
                    "mutation($id: ID!, $v: Int!, $c: ID!) { moveQuestion(id: $id, version: $v, categoryId: $c, position: 1) { id } }",
                    json!({ "id": question["id"], "v": question["version"], "c": category }),
                )
            },
        },
        EditorChange {
            what: "moveQuestion to another category",
            request: |tree| {
                let question = at(tree, 1, 0);
                let category = &tree["categories"][3]["id"];
                (
                    "mutation($id: ID!, $v: Int!, $c: ID!) { moveQuestion(id: $id, version: $v, categoryId: $c, position: 1) { id } }",
                    json!({ "id": question["id"], "v": question["version"], "c": category }),
                )
            },
        },
        EditorChange {
            what: "moveQuestion into the new category",
            request: |tree| {
                let question = at(tree, 2, 0);
                let last = tree["categories"].as_array().unwrap().len() - 1;
                let category = &tree["categories"][last]["id"];
                (
                    "mutation($id: ID!, $v: Int!, $c: ID!) { moveQuestion(id: $id, version: $v, categoryId: $c, position: 1) { id } }",
                    json!({ "id": question["id"], "v": question["version"], "c": category }),
                )
            },
        },
        EditorChange {
            what: "updateQuestion: text and slug",
            request: |tree| {
                let question = at(tree, 0, 0);
                (
                    "mutation($id: ID!, $v: Int!) { updateQuestion(id: $id, version: $v,
                       input: { question: \"Changed roadshows?\", answer: \"Changed declaration.\", slug: \"changed-anchor\" }) { id } }",
                    json!({ "id": question["id"], "v": question["version"] }),
                )
            },
        },
        EditorChange {
            what: "restoreRevision",
            request: |tree| {
                let question = at(tree, 0, 0);
                let revisions = question["revisions"]["nodes"].as_array().unwrap();
                let first = revisions.last().unwrap();
                (
                    "mutation($q: ID!, $v: Int!, $r: ID!) { restoreRevision(questionId: $q, version: $v, revisionId: $r) { id } }",
                    json!({ "q": question["id"], "v": question["version"], "r": first["id"] }),
                )
            },
        },
        EditorChange {
            what: "createQuestion",
            request: |tree| {
                (
                    "mutation($c: ID!) { createQuestion(input: { categoryId: $c, question: \"Roadshows again?\", answer: \"Declaration standards funding.\" }) { id } }",
                    json!({ "c": tree["categories"][0]["id"] }),
                )
            },
        },
        EditorChange {
            what: "submitForReview",
            request: |tree| {
                // The new question, a draft.
                let question = tree["categories"][0]["questions"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .find(|q| q["status"] == "DRAFT")
                    .expect("the new draft");
                (
                    "mutation($id: ID!, $v: Int!) { submitForReview(id: $id, version: $v, message: \"Roadshows\") { id } }",
                    json!({ "id": question["id"], "v": question["version"] }),
                )
            },
        },
        EditorChange {
            what: "submitPageForReview",
            request: |tree| {
                (
                    "mutation($id: ID!, $v: Int!) { submitPageForReview(id: $id, version: $v, message: \"Funding\") { id } }",
                    json!({ "id": tree["id"], "v": tree["version"] }),
                )
            },
        },
    ]
}

#[tokio::test]
async fn nothing_an_editor_does_changes_what_readers_see() {
    let app = app_with_webhook().await;
    let editor = app.signed_in(Role::Editor).await;
    let changes = editor_changes();
    for change in &changes {
        let before = reader_view(&app).await;
        let tree = staff_tree(&editor).await;
        let (document, variables) = (change.request)(&tree);
        let (status, body) = editor.post_graphql(document, variables).await;
        assert!(
            status == 200 && body.get("errors").is_none(),
            "{}: the editor's change is made: {body}",
            change.what
        );
        let after = reader_view(&app).await;
        let what = change.what;
        assert_eq!(before.tree, after.tree, "{what}: the GraphQL tree changed");
        assert!(before.html == after.html, "{what}: the HTML page changed");
        assert!(
            before.searches == after.searches,
            "{what}: a search changed"
        );
        assert_eq!(
            before.deliveries, after.deliveries,
            "{what}: a webhook was told"
        );
    }
    assert_eq!(changes.len(), 13, "the note counts the changes covered");
    let tree = staff_tree(&editor).await;
    assert_eq!(tree["hasUnpublishedChanges"], true);
}

#[tokio::test]
async fn publishing_the_page_shows_readers_its_text_categories_and_order() {
    let app = app_with_webhook().await;
    let editor = app.signed_in(Role::Editor).await;
    let publisher = app.signed_in(Role::Publisher).await;
    let anonymous = app.anonymous();
    let tree = staff_tree(&editor).await;
    assert_eq!(
        tree["hasUnpublishedChanges"], false,
        "the sample starts published"
    );

    // The editor renames the page and the first category, moves the third
    // category to the top and the first question of the second category
    // into the first.
    let mut tree_before_move = Value::Null;
    for change in [0, 1, 3, 6] {
        let tree = staff_tree(&editor).await;
        let (document, variables) = (editor_changes()[change].request)(&tree);
        editor.query(document, variables).await;
        tree_before_move = tree;
    }
    let staff = staff_tree(&editor).await;
    assert_eq!(staff["hasUnpublishedChanges"], true);
    let changed: Vec<&Value> = staff["categories"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["hasUnpublishedChanges"] == true)
        .collect();
    assert!(
        !changed.is_empty(),
        "the renamed and moved categories say so"
    );
    let reader_before = anonymous
        .query(READER_TREE, json!({ "slug": SAMPLE }))
        .await;
    assert_ne!(reader_before["page"]["title"], "Changed title");

    // An editor may not publish it.
    let page_id = staff["id"].clone();
    let publish = "mutation($id: ID!, $v: Int!) { publishPage(id: $id, version: $v) { id version hasUnpublishedChanges title } }";
    editor
        .expect_error(
            publish,
            json!({ "id": page_id, "v": staff["version"] }),
            "FORBIDDEN",
        )
        .await;
    // An old version is a conflict, and publishes nothing.
    let old = int(&staff["version"]) - 1;
    publisher
        .expect_error(publish, json!({ "id": page_id, "v": old }), "CONFLICT")
        .await;
    let still = anonymous
        .query(READER_TREE, json!({ "slug": SAMPLE }))
        .await;
    assert_eq!(still, reader_before);

    let published = publisher
        .query(publish, json!({ "id": page_id, "v": staff["version"] }))
        .await["publishPage"]
        .clone();
    assert_eq!(published["hasUnpublishedChanges"], false);
    assert_eq!(published["title"], "Changed title");

    let reader = anonymous
        .query(READER_TREE, json!({ "slug": SAMPLE }))
        .await;
    let page = &reader["page"];
    assert_eq!(page["title"], "Changed title");
    assert_eq!(page["intro"], "Changed intro");
    assert_eq!(page["footer"], "Changed footer");
    // Readers now see the categories in the staff's order, with their titles.
    let staff = staff_tree(&editor).await;
    let shown: Vec<String> = page["categories"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| text(&c["slug"]))
        .collect();
    let working: Vec<String> = staff["categories"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| text(&c["slug"]))
        .filter(|slug| shown.contains(slug))
        .collect();
    assert_eq!(shown, working);
    let titles: Vec<&Value> = page["categories"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| &c["title"])
        .collect();
    assert!(titles.contains(&&json!("Renamed")), "{titles:?}");
    // Each category shows its questions in the staff's order, the moved
    // question among them.
    for shown_category in page["categories"].as_array().unwrap() {
        let shown: Vec<String> = shown_category["questions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|q| text(&q["slug"]))
            .collect();
        let staff_category = staff["categories"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["slug"] == shown_category["slug"])
            .expect("the same category");
        let working: Vec<String> = staff_category["questions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|q| text(&q["slug"]))
            .filter(|slug| shown.contains(slug))
            .collect();
        assert_eq!(shown, working);
    }
    let moved = text(&at(&tree_before_move, 1, 0)["slug"]);
    let moved_to = &tree_before_move["categories"][3]["slug"];
    let new_home = page["categories"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| &c["slug"] == moved_to)
        .expect("the category it moved to");
    assert_eq!(text(&new_home["questions"][0]["slug"]), moved);
    let html = app.get_text(&format!("/pages/{SAMPLE}")).await;
    assert!(html.contains("Changed title") && html.contains("Renamed"));

    // Announced once, as page.published.
    let queued = webhook_delivery::Entity::find().all(&app.db).await.unwrap();
    assert_eq!(queued.len(), 1, "{queued:?}");
    assert_eq!(queued[0].event, "page.published");

    // Nothing left to publish: said plainly, and nothing is recorded.
    let version = published["version"].clone();
    let refused = publisher
        .expect_error(
            publish,
            json!({ "id": page_id, "v": version }),
            "BAD_USER_INPUT",
        )
        .await;
    assert!(
        refused["message"]
            .as_str()
            .unwrap()
            .contains("nothing to publish"),
        "{refused}"
    );
    assert_eq!(
        webhook_delivery::Entity::find()
            .count(&app.db)
            .await
            .unwrap(),
        1
    );
}

#[tokio::test]
async fn a_question_published_for_the_first_time_shows_its_new_category() {
    let app = app_with_webhook().await;
    let editor = app.signed_in(Role::Editor).await;
    let publisher = app.signed_in(Role::Publisher).await;
    let tree = staff_tree(&editor).await;
    let category = editor
        .query(
            "mutation($page: ID!) { createCategory(input: { pageId: $page, title: \"Later news\" }) { id version } }",
            json!({ "page": tree["id"] }),
        )
        .await["createCategory"]
        .clone();
    let question = editor
        .query(
            "mutation($c: ID!) { createQuestion(input: { categoryId: $c, question: \"Is there news?\", answer: \"Yes.\" }) { id version } }",
            json!({ "c": category["id"] }),
        )
        .await["createQuestion"]
        .clone();
    publisher
        .query(
            "mutation($id: ID!, $v: Int!) { publishQuestion(id: $id, version: $v) { id } }",
            json!({ "id": question["id"], "v": question["version"] }),
        )
        .await;
    let reader = app
        .anonymous()
        .query(READER_TREE, json!({ "slug": SAMPLE }))
        .await;
    let shown = reader["page"]["categories"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["title"] == "Later news")
        .expect("the new category is shown with its first question")
        .clone();
    assert_eq!(shown["questions"][0]["question"], "Is there news?");

    // Renamed by an editor afterwards: readers keep the published title.
    editor
        .query(
            "mutation($id: ID!, $v: Int!) { updateCategory(id: $id, version: $v, input: { title: \"Renamed news\" }) { id } }",
            json!({ "id": category["id"], "v": category["version"] }),
        )
        .await;
    let html = app.get_text(&format!("/pages/{SAMPLE}")).await;
    assert!(html.contains("Later news") && !html.contains("Renamed news"));
}

#[tokio::test]
async fn the_preview_shows_working_copies_tagged() {
    let app = app_with_webhook().await;
    let editor = app.signed_in(Role::Editor).await;
    // The page's text, the first category's title, a new category, and a
    // question moved to another category.
    for change in [0, 1, 4, 6] {
        let tree = staff_tree(&editor).await;
        let (document, variables) = (editor_changes()[change].request)(&tree);
        editor.query(document, variables).await;
    }
    let preview = editor
        .client
        .get(app.url(&format!("/pages/{SAMPLE}?preview=true")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(preview.contains("Changed title"), "the working text");
    assert!(
        preview.contains("Unpublished changes to the page&#39;s text")
            || preview.contains("Unpublished changes to the page's text")
    );
    assert!(preview.contains("Renamed"));
    assert!(preview.contains("Unpublished changes to this category"));
    assert!(preview.contains("Moved: not published yet"));
    let public = app.get_text(&format!("/pages/{SAMPLE}")).await;
    assert!(!public.contains("Changed title") && !public.contains("not published yet"));
}

#[tokio::test]
async fn readers_see_when_the_page_was_last_updated_and_the_change_notes() {
    let app = app_with_webhook().await;
    let editor = app.signed_in(Role::Editor).await;
    let publisher = app.signed_in(Role::Publisher).await;
    let anonymous = app.anonymous();
    let notes_query = "query($s: String!) { page(slug: $s) { lastUpdatedAt
        changeNotes(first: 10) { totalCount nodes { publishedAt note } } } }";
    // The sample was published when it was loaded: a date, no notes yet.
    let page = anonymous.query(notes_query, json!({ "s": SAMPLE })).await["page"].clone();
    let loaded_at = text(&page["lastUpdatedAt"]);
    assert_eq!(page["changeNotes"]["totalCount"], 0);
    let html = app.get_text(&format!("/pages/{SAMPLE}")).await;
    assert!(html.contains("Last updated: <time"), "the date is shown");
    assert!(!html.contains("See all updates"));

    // An edited answer published with a note.
    let tree = staff_tree(&editor).await;
    let question = at(&tree, 0, 0).clone();
    let edited = editor
        .query(
            "mutation($id: ID!, $v: Int!) { updateQuestion(id: $id, version: $v, input: { answer: \"Sign up from January.\" }) { version } }",
            json!({ "id": question["id"], "v": question["version"] }),
        )
        .await["updateQuestion"]["version"]
        .clone();
    let publish = "mutation($id: ID!, $v: Int!, $n: String) { publishQuestion(id: $id, version: $v, changeNote: $n) { version } }";
    // A note that is too long is refused, and nothing is published.
    let long = "x".repeat(301);
    let refused = publisher
        .expect_error(
            publish,
            json!({ "id": question["id"], "v": edited, "n": long }),
            "BAD_USER_INPUT",
        )
        .await;
    assert_eq!(refused["extensions"]["fields"][0]["field"], "changeNote");
    assert!(!app
        .get_text(&format!("/pages/{SAMPLE}"))
        .await
        .contains("Sign up from January."));
    let note = "Sign-up dates added <b>now</b>.";
    publisher
        .query(
            publish,
            json!({ "id": question["id"], "v": edited, "n": note }),
        )
        .await;

    let page = anonymous.query(notes_query, json!({ "s": SAMPLE })).await["page"].clone();
    assert!(text(&page["lastUpdatedAt"]) > loaded_at);
    assert_eq!(page["changeNotes"]["totalCount"], 1);
    assert_eq!(page["changeNotes"]["nodes"][0]["note"], note);
    let html = app.get_text(&format!("/pages/{SAMPLE}")).await;
    let today = chrono::Utc::now().format("%-d %B %Y").to_string();
    assert!(html.contains("Last updated: <time") && html.contains(&today));
    assert!(html.contains("href=\"#full-history\">See all updates</a>"));
    assert!(
        html.contains("Sign-up dates added &lt;b&gt;now&lt;/b&gt;."),
        "plain text, escaped"
    );
    assert!(
        html.contains("\"dateModified\":\""),
        "the FAQPage JSON-LD is dated"
    );

    // The page's own changes, published with a note, come first.
    let tree = staff_tree(&editor).await;
    let (document, variables) = (editor_changes()[0].request)(&tree);
    editor.query(document, variables).await;
    let tree = staff_tree(&editor).await;
    publisher
        .query(
            "mutation($id: ID!, $v: Int!) { publishPage(id: $id, version: $v, changeNote: \"New title.\") { version } }",
            json!({ "id": tree["id"], "v": tree["version"] }),
        )
        .await;
    let page = anonymous.query(notes_query, json!({ "s": SAMPLE })).await["page"].clone();
    let notes: Vec<&Value> = page["changeNotes"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| &n["note"])
        .collect();
    assert_eq!(notes, [&json!("New title."), &json!(note)]);
}
