//! Roles over GraphQL: every mutation (and the admin-only queries) refuses
//! anonymous callers with UNAUTHENTICATED and every role below the one it
//! needs with FORBIDDEN, a refused request changes nothing, and the role it
//! needs is enough.

use qanda::domain::Role;
use serde_json::{json, Value};

use crate::helpers::{question_doc, Person, TestApp, PASSWORD};

const SAMPLE: &str = "local-digital-qa";

/// The roles below `needed`, each of which must be refused.
fn roles_below(needed: Role) -> &'static [Role] {
    match needed {
        Role::Editor => &[],
        Role::Publisher => &[Role::Editor],
        Role::Admin => &[Role::Editor, Role::Publisher],
    }
}

fn role_name(role: Role) -> &'static str {
    match role {
        Role::Editor => "editor",
        Role::Publisher => "publisher",
        Role::Admin => "admin",
    }
}

/// One row of the matrix: a request whose ids, versions and input are all
/// valid, so that the role is the only reason to refuse it.
struct Gate {
    what: &'static str,
    document: &'static str,
    variables: Value,
    needs: Role,
}

fn gate(what: &'static str, needs: Role, document: &'static str, variables: Value) -> Gate {
    Gate {
        what,
        document,
        variables,
        needs,
    }
}

/// Everything a refused request might touch, read by an admin: every page
/// (drafts included) with its categories and questions, every user, and
/// the size of the audit log.
const EVERYTHING: &str = "{
  pages(includeDrafts: true) {
    id slug title intro footer status version
    categories {
      id slug title position archived version
      questions { id slug question answer status version position publishedQuestion publishedAnswer }
    }
  }
  users { id email role disabled version }
  auditEvents { totalCount }
}";

async fn everything(admin: &Person) -> Value {
    admin.query(EVERYTHING, json!({})).await
}

/// A page with its ids and versions, as staff see it.
async fn page(admin: &Person, slug: &str) -> Value {
    admin
        .query(
            "query($slug: String!) { page(slug: $slug, includeDrafts: true) {
               id version title status
               categories { id slug version questions { id slug version question status } }
             } }",
            json!({ "slug": slug }),
        )
        .await["page"]
        .clone()
}

fn id(value: &Value) -> String {
    value["id"].as_str().expect("an id").to_owned()
}

fn category<'a>(page: &'a Value, slug: &str) -> &'a Value {
    page["categories"]
        .as_array()
        .expect("categories")
        .iter()
        .find(|c| c["slug"] == slug)
        .unwrap_or_else(|| panic!("no category {slug} in {page}"))
}

fn questions(page: &Value) -> Vec<Value> {
    page["categories"]
        .as_array()
        .expect("categories")
        .iter()
        .flat_map(|c| c["questions"].as_array().expect("questions").clone())
        .collect()
}

