//! Full-text search: real queries against the sample page, ranking,
//! snippets, an index that follows publishing, pagination, bad and hostile
//! queries, and the public HTML search page (with axe-core in a browser).

use std::collections::HashSet;
use std::time::Duration;

use chrono::{Duration as Span, Utc};
use qanda::domain::Role;
use serde_json::{json, Value};

use crate::browser_support::{axe_violations, find, wait_until_settled, with_browser};
use crate::helpers::{page_doc, Person, TestApp};

const SAMPLE: &str = "local-digital-qa";
// Generated slugs are cut at a word boundary within 60 characters.
const FUND_QUESTION: &str = "when-will-bidding-be-open-for-the-7-5-million-innovation";
const SIGN_UP_QUESTION: &str = "what-is-the-mechanism-for-a-local-authority-to-sign-up-to";
const STANDARDS_QUESTION: &str = "will-the-local-digital-team-take-some-lead-in-coordinating";
const ROADSHOWS_QUESTION: &str = "will-you-be-holding-any-more-roadshows";
const DECLARATION_AMBITION_QUESTION: &str =
    "how-will-mhclg-help-local-government-upskill-to-deliver-the";
const LEADERSHIP_QUESTION: &str = "when-do-you-envisage-the-new-digital-leadership-course";

const SEARCH: &str = "query Search($q: String!, $page: String, $first: Int, $after: String) {
  search(query: $q, pageSlug: $page, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage endCursor }
    edges { cursor node { score snippet question { slug question answer status } } }
  }
}";

/// The search connection, as this person gets it.
async fn search_as(person: &Person, variables: Value) -> Value {
    person.query(SEARCH, variables).await["search"].clone()
}

/// The slugs of every hit (up to 100), in rank order, for an anonymous reader.
async fn found(app: &TestApp, query: &str) -> Vec<String> {
    slugs(&search_as(&app.anonymous(), json!({ "q": query, "first": 100 })).await)
}

fn edges(connection: &Value) -> &Vec<Value> {
    connection["edges"].as_array().expect("edges")
}

fn slugs(connection: &Value) -> Vec<String> {
    edges(connection)
        .iter()
        .map(|e| e["node"]["question"]["slug"].as_str().unwrap().to_owned())
        .collect()
}

/// The first error of a request that must fail with this code.
async fn search_error(person: &Person, variables: Value, code: &str) -> Value {
    let (status, body) = person.post_graphql(SEARCH, variables).await;
    assert_eq!(status, 200, "{body}");
    assert!(body["data"].is_null(), "no data with an error: {body}");
    let error = body["errors"][0].clone();
    assert_eq!(error["extensions"]["code"], code, "expected {code}: {body}");
    error
}

/// The names in `extensions.fields` of a BAD_USER_INPUT error.
fn field_names(error: &Value) -> Vec<String> {
    error["extensions"]["fields"]
        .as_array()
        .unwrap_or_else(|| panic!("no extensions.fields in {error}"))
        .iter()
        .map(|f| {
            assert!(
                f["message"].as_str().is_some_and(|m| !m.is_empty()),
                "every field error has a message: {error}"
            );
            f["field"].as_str().unwrap().to_owned()
        })
        .collect()
}

/// A question document with the text given.
fn qa(slug: &str, status: &str, question: &str, answer: &str) -> Value {
    json!({ "slug": slug, "question": question, "answer": answer, "status": status })
}

fn at(offset_minutes: i64) -> String {
    (Utc::now() + Span::minutes(offset_minutes)).to_rfc3339()
}

/// A live page with one category "c" holding these questions.
fn one_page(slug: &str, questions: Vec<Value>) -> Value {
    page_doc(
        slug,
        "LIVE",
        json!([{ "slug": "c", "title": "C", "questions": questions }]),
    )
}

/// `n` published questions that all mention lighthouses.
fn lighthouses(n: usize) -> Vec<Value> {
    (1..=n)
        .map(|i| {
            qa(
                &format!("keeper-{i:02}"),
                "PUBLISHED",
                &format!("Question {i} for keeper {i}?"),
                &format!("Answer {i}: the lighthouse keeper {i} lights the lamp."),
            )
        })
        .collect()
}

async fn get(app: &TestApp, path: &str) -> (u16, String) {
    let response = app
        .anonymous()
        .client
        .get(app.url(path))
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.text().await.unwrap())
}

/// Prints a search the way a reviewer reads it: rank, title, score, snippet.
fn report(backend: &str, query: &str, connection: &Value) {
    println!(
        "search quality [{backend}] {query:?}: {} hits",
        connection["totalCount"]
    );
    for (rank, edge) in edges(connection).iter().enumerate() {
        let node = &edge["node"];
        println!(
            "  {}. {} (score {:.4e})\n     {}",
            rank + 1,
            node["question"]["question"].as_str().unwrap_or_default(),
            node["score"].as_f64().unwrap_or_default(),
            node["snippet"].as_str().unwrap_or_default()
        );
    }
}

fn backend() -> &'static str {
    match std::env::var("QANDA_TEST_DATABASE_URL") {
        Ok(url) if url.starts_with("postgres") => "PostgreSQL",
        _ => "SQLite",
    }
}

