//! History that tells the story, over GraphQL: each revision says what
//! happened and who did it, the one readers see is live, identical versions
//! compare as identical, restore notes name versions (never internal ids),
//! what changed since publication, and a page's own history.

use qanda::domain::Role;
use sea_orm::ConnectionTrait;
use serde_json::{json, Value};

use crate::helpers::{Person, TestApp, TestDatabase};

const ROADSHOWS: &str = "Will you be holding any more roadshows?";

const REVISIONS: &str = "query($id: ID!) { question(id: $id, includeDrafts: true) {
  version
  revisions(first: 100) { nodes { id version action live note itemType title author { email } } }
} }";

const PAGE: &str = "query { page(slug: \"local-digital-qa\", includeDrafts: true) {
  id version categories { id version title questions { id version question } }
} }";

async fn sample(person: &Person) -> Value {
    person.query(PAGE, json!({})).await["page"].clone()
}

fn roadshows(page: &Value) -> Value {
    page["categories"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|c| c["questions"].as_array().unwrap().iter())
        .find(|q| q["question"] == ROADSHOWS)
        .expect("the roadshows question")
        .clone()
}

fn id(value: &Value) -> String {
    value["id"].as_str().unwrap().to_owned()
}

async fn revisions(person: &Person, id: &str) -> Vec<Value> {
    person.query(REVISIONS, json!({ "id": id })).await["question"]["revisions"]["nodes"]
        .as_array()
        .unwrap()
        .clone()
}

fn column(nodes: &[Value], key: &str) -> Vec<Value> {
    nodes.iter().map(|n| n[key].clone()).collect()
}

/// The version numbers marked live (at most one).
fn live(nodes: &[Value]) -> Vec<i64> {
    nodes
        .iter()
        .filter(|n| n["live"] == true)
        .map(|n| n["version"].as_i64().unwrap())
        .collect()
}

async fn change(person: &Person, mutation: &str, id: &str, version: i64) -> Value {
    let query = format!(
        "mutation($id: ID!, $v: Int!) {{ {mutation}(id: $id, version: $v) {{ version }} }}"
    );
    person
        .query(&query, json!({ "id": id, "v": version }))
        .await[mutation]
        .clone()
}

async fn save(person: &Person, id: &str, version: i64, answer: &str) {
    person
        .query(
            "mutation($id: ID!, $v: Int!, $a: String!) { updateQuestion(id: $id, version: $v, input: { answer: $a }) { version } }",
            json!({ "id": id, "v": version, "a": answer }),
        )
        .await;
}

