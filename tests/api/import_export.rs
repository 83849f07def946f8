//! `qanda import` and `qanda export`, run as the real binary.

use entity::{question, revision};
use sea_orm::{EntityTrait, PaginatorTrait};
use serde_json::{json, Value};

use crate::helpers::{page_doc, question_doc, run_cli, sample_path, TestApp, TestDatabase};

fn stdout(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

async fn export_json(database: &TestDatabase) -> Value {
    let output = run_cli(database, &["export"]);
    assert!(output.status.success(), "{}", stderr(&output));
    serde_json::from_slice(&output.stdout).expect("export writes JSON")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn importing_the_sample_file_builds_the_page_and_is_idempotent() {
    let database = TestDatabase::fresh().await;
    let sample = sample_path();
    let sample = sample.to_str().unwrap();

    let first = run_cli(&database, &["import", sample]);
    assert!(first.status.success(), "{}", stderr(&first));
    assert!(
        stdout(&first).contains("questions: 7 created"),
        "{}",
        stdout(&first)
    );

    let export = export_json(&database).await;
    let page = &export["pages"][0];
    assert_eq!(page["title"], "Local Digital Q&A");
    assert_eq!(page["status"], "LIVE");
    let counts: Vec<usize> = page["categories"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["questions"].as_array().unwrap().len())
        .collect();
    assert_eq!(counts, [2, 3, 1, 1]);

    let (db, _) = qanda::app::connect(&database.db_args()).await.unwrap();
    let revisions_before = revision::Entity::find().count(&db).await.unwrap();
    let second = run_cli(&database, &["import", sample]);
    assert!(second.status.success(), "{}", stderr(&second));
    assert!(
        stdout(&second).contains("nothing changed"),
        "{}",
        stdout(&second)
    );
    assert_eq!(
        export_json(&database).await,
        export,
        "a second import changes nothing"
    );
    assert_eq!(
        revision::Entity::find().count(&db).await.unwrap(),
        revisions_before
    );
    let versions: Vec<i32> = question::Entity::find()
        .all(&db)
        .await
        .unwrap()
        .iter()
        .map(|q| q.version)
        .collect();
    assert!(versions.iter().all(|v| *v == 1), "{versions:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_malformed_file_names_the_line_and_imports_nothing() {
    let database = TestDatabase::fresh().await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("broken.txt");
    std::fs::write(
        &path,
        "My page\n\nIntro\n\nA category\n\nQ. First?\n\nA. Fine.\n\nQ. Second, with no answer?\n",
    )
    .unwrap();
    let output = run_cli(&database, &["import", path.to_str().unwrap()]);
    assert!(!output.status.success());
    let message = stderr(&output);
    assert!(message.contains("line 11"), "{message}");
    assert!(
        message.contains("expected an answer starting with 'A.'"),
        "{message}"
    );
    assert!(message.contains("nothing was imported"), "{message}");
    assert_eq!(export_json(&database).await["pages"], json!([]));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_export_file_with_a_bad_entry_imports_nothing() {
    let database = TestDatabase::fresh().await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.json");
    let mut bad_question = question_doc("ok", "PUBLISHED");
    bad_question["answer"] = json!("   ");
    let file = json!({
        "format": "qanda-export/1",
        "pages": [
            page_doc("good", "LIVE", json!([{ "slug": "c", "title": "C", "questions": [question_doc("q", "PUBLISHED")] }])),
            page_doc("Bad Slug", "LIVE", json!([{ "slug": "c", "title": "C", "questions": [bad_question] }])),
        ]
    });
    std::fs::write(&path, file.to_string()).unwrap();
    let output = run_cli(&database, &["import", path.to_str().unwrap()]);
    assert!(!output.status.success());
    let message = stderr(&output);
    assert!(message.contains("pages[1].slug"), "{message}");
    assert!(
        message.contains("pages[1].categories[0].questions[0].answer: Enter the answer"),
        "{message}"
    );
    assert_eq!(
        export_json(&database).await["pages"],
        json!([]),
        "the good page was not imported either"
    );

    std::fs::write(&path, r#"{"format": "something-else", "pages": []}"#).unwrap();
    let output = run_cli(&database, &["import", path.to_str().unwrap()]);
    assert!(!output.status.success());
    assert!(
        stderr(&output).contains("expected 'qanda-export/1'"),
        "{}",
        stderr(&output)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn export_then_import_is_lossless_with_drafts_and_archived_entries() {
    let app = TestApp::spawn().await;
    let mut edited = question_doc("edited", "PUBLISHED");
    edited["answer"] = json!("A working copy with *unpublished* changes.");
    edited["live_question"] = json!("Question edited?");
    edited["live_answer"] = json!("The published answer.");
    let mut scheduled = question_doc("scheduled", "DRAFT");
    scheduled["publish_at"] = json!("2031-05-01T09:00:00Z");
    scheduled["expire_at"] = json!("2032-05-01T09:00:00Z");
    let mut archived = question_doc("archived", "ARCHIVED");
    archived["archived_at"] = json!("2026-02-03T04:05:06Z");
    let mut retired = page_doc("retired", "RETIRED", json!([]));
    retired["retirement_notice"] = json!("Gone for good.");
    retired["replacement_url"] = json!("https://example.org/new");
    retired["retired_at"] = json!("2026-03-01T00:00:00Z");
    app.import_json(json!([
        page_doc("mixed", "DRAFT", json!([
            { "slug": "open", "title": "Open", "questions": [edited, scheduled, question_doc("draft", "DRAFT"), archived] },
            { "slug": "shelved", "title": "Shelved", "archived_at": "2026-01-01T00:00:00Z", "questions": [question_doc("kept", "PUBLISHED")] },
        ])),
        retired,
    ]))
    .await;

    let exported = export_json(&app.database).await;
    assert_eq!(exported["pages"].as_array().unwrap().len(), 3);

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("export.json");
    let output = run_cli(
        &app.database,
        &["export", "--output", path.to_str().unwrap()],
    );
    assert!(output.status.success(), "{}", stderr(&output));

    let copy = TestDatabase::fresh().await;
    let output = run_cli(&copy, &["import", path.to_str().unwrap()]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(
        export_json(&copy).await,
        exported,
        "the round trip loses nothing"
    );

    let output = run_cli(&copy, &["import", path.to_str().unwrap()]);
    assert!(
        stdout(&output).contains("nothing changed"),
        "{}",
        stdout(&output)
    );
}

/// The `id` and `version` of the item with `slug` in a staff page tree.
fn item(tree: &Value, slug: &str) -> (Value, i64) {
    let page = &tree["page"];
    let categories = page["categories"].as_array().unwrap();
    let found = categories
        .iter()
        .chain(
            categories
                .iter()
                .flat_map(|c| c["questions"].as_array().unwrap()),
        )
        .find(|i| i["slug"] == slug)
        .unwrap_or_else(|| panic!("no {slug} in {tree}"));
    (found["id"].clone(), found["version"].as_i64().unwrap())
}

const STAFF_TREE: &str = "{ page(slug: \"p\", includeDrafts: true) { id version hasUnpublishedChanges categories { id version slug title hasUnpublishedChanges questions { id version slug answer hasUnpublishedChanges } } } }";
const READERS_TREE: &str = "{ page(slug: \"p\") { title intro footer lastUpdatedAt changeNotes(first: 10) { edges { node { publishedAt note } } } categories { slug title questions { slug question answer } } } }";

/// What readers and staff see of page p, and its public HTML.
async fn seen(app: &TestApp, staff: &crate::helpers::Person) -> (Value, Value, String) {
    let mut staff_tree = staff.query(STAFF_TREE, json!({})).await;
    // Ids and versions are the database's own, not the content's.
    fn without_ids(value: &mut Value) {
        match value {
            Value::Object(map) => {
                map.remove("id");
                map.remove("version");
                map.values_mut().for_each(without_ids);
            }
            Value::Array(items) => items.iter_mut().for_each(without_ids),
            _ => {}
        }
    }
    without_ids(&mut staff_tree);
    let readers = app.query(READERS_TREE, json!({})).await;
    (readers, staff_tree, app.get_text("/pages/p").await)
}

/// A page with published change notes and changes readers do not see yet
/// (its intro, a category renamed and moved, a question moved, an edited
/// live answer): export, import into an empty database and export again
/// gives the same bytes, and readers and staff see the same from both.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_round_trip_is_exact_with_unpublished_changes_and_change_notes() {
    let app = TestApp::builder().without_sample().spawn().await;
    app.import_json(json!([page_doc("p", "LIVE", json!([
        { "slug": "a", "title": "A", "questions": [question_doc("one", "PUBLISHED"), question_doc("two", "PUBLISHED")] },
        { "slug": "b", "title": "B", "questions": [question_doc("three", "PUBLISHED")] },
    ]))]))
    .await;
    let publisher = app.signed_in(qanda::domain::Role::Publisher).await;
    let tree = || publisher.query(STAFF_TREE, json!({}));
    let update_question = "mutation($id: ID!, $v: Int!, $a: String!) { updateQuestion(id: $id, version: $v, input: { answer: $a }) { version } }";

    // Published, with notes.
    let (one, v) = item(&tree().await, "one");
    publisher
        .query(
            update_question,
            json!({ "id": one, "v": v, "a": "Answer one, corrected." }),
        )
        .await;
    publisher
        .query(
            "mutation($id: ID!, $v: Int!) { publishQuestion(id: $id, version: $v, changeNote: \"Answer one corrected.\") { version } }",
            json!({ "id": one, "v": v + 1 }),
        )
        .await;
    let page = tree().await;
    let (page_id, page_version) = (
        page["page"]["id"].clone(),
        page["page"]["version"].as_i64().unwrap(),
    );
    publisher
        .query(
            "mutation($id: ID!, $v: Int!) { updatePage(id: $id, version: $v, input: { footer: \"A new footer.\" }) { version } }",
            json!({ "id": page_id, "v": page_version }),
        )
        .await;
    publisher
        .query(
            "mutation($id: ID!, $v: Int!) { publishPage(id: $id, version: $v, changeNote: \"Footer updated.\") { version } }",
            json!({ "id": page_id, "v": page_version + 1 }),
        )
        .await;

    // Not published.
    publisher
        .query(
            "mutation($id: ID!, $v: Int!) { updatePage(id: $id, version: $v, input: { intro: \"An intro not published yet.\" }) { version } }",
            json!({ "id": page_id, "v": page_version + 2 }),
        )
        .await;
    let (b, v) = item(&tree().await, "b");
    publisher
        .query(
            "mutation($id: ID!, $v: Int!) { updateCategory(id: $id, version: $v, input: { title: \"B renamed\", slug: \"b-renamed\" }) { version } }",
            json!({ "id": b, "v": v }),
        )
        .await;
    publisher
        .query(
            "mutation($id: ID!, $v: Int!) { moveCategory(id: $id, version: $v, position: 1) { version } }",
            json!({ "id": b, "v": v + 1 }),
        )
        .await;
    let tree_now = tree().await;
    let (three, v) = item(&tree_now, "three");
    let (a, _) = item(&tree_now, "a");
    publisher
        .query(
            "mutation($id: ID!, $v: Int!, $c: ID!) { moveQuestion(id: $id, version: $v, categoryId: $c, position: 1) { version } }",
            json!({ "id": three, "v": v, "c": a }),
        )
        .await;
    let (two, v) = item(&tree().await, "two");
    publisher
        .query(
            update_question,
            json!({ "id": two, "v": v, "a": "Answer two, not published yet." }),
        )
        .await;

    let before = seen(&app, &publisher).await;
    assert_eq!(
        before.0["page"]["intro"], "Intro",
        "readers see the published intro"
    );
    assert_eq!(before.0["page"]["categories"][1]["title"], "B");
    assert_eq!(before.1["page"]["hasUnpublishedChanges"], true);

    let dir = tempfile::tempdir().unwrap();
    let first_path = dir.path().join("first.json");
    let output = run_cli(
        &app.database,
        &["export", "--output", first_path.to_str().unwrap()],
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let copy = TestDatabase::fresh().await;
    let output = run_cli(&copy, &["import", first_path.to_str().unwrap()]);
    assert!(output.status.success(), "{}", stderr(&output));
    let second_path = dir.path().join("second.json");
    let output = run_cli(
        &copy,
        &["export", "--output", second_path.to_str().unwrap()],
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let (first, second) = (
        std::fs::read_to_string(&first_path).unwrap(),
        std::fs::read_to_string(&second_path).unwrap(),
    );
    assert_eq!(first, second, "the round trip gives the same bytes");
    for kept in [
        "\"published\"",
        "\"published_place\"",
        "Footer updated.",
        "Answer one corrected.",
        "b-renamed",
    ] {
        assert!(first.contains(kept), "the export keeps {kept}: {first}");
    }

    let copy_app = TestApp::builder().without_sample().on(copy).spawn().await;
    let copy_publisher = copy_app.signed_in(qanda::domain::Role::Publisher).await;
    let after = seen(&copy_app, &copy_publisher).await;
    assert_eq!(after.0, before.0, "readers' GraphQL tree");
    assert_eq!(after.1, before.1, "staff's working copies");
    assert_eq!(after.2, before.2, "readers' HTML page");
}

/// A file without published values (as written before they were
/// exported) publishes what it brings, and counts as an update.
#[tokio::test]
async fn an_older_file_publishes_what_it_brings() {
    let app = TestApp::builder().without_sample().spawn().await;
    app.import_json(json!([page_doc(
        "p",
        "LIVE",
        json!([
            { "slug": "a", "title": "A", "questions": [question_doc("one", "PUBLISHED")] },
        ])
    )]))
    .await;
    let readers = app.query("{ page(slug: \"p\") { title lastUpdatedAt categories { title questions { answer } } } }", json!({})).await;
    assert_eq!(readers["page"]["title"], "Page p");
    assert!(readers["page"]["lastUpdatedAt"].is_string());
    assert_eq!(readers["page"]["categories"][0]["title"], "A");
    assert_eq!(
        readers["page"]["categories"][0]["questions"][0]["answer"],
        "Answer for one."
    );
}
