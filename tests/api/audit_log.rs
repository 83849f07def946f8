//! The audit log as a person reads it: who did each thing by name, what it
//! was done to by title, the actions to filter by, and filters by action
//! and by time, in a fixed number of statements however long the list.

use chrono::{Duration, Utc};
use entity::audit_event;
use qanda::domain::Role;
use sea_orm::{EntityTrait, PaginatorTrait, QueryOrder};
use serde_json::{json, Value};

use crate::helpers::{page_doc, question_doc, Person, TestApp, PASSWORD};

const EVENTS: &str = "query Events($action: String, $since: DateTime, $until: DateTime) {
  auditEvents(first: 100, action: $action, since: $since, until: $until) {
    totalCount
    nodes { id action actorName actor { id } targetType targetId target { kind id title pageSlug } }
  }
}";

async fn events(admin: &Person, variables: Value) -> Vec<Value> {
    admin.query(EVENTS, variables).await["auditEvents"]["nodes"]
        .as_array()
        .expect("nodes")
        .clone()
}

/// The newest event with this action.
fn newest<'a>(events: &'a [Value], action: &str) -> &'a Value {
    events
        .iter()
        .find(|e| e["action"] == action)
        .unwrap_or_else(|| panic!("no {action} in {events:?}"))
}

fn id_of(value: &Value) -> String {
    value["id"].as_str().expect("an id").to_owned()
}

/// A page with a category and a question made by `admin`; returns the
/// ids of the page, the category and the question.
async fn make_content(admin: &Person) -> (String, String, String) {
    let page = admin
        .query(
            "mutation { createPage(input: { title: \"Audit page\", slug: \"audit-page\" }) { id } }",
            json!({}),
        )
        .await["createPage"]
        .clone();
    let category = admin
        .query(
            "mutation($p: ID!) { createCategory(input: { pageId: $p, title: \"Audit category\" }) { id } }",
            json!({ "p": id_of(&page) }),
        )
        .await["createCategory"]
        .clone();
    let question = admin
        .query(
            "mutation($c: ID!) { createQuestion(input: { categoryId: $c, question: \"Who reads the log?\", answer: \"People.\" }) { id } }",
            json!({ "c": id_of(&category) }),
        )
        .await["createQuestion"]
        .clone();
    (id_of(&page), id_of(&category), id_of(&question))
}

#[tokio::test]
async fn events_name_who_did_them_and_what_they_were_done_to() {
    let app = TestApp::spawn().await;
    let admin = app.signed_in(Role::Admin).await;
    let (page_id, category_id, question_id) = make_content(&admin).await;
    let webhook = admin
        .query(
            "mutation { createWebhook(input: { url: \"https://example.org/hook\", events: [QUESTION_PUBLISHED], description: \"Site rebuild\" }) { webhook { id } } }",
            json!({}),
        )
        .await["createWebhook"]["webhook"]
        .clone();
    let editor_id = app.create_user("editor@example.org", Role::Editor).await;
    // A draft created and deleted: the log keeps its id, not its title.
    let doomed = admin
        .query(
            "mutation($c: ID!) { createQuestion(input: { categoryId: $c, question: \"Gone soon?\", answer: \"Yes.\" }) { id version } }",
            json!({ "c": category_id }),
        )
        .await["createQuestion"]
        .clone();
    admin
        .query(
            "mutation($id: ID!, $v: Int!) { deleteQuestion(id: $id, version: $v) { id } }",
            json!({ "id": id_of(&doomed), "v": doomed["version"] }),
        )
        .await;
    app.anonymous()
        .expect_error(
            "mutation($e: String!, $p: String!) { signIn(email: $e, password: $p) { id } }",
            json!({ "e": "editor@example.org", "p": format!("{PASSWORD} but wrong") }),
            "UNAUTHENTICATED",
        )
        .await;

    let all = events(&admin, json!({})).await;
    let admin_name = "Admin person";

    let page = newest(&all, "page.create");
    assert_eq!(page["actorName"], admin_name);
    assert_eq!(page["actor"]["id"], admin.user_id.clone().unwrap().as_str());
    assert_eq!(
        page["target"],
        json!({ "kind": "PAGE", "id": page_id, "title": "Audit page", "pageSlug": "audit-page" })
    );
    assert_eq!(
        newest(&all, "category.create")["target"],
        json!({ "kind": "CATEGORY", "id": category_id, "title": "Audit category", "pageSlug": "audit-page" })
    );
    assert_eq!(
        all.iter()
            .find(|e| e["action"] == "question.create" && e["targetId"] == question_id.as_str())
            .expect("the question's creation")["target"],
        json!({ "kind": "QUESTION", "id": question_id, "title": "Who reads the log?", "pageSlug": "audit-page" })
    );
    assert_eq!(
        newest(&all, "webhook.create")["target"],
        json!({ "kind": "WEBHOOK", "id": id_of(&webhook), "title": "Site rebuild", "pageSlug": null })
    );
    let user = all
        .iter()
        .find(|e| e["action"] == "user.create" && e["targetId"] == editor_id.as_str())
        .expect("the editor's creation");
    assert_eq!(
        user["target"],
        json!({ "kind": "USER", "id": editor_id, "title": "Editor person", "pageSlug": null })
    );
    // Created through the service layer, as the command line does.
    assert_eq!(user["actorName"], "System");
    assert_eq!(user["actor"], Value::Null);

    let deleted = newest(&all, "question.delete");
    assert_eq!(
        deleted["target"],
        json!({ "kind": "QUESTION", "id": id_of(&doomed), "title": null, "pageSlug": null })
    );

    let failure = newest(&all, "sign_in.failure");
    assert_eq!(failure["actorName"], "Anonymous");
    assert_eq!(failure["actor"], Value::Null);
    let import = newest(&all, "content.import");
    assert_eq!(import["actorName"], "System");
    assert_eq!(import["target"], Value::Null);
}

