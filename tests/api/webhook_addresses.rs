//! Webhooks cannot be pointed inside: addresses that are not on the public
//! internet are refused when a webhook is added or changed, and again at
//! every delivery, unless QANDA_WEBHOOK_ALLOW_PRIVATE is on. Every other
//! test server has it on, for receivers on 127.0.0.1; these turn it off.
//! Nothing here sends to anything but 127.0.0.1.

use std::time::{Duration, Instant};

use axum::http::StatusCode;
use qanda::domain::{Role, Viewer, WebhookEvent, WebhookTargets};
use qanda::service::webhooks::{self, NewWebhook};
use sea_orm::{EntityTrait, PaginatorTrait};
use serde_json::{json, Value};

use crate::helpers::{page_doc, question_doc, Person, TestApp, TestAppBuilder};
use crate::webhooks::Receiver;

const CREATE: &str = "mutation($input: CreateWebhookInput!) { createWebhook(input: $input) { webhook { id version url } } }";
const UPDATE: &str = "mutation($id: ID!, $v: Int!, $input: UpdateWebhookInput!) { updateWebhook(id: $id, version: $v, input: $input) { id version url } }";
const DELIVERIES: &str = "query($w: ID) { webhookDeliveries(webhookId: $w, first: 50) { nodes { id status attempts lastStatusCode lastError nextAttemptAt } } }";

/// A server with the default setting: webhooks reach the public internet only.
fn public_only() -> TestAppBuilder {
    TestApp::builder()
        .without_sample()
        .configure(|args| args.webhooks.webhook_allow_private = false)
}

async fn stored_webhooks(app: &TestApp) -> u64 {
    entity::webhook::Entity::find()
        .count(&app.db)
        .await
        .unwrap()
}

async fn stored_deliveries(app: &TestApp) -> u64 {
    entity::webhook_delivery::Entity::find()
        .count(&app.db)
        .await
        .unwrap()
}

/// Adding a webhook at `url` must fail on `url`; returns the message.
async fn refused_at(admin: &Person, url: &str) -> String {
    let error = admin
        .expect_error(
            CREATE,
            json!({ "input": { "url": url, "events": ["QUESTION_PUBLISHED"] } }),
            "BAD_USER_INPUT",
        )
        .await;
    let fields = error["extensions"]["fields"].as_array().unwrap();
    assert_eq!(fields.len(), 1, "{url}: {error}");
    assert_eq!(fields[0]["field"], "url", "{url}: {error}");
    fields[0]["message"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn internal_addresses_are_refused_when_a_webhook_is_added() {
    let app = public_only().spawn().await;
    let admin = app.signed_in(Role::Admin).await;
    for (url, says) in [
        ("http://127.0.0.1/", "127.0.0.1 is a loopback address"),
        (
            "http://127.0.0.1:9000/hook",
            "127.0.0.1 is a loopback address",
        ),
        // A name is judged by the addresses it leads to (127.0.0.1 or ::1).
        ("http://localhost/", "localhost leads to "),
        // Numeric forms the url crate reads as 127.0.0.1.
        ("http://2130706433/", "127.0.0.1 is a loopback address"),
        ("http://0x7f.1/", "127.0.0.1 is a loopback address"),
        ("http://[::ffff:127.0.0.1]/", "is a loopback address"),
        ("http://[::1]/", "::1 is a loopback address"),
        ("http://10.1.2.3/", "10.1.2.3 is a private network address"),
        ("http://192.168.1.10/", "is a private network address"),
        ("http://172.16.0.1/", "is a private network address"),
        ("http://100.64.0.1/", "carrier-grade NAT"),
        (
            "http://169.254.169.254/latest/meta-data/",
            "169.254.169.254 is a link-local address",
        ),
        ("http://[fe80::1]/", "fe80::1 is a link-local address"),
        (
            "http://[fc00::1]/",
            "fc00::1 is a private (unique-local) IPv6",
        ),
        ("http://[64:ff9b::a9fe:a9fe]/", "is a link-local address"),
    ] {
        let message = refused_at(&admin, url).await;
        assert!(message.contains(says), "{url}: {message}");
        assert!(
            message.starts_with("This web address cannot receive webhooks: "),
            "{message}"
        );
        assert!(
            message.contains("QANDA_WEBHOOK_ALLOW_PRIVATE=true"),
            "an internal address says how to allow it: {message}"
        );
    }
    // Never a receiver, so no setting is offered.
    for (url, says) in [
        ("http://0.0.0.0/", "0.0.0.0 is an unspecified"),
        ("http://224.0.0.1/", "224.0.0.1 is a multicast address"),
        ("http://[ff02::1]/", "ff02::1 is a multicast address"),
        (
            "http://255.255.255.255/",
            "is a reserved or broadcast address",
        ),
    ] {
        let message = refused_at(&admin, url).await;
        assert!(message.contains(says), "{url}: {message}");
        assert!(!message.contains("QANDA_WEBHOOK"), "{url}: {message}");
    }
    assert_eq!(stored_webhooks(&app).await, 0, "nothing was stored");
}

#[tokio::test]
async fn a_public_address_is_accepted_without_sending_it_anything() {
    let app = public_only().spawn().await;
    let admin = app.signed_in(Role::Admin).await;
    // An address, so no lookup either; nothing happens that announces an
    // event (an empty database, no changes), so nothing is queued for it.
    let created = admin
        .query(
            CREATE,
            json!({ "input": { "url": "http://93.184.216.34/hook", "events": ["PAGE_RETIRED"] } }),
        )
        .await["createWebhook"]["webhook"]
        .clone();
    assert_eq!(created["url"], "http://93.184.216.34/hook");

    // Moving it inside is refused, and leaves it as it was.
    let error = admin
        .expect_error(
            UPDATE,
            json!({ "id": created["id"], "v": created["version"], "input": { "url": "http://[::1]:8080/" } }),
            "BAD_USER_INPUT",
        )
        .await;
    assert_eq!(error["extensions"]["fields"][0]["field"], "url", "{error}");
    let stored = entity::webhook::Entity::find().all(&app.db).await.unwrap();
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].url, "http://93.184.216.34/hook");
    assert_eq!(Some(stored[0].version as i64), created["version"].as_i64());
    // Turned off too, so that nothing could ever be sent there.
    admin
        .query(
            UPDATE,
            json!({ "id": created["id"], "v": created["version"], "input": { "active": false } }),
        )
        .await;
    assert_eq!(
        stored_deliveries(&app).await,
        0,
        "nothing was sent or queued"
    );
}

