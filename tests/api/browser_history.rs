//! History that tells the story, in a real browser and with the keyboard
//! alone: a question's versions say what happened, who did it and when (how
//! long ago and to the second), the live one is marked, identical versions
//! compare as "No differences"; what has changed since publication is one
//! link from the question editor and from the page; the page's history.
//! No axe-core violations on a desktop or a 320 pixel wide screen.

use entity::revision;
use fantoccini::key::Key;
use fantoccini::{Client, Locator};
use qanda::domain::Role;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{json, Value};

use crate::browser::{new_user, sign_in};
use crate::browser_support::{assert_no_axe_violations, find, press, wait_for_text, with_browser};
use crate::helpers::{Person, TestApp};

const ROADSHOWS: &str = "Will you be holding any more roadshows?";

/// Presses Tab until the focused element's text is `text`, then Enter.
async fn tab_to_and_press_enter(client: &Client, text: &str) {
    let script = "return document.activeElement ? document.activeElement.textContent.trim() : '';";
    for _ in 0..80 {
        if client.execute(script, vec![]).await.unwrap() == json!(text) {
            press(client, Key::Enter).await;
            return;
        }
        press(client, Key::Tab).await;
    }
    panic!("Tab never reached {text:?}");
}

async fn texts(client: &Client, css: &str) -> Vec<String> {
    let mut found = Vec::new();
    for element in client.find_all(Locator::Css(css)).await.unwrap() {
        found.push(element.text().await.unwrap());
    }
    found
}

async fn roadshows(person: &Person) -> (String, String) {
    let page = person
        .query(
            "{ page(slug: \"local-digital-qa\", includeDrafts: true) { id categories { id questions { id question } } } }",
            json!({}),
        )
        .await["page"]
        .clone();
    let question = page["categories"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|c| c["questions"].as_array().unwrap().iter())
        .find(|q| q["question"] == ROADSHOWS)
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    (page["id"].as_str().unwrap().to_owned(), question)
}

async fn run(person: &Person, mutation: &str, variables: Value) {
    let (status, body) = person.post_graphql(mutation, variables).await;
    assert!(status == 200 && body["errors"].is_null(), "{body}");
}

async fn save(person: &Person, id: &str, version: i64, answer: &str) {
    run(
        person,
        "mutation($id: ID!, $v: Int!, $a: String!) { updateQuestion(id: $id, version: $v, input: { answer: $a }) { version } }",
        json!({ "id": id, "v": version, "a": answer }),
    )
    .await;
}

#[tokio::test]
async fn a_questions_history_tells_what_happened_and_what_changed_since_publication() {
    let app = TestApp::spawn().await;
    let email = new_user(&app, Role::Publisher).await;
    let publisher = app.signed_in(Role::Publisher).await;
    let (_, id) = roadshows(&publisher).await;
    save(&publisher, &id, 1, "We will hold two roadshows.").await; // v2
    run(
        &publisher,
        "mutation($id: ID!) { publishQuestion(id: $id, version: 2) { version } }",
        json!({ "id": id }),
    )
    .await; // v3, the same text as v2
            // Older versions, to read how long ago they were saved.
    let ago = |minutes: i64| chrono::Utc::now() - chrono::Duration::minutes(minutes);
    for (version, at) in [(1, ago(2 * 24 * 60 + 5)), (2, ago(4))] {
        revision::Entity::update_many()
            .col_expr(revision::Column::CreatedAt, Expr::value(at))
            .filter(revision::Column::ItemType.eq("question"))
            .filter(revision::Column::ItemId.eq(id.parse::<i32>().unwrap()))
            .filter(revision::Column::ItemVersion.eq(version))
            .exec(&app.db)
            .await
            .unwrap();
    }

    with_browser("question_history", |client| async move {
        sign_in(&client, &app, &email).await;
        client
            .goto(&app.url(&format!("/admin/questions/{id}/history")))
            .await
            .unwrap();
        find(&client, "#revisions").await;
        let happened = texts(&client, "#revisions tbody td.qanda-action").await;
        assert_eq!(happened, ["Published", "Saved", "Imported"]);
        let live = texts(&client, "#revisions tbody tr td:first-child").await;
        assert!(
            live[0].starts_with("3") && live[0].contains("Live"),
            "{live:?}"
        );
        assert!(
            !live[1].contains("Live") && !live[2].contains("Live"),
            "{live:?}"
        );
        let who = texts(&client, "#revisions tbody tr td:nth-child(3)").await;
        assert_eq!(who, ["Publisher person", "Publisher person", "System"]);
        // How long ago, and the exact time to the second.
        let when = texts(&client, "#revisions tbody tr td:nth-child(4)").await;
        assert!(when[0].starts_with("just now"), "{when:?}");
        assert!(when[1].starts_with("4 minutes ago"), "{when:?}");
        assert!(when[2].starts_with("2 days ago"), "{when:?}");
        let exact = regex_like_seconds(&when[0]);
        assert!(exact, "no time to the second in {when:?}");
        let datetime = find(&client, "#revisions time")
            .await
            .attr("datetime")
            .await
            .unwrap();
        assert!(datetime.is_some_and(|d| d.contains('T')));
        assert_no_axe_violations(&client, "question history").await;

        // Versions 2 and 3 hold the same text: comparing them says so.
        find(&client, "main h1").await;
        tab_to_and_press_enter(&client, "Compare").await;
        wait_for_text(&client, "No differences").await;
        find(&client, "#no-differences").await;
        assert_no_axe_violations(&client, "question history, identical versions").await;
    })
    .await;
}

