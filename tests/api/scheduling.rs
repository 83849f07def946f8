//! Scheduled publish, expiry and retirement: honoured at read time, and
//! recorded once by the background task, even with several replicas.

use std::time::Duration;

use chrono::{Duration as Span, Utc};
use entity::{audit_event, question};
use qanda::domain::Role;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::json;

use crate::helpers::{page_doc, question_doc, TestApp, TestDatabase};

fn at(offset_minutes: i64) -> String {
    (Utc::now() + Span::minutes(offset_minutes)).to_rfc3339()
}

fn scheduled(
    slug: &str,
    status: &str,
    publish: Option<i64>,
    expire: Option<i64>,
) -> serde_json::Value {
    let mut doc = question_doc(slug, status);
    if let Some(m) = publish {
        doc["publish_at"] = json!(at(m));
    }
    if let Some(m) = expire {
        doc["expire_at"] = json!(at(m));
    }
    doc
}

const SLUGS: &str = "{ page(slug: \"p\") { status categories { questions { slug status } } } }";

fn slugs(data: &serde_json::Value) -> Vec<String> {
    data["page"]["categories"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|c| c["questions"].as_array().unwrap().clone())
        .map(|q| q["slug"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn readers_see_scheduled_changes_on_time_before_they_are_recorded() {
    let app = TestApp::builder().without_sample().spawn().await;
    app.import_json(json!([page_doc(
        "p",
        "LIVE",
        json!([{ "slug": "c", "title": "C", "questions": [
            scheduled("due-draft", "DRAFT", Some(-1), None),
            scheduled("future-draft", "DRAFT", Some(60), None),
            scheduled("expired", "PUBLISHED", None, Some(-1)),
            scheduled("expiring-later", "PUBLISHED", None, Some(60)),
        ]}])
    )]))
    .await;
    let data = app.query(SLUGS, json!({})).await;
    assert_eq!(slugs(&data), ["due-draft", "expiring-later"]);
    assert_eq!(
        data["page"]["categories"][0]["questions"][0]["status"],
        "PUBLISHED"
    );

    let mut retiring = page_doc(
        "old",
        "LIVE",
        json!([{ "slug": "c", "title": "C", "questions": [question_doc("q", "PUBLISHED")] }]),
    );
    retiring["retire_at"] = json!(at(-1));
    retiring["retirement_notice"] = json!("Closed on schedule.");
    app.import_json(json!([retiring])).await;
    let old = app
        .query(
            "{ page(slug: \"old\") { status retirementNotice categories { slug } } }",
            json!({}),
        )
        .await;
    assert_eq!(old["page"]["status"], "RETIRED");
    assert_eq!(old["page"]["categories"], json!([]));
    let response = app.client.get(app.url("/pages/old")).send().await.unwrap();
    assert_eq!(response.status(), 410);
}

#[tokio::test]
async fn due_transitions_are_recorded_once() {
    let app = TestApp::builder().without_sample().spawn().await;
    let mut retiring = page_doc(
        "p",
        "LIVE",
        json!([{ "slug": "c", "title": "C", "questions": [
            scheduled("due-draft", "DRAFT", Some(-1), None),
            scheduled("expired", "PUBLISHED", None, Some(-1)),
            scheduled("future-draft", "DRAFT", Some(60), None),
        ]}]),
    );
    retiring["retire_at"] = json!(at(-1));
    retiring["retirement_notice"] = json!("Closed.");
    app.import_json(json!([retiring])).await;

    let first = qanda::service::schedule::record_due(&app.db).await.unwrap();
    assert_eq!((first.published, first.expired, first.retired), (1, 1, 1));
    let second = qanda::service::schedule::record_due(&app.db).await.unwrap();
    assert_eq!(
        (second.published, second.expired, second.retired),
        (0, 0, 0)
    );

    let rows = question::Entity::find().all(&app.db).await.unwrap();
    let status = |slug: &str| rows.iter().find(|q| q.slug == slug).unwrap().status.clone();
    assert_eq!(status("due-draft"), "PUBLISHED");
    assert_eq!(status("expired"), "ARCHIVED");
    assert_eq!(status("future-draft"), "DRAFT");
    let admin = app.signed_in(Role::Admin).await;
    let page = admin
        .query(
            "{ page(slug: \"p\", includeDrafts: true) { status retiredAt retireAt } }",
            json!({}),
        )
        .await;
    assert_eq!(page["page"]["status"], "RETIRED");
    assert!(page["page"]["retireAt"].is_null() && page["page"]["retiredAt"].is_string());
    for action in ["question.publish", "question.expire", "page.retire"] {
        let count = audit_event::Entity::find()
            .filter(audit_event::Column::Action.eq(action))
            .count(&app.db)
            .await
            .unwrap();
        assert_eq!(count, 1, "{action}");
    }
}

#[tokio::test]
async fn publishers_schedule_questions_and_admins_schedule_retirement() {
    let app = TestApp::builder().without_sample().spawn().await;
    app.import_json(json!([page_doc(
        "p",
        "LIVE",
        json!([{ "slug": "c", "title": "C", "questions": [
            question_doc("draft", "DRAFT"), question_doc("live", "PUBLISHED"),
        ]}])
    )]))
    .await;
    let ids = app
        .signed_in(Role::Editor)
        .await
        .query("{ page(slug: \"p\", includeDrafts: true) { id categories { questions { id slug } } } }", json!({}))
        .await;
    let page_id = ids["page"]["id"].clone();
    let draft = ids["page"]["categories"][0]["questions"][0]["id"].clone();
    let live = ids["page"]["categories"][0]["questions"][1]["id"].clone();
    let schedule = "mutation($id: ID!, $v: Int!, $p: DateTime, $e: DateTime) { scheduleQuestion(id: $id, version: $v, publishAt: $p, expireAt: $e) { version publishAt expireAt } }";

    let editor = app.signed_in(Role::Editor).await;
    editor
        .expect_error(
            schedule,
            json!({ "id": draft, "v": 1, "p": at(60) }),
            "FORBIDDEN",
        )
        .await;
    let publisher = app.signed_in(Role::Publisher).await;
    let error = publisher
        .expect_error(
            schedule,
            json!({ "id": draft, "v": 1, "p": at(60), "e": at(30) }),
            "BAD_USER_INPUT",
        )
        .await;
    assert_eq!(error["extensions"]["fields"][0]["field"], "expireAt");
    let error = publisher
        .expect_error(
            schedule,
            json!({ "id": live, "v": 1, "p": at(60) }),
            "BAD_USER_INPUT",
        )
        .await;
    assert_eq!(error["extensions"]["fields"][0]["field"], "publishAt");
    let done = publisher
        .query(
            schedule,
            json!({ "id": draft, "v": 1, "p": at(60), "e": at(120) }),
        )
        .await;
    assert_eq!(done["scheduleQuestion"]["version"], 2);
    assert!(done["scheduleQuestion"]["publishAt"].is_string());

    let retire = "mutation($id: ID!, $v: Int!, $at: DateTime, $n: String!) { scheduleRetirement(id: $id, version: $v, retireAt: $at, notice: $n) { version retireAt status } }";
    publisher
        .expect_error(
            retire,
            json!({ "id": page_id, "v": 1, "at": at(60), "n": "Bye." }),
            "FORBIDDEN",
        )
        .await;
    let admin = app.signed_in(Role::Admin).await;
    admin
        .expect_error(
            retire,
            json!({ "id": page_id, "v": 1, "at": at(60), "n": " " }),
            "BAD_USER_INPUT",
        )
        .await;
    let set = admin
        .query(
            retire,
            json!({ "id": page_id, "v": 1, "at": at(60), "n": "Bye." }),
        )
        .await;
    assert_eq!(set["scheduleRetirement"]["status"], "LIVE");
    assert!(set["scheduleRetirement"]["retireAt"].is_string());
    let cancelled = admin
        .query(
            retire,
            json!({ "id": page_id, "v": 2, "at": null, "n": "" }),
        )
        .await;
    assert!(cancelled["scheduleRetirement"]["retireAt"].is_null());
}

/// Two `qanda serve` processes on one PostgreSQL database race to record
/// the same due transitions; each is recorded exactly once.
#[tokio::test]
async fn two_replicas_record_each_transition_exactly_once() {
    let Some(database) = TestDatabase::postgres().await else {
        return;
    };
    let app = TestApp::builder()
        .without_sample()
        .on(database)
        .spawn()
        .await;
    let questions: Vec<_> = (0..20)
        .map(|n| scheduled(&format!("q{n}"), "DRAFT", Some(-1), None))
        .collect();
    app.import_json(json!([page_doc(
        "p",
        "LIVE",
        json!([{ "slug": "c", "title": "C", "questions": questions }])
    )]))
    .await;

    let mut replicas: Vec<std::process::Child> = (0..2)
        .map(|_| {
            std::process::Command::new(env!("CARGO_BIN_EXE_qanda"))
                .args(["serve", "--bind", "127.0.0.1:0"])
                .envs(app.database.env())
                .env("QANDA_SCHEDULER_INTERVAL_SECS", "1")
                .env("QANDA_LOG", "warn")
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::null())
                .spawn()
                .expect("qanda serve starts")
        })
        .collect();
    let mut published = 0;
    for _ in 0..150 {
        published = question::Entity::find()
            .filter(question::Column::Status.eq("PUBLISHED"))
            .count(&app.db)
            .await
            .unwrap();
        if published == 20 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    // Let both replicas run at least one more round over the same rows.
    tokio::time::sleep(Duration::from_millis(2500)).await;
    for replica in &mut replicas {
        let _ = replica.kill();
        let _ = replica.wait();
    }
    assert_eq!(published, 20);
    let events = audit_event::Entity::find()
        .filter(audit_event::Column::Action.eq("question.publish"))
        .count(&app.db)
        .await
        .unwrap();
    assert_eq!(
        events, 20,
        "each scheduled publish is recorded exactly once"
    );
    let versions: Vec<i32> = question::Entity::find()
        .all(&app.db)
        .await
        .unwrap()
        .iter()
        .map(|q| q.version)
        .collect();
    assert!(
        versions.iter().all(|v| *v == 2),
        "one transition each: {versions:?}"
    );
}
