//! The admin UI in a real browser: the editorial flow, conflicts, roles,
//! accessibility (axe-core) and keyboard-only use.

use std::time::Duration;

use entity::question;
use fantoccini::key::Key;
use fantoccini::{Client, Locator};
use qanda::domain::Role;
use sea_orm::EntityTrait;
use serde_json::{json, Value};

use crate::browser_support::{
    axe_violations_at_both_widths, find, wait_for_text, wait_until_settled, with_browser,
};
use crate::helpers::{TestApp, PASSWORD};

pub(crate) const ROADSHOWS_SLUG: &str = "will-you-be-holding-any-more-roadshows";

pub(crate) async fn question_id(app: &TestApp, slug: &str) -> String {
    let data = app
        .query(
            "query($s: String!) { questionBySlug(pageSlug: \"local-digital-qa\", slug: $s) { id } }",
            json!({ "s": slug }),
        )
        .await;
    data["questionBySlug"]["id"].as_str().unwrap().to_owned()
}

pub(crate) async fn public_answer(app: &TestApp, id: &str) -> Option<String> {
    let data = app
        .query(
            "query($id: ID!) { question(id: $id) { answer } }",
            json!({ "id": id }),
        )
        .await;
    data["question"]["answer"].as_str().map(str::to_owned)
}

async fn stored(app: &TestApp, id: &str) -> question::Model {
    question::Entity::find_by_id(id.parse::<i32>().unwrap())
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
}

