//! The confirmation step before each public action in the admin UI: a
//! question's publish, unpublish, archive and delete, a category's archive
//! and delete, and a page going live or back to draft. Each says what readers
//! will see afterwards; Cancel changes nothing on the server (checked over
//! GraphQL) and gives focus back to the button that opened it; confirming
//! makes the change. Publishing never saves unsaved edits without asking.
//! axe-core finds nothing with a confirmation open, at desktop width and at
//! 320px with GOV.UK's menu open, and it all works with the keyboard alone.

use std::time::Duration;

use fantoccini::key::Key;
use fantoccini::Client;
use qanda::domain::Role;
use serde_json::{json, Value};

use crate::browser::{
    button, has_button, new_user, public_answer, question_id, replace_text, sign_in, tab_to,
    type_keys, ROADSHOWS_SLUG,
};
use crate::browser_support::{
    axe_violations, find, phone_width, wait_for_text, wait_until_settled, with_browser,
};
use crate::helpers::{Person, TestApp};

/// Waits until the JavaScript expression `condition` is true in the page.
async fn wait_until(client: &Client, condition: &str, what: &str) {
    let script = format!("return !!({condition});");
    for _ in 0..100 {
        if client.execute(&script, vec![]).await.unwrap() == Value::Bool(true) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("{what} never happened ({condition})");
}

/// The focused element is the confirmation's heading, saying `heading`.
fn heading_focused(heading: &str) -> String {
    format!(
        "document.activeElement && document.activeElement.id === 'confirm-heading' \
         && document.activeElement.textContent === {}",
        json!(heading)
    )
}

/// Clicks the button `opener` (CSS); the confirmation opens with focus on
/// its heading. Returns the confirmation's text.
async fn open_confirmation(client: &Client, opener: &str, heading: &str) -> String {
    find(client, opener).await.click().await.unwrap();
    wait_until(
        client,
        &heading_focused(heading),
        &format!("focus on the heading {heading:?}"),
    )
    .await;
    find(client, "#confirm").await.text().await.unwrap()
}

/// Cancel closes the confirmation and gives focus back to `opener` (CSS).
async fn cancel_confirmation(client: &Client, opener: &str) {
    button(client, "Cancel").await.click().await.unwrap();
    wait_until(
        client,
        &format!(
            "!document.getElementById('confirm') && document.activeElement === document.querySelector({})",
            json!(opener)
        ),
        "the confirmation closing with focus back on its button",
    )
    .await;
}

async fn has_class(client: &Client, css: &str, class: &str) -> bool {
    let classes = find(client, css)
        .await
        .attr("class")
        .await
        .unwrap()
        .unwrap_or_default();
    classes.split_whitespace().any(|c| c == class)
}

/// No axe-core violations with the confirmation open: at desktop width, at
/// 320px, and at 320px with GOV.UK's menu open. The confirmation stays open
/// throughout.
async fn assert_no_axe_violations(client: &Client, screen: &str) {
    wait_until_settled(client).await;
    let mut found = axe_violations(client).await;
    phone_width(client, true).await;
    wait_until_settled(client).await;
    found.extend(
        axe_violations(client)
            .await
            .into_iter()
            .map(|v| format!("at 320px: {v}")),
    );
    let toggle = ".govuk-service-navigation__toggle";
    find(client, toggle).await.click().await.unwrap();
    wait_until(
        client,
        &format!("document.querySelector('{toggle}').getAttribute('aria-expanded') === 'true'"),
        "the menu opening",
    )
    .await;
    wait_until_settled(client).await;
    found.extend(
        axe_violations(client)
            .await
            .into_iter()
            .map(|v| format!("at 320px, menu open: {v}")),
    );
    find(client, toggle).await.click().await.unwrap();
    phone_width(client, false).await;
    wait_until_settled(client).await;
    find(client, "#confirm").await;
    println!("axe: {screen}: {} violations", found.len());
    assert!(
        found.is_empty(),
        "axe-core found violations on {screen}:\n  {}",
        found.join("\n  ")
    );
}

/// A question as staff see it, or null once deleted.
async fn question_state(admin: &Person, id: &str) -> Value {
    admin
        .query(
            "query($id: ID!) { question(id: $id, includeDrafts: true) { status version answer } }",
            json!({ "id": id }),
        )
        .await["question"]
        .clone()
}

/// Waits until the question as staff see it satisfies `done`.
async fn wait_for_question(admin: &Person, id: &str, done: impl Fn(&Value) -> bool) -> Value {
    for _ in 0..100 {
        let state = question_state(admin, id).await;
        if done(&state) {
            return state;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!(
        "question {id} never reached the state wanted: {}",
        question_state(admin, id).await
    );
}

#[tokio::test]
async fn each_question_action_asks_first_and_cancel_changes_nothing() {
    let app = TestApp::spawn().await;
    let email = new_user(&app, Role::Publisher).await;
    let admin = app.signed_in(Role::Admin).await;
    let id = question_id(&app, ROADSHOWS_SLUG).await;
    let original = public_answer(&app, &id).await.unwrap();
    with_browser("confirm_question_actions", |client| async move {
        sign_in(&client, &app, &email).await;
        client
            .goto(&app.url(&format!("/admin/questions/{id}")))
            .await
            .unwrap();
        find(&client, "#answer").await;
        assert!(has_class(&client, "#action-archive", "govuk-button--warning").await);

        // Unpublish.
        let before = question_state(&admin, &id).await;
        assert_eq!(before["status"], "PUBLISHED");
        let text =
            open_confirmation(&client, "#action-unpublish", "Unpublish this question?").await;
        assert!(
            text.contains("Readers will no longer see this question. It stays here as a draft."),
            "{text}"
        );
        assert_no_axe_violations(&client, "unpublish confirmation").await;
        cancel_confirmation(&client, "#action-unpublish").await;
        assert_eq!(question_state(&admin, &id).await, before);
        assert_eq!(public_answer(&app, &id).await.as_deref(), Some(&*original));
        open_confirmation(&client, "#action-unpublish", "Unpublish this question?").await;
        button(&client, "Yes, unpublish")
            .await
            .click()
            .await
            .unwrap();
        wait_for_text(&client, "Question unpublished").await;
        assert_eq!(question_state(&admin, &id).await["status"], "DRAFT");
        assert_eq!(public_answer(&app, &id).await, None);

        // Publish a draft, nothing unsaved in the form.
        let before = question_state(&admin, &id).await;
        let text = open_confirmation(&client, "#action-publish", "Publish this question?").await;
        assert!(
            text.contains(
                "Readers will see this question and answer on Local Digital Q&A straight away."
            ),
            "{text}"
        );
        assert!(!text.contains("not saved"), "{text}");
        assert!(!has_button(&client, "Save and publish").await);
        assert!(has_class(&client, "#confirm button", "govuk-button").await);
        assert!(!has_class(&client, "#confirm button", "govuk-button--warning").await);
        assert_no_axe_violations(&client, "publish confirmation").await;
        cancel_confirmation(&client, "#action-publish").await;
        assert_eq!(question_state(&admin, &id).await, before);
        assert_eq!(public_answer(&app, &id).await, None);
        open_confirmation(&client, "#action-publish", "Publish this question?").await;
        button(&client, "Yes, publish").await.click().await.unwrap();
        wait_for_text(&client, "Question published").await;
        assert_eq!(question_state(&admin, &id).await["status"], "PUBLISHED");
        assert_eq!(public_answer(&app, &id).await.as_deref(), Some(&*original));

        // Archive: a warning button, and a warning button to confirm.
        let before = question_state(&admin, &id).await;
        let text = open_confirmation(&client, "#action-archive", "Archive this question?").await;
        assert!(
            text.contains("Readers will no longer see this question. You can restore it later."),
            "{text}"
        );
        assert!(has_class(&client, "#confirm button", "govuk-button--warning").await);
        assert_no_axe_violations(&client, "archive confirmation").await;
        cancel_confirmation(&client, "#action-archive").await;
        assert_eq!(question_state(&admin, &id).await, before);
        assert_eq!(public_answer(&app, &id).await.as_deref(), Some(&*original));
        open_confirmation(&client, "#action-archive", "Archive this question?").await;
        button(&client, "Yes, archive").await.click().await.unwrap();
        wait_for_text(&client, "Question archived").await;
        assert_eq!(question_state(&admin, &id).await["status"], "ARCHIVED");
        assert_eq!(public_answer(&app, &id).await, None);

        // Delete (an archived question may be deleted).
        assert!(has_class(&client, "#action-delete", "govuk-button--warning").await);
        let before = question_state(&admin, &id).await;
        let text = open_confirmation(&client, "#action-delete", "Delete this question?").await;
        assert!(
            text.contains("This question and its history will be deleted."),
            "{text}"
        );
        assert!(text.contains("This cannot be undone."), "{text}");
        assert!(has_class(&client, "#confirm button", "govuk-button--warning").await);
        assert_no_axe_violations(&client, "delete confirmation").await;
        cancel_confirmation(&client, "#action-delete").await;
        assert_eq!(question_state(&admin, &id).await, before);
        open_confirmation(&client, "#action-delete", "Delete this question?").await;
        button(&client, "Yes, delete").await.click().await.unwrap();
        wait_for_text(&client, "Question deleted").await;
        assert_eq!(question_state(&admin, &id).await, Value::Null);
    })
    .await;
}

#[tokio::test]
async fn publishing_with_unsaved_edits_asks_whether_to_save_them() {
    let app = TestApp::spawn().await;
    let email = new_user(&app, Role::Publisher).await;
    let admin = app.signed_in(Role::Admin).await;
    let id = question_id(&app, ROADSHOWS_SLUG).await;
    let original = public_answer(&app, &id).await.unwrap();
    admin
        .query(
            "mutation($id: ID!) { unpublishQuestion(id: $id, version: 1) { version } }",
            json!({ "id": id }),
        )
        .await;
    with_browser("confirm_unsaved_publish", |client| async move {
        sign_in(&client, &app, &email).await;
        client
            .goto(&app.url(&format!("/admin/questions/{id}")))
            .await
            .unwrap();
        find(&client, "#answer").await;
        let edit = "An answer typed but not saved.";
        replace_text(&client, "#answer", edit).await;
        let before = question_state(&admin, &id).await;

        let text = open_confirmation(&client, "#action-publish", "Publish this question?").await;
        assert!(
            text.contains("You have changes in the form that are not saved."),
            "{text}"
        );
        assert!(has_button(&client, "Save and publish").await);
        assert!(has_button(&client, "Publish the last saved version").await);
        assert!(!has_button(&client, "Yes, publish").await);
        assert_eq!(
            question_state(&admin, &id).await,
            before,
            "nothing is saved on the way"
        );
        assert_no_axe_violations(&client, "publish confirmation with unsaved changes").await;
        cancel_confirmation(&client, "#action-publish").await;
        assert_eq!(question_state(&admin, &id).await, before);
        let typed = find(&client, "#answer").await.prop("value").await.unwrap();
        assert_eq!(typed.as_deref(), Some(edit), "the edit stays in the form");

        // The last saved version: published as it was; the edit stays, unsaved.
        open_confirmation(&client, "#action-publish", "Publish this question?").await;
        button(&client, "Publish the last saved version")
            .await
            .click()
            .await
            .unwrap();
        wait_for_text(&client, "Question published").await;
        let state = question_state(&admin, &id).await;
        assert_eq!(state["status"], "PUBLISHED");
        assert_eq!(state["answer"].as_str(), Some(&*original));
        assert_eq!(public_answer(&app, &id).await.as_deref(), Some(&*original));
        let typed = find(&client, "#answer").await.prop("value").await.unwrap();
        assert_eq!(
            typed.as_deref(),
            Some(edit),
            "the edit is still in the form"
        );

        // Save and publish: the edit is saved, then published.
        let text = open_confirmation(&client, "#action-publish", "Publish this question?").await;
        assert!(
            text.contains("You have changes in the form that are not saved."),
            "{text}"
        );
        button(&client, "Save and publish")
            .await
            .click()
            .await
            .unwrap();
        let state = wait_for_question(&admin, &id, |q| q["answer"] == edit).await;
        assert_eq!(state["status"], "PUBLISHED");
        for _ in 0..100 {
            if public_answer(&app, &id).await.as_deref() == Some(edit) {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        assert_eq!(public_answer(&app, &id).await.as_deref(), Some(edit));
    })
    .await;
}

/// The sample page's categories as staff see them: id → archived.
async fn categories(admin: &Person) -> Vec<(String, bool)> {
    let data = admin
        .query(
            "{ page(slug: \"local-digital-qa\", includeDrafts: true) { categories { id archived } } }",
            json!({}),
        )
        .await;
    data["page"]["categories"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["id"].as_str().unwrap().to_owned(), c["archived"] == true))
        .collect()
}

#[tokio::test]
async fn archiving_and_deleting_a_category_ask_first() {
    let app = TestApp::spawn().await;
    let email = new_user(&app, Role::Publisher).await;
    let admin = app.signed_in(Role::Admin).await;
    let page = admin
        .query("{ page(slug: \"local-digital-qa\") { id } }", json!({}))
        .await;
    let first = categories(&admin).await[0].0.clone();
    let empty = admin
        .query(
            "mutation($p: ID!) { createCategory(input: { pageId: $p, title: \"Empty for now\" }) { id } }",
            json!({ "p": page["page"]["id"] }),
        )
        .await["createCategory"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    with_browser("confirm_category_actions", |client| async move {
        sign_in(&client, &app, &email).await;
        client
            .goto(&app.url(&format!("/admin/pages/local-digital-qa/categories/{first}")))
            .await
            .unwrap();
        find(&client, "#title").await;
        assert!(has_class(&client, "#action-archive", "govuk-button--warning").await);
        let before = categories(&admin).await;
        let text = open_confirmation(&client, "#action-archive", "Archive this category?").await;
        assert!(
            text.contains("Readers will no longer see")
                && text.contains("You can restore it later."),
            "{text}"
        );
        assert!(has_class(&client, "#confirm button", "govuk-button--warning").await);
        assert_no_axe_violations(&client, "category archive confirmation").await;
        cancel_confirmation(&client, "#action-archive").await;
        assert_eq!(categories(&admin).await, before);
        open_confirmation(&client, "#action-archive", "Archive this category?").await;
        button(&client, "Yes, archive").await.click().await.unwrap();
        wait_for_text(&client, "Category archived").await;
        assert!(categories(&admin).await.contains(&(first.clone(), true)));
        let public = app
            .query(
                "{ page(slug: \"local-digital-qa\") { categories { id } } }",
                json!({}),
            )
            .await;
        assert!(!public.to_string().contains(&format!("\"{first}\"")));

        client
            .goto(&app.url(&format!("/admin/pages/local-digital-qa/categories/{empty}")))
            .await
            .unwrap();
        find(&client, "#title").await;
        assert!(has_class(&client, "#action-delete", "govuk-button--warning").await);
        let before = categories(&admin).await;
        let text = open_confirmation(&client, "#action-delete", "Delete this category?").await;
        assert!(text.contains("This cannot be undone."), "{text}");
        assert_no_axe_violations(&client, "category delete confirmation").await;
        cancel_confirmation(&client, "#action-delete").await;
        assert_eq!(categories(&admin).await, before);
        open_confirmation(&client, "#action-delete", "Delete this category?").await;
        button(&client, "Yes, delete").await.click().await.unwrap();
        wait_for_text(&client, "Category deleted").await;
        assert!(!categories(&admin).await.iter().any(|(id, _)| *id == empty));
    })
    .await;
}

async fn page_state(admin: &Person) -> Value {
    admin
        .query(
            "{ page(slug: \"local-digital-qa\", includeDrafts: true) { status version } }",
            json!({}),
        )
        .await["page"]
        .clone()
}

const SAVE_SETTINGS: &str = "form .govuk-button-group button[type=submit]";

#[tokio::test]
async fn a_page_goes_to_draft_and_live_only_after_confirming() {
    let app = TestApp::spawn().await;
    let email = new_user(&app, Role::Publisher).await;
    let admin = app.signed_in(Role::Admin).await;
    with_browser("confirm_page_status", |client| async move {
        sign_in(&client, &app, &email).await;
        client
            .goto(&app.url("/admin/pages/local-digital-qa/settings"))
            .await
            .unwrap();
        find(&client, "#title").await;

        // Back to draft.
        let before = page_state(&admin).await;
        assert_eq!(before["status"], "LIVE");
        find(&client, "#status").await.click().await.unwrap();
        let text = open_confirmation(&client, SAVE_SETTINGS, "Take this page back to draft?").await;
        assert!(
            text.contains("Readers will no longer see Local Digital Q&A"),
            "{text}"
        );
        assert_eq!(page_state(&admin).await, before, "nothing saved yet");
        assert_no_axe_violations(&client, "page back to draft confirmation").await;
        cancel_confirmation(&client, SAVE_SETTINGS).await;
        assert_eq!(page_state(&admin).await, before);
        open_confirmation(&client, SAVE_SETTINGS, "Take this page back to draft?").await;
        button(&client, "Yes, make it a draft")
            .await
            .click()
            .await
            .unwrap();
        wait_for_text(&client, "Page settings saved").await;
        assert_eq!(page_state(&admin).await["status"], "DRAFT");
        let public = app
            .query("{ page(slug: \"local-digital-qa\") { id } }", json!({}))
            .await;
        assert_eq!(public["page"], Value::Null);

        // Live again.
        let before = page_state(&admin).await;
        find(&client, "#status-2").await.click().await.unwrap();
        let text = open_confirmation(&client, SAVE_SETTINGS, "Make this page live?").await;
        assert!(
            text.contains("Anyone will be able to read Local Digital Q&A"),
            "{text}"
        );
        assert_no_axe_violations(&client, "page live confirmation").await;
        cancel_confirmation(&client, SAVE_SETTINGS).await;
        assert_eq!(page_state(&admin).await, before);
        open_confirmation(&client, SAVE_SETTINGS, "Make this page live?").await;
        button(&client, "Yes, make it live")
            .await
            .click()
            .await
            .unwrap();
        for _ in 0..100 {
            if page_state(&admin).await["status"] == "LIVE" {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        assert_eq!(page_state(&admin).await["status"], "LIVE");
    })
    .await;
}

#[tokio::test]
async fn confirmations_work_with_the_keyboard_alone() {
    let app = TestApp::spawn().await;
    let email = new_user(&app, Role::Publisher).await;
    let admin = app.signed_in(Role::Admin).await;
    let id = question_id(&app, ROADSHOWS_SLUG).await;
    with_browser("confirm_keyboard", |client| async move {
        sign_in(&client, &app, &email).await;
        let enter = Key::Enter.to_string();

        // Archive a question: open, cancel, open again, confirm.
        client
            .goto(&app.url(&format!("/admin/questions/{id}")))
            .await
            .unwrap();
        find(&client, "#answer").await;
        wait_until_settled(&client).await;
        let before = question_state(&admin, &id).await;
        tab_to(&client, "el.id === 'action-archive'").await;
        type_keys(&client, &enter).await;
        wait_until(
            &client,
            &heading_focused("Archive this question?"),
            "focus on the heading",
        )
        .await;
        tab_to(
            &client,
            "el.tagName === 'BUTTON' && el.textContent.trim() === 'Cancel'",
        )
        .await;
        type_keys(&client, &enter).await;
        wait_until(
            &client,
            "!document.getElementById('confirm') && document.activeElement.id === 'action-archive'",
            "focus back on Archive",
        )
        .await;
        assert_eq!(question_state(&admin, &id).await, before);
        type_keys(&client, &enter).await;
        wait_until(
            &client,
            &heading_focused("Archive this question?"),
            "focus on the heading",
        )
        .await;
        tab_to(
            &client,
            "el.tagName === 'BUTTON' && el.textContent.trim() === 'Yes, archive'",
        )
        .await;
        type_keys(&client, &enter).await;
        wait_for_question(&admin, &id, |q| q["status"] == "ARCHIVED").await;

        // Take the page back to draft: the radios with arrow keys, then Save.
        client
            .goto(&app.url("/admin/pages/local-digital-qa/settings"))
            .await
            .unwrap();
        find(&client, "#title").await;
        wait_until_settled(&client).await;
        let before = page_state(&admin).await;
        tab_to(&client, "el.id === 'status-2'").await;
        type_keys(&client, &Key::Up.to_string()).await;
        wait_until(
            &client,
            "document.getElementById('status').checked",
            "Draft chosen",
        )
        .await;
        tab_to(
            &client,
            "el.tagName === 'BUTTON' && el.textContent.trim() === 'Save changes'",
        )
        .await;
        type_keys(&client, &enter).await;
        wait_until(
            &client,
            &heading_focused("Take this page back to draft?"),
            "focus on the heading",
        )
        .await;
        tab_to(
            &client,
            "el.tagName === 'BUTTON' && el.textContent.trim() === 'Cancel'",
        )
        .await;
        type_keys(&client, &enter).await;
        wait_until(
            &client,
            "!document.getElementById('confirm') && document.activeElement.textContent.trim() === 'Save changes'",
            "focus back on Save changes",
        )
        .await;
        assert_eq!(page_state(&admin).await, before);
        type_keys(&client, &enter).await;
        wait_until(
            &client,
            &heading_focused("Take this page back to draft?"),
            "focus on the heading",
        )
        .await;
        tab_to(
            &client,
            "el.tagName === 'BUTTON' && el.textContent.trim() === 'Yes, make it a draft'",
        )
        .await;
        type_keys(&client, &enter).await;
        wait_for_text(&client, "Page settings saved").await;
        assert_eq!(page_state(&admin).await["status"], "DRAFT");
    })
    .await;
}