#[tokio::test]
async fn real_queries_on_the_sample_page_find_the_expected_answers() {
    let app = TestApp::spawn().await;
    let public = app.anonymous();
    let mut results = Vec::new();
    for query in [
        "funding",
        "fund",
        "declaration",
        "sign up",
        "standards",
        "leadership course",
        "roadshows",
        "newsletter",
        "how do I apply for the fund",
        "the",
        "xyzzyplover",
    ] {
        let connection = search_as(&public, json!({ "q": query, "first": 100 })).await;
        report(backend(), query, &connection);
        assert_eq!(
            connection["totalCount"].as_u64().unwrap() as usize,
            edges(&connection).len(),
            "{query}: every hit fits in one page"
        );
        results.push((query, slugs(&connection)));
    }
    let hits = |query: &str| {
        results
            .iter()
            .find(|(q, _)| *q == query)
            .map(|(_, s)| s.clone())
            .unwrap()
    };

    // Stemming: nothing on the sample says "funding"; "fund" and "funded" do.
    let funding = hits("funding");
    assert_eq!(funding.first().map(String::as_str), Some(FUND_QUESTION));
    assert_eq!(funding.len(), 4, "{funding:?}");
    let mut fund = hits("fund");
    assert_eq!(fund.first().map(String::as_str), Some(FUND_QUESTION));
    let mut funding_sorted = funding.clone();
    funding_sorted.sort();
    fund.sort();
    assert_eq!(fund, funding_sorted, "the same stem, the same answers");

    // Both questions that say "Declaration" come first, whatever their order.
    let declaration = hits("declaration");
    let top: HashSet<&str> = declaration.iter().take(2).map(String::as_str).collect();
    assert_eq!(
        top,
        HashSet::from([SIGN_UP_QUESTION, DECLARATION_AMBITION_QUESTION]),
        "{declaration:?}"
    );

    assert_eq!(
        hits("sign up").first().map(String::as_str),
        Some(SIGN_UP_QUESTION)
    );
    assert_eq!(hits("standards"), [STANDARDS_QUESTION]);
    assert_eq!(hits("leadership course"), [LEADERSHIP_QUESTION]);
    assert_eq!(
        hits("roadshows").first().map(String::as_str),
        Some(ROADSHOWS_QUESTION)
    );
    assert!(hits("xyzzyplover").is_empty());
    let nonsense = search_as(&public, json!({ "q": "xyzzyplover" })).await;
    assert_eq!(nonsense["totalCount"], 0);
    assert_eq!(nonsense["pageInfo"]["hasNextPage"], false);
}

#[tokio::test]
async fn a_match_in_the_question_ranks_above_a_match_only_in_the_answer() {
    let app = TestApp::builder().without_sample().spawn().await;
    // The answer-only match is created first, so ties broken by id would
    // put it first: only the ranking can put the question match on top.
    app.import_json(json!([one_page(
        "p",
        vec![
            qa(
                "answer-only",
                "PUBLISHED",
                "How do I apply?",
                "Fill in the form to ask for a bicycle grant."
            ),
            qa(
                "in-question",
                "PUBLISHED",
                "Is there a bicycle grant?",
                "Yes, fill in the form."
            ),
            qa(
                "unrelated",
                "PUBLISHED",
                "When is the deadline?",
                "The end of March."
            ),
            qa(
                "stemmed",
                "PUBLISHED",
                "Who was funded last year?",
                "Ten councils."
            ),
        ]
    )]))
    .await;
    for query in ["grant", "bicycle grant", "Bicycle GRANT!", "grants"] {
        let connection = search_as(&app.anonymous(), json!({ "q": query })).await;
        assert_eq!(
            slugs(&connection),
            ["in-question", "answer-only"],
            "{query}"
        );
        let scores: Vec<f64> = edges(&connection)
            .iter()
            .map(|e| e["node"]["score"].as_f64().unwrap())
            .collect();
        assert!(scores[0] > scores[1], "{query}: {scores:?}");
    }
    // Every word must match.
    assert_eq!(found(&app, "bicycle deadline").await, Vec::<String>::new());
    assert_eq!(found(&app, "deadline march").await, ["unrelated"]);
    // English stemming in both directions.
    for query in ["fund", "funding", "funded"] {
        assert_eq!(found(&app, query).await, ["stemmed"], "{query}");
    }
}

#[tokio::test]
async fn snippets_mark_the_match_and_escape_the_answer_text() {
    let app = TestApp::builder().without_sample().spawn().await;
    app.import_json(json!([one_page(
        "p",
        vec![
            qa(
                "nasty",
                "PUBLISHED",
                "What should runners bring?",
                "Bring <script>alert('x')</script> and <b>bold</b> shoes & water if 1 < 2 to the marathon \"start\"."
            ),
            qa(
                "markdown",
                "PUBLISHED",
                "Where do I enter?",
                "**Entries** close soon: [enter the race](https://example.org/entries) today."
            ),
        ]
    )]))
    .await;
    let connection = search_as(&app.anonymous(), json!({ "q": "marathon" })).await;
    assert_eq!(slugs(&connection), ["nasty"]);
    let snippet = connection["edges"][0]["node"]["snippet"]
        .as_str()
        .unwrap()
        .to_owned();
    println!("snippet [{}]: {snippet}", backend());
    assert!(
        snippet.contains("<mark>marathon</mark>"),
        "the match is marked: {snippet}"
    );
    assert!(
        !snippet.contains("<script") && !snippet.contains("<b>"),
        "answer HTML never comes through raw: {snippet}"
    );
    // SQLite quotes the tags as text (escaped); PostgreSQL's headline
    // leaves tags out. Either way, the other characters come escaped.
    assert!(
        snippet.contains("1 &lt; 2") && snippet.contains("&amp;") && snippet.contains("&#39;"),
        "answer text is escaped: {snippet}"
    );
    let unmarked = snippet.replace("<mark>", "").replace("</mark>", "");
    assert!(
        !unmarked.contains('<') && !unmarked.contains('>') && !unmarked.contains('"'),
        "no markup but <mark>: {snippet}"
    );

    // Every matched word is marked.
    let both = search_as(&app.anonymous(), json!({ "q": "shoes water" })).await;
    let snippet = both["edges"][0]["node"]["snippet"].as_str().unwrap();
    assert!(
        snippet.contains("<mark>shoes</mark>") && snippet.contains("<mark>water</mark>"),
        "{snippet}"
    );

    // Snippets are the text a reader sees, not the Markdown source.
    let markdown = search_as(&app.anonymous(), json!({ "q": "race" })).await;
    assert_eq!(slugs(&markdown), ["markdown"]);
    let snippet = markdown["edges"][0]["node"]["snippet"].as_str().unwrap();
    println!("markdown snippet [{}]: {snippet}", backend());
    assert!(snippet.contains("<mark>race</mark>"), "{snippet}");
    assert!(
        !snippet.contains("**") && !snippet.contains("](") && !snippet.contains("https:"),
        "no Markdown syntax: {snippet}"
    );
    assert!(
        snippet.contains("Entries close soon: enter the"),
        "{snippet}"
    );
}

