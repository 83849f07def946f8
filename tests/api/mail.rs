//! Email for real: invitations and password resets sent through SMTP to a
//! receiver on loopback (smtp_receiver.rs), the outbox's retries and
//! exactly-once sending across replicas, and the links followed over HTTP.

use std::time::Duration;

use qanda::domain::{Role, Viewer};
use serde_json::{json, Value};

use crate::helpers::{Person, TestApp, TestDatabase, PASSWORD};
use crate::smtp_receiver::{Received, SmtpReceiver};

const NEW_PASSWORD: &str = "a brand new long password";

async fn app_with_mail(receiver: &SmtpReceiver) -> TestApp {
    let url = receiver.url();
    TestApp::builder()
        .without_sample()
        .configure(move |args| {
            args.mail.smtp_url = Some(url);
            args.mail.mail_from = "Q&A team <qanda@example.org>".into();
            args.mail.mail_poll_ms = 20;
            args.mail.mail_retry_base_ms = 50;
            args.base_url = Some("http://qanda.test".parse().unwrap());
        })
        .spawn()
        .await
}

async fn app_without_mail() -> TestApp {
    TestApp::builder()
        .without_sample()
        .configure(|args| args.mail.mail_poll_ms = 20)
        .spawn()
        .await
}

const INVITE: &str =
    "mutation($i: InviteUserInput!) { inviteUser(input: $i) { email expiresAt emailed link } }";
const ACCEPT: &str =
    "mutation($t: String!, $p: String!) { acceptInvitation(token: $t, password: $p) { id email displayName role } }";
const REQUEST_RESET: &str = "mutation($e: String!) { requestPasswordReset(email: $e) }";
const RESET: &str = "mutation($t: String!, $p: String!) { resetPassword(token: $t, password: $p) }";
const SIGN_IN: &str =
    "mutation($e: String!, $p: String!) { signIn(email: $e, password: $p) { id } }";
const EMAILS: &str = "{ emails { kind recipient subject status attempts lastError sentAt } }";

