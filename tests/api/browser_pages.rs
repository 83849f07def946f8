//! The public page in a real browser: its 404 and 410 states (and the admin
//! screens of a retired page) under axe-core, reading and searching it with
//! JavaScript turned off, the admin UI's link to the preview, and resending
//! a webhook delivery from the admin UI once the receiver has recovered.

use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use fantoccini::{Client, Locator};
use qanda::domain::Role;
use serde_json::json;

use crate::browser::{button, has_button, new_user, sign_in};
use crate::browser_support::{
    axe_violations_at_both_widths, find, wait_for_text, wait_until_settled, with_browser,
    without_javascript,
};
use crate::helpers::{page_doc, question_doc, Person, TestApp};
use crate::webhooks::{signature_is_valid, Receiver};

const SLUG: &str = "local-digital-qa";
const NOTICE: &str = "This Q&A has closed. Questions now go to the Local Digital team.";
const REPLACEMENT: &str = "https://example.org/local-digital";
const RETIRE: &str = "mutation($id: ID!, $v: Int!, $n: String!, $u: String, $r: Boolean!) { retirePage(id: $id, version: $v, notice: $n, replacementUrl: $u, redirect: $r) { status } }";

/// The visible text of the first element matching `css`.
async fn text_of(client: &Client, css: &str) -> String {
    find(client, css).await.text().await.unwrap()
}

/// The first element matching an XPath expression, waiting for it.
async fn find_xpath(client: &Client, xpath: &str) -> fantoccini::elements::Element {
    client
        .wait()
        .at_most(Duration::from_secs(10))
        .for_element(Locator::XPath(xpath))
        .await
        .unwrap_or_else(|e| panic!("nothing matches {xpath}: {e}"))
}

/// Fails with every violation found (at the desktop width and a phone's), naming the screen.
async fn assert_no_axe_violations(client: &Client, screen: &str) {
    let violations = axe_violations_at_both_widths(client).await;
    println!("axe: {screen}: {} violations", violations.len());
    assert!(
        violations.is_empty(),
        "axe-core found violations on {screen}:\n  {}",
        violations.join("\n  ")
    );
}