/// Every word must match the question *or* the answer, but the snippet
/// comes from the answer alone: it must still mark the words the answer
/// has when another word is only in the question ("leadership course" on
/// the sample page). PostgreSQL's headline once needed every word and so
/// marked nothing.
#[tokio::test]
async fn the_snippet_marks_answer_words_when_another_word_is_only_in_the_question() {
    let app = TestApp::builder().without_sample().spawn().await;
    app.import_json(json!([one_page(
        "p",
        vec![qa(
            "course",
            "PUBLISHED",
            "When does the new course start?",
            "We will share our plans for this as they develop over the coming months, \
             and hope to announce the leadership support offer when we open the call \
             for applications in the spring."
        )]
    )]))
    .await;
    let connection = search_as(&app.anonymous(), json!({ "q": "leadership course" })).await;
    assert_eq!(slugs(&connection), ["course"]);
    let snippet = connection["edges"][0]["node"]["snippet"].as_str().unwrap();
    assert!(
        snippet.contains("<mark>leadership</mark>"),
        "the answer's matching word is shown and marked [{}]: {snippet}",
        backend()
    );
}

/// (slug, id, version) of every question on a page, as staff see them.
async fn question_ids(person: &Person, page: &str) -> Vec<(String, String, i64)> {
    let data = person
        .query(
            "query($p: String!) { page(slug: $p, includeDrafts: true) { categories { questions { id slug version } } } }",
            json!({ "p": page }),
        )
        .await;
    data["page"]["categories"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|c| c["questions"].as_array().unwrap().clone())
        .map(|q| {
            (
                q["slug"].as_str().unwrap().to_owned(),
                q["id"].as_str().unwrap().to_owned(),
                q["version"].as_i64().unwrap(),
            )
        })
        .collect()
}

/// A publish/unpublish/archive/restore/delete mutation; returns the new version.
async fn act(person: &Person, mutation: &str, id: &str, version: i64) -> i64 {
    let query = format!(
        "mutation($id: ID!, $v: Int!) {{ {mutation}(id: $id, version: $v) {{ version }} }}"
    );
    person
        .query(&query, json!({ "id": id, "v": version }))
        .await[mutation]["version"]
        .as_i64()
        .unwrap()
}