/// The token in the message's link to `screen`, checked in both parts.
fn token_in(message: &Received, screen: &str) -> String {
    let text = message.part("text/plain").expect("a plain text part");
    let html = message.part("text/html").expect("an HTML part");
    let prefix = format!("http://qanda.test/admin/{screen}?token=");
    let start = text.find(&prefix).expect("the link in the text") + prefix.len();
    let token: String = text[start..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect();
    assert_eq!(token.len(), 43, "32 random bytes, base64url: {text}");
    assert!(
        html.contains(&format!("href=\"{prefix}{token}\"")),
        "the same link in the HTML part: {html}"
    );
    token
}

async fn signs_in(app: &TestApp, email: &str, password: &str) -> bool {
    let (_, body) = app
        .anonymous()
        .post_graphql(SIGN_IN, json!({ "e": email, "p": password }))
        .await;
    body["data"]["signIn"]["id"].is_string()
}

async fn me(person: &Person) -> Value {
    person.query("{ me { email } }", json!({})).await["me"].clone()
}

#[tokio::test]
async fn an_invitation_is_emailed_and_its_link_sets_a_password_once() {
    let receiver = SmtpReceiver::start().await;
    let app = app_with_mail(&receiver).await;
    let admin = app.signed_in(Role::Admin).await;
    let invited = admin
        .query(
            INVITE,
            json!({ "i": { "email": "New.Editor@Example.org", "name": "Nia Editor", "role": "EDITOR" } }),
        )
        .await["inviteUser"]
        .clone();
    assert_eq!(invited["email"], "new.editor@example.org");
    assert_eq!(invited["emailed"], true);
    assert_eq!(invited["link"], Value::Null, "an emailed link is not shown");

    let messages = receiver.wait_for(1).await;
    assert_eq!(messages.len(), 1);
    let message = &messages[0];
    assert_eq!(message.rcpt_to, vec!["<new.editor@example.org>"]);
    assert_eq!(message.mail_from, "<qanda@example.org>");
    assert_eq!(
        message.header("Subject").as_deref(),
        Some("You have been invited to edit Q&A pages")
    );
    assert!(message
        .header("Content-Type")
        .unwrap()
        .starts_with("multipart/alternative"));
    let text = message.part("text/plain").unwrap();
    assert!(text.starts_with("Hello Nia Editor,"), "{text}");
    assert!(text.contains("as an editor"), "{text}");
    assert!(text.contains("7 days"), "{text}");
    let token = token_in(message, "invitation");

    // The screen asks who the link is for, then sets the password.
    let invitee = app.anonymous();
    let details = invitee
        .query(
            "query($t: String!) { invitation(token: $t) { email name } }",
            json!({ "t": token }),
        )
        .await;
    assert_eq!(
        details["invitation"],
        json!({ "email": "new.editor@example.org", "name": "Nia Editor" })
    );
    invitee
        .expect_error(
            ACCEPT,
            json!({ "t": token, "p": "short" }),
            "BAD_USER_INPUT",
        )
        .await;
    let user = invitee
        .query(ACCEPT, json!({ "t": token, "p": NEW_PASSWORD }))
        .await["acceptInvitation"]
        .clone();
    assert_eq!(user["role"], "EDITOR");
    assert_eq!(user["displayName"], "Nia Editor");
    assert_eq!(
        me(&invitee).await["email"],
        "new.editor@example.org",
        "signed in"
    );
    assert!(signs_in(&app, "new.editor@example.org", NEW_PASSWORD).await);

    // Once only.
    app.anonymous()
        .expect_error(
            ACCEPT,
            json!({ "t": token, "p": NEW_PASSWORD }),
            "BAD_USER_INPUT",
        )
        .await;
    let details = invitee
        .query(
            "query($t: String!) { invitation(token: $t) { email } }",
            json!({ "t": token }),
        )
        .await;
    assert_eq!(details["invitation"], Value::Null);

    // Admins see the message and its status, never its link.
    let (_, body) = admin.post_graphql(EMAILS, json!({})).await;
    assert!(!body.to_string().contains(&token), "{body}");
    assert_eq!(
        body["data"]["emails"][0],
        json!({
            "kind": "invitation",
            "recipient": "new.editor@example.org",
            "subject": "You have been invited to edit Q&A pages",
            "status": "SENT",
            "attempts": 1,
            "lastError": null,
            "sentAt": body["data"]["emails"][0]["sentAt"].clone(),
        })
    );
    let editor = app.signed_in(Role::Editor).await;
    editor.expect_error(EMAILS, json!({}), "FORBIDDEN").await;
    editor
        .expect_error(
            INVITE,
            json!({ "i": { "email": "x@example.org", "name": "X", "role": "ADMIN" } }),
            "FORBIDDEN",
        )
        .await;
    // An address that already has an account is not invited.
    admin
        .expect_error(
            INVITE,
            json!({ "i": { "email": "new.editor@example.org", "name": "Again", "role": "EDITOR" } }),
            "BAD_USER_INPUT",
        )
        .await;
}

#[tokio::test]
async fn a_password_reset_link_sets_the_password_and_ends_every_session() {
    let receiver = SmtpReceiver::start().await;
    let app = app_with_mail(&receiver).await;
    let person = app.signed_in(Role::Editor).await;
    assert_eq!(me(&person).await["email"], person.email.as_str());

    let asked = app
        .anonymous()
        .query(REQUEST_RESET, json!({ "e": person.email.to_uppercase() }))
        .await;
    assert_eq!(asked["requestPasswordReset"], true);
    let messages = receiver.wait_for(1).await;
    assert_eq!(messages.len(), 1);
    let message = &messages[0];
    assert_eq!(message.rcpt_to, vec![format!("<{}>", person.email)]);
    assert_eq!(
        message.header("Subject").as_deref(),
        Some("Reset your Q&A password")
    );
    assert!(message.part("text/plain").unwrap().contains("1 hour"));
    let token = token_in(message, "reset-password");
    let stranger = app.anonymous();
    let usable = stranger
        .query(
            "query($t: String!) { passwordResetLinkUsable(token: $t) }",
            json!({ "t": token }),
        )
        .await;
    assert_eq!(usable["passwordResetLinkUsable"], true);
    stranger
        .query(RESET, json!({ "t": token, "p": NEW_PASSWORD }))
        .await;

    assert_eq!(me(&person).await, Value::Null, "the old session has ended");
    assert!(!signs_in(&app, &person.email, PASSWORD).await);
    assert!(signs_in(&app, &person.email, NEW_PASSWORD).await);
    stranger
        .expect_error(
            RESET,
            json!({ "t": token, "p": "yet another long password" }),
            "BAD_USER_INPUT",
        )
        .await;
    let admin = app.signed_in(Role::Admin).await;
    let audit = admin
        .query("{ auditEvents(first: 50) { nodes { action } } }", json!({}))
        .await;
    let actions = audit.to_string();
    assert!(actions.contains("user.request_password_reset"), "{actions}");
    assert!(actions.contains("user.reset_password_by_link"), "{actions}");
}

#[tokio::test]
async fn a_reset_request_answers_the_same_for_unknown_addresses_and_is_throttled() {
    let receiver = SmtpReceiver::start().await;
    let app = app_with_mail(&receiver).await;
    let known = app.signed_in(Role::Editor).await.email;
    let unknown = "nobody-here@example.org";
    for _ in 0..3 {
        let a = app
            .anonymous()
            .post_graphql(REQUEST_RESET, json!({ "e": known }))
            .await;
        let b = app
            .anonymous()
            .post_graphql(REQUEST_RESET, json!({ "e": unknown }))
            .await;
        assert_eq!(a, b, "the same status and body");
        assert_eq!(a.0, 200);
        assert_eq!(a.1, json!({ "data": { "requestPasswordReset": true } }));
    }
    let a = app
        .anonymous()
        .post_graphql(REQUEST_RESET, json!({ "e": known }))
        .await;
    let b = app
        .anonymous()
        .post_graphql(REQUEST_RESET, json!({ "e": unknown }))
        .await;
    assert_eq!(
        a.1["errors"][0]["extensions"]["code"], "RATE_LIMITED",
        "{}",
        a.1
    );
    assert_eq!(a, b, "throttled alike");
    let messages = receiver.wait_for(3).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(receiver.received().len(), 3, "{messages:?}");
    assert!(messages
        .iter()
        .all(|m| m.rcpt_to == vec![format!("<{known}>")]));
}

#[tokio::test]
async fn parallel_reset_requests_cannot_slip_past_the_limit() {
    let app = app_without_mail().await;
    let requests = (0..10).map(|_| {
        let person = app.anonymous();
        async move {
            person
                .post_graphql(REQUEST_RESET, json!({ "e": "burst@example.org" }))
                .await
        }
    });
    let answers = futures::future::join_all(requests).await;
    let admitted = answers
        .iter()
        .filter(|(_, body)| body["data"]["requestPasswordReset"] == true)
        .count();
    assert_eq!(admitted, 3, "{answers:?}");
}

#[tokio::test]
async fn a_refused_message_is_sent_again_later_exactly_once() {
    let receiver = SmtpReceiver::refusing_first(1).await;
    let app = app_with_mail(&receiver).await;
    let admin = app.signed_in(Role::Admin).await;
    admin
        .query(
            INVITE,
            json!({ "i": { "email": "later@example.org", "name": "Later", "role": "PUBLISHER" } }),
        )
        .await;
    let messages = receiver.wait_for(1).await;
    assert_eq!(messages.len(), 1);
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(receiver.received().len(), 1, "exactly once");
    assert_eq!(
        receiver.refused.load(std::sync::atomic::Ordering::SeqCst),
        1
    );
    let emails = admin.query(EMAILS, json!({})).await;
    assert_eq!(emails["emails"][0]["status"], "SENT");
    assert_eq!(emails["emails"][0]["attempts"], 2);
}

#[tokio::test]
async fn a_message_refused_every_time_fails_after_the_last_attempt() {
    let receiver = SmtpReceiver::refusing_first(100).await;
    let url = receiver.url();
    let app = TestApp::builder()
        .without_sample()
        .configure(move |args| {
            args.mail.smtp_url = Some(url);
            args.mail.mail_poll_ms = 20;
            args.mail.mail_retry_base_ms = 20;
            args.mail.mail_max_attempts = 3;
            args.base_url = Some("http://qanda.test".parse().unwrap());
        })
        .spawn()
        .await;
    let admin = app.signed_in(Role::Admin).await;
    admin
        .query(
            INVITE,
            json!({ "i": { "email": "never@example.org", "name": "Never", "role": "EDITOR" } }),
        )
        .await;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    let email = loop {
        let emails = admin.query(EMAILS, json!({})).await;
        let email = emails["emails"][0].clone();
        if email["status"] != "PENDING" || tokio::time::Instant::now() > deadline {
            break email;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert_eq!(email["status"], "FAILED", "{email}");
    assert_eq!(email["attempts"], 3);
    assert!(
        email["lastError"].as_str().unwrap().contains("451"),
        "{email}"
    );
    assert_eq!(
        receiver.refused.load(std::sync::atomic::Ordering::SeqCst),
        3
    );
}

#[tokio::test]
async fn without_a_mail_server_admins_get_the_links_to_pass_on() {
    let app = app_without_mail().await;
    let admin = app.signed_in(Role::Admin).await;
    let configured = admin.query("{ emailConfigured }", json!({})).await;
    assert_eq!(configured["emailConfigured"], false);
    let invited = admin
        .query(
            INVITE,
            json!({ "i": { "email": "byhand@example.org", "name": "By Hand", "role": "EDITOR" } }),
        )
        .await["inviteUser"]
        .clone();
    assert_eq!(invited["emailed"], false);
    let link = invited["link"].as_str().unwrap().to_owned();
    let token = link
        .strip_prefix("/admin/invitation?token=")
        .expect("a path the admin UI completes");
    let invitee = app.anonymous();
    let user = invitee
        .query(ACCEPT, json!({ "t": token, "p": NEW_PASSWORD }))
        .await["acceptInvitation"]
        .clone();

    // A reset asked for by the person sends nothing and says the same.
    let asked = app
        .anonymous()
        .query(REQUEST_RESET, json!({ "e": "byhand@example.org" }))
        .await;
    assert_eq!(asked["requestPasswordReset"], true);
    // An admin makes a reset link from the user's screen.
    let made = admin
        .query(
            "mutation($id: ID!) { createPasswordResetLink(id: $id) { email emailed link } }",
            json!({ "id": user["id"] }),
        )
        .await["createPasswordResetLink"]
        .clone();
    assert_eq!(made["email"], "byhand@example.org");
    let reset_token = made["link"]
        .as_str()
        .unwrap()
        .strip_prefix("/admin/reset-password?token=")
        .unwrap()
        .to_owned();
    app.anonymous()
        .query(
            RESET,
            json!({ "t": reset_token, "p": "another long password" }),
        )
        .await;
    assert_eq!(
        me(&invitee).await,
        Value::Null,
        "the reset ended the session"
    );
    assert!(signs_in(&app, "byhand@example.org", "another long password").await);

    // Links shown to the admin are not emailed: nothing is in the outbox.
    let emails = admin.query(EMAILS, json!({})).await["emails"].clone();
    assert_eq!(emails, json!([]));
    // A message written by other code (a notification) is kept for admins
    // to see, marked as not sent.
    let message = qanda::mail::templates::password_reset("q@example.org", "Q", "http://x/");
    qanda::service::outbox::enqueue(&app.db, &message)
        .await
        .unwrap();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    loop {
        let emails = admin.query(EMAILS, json!({})).await["emails"].clone();
        if emails[0]["status"] == "NOT_SENT" {
            assert_eq!(emails[0]["recipient"], "q@example.org");
            assert_eq!(emails[0]["attempts"], 0);
            break;
        }
        assert!(tokio::time::Instant::now() < deadline, "{emails}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn sent_recently_limits_messages_per_recipient() {
    let app = app_without_mail().await;
    let message = qanda::mail::templates::password_reset("p@example.org", "P", "http://x/");
    assert!(!qanda::service::outbox::sent_recently(
        &app.db,
        "P@example.org",
        "password_reset",
        Duration::from_secs(600)
    )
    .await
    .unwrap());
    qanda::service::outbox::enqueue(&app.db, &message)
        .await
        .unwrap();
    assert!(qanda::service::outbox::sent_recently(
        &app.db,
        "P@example.org",
        "password_reset",
        Duration::from_secs(600)
    )
    .await
    .unwrap());
    assert!(!qanda::service::outbox::sent_recently(
        &app.db,
        "p@example.org",
        "invitation",
        Duration::from_secs(600)
    )
    .await
    .unwrap());
    let _ = Viewer::System;
}

/// Two `qanda serve` processes on one PostgreSQL database race to send the
/// same messages; each arrives exactly once.
#[tokio::test]
async fn two_replicas_send_each_message_exactly_once() {
    let Some(database) = TestDatabase::postgres().await else {
        return;
    };
    // This test's own server has no mail server and polls hourly: the
    // replicas do the sending.
    let app = TestApp::builder()
        .without_sample()
        .on(database)
        .configure(|args| args.mail.mail_poll_ms = 3_600_000)
        .spawn()
        .await;
    let receiver = SmtpReceiver::start().await;
    for n in 0..20 {
        let message =
            qanda::mail::templates::password_reset(&format!("r{n}@example.org"), "R", "http://x/");
        qanda::service::outbox::enqueue(&app.db, &message)
            .await
            .unwrap();
    }
    let mut replicas: Vec<std::process::Child> = (0..2)
        .map(|_| {
            std::process::Command::new(env!("CARGO_BIN_EXE_qanda"))
                .args(["serve", "--bind", "127.0.0.1:0"])
                .envs(app.database.env())
                .env("QANDA_SMTP_URL", receiver.url().as_str())
                .env("QANDA_BASE_URL", "http://qanda.test")
                .env("QANDA_MAIL_POLL_MS", "10")
                .env("QANDA_LOG", "warn")
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::null())
                .spawn()
                .expect("qanda serve starts")
        })
        .collect();
    let got = receiver.wait_for(20).await;
    // Let both replicas run more rounds over the same rows.
    tokio::time::sleep(Duration::from_millis(1000)).await;
    for replica in &mut replicas {
        let _ = replica.kill();
        let _ = replica.wait();
    }
    assert_eq!(got.len(), 20, "20 messages arrive");
    let mut to: Vec<Vec<String>> = receiver
        .received()
        .iter()
        .map(|m| m.rcpt_to.clone())
        .collect();
    assert_eq!(to.len(), 20, "each sent exactly once");
    to.sort();
    to.dedup();
    assert_eq!(to.len(), 20, "20 different recipients");
}
