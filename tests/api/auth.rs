//! Sign-in, sessions, CSRF defences, throttling and the first-admin link.

use entity::{audit_event, session};
use qanda::domain::Role;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::{json, Value};

use crate::helpers::{TestApp, PASSWORD};

const SIGN_IN: &str =
    "mutation($e: String!, $p: String!) { signIn(email: $e, password: $p) { id email role } }";
const ME: &str = "{ me { email role } }";

/// A client without a cookie jar, so tests can see and replay cookies.
struct Raw {
    client: reqwest::Client,
    url: String,
}

impl Raw {
    fn new(app: &TestApp) -> Raw {
        Raw {
            client: reqwest::Client::new(),
            url: app.url("/graphql"),
        }
    }

    async fn send(
        &self,
        cookie: Option<&str>,
        query: &str,
        variables: Value,
    ) -> (Option<String>, Value) {
        let mut request = self
            .client
            .post(&self.url)
            .json(&json!({ "query": query, "variables": variables }));
        if let Some(cookie) = cookie {
            request = request.header("cookie", cookie);
        }
        let response = request.send().await.unwrap();
        let set_cookie = response
            .headers()
            .get("set-cookie")
            .map(|v| v.to_str().unwrap().to_owned());
        (set_cookie, response.json().await.unwrap())
    }
}

/// "qanda_session=abc; HttpOnly; …" -> "qanda_session=abc"
fn cookie_pair(set_cookie: &str) -> String {
    set_cookie.split(';').next().unwrap().trim().to_owned()
}

#[tokio::test]
async fn the_session_cookie_is_http_only_strict_and_secure_over_https() {
    let app = TestApp::spawn().await;
    app.create_user("ann@example.org", Role::Editor).await;
    let (set_cookie, body) = Raw::new(&app)
        .send(
            None,
            SIGN_IN,
            json!({ "e": "ann@example.org", "p": PASSWORD }),
        )
        .await;
    assert_eq!(body["data"]["signIn"]["email"], "ann@example.org", "{body}");
    let set_cookie = set_cookie.expect("sign-in sets a cookie");
    assert!(set_cookie.starts_with("qanda_session="), "{set_cookie}");
    assert!(set_cookie.contains("HttpOnly"), "{set_cookie}");
    assert!(set_cookie.contains("SameSite=Strict"), "{set_cookie}");
    assert!(!set_cookie.contains("Secure"), "plain HTTP: {set_cookie}");

    let https = TestApp::builder()
        .configure(|args| args.base_url = Some("https://qanda.example".parse().unwrap()))
        .spawn()
        .await;
    https.create_user("ann@example.org", Role::Editor).await;
    let (set_cookie, _) = Raw::new(&https)
        .send(
            None,
            SIGN_IN,
            json!({ "e": "ann@example.org", "p": PASSWORD }),
        )
        .await;
    assert!(set_cookie.unwrap().contains("Secure"));
}

#[tokio::test]
async fn reading_anonymously_sets_no_cookie() {
    let app = TestApp::spawn().await;
    let (set_cookie, _) = Raw::new(&app)
        .send(None, "{ pages { slug } }", json!({}))
        .await;
    assert!(set_cookie.is_none());
}

#[tokio::test]
async fn sign_in_rotates_the_session_and_sign_out_deletes_it() {
    let app = TestApp::spawn().await;
    app.create_user("bo@example.org", Role::Publisher).await;
    let raw = Raw::new(&app);
    let credentials = json!({ "e": "bo@example.org", "p": PASSWORD });

    let (first, _) = raw.send(None, SIGN_IN, credentials.clone()).await;
    let first = cookie_pair(&first.unwrap());
    let (_, me) = raw.send(Some(&first), ME, json!({})).await;
    assert_eq!(me["data"]["me"]["role"], "PUBLISHER");

    // Signing in again from the same browser gets a new session id; the old one is gone.
    let (second, _) = raw.send(Some(&first), SIGN_IN, credentials).await;
    let second = cookie_pair(&second.unwrap());
    assert_ne!(first, second);
    let (_, me) = raw.send(Some(&first), ME, json!({})).await;
    assert!(
        me["data"]["me"].is_null(),
        "the pre-rotation id no longer works"
    );

    let (_, out) = raw
        .send(Some(&second), "mutation { signOut }", json!({}))
        .await;
    assert_eq!(out["data"]["signOut"], true);
    let (_, me) = raw.send(Some(&second), ME, json!({})).await;
    assert!(
        me["data"]["me"].is_null(),
        "replaying the signed-out cookie fails"
    );
    assert_eq!(
        session::Entity::find().count(&app.db).await.unwrap(),
        0,
        "deleted server-side"
    );
}

