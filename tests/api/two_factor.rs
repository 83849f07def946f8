//! Two-factor sign-in: setting up an authenticator app, signing in with its
//! codes or a recovery code, throttling and replay, QANDA_REQUIRE_2FA, and
//! an admin's reset. Codes are computed here with totp-rs from the secret
//! the server shows, as a phone would.

use chrono::Utc;
use entity::{audit_event, recovery_code, second_factor};
use qanda::domain::{Role, TwoFactorRequirement};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};
use serde_json::{json, Value};
use totp_rs::{Algorithm, Secret, TOTP};

use crate::helpers::{run_cli, Person, TestApp, PASSWORD};

const SIGN_IN: &str =
    "mutation($e: String!, $p: String!) { signIn(email: $e, password: $p) { id email } }";
const SECOND_FACTOR: &str =
    "mutation($c: String!) { signInSecondFactor(code: $c) { id email twoFactorEnabled } }";
const STEP: &str = "{ signInStep }";
const ME: &str = "{ me { id email twoFactorEnabled recoveryCodesLeft } }";
const BEGIN: &str = "mutation { beginTwoFactorEnrolment { secret setupUri qrCodeSvg } }";
const CONFIRM: &str = "mutation($c: String!) { confirmTwoFactorEnrolment(code: $c) { recoveryCodes user { id twoFactorEnabled } } }";
const RESET: &str = "mutation($id: ID!, $v: Int!) { resetUserTwoFactor(id: $id, version: $v) { id version twoFactorEnabled } }";

/// The code an authenticator app shows `steps_ahead` 30-second steps from now.
pub(crate) fn code(secret: &str, steps_ahead: i64) -> String {
    let bytes = Secret::Encoded(secret.to_owned()).to_bytes().unwrap();
    let totp = TOTP::new(Algorithm::SHA1, 6, 0, 30, bytes, None, "test".into()).unwrap();
    totp.generate((Utc::now().timestamp() + steps_ahead * 30) as u64)
}

/// A code for the next step: accepted (one step ahead is allowed) and later
/// than the one just used to confirm or sign in.
fn next_code(secret: &str) -> String {
    code(secret, 1)
}

fn codes_of(error: &Value) -> Vec<String> {
    error["extensions"]["fields"]
        .as_array()
        .map(|fields| {
            fields
                .iter()
                .map(|f| f["field"].as_str().unwrap().to_owned())
                .collect()
        })
        .unwrap_or_default()
}