#[tokio::test]
async fn every_mutation_refuses_anonymous_and_the_role_below_it() {
    let app = TestApp::spawn().await;
    // Things some mutations need to act on: drafts never published, an
    // archived question, an archived category, an empty category, a draft
    // page to take live and another to give a new address.
    let mut archived = question_doc("archived", "ARCHIVED");
    archived["archived_at"] = json!("2026-01-01T00:00:00Z");
    app.import_json(json!([
        {
            "slug": "roles-extra", "title": "Extra", "intro": "", "status": "DRAFT",
            "categories": [
                { "slug": "drafts", "title": "Drafts", "questions": [
                    question_doc("draft-a", "DRAFT"),
                    question_doc("draft-b", "DRAFT"),
                    archived,
                ] },
                { "slug": "shelved", "title": "Shelved", "archived_at": "2026-01-01T00:00:00Z",
                  "questions": [question_doc("shelved-q", "PUBLISHED")] },
                { "slug": "empty", "title": "Empty", "questions": [] },
            ],
        },
        { "slug": "roles-address", "title": "Address", "intro": "", "status": "DRAFT", "categories": [] },
    ]))
    .await;

    let anonymous = app.anonymous();
    let editor = app.signed_in(Role::Editor).await;
    let publisher = app.signed_in(Role::Publisher).await;
    let admin = app.signed_in(Role::Admin).await;
    let person = |role: Role| match role {
        Role::Editor => &editor,
        Role::Publisher => &publisher,
        Role::Admin => &admin,
    };
    // Users for the admin mutations to act on, one each (all at version 1).
    let mut targets = Vec::new();
    for n in 1..=4 {
        targets.push(
            app.create_user(&format!("target-{n}@example.org"), Role::Editor)
                .await,
        );
    }

    let sample = page(&admin, SAMPLE).await;
    let extra = page(&admin, "roles-extra").await;
    let address = page(&admin, "roles-address").await;
    let categories = sample["categories"].as_array().expect("categories").clone();
    let sample_questions = questions(&sample);
    assert_eq!(categories.len(), 4, "{sample}");
    assert_eq!(sample_questions.len(), 7, "{sample}");
    assert!(sample_questions
        .iter()
        .all(|q| q["version"] == 1 && q["status"] == "PUBLISHED"));
    let c = |n: usize| id(&categories[n]);
    let q = |n: usize| id(&sample_questions[n]);
    let extra_question = |slug: &str| {
        id(questions(&extra)
            .iter()
            .find(|q| q["slug"] == slug)
            .expect("an imported question"))
    };
    let revision = admin
        .query(
            "query($id: ID!) { question(id: $id, includeDrafts: true) {
               revisions(first: 1) { edges { node { id } } } } }",
            json!({ "id": q(2) }),
        )
        .await["question"]["revisions"]["edges"][0]["node"]["id"]
        .clone();
    assert!(revision.is_string(), "the import recorded a revision");

    let gates = vec![
        // Editors and up.
        gate(
            "createQuestion",
            Role::Editor,
            "mutation($input: CreateQuestionInput!) { createQuestion(input: $input) { id } }",
            json!({ "input": { "categoryId": c(0), "question": "New?", "answer": "New." } }),
        ),
        gate(
            "updateQuestion",
            Role::Editor,
            "mutation($id: ID!, $v: Int!, $input: UpdateQuestionInput!) {
               updateQuestion(id: $id, version: $v, input: $input) { id version } }",
            json!({ "id": q(0), "v": 1, "input": { "question": "Changed?", "answer": "Changed." } }),
        ),
        gate(
            "moveQuestion",
            Role::Editor,
            "mutation($id: ID!, $v: Int!, $c: ID!, $p: Int!) {
               moveQuestion(id: $id, version: $v, categoryId: $c, position: $p) { id } }",
            json!({ "id": q(1), "v": 1, "c": c(3), "p": 1 }),
        ),
        gate(
            "restoreRevision",
            Role::Editor,
            "mutation($q: ID!, $v: Int!, $r: ID!) {
               restoreRevision(questionId: $q, version: $v, revisionId: $r) { id } }",
            json!({ "q": q(2), "v": 1, "r": revision }),
        ),
        gate(
            "createCategory",
            Role::Editor,
            "mutation($input: CreateCategoryInput!) { createCategory(input: $input) { id } }",
            json!({ "input": { "pageId": id(&sample), "title": "New category" } }),
        ),
        gate(
            "updateCategory",
            Role::Editor,
            "mutation($id: ID!, $v: Int!, $input: UpdateCategoryInput!) {
               updateCategory(id: $id, version: $v, input: $input) { id } }",
            json!({ "id": c(1), "v": 1, "input": { "title": "Renamed" } }),
        ),
        gate(
            "moveCategory",
            Role::Editor,
            "mutation($id: ID!, $v: Int!, $p: Int!) { moveCategory(id: $id, version: $v, position: $p) { id } }",
            json!({ "id": c(2), "v": 1, "p": 1 }),
        ),
        gate(
            "updatePage (title, intro, footer)",
            Role::Editor,
            "mutation($id: ID!, $v: Int!, $input: UpdatePageInput!) {
               updatePage(id: $id, version: $v, input: $input) { id } }",
            json!({ "id": id(&sample), "v": 1,
                    "input": { "title": "New title", "intro": "New intro", "footer": "New footer" } }),
        ),
        // Publishers and up.
        gate(
            "publishQuestion",
            Role::Publisher,
            "mutation($id: ID!, $v: Int!) { publishQuestion(id: $id, version: $v) { id } }",
            json!({ "id": extra_question("draft-a"), "v": 1 }),
        ),
        gate(
            "unpublishQuestion",
            Role::Publisher,
            "mutation($id: ID!, $v: Int!) { unpublishQuestion(id: $id, version: $v) { id } }",
            json!({ "id": q(3), "v": 1 }),
        ),
        gate(
            "archiveQuestion",
            Role::Publisher,
            "mutation($id: ID!, $v: Int!) { archiveQuestion(id: $id, version: $v) { id } }",
            json!({ "id": q(4), "v": 1 }),
        ),
        gate(
            "restoreQuestion",
            Role::Publisher,
            "mutation($id: ID!, $v: Int!) { restoreQuestion(id: $id, version: $v) { id } }",
            json!({ "id": extra_question("archived"), "v": 1 }),
        ),
        gate(
            "deleteQuestion",
            Role::Publisher,
            "mutation($id: ID!, $v: Int!) { deleteQuestion(id: $id, version: $v) { id } }",
            json!({ "id": extra_question("draft-b"), "v": 1 }),
        ),
        gate(
            "archiveCategory",
            Role::Publisher,
            "mutation($id: ID!, $v: Int!) { archiveCategory(id: $id, version: $v) { id } }",
            json!({ "id": c(3), "v": 1 }),
        ),
        gate(
            "restoreCategory",
            Role::Publisher,
            "mutation($id: ID!, $v: Int!) { restoreCategory(id: $id, version: $v) { id } }",
            json!({ "id": id(category(&extra, "shelved")), "v": 1 }),
        ),
        gate(
            "deleteCategory",
            Role::Publisher,
            "mutation($id: ID!, $v: Int!) { deleteCategory(id: $id, version: $v) { id } }",
            json!({ "id": id(category(&extra, "empty")), "v": 1 }),
        ),
        gate(
            "updatePage (status)",
            Role::Publisher,
            "mutation($id: ID!, $v: Int!, $input: UpdatePageInput!) {
               updatePage(id: $id, version: $v, input: $input) { id } }",
            json!({ "id": id(&extra), "v": 1, "input": { "status": "LIVE" } }),
        ),
        // Admins only.
        gate(
            "createPage",
            Role::Admin,
            "mutation($input: CreatePageInput!) { createPage(input: $input) { id } }",
            json!({ "input": { "title": "A new page", "slug": "roles-new" } }),
        ),
        gate(
            "updatePage (slug)",
            Role::Admin,
            "mutation($id: ID!, $v: Int!, $input: UpdatePageInput!) {
               updatePage(id: $id, version: $v, input: $input) { id } }",
            json!({ "id": id(&address), "v": 1, "input": { "slug": "roles-moved" } }),
        ),
        gate(
            "createUser",
            Role::Admin,
            "mutation($input: CreateUserInput!) { createUser(input: $input) { id } }",
            json!({ "input": { "email": "new-staff@example.org", "displayName": "New staff",
                               "role": "EDITOR", "password": PASSWORD } }),
        ),
        gate(
            "disableUser",
            Role::Admin,
            "mutation($id: ID!, $v: Int!) { disableUser(id: $id, version: $v) { id } }",
            json!({ "id": targets[0], "v": 1 }),
        ),
        gate(
            "enableUser",
            Role::Admin,
            "mutation($id: ID!, $v: Int!) { enableUser(id: $id, version: $v) { id } }",
            json!({ "id": targets[1], "v": 1 }),
        ),
        gate(
            "setUserRole",
            Role::Admin,
            "mutation($id: ID!, $v: Int!) { setUserRole(id: $id, version: $v, role: PUBLISHER) { id } }",
            json!({ "id": targets[2], "v": 1 }),
        ),
        gate(
            "resetUserPassword",
            Role::Admin,
            "mutation($id: ID!, $v: Int!, $p: String!) {
               resetUserPassword(id: $id, version: $v, password: $p) { id } }",
            json!({ "id": targets[3], "v": 1, "p": "a different long password" }),
        ),
        // The staff-only queries, too.
        gate(
            "renderMarkdown",
            Role::Editor,
            "query($m: String!) { renderMarkdown(markdown: $m) }",
            json!({ "m": "*preview*" }),
        ),
        gate("users", Role::Admin, "{ users { id } }", json!({})),
        gate(
            "auditEvents",
            Role::Admin,
            "{ auditEvents { totalCount } }",
            json!({}),
        ),
    ];

    let before = everything(&admin).await;

    // Refused: anonymous callers, then every role below the one needed.
    for gate in &gates {
        let error = anonymous
            .expect_error(gate.document, gate.variables.clone(), "UNAUTHENTICATED")
            .await;
        assert_eq!(
            error["path"][0],
            gate.what.split(' ').next().unwrap(),
            "{error}"
        );
        for &role in roles_below(gate.needs) {
            let (status, body) = person(role)
                .post_graphql(gate.document, gate.variables.clone())
                .await;
            assert_eq!(status, 200, "{}: {body}", gate.what);
            let code = &body["errors"][0]["extensions"]["code"];
            assert_eq!(
                code, "FORBIDDEN",
                "{} as {role:?} must be FORBIDDEN: {body}",
                gate.what
            );
            let message = body["errors"][0]["message"].as_str().unwrap_or_default();
            assert!(
                message.contains(role_name(gate.needs)),
                "{} as {role:?}: the refusal names the {} role: {body}",
                gate.what,
                role_name(gate.needs)
            );
        }
    }
    // changePassword needs no role, but it does need someone signed in.
    anonymous
        .expect_error(
            "mutation($c: String!, $n: String!) { changePassword(currentPassword: $c, newPassword: $n) { id } }",
            json!({ "c": PASSWORD, "n": "a brand new long password" }),
            "UNAUTHENTICATED",
        )
        .await;

    // Nothing the refused requests aimed at changed, and none was logged as done.
    let after = everything(&admin).await;
    assert_eq!(after, before, "refused requests changed nothing");
    let sample_after = page(&admin, SAMPLE).await;
    assert_eq!(sample_after, sample);
    assert_eq!(
        questions(&sample_after)[0]["question"],
        sample_questions[0]["question"]
    );
    assert_eq!(
        after["pages"].as_array().unwrap().len(),
        3,
        "no page was created"
    );

    // The very same requests succeed for the role each one needs.
    for gate in &gates {
        let (status, body) = person(gate.needs)
            .post_graphql(gate.document, gate.variables.clone())
            .await;
        assert_eq!(status, 200, "{}: {body}", gate.what);
        assert!(
            body.get("errors").is_none(),
            "{} as {:?} must succeed: {body}",
            gate.what,
            gate.needs
        );
    }
    // A representative of each level really took effect.
    let edited = questions(&page(&admin, SAMPLE).await)
        .into_iter()
        .find(|question| question["id"] == q(0))
        .expect("the edited question");
    assert_eq!(edited["question"], "Changed?");
    assert_eq!(edited["version"], 2);
    let extra_after = page(&admin, "roles-extra").await;
    assert_eq!(extra_after["status"], "LIVE");
    let published = questions(&extra_after)
        .into_iter()
        .find(|q| q["slug"] == "draft-a")
        .expect("draft-a");
    assert_eq!(published["status"], "PUBLISHED");
    let created = admin
        .query(
            r#"{ page(slug: "roles-new", includeDrafts: true) { title status } }"#,
            json!({}),
        )
        .await;
    assert_eq!(
        created["page"],
        json!({ "title": "A new page", "status": "DRAFT" })
    );

    // And changing one's own password needs no particular role.
    editor
        .query(
            "mutation($c: String!, $n: String!) { changePassword(currentPassword: $c, newPassword: $n) { id } }",
            json!({ "c": PASSWORD, "n": "a brand new long password" }),
        )
        .await;
}