#[tokio::test]
async fn each_version_says_what_happened_who_did_it_and_which_one_readers_see() {
    let app = TestApp::spawn().await;
    let editor = app.signed_in(Role::Editor).await;
    let publisher = app.signed_in(Role::Publisher).await;
    let page = sample(&editor).await;
    let question = roadshows(&page);
    let q = id(&question);

    // Imported published: the import's revision is what readers see.
    let history = revisions(&editor, &q).await;
    assert_eq!(column(&history, "action"), [json!("IMPORTED")]);
    assert_eq!(live(&history), [1]);

    save(&editor, &q, 1, "We will hold roadshows in spring.").await; // v2
    let history = revisions(&editor, &q).await;
    assert_eq!(history[0]["action"], "SAVED");
    assert_eq!(history[0]["author"]["email"], json!(editor.email));
    assert_eq!(live(&history), [1], "a saved draft is not live");

    change(&publisher, "publishQuestion", &q, 2).await; // v3
    let other = id(&page["categories"][0]);
    let moved = publisher
        .query(
            "mutation($id: ID!, $c: ID!) { moveQuestion(id: $id, version: 3, categoryId: $c, position: 1) { version } }",
            json!({ "id": q, "c": other }),
        )
        .await;
    assert_eq!(moved["moveQuestion"]["version"], 4);
    let later = (chrono::Utc::now() + chrono::Duration::days(30)).to_rfc3339();
    publisher
        .query(
            "mutation($id: ID!, $e: DateTime) { scheduleQuestion(id: $id, version: 4, expireAt: $e) { version } }",
            json!({ "id": q, "e": later }),
        )
        .await; // v5
    save(&editor, &q, 5, "We will hold roadshows in autumn.").await; // v6
    let history = revisions(&editor, &q).await;
    assert_eq!(
        column(&history, "action"),
        [
            json!("SAVED"),
            json!("SCHEDULED"),
            json!("MOVED"),
            json!("PUBLISHED"),
            json!("SAVED"),
            json!("IMPORTED")
        ]
    );
    assert_eq!(history[3]["author"]["email"], json!(publisher.email));
    assert_eq!(
        live(&history),
        [3],
        "the publication stays live under later edits"
    );

    change(&publisher, "unpublishQuestion", &q, 6).await; // v7
    assert!(live(&revisions(&editor, &q).await).is_empty());
    change(&publisher, "archiveQuestion", &q, 7).await; // v8
    change(&publisher, "restoreQuestion", &q, 8).await; // v9
    let history = revisions(&editor, &q).await;
    let first = history.last().unwrap()["id"].clone();
    let restored = editor
        .query(
            "mutation($q: ID!, $r: ID!) { restoreRevision(questionId: $q, version: 9, revisionId: $r) { version } }",
            json!({ "q": q, "r": first }),
        )
        .await;
    assert_eq!(restored["restoreRevision"]["version"], 10);
    let history = revisions(&editor, &q).await;
    assert_eq!(
        column(&history, "action")[..4],
        [
            json!("VERSION_RESTORED"),
            json!("RESTORED"),
            json!("ARCHIVED"),
            json!("UNPUBLISHED")
        ]
    );
    assert_eq!(history[0]["note"], "Restored from version 1");
    assert!(history.iter().all(|r| r["itemType"] == "QUESTION"));
    assert!(live(&history).is_empty());
}

#[tokio::test]
async fn a_publication_on_schedule_says_so_and_is_live() {
    let app = TestApp::spawn().await;
    let publisher = app.signed_in(Role::Publisher).await;
    let page = sample(&publisher).await;
    let created = publisher
        .query(
            "mutation($c: ID!) { createQuestion(input: { categoryId: $c, question: \"Is this on time?\", answer: \"Yes.\" }) { id version } }",
            json!({ "c": id(&page["categories"][0]) }),
        )
        .await["createQuestion"]
        .clone();
    let q = id(&created);
    assert!(live(&revisions(&publisher, &q).await).is_empty());
    let now = chrono::Utc::now().to_rfc3339();
    publisher
        .query(
            "mutation($id: ID!, $p: DateTime) { scheduleQuestion(id: $id, version: 1, publishAt: $p) { version } }",
            json!({ "id": q, "p": now }),
        )
        .await;
    // Readers see a due draft as it stands, before the schedule records it.
    let history = revisions(&publisher, &q).await;
    assert_eq!(
        column(&history, "action"),
        [json!("SCHEDULED"), json!("CREATED")]
    );
    assert_eq!(live(&history), [2]);

    let recorded = qanda::service::schedule::record_due(&app.db).await.unwrap();
    assert_eq!(recorded.published, 1);
    let history = revisions(&publisher, &q).await;
    assert_eq!(history[0]["action"], "PUBLISHED_ON_SCHEDULE");
    assert!(history[0]["author"].is_null());
    assert_eq!(live(&history), [3]);
}

const DIFF: &str = "query($id: ID!, $from: ID!, $to: ID!) { question(id: $id, includeDrafts: true) {
  diff(fromRevisionId: $from, toRevisionId: $to) { identical question { kind text } answer { kind text } }
} }";

const SINCE_PUBLISHED: &str = "query($id: ID!) { question(id: $id, includeDrafts: true) {
  unpublishedDiff { identical question { kind text } answer { kind text } }
} }";

fn words(segments: &Value, kind: &str) -> String {
    segments
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["kind"] == kind)
        .map(|s| s["text"].as_str().unwrap())
        .collect()
}

async fn since(person: &Person, id: &str) -> Value {
    person.query(SINCE_PUBLISHED, json!({ "id": id })).await["question"]["unpublishedDiff"].clone()
}

