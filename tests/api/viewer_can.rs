//! `viewerCan` on pages and questions, and `can` on the signed-in user: the
//! API says what each role may do, so the admin UI copies no role rule.

use qanda::domain::Role;
use serde_json::{json, Value};

use crate::helpers::{question_doc, Person, TestApp};

const PAGE: &str = "query { page(slug: \"can-page\", includeDrafts: true) {
  viewerCan { edit publish changeSlug retire }
  categories { questions { slug viewerCan { edit publish unpublish archive restore delete schedule } } }
} }";

async fn page(person: &Person) -> Value {
    person.query(PAGE, json!({})).await["page"].clone()
}

/// slug → the question's viewerCan, as (edit, publish, unpublish, archive, restore, delete, schedule).
fn question(page: &Value, slug: &str) -> [bool; 7] {
    let q = page["categories"][0]["questions"]
        .as_array()
        .expect("questions")
        .iter()
        .find(|q| q["slug"] == slug)
        .unwrap_or_else(|| panic!("no question {slug} in {page}"));
    let can = &q["viewerCan"];
    [
        "edit",
        "publish",
        "unpublish",
        "archive",
        "restore",
        "delete",
        "schedule",
    ]
    .map(|key| can[key].as_bool().expect("a boolean"))
}

#[tokio::test]
async fn viewer_can_follows_the_role_and_the_state() {
    let app = TestApp::spawn().await;
    let mut archived = question_doc("archived", "ARCHIVED");
    archived["archived_at"] = json!("2026-01-01T00:00:00Z");
    app.import_json(json!([{
        "slug": "can-page", "title": "Can", "intro": "", "status": "LIVE",
        "categories": [{ "slug": "all", "title": "All", "questions": [
            question_doc("published", "PUBLISHED"),
            question_doc("draft", "DRAFT"),
            archived,
        ] }],
    }]))
    .await;

    // The public sees the published question and may do nothing.
    let anonymous = page(&app.anonymous()).await;
    assert_eq!(
        anonymous["viewerCan"],
        json!({ "edit": false, "publish": false, "changeSlug": false, "retire": false })
    );
    assert_eq!(question(&anonymous, "published"), [false; 7]);

    let editor = page(&app.signed_in(Role::Editor).await).await;
    assert_eq!(
        editor["viewerCan"],
        json!({ "edit": true, "publish": false, "changeSlug": false, "retire": false })
    );
    for slug in ["published", "draft", "archived"] {
        assert_eq!(
            question(&editor, slug),
            [true, false, false, false, false, false, false],
            "{slug}"
        );
    }

    let publisher = page(&app.signed_in(Role::Publisher).await).await;
    assert_eq!(
        publisher["viewerCan"],
        json!({ "edit": true, "publish": true, "changeSlug": false, "retire": false })
    );
    assert_eq!(
        question(&publisher, "published"),
        [true, true, true, true, false, false, true]
    );
    assert_eq!(
        question(&publisher, "draft"),
        [true, true, false, true, false, true, true]
    );
    assert_eq!(
        question(&publisher, "archived"),
        [true, false, false, false, true, true, false]
    );

    let admin = page(&app.signed_in(Role::Admin).await).await;
    assert_eq!(
        admin["viewerCan"],
        json!({ "edit": true, "publish": true, "changeSlug": true, "retire": true })
    );
    assert_eq!(
        question(&admin, "published"),
        question(&publisher, "published")
    );
}

#[tokio::test]
async fn a_draft_that_was_published_once_cannot_be_deleted() {
    let app = TestApp::spawn().await;
    app.import_json(json!([{
        "slug": "can-page", "title": "Can", "intro": "", "status": "LIVE",
        "categories": [{ "slug": "all", "title": "All", "questions": [question_doc("published", "PUBLISHED")] }],
    }]))
    .await;
    let publisher = app.signed_in(Role::Publisher).await;
    let before = publisher
        .query(
            "query { page(slug: \"can-page\", includeDrafts: true) { categories { questions { id version } } } }",
            json!({}),
        )
        .await;
    let q = &before["page"]["categories"][0]["questions"][0];
    let unpublished = publisher
        .query(
            "mutation($id: ID!, $version: Int!) { unpublishQuestion(id: $id, version: $version) {
               status viewerCan { delete archive } } }",
            json!({ "id": q["id"], "version": q["version"] }),
        )
        .await;
    assert_eq!(
        unpublished["unpublishQuestion"],
        json!({ "status": "DRAFT", "viewerCan": { "delete": false, "archive": true } })
    );
}

#[tokio::test]
async fn the_signed_in_user_is_told_what_their_role_allows() {
    let app = TestApp::spawn().await;
    let me = "query { me { can { editContent publish managePages manageUsers manageWebhooks } } }";
    let expected = [
        (Role::Editor, [true, false, false, false, false]),
        (Role::Publisher, [true, true, false, false, false]),
        (Role::Admin, [true, true, true, true, true]),
    ];
    for (role, [edit, publish, pages, users, webhooks]) in expected {
        let person = app.signed_in(role).await;
        assert_eq!(
            person.query(me, json!({})).await["me"]["can"],
            json!({
                "editContent": edit, "publish": publish, "managePages": pages,
                "manageUsers": users, "manageWebhooks": webhooks,
            }),
            "{role:?}"
        );
    }
}
