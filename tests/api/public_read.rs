use serde_json::{json, Value};

use crate::helpers::{page_doc, question_doc, TestApp};

const PAGE_QUERY: &str = r#"
query Page($slug: String!) {
  page(slug: $slug) {
    id slug title intro introHtml footer status
    categories {
      id slug title position
      questions { id slug question answer answerHtml position status version publishedAt updatedAt category { slug } }
    }
  }
}"#;

fn titles(list: &Value, key: &str) -> Vec<String> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|item| item[key].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn serves_the_sample_local_digital_page() {
    let app = TestApp::spawn().await;
    let data = app
        .query(PAGE_QUERY, json!({ "slug": "local-digital-qa" }))
        .await;
    let page = &data["page"];
    assert_eq!(page["title"], "Local Digital Q&A");
    assert_eq!(page["status"], "LIVE");
    assert!(page["intro"]
        .as_str()
        .unwrap()
        .starts_with("Got a question about the Local Digital Declaration?"));
    assert!(page["introHtml"]
        .as_str()
        .unwrap()
        .starts_with("<p>Got a question"));
    assert_eq!(
        page["footer"],
        "Get the latest from Local Digital in your inbox: Get updates by email"
    );

    let categories = page["categories"].as_array().unwrap();
    assert_eq!(
        titles(&page["categories"], "title"),
        [
            "The Local Digital Declaration",
            "The Local Digital Team and ways of working",
            "The £7.5 million fund",
            "Digital leadership course"
        ]
    );
    let counts: Vec<usize> = categories
        .iter()
        .map(|c| c["questions"].as_array().unwrap().len())
        .collect();
    assert_eq!(counts, [2, 3, 1, 1]);
    let roadshows = &categories[1]["questions"][1];
    assert_eq!(
        roadshows["question"],
        "Will you be holding any more roadshows?"
    );
    assert_eq!(roadshows["status"], "PUBLISHED");
    assert_eq!(roadshows["position"], 2);
    assert_eq!(roadshows["version"], 1);
    assert_eq!(roadshows["category"]["slug"], categories[1]["slug"]);
    assert!(roadshows["publishedAt"].is_string());
    assert!(roadshows["answerHtml"]
        .as_str()
        .unwrap()
        .starts_with("<p>Yes, we hope"));

    let pages = app.query("{ pages { slug title } }", json!({})).await;
    assert_eq!(titles(&pages["pages"], "slug"), ["local-digital-qa"]);
}

