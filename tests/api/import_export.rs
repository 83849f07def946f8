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