/// The HTTP status an anonymous reader gets for `path`.
async fn status_of(app: &TestApp, path: &str) -> u16 {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
        .get(app.url(path))
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

#[tokio::test]
async fn public_page_states_have_no_axe_violations() {
    let app = TestApp::spawn().await;
    let admin = app.signed_in(Role::Admin).await;
    let page = app
        .query(
            "query($s: String!) { page(slug: $s) { id version } }",
            json!({ "s": SLUG }),
        )
        .await["page"]
        .clone();
    let retired = admin
        .query(
            RETIRE,
            json!({ "id": page["id"], "v": page["version"], "n": NOTICE, "u": REPLACEMENT, "r": false }),
        )
        .await;
    assert_eq!(retired["retirePage"]["status"], "RETIRED");
    assert_eq!(status_of(&app, "/pages/no-such-page").await, 404);
    assert_eq!(status_of(&app, &format!("/pages/{SLUG}")).await, 410);
    let email = new_user(&app, Role::Admin).await;

    with_browser("pages_axe", |client| async move {
        // Not found.
        client.goto(&app.url("/pages/no-such-page")).await.unwrap();
        assert_eq!(text_of(&client, "main h1").await, "Page not found");
        assert_eq!(client.title().await.unwrap(), "Page not found");
        assert!(text_of(&client, "main")
            .await
            .contains("If you typed the web address, check it is correct."));
        assert_no_axe_violations(&client, "404 page").await;

        // Gone: the notice and the way to the replacement, no questions.
        client
            .goto(&app.url(&format!("/pages/{SLUG}")))
            .await
            .unwrap();
        assert_eq!(text_of(&client, "main h1").await, "Local Digital Q&A");
        assert_eq!(text_of(&client, "main .govuk-inset-text").await, NOTICE);
        let link = find_xpath(
            &client,
            "//main//a[normalize-space()='Go to the page that replaces it']",
        )
        .await;
        assert_eq!(
            link.attr("href").await.unwrap().as_deref(),
            Some(REPLACEMENT)
        );
        let main = text_of(&client, "main").await;
        assert!(
            !main.contains("Will you be holding any more roadshows?"),
            "a retired page shows no questions: {main}"
        );
        assert!(
            !main.contains("Search this Q&A"),
            "nor a search box: {main}"
        );
        assert_no_axe_violations(&client, "410 page").await;

        // The page's screen in the admin UI: the notice and Reinstate.
        sign_in(&client, &app, &email).await;
        client
            .goto(&app.url(&format!("/admin/pages/{SLUG}")))
            .await
            .unwrap();
        find(&client, "#retired").await;
        assert_eq!(
            text_of(&client, "main [data-status]").await,
            "Retired",
            "the page's status tag"
        );
        assert_eq!(
            text_of(&client, "#retired h2").await,
            "This page is retired"
        );
        assert_eq!(text_of(&client, "#retired-notice").await, NOTICE);
        assert_eq!(text_of(&client, "#retired-replacement").await, REPLACEMENT);
        assert!(text_of(&client, "#retired").await.contains(&format!(
            "Readers visiting /pages/{SLUG} see the notice below"
        )));
        button(&client, "Reinstate page").await;
        assert!(
            client
                .find_all(Locator::XPath("//a[normalize-space()='Retire this page']"))
                .await
                .unwrap()
                .is_empty(),
            "a retired page offers no Retire link"
        );
        wait_until_settled(&client).await;
        assert_no_axe_violations(&client, "admin page screen, retired").await;

        // The retirement screen says it is done already and offers no form.
        client
            .goto(&app.url(&format!("/admin/pages/{SLUG}/retire")))
            .await
            .unwrap();
        wait_for_text(&client, "This page is already retired").await;
        assert!(text_of(&client, "main h1")
            .await
            .contains("This page is already retired"));
        assert_eq!(text_of(&client, "#retired-notice").await, NOTICE);
        assert!(text_of(&client, "main").await.contains("to reinstate it."));
        assert!(
            client
                .find_all(Locator::Css("#notice"))
                .await
                .unwrap()
                .is_empty(),
            "no retirement form"
        );
        assert!(!has_button(&client, "Retire page").await);
        assert!(
            !has_button(&client, "Reinstate page").await,
            "reinstating is done from the page's screen"
        );
        wait_until_settled(&client).await;
        assert_no_axe_violations(&client, "admin retirement screen, retired").await;
    })
    .await;
}

#[tokio::test]
async fn the_public_page_works_with_javascript_off() {
    let app = TestApp::spawn().await;
    without_javascript("pages_no_javascript", |client| async move {
        // JavaScript really is off: the admin UI, which needs it, does not
        // render, and its <noscript> message shows instead.
        client.goto(&app.url("/admin")).await.unwrap();
        let body = text_of(&client, "body").await;
        assert!(
            body.contains("The qanda admin needs JavaScript"),
            "the <noscript> message is shown: {body:?}"
        );
        let app_root = find(&client, "#app").await.html(true).await.unwrap();
        assert_eq!(app_root.trim(), "", "the admin UI did not render");

        client.goto(&app.url(&format!("/pages/{SLUG}"))).await.unwrap();
        assert_eq!(text_of(&client, "main h1").await, "Local Digital Q&A");

        // A jump link moves to its category's section.
        assert_eq!(
            text_of(&client, "#contents-title").await,
            "Select a category to skip to the relevant Q&A"
        );
        find_xpath(
            &client,
            "//nav[@aria-labelledby='contents-title']//a[normalize-space()='The £7.5 million fund']",
        )
        .await
        .click()
        .await
        .unwrap();
        let url = client.current_url().await.unwrap();
        assert_eq!(url.path(), format!("/pages/{SLUG}"));
        assert_eq!(url.fragment(), Some("the-7-5-million-fund"));
        let heading = find(&client, "section h2#the-7-5-million-fund").await;
        assert_eq!(heading.text().await.unwrap(), "The £7.5 million fund");

        // An answer reads as text under its question.
        let answer = find_xpath(
            &client,
            "//h3[normalize-space()='When will bidding be open for the £7.5 million innovation fund?']/following-sibling::div[1]",
        )
        .await
        .text()
        .await
        .unwrap();
        assert!(
            answer.starts_with("We’re designing the fund over the summer"),
            "{answer}"
        );

        // Searching: a plain GET form, answered by the server.
        let label = find_xpath(&client, "//label[normalize-space()='Search this Q&A']").await;
        let input = label.attr("for").await.unwrap().expect("the label names its input");
        find(&client, &format!("input#{input}"))
            .await
            .send_keys("funding")
            .await
            .unwrap();
        find_xpath(&client, "//form[@role='search']//button[normalize-space()='Search']")
            .await
            .click()
            .await
            .unwrap();
        find(&client, "main ol li").await;
        let url = client.current_url().await.unwrap();
        assert_eq!(url.path(), format!("/pages/{SLUG}/search"));
        assert_eq!(url.query(), Some("q=funding"));
        assert_eq!(
            client.title().await.unwrap(),
            "Search results for ‘funding’: Local Digital Q&A"
        );
        let summary = text_of(&client, "main p[role=status]").await;
        let count: usize = summary
            .strip_suffix(" answers match ‘funding’.")
            .unwrap_or_else(|| panic!("{summary}"))
            .parse()
            .unwrap_or_else(|e| panic!("{summary}: {e}"));
        let results = client.find_all(Locator::Css("main ol li")).await.unwrap();
        assert_eq!(results.len(), count, "{summary}");
        assert!(count >= 2, "{summary}");
        let marks = client.find_all(Locator::Css("main ol li mark")).await.unwrap();
        assert!(!marks.is_empty(), "the matched words are marked");
        for mark in marks {
            let word = mark.text().await.unwrap().to_lowercase();
            assert!(word.starts_with("fund"), "marked {word:?}");
        }
        // The best match first; its link goes to the answer on the page.
        let first = find(&client, "main ol li h2 a").await;
        assert_eq!(
            first.text().await.unwrap(),
            "When will bidding be open for the £7.5 million innovation fund?"
        );
        first.click().await.unwrap();
        let url = client.current_url().await.unwrap();
        assert_eq!(url.path(), format!("/pages/{SLUG}"));
        let target = url.fragment().expect("the link names the answer").to_owned();
        let question = find(&client, &format!("h3[id='{target}']")).await;
        assert_eq!(
            question.text().await.unwrap(),
            "When will bidding be open for the £7.5 million innovation fund?"
        );
    })
    .await;
}

const DRAFT_QUESTION: &str = "Can councils share one roadshow between them?";
const DRAFT_ANSWER: &str = "Yes: tell us which councils are joining and we will plan one event.";

#[tokio::test]
async fn the_admin_ui_links_to_the_preview() {
    let app = TestApp::spawn().await;
    let editor = app.signed_in(Role::Editor).await;
    let outline = app
        .query(
            "query($s: String!) { page(slug: $s) { categories { id } } }",
            json!({ "s": SLUG }),
        )
        .await;
    let category = outline["page"]["categories"][1]["id"].clone();
    let created = editor
        .query(
            "mutation($input: CreateQuestionInput!) { createQuestion(input: $input) { id status } }",
            json!({ "input": { "categoryId": category, "question": DRAFT_QUESTION, "answer": DRAFT_ANSWER } }),
        )
        .await;
    assert_eq!(created["createQuestion"]["status"], "DRAFT");
    let email = new_user(&app, Role::Editor).await;

    with_browser("pages_preview_link", |client| async move {
        sign_in(&client, &app, &email).await;
        client
            .goto(&app.url(&format!("/admin/pages/{SLUG}")))
            .await
            .unwrap();
        find(&client, "[data-question-id]").await;
        let link = find_xpath(
            &client,
            "//a[starts-with(normalize-space(), 'Preview the page') and contains(normalize-space(), 'with drafts')]",
        )
        .await;
        let name = link.prop("textContent").await.unwrap().unwrap_or_default();
        assert_eq!(
            name.split_whitespace().collect::<Vec<_>>().join(" "),
            "Preview the page Local Digital Q&A with drafts"
        );
        link.click().await.unwrap();

        find(&client, "#preview-title").await;
        let url = client.current_url().await.unwrap();
        assert_eq!(url.path(), format!("/pages/{SLUG}"));
        assert_eq!(url.query(), Some("preview=true"));
        assert_eq!(client.title().await.unwrap(), "Preview: Local Digital Q&A");
        assert_eq!(text_of(&client, "#preview-title").await, "Preview");
        assert!(text_of(&client, ".govuk-notification-banner")
            .await
            .contains("You are previewing drafts and unpublished changes."));
        let heading = find_xpath(
            &client,
            &format!("//main//h3[normalize-space()='{DRAFT_QUESTION}']"),
        )
        .await;
        assert!(heading.is_displayed().await.unwrap());
        let tag = find_xpath(
            &client,
            &format!("//h3[normalize-space()='{DRAFT_QUESTION}']/following-sibling::p[1]//strong"),
        )
        .await;
        assert_eq!(tag.text().await.unwrap(), "Draft");
        let answer = find_xpath(
            &client,
            &format!("//h3[normalize-space()='{DRAFT_QUESTION}']/following-sibling::div[1]"),
        )
        .await;
        assert_eq!(answer.text().await.unwrap(), DRAFT_ANSWER);

        // The same address, without the staff member's cookie: the
        // published page, no banner, no draft.
        let response = reqwest::Client::new().get(url.as_str()).send().await.unwrap();
        assert_eq!(response.status(), 200);
        let html = response.text().await.unwrap();
        assert!(html.contains("Will you be holding any more roadshows?"), "the published page");
        assert!(!html.contains(DRAFT_QUESTION), "no draft question for the public");
        assert!(!html.contains(DRAFT_ANSWER), "no draft answer for the public");
        assert!(!html.contains("preview-title"), "no Preview banner for the public");
    })
    .await;
}

/// Until `css` matches, selects "Check for updates" as an admin would;
/// fails after `within`.
async fn check_until(
    client: &Client,
    css: &str,
    within: Duration,
) -> fantoccini::elements::Element {
    let deadline = Instant::now() + within;
    loop {
        if let Some(found) = client
            .find_all(Locator::Css(css))
            .await
            .unwrap()
            .into_iter()
            .next()
        {
            return found;
        }
        assert!(
            Instant::now() < deadline,
            "{css} never showed within {within:?}"
        );
        button(client, "Check for updates")
            .await
            .click()
            .await
            .unwrap();
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
}

/// (id, version) of question `slug` on page "p".
async fn question_on_p(admin: &Person, slug: &str) -> (String, i64) {
    let tree = admin
        .query(
            "{ page(slug: \"p\", includeDrafts: true) { categories { questions { id slug version } } } }",
            json!({}),
        )
        .await;
    let q = tree["page"]["categories"][0]["questions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|q| q["slug"] == slug)
        .unwrap_or_else(|| panic!("no question {slug}: {tree}"))
        .clone();
    (
        q["id"].as_str().unwrap().to_owned(),
        q["version"].as_i64().unwrap(),
    )
}

#[tokio::test]
async fn resend_delivers_to_a_receiver_that_has_recovered() {
    // Fast polling, and three quick attempts: the delivery fails in well
    // under a second while the receiver answers 503.
    let app = TestApp::builder()
        .without_sample()
        .configure(|args| {
            args.webhooks.webhook_poll_ms = 25;
            args.webhooks.webhook_retry_base_ms = 100;
            args.webhooks.webhook_max_attempts = 3;
            args.webhooks.webhook_timeout_secs = 5;
        })
        .spawn()
        .await;
    app.import_json(json!([page_doc(
        "p",
        "LIVE",
        json!([{ "slug": "c", "title": "C", "questions": [question_doc("q1", "DRAFT")] }])
    )]))
    .await;
    let (receiver, recovered) = Receiver::down_until_recovered().await;
    let admin = app.signed_in(Role::Admin).await;
    let created = admin
        .query(
            "mutation($input: CreateWebhookInput!) { createWebhook(input: $input) { secret webhook { id } } }",
            json!({ "input": { "url": receiver.url, "events": ["QUESTION_PUBLISHED"], "description": "Search index" } }),
        )
        .await["createWebhook"]
        .clone();
    let hook = created["webhook"]["id"].as_str().unwrap().to_owned();
    let secret = created["secret"].as_str().unwrap().to_owned();
    let (id, version) = question_on_p(&admin, "q1").await;
    admin
        .query(
            "mutation($id: ID!, $v: Int!) { publishQuestion(id: $id, version: $v) { status } }",
            json!({ "id": id, "v": version }),
        )
        .await;
    let email = new_user(&app, Role::Admin).await;

    with_browser("pages_resend_recovered", |client| async move {
        sign_in(&client, &app, &email).await;
        client
            .goto(&app.url(&format!("/admin/webhooks/{hook}")))
            .await
            .unwrap();
        wait_for_text(&client, "Search index").await;
        let failed_row = check_until(
            &client,
            "#deliveries tr:has([data-status=FAILED])",
            Duration::from_secs(15),
        )
        .await;
        let failed = failed_row
            .attr("data-delivery-id")
            .await
            .unwrap()
            .expect("the row names its delivery");
        let attempts = failed_row
            .find(Locator::Css("td:nth-child(4)"))
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert_eq!(attempts, "3");
        let last = failed_row
            .find(Locator::Css("td:nth-child(5)"))
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(last.contains("503"), "{last}");
        assert_eq!(receiver.received().len(), 3, "three attempts, then no more");

        recovered.store(true, Ordering::SeqCst);
        button(&client, &format!("Resend delivery {failed}"))
            .await
            .click()
            .await
            .unwrap();
        let banner = format!("Delivery {failed} is being sent again as delivery ");
        wait_for_text(&client, &banner).await;
        let shown = text_of(&client, ".govuk-notification-banner").await;
        let resent = shown[shown.find(&banner).unwrap() + banner.len()..]
            .split_whitespace()
            .next()
            .unwrap()
            .to_owned();
        assert_ne!(resent, failed);

        let delivered = check_until(
            &client,
            &format!("#deliveries tr[data-delivery-id='{resent}']:has([data-status=DELIVERED])"),
            Duration::from_secs(15),
        )
        .await;
        let last = delivered
            .find(Locator::Css("td:nth-child(5)"))
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(last.starts_with("200 (delivered)"), "{last}");
        let status = find(
            &client,
            &format!("#deliveries tr[data-delivery-id='{resent}'] [data-status]"),
        )
        .await
        .text()
        .await
        .unwrap();
        assert_eq!(status, "Delivered");
        find(
            &client,
            &format!("#deliveries tr[data-delivery-id='{failed}'] [data-status=FAILED]"),
        )
        .await;

        // The receiver got the same event a fourth time, properly signed.
        let log = receiver.received();
        assert_eq!(log.len(), 4, "one more request, delivered");
        let (first, again) = (&log[0], &log[3]);
        assert_eq!(again.json()["id"], first.json()["id"], "the same event id");
        assert_eq!(again.body, first.body, "the same body");
        assert_eq!(again.header("x-qanda-delivery"), resent);
        assert_eq!(again.header("x-qanda-event"), "question.published");
        assert!(signature_is_valid(&secret, again), "a valid signature");
        assert!(!signature_is_valid("not the secret", again));
    })
    .await;
}