/// Sets up an app for a signed-in person; returns the secret and the
/// recovery codes.
async fn enrol(person: &Person) -> (String, Vec<String>) {
    let begun = person.query(BEGIN, json!({})).await;
    let secret = begun["beginTwoFactorEnrolment"]["secret"]
        .as_str()
        .unwrap()
        .to_owned();
    let confirmed = person
        .query(CONFIRM, json!({ "c": code(&secret, 0) }))
        .await;
    let codes = confirmed["confirmTwoFactorEnrolment"]["recoveryCodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap().to_owned())
        .collect();
    (secret, codes)
}

/// A new browser for `email`, past the password and waiting for the code.
async fn password_only(app: &TestApp, email: &str) -> Person {
    let mut person = app.anonymous();
    person.email = email.to_owned();
    let data = person
        .query(SIGN_IN, json!({ "e": email, "p": PASSWORD }))
        .await;
    assert!(
        data["signIn"].is_null(),
        "the code is still to come: {data}"
    );
    person
}

async fn step(person: &Person) -> String {
    person.query(STEP, json!({})).await["signInStep"]
        .as_str()
        .unwrap()
        .to_owned()
}

async fn actions(app: &TestApp, action: &str) -> Vec<audit_event::Model> {
    audit_event::Entity::find()
        .filter(audit_event::Column::Action.eq(action))
        .order_by_asc(audit_event::Column::Id)
        .all(&app.db)
        .await
        .unwrap()
}

#[tokio::test]
async fn setting_up_an_app_shows_a_qr_code_and_gives_ten_recovery_codes_once() {
    let app = TestApp::spawn().await;
    let person = app.signed_in(Role::Editor).await;
    let me = person.query(ME, json!({})).await;
    assert_eq!(me["me"]["twoFactorEnabled"], false);

    let begun = person.query(BEGIN, json!({})).await["beginTwoFactorEnrolment"].clone();
    let secret = begun["secret"].as_str().unwrap().to_owned();
    assert!(
        secret.len() >= 32
            && secret
                .chars()
                .all(|c| c.is_ascii_uppercase() || ('2'..='7').contains(&c)),
        "a base32 secret of 160 bits: {secret}"
    );
    let uri = begun["setupUri"].as_str().unwrap();
    assert!(uri.starts_with("otpauth://totp/qanda:"), "{uri}");
    assert!(uri.contains(&format!("secret={secret}")), "{uri}");
    let svg = begun["qrCodeSvg"].as_str().unwrap();
    assert!(svg.starts_with("<svg ") && svg.ends_with("</svg>"), "{svg}");
    assert!(
        svg.contains(r#"role="img""#) && svg.contains("aria-label="),
        "{svg}"
    );
    // Asked again (a reload), the same secret: the QR code scanned stays good.
    let again = person.query(BEGIN, json!({})).await;
    assert_eq!(again["beginTwoFactorEnrolment"]["secret"], secret.as_str());

    // A wrong or malformed code sets nothing up.
    for bad in ["000000", "12345", "", "abcd-efgh-2345-6789"] {
        let wrong = if bad == "000000" && code(&secret, 0) == "000000" {
            "111111"
        } else {
            bad
        };
        let error = person
            .expect_error(CONFIRM, json!({ "c": wrong }), "BAD_USER_INPUT")
            .await;
        assert_eq!(codes_of(&error), ["code"], "{error}");
    }
    assert_eq!(
        person.query(ME, json!({})).await["me"]["twoFactorEnabled"],
        false
    );
    assert_eq!(
        recovery_code::Entity::find().count(&app.db).await.unwrap(),
        0
    );

    let confirmed = person
        .query(CONFIRM, json!({ "c": code(&secret, 0) }))
        .await["confirmTwoFactorEnrolment"]
        .clone();
    assert_eq!(confirmed["user"]["twoFactorEnabled"], true);
    let codes: Vec<&str> = confirmed["recoveryCodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap())
        .collect();
    assert_eq!(codes.len(), 10);
    let distinct: std::collections::HashSet<_> = codes.iter().collect();
    assert_eq!(distinct.len(), 10);
    // Only hashes are kept.
    let stored = recovery_code::Entity::find().all(&app.db).await.unwrap();
    assert_eq!(stored.len(), 10);
    for row in &stored {
        assert!(!codes
            .iter()
            .any(|c| row.code_hash.contains(&c.replace('-', ""))));
        assert_eq!(row.code_hash.len(), 64, "a SHA-256");
    }
    // This session goes on, signed in.
    let me = person.query(ME, json!({})).await;
    assert_eq!(me["me"]["twoFactorEnabled"], true);
    assert_eq!(me["me"]["recoveryCodesLeft"], 10);
    // The pending secret is gone: nothing shows the secret again.
    let row = second_factor::Entity::find()
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert!(row.pending_secret.is_none());
    assert_eq!(row.secret.as_deref(), Some(secret.as_str()));
    let enabled = actions(&app, "user.enable_two_factor").await;
    assert_eq!(enabled.len(), 1);
    assert_eq!(enabled[0].actor_id.map(|id| id.to_string()), person.user_id);
}

#[tokio::test]
async fn signing_in_asks_for_the_code_and_the_half_done_session_grants_nothing() {
    let app = TestApp::spawn().await;
    let admin = app.signed_in(Role::Admin).await;
    let (secret, _) = enrol(&admin).await;

    // A fresh browser, with its cookies visible, for the session id.
    let client = reqwest::Client::new();
    let send = |cookie: Option<String>, query: &'static str, variables: Value| {
        let client = client.clone();
        let url = app.url("/graphql");
        async move {
            let mut request = client
                .post(url)
                .json(&json!({ "query": query, "variables": variables }));
            if let Some(cookie) = cookie {
                request = request.header("cookie", cookie);
            }
            let response = request.send().await.unwrap();
            let cookie = response
                .headers()
                .get("set-cookie")
                .map(|v| v.to_str().unwrap().split(';').next().unwrap().to_owned());
            (cookie, response.json::<Value>().await.unwrap())
        }
    };
    let (pending, body) = send(None, SIGN_IN, json!({ "e": admin.email, "p": PASSWORD })).await;
    assert!(body["data"]["signIn"].is_null(), "{body}");
    assert!(body.get("errors").is_none(), "{body}");
    let pending = pending.expect("the password starts a session");

    let (_, body) = send(Some(pending.clone()), STEP, json!({})).await;
    assert_eq!(body["data"]["signInStep"], "SECOND_FACTOR");
    let (_, body) = send(Some(pending.clone()), ME, json!({})).await;
    assert!(body["data"]["me"].is_null(), "{body}");
    // Nothing a signed-in person could do: as for anyone signed out.
    for query in [
        "{ users { id } }",
        "{ auditEvents { totalCount } }",
        "{ renderMarkdown(markdown: \"x\") }",
        "mutation { createPage(input: { title: \"Sneaky\" }) { id } }",
        BEGIN,
    ] {
        let (_, body) = send(Some(pending.clone()), query, json!({})).await;
        assert_eq!(
            body["errors"][0]["extensions"]["code"], "UNAUTHENTICATED",
            "{query}: {body}"
        );
    }
    let (_, body) = send(
        Some(pending.clone()),
        "{ pages(includeDrafts: true) { title } }",
        json!({}),
    )
    .await;
    assert!(body["errors"].is_null());
    let (_, anonymous) = send(None, "{ pages(includeDrafts: true) { title } }", json!({})).await;
    assert_eq!(body["data"], anonymous["data"], "drafts are not shown");

    let (signed_in, body) = send(
        Some(pending.clone()),
        SECOND_FACTOR,
        json!({ "c": next_code(&secret) }),
    )
    .await;
    assert_eq!(
        body["data"]["signInSecondFactor"]["email"],
        admin.email.as_str(),
        "{body}"
    );
    let signed_in = signed_in.expect("a new session id");
    assert_ne!(signed_in, pending, "the id is rotated");
    let (_, body) = send(
        Some(signed_in.clone()),
        "{ users { id } signInStep }",
        json!({}),
    )
    .await;
    assert!(body["errors"].is_null(), "{body}");
    assert_eq!(body["data"]["signInStep"], "SIGNED_IN");
    let (_, body) = send(Some(pending), ME, json!({})).await;
    assert!(
        body["data"]["me"].is_null(),
        "the half-done session's id is dead"
    );

    let success = actions(&app, "sign_in.success").await;
    let last: Value = serde_json::from_str(&success.last().unwrap().detail).unwrap();
    assert_eq!(last["second_factor"], "authenticator app");
}

#[tokio::test]
async fn wrong_codes_are_refused_recorded_and_throttled_with_the_password() {
    let app = TestApp::spawn().await;
    let person = app.signed_in(Role::Editor).await;
    let (secret, _) = enrol(&person).await;
    let browser = password_only(&app, &person.email).await;
    let right = next_code(&secret);
    let wrong = if right == "123456" {
        "654321"
    } else {
        "123456"
    };

    // The password was attempt 1 of 5; four wrong codes use the rest.
    for _ in 0..4 {
        let error = browser
            .expect_error(SECOND_FACTOR, json!({ "c": wrong }), "BAD_USER_INPUT")
            .await;
        assert_eq!(codes_of(&error), ["code"]);
        assert_eq!(step(&browser).await, "SECOND_FACTOR", "still waiting");
    }
    let failures = actions(&app, "sign_in.failure").await;
    assert_eq!(failures.len(), 4);
    let detail: Value = serde_json::from_str(&failures[0].detail).unwrap();
    assert_eq!(detail["reason"], "wrong code");
    assert_eq!(failures[0].target_id.as_deref(), person.user_id.as_deref());

    // Now locked: the right code and the password alike.
    let limited = browser
        .expect_error(SECOND_FACTOR, json!({ "c": right }), "RATE_LIMITED")
        .await;
    assert!(limited["extensions"]["retryAfterSeconds"].as_u64().unwrap() > 0);
    app.anonymous()
        .expect_error(
            SIGN_IN,
            json!({ "e": person.email, "p": PASSWORD }),
            "RATE_LIMITED",
        )
        .await;
    assert_eq!(step(&browser).await, "SECOND_FACTOR", "not signed in");
}

#[tokio::test]
async fn a_right_password_does_not_reset_the_count_of_wrong_codes() {
    let app = TestApp::spawn().await;
    let person = app.signed_in(Role::Editor).await;
    let (secret, _) = enrol(&person).await;
    let wrong = if next_code(&secret) == "123456" {
        "654321"
    } else {
        "123456"
    };
    // Password, wrong code, password, wrong code, …: each counts.
    let mut limited = false;
    for _ in 0..3 {
        let (_, body) = app
            .anonymous()
            .post_graphql(SIGN_IN, json!({ "e": person.email, "p": PASSWORD }))
            .await;
        if body["errors"][0]["extensions"]["code"] == "RATE_LIMITED" {
            limited = true;
            break;
        }
        let browser = app.anonymous();
        browser
            .query(SIGN_IN, json!({ "e": person.email, "p": PASSWORD }))
            .await;
        let (_, body) = browser
            .post_graphql(SECOND_FACTOR, json!({ "c": wrong }))
            .await;
        if body["errors"][0]["extensions"]["code"] == "RATE_LIMITED" {
            limited = true;
            break;
        }
    }
    assert!(limited, "five attempts in all, however they take turns");
}

#[tokio::test]
async fn a_code_works_once() {
    let app = TestApp::spawn().await;
    let person = app.signed_in(Role::Publisher).await;
    let (secret, _) = enrol(&person).await;

    // The code that confirmed the app was used: it signs nobody in.
    let browser = password_only(&app, &person.email).await;
    let used = code(&secret, 0);
    let row = second_factor::Entity::find()
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let used_step = row.last_used_step.unwrap();
    if used_step == Utc::now().timestamp().div_euclid(30) {
        browser
            .expect_error(SECOND_FACTOR, json!({ "c": used }), "BAD_USER_INPUT")
            .await;
    }
    let fresh = next_code(&secret);
    browser.query(SECOND_FACTOR, json!({ "c": fresh })).await;
    assert_eq!(step(&browser).await, "SIGNED_IN");

    // The same code again, in another browser: refused.
    let thief = password_only(&app, &person.email).await;
    thief
        .expect_error(SECOND_FACTOR, json!({ "c": fresh }), "BAD_USER_INPUT")
        .await;
    assert_eq!(step(&thief).await, "SECOND_FACTOR");
}

#[tokio::test]
async fn each_recovery_code_works_once() {
    let app = TestApp::spawn().await;
    let person = app.signed_in(Role::Editor).await;
    let (_, codes) = enrol(&person).await;

    let browser = password_only(&app, &person.email).await;
    // As people type them: upper case, spaces for hyphens.
    let typed = codes[3].to_uppercase().replace('-', " ");
    let data = browser.query(SECOND_FACTOR, json!({ "c": typed })).await;
    assert_eq!(data["signInSecondFactor"]["email"], person.email.as_str());
    let me = browser.query(ME, json!({})).await;
    assert_eq!(me["me"]["recoveryCodesLeft"], 9);
    let success = actions(&app, "sign_in.success").await;
    let detail: Value = serde_json::from_str(&success.last().unwrap().detail).unwrap();
    assert_eq!(detail["second_factor"], "recovery code");
    assert_eq!(detail["recovery_codes_left"], 9);

    let again = password_only(&app, &person.email).await;
    again
        .expect_error(SECOND_FACTOR, json!({ "c": codes[3] }), "BAD_USER_INPUT")
        .await;
    again.query(SECOND_FACTOR, json!({ "c": codes[4] })).await;
    assert_eq!(step(&again).await, "SIGNED_IN");
}

#[tokio::test]
async fn a_code_with_no_sign_in_waiting_for_it_is_refused() {
    let app = TestApp::spawn().await;
    let person = app.signed_in(Role::Editor).await;
    let (secret, codes) = enrol(&person).await;

    let error = app
        .anonymous()
        .expect_error(SECOND_FACTOR, json!({ "c": codes[0] }), "UNAUTHENTICATED")
        .await;
    assert!(
        error["message"].as_str().unwrap().contains("timed out"),
        "{error}"
    );

    // Five minutes after the password, the half-done sign-in has lapsed.
    let browser = password_only(&app, &person.email).await;
    let six_minutes_ago = Utc::now().timestamp() - 6 * 60;
    let sessions = entity::session::Entity::find().all(&app.db).await.unwrap();
    for row in sessions {
        let mut data: Value = serde_json::from_str(&row.data).unwrap();
        if data["step"] == "code" {
            data["at"] = six_minutes_ago.into();
            let mut active: entity::session::ActiveModel = row.into();
            active.data = sea_orm::Set(data.to_string());
            sea_orm::ActiveModelTrait::update(active, &app.db)
                .await
                .unwrap();
        }
    }
    browser
        .expect_error(
            SECOND_FACTOR,
            json!({ "c": next_code(&secret) }),
            "UNAUTHENTICATED",
        )
        .await;
    assert_eq!(step(&browser).await, "SIGNED_OUT");
    assert_eq!(
        recovery_code::Entity::find()
            .filter(recovery_code::Column::UsedAt.is_not_null())
            .count(&app.db)
            .await
            .unwrap(),
        0,
        "nothing was used up"
    );
}

#[tokio::test]
async fn setting_up_an_app_ends_the_other_sessions() {
    let app = TestApp::spawn().await;
    let here = app.signed_in(Role::Editor).await;
    let mut elsewhere = app.anonymous();
    elsewhere.email = here.email.clone();
    elsewhere
        .query(SIGN_IN, json!({ "e": here.email, "p": PASSWORD }))
        .await;
    assert!(!elsewhere.query(ME, json!({})).await["me"].is_null());
    enrol(&here).await;
    assert!(
        elsewhere.query(ME, json!({})).await["me"].is_null(),
        "signed out"
    );
    assert!(!here.query(ME, json!({})).await["me"].is_null(), "goes on");
}

#[tokio::test]
async fn requiring_two_factor_sends_people_to_set_it_up_and_blocks_the_rest() {
    let app = TestApp::builder()
        .configure(|args| args.require_2fa = TwoFactorRequirement::from_role(Role::Publisher))
        .spawn()
        .await;
    // Below the role: signed in as before.
    let editor = app.signed_in(Role::Editor).await;
    assert_eq!(step(&editor).await, "SIGNED_IN");

    for role in [Role::Publisher, Role::Admin] {
        let email = format!("{role:?}@example.org").to_lowercase();
        let id = app.create_user(&email, role).await;
        let person = password_only(&app, &email).await;
        assert_eq!(step(&person).await, "ENROL_SECOND_FACTOR");
        assert!(person.query("{ me { id } }", json!({})).await["me"].is_null());

        // Everything else is refused, naming the set-up; nothing changes.
        let pages_before = entity::page::Entity::find().count(&app.db).await.unwrap();
        for query in [
            "{ pages { slug } }",
            "{ users { id } }",
            "mutation { createPage(input: { title: \"Sneaky\" }) { id } }",
            "mutation($c: String!) { signInSecondFactor(code: $c) { id } }",
        ] {
            let variables = json!({ "c": "123456" });
            let error = person.expect_error(query, variables, "FORBIDDEN").await;
            let message = error["message"].as_str().unwrap();
            assert!(message.contains("two-factor"), "{query}: {message}");
        }
        assert_eq!(
            entity::page::Entity::find().count(&app.db).await.unwrap(),
            pages_before
        );

        // Setting up an app finishes the sign-in.
        let (secret, codes) = enrol(&person).await;
        assert_eq!(codes.len(), 10);
        assert_eq!(step(&person).await, "SIGNED_IN");
        assert_eq!(
            person.query("{ me { id } }", json!({})).await["me"]["id"],
            id.as_str()
        );
        person.query("{ pages { slug } }", json!({})).await;
        let success = actions(&app, "sign_in.success").await;
        let detail: Value = serde_json::from_str(&success.last().unwrap().detail).unwrap();
        assert_eq!(detail["second_factor"], "set up");

        // Next time, the code.
        let next = password_only(&app, &email).await;
        assert_eq!(step(&next).await, "SECOND_FACTOR");
        next.query(SECOND_FACTOR, json!({ "c": next_code(&secret) }))
            .await;
    }
}

#[tokio::test]
async fn signing_out_works_while_setting_up_is_required() {
    let app = TestApp::builder()
        .configure(|args| args.require_2fa = TwoFactorRequirement::from_role(Role::Editor))
        .spawn()
        .await;
    app.create_user("eve@example.org", Role::Editor).await;
    let person = password_only(&app, "eve@example.org").await;
    person.query("mutation { signOut }", json!({})).await;
    assert_eq!(step(&person).await, "SIGNED_OUT");
    person
        .expect_error(BEGIN, json!({}), "UNAUTHENTICATED")
        .await;
}

#[tokio::test]
async fn an_admin_reset_removes_the_second_factor_ends_sessions_and_is_audited() {
    let app = TestApp::spawn().await;
    let admin = app.signed_in(Role::Admin).await;
    let editor = app.signed_in(Role::Editor).await;
    enrol(&editor).await;
    let editor_id = editor.user_id.clone().unwrap();
    let users = admin
        .query("{ users { id version twoFactorEnabled } }", json!({}))
        .await;
    let row = users["users"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["id"] == editor_id.as_str())
        .unwrap()
        .clone();
    assert_eq!(row["twoFactorEnabled"], true);
    let version = row["version"].as_i64().unwrap();

    // Not for editors; not with an old version; not for someone without one.
    editor
        .expect_error(RESET, json!({ "id": editor_id, "v": version }), "FORBIDDEN")
        .await;
    admin
        .expect_error(
            RESET,
            json!({ "id": editor_id, "v": version - 1 }),
            "CONFLICT",
        )
        .await;
    let admin_id = admin.user_id.clone().unwrap();
    let admin_version = admin.query("{ me { version } }", json!({})).await["me"]["version"].clone();
    let error = admin
        .expect_error(
            RESET,
            json!({ "id": admin_id, "v": admin_version }),
            "BAD_USER_INPUT",
        )
        .await;
    assert_eq!(codes_of(&error), ["id"]);
    assert_eq!(
        admin.query("{ me { version } }", json!({})).await["me"]["version"],
        admin_version,
        "a refused reset changes nothing"
    );
    assert!(!editor.query(ME, json!({})).await["me"].is_null());
    assert_eq!(
        recovery_code::Entity::find().count(&app.db).await.unwrap(),
        10
    );

    let reset = admin
        .query(RESET, json!({ "id": editor_id, "v": version }))
        .await;
    assert_eq!(reset["resetUserTwoFactor"]["twoFactorEnabled"], false);
    assert_eq!(reset["resetUserTwoFactor"]["version"], version + 1);
    assert!(
        editor.query(ME, json!({})).await["me"].is_null(),
        "signed out"
    );
    assert_eq!(
        recovery_code::Entity::find().count(&app.db).await.unwrap(),
        0
    );
    assert_eq!(
        second_factor::Entity::find().count(&app.db).await.unwrap(),
        0
    );
    let audited = actions(&app, "user.reset_two_factor").await;
    assert_eq!(audited.len(), 1);
    assert_eq!(audited[0].actor_id.map(|id| id.to_string()), Some(admin_id));
    assert_eq!(audited[0].target_id.as_deref(), Some(editor_id.as_str()));

    // The password alone signs them in again.
    let again = app.anonymous();
    let data = again
        .query(SIGN_IN, json!({ "e": editor.email, "p": PASSWORD }))
        .await;
    assert_eq!(data["signIn"]["email"], editor.email.as_str());
}

#[tokio::test]
async fn only_the_person_and_admins_may_know_whether_they_use_two_factor() {
    let app = TestApp::spawn().await;
    let editor = app.signed_in(Role::Editor).await;
    enrol(&editor).await;
    let publisher = app.signed_in(Role::Publisher).await;
    // Other staff meet the editor as the author of an edit.
    let page = publisher
        .query(
            "{ pages(includeDrafts: true) { categories { questions { id version } } } }",
            json!({}),
        )
        .await;
    let question = page["pages"][0]["categories"][0]["questions"][0].clone();
    editor
        .query(
            "mutation($id: ID!, $v: Int!) { updateQuestion(id: $id, version: $v, input: { answer: \"Edited.\" }) { id } }",
            json!({ "id": question["id"], "v": question["version"] }),
        )
        .await;
    let seen = publisher
        .query(
            "query($id: ID!) { question(id: $id, includeDrafts: true) { revisions(first: 1) { edges { node { author { id twoFactorEnabled recoveryCodesLeft } } } } } }",
            json!({ "id": question["id"] }),
        )
        .await;
    let author = &seen["question"]["revisions"]["edges"][0]["node"]["author"];
    assert_eq!(
        author["id"],
        editor.user_id.clone().unwrap().as_str(),
        "{seen}"
    );
    assert!(author["twoFactorEnabled"].is_null(), "{seen}");
    assert!(author["recoveryCodesLeft"].is_null(), "{seen}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_locked_out_admin_is_reset_at_the_command_line() {
    let app = TestApp::spawn().await;
    let admin = app.signed_in(Role::Admin).await;
    enrol(&admin).await;
    let output = run_cli(&app.database, &["user", "reset-2fa", &admin.email]);
    assert!(output.status.success());
    let said = String::from_utf8_lossy(&output.stdout);
    assert!(said.contains("Two-factor sign-in reset"), "{said}");
    assert!(
        admin.query(ME, json!({})).await["me"].is_null(),
        "sessions ended"
    );
    let data = app
        .anonymous()
        .query(SIGN_IN, json!({ "e": admin.email, "p": PASSWORD }))
        .await;
    assert_eq!(data["signIn"]["email"], admin.email.as_str());
    assert_eq!(actions(&app, "user.reset_two_factor").await.len(), 1);

    let output = run_cli(&app.database, &["user", "reset-2fa", "nobody@example.org"]);
    assert!(!output.status.success());
    let output = run_cli(&app.database, &["user", "reset-2fa", &admin.email]);
    assert!(!output.status.success(), "nothing left to reset");
    assert!(String::from_utf8_lossy(&output.stderr).contains("nothing to reset"));
}

#[tokio::test]
async fn the_first_admin_sets_up_an_app_first_where_admins_must() {
    let app = TestApp::builder()
        .configure(|args| args.require_2fa = TwoFactorRequirement::from_role(Role::Admin))
        .spawn()
        .await;
    let token = app.setup_token.clone().expect("no admin yet: a setup link");
    let mut person = app.anonymous();
    person.email = "first@example.org".into();
    let data = person
        .query(
            "mutation($t: String!, $p: String!) { completeSetup(token: $t, email: \"first@example.org\", displayName: \"First\", password: $p) { id } }",
            json!({ "t": token, "p": PASSWORD }),
        )
        .await;
    assert!(data["completeSetup"].is_null(), "{data}");
    assert_eq!(step(&person).await, "ENROL_SECOND_FACTOR");
    person
        .expect_error("{ users { id } }", json!({}), "FORBIDDEN")
        .await;
    enrol(&person).await;
    assert_eq!(step(&person).await, "SIGNED_IN");
    person.query("{ users { id } }", json!({})).await;
}

#[test]
fn the_setting_takes_a_role_or_none_and_nothing_else() {
    use clap::Parser;
    use qanda::cli::{Cli, Command};
    let parse = |extra: &[&str]| {
        let mut args = vec!["qanda", "serve"];
        args.extend_from_slice(extra);
        Cli::try_parse_from(args).map(|cli| match cli.command {
            Command::Serve(serve) => serve.require_2fa,
            _ => unreachable!("parsed as serve"),
        })
    };
    assert_eq!(parse(&[]).unwrap(), TwoFactorRequirement::NONE);
    assert_eq!(
        parse(&["--require-2fa=none"]).unwrap(),
        TwoFactorRequirement::NONE
    );
    assert_eq!(
        parse(&["--require-2fa=publisher"]).unwrap(),
        TwoFactorRequirement::from_role(Role::Publisher)
    );
    let refused = parse(&["--require-2fa=everyone"]).unwrap_err().to_string();
    assert!(
        refused.contains("EDITOR, PUBLISHER, ADMIN or none"),
        "{refused}"
    );
}