#[tokio::test]
async fn wrong_password_and_unknown_email_get_the_same_answer() {
    let app = TestApp::spawn().await;
    app.create_user("cy@example.org", Role::Editor).await;
    let person = app.anonymous();
    let wrong = person
        .expect_error(
            SIGN_IN,
            json!({ "e": "cy@example.org", "p": "not the password" }),
            "UNAUTHENTICATED",
        )
        .await;
    let unknown = person
        .expect_error(
            SIGN_IN,
            json!({ "e": "nobody@example.org", "p": "not the password" }),
            "UNAUTHENTICATED",
        )
        .await;
    assert_eq!(wrong["message"], unknown["message"]);
    let failures = audit_event::Entity::find()
        .filter(audit_event::Column::Action.eq("sign_in.failure"))
        .count(&app.db)
        .await
        .unwrap();
    assert_eq!(failures, 2);

    let blank = person
        .expect_error(SIGN_IN, json!({ "e": " ", "p": "" }), "BAD_USER_INPUT")
        .await;
    let fields: Vec<&str> = blank["extensions"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["email", "password"]);
}

#[tokio::test]
async fn sessions_end_after_the_absolute_limit_and_when_idle() {
    let app = TestApp::builder()
        .configure(|args| args.session_max_hours = 0)
        .spawn()
        .await;
    app.create_user("di@example.org", Role::Editor).await;
    let person = app.anonymous();
    person
        .query(SIGN_IN, json!({ "e": "di@example.org", "p": PASSWORD }))
        .await;
    assert!(
        person.query(ME, json!({})).await["me"].is_null(),
        "past the absolute limit"
    );

    let app = TestApp::spawn().await;
    let person = app.signed_in(Role::Editor).await;
    assert!(!person.query(ME, json!({})).await["me"].is_null());
    // Idle expiry is the row's expiry; make it pass.
    app.db
        .execute_unprepared("UPDATE sessions SET expires_at = '2000-01-01 00:00:00+00:00'")
        .await
        .unwrap();
    assert!(
        person.query(ME, json!({})).await["me"].is_null(),
        "an idle session has ended"
    );
    let removed = qanda::auth::session_store::DbSessionStore::new(app.db.clone())
        .delete_expired()
        .await
        .unwrap();
    assert_eq!(removed, 1, "the cleanup removes expired rows");
}

/// An active session is kept alive by saving it now and then, not on every
/// request: a save is a database write, and an editor's request already
/// makes one.
#[tokio::test]
async fn an_active_session_is_extended_now_and_then_not_on_every_request() {
    // Idle after a minute: touched when 60/16 s have passed since the last save.
    let app = TestApp::builder()
        .configure(|args| args.session_idle_minutes = 1)
        .spawn()
        .await;
    app.create_user("ed@example.org", Role::Editor).await;
    let raw = Raw::new(&app);
    let (set, _) = raw
        .send(
            None,
            SIGN_IN,
            json!({ "e": "ed@example.org", "p": PASSWORD }),
        )
        .await;
    let cookie = cookie_pair(&set.unwrap());
    let expiry = || async {
        session::Entity::find()
            .one(&app.db)
            .await
            .unwrap()
            .expect("one session")
            .expires_at
    };
    let saved = expiry().await;
    for _ in 0..5 {
        let (set, me) = raw.send(Some(&cookie), ME, json!({})).await;
        assert_eq!(me["data"]["me"]["email"], "ed@example.org");
        assert!(set.is_none(), "not saved again so soon: {set:?}");
    }
    assert_eq!(
        expiry().await,
        saved,
        "no write for requests in quick succession"
    );

    tokio::time::sleep(std::time::Duration::from_millis(4_100)).await;
    let (set, me) = raw.send(Some(&cookie), ME, json!({})).await;
    assert_eq!(me["data"]["me"]["email"], "ed@example.org");
    let set = set.expect("saved again once a sixteenth of the idle time has passed");
    assert_eq!(cookie_pair(&set), cookie, "the same session, not a new one");
    assert!(expiry().await > saved, "the idle expiry moved on");
}