/// Waits until the stored question reaches `version`.
async fn wait_for_version(app: &TestApp, id: &str, version: i32) -> question::Model {
    for _ in 0..100 {
        let row = stored(app, id).await;
        if row.version >= version {
            return row;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("question {id} never reached version {version}");
}

pub(crate) async fn button(client: &Client, text: &str) -> fantoccini::elements::Element {
    client
        .wait()
        .at_most(Duration::from_secs(10))
        .for_element(Locator::XPath(&format!(
            "//button[normalize-space()='{text}']"
        )))
        .await
        .unwrap_or_else(|e| panic!("no button {text:?}: {e}"))
}

pub(crate) async fn has_button(client: &Client, text: &str) -> bool {
    client
        .find_all(Locator::XPath(&format!(
            "//button[normalize-space()='{text}']"
        )))
        .await
        .map(|found| !found.is_empty())
        .unwrap_or(false)
}

pub(crate) async fn sign_in(client: &Client, app: &TestApp, email: &str) {
    client.goto(&app.url("/admin/sign-in")).await.unwrap();
    find(client, "#email").await.send_keys(email).await.unwrap();
    find(client, "#password")
        .await
        .send_keys(PASSWORD)
        .await
        .unwrap();
    button(client, "Sign in").await.click().await.unwrap();
    wait_for_text(client, "Sign out").await;
}

pub(crate) async fn replace_text(client: &Client, css: &str, text: &str) {
    let field = find(client, css).await;
    field.clear().await.unwrap();
    field.send_keys(text).await.unwrap();
}

pub(crate) async fn new_user(app: &TestApp, role: Role) -> String {
    let email = format!("{}@example.org", format!("{role:?}").to_lowercase());
    app.create_user(&email, role).await;
    email
}

#[tokio::test]
async fn a_publisher_edits_saves_publishes_and_archives() {
    let app = TestApp::spawn().await;
    let email = new_user(&app, Role::Publisher).await;
    let id = question_id(&app, ROADSHOWS_SLUG).await;
    let original = public_answer(&app, &id).await.unwrap();

    with_browser("publisher_flow", |client| async move {
        sign_in(&client, &app, &email).await;
        client
            .goto(&app.url(&format!("/admin/questions/{id}")))
            .await
            .unwrap();
        replace_text(&client, "#answer", "Yes: **two** roadshows a year.").await;
        // The live preview shows the sanitised HTML.
        let preview = find(&client, "#answer-preview strong").await;
        assert_eq!(preview.text().await.unwrap(), "two");

        button(&client, "Save draft").await.click().await.unwrap();
        let row = wait_for_version(&app, &id, 2).await;
        assert_eq!(row.answer, "Yes: **two** roadshows a year.");
        assert_eq!(
            public_answer(&app, &id).await.unwrap(),
            original,
            "a draft is not public"
        );

        // Each public action goes through its confirmation.
        button(&client, "Publish").await.click().await.unwrap();
        button(&client, "Yes, publish").await.click().await.unwrap();
        wait_for_version(&app, &id, 3).await;
        assert_eq!(
            public_answer(&app, &id).await.unwrap(),
            "Yes: **two** roadshows a year."
        );

        button(&client, "Archive").await.click().await.unwrap();
        button(&client, "Yes, archive").await.click().await.unwrap();
        wait_for_version(&app, &id, 4).await;
        assert_eq!(
            public_answer(&app, &id).await,
            None,
            "archived questions leave the public page"
        );
        let page = app
            .query(
                "{ page(slug: \"local-digital-qa\") { categories { questions { id } } } }",
                json!({}),
            )
            .await;
        assert!(!page.to_string().contains(&format!("\"{id}\"")));
    })
    .await;
}

#[tokio::test]
async fn an_editor_is_not_offered_publishing() {
    let app = TestApp::spawn().await;
    let email = new_user(&app, Role::Editor).await;
    let id = question_id(&app, ROADSHOWS_SLUG).await;
    with_browser("editor_controls", |client| async move {
        sign_in(&client, &app, &email).await;
        client
            .goto(&app.url(&format!("/admin/questions/{id}")))
            .await
            .unwrap();
        button(&client, "Save draft").await;
        for action in ["Publish", "Unpublish", "Archive", "Delete"] {
            assert!(
                !has_button(&client, action).await,
                "an editor is offered {action}"
            );
        }
    })
    .await;
}

#[tokio::test]
async fn a_conflict_between_two_windows_loses_nothing() {
    let app = TestApp::spawn().await;
    let email = new_user(&app, Role::Editor).await;
    let id = question_id(&app, ROADSHOWS_SLUG).await;
    with_browser("two_window_conflict", |client| async move {
        sign_in(&client, &app, &email).await;
        let editor_url = app.url(&format!("/admin/questions/{id}"));
        client.goto(&editor_url).await.unwrap();
        find(&client, "#answer").await;
        let first = client.window().await.unwrap();
        let second = client.new_window(true).await.unwrap().handle;

        // Window two saves first.
        client.switch_to_window(second.clone()).await.unwrap();
        client.goto(&editor_url).await.unwrap();
        replace_text(&client, "#answer", "Their answer.").await;
        button(&client, "Save draft").await.click().await.unwrap();
        wait_for_version(&app, &id, 2).await;

        // Window one, opened at version 1, saves second and is told.
        client.switch_to_window(first).await.unwrap();
        replace_text(&client, "#answer", "My answer.").await;
        button(&client, "Save draft").await.click().await.unwrap();
        wait_for_text(&client, "Their answer.").await;
        let mine = find(&client, "#answer").await.prop("value").await.unwrap();
        assert_eq!(
            mine.as_deref(),
            Some("My answer."),
            "the editor keeps their text"
        );
        assert_eq!(
            stored(&app, &id).await.answer,
            "Their answer.",
            "nothing was overwritten"
        );

        button(&client, "Keep my changes")
            .await
            .click()
            .await
            .unwrap();
        let row = wait_for_version(&app, &id, 3).await;
        assert_eq!(row.answer, "My answer.");
    })
    .await;
}

/// Presses Tab until the focused element satisfies `condition` (a JS
/// expression over `el`), as a keyboard user would.
pub(crate) async fn tab_to(client: &Client, condition: &str) {
    let script = format!("const el = document.activeElement; return !!(el && ({condition}));");
    for _ in 0..80 {
        if client.execute(&script, vec![]).await.unwrap() == Value::Bool(true) {
            return;
        }
        client
            .active_element()
            .await
            .unwrap()
            .send_keys(&Key::Tab.to_string())
            .await
            .unwrap();
    }
    panic!("Tab never reached an element where {condition}");
}

pub(crate) async fn type_keys(client: &Client, keys: &str) {
    client
        .active_element()
        .await
        .unwrap()
        .send_keys(keys)
        .await
        .unwrap();
}

#[tokio::test]
async fn the_whole_edit_and_publish_flow_works_with_the_keyboard_alone() {
    let app = TestApp::spawn().await;
    let email = new_user(&app, Role::Publisher).await;
    let id = question_id(&app, ROADSHOWS_SLUG).await;
    with_browser("keyboard_only", |client| async move {
        client.goto(&app.url("/admin/sign-in")).await.unwrap();
        find(&client, "#email").await;
        tab_to(&client, "el.id === 'email'").await;
        type_keys(&client, &email).await;
        tab_to(&client, "el.id === 'password'").await;
        type_keys(&client, PASSWORD).await;
        type_keys(&client, &Key::Enter.to_string()).await;
        wait_for_text(&client, "Sign out").await;

        tab_to(&client, "el.tagName === 'A' && el.textContent.includes('Local Digital Q&A')").await;
        type_keys(&client, &Key::Enter.to_string()).await;
        wait_for_text(&client, "Will you be holding any more roadshows?").await;
        tab_to(&client, "el.tagName === 'A' && el.textContent.includes('Will you be holding any more roadshows?')").await;
        type_keys(&client, &Key::Enter.to_string()).await;

        find(&client, "#answer").await;
        tab_to(&client, "el.id === 'answer'").await;
        // Select all, then type over it.
        type_keys(&client, &format!("{}a", Key::Control)).await;
        type_keys(&client, "Typed with the keyboard.").await;
        tab_to(&client, "el.tagName === 'BUTTON' && el.textContent.trim() === 'Save draft'").await;
        type_keys(&client, &Key::Enter.to_string()).await;
        let row = wait_for_version(&app, &id, 2).await;
        assert!(row.answer.ends_with("Typed with the keyboard."), "{}", row.answer);

        tab_to(&client, "el.tagName === 'BUTTON' && el.textContent.trim() === 'Publish'").await;
        type_keys(&client, &Key::Enter.to_string()).await;
        tab_to(&client, "el.tagName === 'BUTTON' && el.textContent.trim() === 'Yes, publish'").await;
        type_keys(&client, &Key::Enter.to_string()).await;
        wait_for_version(&app, &id, 3).await;
        let public = public_answer(&app, &id).await.unwrap();
        assert!(public.ends_with("Typed with the keyboard."), "{public}");
    })
    .await;
}

#[tokio::test]
async fn every_screen_has_no_axe_violations() {
    let app = TestApp::spawn().await;
    let id = question_id(&app, ROADSHOWS_SLUG).await;
    let token = app.setup_token.clone();
    let webhook = crate::webhooks::webhook_with_deliveries(&app).await;
    with_browser("axe", |client| async move {
        let mut report = Vec::new();
        let mut check = |screen: String, violations: Vec<String>| {
            println!("axe: {screen}: {} violations", violations.len());
            if !violations.is_empty() {
                report.push(format!("{screen}:\n  {}", violations.join("\n  ")));
            }
        };
        client.goto(&app.url("/admin/sign-in")).await.unwrap();
        find(&client, "#email").await;
        wait_until_settled(&client).await;
        check(
            "sign in".into(),
            axe_violations_at_both_widths(&client).await,
        );
        // The set-up link works while there is no admin; after, it says so.
        let token = token.expect("no admin yet, so there is a setup link");
        let setup = app.url(&format!("/admin/setup?token={token}"));
        client.goto(&setup).await.unwrap();
        find(&client, "#email").await;
        wait_until_settled(&client).await;
        check(
            "first admin setup".into(),
            axe_violations_at_both_widths(&client).await,
        );
        let email = new_user(&app, Role::Admin).await;
        client.goto(&setup).await.unwrap();
        wait_for_text(&client, "This link has already been used").await;
        wait_until_settled(&client).await;
        check(
            "first admin setup, link used".into(),
            axe_violations_at_both_widths(&client).await,
        );
        sign_in(&client, &app, &email).await;
        let outline = app
            .query(
                "{ page(slug: \"local-digital-qa\") { categories { id } } }",
                json!({}),
            )
            .await;
        let category = outline["page"]["categories"][0]["id"]
            .as_str()
            .unwrap()
            .to_owned();
        let user = qanda::service::users::find_by_email(&app.db, &email)
            .await
            .unwrap()
            .unwrap()
            .id;
        let screens = [
            ("pages", "/admin".to_owned(), "main h1"),
            (
                "page",
                "/admin/pages/local-digital-qa".to_owned(),
                "[data-question-id]",
            ),
            (
                "question editor",
                format!("/admin/questions/{id}"),
                "#answer",
            ),
            (
                "history",
                format!("/admin/questions/{id}/history"),
                "main h1",
            ),
            (
                "new question",
                format!("/admin/questions/new?category={category}"),
                "#question",
            ),
            (
                "category",
                format!("/admin/pages/local-digital-qa/categories/{category}"),
                "#title",
            ),
            ("create page", "/admin/create-page".to_owned(), "#title"),
            ("user", format!("/admin/users/{user}"), "main h1"),
            (
                "page settings",
                "/admin/pages/local-digital-qa/settings".to_owned(),
                "#title",
            ),
            ("users", "/admin/users".to_owned(), "main h1"),
            ("audit log", "/admin/audit".to_owned(), "main h1"),
            ("account", "/admin/account".to_owned(), "main h1"),
            ("webhooks", "/admin/webhooks".to_owned(), "#url"),
            (
                "retire page",
                "/admin/pages/local-digital-qa/retire".to_owned(),
                "#notice",
            ),
            (
                "webhook with deliveries",
                format!("/admin/webhooks/{webhook}"),
                "#deliveries [data-status=FAILED]",
            ),
        ];
        for (screen, path, ready) in screens {
            client.goto(&app.url(&path)).await.unwrap();
            find(&client, ready).await;
            wait_until_settled(&client).await;
            check(screen.into(), axe_violations_at_both_widths(&client).await);
        }
        // The public page, as readers see it.
        client
            .goto(&app.url("/pages/local-digital-qa"))
            .await
            .unwrap();
        find(&client, "main h1").await;
        check(
            "public page".into(),
            axe_violations_at_both_widths(&client).await,
        );
        client
            .goto(&app.url("/pages/local-digital-qa?preview=true"))
            .await
            .unwrap();
        find(&client, ".govuk-notification-banner").await;
        check(
            "public page preview".into(),
            axe_violations_at_both_widths(&client).await,
        );

        // A form with errors is a screen of its own.
        client
            .goto(&app.url(&format!("/admin/questions/{id}")))
            .await
            .unwrap();
        replace_text(&client, "#answer", "").await;
        button(&client, "Save draft").await.click().await.unwrap();
        find(&client, ".govuk-error-summary").await;
        let title = client.title().await.unwrap();
        assert!(title.starts_with("Error: "), "{title}");
        check(
            "question editor with errors".into(),
            axe_violations_at_both_widths(&client).await,
        );

        // Adding a webhook: first with nothing filled in, then properly,
        // when its secret is shown once.
        client.goto(&app.url("/admin/webhooks")).await.unwrap();
        find(&client, "#url").await;
        button(&client, "Add webhook").await.click().await.unwrap();
        find(&client, ".govuk-error-summary a[href='#events']").await;
        let title = client.title().await.unwrap();
        assert!(title.starts_with("Error: "), "{title}");
        check(
            "add webhook with errors".into(),
            axe_violations_at_both_widths(&client).await,
        );
        replace_text(&client, "#url", "https://example.org/hook").await;
        find(&client, "label[for='events']")
            .await
            .click()
            .await
            .unwrap();
        button(&client, "Add webhook").await.click().await.unwrap();
        find(&client, "#webhook-secret").await;
        check(
            "webhook added, secret shown once".into(),
            axe_violations_at_both_widths(&client).await,
        );
        assert!(
            report.is_empty(),
            "axe-core found violations:\n{}",
            report.join("\n")
        );
    })
    .await;
}

/// Not a check: writes screenshots of the main screens, for people
/// reviewing the UI. Ignored by default; run it with
///
/// ```sh
/// QANDA_SCREENSHOTS=/tmp/shots cargo test --test api -- --ignored screenshots_of_the_main_screens
/// ```
///
/// The folder defaults to `target/screenshots` when QANDA_SCREENSHOTS is unset.
#[tokio::test]
#[ignore = "writes screenshots for review; run with --ignored"]
async fn screenshots_of_the_main_screens_on_request() {
    let folder = std::env::var("QANDA_SCREENSHOTS")
        .unwrap_or_else(|_| format!("{}/target/screenshots", env!("CARGO_MANIFEST_DIR")));
    std::fs::create_dir_all(&folder).expect("the screenshot folder can be created");
    let app = TestApp::spawn().await;
    let email = new_user(&app, Role::Admin).await;
    let id = question_id(&app, ROADSHOWS_SLUG).await;
    let webhook = crate::webhooks::webhook_with_deliveries(&app).await;
    with_browser("screenshots", |client| async move {
        sign_in(&client, &app, &email).await;
        for (name, path, ready) in [
            ("pages", "/admin".to_owned(), "main h1"),
            (
                "page",
                "/admin/pages/local-digital-qa".to_owned(),
                "[data-question-id]",
            ),
            (
                "editor",
                format!("/admin/questions/{id}"),
                "#answer-preview",
            ),
            (
                "history",
                format!("/admin/questions/{id}/history"),
                "main h1",
            ),
            ("webhooks", "/admin/webhooks".to_owned(), "#url"),
            (
                "webhook",
                format!("/admin/webhooks/{webhook}"),
                "#deliveries",
            ),
        ] {
            client.goto(&app.url(&path)).await.unwrap();
            find(&client, ready).await;
            wait_until_settled(&client).await;
            let png = client.screenshot().await.unwrap();
            std::fs::write(format!("{folder}/{name}.png"), png).unwrap();
        }
    })
    .await;
}

#[tokio::test]
async fn an_admin_retires_and_reinstates_a_page() {
    let app = TestApp::spawn().await;
    let email = new_user(&app, Role::Admin).await;
    with_browser("retirement", |client| async move {
        sign_in(&client, &app, &email).await;
        client
            .goto(&app.url("/admin/pages/local-digital-qa/retire"))
            .await
            .unwrap();
        find(&client, "#notice").await;
        wait_for_text(&client, "Nothing is deleted").await;
        wait_until_settled(&client).await;
        let violations = axe_violations_at_both_widths(&client).await;
        assert!(violations.is_empty(), "retire screen: {violations:?}");

        // Bad input first: a redirect with nowhere to go changes nothing.
        find(&client, "#retire-when").await.click().await.unwrap();
        replace_text(&client, "#notice", "This Q&A has closed.").await;
        find(&client, "#redirect").await.click().await.unwrap();
        button(&client, "Retire page").await.click().await.unwrap();
        find(&client, ".govuk-error-summary").await;
        let status = app
            .query("{ page(slug: \"local-digital-qa\") { status } }", json!({}))
            .await;
        assert_eq!(status["page"]["status"], "LIVE");

        find(&client, "#redirect").await.click().await.unwrap();
        replace_text(&client, "#replacement-url", "https://example.org/new").await;
        button(&client, "Retire page").await.click().await.unwrap();
        wait_for_text(&client, "Page retired").await;
        let response = app
            .client
            .get(app.url("/pages/local-digital-qa"))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 410);

        button(&client, "Reinstate page")
            .await
            .click()
            .await
            .unwrap();
        wait_for_text(&client, "Page reinstated").await;
        let status = app
            .query("{ page(slug: \"local-digital-qa\") { status } }", json!({}))
            .await;
        assert_eq!(status["page"]["status"], "LIVE");
    })
    .await;
}

#[tokio::test]
async fn an_admin_resends_a_failed_delivery_and_deletes_a_webhook() {
    let app = TestApp::spawn().await;
    let email = new_user(&app, Role::Admin).await;
    let webhook = crate::webhooks::webhook_with_deliveries(&app).await;
    with_browser("webhooks", |client| async move {
        sign_in(&client, &app, &email).await;
        find(&client, "a[href='/admin/webhooks']")
            .await
            .click()
            .await
            .unwrap();
        find(&client, "#webhooks").await;
        find(&client, &format!("a[href='/admin/webhooks/{webhook}']"))
            .await
            .click()
            .await
            .unwrap();
        let failed = find(&client, "#deliveries tr:has([data-status=FAILED])")
            .await
            .attr("data-delivery-id")
            .await
            .unwrap()
            .unwrap();
        assert!(
            !has_button(&client, "Resend delivery 3").await,
            "a pending delivery offers no Resend"
        );
        button(&client, &format!("Resend delivery {failed}"))
            .await
            .click()
            .await
            .unwrap();
        wait_for_text(&client, &format!("Delivery {failed} is being sent again")).await;
        find(&client, "#deliveries tr:first-child [data-status=PENDING]").await;
        let count = entity::webhook_delivery::Entity::find()
            .all(&app.db)
            .await
            .unwrap()
            .len();
        assert_eq!(count, 4, "a new delivery; the failed one kept");

        button(&client, "Delete webhook")
            .await
            .click()
            .await
            .unwrap();
        button(&client, "Yes, delete this webhook")
            .await
            .click()
            .await
            .unwrap();
        wait_for_text(&client, "deleted").await;
        find(&client, "#url").await;
        // The banner can show before this test's database read sees the
        // commit on a loaded machine: wait for it, briefly.
        let mut left = 1;
        for _ in 0..50 {
            left = entity::webhook::Entity::find()
                .all(&app.db)
                .await
                .unwrap()
                .len();
            if left == 0 {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        assert_eq!(left, 0, "the webhook is deleted");
    })
    .await;
}

/// The text of every success banner on the screen.
async fn success_banners(client: &Client) -> Vec<String> {
    let mut texts = Vec::new();
    for banner in client
        .find_all(Locator::Css(".govuk-notification-banner--success"))
        .await
        .unwrap()
    {
        texts.push(banner.text().await.unwrap_or_default());
    }
    texts
}

#[tokio::test]
async fn a_failed_sign_in_after_signing_out_shows_only_the_error() {
    let app = TestApp::spawn().await;
    let email = new_user(&app, Role::Editor).await;
    with_browser("sign_in_after_sign_out", |client| async move {
        sign_in(&client, &app, &email).await;
        find(&client, "a[href='/admin/sign-out']")
            .await
            .click()
            .await
            .unwrap();
        wait_for_text(&client, "You have signed out").await;

        // A wrong password, typed and sent with the keyboard alone.
        find(&client, "#email").await;
        tab_to(&client, "el.id === 'email'").await;
        type_keys(&client, &email).await;
        tab_to(&client, "el.id === 'password'").await;
        type_keys(&client, "not the password at all").await;
        type_keys(&client, &Key::Enter.to_string()).await;
        find(&client, ".govuk-error-summary").await;
        wait_until_settled(&client).await;
        assert_eq!(
            success_banners(&client).await,
            Vec::<String>::new(),
            "the sign-out message has gone once sign-in failed"
        );
        let title = client.title().await.unwrap();
        assert!(title.starts_with("Error: "), "{title}");
        let focused = client
            .execute(
                "return !!document.activeElement.closest('.govuk-error-summary');",
                vec![],
            )
            .await
            .unwrap();
        assert_eq!(focused, Value::Bool(true), "focus is on the error summary");
        let violations = axe_violations_at_both_widths(&client).await;
        assert!(
            violations.is_empty(),
            "sign in with an error: {violations:?}"
        );

        // The summary's link leads to the field; then a right password works.
        tab_to(
            &client,
            "el.tagName === 'A' && el.getAttribute('href') === '#email'",
        )
        .await;
        type_keys(&client, &Key::Enter.to_string()).await;
        tab_to(&client, "el.id === 'password'").await;
        type_keys(&client, PASSWORD).await;
        type_keys(&client, &Key::Enter.to_string()).await;
        wait_for_text(&client, "Sign out").await;
    })
    .await;
}

#[tokio::test]
async fn a_used_setup_link_says_so_without_the_form() {
    let app = TestApp::spawn().await;
    let token = app
        .setup_token
        .clone()
        .expect("no admin yet, so there is a setup link");
    app.anonymous()
        .query(
            "mutation($t: String!) { completeSetup(token: $t, email: \"first@example.org\", displayName: \"First Admin\", password: \"the first admin password\") { id } }",
            json!({ "t": token }),
        )
        .await;
    with_browser("used_setup_link", |client| async move {
        client
            .goto(&app.url(&format!("/admin/setup?token={token}")))
            .await
            .unwrap();
        wait_for_text(&client, "This link has already been used").await;
        wait_until_settled(&client).await;
        assert_eq!(
            find(&client, "main h1").await.text().await.unwrap(),
            "This link has already been used"
        );
        assert!(
            client
                .find_all(Locator::Css("main form, #email, #password"))
                .await
                .unwrap()
                .is_empty(),
            "no form to fill in"
        );
        let main = find(&client, "main").await.text().await.unwrap();
        assert!(!main.contains("qanda serve"), "{main}");
        let violations = axe_violations_at_both_widths(&client).await;
        assert!(violations.is_empty(), "used setup link: {violations:?}");

        // Sign in is a keyboard step away.
        tab_to(
            &client,
            "el.tagName === 'A' && el.textContent.trim() === 'sign in'",
        )
        .await;
        type_keys(&client, &Key::Enter.to_string()).await;
        find(&client, "#email").await;
    })
    .await;
}

#[tokio::test]
async fn every_form_reports_its_errors_to_keyboard_users() {
    let app = TestApp::spawn().await;
    let email = new_user(&app, Role::Admin).await;
    with_browser("form_errors", |client| async move {
        sign_in(&client, &app, &email).await;
        let outline = app
            .query(
                "{ page(slug: \"local-digital-qa\") { categories { id } } }",
                json!({}),
            )
            .await;
        let category = outline["page"]["categories"][0]["id"]
            .as_str()
            .unwrap()
            .to_owned();
        let mut report = Vec::new();
        // Each form, sent from its first input with Enter and nothing (or
        // nothing valid) filled in.
        for (screen, path, input) in [
            ("create page", "/admin/create-page".to_owned(), "title"),
            ("create user", "/admin/users".to_owned(), "email"),
            (
                "change password",
                "/admin/account".to_owned(),
                "current-password",
            ),
            ("add webhook", "/admin/webhooks".to_owned(), "url"),
            (
                "edit category",
                format!("/admin/pages/local-digital-qa/categories/{category}"),
                "title",
            ),
        ] {
            client.goto(&app.url(&path)).await.unwrap();
            find(&client, &format!("#{input}")).await;
            wait_until_settled(&client).await;
            tab_to(&client, &format!("el.id === '{input}'")).await;
            type_keys(&client, &format!("{}a{}", Key::Control, Key::Delete)).await;
            type_keys(&client, &Key::Enter.to_string()).await;
            find(&client, ".govuk-error-summary").await;
            wait_until_settled(&client).await;
            let title = client.title().await.unwrap();
            assert!(title.starts_with("Error: "), "{screen}: {title}");
            let focused = client
                .execute(
                    "return !!document.activeElement.closest('.govuk-error-summary');",
                    vec![],
                )
                .await
                .unwrap();
            assert_eq!(focused, Value::Bool(true), "{screen}: focus on the summary");
            assert_eq!(
                success_banners(&client).await,
                Vec::<String>::new(),
                "{screen}: no success banner beside the errors"
            );
            let violations = axe_violations_at_both_widths(&client).await;
            println!("axe: {screen} with errors: {} violations", violations.len());
            if !violations.is_empty() {
                report.push(format!("{screen}:\n  {}", violations.join("\n  ")));
            }
        }
        assert!(
            report.is_empty(),
            "axe-core found violations:\n{}",
            report.join("\n")
        );
    })
    .await;
}