#[tokio::test]
async fn changes_made_on_schedule_say_so() {
    let app = TestApp::builder().without_sample().spawn().await;
    let mut due = question_doc("due", "DRAFT");
    due["publish_at"] = json!((Utc::now() - Duration::minutes(1)).to_rfc3339());
    app.import_json(json!([page_doc(
        "p",
        "LIVE",
        json!([{ "slug": "c", "title": "C", "questions": [due] }])
    )]))
    .await;
    qanda::service::schedule::record_due(&app.db)
        .await
        .expect("the scheduler runs");
    let admin = app.signed_in(Role::Admin).await;
    let published = events(&admin, json!({ "action": "question.publish" })).await;
    assert_eq!(published.len(), 1, "{published:?}");
    assert_eq!(published[0]["actorName"], "Scheduled");
    assert_eq!(published[0]["target"]["title"], "Question due?");
}

#[tokio::test]
async fn the_actions_to_filter_by_include_every_recorded_action() {
    let app = TestApp::spawn().await;
    let admin = app.signed_in(Role::Admin).await;
    make_content(&admin).await;
    app.anonymous()
        .expect_error(
            "mutation { signIn(email: \"nobody@example.org\", password: \"not the password\") { id } }",
            json!({}),
            "UNAUTHENTICATED",
        )
        .await;
    admin.query("mutation { signOut }", json!({})).await;
    let admin = app.signed_in(Role::Admin).await;

    let listed: Vec<String> = admin.query("{ auditActions }", json!({})).await["auditActions"]
        .as_array()
        .expect("a list")
        .iter()
        .map(|a| a.as_str().expect("a string").to_owned())
        .collect();
    for action in [
        "question.publish",
        "sign_in.failure",
        "page.retire",
        "webhook.delete",
    ] {
        assert!(listed.iter().any(|a| a == action), "{action} in {listed:?}");
    }
    let recorded = audit_event::Entity::find()
        .order_by_asc(audit_event::Column::Id)
        .all(&app.db)
        .await
        .unwrap();
    assert!(recorded.len() >= 6);
    for event in recorded {
        assert!(
            listed.contains(&event.action),
            "{} is recorded but not offered as a filter",
            event.action
        );
    }

    let editor = app.signed_in(Role::Editor).await;
    editor
        .expect_error("{ auditActions }", json!({}), "FORBIDDEN")
        .await;
    app.anonymous()
        .expect_error("{ auditActions }", json!({}), "UNAUTHENTICATED")
        .await;
}