#[tokio::test]
async fn with_the_setting_on_internal_addresses_are_accepted_but_impossible_ones_are_not() {
    // The test servers' default: QANDA_WEBHOOK_ALLOW_PRIVATE on.
    let app = TestApp::builder().without_sample().spawn().await;
    let admin = app.signed_in(Role::Admin).await;
    for url in [
        "http://127.0.0.1:9/hook",
        "http://localhost:9/hook",
        "http://10.1.2.3/hook",
        "http://[fc00::1]/hook",
    ] {
        admin
            .query(
                CREATE,
                json!({ "input": { "url": url, "events": ["PAGE_RETIRED"] } }),
            )
            .await;
    }
    for url in ["http://0.0.0.0/", "http://224.0.0.1/", "http://[ff02::1]/"] {
        refused_at(&admin, url).await;
    }
    assert_eq!(stored_webhooks(&app).await, 4);
    assert_eq!(stored_deliveries(&app).await, 0);
}

/// A live page "p" with a draft question "q1"; returns its (id, version).
async fn a_question_to_publish(app: &TestApp, admin: &Person) -> (String, i64) {
    app.import_json(json!([page_doc(
        "p",
        "LIVE",
        json!([{ "slug": "c", "title": "C", "questions": [question_doc("q1", "DRAFT")] }])
    )]))
    .await;
    let tree = admin
        .query(
            "{ page(slug: \"p\", includeDrafts: true) { categories { questions { id version } } } }",
            json!({}),
        )
        .await;
    let q = &tree["page"]["categories"][0]["questions"][0];
    (
        q["id"].as_str().unwrap().to_owned(),
        q["version"].as_i64().unwrap(),
    )
}

async fn publish(person: &Person, id: &str, version: i64) {
    person
        .query(
            "mutation($id: ID!, $v: Int!) { publishQuestion(id: $id, version: $v) { id } }",
            json!({ "id": id, "v": version }),
        )
        .await;
}