/// "3 December 2026 at 5:21:07pm": hours, minutes and seconds.
fn regex_like_seconds(text: &str) -> bool {
    text.split_whitespace().any(|word| {
        let parts: Vec<&str> = word
            .trim_end_matches("am")
            .trim_end_matches("pm")
            .split(':')
            .collect();
        parts.len() == 3 && parts.iter().all(|p| p.chars().all(|c| c.is_ascii_digit()))
    })
}

#[tokio::test]
async fn what_changed_since_publication_is_one_link_from_the_editor_and_the_page() {
    let app = TestApp::spawn().await;
    let email = new_user(&app, Role::Editor).await;
    let editor = app.signed_in(Role::Editor).await;
    let (page_id, id) = roadshows(&editor).await;
    save(&editor, &id, 1, "We will hold three roadshows in spring.").await;
    run(
        &editor,
        "mutation($id: ID!) { updatePage(id: $id, version: 1, input: { title: \"Local Digital questions and answers\" }) { version } }",
        json!({ "id": page_id }),
    )
    .await;
    let categories = editor
        .query(
            "{ page(slug: \"local-digital-qa\", includeDrafts: true) { categories { id title } } }",
            json!({}),
        )
        .await["page"]["categories"]
        .clone();
    let moved = categories[1]["title"].as_str().unwrap().to_owned();
    run(
        &editor,
        "mutation($id: ID!) { moveCategory(id: $id, version: 1, position: 1) { version } }",
        json!({ "id": categories[1]["id"] }),
    )
    .await;

    with_browser("changes_since_publication", |client| async move {
        sign_in(&client, &app, &email).await;

        // From the question editor.
        client
            .goto(&app.url(&format!("/admin/questions/{id}")))
            .await
            .unwrap();
        find(&client, "#answer").await;
        find(&client, "main h1").await;
        tab_to_and_press_enter(&client, "What has changed since it was published").await;
        find(&client, "#diff").await;
        assert!(client
            .current_url()
            .await
            .unwrap()
            .path()
            .ends_with("/changes"));
        let added = texts(&client, "#diff ins").await.concat();
        assert!(
            added.contains("three") && added.contains("spring"),
            "{added}"
        );
        assert!(!texts(&client, "#diff del").await.is_empty());
        let title = client.title().await.unwrap();
        assert!(
            title.starts_with("What has changed since it was published"),
            "{title}"
        );
        assert_no_axe_violations(&client, "question changes since publication").await;

        // From the page: its text and its questions.
        client
            .goto(&app.url("/admin/pages/local-digital-qa"))
            .await
            .unwrap();
        find(&client, "[data-question-id]").await;
        find(&client, "main h1").await;
        tab_to_and_press_enter(&client, "What has changed since it was published").await;
        find(&client, "#page-text").await;
        assert_eq!(
            texts(&client, "#page-text ins").await.concat(),
            "questions and answers"
        );
        let changed = texts(&client, "#changed-questions h3 a").await;
        assert_eq!(changed, [ROADSHOWS]);
        assert_no_axe_violations(&client, "page changes since publication").await;

        // The page's history, from the page.
        client
            .goto(&app.url("/admin/pages/local-digital-qa"))
            .await
            .unwrap();
        find(&client, "[data-question-id]").await;
        find(&client, "main h1").await;
        tab_to_and_press_enter(&client, "History of this page").await;
        find(&client, "#page-history").await;
        let what = texts(&client, "#page-history tbody tr td:first-child").await;
        assert!(
            what[0].starts_with(&format!("Category “{moved}”")),
            "{what:?}"
        );
        assert!(what[1].starts_with("Page"), "{what:?}");
        let happened = texts(&client, "#page-history tbody td.qanda-action").await;
        assert_eq!(happened[..2], ["Moved to position 1", "Saved"]);
        let who = texts(&client, "#page-history tbody tr td:nth-child(3)").await;
        assert_eq!(who[..2], ["Editor person", "Editor person"]);
        assert_no_axe_violations(&client, "page history").await;
    })
    .await;
}
