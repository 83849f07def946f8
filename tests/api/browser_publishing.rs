//! Publishing a page's changes in a real browser: the page screen says that
//! readers do not see some changes yet, a publisher publishes them with the
//! keyboard alone through a confirmation (cancelling publishes nothing),
//! and no screen on the way has an axe-core violation on a desktop or a 320
//! pixel wide screen.

use fantoccini::key::Key;
use qanda::domain::Role;
use serde_json::{json, Value};

use crate::browser::{new_user, sign_in};
use crate::browser_support::{
    assert_no_axe_violations, find, press, tab_to_text, wait_for_text, with_browser,
};
use crate::helpers::TestApp;

const SAMPLE: &str = "local-digital-qa";

async fn public_title(app: &TestApp) -> String {
    app.anonymous()
        .query(
            "query($s: String!) { page(slug: $s) { title } }",
            json!({ "s": SAMPLE }),
        )
        .await["page"]["title"]
        .as_str()
        .unwrap()
        .to_owned()
}

#[tokio::test]
async fn a_publisher_publishes_page_changes_with_the_keyboard() {
    let app = TestApp::spawn().await;
    let email = new_user(&app, Role::Publisher).await;
    let editor = app.signed_in(Role::Editor).await;
    let page = editor
        .query(
            "query($s: String!) { page(slug: $s, includeDrafts: true) { id version } }",
            json!({ "s": SAMPLE }),
        )
        .await["page"]
        .clone();
    editor
        .query(
            "mutation($id: ID!, $v: Int!) { updatePage(id: $id, version: $v, input: { title: \"Local Digital questions\" }) { id } }",
            json!({ "id": page["id"], "v": page["version"] }),
        )
        .await;
    let published_title = public_title(&app).await;
    assert_ne!(published_title, "Local Digital questions");

    with_browser("publishing_page_changes", |client| async move {
        sign_in(&client, &app, &email).await;
        client
            .goto(&app.url(&format!("/admin/pages/{SAMPLE}")))
            .await
            .unwrap();
        wait_for_text(&client, "Readers do not see some changes to this page yet").await;
        assert_no_axe_violations(&client, "page with unpublished changes").await;

        // Opened and cancelled: nothing is published.
        tab_to_text(&client, "Publish page changes").await;
        press(&client, Key::Enter).await;
        wait_for_text(&client, "Publish the changes to this page?").await;
        assert_no_axe_violations(&client, "the publish confirmation").await;
        tab_to_text(&client, "Cancel").await;
        press(&client, Key::Enter).await;
        find(&client, "#publish-page-changes").await;
        let script = "return document.activeElement && document.activeElement.id === 'publish-page-changes';";
        assert_eq!(
            client.execute(script, vec![]).await.unwrap(),
            Value::Bool(true),
            "Cancel gives focus back to the button"
        );
        assert_eq!(public_title(&app).await, published_title);

        // Opened and confirmed: readers see the new title.
        tab_to_text(&client, "Publish page changes").await;
        press(&client, Key::Enter).await;
        wait_for_text(&client, "Publish the changes to this page?").await;
        let script =
            "return document.activeElement && document.activeElement.closest('#confirm') !== null;";
        assert_eq!(
            client.execute(script, vec![]).await.unwrap(),
            Value::Bool(true),
            "the confirmation takes focus"
        );
        tab_to_text(&client, "Yes, publish page changes").await;
        press(&client, Key::Enter).await;
        wait_for_text(&client, "Page changes published").await;
        assert_eq!(public_title(&app).await, "Local Digital questions");
        let page_text = find(&client, "main").await.text().await.unwrap();
        assert!(
            !page_text.contains("Readers do not see some changes"),
            "{page_text}"
        );
        assert_no_axe_violations(&client, "page after publishing").await;
    })
    .await;
}
