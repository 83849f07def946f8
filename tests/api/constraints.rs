//! Unique constraints meet a client's input: each is a field error on the
//! field it concerns, recognised by the constraint's name on either engine,
//! and the refused write changes nothing.

use qanda::domain::Role;
use serde_json::json;

use crate::helpers::{TestApp, PASSWORD};

#[tokio::test]
async fn each_unique_constraint_is_a_field_error_on_its_field() {
    let app = TestApp::spawn().await;
    let admin = app.signed_in(Role::Admin).await;
    let tree = admin
        .query(
            "{ page(slug: \"local-digital-qa\", includeDrafts: true) {
                 id categories { id slug questions { id slug version } } } }",
            json!({}),
        )
        .await["page"]
        .clone();
    let first = &tree["categories"][0];
    let (one, two) = (&first["questions"][0], &first["questions"][1]);
    let cases = [
        (
            "mutation($i: CreatePageInput!) { createPage(input: $i) { id } }",
            json!({ "i": { "title": "Again", "slug": "local-digital-qa" } }),
            "slug",
        ),
        (
            "mutation($i: CreateCategoryInput!) { createCategory(input: $i) { id } }",
            json!({ "i": { "pageId": tree["id"], "title": "Again", "slug": first["slug"] } }),
            "slug",
        ),
        (
            "mutation($id: ID!, $v: Int!, $i: UpdateQuestionInput!) {
               updateQuestion(id: $id, version: $v, input: $i) { id } }",
            json!({ "id": two["id"], "v": two["version"], "i": { "slug": one["slug"] } }),
            "slug",
        ),
        (
            "mutation($i: CreateUserInput!) { createUser(input: $i) { id } }",
            json!({ "i": { "email": admin.email, "displayName": "Twin",
                           "role": "EDITOR", "password": PASSWORD } }),
            "email",
        ),
    ];
    for (query, variables, field) in cases {
        let error = admin.expect_error(query, variables, "BAD_USER_INPUT").await;
        assert_eq!(error["extensions"]["fields"][0]["field"], field, "{error}");
    }
    let after = admin
        .query(
            "{ page(slug: \"local-digital-qa\", includeDrafts: true) {
                 id categories { id slug questions { id slug version } } } }",
            json!({}),
        )
        .await["page"]
        .clone();
    assert_eq!(after, tree, "the refused writes changed nothing");
}