#[tokio::test]
async fn the_index_follows_publishing_not_editing() {
    let app = TestApp::builder().without_sample().spawn().await;
    app.import_json(json!([one_page(
        "p",
        vec![
            qa(
                "animal",
                "PUBLISHED",
                "What about walruses?",
                "Walruses are large."
            ),
            qa(
                "never-published",
                "DRAFT",
                "Are there penguins?",
                "Penguins live in the south."
            ),
            qa("filler", "PUBLISHED", "Anything else?", "Nothing else."),
        ]
    )]))
    .await;
    let editor = app.signed_in(Role::Editor).await;
    let publisher = app.signed_in(Role::Publisher).await;
    let ids = question_ids(&editor, "p").await;
    let (_, id, mut version) = ids.iter().find(|(s, ..)| s == "animal").unwrap().clone();
    let html_hits = |q: &'static str| {
        let app = &app;
        async move {
            let (status, html) = get(app, &format!("/pages/p/search?q={q}")).await;
            assert_eq!(status, 200, "{html}");
            html.contains("href=\"/pages/p#animal\"")
        }
    };

    assert_eq!(found(&app, "walruses").await, ["animal"]);
    assert!(
        found(&app, "penguins").await.is_empty(),
        "a draft is never found"
    );
    assert!(found(&app, "narwhals").await.is_empty());
    assert!(html_hits("walruses").await);

    // An edit changes the working copy only: the public text is searched.
    version = editor
        .query(
            "mutation($id: ID!, $v: Int!, $i: UpdateQuestionInput!) { updateQuestion(id: $id, version: $v, input: $i) { version } }",
            json!({ "id": id, "v": version, "i": { "question": "What about narwhals?", "answer": "Narwhals have tusks." } }),
        )
        .await["updateQuestion"]["version"]
        .as_i64()
        .unwrap();
    let old = search_as(&app.anonymous(), json!({ "q": "walruses" })).await;
    assert_eq!(
        slugs(&old),
        ["animal"],
        "still found by its published words"
    );
    assert_eq!(
        old["edges"][0]["node"]["question"]["question"],
        "What about walruses?"
    );
    assert!(old["edges"][0]["node"]["snippet"]
        .as_str()
        .unwrap()
        .contains("<mark>Walruses</mark>"));
    assert!(
        found(&app, "narwhals").await.is_empty(),
        "not by its draft words"
    );
    assert!(
        slugs(&search_as(&editor, json!({ "q": "narwhals" })).await).is_empty(),
        "not even for staff"
    );
    assert!(html_hits("walruses").await && !html_hits("narwhals").await);

    version = act(&publisher, "publishQuestion", &id, version).await;
    assert_eq!(found(&app, "narwhals").await, ["animal"]);
    assert!(found(&app, "walruses").await.is_empty());
    assert!(html_hits("narwhals").await && !html_hits("walruses").await);

    version = act(&publisher, "unpublishQuestion", &id, version).await;
    assert!(found(&app, "narwhals").await.is_empty(), "unpublished");
    assert!(!html_hits("narwhals").await);
    version = act(&publisher, "publishQuestion", &id, version).await;
    assert_eq!(found(&app, "narwhals").await, ["animal"], "published again");

    version = act(&publisher, "archiveQuestion", &id, version).await;
    assert!(found(&app, "narwhals").await.is_empty(), "archived");
    version = act(&publisher, "restoreQuestion", &id, version).await;
    assert!(
        found(&app, "narwhals").await.is_empty(),
        "restored as a draft"
    );
    version = act(&publisher, "publishQuestion", &id, version).await;
    assert_eq!(
        found(&app, "narwhals").await,
        ["animal"],
        "restored and published"
    );

    version = act(&publisher, "archiveQuestion", &id, version).await;
    act(&publisher, "deleteQuestion", &id, version).await;
    assert!(found(&app, "narwhals").await.is_empty(), "deleted");
    // SQLite may give a new row the id of the deleted one: its index entry
    // must have gone with it, or the new question is found by old words.
    let category = editor
        .query(
            "{ page(slug: \"p\", includeDrafts: true) { categories { id } } }",
            json!({}),
        )
        .await["page"]["categories"][0]["id"]
        .clone();
    let created = editor
        .query(
            "mutation($i: CreateQuestionInput!) { createQuestion(input: $i) { id version slug } }",
            json!({ "i": { "categoryId": category, "question": "Any otters?", "answer": "Otters swim.", "slug": "otters" } }),
        )
        .await["createQuestion"]
        .clone();
    act(
        &publisher,
        "publishQuestion",
        created["id"].as_str().unwrap(),
        created["version"].as_i64().unwrap(),
    )
    .await;
    assert_eq!(found(&app, "otters").await, ["otters"]);
    assert!(
        found(&app, "narwhals").await.is_empty(),
        "no stale index entry"
    );
    assert!(
        found(&app, "walruses").await.is_empty(),
        "no stale index entry"
    );

    // The draft, published at last, is found by its words.
    let (_, draft, draft_version) = ids
        .iter()
        .find(|(s, ..)| s == "never-published")
        .unwrap()
        .clone();
    act(&publisher, "publishQuestion", &draft, draft_version).await;
    assert_eq!(found(&app, "penguins").await, ["never-published"]);
}