#[tokio::test]
async fn changing_a_password_ends_other_sessions_and_disabling_ends_all() {
    let app = TestApp::spawn().await;
    let here = app.signed_in(Role::Editor).await;
    let elsewhere = app.anonymous();
    elsewhere
        .query(SIGN_IN, json!({ "e": here.email, "p": PASSWORD }))
        .await;

    let short = here
        .expect_error(
            "mutation { changePassword(currentPassword: \"correct horse battery staple\", newPassword: \"short\") { id } }",
            json!({}),
            "BAD_USER_INPUT",
        )
        .await;
    assert_eq!(short["extensions"]["fields"][0]["field"], "newPassword");
    here.expect_error(
        "mutation { changePassword(currentPassword: \"wrong wrong wrong\", newPassword: \"a brand new password\") { id } }",
        json!({}),
        "BAD_USER_INPUT",
    )
    .await;
    here.query(
        "mutation { changePassword(currentPassword: \"correct horse battery staple\", newPassword: \"a brand new password\") { id } }",
        json!({}),
    )
    .await;
    assert!(
        !here.query(ME, json!({})).await["me"].is_null(),
        "this session continues"
    );
    assert!(
        elsewhere.query(ME, json!({})).await["me"].is_null(),
        "the other session ended"
    );

    let admin = app.signed_in(Role::Admin).await;
    let user = admin
        .query("{ users { id email version } }", json!({}))
        .await;
    let target = user["users"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["email"] == here.email.as_str())
        .unwrap()
        .clone();
    admin
        .query(
            "mutation($id: ID!, $v: Int!) { disableUser(id: $id, version: $v) { disabled } }",
            json!({ "id": target["id"], "v": target["version"] }),
        )
        .await;
    assert!(
        here.query(ME, json!({})).await["me"].is_null(),
        "a disabled user is signed out at once"
    );
    here.expect_error(
        SIGN_IN,
        json!({ "e": here.email, "p": "a brand new password" }),
        "UNAUTHENTICATED",
    )
    .await;
}

#[tokio::test]
async fn repeated_failures_are_throttled_per_account_and_success_resets() {
    let app = TestApp::spawn().await;
    app.create_user("ed@example.org", Role::Editor).await;
    let person = app.anonymous();
    let wrong = json!({ "e": "ed@example.org", "p": "wrong password!" });
    let right = json!({ "e": "ed@example.org", "p": PASSWORD });

    for _ in 0..4 {
        person
            .expect_error(SIGN_IN, wrong.clone(), "UNAUTHENTICATED")
            .await;
    }
    person.query(SIGN_IN, right.clone()).await;
    for _ in 0..4 {
        person
            .expect_error(SIGN_IN, wrong.clone(), "UNAUTHENTICATED")
            .await;
    }
    person.query(SIGN_IN, right.clone()).await; // the count was reset, so 4 more were allowed

    for _ in 0..5 {
        person
            .expect_error(SIGN_IN, wrong.clone(), "UNAUTHENTICATED")
            .await;
    }
    let limited = person.expect_error(SIGN_IN, right, "RATE_LIMITED").await;
    let retry = limited["extensions"]["retryAfterSeconds"].as_u64().unwrap();
    assert!(retry > 0 && retry <= 15 * 60, "{limited}");
    assert!(
        limited["message"]
            .as_str()
            .unwrap()
            .contains("Try again in 15 minutes"),
        "{limited}"
    );
}

#[tokio::test]
async fn repeated_failures_are_throttled_per_client_address() {
    let app = TestApp::spawn().await;
    app.create_user("fay@example.org", Role::Editor).await;
    let person = app.anonymous();
    for n in 0..20 {
        let guess = json!({ "e": format!("guess{n}@example.org"), "p": "wrong password!" });
        person.expect_error(SIGN_IN, guess, "UNAUTHENTICATED").await;
    }
    person
        .expect_error(
            SIGN_IN,
            json!({ "e": "fay@example.org", "p": PASSWORD }),
            "RATE_LIMITED",
        )
        .await;
}

#[tokio::test]
async fn cross_site_mutations_are_refused_and_change_nothing() {
    let app = TestApp::spawn().await;
    let editor = app.signed_in(Role::Editor).await;
    let page = editor
        .query(
            "{ page(slug: \"local-digital-qa\") { id version title } }",
            json!({}),
        )
        .await;
    let mutation = json!({
        "query": "mutation($id: ID!, $v: Int!) { updatePage(id: $id, version: $v, input: { title: \"Hijacked\" }) { title } }",
        "variables": { "id": page["page"]["id"], "v": page["page"]["version"] },
    });
    for (header, value) in [
        ("origin", "http://evil.example"),
        ("origin", "null"),
        ("sec-fetch-site", "cross-site"),
    ] {
        let response = editor
            .client
            .post(app.url("/graphql"))
            .header(header, value)
            .json(&mutation)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 403, "{header}: {value}");
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["errors"][0]["extensions"]["code"], "FORBIDDEN");
    }
    let unchanged = app
        .query("{ page(slug: \"local-digital-qa\") { title } }", json!({}))
        .await;
    assert_eq!(unchanged["page"]["title"], "Local Digital Q&A");

    // Queries from anywhere are fine; mutations from this site too.
    let response = editor
        .client
        .post(app.url("/graphql"))
        .header("origin", "http://evil.example")
        .json(&json!({ "query": "{ pages { title } }" }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let response = editor
        .client
        .post(app.url("/graphql"))
        .header("origin", app.address.as_str())
        .json(&mutation)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["data"]["updatePage"]["title"], "Hijacked", "{body}");
}