#[tokio::test]
async fn identical_versions_compare_as_identical_and_the_working_copy_against_readers() {
    let app = TestApp::spawn().await;
    let editor = app.signed_in(Role::Editor).await;
    let publisher = app.signed_in(Role::Publisher).await;
    let q = id(&roadshows(&sample(&editor).await));

    assert_eq!(since(&editor, &q).await["identical"], true);

    save(&editor, &q, 1, "We will hold two roadshows.").await; // v2
    change(&publisher, "publishQuestion", &q, 2).await; // v3, the same text
    let history = revisions(&editor, &q).await;
    let (published, saved) = (id(&history[0]), id(&history[1]));
    for (from, to) in [(&saved, &published), (&published, &published)] {
        let diff = editor
            .query(DIFF, json!({ "id": q, "from": from, "to": to }))
            .await["question"]["diff"]
            .clone();
        assert_eq!(diff["identical"], true, "{diff}");
    }
    let diff = editor
        .query(
            DIFF,
            json!({ "id": q, "from": id(&history[2]), "to": saved }),
        )
        .await["question"]["diff"]
        .clone();
    assert_eq!(diff["identical"], false);

    save(&editor, &q, 3, "We will hold three roadshows.").await;
    let diff = since(&editor, &q).await;
    assert_eq!(diff["identical"], false);
    assert_eq!(words(&diff["answer"], "REMOVED"), "two");
    assert_eq!(words(&diff["answer"], "ADDED"), "three");
    assert_eq!(words(&diff["question"], "SAME"), ROADSHOWS);

    // Never published: nothing to compare with.
    change(&publisher, "unpublishQuestion", &q, 4).await;
    assert!(since(&editor, &q).await.is_null());

    // The public is not told.
    let (_, body) = app
        .anonymous()
        .post_graphql(SINCE_PUBLISHED, json!({ "id": q }))
        .await;
    assert!(body["data"]["question"].is_null(), "{body}");
}

const PAGE_HISTORY: &str =
    "query($first: Int, $after: String) { page(slug: \"local-digital-qa\", includeDrafts: true) {
  history(first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    nodes { id version action itemType itemId title position live author { email } }
  }
  unpublishedDiff { identical title { kind text } intro { kind text } footer { kind text } }
} }";

#[tokio::test]
async fn a_page_has_a_history_of_its_text_categories_and_order() {
    let app = TestApp::spawn().await;
    let editor = app.signed_in(Role::Editor).await;
    let page = sample(&editor).await;
    let page_id = id(&page);
    let start = editor.query(PAGE_HISTORY, json!({})).await["page"].clone();
    let imported = start["history"]["totalCount"].as_i64().unwrap();
    assert!(imported >= 2, "the page and its categories: {start}");
    assert_eq!(start["unpublishedDiff"]["identical"], true, "{start}");

    editor
        .query(
            "mutation($id: ID!) { updatePage(id: $id, version: 1, input: { title: \"Local Digital questions and answers\" }) { version } }",
            json!({ "id": page_id }),
        )
        .await;
    let category = &page["categories"][1];
    editor
        .query(
            "mutation($id: ID!) { moveCategory(id: $id, version: 1, position: 1) { version } }",
            json!({ "id": id(category) }),
        )
        .await;

    let now = editor.query(PAGE_HISTORY, json!({ "first": 2 })).await["page"].clone();
    let history = &now["history"];
    assert_eq!(history["totalCount"], imported + 2);
    assert_eq!(history["pageInfo"]["hasNextPage"], true);
    let nodes = history["nodes"].as_array().unwrap();
    assert_eq!(nodes[0]["itemType"], "CATEGORY");
    assert_eq!(nodes[0]["action"], "MOVED");
    assert_eq!(nodes[0]["itemId"], category["id"]);
    assert_eq!(nodes[0]["title"], category["title"]);
    assert_eq!(nodes[0]["position"], 1);
    assert_eq!(nodes[1]["itemType"], "PAGE");
    assert_eq!(nodes[1]["action"], "SAVED");
    assert_eq!(nodes[1]["title"], "Local Digital questions and answers");
    assert!(nodes[1]["position"].is_null());
    assert_eq!(nodes[1]["author"]["email"], json!(editor.email));
    assert!(nodes.iter().all(|n| n["live"] == false));
    let cursor = history["pageInfo"]["endCursor"].as_str().unwrap();
    let rest = editor
        .query(PAGE_HISTORY, json!({ "first": 100, "after": cursor }))
        .await["page"]["history"]["nodes"]
        .clone();
    assert_eq!(rest.as_array().unwrap().len() as i64, imported);
    assert!(rest
        .as_array()
        .unwrap()
        .iter()
        .all(|n| n["action"] == "IMPORTED"));

    let diff = &now["unpublishedDiff"];
    assert_eq!(diff["identical"], false);
    assert_eq!(words(&diff["title"], "ADDED"), "questions and answers");
    assert_eq!(words(&diff["title"], "REMOVED"), "Q&A");

    // Staff only.
    let (_, body) = app.anonymous().post_graphql(PAGE_HISTORY, json!({})).await;
    assert!(body["errors"].is_array(), "{body}");
    assert!(
        body["data"].is_null() || body["data"]["page"].is_null(),
        "{body}"
    );
}