#[tokio::test]
async fn only_questions_the_public_can_reach_are_found() {
    let app = TestApp::builder().without_sample().spawn().await;
    let with_word = |slug: &str, status: &str| {
        qa(
            slug,
            status,
            &format!("Is {slug} about zeppelins?"),
            "Zeppelins float.",
        )
    };
    let mut due = with_word("due-draft", "DRAFT");
    due["publish_at"] = json!(at(-1));
    let mut future = with_word("future-draft", "DRAFT");
    future["publish_at"] = json!(at(60));
    let mut expired = with_word("expired", "PUBLISHED");
    expired["expire_at"] = json!(at(-1));
    let mut expiring = with_word("expiring-later", "PUBLISHED");
    expiring["expire_at"] = json!(at(60));
    let mut live = page_doc(
        "live",
        "LIVE",
        json!([
            { "slug": "open", "title": "Open", "questions": [
                with_word("visible", "PUBLISHED"), with_word("draft", "DRAFT"),
                with_word("archived", "ARCHIVED"), due, future, expired, expiring,
            ]},
            { "slug": "closed", "title": "Closed", "archived_at": "2026-01-01T00:00:00Z", "questions": [
                with_word("in-archived-category", "PUBLISHED"),
            ]},
            { "slug": "later", "title": "Later", "questions": [
                with_word("in-category-archived-later", "PUBLISHED"),
            ]},
        ]),
    );
    live["title"] = json!("Live page");
    let mut past_retirement = page_doc(
        "retire-at-passed",
        "LIVE",
        json!([{ "slug": "c", "title": "C", "questions": [with_word("on-page-retire-at-passed", "PUBLISHED")] }]),
    );
    past_retirement["retire_at"] = json!(at(-1));
    past_retirement["retirement_notice"] = json!("Closed on schedule.");
    let mut later_retirement = page_doc(
        "retire-at-later",
        "LIVE",
        json!([{ "slug": "c", "title": "C", "questions": [with_word("on-page-retiring-later", "PUBLISHED")] }]),
    );
    later_retirement["retire_at"] = json!(at(60));
    later_retirement["retirement_notice"] = json!("Closing soon.");
    app.import_json(json!([
        live,
        past_retirement,
        later_retirement,
        page_doc(
            "draft-page",
            "DRAFT",
            json!([{ "slug": "c", "title": "C", "questions": [with_word("on-draft-page", "PUBLISHED")] }]),
        ),
        one_page("to-retire", vec![with_word("on-page-retired-by-hand", "PUBLISHED")]),
    ]))
    .await;

    let mut expected = vec![
        "due-draft",
        "expiring-later",
        "in-category-archived-later",
        "on-page-retired-by-hand",
        "on-page-retiring-later",
        "visible",
    ];
    let sorted = |mut v: Vec<String>| {
        v.sort();
        v
    };
    assert_eq!(sorted(found(&app, "zeppelins").await), expected);
    let due = search_as(
        &app.anonymous(),
        json!({ "q": "zeppelins", "page": "live" }),
    )
    .await;
    let due = edges(&due)
        .iter()
        .find(|e| e["node"]["question"]["slug"] == "due-draft")
        .expect("the due draft is found");
    assert_eq!(due["node"]["question"]["status"], "PUBLISHED");

    // Archiving a category and retiring a page take their questions out.
    let admin = app.signed_in(Role::Admin).await;
    let outline = admin
        .query(
            "{ live: page(slug: \"live\", includeDrafts: true) { categories { id slug version } } old: page(slug: \"to-retire\", includeDrafts: true) { id version } }",
            json!({}),
        )
        .await;
    let later = outline["live"]["categories"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["slug"] == "later")
        .unwrap()
        .clone();
    let archived = admin
        .query(
            "mutation($id: ID!, $v: Int!) { archiveCategory(id: $id, version: $v) { version } }",
            json!({ "id": later["id"], "v": later["version"] }),
        )
        .await;
    admin
        .query(
            "mutation($id: ID!, $v: Int!, $n: String!) { retirePage(id: $id, version: $v, notice: $n) { status } }",
            json!({ "id": outline["old"]["id"], "v": outline["old"]["version"], "n": "This page has closed." }),
        )
        .await;
    expected.retain(|s| *s != "in-category-archived-later" && *s != "on-page-retired-by-hand");
    assert_eq!(sorted(found(&app, "zeppelins").await), expected);
    let (status, _) = get(&app, "/pages/to-retire/search?q=zeppelins").await;
    assert_eq!(status, 410);

    admin
        .query(
            "mutation($id: ID!, $v: Int!) { restoreCategory(id: $id, version: $v) { version } }",
            json!({ "id": later["id"], "v": archived["archiveCategory"]["version"] }),
        )
        .await;
    expected.push("in-category-archived-later");
    expected.sort();
    assert_eq!(sorted(found(&app, "zeppelins").await), expected);
}

#[tokio::test]
async fn scheduled_publication_and_expiry_change_results_on_time() {
    let app = TestApp::builder().without_sample().spawn().await;
    let soon = (Utc::now() + Span::seconds(2)).to_rfc3339();
    let mut arriving = qa("arriving", "DRAFT", "Any gliders?", "Gliders soar.");
    arriving["publish_at"] = json!(soon);
    let mut leaving = qa("leaving", "PUBLISHED", "More gliders?", "Gliders land.");
    leaving["expire_at"] = json!(soon);
    app.import_json(json!([one_page("p", vec![arriving, leaving])]))
        .await;
    // Asked twice, so the second answer may come from the response cache.
    for _ in 0..2 {
        assert_eq!(found(&app, "gliders").await, ["leaving"]);
        let (_, html) = get(&app, "/pages/p/search?q=gliders").await;
        assert!(html.contains("href=\"/pages/p#leaving\""));
    }
    tokio::time::sleep(Duration::from_millis(3000)).await;
    // Nothing has recorded the change yet (the scheduler runs hourly here):
    // the times alone decide, and no cached answer outlives them.
    assert_eq!(found(&app, "gliders").await, ["arriving"]);
    let (_, html) = get(&app, "/pages/p/search?q=gliders").await;
    assert!(html.contains("href=\"/pages/p#arriving\""), "{html}");
    assert!(!html.contains("href=\"/pages/p#leaving\""), "{html}");
}