#[tokio::test]
async fn the_first_admin_link_works_once() {
    let app = TestApp::spawn().await;
    let token = app
        .setup_token
        .clone()
        .expect("no admin yet, so there is a setup link");
    let setup = "mutation($t: String!, $e: String!) { completeSetup(token: $t, email: $e, displayName: \"First Admin\", password: \"the first admin password\") { email role } }";
    let person = app.anonymous();

    let error = person
        .expect_error(
            setup,
            json!({ "t": "not-the-token", "e": "first@example.org" }),
            "BAD_USER_INPUT",
        )
        .await;
    assert_eq!(error["extensions"]["fields"][0]["field"], "token");

    let data = person
        .query(setup, json!({ "t": token, "e": "first@example.org" }))
        .await;
    assert_eq!(data["completeSetup"]["role"], "ADMIN");
    assert_eq!(
        person.query(ME, json!({})).await["me"]["email"],
        "first@example.org"
    );

    let again = app.anonymous();
    again
        .expect_error(
            setup,
            json!({ "t": token, "e": "second@example.org" }),
            "BAD_USER_INPUT",
        )
        .await;
    assert_eq!(
        qanda::service::users::setup_token_if_needed(&app.db)
            .await
            .unwrap(),
        None,
        "once an admin exists, no new link is made"
    );
}

#[tokio::test]
async fn an_expired_first_admin_link_is_refused() {
    let app = TestApp::spawn().await;
    let token = app.setup_token.clone().unwrap();
    app.db
        .execute_unprepared("UPDATE setup_tokens SET expires_at = '2000-01-01 00:00:00+00:00'")
        .await
        .unwrap();
    app.anonymous()
        .expect_error(
            "mutation($t: String!) { completeSetup(token: $t, email: \"late@example.org\", displayName: \"Late\", password: \"the first admin password\") { id } }",
            json!({ "t": token }),
            "BAD_USER_INPUT",
        )
        .await;
    assert!(
        qanda::service::users::find_by_email(&app.db, "late@example.org")
            .await
            .unwrap()
            .is_none()
    );
}

#[tokio::test]
async fn anyone_can_ask_whether_a_first_admin_link_is_still_usable() {
    let app = TestApp::spawn().await;
    let token = app.setup_token.clone().unwrap();
    let usable = "query($t: String!) { setupLinkUsable(token: $t) }";
    let person = app.anonymous();
    assert_eq!(
        person.query(usable, json!({ "t": token })).await["setupLinkUsable"],
        true
    );
    assert_eq!(
        person.query(usable, json!({ "t": "not-the-token" })).await["setupLinkUsable"],
        false
    );

    person
        .query(
            "mutation($t: String!) { completeSetup(token: $t, email: \"first@example.org\", displayName: \"First Admin\", password: \"the first admin password\") { id } }",
            json!({ "t": token }),
        )
        .await;
    assert_eq!(
        app.anonymous().query(usable, json!({ "t": token })).await["setupLinkUsable"],
        false,
        "a used link is no longer usable"
    );
}

#[tokio::test]
async fn an_expired_first_admin_link_is_not_usable() {
    let app = TestApp::spawn().await;
    let token = app.setup_token.clone().unwrap();
    app.db
        .execute_unprepared("UPDATE setup_tokens SET expires_at = '2000-01-01 00:00:00+00:00'")
        .await
        .unwrap();
    let data = app
        .anonymous()
        .query(
            "query($t: String!) { setupLinkUsable(token: $t) }",
            json!({ "t": token }),
        )
        .await;
    assert_eq!(data["setupLinkUsable"], false);
}

#[tokio::test]
async fn the_first_admin_is_recorded_as_signed_in_by_the_setup_link() {
    let app = TestApp::spawn().await;
    let token = app.setup_token.clone().expect("a setup link");
    let person = app.anonymous();
    let before = chrono::Utc::now() - chrono::Duration::seconds(1);
    let data = person
        .query(
            "mutation($t: String!) { completeSetup(token: $t, email: \"first@example.org\", displayName: \"First Admin\", password: \"the first admin password\") { lastSignInAt } }",
            json!({ "t": token }),
        )
        .await;
    let answered = data["completeSetup"]["lastSignInAt"].clone();
    let me = person.query("{ me { lastSignInAt } }", json!({})).await;
    assert_eq!(me["me"]["lastSignInAt"], answered, "{me}");
    let at: chrono::DateTime<chrono::Utc> = answered
        .as_str()
        .unwrap_or_else(|| panic!("a sign-in time, not {answered}"))
        .parse()
        .expect("a time");
    assert!(at >= before, "{at} is now");
}