const UPDATE_PAGE: &str = "mutation($id: ID!, $v: Int!, $input: UpdatePageInput!) {
  updatePage(id: $id, version: $v, input: $input) { version title intro status }
}";

/// updatePage is gated field by field: one field above the caller's role
/// refuses the whole request, including the fields they may change.
#[tokio::test]
async fn update_page_is_refused_whole_when_any_field_needs_a_higher_role() {
    let app = TestApp::spawn().await;
    let editor = app.signed_in(Role::Editor).await;
    let publisher = app.signed_in(Role::Publisher).await;
    let admin = app.signed_in(Role::Admin).await;
    let before = page(&admin, SAMPLE).await;
    let page_id = id(&before);
    let attempt = |input: Value| json!({ "id": page_id, "v": 1, "input": input });

    let refusals = [
        (
            &editor,
            json!({ "title": "Mine", "status": "DRAFT" }),
            "publisher",
        ),
        (&editor, json!({ "intro": "Mine", "slug": "mine" }), "admin"),
        (
            &publisher,
            json!({ "title": "Mine", "slug": "mine" }),
            "admin",
        ),
        (
            &publisher,
            json!({ "status": "DRAFT", "slug": "mine" }),
            "admin",
        ),
    ];
    for (person, input, needed) in refusals {
        let error = person
            .expect_error(UPDATE_PAGE, attempt(input.clone()), "FORBIDDEN")
            .await;
        let message = error["message"].as_str().unwrap_or_default();
        assert!(message.contains(needed), "{input} needs {needed}: {error}");
    }
    app.anonymous()
        .expect_error(
            UPDATE_PAGE,
            attempt(json!({ "title": "Mine" })),
            "UNAUTHENTICATED",
        )
        .await;
    assert_eq!(page(&admin, SAMPLE).await, before, "the page is unchanged");
    assert!(admin
        .query(
            r#"{ page(slug: "mine", includeDrafts: true) { id } }"#,
            json!({})
        )
        .await["page"]
        .is_null());

    // Each role may change the fields at its level.
    let text = editor
        .query(UPDATE_PAGE, attempt(json!({ "title": "Editor's title" })))
        .await;
    assert_eq!(text["updatePage"]["version"], 2);
    assert_eq!(text["updatePage"]["title"], "Editor's title");
    let status = publisher
        .query(
            UPDATE_PAGE,
            json!({ "id": page_id, "v": 2, "input": { "title": "Publisher's", "status": "DRAFT" } }),
        )
        .await;
    assert_eq!(status["updatePage"]["status"], "DRAFT");
    assert_eq!(status["updatePage"]["title"], "Publisher's");
    admin
        .query(
            UPDATE_PAGE,
            json!({ "id": page_id, "v": 3, "input": { "slug": "mine", "status": "LIVE" } }),
        )
        .await;
    let moved = page(&admin, "mine").await;
    assert_eq!(moved["id"], page_id);
    assert_eq!(moved["version"], 4);
}