/// Polls a webhook's newest delivery until it is no longer pending.
async fn finished_delivery(admin: &Person, webhook: i32) -> Value {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let list = admin
            .query(DELIVERIES, json!({ "w": webhook.to_string() }))
            .await["webhookDeliveries"]["nodes"]
            .clone();
        if let Some(newest) = list.get(0).filter(|d| d["status"] != "PENDING") {
            return newest.clone();
        }
        assert!(
            Instant::now() < deadline,
            "the delivery is still pending: {list}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// Webhooks stored while the setting was on (as by an earlier start of the
/// server), pointing at a receiver on this machine by address and by name,
/// are delivered by a server with the setting off: the delivery's own check
/// stops both, before anything is sent, and fails them at once.
#[tokio::test]
async fn a_delivery_to_an_internal_address_is_refused_and_not_retried() {
    let app = public_only()
        .configure(|args| {
            args.webhooks.webhook_poll_ms = 25;
            args.webhooks.webhook_retry_base_ms = 50;
            args.webhooks.webhook_max_attempts = 5;
            args.webhooks.webhook_timeout_secs = 5;
        })
        .spawn()
        .await;
    let receiver = Receiver::start(|_| StatusCode::OK).await;
    let by_name = receiver.url.replace("127.0.0.1", "localhost");
    let mut hooks = Vec::new();
    for url in [receiver.url.as_str(), by_name.as_str()] {
        let (hook, _) = webhooks::create(
            &app.db,
            &Viewer::System,
            NewWebhook {
                url,
                events: &[WebhookEvent::QuestionPublished],
                description: None,
            },
            WebhookTargets {
                allow_private: true,
            },
        )
        .await
        .expect("stored while internal addresses were allowed");
        hooks.push(hook.id);
    }
    let admin = app.signed_in(Role::Admin).await;
    let publisher = app.signed_in(Role::Publisher).await;
    let (id, version) = a_question_to_publish(&app, &admin).await;
    publish(&publisher, &id, version).await;

    for (hook, says) in [
        (hooks[0], "Not sent: 127.0.0.1 is a loopback address"),
        (hooks[1], "Not sent: localhost leads to "),
    ] {
        let delivery = finished_delivery(&admin, hook).await;
        assert_eq!(delivery["status"], "FAILED", "{delivery}");
        assert_eq!(delivery["attempts"], 1, "not retried: {delivery}");
        assert_eq!(delivery["nextAttemptAt"], Value::Null, "{delivery}");
        assert_eq!(delivery["lastStatusCode"], Value::Null, "{delivery}");
        let error = delivery["lastError"].as_str().unwrap();
        assert!(error.starts_with(says), "{error}");
        assert!(error.contains("a loopback address"), "{error}");
        assert!(
            error.contains("QANDA_WEBHOOK_ALLOW_PRIVATE=true"),
            "{error}"
        );
    }
    // Several retry periods later: still nothing arrived, nothing retried.
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert!(receiver.received().is_empty(), "the receiver got nothing");
    let attempts: Vec<i32> = entity::webhook_delivery::Entity::find()
        .all(&app.db)
        .await
        .unwrap()
        .iter()
        .map(|d| d.attempts)
        .collect();
    assert_eq!(attempts, [1, 1]);
}

/// The delivery client's own resolver lets allowed addresses through: a
/// webhook that names this machine is delivered when the setting is on.
#[tokio::test]
async fn with_the_setting_on_a_name_for_this_machine_is_delivered() {
    let app = TestApp::builder()
        .without_sample()
        .configure(|args| args.webhooks.webhook_timeout_secs = 5)
        .spawn()
        .await;
    let receiver = Receiver::start(|_| StatusCode::OK).await;
    let admin = app.signed_in(Role::Admin).await;
    let publisher = app.signed_in(Role::Publisher).await;
    let created = admin
        .query(
            CREATE,
            json!({ "input": {
                "url": receiver.url.replace("127.0.0.1", "localhost"),
                "events": ["QUESTION_PUBLISHED"],
            } }),
        )
        .await;
    let hook: i32 = created["createWebhook"]["webhook"]["id"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    let (id, version) = a_question_to_publish(&app, &admin).await;
    publish(&publisher, &id, version).await;
    let delivery = finished_delivery(&admin, hook).await;
    assert_eq!(delivery["status"], "DELIVERED", "{delivery}");
    assert_eq!(receiver.received().len(), 1);
}
