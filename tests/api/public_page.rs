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

/// A preview is the page as it will be once the drafts are published:
/// drafts and working copies, marked as such, and nothing archived or past
/// its removal time. When readers get something else (a draft page, a
/// retired page), the banner says so.
#[tokio::test]
async fn a_preview_shows_the_page_as_it_will_be() {
    let app = TestApp::builder().without_sample().spawn().await;
    let mut changed = question_doc("changed", "PUBLISHED");
    changed["live_question"] = json!("Question changed?");
    changed["live_answer"] = json!("The published answer.");
    let mut archived = question_doc("archived", "ARCHIVED");
    archived["archived_at"] = json!("2026-01-01T00:00:00Z");
    let mut expired = question_doc("expired", "PUBLISHED");
    expired["expire_at"] = json!((chrono::Utc::now() - chrono::Duration::minutes(1)).to_rfc3339());
    let mut scheduled = question_doc("scheduled", "DRAFT");
    scheduled["publish_at"] = json!((chrono::Utc::now() + chrono::Duration::days(1)).to_rfc3339());
    let mut page = page_doc(
        "pv",
        "LIVE",
        json!([
            { "slug": "open", "title": "Open", "questions": [
                question_doc("steady", "PUBLISHED"), changed, question_doc("draft", "DRAFT"),
                scheduled, archived, expired,
            ]},
            { "slug": "closed", "title": "Closed", "archived_at": "2026-01-01T00:00:00Z",
              "questions": [question_doc("hidden", "PUBLISHED")] },
        ]),
    );
    page["retire_at"] = json!("2099-03-04T05:06:00Z");
    page["retirement_notice"] = json!("Gone.");
    let mut retired = page_doc(
        "old",
        "RETIRED",
        json!([{ "slug": "c", "title": "C", "questions": [question_doc("kept", "PUBLISHED")] }]),
    );
    retired["retired_at"] = json!("2026-01-01T00:00:00Z");
    retired["retirement_notice"] = json!("Closed for good.");
    let draft_page = page_doc(
        "soon",
        "DRAFT",
        json!([{ "slug": "c", "title": "C", "questions": [question_doc("new", "DRAFT")] }]),
    );
    app.import_json(json!([page, retired, draft_page])).await;
    let editor = app.signed_in(qanda::domain::Role::Editor).await;

    let (status, _, preview) = get(&app, &editor.client, "/pages/pv?preview=true").await;
    assert_eq!(status, 200);
    for shown in [
        "Question steady?",
        "Answer for changed.",
        "Question draft?",
        "Question scheduled?",
        ">Draft</strong>",
        ">Draft, scheduled</strong>",
        ">Unpublished changes</strong>",
        "This page will retire on 4 March 2099 at 05:06 (UTC).",
    ] {
        assert!(preview.contains(shown), "preview lacks {shown:?}");
    }
    for hidden in [
        "Question archived?",
        "Question expired?",
        "Question hidden?",
        "The published answer.",
        "id=\"closed\"",
    ] {
        assert!(!preview.contains(hidden), "preview shows {hidden:?}");
    }
    assert_eq!(
        preview.matches("<strong class=\"govuk-tag").count(),
        3,
        "only drafts and changes are marked"
    );

    let (_, _, public) = get(&app, &app.client, "/pages/pv").await;
    assert!(public.contains("The published answer."));
    assert!(!public.contains("Question draft?") && !public.contains("govuk-tag"));

    let (status, _, old) = get(&app, &editor.client, "/pages/old?preview=true").await;
    assert_eq!(
        status, 200,
        "staff may still look at a retired page's content"
    );
    assert!(old.contains("Question kept?"));
    assert!(old.contains("This page is retired: readers get its retirement notice"));
    let (status, _, _) = get(&app, &app.client, "/pages/old?preview=true").await;
    assert_eq!(status, 410);

    let (status, _, soon) = get(&app, &editor.client, "/pages/soon?preview=true").await;
    assert_eq!(status, 200);
    assert!(soon.contains("This page is a draft: readers get \u{201c}Page not found\u{201d}."));
    assert!(soon.contains("Question new?"));
    let (status, _, _) = get(&app, &app.client, "/pages/soon?preview=true").await;
    assert_eq!(status, 404);
}

/// Every id on the page is used once, even when a category and a question
/// share a slug; jump links lead to the category's heading.
#[tokio::test]
async fn a_category_and_a_question_with_one_slug_get_different_ids() {
    let app = TestApp::builder().without_sample().spawn().await;
    app.import_json(json!([page_doc(
        "p",
        "LIVE",
        json!([
            { "slug": "funding", "title": "Funding", "questions": [question_doc("funding", "PUBLISHED")] },
            { "slug": "other", "title": "Other", "questions": [question_doc("q", "PUBLISHED")] },
        ])
    )]))
    .await;
    let (status, _, html) = get(&app, &app.client, "/pages/p").await;
    assert_eq!(status, 200);
    let ids: Vec<&str> = html
        .split(" id=\"")
        .skip(1)
        .map(|rest| &rest[..rest.find('"').unwrap()])
        .collect();
    let mut unique = ids.clone();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!(unique.len(), ids.len(), "an id used twice: {ids:?}");
    assert!(html.contains("href=\"#category-funding\""));
    assert!(html.contains("<h2 class=\"govuk-heading-l\" id=\"category-funding\">Funding</h2>"));
    assert!(html.contains("<h3 class=\"govuk-heading-m\" id=\"funding\">"));
    assert!(html.contains("href=\"#other\"") && html.contains("id=\"other\""));
}