/// The role is read from the database on every request, so a change an
/// admin makes applies to a session that is already signed in.
#[tokio::test]
async fn a_changed_role_applies_to_the_next_request() {
    let app = TestApp::spawn().await;
    let admin = app.signed_in(Role::Admin).await;
    let staff = app.signed_in(Role::Publisher).await;
    let staff_id = staff.user_id.clone().expect("signed in");
    let sample = page(&admin, SAMPLE).await;
    let first = questions(&sample)[0].clone();
    let unpublish = "mutation($id: ID!, $v: Int!) { unpublishQuestion(id: $id, version: $v) { status version } }";
    let set_role = "mutation($id: ID!, $v: Int!, $r: Role!) { setUserRole(id: $id, version: $v, role: $r) { role version } }";

    // Demoted to editor: publishing work is refused at once.
    let demoted = admin
        .query(set_role, json!({ "id": staff_id, "v": 1, "r": "EDITOR" }))
        .await;
    assert_eq!(demoted["setUserRole"]["role"], "EDITOR");
    staff
        .expect_error(unpublish, json!({ "id": first["id"], "v": 1 }), "FORBIDDEN")
        .await;
    staff
        .expect_error("{ users { id } }", json!({}), "FORBIDDEN")
        .await;
    assert_eq!(questions(&page(&admin, SAMPLE).await)[0], first);

    // Promoted to admin: both the publisher's and the admin's work is allowed.
    admin
        .query(set_role, json!({ "id": staff_id, "v": 2, "r": "ADMIN" }))
        .await;
    let unpublished = staff
        .query(unpublish, json!({ "id": first["id"], "v": 1 }))
        .await;
    assert_eq!(unpublished["unpublishQuestion"]["status"], "DRAFT");
    let users = staff.query("{ users { id } }", json!({})).await;
    assert_eq!(users["users"].as_array().unwrap().len(), 2);
}