#[tokio::test]
async fn results_page_through_with_cursors() {
    let app = TestApp::builder().without_sample().spawn().await;
    app.import_json(json!([one_page("p", lighthouses(25))]))
        .await;
    let public = app.anonymous();
    let mut seen = Vec::new();
    let mut scores = Vec::new();
    let mut after: Option<String> = None;
    let mut pages = 0;
    loop {
        let page = search_as(
            &public,
            json!({ "q": "lighthouse", "first": 10, "after": after }),
        )
        .await;
        pages += 1;
        assert_eq!(page["totalCount"], 25);
        assert_eq!(page["pageInfo"]["hasPreviousPage"], after.is_some());
        let cursors: Vec<String> = edges(&page)
            .iter()
            .map(|e| e["cursor"].as_str().unwrap().to_owned())
            .collect();
        let first = seen.len() + 1;
        let expected: Vec<String> = (first..first + cursors.len())
            .map(|n| n.to_string())
            .collect();
        assert_eq!(cursors, expected, "cursors are 1-based positions");
        assert_eq!(
            page["pageInfo"]["endCursor"].as_str(),
            cursors.last().map(String::as_str)
        );
        scores.extend(
            edges(&page)
                .iter()
                .map(|e| e["node"]["score"].as_f64().unwrap()),
        );
        seen.extend(slugs(&page));
        if page["pageInfo"]["hasNextPage"] == false {
            assert_eq!(edges(&page).len(), 5, "the last page holds the rest");
            break;
        }
        assert_eq!(edges(&page).len(), 10);
        after = page["pageInfo"]["endCursor"].as_str().map(str::to_owned);
        assert!(pages < 5, "pagination never ends");
    }
    assert_eq!(pages, 3);
    assert_eq!(seen.len(), 25);
    let unique: HashSet<&String> = seen.iter().collect();
    assert_eq!(unique.len(), 25, "no duplicates: {seen:?}");
    assert!(
        scores.windows(2).all(|w| w[0] >= w[1]),
        "best first across pages: {scores:?}"
    );

    // Past the end: nothing, and nothing more.
    let beyond = search_as(&public, json!({ "q": "lighthouse", "after": "25" })).await;
    assert!(edges(&beyond).is_empty());
    assert_eq!(beyond["pageInfo"]["hasNextPage"], false);
    assert_eq!(beyond["totalCount"], 25);
    // The default page size is 20.
    let default = search_as(&public, json!({ "q": "lighthouse" })).await;
    assert_eq!(edges(&default).len(), 20);
    assert_eq!(default["pageInfo"]["hasNextPage"], true);

    for first in [0, -1, 101] {
        let error = search_error(
            &public,
            json!({ "q": "lighthouse", "first": first }),
            "BAD_USER_INPUT",
        )
        .await;
        assert_eq!(field_names(&error), ["first"], "first: {first}");
    }
    for cursor in ["abc", "", "1.5", "99999999999"] {
        let error = search_error(
            &public,
            json!({ "q": "lighthouse", "after": cursor }),
            "BAD_USER_INPUT",
        )
        .await;
        assert_eq!(field_names(&error), ["after"], "after: {cursor:?}");
    }
}

#[tokio::test]
async fn page_slug_limits_the_search_to_one_page() {
    let app = TestApp::builder().without_sample().spawn().await;
    let kettle = |slug: &str| qa(slug, "PUBLISHED", "Where is the kettle?", "In the kitchen.");
    app.import_json(json!([
        one_page("a", vec![kettle("kettle-a"), kettle("kettle-a2")]),
        one_page("b", vec![kettle("kettle-b")]),
    ]))
    .await;
    let public = app.anonymous();
    let on = |page: Option<&'static str>| {
        let public = &public;
        async move {
            let connection = search_as(public, json!({ "q": "kettle", "page": page })).await;
            let mut found = slugs(&connection);
            found.sort();
            assert_eq!(
                connection["totalCount"].as_u64().unwrap() as usize,
                found.len()
            );
            found
        }
    };
    assert_eq!(on(None).await, ["kettle-a", "kettle-a2", "kettle-b"]);
    assert_eq!(on(Some("a")).await, ["kettle-a", "kettle-a2"]);
    assert_eq!(on(Some("b")).await, ["kettle-b"]);
    assert!(on(Some("nope")).await.is_empty());
}

#[tokio::test]
async fn bad_queries_name_the_field_and_hostile_ones_are_only_words() {
    let app = TestApp::spawn().await;
    let public = app.anonymous();
    let too_long = "a".repeat(201);
    for bad in ["", "   ", "!!!", "\"*^:-()", too_long.as_str()] {
        let error = search_error(&public, json!({ "q": bad }), "BAD_USER_INPUT").await;
        assert_eq!(field_names(&error), ["query"], "{bad:?}");
    }
    let longest = "a".repeat(200);
    assert_eq!(
        search_as(&public, json!({ "q": longest })).await["totalCount"],
        0,
        "200 characters are allowed"
    );

    let hostile = [
        "\"",
        "*",
        "NEAR(",
        "OR",
        "-",
        "^",
        ":",
        "fund\"",
        "\"fund",
        "fund*",
        "NEAR(fund declaration)",
        "NEAR(fund declaration, 2)",
        "fund OR declaration",
        "fund AND NOT declaration",
        "fund NOT",
        "-fund",
        "^fund",
        "question:fund",
        "answer : fund",
        "{question answer}: fund",
        "fund + declaration",
        "fund & !declaration",
        "fund | declaration",
        "fund <-> declaration",
        "fund:*",
        "fund:A",
        "'fund'",
        "'; DROP TABLE questions; --",
        "fund\\",
        "(fund",
        "fund)",
        "\u{E000}fund\u{E001}",
        "fund\u{0}",
        "café",
        "日本語",
        "🎉 fund",
    ];
    for query in hostile {
        let (status, body) = public.post_graphql(SEARCH, json!({ "q": query })).await;
        assert_eq!(status, 200, "{query:?}: {body}");
        if let Some(errors) = body.get("errors") {
            assert_eq!(
                errors[0]["extensions"]["code"], "BAD_USER_INPUT",
                "{query:?}: {body}"
            );
        } else {
            assert!(
                body["data"]["search"]["totalCount"].is_u64(),
                "{query:?}: {body}"
            );
        }
        let path = format!(
            "/pages/{SAMPLE}/search?q={}",
            url::form_urlencoded::byte_serialize(query.as_bytes()).collect::<String>()
        );
        let (status, html) = get(&app, &path).await;
        assert!(status == 200 || status == 400, "{query:?}: {status} {html}");
    }
    // Operators are words like any other: "fund OR declaration" needs all three.
    let both = found(&app, "fund declaration").await;
    assert_eq!(both, [DECLARATION_AMBITION_QUESTION]);
    assert!(found(&app, "fund*")
        .await
        .contains(&FUND_QUESTION.to_owned()));
    assert_eq!(found(&app, "-fund").await, found(&app, "fund").await);
    assert_eq!(
        found(&app, "question:fund").await,
        found(&app, "question fund").await
    );
    // The app still answers after all that.
    assert!(!found(&app, "fund").await.is_empty());
}

