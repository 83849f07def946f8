//! GET /pages/{slug}: the page as accessible HTML, previews, 404 and 410.

use serde_json::{json, Value};

use crate::helpers::{page_doc, question_doc, TestApp};

async fn get(
    app: &TestApp,
    client: &reqwest::Client,
    path: &str,
) -> (u16, reqwest::header::HeaderMap, String) {
    let response = client.get(app.url(path)).send().await.unwrap();
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    (status, headers, response.text().await.unwrap())
}

#[tokio::test]
async fn a_live_page_renders_with_jump_links_sections_and_faq_data() {
    let app = TestApp::spawn().await;
    let (status, headers, html) = get(&app, &app.client, "/pages/local-digital-qa").await;
    assert_eq!(status, 200);
    assert!(headers["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/html"));
    assert!(headers["content-security-policy"]
        .to_str()
        .unwrap()
        .contains("script-src 'self'"));
    assert!(html.contains("<h1 class=\"govuk-heading-xl\">Local Digital Q&amp;A</h1>"));
    assert!(html.contains("Select a category to skip to the relevant Q&amp;A"));
    for anchor in [
        "the-local-digital-declaration",
        "the-7-5-million-fund",
        "digital-leadership-course",
    ] {
        assert!(
            html.contains(&format!("href=\"#{anchor}\"")),
            "jump link to {anchor}"
        );
        assert!(
            html.contains(&format!("id=\"{anchor}\"")),
            "section {anchor}"
        );
    }
    assert!(html.contains("Will you be holding any more roadshows?"));
    assert!(html.contains("Get the latest from Local Digital in your inbox"));
    assert!(
        html.contains("/admin/assets/") && html.contains(".css"),
        "GOV.UK Frontend's CSS"
    );
    assert!(!html.contains("<script src"), "works without JavaScript");

    let start = html.find("<script type=\"application/ld+json\">").unwrap() + 35;
    let end = start + html[start..].find("</script>").unwrap();
    let data: Value = serde_json::from_str(&html[start..end]).unwrap();
    assert_eq!(data["@type"], "FAQPage");
    assert_eq!(data["mainEntity"].as_array().unwrap().len(), 7);
    assert_eq!(data["mainEntity"][0]["@type"], "Question");
    assert!(data["mainEntity"][0]["acceptedAnswer"]["text"]
        .as_str()
        .unwrap()
        .starts_with("<p>"));
}

#[tokio::test]
async fn unknown_and_draft_pages_are_not_found() {
    let app = TestApp::builder().without_sample().spawn().await;
    app.import_json(json!([page_doc("secret", "DRAFT", json!([]))]))
        .await;
    for path in ["/pages/nope", "/pages/secret", "/pages/secret?preview=true"] {
        let (status, _, html) = get(&app, &app.client, path).await;
        assert_eq!(status, 404, "{path}");
        assert!(html.contains("Page not found"));
    }
}

#[tokio::test]
async fn a_retired_page_is_gone_with_its_notice_or_redirects() {
    let app = TestApp::builder().without_sample().spawn().await;
    let mut gone = page_doc(
        "gone",
        "RETIRED",
        json!([{ "slug": "c", "title": "C", "questions": [question_doc("q", "PUBLISHED")] }]),
    );
    gone["retirement_notice"] = json!("This Q&A has closed.");
    gone["replacement_url"] = json!("https://example.org/new-home");
    let mut moved = page_doc("moved", "RETIRED", json!([]));
    moved["replacement_url"] = json!("https://example.org/moved");
    moved["redirect_to_replacement"] = json!(true);
    app.import_json(json!([gone, moved])).await;

    let (status, _, html) = get(&app, &app.client, "/pages/gone").await;
    assert_eq!(status, 410);
    assert!(html.contains("This Q&amp;A has closed."));
    assert!(html.contains("href=\"https://example.org/new-home\""));
    assert!(
        !html.contains("Question q?"),
        "no questions on a retired page"
    );

    let no_redirects = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let response = no_redirects
        .get(app.url("/pages/moved"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 301);
    assert_eq!(response.headers()["location"], "https://example.org/moved");
}

#[tokio::test]
async fn signed_in_staff_preview_drafts_and_others_get_the_published_page() {
    let app = TestApp::spawn().await;
    let editor = app.signed_in(qanda::domain::Role::Editor).await;
    let id = app
        .query(
            "{ questionBySlug(pageSlug: \"local-digital-qa\", slug: \"will-you-be-holding-any-more-roadshows\") { id } }",
            json!({}),
        )
        .await["questionBySlug"]["id"]
        .clone();
    editor
        .query(
            "mutation($id: ID!) { updateQuestion(id: $id, version: 1, input: { answer: \"A draft answer.\" }) { version } }",
            json!({ "id": id }),
        )
        .await;

    let (_, _, public) = get(&app, &app.client, "/pages/local-digital-qa?preview=true").await;
    assert!(
        !public.contains("A draft answer."),
        "anonymous preview shows the published page"
    );
    assert!(!public.contains("govuk-notification-banner"));

    let (status, headers, preview) =
        get(&app, &editor.client, "/pages/local-digital-qa?preview=true").await;
    assert_eq!(status, 200);
    assert!(preview.contains("A draft answer."));
    assert!(preview.contains(">Preview</h2>"));
    assert_eq!(headers["cache-control"], "private, no-store");

    let (_, _, plain) = get(&app, &editor.client, "/pages/local-digital-qa").await;
    assert!(
        !plain.contains("A draft answer."),
        "without ?preview staff see what the public sees"
    );
}
