//! Review steps in a real browser, by keyboard alone: an editor sends an
//! answer for review with a message, sees it under "Your work"; a
//! publisher finds it under "Waiting for review" and sends it back with a
//! comment; the editor sees the comment. axe-core finds no violation on
//! any of these screens at desktop width or 320 pixels.

use fantoccini::key::Key;
use fantoccini::Client;
use qanda::domain::Role;
use serde_json::json;

use crate::browser::{new_user, sign_in};
use crate::browser_support::{
    assert_no_axe_violations, press, tab_to_id, type_text, wait_for_text, with_browser,
};
use crate::helpers::TestApp;

const SAMPLE: &str = "local-digital-qa";

async fn switch_to(client: &Client, app: &TestApp, email: &str) {
    client.delete_all_cookies().await.unwrap();
    sign_in(client, app, email).await;
}

#[tokio::test]
async fn an_answer_is_sent_for_review_and_sent_back_with_the_keyboard() {
    let app = TestApp::spawn().await;
    let editor_email = new_user(&app, Role::Editor).await;
    let publisher_email = new_user(&app, Role::Publisher).await;
    let staff = app.signed_in(Role::Editor).await;
    let question = staff
        .query(
            "query($s: String!) { page(slug: $s, includeDrafts: true) {
               categories { questions { id version } } } }",
            json!({ "s": SAMPLE }),
        )
        .await["page"]["categories"][0]["questions"][0]
        .clone();
    staff
        .query(
            "mutation($id: ID!, $v: Int!) { updateQuestion(id: $id, version: $v,
               input: { answer: \"An answer to review.\" }) { id } }",
            json!({ "id": question["id"], "v": question["version"] }),
        )
        .await;
    let editor_path = format!("/admin/questions/{}", question["id"].as_str().unwrap());

    with_browser("review_steps", |client| async move {
        sign_in(&client, &app, &editor_email).await;
        client.goto(&app.url(&editor_path)).await.unwrap();
        wait_for_text(&client, "Message for the reviewer").await;
        assert_no_axe_violations(&client, "the question editor with its review section").await;
        tab_to_id(&client, "review-message").await;
        type_text(&client, "Please check the new answer").await;
        tab_to_id(&client, "send-for-review").await;
        press(&client, Key::Enter).await;
        wait_for_text(&client, "Sent for review").await;
        wait_for_text(&client, "In review").await;

        client.goto(&app.url("/admin/my-work")).await.unwrap();
        wait_for_text(&client, "Waiting for review (1)").await;
        assert_no_axe_violations(&client, "your work").await;

        switch_to(&client, &app, &publisher_email).await;
        client.goto(&app.url("/admin/reviews")).await.unwrap();
        wait_for_text(&client, "Please check the new answer").await;
        // The header's count: only the navigation says "(1)" on this screen.
        wait_for_text(&client, "Waiting for review (1)").await;
        assert_no_axe_violations(&client, "waiting for review").await;

        client.goto(&app.url(&editor_path)).await.unwrap();
        wait_for_text(&client, "Comment for the editor").await;
        tab_to_id(&client, "send-back").await;
        press(&client, Key::Enter).await;
        wait_for_text(&client, "Enter a comment that says what needs to change").await;
        tab_to_id(&client, "review-comment").await;
        type_text(&client, "The date is wrong").await;
        tab_to_id(&client, "send-back").await;
        press(&client, Key::Enter).await;
        wait_for_text(&client, "Sent back with your comment").await;
        assert_no_axe_violations(&client, "the question editor after sending back").await;

        switch_to(&client, &app, &editor_email).await;
        client.goto(&app.url("/admin/my-work")).await.unwrap();
        wait_for_text(&client, "The date is wrong").await;
        assert_no_axe_violations(&client, "your work with a comment").await;
    })
    .await;
}