#[tokio::test]
async fn questions_can_be_read_by_id_and_by_slug() {
    let app = TestApp::spawn().await;
    let data = app
        .query(
            r#"{ questionBySlug(pageSlug: "local-digital-qa", slug: "will-you-be-holding-any-more-roadshows") { id question } }"#,
            json!({}),
        )
        .await;
    let id = data["questionBySlug"]["id"].as_str().unwrap().to_owned();
    let data = app
        .query(
            "query Q($id: ID!) { question(id: $id) { question category { title } } }",
            json!({ "id": id }),
        )
        .await;
    assert_eq!(
        data["question"]["question"],
        "Will you be holding any more roadshows?"
    );
    assert_eq!(
        data["question"]["category"]["title"],
        "The Local Digital Team and ways of working"
    );

    let data = app
        .query(r#"{ question(id: "99999") { id } }"#, json!({}))
        .await;
    assert!(data["question"].is_null());
}

#[tokio::test]
async fn anonymous_readers_see_only_published_content_in_position_order() {
    let app = TestApp::builder().without_sample().spawn().await;
    let mut edited = question_doc("edited", "PUBLISHED");
    edited["answer"] = json!("Working copy not yet published.");
    edited["live_question"] = json!("Question edited?");
    edited["live_answer"] = json!("The published answer.");
    app.import_json(json!([
        page_doc("live", "LIVE", json!([
            { "slug": "first", "title": "First", "questions": [
                question_doc("b-published", "PUBLISHED"),
                question_doc("draft", "DRAFT"),
                question_doc("a-published", "PUBLISHED"),
                question_doc("archived", "ARCHIVED"),
                edited,
            ]},
            { "slug": "gone", "title": "Gone", "archived_at": "2026-01-01T00:00:00Z", "questions": [
                question_doc("in-archived-category", "PUBLISHED"),
            ]},
        ])),
        page_doc("secret", "DRAFT", json!([
            { "slug": "c", "title": "C", "questions": [question_doc("hidden", "PUBLISHED")] }
        ])),
    ]))
    .await;

    let data = app.query(PAGE_QUERY, json!({ "slug": "live" })).await;
    let categories = &data["page"]["categories"];
    assert_eq!(titles(categories, "slug"), ["first"]);
    let questions = &categories[0]["questions"];
    assert_eq!(
        titles(questions, "slug"),
        ["b-published", "a-published", "edited"]
    );
    assert_eq!(titles(questions, "answer")[2], "The published answer.");
    assert_eq!(questions[2]["position"], 5);

    let data = app.query(PAGE_QUERY, json!({ "slug": "secret" })).await;
    assert!(data["page"].is_null(), "a draft page is not public");
    let data = app.query("{ pages { slug } }", json!({})).await;
    assert_eq!(titles(&data["pages"], "slug"), ["live"]);

    // Whatever the arguments, unpublished items stay hidden by id and slug too.
    for slug in ["draft", "archived", "in-archived-category"] {
        let data = app
            .query(
                "query Q($s: String!) { questionBySlug(pageSlug: \"live\", slug: $s) { id } }",
                json!({ "s": slug }),
            )
            .await;
        assert!(data["questionBySlug"].is_null(), "{slug} must be hidden");
    }
    let data = app
        .query(
            r#"{ questionBySlug(pageSlug: "secret", slug: "hidden") { id } }"#,
            json!({}),
        )
        .await;
    assert!(data["questionBySlug"].is_null());
    for id in 1..=8 {
        let data = app
            .query(
                "query Q($id: ID!) { question(id: $id) { slug } }",
                json!({ "id": id.to_string() }),
            )
            .await;
        if let Some(slug) = data["question"]["slug"].as_str() {
            assert!(
                ["b-published", "a-published", "edited"].contains(&slug),
                "{slug} leaked by id"
            );
        }
    }
}

#[tokio::test]
async fn answers_are_served_as_sanitised_html() {
    let app = TestApp::builder().without_sample().spawn().await;
    let mut nasty = question_doc("nasty", "PUBLISHED");
    nasty["answer"] = json!(
        "Read **this**. <script>alert('x')</script> <img src=x onerror=alert(1)> [click](javascript:alert(1)) [ok](https://example.org)"
    );
    app.import_json(json!([page_doc(
        "p",
        "LIVE",
        json!([{ "slug": "c", "title": "C", "questions": [nasty] }])
    )]))
    .await;
    let data = app
        .query(
            r#"{ questionBySlug(pageSlug: "p", slug: "nasty") { answer answerHtml } }"#,
            json!({}),
        )
        .await;
    let html = data["questionBySlug"]["answerHtml"].as_str().unwrap();
    assert!(html.contains("<strong>this</strong>"), "{html}");
    assert!(!html.contains("<script"), "{html}");
    assert!(!html.contains("<img"), "{html}");
    assert!(!html.contains("javascript:"), "{html}");
    assert!(html.contains(r#"href="https://example.org""#), "{html}");
    // The Markdown source is returned as written.
    assert!(data["questionBySlug"]["answer"]
        .as_str()
        .unwrap()
        .contains("<script>"));
}

#[tokio::test]
async fn a_retired_page_answers_with_its_notice_and_no_questions() {
    let app = TestApp::builder().without_sample().spawn().await;
    let mut page = page_doc(
        "old",
        "RETIRED",
        json!([
            { "slug": "c", "title": "C", "questions": [question_doc("q", "PUBLISHED")] }
        ]),
    );
    page["retirement_notice"] = json!("This page has been retired.");
    page["replacement_url"] = json!("https://example.org/new");
    app.import_json(json!([page])).await;
    let data = app
        .query(
            r#"{ page(slug: "old") { status retirementNotice replacementUrl categories { questions { id } } } }"#,
            json!({}),
        )
        .await;
    assert_eq!(data["page"]["status"], "RETIRED");
    assert_eq!(
        data["page"]["retirementNotice"],
        "This page has been retired."
    );
    assert_eq!(data["page"]["replacementUrl"], "https://example.org/new");
    assert_eq!(data["page"]["categories"], json!([]));
}

/// One rule for empty categories, whatever the transport: readers see a
/// category only while it holds a question they can see; staff see all.
#[tokio::test]
async fn an_empty_category_is_shown_to_staff_but_not_to_readers() {
    use qanda::domain::Role;
    let app = TestApp::spawn().await;
    let editor = app.signed_in(Role::Editor).await;
    let page_id = editor
        .query("{ page(slug: \"local-digital-qa\") { id } }", json!({}))
        .await["page"]["id"]
        .clone();
    let category_id = editor
        .query(
            "mutation($input: CreateCategoryInput!) { createCategory(input: $input) { id } }",
            json!({ "input": { "pageId": page_id, "title": "Coming soon" } }),
        )
        .await["createCategory"]["id"]
        .clone();
    // Its only question is a draft: readers see nothing in it.
    editor
        .query(
            "mutation($input: CreateQuestionInput!) { createQuestion(input: $input) { id } }",
            json!({ "input": { "categoryId": category_id, "question": "Draft?", "answer": "Not yet." } }),
        )
        .await;
    let categories = |body: &Value, path: &str| titles(&body["page"][path], "title");
    let staff = editor
        .query(
            "{ page(slug: \"local-digital-qa\", includeDrafts: true) { categories { title } } }",
            json!({}),
        )
        .await;
    assert!(categories(&staff, "categories").contains(&"Coming soon".to_owned()));
    for query in [
        "{ page(slug: \"local-digital-qa\") { categories { title } } }",
        "{ page(slug: \"local-digital-qa\") { categories { title questions { slug } } } }",
        "{ pages { categories { title } } }",
    ] {
        let public = app.query(query, json!({})).await;
        let listed = if public["page"].is_null() {
            titles(&public["pages"][0]["categories"], "title")
        } else {
            categories(&public, "categories")
        };
        assert_eq!(listed.len(), 4, "{query}: {public}");
        assert!(!listed.contains(&"Coming soon".to_owned()), "{query}");
    }
    let html = app.get_text("/pages/local-digital-qa").await;
    assert!(
        !html.contains("Coming soon"),
        "the HTML page follows the same rule"
    );
}