/// Revisions kept before the migration learn what happened from the audit
/// log, and restore notes lose their internal ids.
#[tokio::test]
async fn the_migration_fills_in_what_happened_to_older_revisions() {
    use migration::MigratorTrait;
    let database = TestDatabase::fresh().await;
    let (url, schema) = (database.url(), database.schema());
    let settings = qanda::db::DbSettings {
        url: &url,
        schema: schema.as_deref(),
        max_connections: 2,
    };
    let (db, _) = qanda::db::connect(settings).await.unwrap();
    // Everything before the migration under test, whatever comes after it.
    let before = migration::Migrator::migrations()
        .iter()
        .position(|m| m.name() == "m20261203_000008_revision_action")
        .expect("the revision action migration") as u32;
    migration::Migrator::up(&db, Some(before)).await.unwrap();
    let at = "'2026-12-01 10:00:00+00:00'";
    for statement in [
        format!("INSERT INTO revisions (item_type, item_id, item_version, snapshot, note, author_id, created_at) VALUES
            ('question', 7, 1, '{{}}', NULL, NULL, {at}),
            ('question', 7, 2, '{{}}', NULL, NULL, {at}),
            ('question', 7, 3, '{{}}', 'Restored from revision 12 (version 1)', NULL, {at}),
            ('question', 7, 4, '{{}}', 'Kept as it was', NULL, {at})"),
        format!("INSERT INTO audit_events (occurred_at, actor_id, action, target_type, target_id, detail, client_addr) VALUES
            ({at}, NULL, 'question.publish', 'question', '7', '{{\"version\":2,\"slug\":\"x\"}}', NULL),
            ({at}, NULL, 'question.restore_revision', 'question', '7', '{{\"version\":3}}', NULL),
            ({at}, NULL, 'question.update', 'question', '8', '{{\"version\":4}}', NULL)"),
    ] {
        db.execute_unprepared(&statement).await.unwrap();
    }
    migration::Migrator::up(&db, None).await.unwrap();
    let rows = db
        .query_all_raw(sea_orm::Statement::from_string(
            db.get_database_backend(),
            "SELECT action, note FROM revisions WHERE item_id = 7 ORDER BY item_version",
        ))
        .await
        .unwrap();
    let read: Vec<(Option<String>, Option<String>)> = rows
        .iter()
        .map(|r| {
            (
                r.try_get("", "action").unwrap(),
                r.try_get("", "note").unwrap(),
            )
        })
        .collect();
    let some = |s: &str| Some(s.to_owned());
    assert_eq!(
        read,
        [
            (some("question.create"), None),
            (some("question.publish"), None),
            (
                some("question.restore_revision"),
                some("Restored from version 1")
            ),
            (None, some("Kept as it was")),
        ]
    );
    db.close().await.ok();
}