#[tokio::test]
async fn staff_get_the_same_results_as_the_public() {
    let app = TestApp::spawn().await;
    let editor = app.signed_in(Role::Editor).await;
    let publisher = app.signed_in(Role::Publisher).await;
    let ids = question_ids(&editor, SAMPLE).await;
    let (_, roadshows, version) = ids
        .iter()
        .find(|(s, ..)| s == ROADSHOWS_QUESTION)
        .unwrap()
        .clone();
    editor
        .query(
            "mutation($id: ID!, $v: Int!, $i: UpdateQuestionInput!) { updateQuestion(id: $id, version: $v, input: $i) { version } }",
            json!({ "id": roadshows, "v": version, "i": { "answer": "Roadshows are cancelled; we fund webinars instead." } }),
        )
        .await;
    let category = editor
        .query(
            "{ page(slug: \"local-digital-qa\", includeDrafts: true) { categories { id } } }",
            json!({}),
        )
        .await["page"]["categories"][0]["id"]
        .clone();
    editor
        .query(
            "mutation($i: CreateQuestionInput!) { createQuestion(input: $i) { id } }",
            json!({ "i": { "categoryId": category, "question": "Is the fund secret?", "answer": "Draft: the webinars fund." } }),
        )
        .await;
    for query in ["fund", "webinars", "roadshows", "declaration", "secret"] {
        let public = search_as(&app.anonymous(), json!({ "q": query })).await;
        assert_eq!(
            search_as(&editor, json!({ "q": query })).await,
            public,
            "{query}: editor"
        );
        assert_eq!(
            search_as(&publisher, json!({ "q": query })).await,
            public,
            "{query}: publisher"
        );
    }
    assert!(found(&app, "webinars").await.is_empty());
    assert!(slugs(&search_as(&editor, json!({ "q": "secret" })).await).is_empty());
    let roadshow_hit = search_as(&editor, json!({ "q": "roadshows" })).await;
    let hit = edges(&roadshow_hit)
        .iter()
        .find(|e| e["node"]["question"]["slug"] == ROADSHOWS_QUESTION)
        .unwrap();
    assert!(
        hit["node"]["question"]["answer"]
            .as_str()
            .unwrap()
            .starts_with("Yes, we hope"),
        "staff get the public text in search: {hit}"
    );
}