#[tokio::test]
async fn events_are_filtered_by_action_and_by_time() {
    let app = TestApp::spawn().await;
    let admin = app.signed_in(Role::Admin).await;
    tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    let before_content = Utc::now();
    tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    make_content(&admin).await;
    tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    let after_content = Utc::now();

    let created = events(&admin, json!({ "action": "category.create" })).await;
    assert_eq!(created.len(), 1);
    assert!(created.iter().all(|e| e["action"] == "category.create"));

    let during = events(
        &admin,
        json!({ "since": before_content.to_rfc3339(), "until": after_content.to_rfc3339() }),
    )
    .await;
    let actions: Vec<&str> = during
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        actions,
        ["question.create", "category.create", "page.create"]
    );
    let before = events(&admin, json!({ "until": before_content.to_rfc3339() })).await;
    assert!(before.iter().all(|e| e["action"] != "page.create"));
    assert!(before.iter().any(|e| e["action"] == "content.import"));
    let both = events(
        &admin,
        json!({ "action": "page.create", "since": after_content.to_rfc3339() }),
    )
    .await;
    assert!(both.is_empty(), "{both:?}");
}

#[tokio::test]
async fn a_time_range_that_ends_before_it_starts_is_refused_and_changes_nothing() {
    let app = TestApp::spawn().await;
    let admin = app.signed_in(Role::Admin).await;
    let stored = || async { audit_event::Entity::find().count(&app.db).await.unwrap() };
    let count = stored().await;
    let now = Utc::now();
    for until in [now - Duration::days(1), now] {
        let error = admin
            .expect_error(
                EVENTS,
                json!({ "since": now.to_rfc3339(), "until": until.to_rfc3339() }),
                "BAD_USER_INPUT",
            )
            .await;
        assert_eq!(
            error["extensions"]["fields"][0]["field"], "until",
            "{error}"
        );
    }
    assert_eq!(stored().await, count, "a refused read records nothing");
    // Not a question of input for someone who may not read the log.
    let editor = app.signed_in(Role::Editor).await;
    editor
        .expect_error(
            EVENTS,
            json!({ "since": now.to_rfc3339(), "until": (now - Duration::days(1)).to_rfc3339() }),
            "FORBIDDEN",
        )
        .await;
}

/// Statements run to list the log with names and titles, and how many
/// events it listed. The fewest of three tries: a loader gathers keys for
/// a millisecond, so on a busy machine a batch can be split in two, which
/// says nothing about the number of events.
async fn statements_for_log(app: &TestApp, admin: &Person) -> (u64, usize) {
    let mut fewest = (u64::MAX, 0);
    for _ in 0..3 {
        let before = app.statements.get();
        let listed = events(admin, json!({})).await;
        fewest = fewest.min((app.statements.get() - before, listed.len()));
    }
    fewest
}

#[tokio::test]
async fn names_and_titles_cost_the_same_statements_however_many_events() {
    let app = TestApp::builder()
        .without_sample()
        .configure(|args| args.no_response_cache = true)
        .spawn()
        .await;
    let admin = app.signed_in(Role::Admin).await;
    make_content(&admin).await;
    let (few, few_events) = statements_for_log(&app, &admin).await;
    for n in 0..5 {
        let another = app.signed_in(Role::Admin).await;
        another
            .query(
                "mutation($t: String!) { createPage(input: { title: $t }) { id } }",
                json!({ "t": format!("Page {n}") }),
            )
            .await;
    }
    make_content_again(&admin).await;
    let (many, many_events) = statements_for_log(&app, &admin).await;
    println!("statements: {few} for {few_events} events, {many} for {many_events} events");
    assert!(
        many_events > few_events + 10,
        "{few_events} then {many_events}"
    );
    assert_eq!(few, many, "statement count must not grow with the events");
}

/// More of every kind of item: a second page, category and question.
async fn make_content_again(admin: &Person) {
    let page = admin
        .query(
            "mutation { createPage(input: { title: \"Second page\" }) { id } }",
            json!({}),
        )
        .await["createPage"]
        .clone();
    let category = admin
        .query(
            "mutation($p: ID!) { createCategory(input: { pageId: $p, title: \"Second category\" }) { id } }",
            json!({ "p": id_of(&page) }),
        )
        .await["createCategory"]
        .clone();
    admin
        .query(
            "mutation($c: ID!) { createQuestion(input: { categoryId: $c, question: \"Second?\", answer: \"Yes.\" }) { id } }",
            json!({ "c": id_of(&category) }),
        )
        .await;
}
