//! "Review and publish" in a real browser, with the keyboard alone: every
//! unpublished change listed with its diff and a checkbox; a change made by
//! someone else after the screen opened stops the whole set (the error
//! names it and who made it); then the chosen changes are published
//! together through a confirmation and the unticked one stays unpublished.
//! No axe-core violation on a desktop or a 320 pixel wide screen.

use fantoccini::key::Key;
use fantoccini::Client;
use qanda::domain::Role;
use serde_json::{json, Value};

use crate::browser::{new_user, sign_in};
use crate::browser_support::{
    assert_no_axe_violations, find, press, tab_to_text, tab_until, wait_for_text, with_browser,
};
use crate::helpers::{Person, TestApp};

const SAMPLE: &str = "local-digital-qa";
const DRAFT: &str = "Is there a review screen?";

/// The words the screen's diffs show as added.
async fn added_words(client: &Client) -> String {
    let script = "return [...document.querySelectorAll('ins')].map(e => e.textContent).join(' ');";
    let words = client.execute(script, vec![]).await.unwrap();
    words.as_str().unwrap_or_default().to_owned()
}

async fn reader(app: &TestApp) -> Value {
    app.anonymous()
        .query(
            "query($s: String!) { page(slug: $s) { title categories { questions { question answer } } } }",
            json!({ "s": SAMPLE }),
        )
        .await["page"]
        .clone()
}

async fn first_question(editor: &Person) -> Value {
    editor
        .query(
            "query($s: String!) { page(slug: $s, includeDrafts: true) { id version
               categories { id questions { id version } } } }",
            json!({ "s": SAMPLE }),
        )
        .await["page"]
        .clone()
}

async fn save_answer(editor: &Person, answer: &str) {
    let page = first_question(editor).await;
    let question = &page["categories"][0]["questions"][0];
    editor
        .query(
            "mutation($id: ID!, $v: Int!, $a: String!) { updateQuestion(id: $id, version: $v,
               input: { answer: $a }) { id } }",
            json!({ "id": question["id"], "v": question["version"], "a": answer }),
        )
        .await;
}

#[tokio::test]
async fn a_publisher_reviews_and_publishes_chosen_changes_with_the_keyboard() {
    let app = TestApp::spawn().await;
    let email = new_user(&app, Role::Publisher).await;
    let editor = app.signed_in(Role::Editor).await;
    let page = first_question(&editor).await;
    editor
        .query(
            "mutation($id: ID!, $v: Int!) { updatePage(id: $id, version: $v,
               input: { title: \"Reviewed questions\" }) { id } }",
            json!({ "id": page["id"], "v": page["version"] }),
        )
        .await;
    save_answer(&editor, "The first reviewed answer.").await;
    editor
        .query(
            "mutation($c: ID!, $q: String!) { createQuestion(input: { categoryId: $c,
               question: $q, answer: \"Yes.\" }) { id } }",
            json!({ "c": page["categories"][0]["id"], "q": DRAFT }),
        )
        .await;
    let before = reader(&app).await;

    with_browser("review_and_publish", |client| async move {
        sign_in(&client, &app, &email).await;
        client
            .goto(&app.url(&format!("/admin/pages/{SAMPLE}")))
            .await
            .unwrap();
        wait_for_text(&client, "Review and publish").await;
        tab_until(&client, "el.id === 'review-and-publish'", "the review link").await;
        press(&client, Key::Enter).await;
        wait_for_text(&client, "Changes not yet published (3)").await;
        let text = find(&client, "main").await.text().await.unwrap();
        assert!(text.contains("Editor person"), "{text}");
        assert!(
            added_words(&client).await.contains("first"),
            "the answer's diff"
        );
        assert_no_axe_violations(&client, "the review screen").await;

        // Untick the new question: it stays a draft.
        let draft_box = format!(
            "el.type === 'checkbox' && el.labels[0].textContent.includes({})",
            json!(DRAFT)
        );
        tab_until(&client, &draft_box, "the draft's checkbox").await;
        press(&client, Key::Space).await;

        // Someone saves the answer again before the publisher confirms.
        save_answer(&editor, "The second reviewed answer.").await;
        tab_to_text(&client, "Publish selected").await;
        press(&client, Key::Enter).await;
        wait_for_text(&client, "Publish 2 changes?").await;
        assert_no_axe_violations(&client, "the confirmation").await;
        tab_to_text(&client, "Yes, publish these changes").await;
        press(&client, Key::Enter).await;
        wait_for_text(&client, "Nothing was published").await;
        let summary = find(&client, ".govuk-error-summary")
            .await
            .text()
            .await
            .unwrap();
        assert!(summary.contains("Editor person"), "{summary}");
        assert_eq!(reader(&app).await, before, "all or none");
        assert_no_axe_violations(&client, "the review screen after a conflict").await;

        // The list now shows the second answer; publish again.
        assert!(added_words(&client).await.contains("second"), "reloaded");
        tab_to_text(&client, "Publish selected").await;
        press(&client, Key::Enter).await;

        wait_for_text(&client, "Publish 2 changes?").await;
        tab_to_text(&client, "Yes, publish these changes").await;
        press(&client, Key::Enter).await;
        wait_for_text(&client, "2 changes published").await;
        let after = reader(&app).await;
        assert_eq!(after["title"], "Reviewed questions");
        assert!(after.to_string().contains("The second reviewed answer."));
        assert!(!after.to_string().contains(DRAFT), "the unticked draft");
        wait_for_text(&client, "Changes not yet published (1)").await;
        assert_no_axe_violations(&client, "the review screen after publishing").await;
    })
    .await;
}
