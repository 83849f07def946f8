//! Two-factor sign-in in a real browser, with the keyboard alone: sent to
//! set up an app straight after the password (QANDA_REQUIRE_2FA), the QR
//! code drawn inline and the key as text, the recovery codes shown once,
//! then signing in with a code; and an admin's reset. Every screen is
//! checked with axe-core at desktop width and at 320 pixels.

use fantoccini::key::Key;
use fantoccini::{Client, Locator};
use qanda::domain::{Role, TwoFactorRequirement};
use serde_json::json;

use crate::browser::{new_user, sign_in};
use crate::browser_support::{
    axe_violations_at_both_widths, find, wait_for_text, wait_until_settled, with_browser,
};
use crate::helpers::{TestApp, PASSWORD};
use crate::two_factor::code;

/// Fails with every violation found at either width, naming the screen.
async fn assert_accessible(client: &Client, screen: &str) {
    wait_until_settled(client).await;
    let violations = axe_violations_at_both_widths(client).await;
    println!("axe: {screen}: {} violations", violations.len());
    assert!(
        violations.is_empty(),
        "axe-core found violations on {screen}:\n  {}",
        violations.join("\n  ")
    );
}

async fn focused_id(client: &Client) -> String {
    client
        .execute(
            "return document.activeElement ? document.activeElement.id : '';",
            vec![],
        )
        .await
        .unwrap()
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

/// Presses Tab until the focused element has this id, as a keyboard user would.
async fn tab_to_id(client: &Client, id: &str) {
    for _ in 0..80 {
        if focused_id(client).await == id {
            return;
        }
        type_keys(client, &Key::Tab.to_string()).await;
    }
    panic!("Tab never reached #{id}");
}

async fn type_keys(client: &Client, keys: &str) {
    client
        .active_element()
        .await
        .unwrap()
        .send_keys(keys)
        .await
        .unwrap();
}

/// Signs in with the keyboard: email, password, Enter.
async fn type_password(client: &Client, app: &TestApp, email: &str) {
    client.goto(&app.url("/admin/sign-in")).await.unwrap();
    find(client, "#email").await;
    tab_to_id(client, "email").await;
    type_keys(client, email).await;
    tab_to_id(client, "password").await;
    type_keys(client, PASSWORD).await;
    type_keys(client, &Key::Enter.to_string()).await;
}

async fn heading(client: &Client) -> String {
    find(client, "main h1").await.text().await.unwrap()
}

#[tokio::test]
async fn a_required_app_is_set_up_and_then_asked_for_by_keyboard() {
    let app = TestApp::builder()
        .configure(|args| args.require_2fa = TwoFactorRequirement::from_role(Role::Editor))
        .spawn()
        .await;
    let email = new_user(&app, Role::Editor).await;

    with_browser("two_factor_required", |client| async move {
        // Straight from the password to setting up an app.
        type_password(&client, &app, &email).await;
        wait_for_text(&client, "Your account must use two-factor sign-in").await;
        assert_eq!(heading(&client).await, "Set up two-factor sign-in");
        let url = client.current_url().await.unwrap();
        assert!(url.path().ends_with("/admin/account/two-factor"), "{url}");
        let qr = find(&client, ".qanda-qr svg[role='img']").await;
        assert!(qr
            .attr("aria-label")
            .await
            .unwrap()
            .unwrap()
            .contains("QR code"));
        let secret: String = find(&client, "#two-factor-secret")
            .await
            .text()
            .await
            .unwrap()
            .split_whitespace()
            .collect();
        assert!(secret.len() >= 32, "{secret}");
        assert_accessible(&client, "setting up two-factor sign-in").await;

        // Nothing else first: another screen sends them back here.
        client.goto(&app.url("/admin/")).await.unwrap();
        wait_for_text(&client, "Your account must use two-factor sign-in").await;

        // A wrong code is refused in the GOV.UK way.
        let right = code(&secret, 0);
        let wrong = if right == "000000" {
            "111111"
        } else {
            "000000"
        };
        find(&client, "#code").await;
        tab_to_id(&client, "code").await;
        type_keys(&client, wrong).await;
        type_keys(&client, &Key::Enter.to_string()).await;
        let summary = find(&client, ".govuk-error-summary").await;
        assert!(summary
            .text()
            .await
            .unwrap()
            .contains("The code is not right"));
        assert!(client.title().await.unwrap().starts_with("Error: "));
        find(&client, "#code.govuk-input--error").await;
        assert_accessible(&client, "setting up two-factor sign-in, wrong code").await;

        let field = find(&client, "#code").await;
        field.clear().await.unwrap();
        tab_to_id(&client, "code").await;
        type_keys(&client, &code(&secret, 0)).await;
        type_keys(&client, &Key::Enter.to_string()).await;
        wait_for_text(&client, "Save your recovery codes").await;
        let focused_heading = client
            .execute("return document.activeElement.tagName;", vec![])
            .await
            .unwrap();
        assert_eq!(focused_heading, json!("H1"));
        let codes = client
            .find_all(Locator::Css("#recovery-codes li"))
            .await
            .unwrap();
        assert_eq!(codes.len(), 10);
        let recovery = codes[0].text().await.unwrap();
        assert_accessible(&client, "recovery codes").await;
        tab_to_id(&client, "recovery-codes-saved").await;
        type_keys(&client, &Key::Enter.to_string()).await;
        wait_for_text(&client, "Sign out").await;
        wait_for_text(&client, "Pages").await;

        // Next time: the password, then the code.
        client.goto(&app.url("/admin/sign-out")).await.unwrap();
        wait_for_text(&client, "You have signed out.").await;
        type_password(&client, &app, &email).await;
        wait_for_text(&client, "Enter the code from your authenticator app").await;
        let url = client.current_url().await.unwrap();
        assert!(url.path().ends_with("/admin/sign-in/code"), "{url}");
        assert_accessible(&client, "sign-in code").await;

        find(&client, "#code").await;
        tab_to_id(&client, "code").await;
        type_keys(&client, "12").await;
        type_keys(&client, &Key::Enter.to_string()).await;
        let summary = find(&client, ".govuk-error-summary").await;
        assert!(summary.text().await.unwrap().contains("6-digit code"));
        assert_accessible(&client, "sign-in code, malformed").await;

        // A recovery code, typed as people do.
        tab_to_id(&client, "code").await;
        type_keys(&client, &recovery.to_uppercase()).await;
        type_keys(&client, &Key::Enter.to_string()).await;
        wait_for_text(&client, "Sign out").await;
        let me = app
            .anonymous()
            .post_graphql("{ signInStep }", json!({}))
            .await
            .1;
        assert_eq!(
            me["data"]["signInStep"], "SIGNED_OUT",
            "another browser is not signed in"
        );

        // Your account says it is on, with one code fewer.
        client.goto(&app.url("/admin/account")).await.unwrap();
        wait_for_text(&client, "You have 9 unused recovery codes").await;
        assert_accessible(&client, "your account with two-factor sign-in").await;
    })
    .await;
}

#[tokio::test]
async fn an_admin_resets_someone_elses_app_by_keyboard() {
    let app = TestApp::spawn().await;
    let admin_email = new_user(&app, Role::Admin).await;
    let editor = app.signed_in(Role::Editor).await;
    let secret = editor
        .query("mutation { beginTwoFactorEnrolment { secret } }", json!({}))
        .await["beginTwoFactorEnrolment"]["secret"]
        .as_str()
        .unwrap()
        .to_owned();
    editor
        .query(
            "mutation($c: String!) { confirmTwoFactorEnrolment(code: $c) { recoveryCodes } }",
            json!({ "c": code(&secret, 0) }),
        )
        .await;
    let editor_id = editor.user_id.clone().unwrap();

    with_browser("two_factor_reset", |client| async move {
        sign_in(&client, &app, &admin_email).await;
        // The admin's own account offers to set it up.
        client.goto(&app.url("/admin/account")).await.unwrap();
        wait_for_text(&client, "Off. You sign in with your password alone.").await;
        assert_accessible(&client, "your account without two-factor sign-in").await;

        client
            .goto(&app.url(&format!("/admin/users/{editor_id}")))
            .await
            .unwrap();
        wait_for_text(&client, "Reset two-factor sign-in").await;
        assert_accessible(&client, "a user with two-factor sign-in").await;
        tab_to_id(&client, "action-reset-two-factor").await;
        type_keys(&client, &Key::Enter.to_string()).await;
        find(&client, "#confirm").await;
        // Focus moves once the panel has rendered: give it a moment.
        let mut focused = String::new();
        for _ in 0..40 {
            focused = focused_id(&client).await;
            if focused == "confirm-heading" {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        assert_eq!(focused, "confirm-heading");
        assert_accessible(&client, "confirming a reset").await;
        // Tab to "Yes, reset" and press it.
        for _ in 0..10 {
            let text = client
                .execute("return document.activeElement.textContent;", vec![])
                .await
                .unwrap();
            if text == "Yes, reset" {
                break;
            }
            type_keys(&client, &Key::Tab.to_string()).await;
        }
        type_keys(&client, &Key::Enter.to_string()).await;
        wait_for_text(&client, "has been signed out everywhere").await;
        assert!(editor.query("{ me { id } }", json!({})).await["me"].is_null());
        let status = find(&client, "#two-factor-status")
            .await
            .text()
            .await
            .unwrap();
        assert_eq!(status, "Off");
        assert_accessible(&client, "a user after the reset").await;
    })
    .await;
}