#[tokio::test]
async fn the_public_search_page_lists_marked_results_with_links() {
    let app = TestApp::spawn().await;
    app.import_json(json!([one_page("many", lighthouses(25))]))
        .await;
    let mut old = one_page("old", lighthouses(1));
    old["retire_at"] = json!(at(-1));
    old["retirement_notice"] = json!("Closed on schedule.");
    app.import_json(json!([old, page_doc("draft-page", "DRAFT", json!([]))]))
        .await;

    // The page itself offers the search.
    let (status, page) = get(&app, &format!("/pages/{SAMPLE}")).await;
    assert_eq!(status, 200);
    for needle in [
        "role=\"search\"",
        &format!("action=\"/pages/{SAMPLE}/search\""),
        "method=\"get\"",
        "<label class=\"govuk-label govuk-label--s\" for=\"search-q\">Search this Q&amp;A</label>",
        "id=\"search-q\" name=\"q\"",
    ] {
        assert!(page.contains(needle), "the page has {needle}");
    }

    let (status, html) = get(&app, &format!("/pages/{SAMPLE}/search?q=fund")).await;
    assert_eq!(status, 200, "{html}");
    let total = search_as(&app.anonymous(), json!({ "q": "fund", "page": SAMPLE })).await;
    let total = total["totalCount"].as_u64().unwrap();
    assert!(total > 1);
    assert!(
        html.contains(&format!("{total} answers match \u{2018}fund\u{2019}")),
        "{html}"
    );
    let link = format!("href=\"/pages/{SAMPLE}#{FUND_QUESTION}\"");
    assert!(html.contains(&link), "a link to the answer: {html}");
    assert!(
        page.contains(&format!("id=\"{FUND_QUESTION}\"")),
        "the link's target is on the page"
    );
    assert!(html.contains("<mark>fund</mark>"), "{html}");
    assert!(
        html.contains("value=\"fund\""),
        "the search box keeps the words"
    );
    assert!(!html.contains("govuk-pagination"), "one page of results");
    assert!(html.contains("<title>Search results for \u{2018}fund\u{2019}"));
    // The page's own two-thirds column, and each result says where it is.
    assert!(
        html.contains(
            "<div class=\"govuk-grid-row\"><div class=\"govuk-grid-column-two-thirds\"><h1"
        ),
        "{html}"
    );
    assert!(
        html.contains("qanda-result-category\">Category: The £7.5 million fund</p>"),
        "{html}"
    );

    // What was typed comes back escaped.
    let (status, html) = get(
        &app,
        &format!("/pages/{SAMPLE}/search?q=%3Cscript%3Ealert(1)"),
    )
    .await;
    assert_eq!(status, 200);
    assert!(!html.contains("<script>alert"), "{html}");
    assert!(html.contains("&lt;script&gt;alert(1)"), "{html}");

    let (status, html) = get(&app, &format!("/pages/{SAMPLE}/search?q=xyzzyplover")).await;
    assert_eq!(status, 200);
    assert!(html.contains("No answers match"), "{html}");

    for bad in ["?q=", "?q=%20%20", "?q=!!!", "", "?page=2"] {
        let (status, html) = get(&app, &format!("/pages/{SAMPLE}/search{bad}")).await;
        assert_eq!(status, 400, "{bad}: {html}");
        assert!(html.contains("There is a problem"), "{bad}: {html}");
        assert!(
            html.contains("href=\"#search-q\""),
            "the summary links to the box"
        );
        assert!(html.contains("Enter a word to search for"), "{bad}: {html}");
        assert!(html.contains("govuk-form-group--error"));
        assert!(html.contains("<title>Error: "), "{bad}: {html}");
    }
    let (status, html) = get(
        &app,
        &format!("/pages/{SAMPLE}/search?q={}", "a".repeat(201)),
    )
    .await;
    assert_eq!(status, 400);
    assert!(html.contains("200 characters or fewer"), "{html}");

    for (path, expected) in [
        ("/pages/nope/search?q=fund", 404),
        ("/pages/draft-page/search?q=fund", 404),
        ("/pages/old/search?q=lighthouse", 410),
        ("/pages/old/search?q=", 410),
    ] {
        let (status, _) = get(&app, path).await;
        assert_eq!(status, expected, "{path}");
    }

    // Ten results a page, with GOV.UK pagination.
    let pages: Vec<String> = {
        let mut pages = Vec::new();
        for n in 1..=3 {
            let (status, html) =
                get(&app, &format!("/pages/many/search?q=lighthouse&page={n}")).await;
            assert_eq!(status, 200);
            pages.push(html);
        }
        pages
    };
    let results = |html: &str| html.matches("href=\"/pages/many#keeper-").count();
    assert_eq!(
        pages.iter().map(|h| results(h)).collect::<Vec<_>>(),
        [10, 10, 5]
    );
    let mut everyone: Vec<&str> = Vec::new();
    for html in &pages {
        assert!(html.contains("25 answers match"));
        assert!(html.contains("govuk-pagination"));
        for part in html.split("href=\"/pages/many#").skip(1) {
            everyone.push(&part[..part.find('"').unwrap()]);
        }
    }
    let unique: HashSet<&&str> = everyone.iter().collect();
    assert_eq!(unique.len(), 25, "every result once");
    let next =
        |n: u64| format!("href=\"/pages/many/search?q=lighthouse&amp;page={n}\" rel=\"next\"");
    let prev =
        |n: u64| format!("href=\"/pages/many/search?q=lighthouse&amp;page={n}\" rel=\"prev\"");
    assert!(pages[0].contains(&next(2)) && !pages[0].contains("rel=\"prev\""));
    assert!(pages[0].contains("Page 1 of 3"));
    assert!(pages[1].contains(&prev(1)) && pages[1].contains(&next(3)));
    assert!(pages[1].contains("start=\"11\""));
    assert!(pages[2].contains(&prev(2)) && !pages[2].contains("rel=\"next\""));
    assert!(pages[2].contains("Page 3 of 3"));
}

#[tokio::test]
async fn the_search_pages_have_no_axe_violations() {
    let app = TestApp::spawn().await;
    app.import_json(json!([one_page("many", lighthouses(25))]))
        .await;
    with_browser("search-axe", |client| async move {
        let mut report = Vec::new();
        for (screen, path, ready) in [
            (
                "page with search box",
                format!("/pages/{SAMPLE}"),
                "#search-q",
            ),
            ("results", format!("/pages/{SAMPLE}/search?q=fund"), "mark"),
            (
                "no results",
                format!("/pages/{SAMPLE}/search?q=xyzzyplover"),
                "main h1",
            ),
            (
                "paginated results",
                "/pages/many/search?q=lighthouse&page=2".to_owned(),
                ".govuk-pagination",
            ),
            (
                "error",
                format!("/pages/{SAMPLE}/search?q="),
                ".govuk-error-summary",
            ),
        ] {
            client.goto(&app.url(&path)).await.unwrap();
            find(&client, ready).await;
            wait_until_settled(&client).await;
            let violations = axe_violations(&client).await;
            println!("axe: {screen}: {} violations", violations.len());
            if !violations.is_empty() {
                report.push(format!("{screen}:\n  {}", violations.join("\n  ")));
            }
        }
        // Searching from the page itself, as a reader would.
        client
            .goto(&app.url(&format!("/pages/{SAMPLE}")))
            .await
            .unwrap();
        let input = find(&client, "#search-q").await;
        input.send_keys("leadership course").await.unwrap();
        find(&client, "form[role=search] button")
            .await
            .click()
            .await
            .unwrap();
        find(&client, "ol.govuk-list li a").await;
        let url = client.current_url().await.unwrap();
        assert_eq!(url.path(), format!("/pages/{SAMPLE}/search"));
        assert!(
            find(&client, "main")
                .await
                .text()
                .await
                .unwrap()
                .contains("1 answer matches"),
            "one result for \"leadership course\""
        );
        assert!(
            report.is_empty(),
            "axe-core found violations:\n{}",
            report.join("\n")
        );
    })
    .await;
}
