//! The audit log screen in a real browser: names and linked titles, the
//! filters used with the keyboard alone (a list of actions, GOV.UK date
//! inputs and their error for an impossible date), and no axe-core
//! violations on a desktop or a 320 pixel wide screen.

use fantoccini::key::Key;
use fantoccini::{Client, Locator};
use qanda::domain::Role;
use serde_json::{json, Value};

use crate::browser::{new_user, sign_in};
use crate::browser_support::{
    axe_violations, find, wait_for_text, wait_until_settled, with_browser,
};
use crate::helpers::TestApp;

/// Fails with every violation found, naming the screen.
async fn assert_no_axe_violations(client: &Client, screen: &str) {
    wait_until_settled(client).await;
    let violations = axe_violations(client).await;
    println!("axe: {screen}: {} violations", violations.len());
    assert!(
        violations.is_empty(),
        "axe-core found violations on {screen}:\n  {}",
        violations.join("\n  ")
    );
}

/// Presses Tab until the focused element has this id, as a keyboard user would.
async fn tab_to_id(client: &Client, id: &str) {
    let script = format!("return document.activeElement && document.activeElement.id === '{id}';");
    for _ in 0..80 {
        if client.execute(&script, vec![]).await.unwrap() == Value::Bool(true) {
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

/// The text of every cell in one column of the events table.
async fn column(client: &Client, index: usize) -> Vec<String> {
    let mut texts = Vec::new();
    let css = format!("#audit-events tbody tr td:nth-child({index})");
    for cell in client.find_all(Locator::Css(&css)).await.unwrap() {
        texts.push(cell.text().await.unwrap());
    }
    texts
}

#[tokio::test]
async fn the_audit_log_reads_as_names_and_titles_and_filters_by_keyboard() {
    let app = TestApp::spawn().await;
    let email = new_user(&app, Role::Admin).await;
    let author = app.signed_in(Role::Admin).await;
    author
        .query(
            "mutation { createPage(input: { title: \"Audited page\", slug: \"audited\" }) { id } }",
            json!({}),
        )
        .await;

    with_browser("audit_log", |client| async move {
        sign_in(&client, &app, &email).await;
        client.goto(&app.url("/admin/audit")).await.unwrap();
        find(&client, "#audit-events").await;
        let link = client
            .find(Locator::XPath(
                "//td[contains(@class, 'qanda-audit-target')]/a[normalize-space()='Audited page']",
            ))
            .await
            .expect("the page's title links to it");
        assert_eq!(
            link.attr("href").await.unwrap().as_deref(),
            Some("/admin/pages/audited")
        );
        assert!(column(&client, 2)
            .await
            .iter()
            .any(|who| who == "Admin person"));
        assert_no_axe_violations(&client, "audit log").await;

        // Filter by action and a day, with the keyboard alone.
        let today = chrono::Local::now().date_naive();
        find(&client, "#action").await;
        tab_to_id(&client, "action").await;
        type_keys(&client, "page.create").await;
        tab_to_id(&client, "since-day").await;
        type_keys(&client, &today.format("%-d").to_string()).await;
        tab_to_id(&client, "since-month").await;
        type_keys(&client, &today.format("%-m").to_string()).await;
        tab_to_id(&client, "since-year").await;
        type_keys(&client, &today.format("%Y").to_string()).await;
        type_keys(&client, &Key::Enter.to_string()).await;
        wait_for_text(&client, "1 event matches these filters").await;
        let url = client.current_url().await.unwrap();
        assert!(url.as_str().contains("action=page.create"), "{url}");
        assert!(url.as_str().contains(&format!("since={today}")), "{url}");
        assert_eq!(column(&client, 3).await, ["page.create"]);
        assert!(column(&client, 4).await[0].contains("Audited page"));
        assert_no_axe_violations(&client, "audit log, filtered").await;

        // An impossible date: the form says so and asks for nothing.
        tab_to_id(&client, "until-day").await;
        type_keys(&client, "31").await;
        tab_to_id(&client, "until-month").await;
        type_keys(&client, "2").await;
        tab_to_id(&client, "until-year").await;
        type_keys(&client, &today.format("%Y").to_string()).await;
        type_keys(&client, &Key::Enter.to_string()).await;
        let summary = find(&client, ".govuk-error-summary").await;
        assert!(summary
            .text()
            .await
            .unwrap()
            .contains("The \u{2018}to\u{2019} date must be a real date"));
        let title = client.title().await.unwrap();
        assert!(title.starts_with("Error: "), "{title}");
        find(&client, "#until-day.govuk-input--error").await;
        assert!(!client
            .current_url()
            .await
            .unwrap()
            .as_str()
            .contains("until="));
        assert_no_axe_violations(&client, "audit log with an impossible date").await;

        // On a small screen.
        client.set_window_size(320, 900).await.unwrap();
        client.goto(&app.url("/admin/audit")).await.unwrap();
        find(&client, "#audit-events").await;
        assert_no_axe_violations(&client, "audit log at 320px").await;
        // The table scrolls within its own box; the page itself does not.
        let page_fits = client
            .execute(
                "return document.documentElement.scrollWidth <= window.innerWidth;",
                vec![],
            )
            .await
            .unwrap();
        assert_eq!(
            page_fits,
            Value::Bool(true),
            "the page scrolls sideways at 320px"
        );
    })
    .await;
}
