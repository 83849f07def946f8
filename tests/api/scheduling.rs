//! Scheduled publish, expiry and retirement: honoured at read time, and
//! recorded once by the background task, even with several replicas.

use std::time::Duration;

use chrono::{Duration as Span, Utc};
use entity::{audit_event, page, question, revision, webhook_delivery};
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

/// A live page with one published question whose retirement time passed a
/// minute ago (the background task, hourly here, has not recorded it).
fn retired_a_minute_ago(slug: &str) -> serde_json::Value {
    let mut page = page_doc(
        slug,
        "LIVE",
        json!([{ "slug": "c", "title": "C", "questions": [question_doc("q", "PUBLISHED")] }]),
    );
    page["retire_at"] = json!(at(-1));
    page["retirement_notice"] = json!("Closed on schedule.");
    page
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

    app.import_json(json!([retired_a_minute_ago("old")])).await;
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

/// Between its `retireAt` and the background task's record, a page is
/// retired for everyone: readers, the API (status and `retiredAt`) and
/// staff alike. It can be reinstated then, but not rescheduled, cancelled
/// or retired a second time.
#[tokio::test]
async fn a_page_past_its_retirement_time_is_retired_for_all_before_it_is_recorded() {
    let app = TestApp::builder().without_sample().spawn().await;
    app.import_json(json!([retired_a_minute_ago("old")])).await;

    const PAGE: &str = "{ page(slug: \"old\", includeDrafts: true) { id version status retireAt retiredAt categories { slug } } }";
    let anonymous = app.query(PAGE, json!({})).await["page"].clone();
    assert_eq!(anonymous["status"], "RETIRED");
    assert!(anonymous["retiredAt"].is_string(), "{anonymous}");
    assert_eq!(anonymous["retiredAt"], anonymous["retireAt"]);
    assert_eq!(anonymous["categories"], json!([]));

    let admin = app.signed_in(Role::Admin).await;
    let staff = admin.query(PAGE, json!({})).await["page"].clone();
    assert_eq!(staff["status"], "RETIRED", "staff see what readers get");
    assert_eq!(staff["retiredAt"], anonymous["retiredAt"]);
    let (id, version) = (staff["id"].clone(), staff["version"].clone());

    let cancel = "mutation($id: ID!, $v: Int!) { scheduleRetirement(id: $id, version: $v, retireAt: null) { version } }";
    let error = admin
        .expect_error(cancel, json!({ "id": id, "v": version }), "BAD_USER_INPUT")
        .await;
    assert!(
        error["message"]
            .as_str()
            .unwrap()
            .contains("already retired"),
        "{error}"
    );
    let later = "mutation($id: ID!, $v: Int!, $at: DateTime) { scheduleRetirement(id: $id, version: $v, retireAt: $at, notice: \"Later.\") { version } }";
    admin
        .expect_error(
            later,
            json!({ "id": id, "v": version, "at": at(60) }),
            "BAD_USER_INPUT",
        )
        .await;
    let retire = "mutation($id: ID!, $v: Int!) { retirePage(id: $id, version: $v, notice: \"Again.\") { version } }";
    admin
        .expect_error(retire, json!({ "id": id, "v": version }), "BAD_USER_INPUT")
        .await;
    let unchanged = admin.query(PAGE, json!({})).await["page"].clone();
    assert_eq!(unchanged, staff, "refused changes change nothing");
    let response = app.client.get(app.url("/pages/old")).send().await.unwrap();
    assert_eq!(response.status(), 410);

    let reinstated = admin
        .query(
            "mutation($id: ID!, $v: Int!) { reinstatePage(id: $id, version: $v) { status retireAt retiredAt } }",
            json!({ "id": id, "v": version }),
        )
        .await;
    assert_eq!(
        reinstated["reinstatePage"],
        json!({ "status": "LIVE", "retireAt": null, "retiredAt": null })
    );
    let recorded = qanda::service::schedule::record_due(&app.db).await.unwrap();
    assert_eq!(
        recorded.retired, 0,
        "a reinstated page is not retired again"
    );
    let response = app.client.get(app.url("/pages/old")).send().await.unwrap();
    assert_eq!(response.status(), 200);
    let live = app.query(PAGE, json!({})).await["page"].clone();
    assert_eq!(live["status"], "LIVE");
    assert_eq!(live["categories"], json!([{ "slug": "c" }]));
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
            edited_live("due-change", Some(-1)),
            edited_live("future-change", Some(60)),
        ]}]),
    );
    retiring["retire_at"] = json!(at(-1));
    retiring["retirement_notice"] = json!("Closed.");
    app.import_json(json!([retiring])).await;

    let first = qanda::service::schedule::record_due(&app.db).await.unwrap();
    assert_eq!((first.published, first.expired, first.retired), (2, 1, 1));
    let second = qanda::service::schedule::record_due(&app.db).await.unwrap();
    assert_eq!(
        (second.published, second.expired, second.retired),
        (0, 0, 0)
    );

    let rows = question::Entity::find().all(&app.db).await.unwrap();
    let status = |slug: &str| {
        rows.iter()
            .find(|q| q.slug == slug)
            .unwrap()
            .status
            .as_str()
    };
    assert_eq!(status("due-draft"), "PUBLISHED");
    assert_eq!(status("expired"), "ARCHIVED");
    assert_eq!(status("future-draft"), "DRAFT");
    let live_answer = |slug: &str| {
        rows.iter()
            .find(|q| q.slug == slug)
            .unwrap()
            .live_answer
            .clone()
    };
    assert_eq!(
        live_answer("due-change").as_deref(),
        Some("Answer for due-change.")
    );
    assert_eq!(
        live_answer("future-change").as_deref(),
        Some("Old answer for future-change.")
    );
    let admin = app.signed_in(Role::Admin).await;
    let page = admin
        .query(
            "{ page(slug: \"p\", includeDrafts: true) { status retiredAt retireAt } }",
            json!({}),
        )
        .await;
    assert_eq!(page["page"]["status"], "RETIRED");
    assert!(page["page"]["retireAt"].is_null() && page["page"]["retiredAt"].is_string());
    for (action, expected) in [
        ("question.publish", 2),
        ("question.expire", 1),
        ("page.retire", 1),
    ] {
        let count = audit_event::Entity::find()
            .filter(audit_event::Column::Action.eq(action))
            .count(&app.db)
            .await
            .unwrap();
        assert_eq!(count, expected, "{action}");
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
    let error = admin
        .expect_error(
            retire,
            json!({ "id": page_id, "v": 1, "at": at(-1), "n": "Bye." }),
            "BAD_USER_INPUT",
        )
        .await;
    assert_eq!(error["extensions"]["fields"][0]["field"], "retireAt");
    let response = app.client.get(app.url("/pages/p")).send().await.unwrap();
    assert_eq!(response.status(), 200, "a refused schedule retired nothing");
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
/// the same due transitions (publications, expiries, retirements); each is
/// recorded exactly once: one status change, one revision, one audit event
/// and one webhook delivery.
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
    let admin = app.signed_in(Role::Admin).await;
    // Nothing listens there: deliveries are queued, and fail, but exist.
    admin
        .query(
            "mutation { createWebhook(input: { url: \"http://127.0.0.1:9/hook\", events: [QUESTION_PUBLISHED, QUESTION_ARCHIVED, PAGE_RETIRED] }) { webhook { id } } }",
            json!({}),
        )
        .await;
    let questions: Vec<_> = (0..20)
        .map(|n| scheduled(&format!("q{n}"), "DRAFT", Some(-1), None))
        .chain((0..10).map(|n| scheduled(&format!("e{n}"), "PUBLISHED", None, Some(-1))))
        .chain((0..5).map(|n| edited_live(&format!("s{n}"), Some(-1))))
        .collect();
    let mut pages = vec![page_doc(
        "p",
        "LIVE",
        json!([{ "slug": "c", "title": "C", "questions": questions }]),
    )];
    for n in 0..3 {
        let mut retiring = page_doc(&format!("r{n}"), "LIVE", json!([]));
        retiring["retire_at"] = json!(at(-1));
        retiring["retirement_notice"] = json!("Closed.");
        pages.push(retiring);
    }
    app.import_json(json!(pages)).await;
    let versions_before = revision::Entity::find().count(&app.db).await.unwrap();

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
    let count = |action: &'static str| {
        audit_event::Entity::find()
            .filter(audit_event::Column::Action.eq(action))
            .count(&app.db)
    };
    for _ in 0..150 {
        let done = count("question.publish").await.unwrap() == 25
            && count("question.expire").await.unwrap() == 10
            && count("page.retire").await.unwrap() == 3;
        if done {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    // Let both replicas run at least one more round over the same rows.
    tokio::time::sleep(Duration::from_millis(2500)).await;
    for replica in &mut replicas {
        assert!(
            replica.try_wait().unwrap().is_none(),
            "both replicas were running to the end"
        );
        let _ = replica.kill();
        let _ = replica.wait();
    }

    for (action, expected) in [
        ("question.publish", 25),
        ("question.expire", 10),
        ("page.retire", 3),
    ] {
        assert_eq!(
            count(action).await.unwrap(),
            expected,
            "each {action} is recorded exactly once"
        );
    }
    let rows = question::Entity::find().all(&app.db).await.unwrap();
    let statuses = |prefix: &str| {
        rows.iter()
            .filter(|q| q.slug.starts_with(prefix))
            .map(|q| (q.status.as_str(), q.version))
            .collect::<std::collections::BTreeSet<_>>()
    };
    assert_eq!(
        statuses("q"),
        [("PUBLISHED", 2)].into(),
        "one transition each"
    );
    assert_eq!(
        statuses("s"),
        [("PUBLISHED", 2)].into(),
        "one scheduled change each"
    );
    assert!(rows
        .iter()
        .filter(|q| q.slug.starts_with('s'))
        .all(|q| q.live_answer.as_deref() == Some(q.answer.as_str()) && q.publish_at.is_none()));
    assert_eq!(
        statuses("e"),
        [("ARCHIVED", 2)].into(),
        "one transition each"
    );
    let retired = page::Entity::find()
        .filter(page::Column::Slug.starts_with("r"))
        .all(&app.db)
        .await
        .unwrap();
    assert!(
        retired
            .iter()
            .all(|p| p.status.as_str() == "RETIRED" && p.version == 2),
        "one retirement each: {retired:?}"
    );
    let revisions = revision::Entity::find().count(&app.db).await.unwrap();
    assert_eq!(
        revisions - versions_before,
        38,
        "one revision per transition"
    );
    let deliveries = webhook_delivery::Entity::find().all(&app.db).await.unwrap();
    let mut per_event: Vec<&str> = deliveries.iter().map(|d| d.event.as_str()).collect();
    per_event.sort_unstable();
    per_event.dedup();
    assert_eq!(deliveries.len(), 38, "one delivery per transition");
    assert_eq!(
        per_event,
        ["page.retired", "question.archived", "question.published"]
    );
}

/// A published question whose live text the editor has changed, with its
/// working answer and its live answer given.
fn edited_live(slug: &str, publish: Option<i64>) -> serde_json::Value {
    let mut doc = scheduled(slug, "PUBLISHED", publish, None);
    doc["live_question"] = doc["question"].clone();
    doc["live_answer"] = json!(format!("Old answer for {slug}."));
    doc
}

const ANSWER: &str = "{ page(slug: \"p\") { categories { questions { slug status answer } } } }";

/// A change to a live answer, scheduled: readers see the old text until
/// its time and the working copy (as it stands then, saves after
/// scheduling included) from then on, before the background task records
/// it; the task records it once, as a publication on schedule.
#[tokio::test]
async fn a_scheduled_change_to_a_live_answer_replaces_it_on_time_and_is_recorded_once() {
    let app = TestApp::builder().without_sample().spawn().await;
    app.import_json(json!([page_doc(
        "p",
        "LIVE",
        json!([{ "slug": "c", "title": "C", "questions": [question_doc("q", "PUBLISHED")] }])
    )]))
    .await;
    let publisher = app.signed_in(Role::Publisher).await;
    let id = publisher
        .query(
            "{ page(slug: \"p\") { categories { questions { id } } } }",
            json!({}),
        )
        .await["page"]["categories"][0]["questions"][0]["id"]
        .clone();
    let schedule = "mutation($id: ID!, $v: Int!, $p: DateTime) { scheduleQuestion(id: $id, version: $v, publishAt: $p) { version publishAt hasUnpublishedChanges } }";
    let update = "mutation($id: ID!, $v: Int!, $a: String!) { updateQuestion(id: $id, version: $v, input: { answer: $a }) { version } }";

    let error = publisher
        .expect_error(
            schedule,
            json!({ "id": id, "v": 1, "p": at(60) }),
            "BAD_USER_INPUT",
        )
        .await;
    assert_eq!(error["extensions"]["fields"][0]["field"], "publishAt");
    assert_eq!(
        error["extensions"]["fields"][0]["message"],
        "This question has no unpublished changes to schedule"
    );

    publisher
        .query(
            update,
            json!({ "id": id, "v": 1, "a": "The scheduled answer." }),
        )
        .await;
    let set = publisher
        .query(schedule, json!({ "id": id, "v": 2, "p": at(60) }))
        .await;
    assert_eq!(set["scheduleQuestion"]["version"], 3);
    assert!(set["scheduleQuestion"]["publishAt"].is_string());
    assert_eq!(set["scheduleQuestion"]["hasUnpublishedChanges"], true);
    // Saved after scheduling: the scheduled change is the working copy as
    // it stands when its time comes.
    publisher
        .query(
            update,
            json!({ "id": id, "v": 3, "a": "The answer, corrected after scheduling." }),
        )
        .await;

    let answer = |data: serde_json::Value| {
        data["page"]["categories"][0]["questions"][0]["answer"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    assert_eq!(answer(app.query(ANSWER, json!({})).await), "Answer for q.");
    let html = app.get_text("/pages/p").await;
    assert!(html.contains("Answer for q.") && !html.contains("corrected after scheduling"));

    // Its time has come; the background task (hourly here) has not run.
    question::Entity::update_many()
        .col_expr(
            question::Column::PublishAt,
            sea_orm::sea_query::Expr::value(Some(Utc::now() - Span::seconds(1))),
        )
        .filter(question::Column::Slug.eq("q"))
        .exec(&app.db)
        .await
        .unwrap();
    let read = app.query(ANSWER, json!({})).await;
    assert_eq!(
        answer(read.clone()),
        "The answer, corrected after scheduling."
    );
    assert_eq!(
        read["page"]["categories"][0]["questions"][0]["status"],
        "PUBLISHED"
    );
    let html = app.get_text("/pages/p").await;
    assert!(
        html.contains("The answer, corrected after scheduling.") && !html.contains("Answer for q.")
    );
    let staff = publisher
        .query(
            "{ page(slug: \"p\") { categories { questions { hasUnpublishedChanges } } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        staff["page"]["categories"][0]["questions"][0]["hasUnpublishedChanges"], false,
        "readers see it already"
    );
    let stored = question::Entity::find()
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        stored.live_answer.as_deref(),
        Some("Answer for q."),
        "not recorded yet"
    );

    let first = qanda::service::schedule::record_due(&app.db).await.unwrap();
    assert_eq!(first.published, 1);
    let second = qanda::service::schedule::record_due(&app.db).await.unwrap();
    assert_eq!(second.published, 0);
    let stored = question::Entity::find()
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        stored.live_answer.as_deref(),
        Some("The answer, corrected after scheduling.")
    );
    assert_eq!((stored.status.as_str(), stored.version), ("PUBLISHED", 5));
    assert!(stored.publish_at.is_none());
    assert_eq!(
        answer(app.query(ANSWER, json!({})).await),
        "The answer, corrected after scheduling."
    );
    let newest = revision::Entity::find()
        .filter(revision::Column::ItemType.eq("question"))
        .filter(revision::Column::ItemId.eq(stored.id))
        .filter(revision::Column::ItemVersion.eq(5))
        .one(&app.db)
        .await
        .unwrap()
        .expect("a revision of the publication");
    assert_eq!(newest.note.as_deref(), Some("Scheduled"));
    assert_eq!(newest.action.as_deref(), Some("question.publish"));
    let published = audit_event::Entity::find()
        .filter(audit_event::Column::Action.eq("question.publish"))
        .count(&app.db)
        .await
        .unwrap();
    assert_eq!(published, 1);
    let updates = entity::page_update::Entity::find()
        .filter(entity::page_update::Column::PublishedAt.eq(stored.published_at.unwrap()))
        .count(&app.db)
        .await
        .unwrap();
    assert_eq!(updates, 1, "readers' Last updated is the scheduled time");

    // Nothing left to publish, or archived: refused, on the publish time.
    let error = publisher
        .expect_error(
            schedule,
            json!({ "id": id, "v": 5, "p": at(60) }),
            "BAD_USER_INPUT",
        )
        .await;
    assert_eq!(error["extensions"]["fields"][0]["field"], "publishAt");
    let archive =
        "mutation($id: ID!, $v: Int!) { archiveQuestion(id: $id, version: $v) { version } }";
    publisher.query(archive, json!({ "id": id, "v": 5 })).await;
    let error = publisher
        .expect_error(
            schedule,
            json!({ "id": id, "v": 6, "p": at(60) }),
            "BAD_USER_INPUT",
        )
        .await;
    assert_eq!(error["extensions"]["fields"][0]["field"], "publishAt");
    assert_eq!(
        error["extensions"]["fields"][0]["message"],
        "An archived question cannot be scheduled for publishing. Restore it first."
    );
}
