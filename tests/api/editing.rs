//! Editing over GraphQL: drafts and live text, optimistic concurrency,
//! versions, revisions and diffs, the publishing workflow, ordering,
//! validation, and the audit log.

use futures::future::join_all;
use qanda::domain::Role;
use serde_json::{json, Value};

use crate::helpers::{Person, TestApp, PASSWORD};

const SAMPLE: &str = "local-digital-qa";
const ROADSHOWS: &str = "Will you be holding any more roadshows?";

/// Every field a test looks at, for mutations and reads alike.
const QUESTION_FIELDS: &str = "fragment Q on Question {
  id slug question answer status version position hasUnpublishedChanges
  publishedQuestion publishedAnswer category { id }
}";

const PAGE: &str = "query Page($slug: String!, $drafts: Boolean!) {
  page(slug: $slug, includeDrafts: $drafts) {
    id slug title status version
    categories { id slug title position archived version questions { ...Q } }
  }
}";

const QUESTION: &str = "query Question($id: ID!, $drafts: Boolean!) {
  question(id: $id, includeDrafts: $drafts) { ...Q }
}";

const UPDATE: &str = "mutation Update($id: ID!, $v: Int!, $input: UpdateQuestionInput!) {
  updateQuestion(id: $id, version: $v, input: $input) { ...Q }
}";

const CREATE: &str = "mutation Create($input: CreateQuestionInput!) {
  createQuestion(input: $input) { ...Q }
}";

const MOVE: &str = "mutation Move($id: ID!, $v: Int!, $c: ID!, $p: Int!) {
  moveQuestion(id: $id, version: $v, categoryId: $c, position: $p) { ...Q }
}";

const RESTORE_REVISION: &str = "mutation Restore($q: ID!, $v: Int!, $r: ID!) {
  restoreRevision(questionId: $q, version: $v, revisionId: $r) { ...Q }
}";

const CATEGORY_FIELDS: &str = "id slug title position archived version";

const REVISIONS: &str = "query Revisions($id: ID!, $first: Int, $after: String) {
  question(id: $id, includeDrafts: true) {
    revisions(first: $first, after: $after) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { cursor node { id version note author { email } question answer } }
    }
  }
}";

const DIFF: &str = "query Diff($id: ID!, $from: ID!, $to: ID!) {
  question(id: $id, includeDrafts: true) {
    diff(fromRevisionId: $from, toRevisionId: $to) {
      question { kind text }
      answer { kind text }
    }
  }
}";

const AUDIT: &str =
    "query Audit($first: Int, $after: String, $action: String, $actor: ID, $since: DateTime) {
  auditEvents(first: $first, after: $after, action: $action, actorId: $actor, since: $since) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { node { id action actor { email } targetType targetId } }
  }
}";

/// A query or mutation with the question fragment appended.
fn q(operation: &str) -> String {
    format!("{operation}\n{QUESTION_FIELDS}")
}

/// The page as this person sees it.
async fn page_as(person: &Person, drafts: bool) -> Value {
    person
        .query(&q(PAGE), json!({ "slug": SAMPLE, "drafts": drafts }))
        .await["page"]
        .clone()
}

/// Publishes the sample page's working copy (its categories' order, where
/// its questions stand), as a publisher does.
async fn publish_sample_page(publisher: &Person) {
    let page = page_as(publisher, true).await;
    publisher
        .query(
            "mutation($id: ID!, $v: Int!) { publishPage(id: $id, version: $v) { version } }",
            json!({ "id": page["id"], "v": page["version"] }),
        )
        .await;
}

/// One question as this person sees it (null when they may not see it).
async fn question_as(person: &Person, id: &str, drafts: bool) -> Value {
    person
        .query(&q(QUESTION), json!({ "id": id, "drafts": drafts }))
        .await["question"]
        .clone()
}

fn categories(page: &Value) -> &Vec<Value> {
    page["categories"].as_array().expect("categories")
}

fn questions(category: &Value) -> &Vec<Value> {
    category["questions"].as_array().expect("questions")
}

fn all_questions(page: &Value) -> Vec<Value> {
    categories(page)
        .iter()
        .flat_map(|c| questions(c).iter().cloned())
        .collect()
}

fn find_in_page(page: &Value, id: &str) -> Option<Value> {
    all_questions(page).into_iter().find(|q| q["id"] == id)
}

fn strings(list: &[Value], key: &str) -> Vec<String> {
    list.iter()
        .map(|item| item[key].as_str().expect("a string").to_owned())
        .collect()
}

fn ints(list: &[Value], key: &str) -> Vec<i64> {
    list.iter()
        .map(|item| item[key].as_i64().expect("an integer"))
        .collect()
}

fn id_of(value: &Value) -> String {
    value["id"].as_str().expect("an id").to_owned()
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

/// The sample page as the public sees it.
async fn sample(app: &TestApp) -> Value {
    page_as(&app.anonymous(), false).await
}

/// A publish/unpublish/archive/restore/delete style mutation: (id, version).
async fn act(person: &Person, mutation: &str, id: &str, version: i64) -> Value {
    let query = q(&format!(
        "mutation Act($id: ID!, $v: Int!) {{ {mutation}(id: $id, version: $v) {{ ...Q }} }}"
    ));
    person
        .query(&query, json!({ "id": id, "v": version }))
        .await[mutation]
        .clone()
}

async fn act_error(person: &Person, mutation: &str, id: &str, version: i64, code: &str) -> Value {
    let query = q(&format!(
        "mutation Act($id: ID!, $v: Int!) {{ {mutation}(id: $id, version: $v) {{ ...Q }} }}"
    ));
    person
        .expect_error(&query, json!({ "id": id, "v": version }), code)
        .await
}

async fn update(person: &Person, id: &str, version: i64, input: Value) -> Value {
    person
        .query(
            &q(UPDATE),
            json!({ "id": id, "v": version, "input": input }),
        )
        .await["updateQuestion"]
        .clone()
}

async fn revisions(person: &Person, id: &str, first: i64, after: Option<&str>) -> Value {
    person
        .query(
            REVISIONS,
            json!({ "id": id, "first": first, "after": after }),
        )
        .await["question"]["revisions"]
        .clone()
}

async fn category_action(person: &Person, mutation: &str, id: &str, version: i64) -> Value {
    let query = format!(
        "mutation Act($id: ID!, $v: Int!) {{ {mutation}(id: $id, version: $v) {{ {CATEGORY_FIELDS} }} }}"
    );
    person
        .query(&query, json!({ "id": id, "v": version }))
        .await[mutation]
        .clone()
}

async fn move_category(person: &Person, id: &str, version: i64, position: i64) -> Value {
    let query = format!(
        "mutation Move($id: ID!, $v: Int!, $p: Int!) {{ moveCategory(id: $id, version: $v, position: $p) {{ {CATEGORY_FIELDS} }} }}"
    );
    person
        .query(&query, json!({ "id": id, "v": version, "p": position }))
        .await["moveCategory"]
        .clone()
}

const MOVE_CATEGORY_ERROR: &str =
    "mutation Move($id: ID!, $v: Int!, $p: Int!) { moveCategory(id: $id, version: $v, position: $p) { id } }";

const UPDATE_CATEGORY: &str = "mutation($id: ID!, $v: Int!, $input: UpdateCategoryInput!) {
  updateCategory(id: $id, version: $v, input: $input) { id slug title position archived version }
}";

const CREATE_CATEGORY: &str = "mutation($input: CreateCategoryInput!) {
  createCategory(input: $input) { id slug title position archived version }
}";

#[tokio::test]
async fn drafts_and_the_live_text_are_separate_until_published() {
    let app = TestApp::spawn().await;
    let editor = app.signed_in(Role::Editor).await;
    let publisher = app.signed_in(Role::Publisher).await;
    let public = app.anonymous();

    let page = sample(&app).await;
    let original = questions(&categories(&page)[1])[1].clone();
    assert_eq!(original["question"], ROADSHOWS);
    assert_eq!(original["version"], 1);
    assert_eq!(original["hasUnpublishedChanges"], false);
    let id = id_of(&original);
    let old_answer = original["answer"].as_str().unwrap().to_owned();

    let new_question = "Will there be two more roadshows this year?";
    let new_answer = "Yes: one in spring and one in autumn.";
    let edited = update(
        &editor,
        &id,
        1,
        json!({ "question": new_question, "answer": new_answer }),
    )
    .await;
    assert_eq!(edited["version"], 2);
    assert_eq!(edited["question"], new_question);
    assert_eq!(edited["answer"], new_answer);
    assert_eq!(edited["status"], "PUBLISHED");
    assert_eq!(edited["hasUnpublishedChanges"], true);
    assert_eq!(edited["publishedQuestion"], ROADSHOWS);
    assert_eq!(edited["publishedAnswer"], old_answer.as_str());

    // The public still sees the published text, on the page and by id,
    // and asking for drafts changes nothing for them.
    for drafts in [false, true] {
        let on_page = find_in_page(&page_as(&public, drafts).await, &id).expect("still public");
        assert_eq!(on_page["question"], ROADSHOWS, "includeDrafts: {drafts}");
        assert_eq!(on_page["answer"], old_answer.as_str());
        let by_id = question_as(&public, &id, drafts).await;
        assert_eq!(by_id["question"], ROADSHOWS, "includeDrafts: {drafts}");
        assert_eq!(by_id["answer"], old_answer.as_str());
        assert_eq!(
            by_id["hasUnpublishedChanges"], false,
            "the public is not told of pending edits"
        );
    }
    let (_, body) = app
        .post_graphql(&q(QUESTION), json!({ "id": id, "drafts": true }))
        .await;
    assert_eq!(body["data"]["question"]["question"], ROADSHOWS, "{body}");

    // Staff see the working copy when they ask for it, and the live text when they do not.
    let staff_view = question_as(&editor, &id, true).await;
    assert_eq!(staff_view["question"], new_question);
    assert_eq!(staff_view["answer"], new_answer);
    assert_eq!(staff_view["hasUnpublishedChanges"], true);
    let on_staff_page = find_in_page(&page_as(&editor, true).await, &id).unwrap();
    assert_eq!(on_staff_page["question"], new_question);
    assert_eq!(on_staff_page["hasUnpublishedChanges"], true);
    assert_eq!(
        question_as(&editor, &id, false).await["question"],
        ROADSHOWS
    );

    // Editors may not publish; publishers may.
    act_error(&editor, "publishQuestion", &id, 2, "FORBIDDEN").await;
    assert_eq!(
        question_as(&public, &id, false).await["question"],
        ROADSHOWS
    );
    let published = act(&publisher, "publishQuestion", &id, 2).await;
    assert_eq!(published["version"], 3);
    assert_eq!(published["status"], "PUBLISHED");
    assert_eq!(published["hasUnpublishedChanges"], false);
    assert_eq!(published["publishedQuestion"], new_question);

    let on_page = find_in_page(&page_as(&public, false).await, &id).unwrap();
    assert_eq!(on_page["question"], new_question);
    assert_eq!(on_page["answer"], new_answer);
    let by_id = question_as(&public, &id, false).await;
    assert_eq!(by_id["question"], new_question);
    assert_eq!(by_id["hasUnpublishedChanges"], false);
    assert_eq!(
        question_as(&editor, &id, true).await["hasUnpublishedChanges"],
        false
    );

    // A new draft, an archived question and an archived category: staff see
    // them with includeDrafts, the public never does.
    let first_category = id_of(&categories(&page)[0]);
    let draft = editor
        .query(
            &q(CREATE),
            json!({ "input": {
                "categoryId": first_category,
                "question": "A draft nobody may read yet?",
                "answer": "Not yet."
            } }),
        )
        .await["createQuestion"]
        .clone();
    assert_eq!(draft["status"], "DRAFT");
    assert_eq!(draft["version"], 1);
    assert_eq!(draft["position"], 3);
    assert_eq!(draft["hasUnpublishedChanges"], false);
    assert!(draft["publishedQuestion"].is_null());
    let draft_id = id_of(&draft);

    let fund = questions(&categories(&page)[2])[0].clone();
    let archived = act(&publisher, "archiveQuestion", &id_of(&fund), 1).await;
    assert_eq!(archived["status"], "ARCHIVED");
    let leadership = categories(&page)[3].clone();
    let archived_category =
        category_action(&publisher, "archiveCategory", &id_of(&leadership), 1).await;
    assert_eq!(archived_category["archived"], true);
    assert_eq!(archived_category["version"], 2);

    for reader in [&public, &editor] {
        for drafts in [false, true] {
            let staff = std::ptr::eq(reader, &editor) && drafts;
            let seen = page_as(reader, drafts).await;
            let ids = strings(&all_questions(&seen), "id");
            assert_eq!(ids.contains(&draft_id), staff, "draft, drafts={drafts}");
            assert_eq!(
                ids.contains(&id_of(&fund)),
                staff,
                "archived, drafts={drafts}"
            );
            assert_eq!(
                strings(categories(&seen), "id").contains(&id_of(&leadership)),
                staff,
                "archived category, drafts={drafts}"
            );
            assert_eq!(
                !question_as(reader, &draft_id, drafts).await.is_null(),
                staff
            );
            assert_eq!(
                !question_as(reader, &id_of(&fund), drafts).await.is_null(),
                staff
            );
            if staff {
                let found = find_in_page(&seen, &draft_id).unwrap();
                assert_eq!(found["status"], "DRAFT");
                assert_eq!(
                    find_in_page(&seen, &id_of(&fund)).unwrap()["status"],
                    "ARCHIVED"
                );
                let category = categories(&seen)
                    .iter()
                    .find(|c| c["id"] == id_of(&leadership))
                    .unwrap();
                assert_eq!(category["archived"], true);
                assert_eq!(questions(category).len(), 1);
            }
        }
    }
    // The app's own client, never signed in, gets the same answer.
    let (_, body) = app
        .post_graphql(&q(QUESTION), json!({ "id": draft_id, "drafts": true }))
        .await;
    assert!(body["data"]["question"].is_null(), "{body}");
}

#[tokio::test]
async fn a_stale_version_is_refused_with_conflict_and_changes_nothing() {
    let app = TestApp::spawn().await;
    let editor = app.signed_in(Role::Editor).await;
    let other_editor = app.signed_in(Role::Editor).await;
    let publisher = app.signed_in(Role::Publisher).await;
    let page = sample(&app).await;
    let id = id_of(&questions(&categories(&page)[1])[1]);

    let first = update(&editor, &id, 1, json!({ "question": "First save wins?" })).await;
    assert_eq!(first["version"], 2);

    // Someone who opened version 1 tries to save over it.
    let error = other_editor
        .expect_error(
            &q(UPDATE),
            json!({ "id": id, "v": 1, "input": { "question": "Second save loses?" } }),
            "CONFLICT",
        )
        .await;
    assert_eq!(error["extensions"]["currentVersion"], 2, "{error}");
    // A version from the future is as stale as one from the past.
    let error = other_editor
        .expect_error(
            &q(UPDATE),
            json!({ "id": id, "v": 7, "input": { "answer": "From the future." } }),
            "CONFLICT",
        )
        .await;
    assert_eq!(error["extensions"]["currentVersion"], 2, "{error}");
    let error = act_error(&publisher, "publishQuestion", &id, 1, "CONFLICT").await;
    assert_eq!(error["extensions"]["currentVersion"], 2);
    let error = act_error(&publisher, "archiveQuestion", &id, 1, "CONFLICT").await;
    assert_eq!(error["extensions"]["currentVersion"], 2);
    let category = id_of(&categories(&page)[1]);
    let error = other_editor
        .expect_error(
            &q(MOVE),
            json!({ "id": id, "v": 1, "c": category, "p": 1 }),
            "CONFLICT",
        )
        .await;
    assert_eq!(error["extensions"]["currentVersion"], 2);

    let stored = question_as(&editor, &id, true).await;
    assert_eq!(stored["version"], 2);
    assert_eq!(stored["question"], "First save wins?");
    assert_eq!(stored["status"], "PUBLISHED");
    assert_eq!(stored["position"], 2);
    assert_eq!(stored["hasUnpublishedChanges"], true);
    assert_eq!(
        question_as(&app.anonymous(), &id, false).await["question"],
        ROADSHOWS
    );
    // Only the import and the one save left revisions.
    assert_eq!(revisions(&editor, &id, 10, None).await["totalCount"], 2);

    // Categories are guarded the same way.
    let renamed = editor
        .query(
            UPDATE_CATEGORY,
            json!({ "id": category, "v": 1, "input": { "title": "Renamed" } }),
        )
        .await["updateCategory"]
        .clone();
    assert_eq!(renamed["version"], 2);
    let error = other_editor
        .expect_error(
            UPDATE_CATEGORY,
            json!({ "id": category, "v": 1, "input": { "title": "Renamed again" } }),
            "CONFLICT",
        )
        .await;
    assert_eq!(error["extensions"]["currentVersion"], 2);
    let error = other_editor
        .expect_error(
            MOVE_CATEGORY_ERROR,
            json!({ "id": category, "v": 1, "p": 1 }),
            "CONFLICT",
        )
        .await;
    assert_eq!(error["extensions"]["currentVersion"], 2);
    let after = page_as(&editor, true).await;
    let stored = &categories(&after)[1];
    assert_eq!(stored["title"], "Renamed");
    assert_eq!(stored["version"], 2);
    assert_eq!(stored["position"], 2);
}

#[tokio::test]
async fn of_twenty_concurrent_saves_from_one_version_exactly_one_wins() {
    let app = TestApp::spawn().await;
    let editors = [
        app.signed_in(Role::Editor).await,
        app.signed_in(Role::Editor).await,
        app.signed_in(Role::Publisher).await,
        app.signed_in(Role::Admin).await,
    ];
    let page = sample(&app).await;
    let id = id_of(&questions(&categories(&page)[1])[1]);

    let query = q(UPDATE);
    let attempts = (0..20).map(|n| {
        let editor = &editors[n % editors.len()];
        let text = format!("Concurrent edit number {n}?");
        let query = query.as_str();
        let id = id.as_str();
        async move {
            let (status, body) = editor
                .post_graphql(
                    query,
                    json!({ "id": id, "v": 1, "input": { "question": text, "note": format!("edit {n}") } }),
                )
                .await;
            (n, status, body)
        }
    });
    let results = join_all(attempts).await;

    let mut winners = Vec::new();
    for (n, status, body) in &results {
        assert_eq!(*status, 200, "{body}");
        if body.get("errors").is_none() {
            let saved = &body["data"]["updateQuestion"];
            assert_eq!(saved["version"], 2, "{body}");
            assert_eq!(saved["question"], format!("Concurrent edit number {n}?"));
            winners.push(*n);
        } else {
            let error = &body["errors"][0];
            assert_eq!(error["extensions"]["code"], "CONFLICT", "{body}");
            assert_eq!(error["extensions"]["currentVersion"], 2, "{body}");
            assert!(body["data"].is_null(), "{body}");
        }
    }
    assert_eq!(winners.len(), 1, "exactly one save wins: {results:?}");
    let winner = winners[0];

    let stored = question_as(&editors[0], &id, true).await;
    assert_eq!(stored["version"], 2);
    assert_eq!(
        stored["question"],
        format!("Concurrent edit number {winner}?")
    );
    let history = revisions(&editors[0], &id, 50, None).await;
    assert_eq!(history["totalCount"], 2, "one revision per save: {history}");
    let latest = &history["edges"][0]["node"];
    assert_eq!(latest["version"], 2);
    assert_eq!(latest["note"], format!("edit {winner}"));
    assert_eq!(
        latest["question"],
        format!("Concurrent edit number {winner}?")
    );
    assert_eq!(
        latest["author"]["email"],
        editors[winner % editors.len()].email
    );
    // The public still sees the published text.
    assert_eq!(
        question_as(&app.anonymous(), &id, false).await["question"],
        ROADSHOWS
    );
}

#[tokio::test]
async fn every_change_returns_the_object_with_its_version_one_higher() {
    let app = TestApp::spawn().await;
    let editor = app.signed_in(Role::Editor).await;
    let publisher = app.signed_in(Role::Publisher).await;
    let admin = app.signed_in(Role::Admin).await;
    let page = sample(&app).await;
    let team = categories(&page)[1].clone();
    let declaration = categories(&page)[0].clone();
    let id = id_of(&questions(&team)[1]);

    let saved = update(&editor, &id, 1, json!({ "answer": "A new answer." })).await;
    assert_eq!(
        (saved["id"].as_str(), saved["version"].as_i64()),
        (Some(id.as_str()), Some(2))
    );
    assert_eq!(saved["answer"], "A new answer.");
    let saved = update(&editor, &id, 2, json!({ "slug": "roadshows" })).await;
    assert_eq!(saved["version"], 3);
    assert_eq!(saved["slug"], "roadshows");

    let moved = editor
        .query(
            &q(MOVE),
            json!({ "id": id, "v": 3, "c": id_of(&team), "p": 1 }),
        )
        .await["moveQuestion"]
        .clone();
    assert_eq!(moved["version"], 4);
    assert_eq!(moved["position"], 1);

    let published = act(&publisher, "publishQuestion", &id, 4).await;
    assert_eq!(published["version"], 5);
    assert_eq!(published["publishedAnswer"], "A new answer.");
    let unpublished = act(&publisher, "unpublishQuestion", &id, 5).await;
    assert_eq!(unpublished["version"], 6);
    assert_eq!(unpublished["status"], "DRAFT");
    let archived = act(&publisher, "archiveQuestion", &id, 6).await;
    assert_eq!(archived["version"], 7);
    assert_eq!(archived["status"], "ARCHIVED");
    let restored = act(&publisher, "restoreQuestion", &id, 7).await;
    assert_eq!(restored["version"], 8);
    assert_eq!(restored["status"], "DRAFT");
    let history = revisions(&editor, &id, 1, None).await;
    let first_revision = {
        let all = revisions(&editor, &id, 100, None).await;
        let edges = all["edges"].as_array().unwrap().clone();
        edges.last().unwrap()["node"]["id"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    assert_eq!(history["edges"][0]["node"]["version"], 8);
    let back = editor
        .query(
            &q(RESTORE_REVISION),
            json!({ "q": id, "v": 8, "r": first_revision }),
        )
        .await["restoreRevision"]
        .clone();
    assert_eq!(back["version"], 9);
    assert_eq!(back["question"], ROADSHOWS);
    assert_eq!(question_as(&editor, &id, true).await["version"], 9);

    // A new question starts at version 1.
    let created = editor
        .query(
            &q(CREATE),
            json!({ "input": { "categoryId": id_of(&declaration), "question": "New?", "answer": "Yes." } }),
        )
        .await["createQuestion"]
        .clone();
    assert_eq!(created["version"], 1);
    assert_eq!(created["slug"], "new");
    let created = update(
        &editor,
        &id_of(&created),
        1,
        json!({ "question": "Newer?" }),
    )
    .await;
    assert_eq!(created["version"], 2);

    // Categories.
    let category = id_of(&declaration);
    let renamed = editor
        .query(
            UPDATE_CATEGORY,
            json!({ "id": category, "v": 1, "input": { "title": "The Declaration" } }),
        )
        .await["updateCategory"]
        .clone();
    assert_eq!(renamed["version"], 2);
    assert_eq!(renamed["title"], "The Declaration");
    let moved = move_category(&editor, &category, 2, 3).await;
    assert_eq!(moved["version"], 3);
    assert_eq!(moved["position"], 3);
    let archived = category_action(&publisher, "archiveCategory", &category, 3).await;
    assert_eq!(archived["version"], 4);
    assert_eq!(archived["archived"], true);
    let restored = category_action(&publisher, "restoreCategory", &category, 4).await;
    assert_eq!(restored["version"], 5);
    assert_eq!(restored["archived"], false);

    // Pages.
    let page_id = page["id"].as_str().unwrap().to_owned();
    let page_version = page["version"].as_i64().unwrap();
    let updated = editor
        .query(
            "mutation($id: ID!, $v: Int!) { updatePage(id: $id, version: $v, input: { title: \"Local Digital questions\" }) { id title version } }",
            json!({ "id": page_id, "v": page_version }),
        )
        .await["updatePage"]
        .clone();
    assert_eq!(updated["version"], page_version + 1);
    assert_eq!(updated["title"], "Local Digital questions");
    let updated = admin
        .query(
            "mutation($id: ID!, $v: Int!) { updatePage(id: $id, version: $v, input: { status: DRAFT }) { status version } }",
            json!({ "id": page_id, "v": page_version + 1 }),
        )
        .await["updatePage"]
        .clone();
    assert_eq!(updated["version"], page_version + 2);
    assert_eq!(updated["status"], "DRAFT");
}

#[tokio::test]
async fn revisions_are_listed_newest_first_diffed_and_restorable() {
    let app = TestApp::spawn().await;
    let editor = app.signed_in(Role::Editor).await;
    let publisher = app.signed_in(Role::Publisher).await;
    let page = sample(&app).await;
    let original = questions(&categories(&page)[1])[1].clone();
    let id = id_of(&original);
    let original_answer = original["answer"].as_str().unwrap().to_owned();

    // v2, v3 by the editor; v4 the publisher publishes v3; v5 another edit.
    update(
        &editor,
        &id,
        1,
        json!({
            "question": "Will you be holding two more roadshows?",
            "answer": "Yes, we will hold roadshows twice a year.",
            "note": "first"
        }),
    )
    .await;
    update(
        &editor,
        &id,
        2,
        json!({
            "question": "Will you be holding two more roadshows this year?",
            "answer": "Yes, we will hold roadshows in spring and autumn.",
            "note": "  second  "
        }),
    )
    .await;
    act(&publisher, "publishQuestion", &id, 3).await;
    let v5 = update(
        &editor,
        &id,
        4,
        json!({ "question": "Are the roadshows cancelled?", "note": "third" }),
    )
    .await;
    assert_eq!(v5["version"], 5);

    let all = revisions(&editor, &id, 100, None).await;
    assert_eq!(all["totalCount"], 5);
    assert_eq!(all["pageInfo"]["hasNextPage"], false);
    let nodes: Vec<Value> = all["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"].clone())
        .collect();
    assert_eq!(ints(&nodes, "version"), [5, 4, 3, 2, 1]);
    // The import's own note is the importer's business; ours are kept, trimmed.
    let notes: Vec<Value> = nodes[..4].iter().map(|n| n["note"].clone()).collect();
    assert_eq!(
        notes,
        [json!("third"), Value::Null, json!("second"), json!("first")]
    );
    let authors: Vec<Value> = nodes.iter().map(|n| n["author"]["email"].clone()).collect();
    assert_eq!(
        authors,
        [
            json!(editor.email),
            json!(publisher.email),
            json!(editor.email),
            json!(editor.email),
            Value::Null
        ]
    );
    assert!(nodes[4]["author"].is_null(), "the import has no author");
    assert_eq!(nodes[4]["question"], ROADSHOWS);
    assert_eq!(nodes[4]["answer"], original_answer.as_str());
    assert_eq!(
        nodes[3]["question"],
        "Will you be holding two more roadshows?"
    );
    assert_eq!(nodes[0]["question"], "Are the roadshows cancelled?");
    assert_eq!(
        nodes[0]["answer"],
        "Yes, we will hold roadshows in spring and autumn."
    );
    let ids = strings(&nodes, "id");

    // Word-level diff between the first and second edit.
    let diff = editor
        .query(DIFF, json!({ "id": id, "from": ids[3], "to": ids[2] }))
        .await["question"]["diff"]
        .clone();
    let text = |segments: &Value, kinds: &[&str]| -> String {
        segments
            .as_array()
            .unwrap()
            .iter()
            .filter(|s| kinds.contains(&s["kind"].as_str().unwrap()))
            .map(|s| s["text"].as_str().unwrap())
            .collect()
    };
    let question = &diff["question"];
    assert_eq!(
        text(question, &["SAME", "REMOVED"]),
        "Will you be holding two more roadshows?"
    );
    assert_eq!(
        text(question, &["SAME", "ADDED"]),
        "Will you be holding two more roadshows this year?"
    );
    assert!(text(question, &["ADDED"]).contains("this year"), "{diff}");
    assert!(text(question, &["SAME"]).contains("Will you be holding two more"));
    let answer = &diff["answer"];
    assert_eq!(
        text(answer, &["SAME", "REMOVED"]),
        "Yes, we will hold roadshows twice a year."
    );
    assert_eq!(
        text(answer, &["SAME", "ADDED"]),
        "Yes, we will hold roadshows in spring and autumn."
    );
    let removed = text(answer, &["REMOVED"]);
    let added = text(answer, &["ADDED"]);
    assert!(
        removed.contains("twice") && !removed.contains("spring"),
        "{diff}"
    );
    assert!(
        added.contains("spring") && added.contains("autumn"),
        "{diff}"
    );
    assert!(!added.contains("twice"), "{diff}");
    let kinds: Vec<&str> = answer
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["kind"].as_str().unwrap())
        .collect();
    assert!(
        kinds.windows(2).all(|w| w[0] != w[1]),
        "runs of one kind are merged: {kinds:?}"
    );
    // Revisions of another question are not this question's.
    let other = id_of(&questions(&categories(&page)[0])[0]);
    let other_revision = revisions(&editor, &other, 1, None).await["edges"][0]["node"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let error = editor
        .expect_error(
            DIFF,
            json!({ "id": id, "from": other_revision, "to": ids[0] }),
            "BAD_USER_INPUT",
        )
        .await;
    assert_eq!(field_names(&error), ["fromRevisionId"]);

    // A restore from a stale version would overwrite a newer save: refused.
    let stale = editor
        .expect_error(
            &q(RESTORE_REVISION),
            json!({ "q": id, "v": 4, "r": ids[3] }),
            "CONFLICT",
        )
        .await;
    assert_eq!(stale["extensions"]["currentVersion"], 5);
    assert_eq!(question_as(&editor, &id, true).await["version"], 5);

    // Restore the first edit as a new working copy.
    let restored = editor
        .query(
            &q(RESTORE_REVISION),
            json!({ "q": id, "v": 5, "r": ids[3] }),
        )
        .await["restoreRevision"]
        .clone();
    assert_eq!(restored["version"], 6);
    assert_eq!(
        restored["question"],
        "Will you be holding two more roadshows?"
    );
    assert_eq!(
        restored["answer"],
        "Yes, we will hold roadshows twice a year."
    );
    assert_eq!(restored["status"], "PUBLISHED");
    assert_eq!(restored["hasUnpublishedChanges"], true);
    let public = app.anonymous();
    let seen = question_as(&public, &id, false).await;
    assert_eq!(
        seen["question"],
        "Will you be holding two more roadshows this year?"
    );
    assert_eq!(
        seen["answer"],
        "Yes, we will hold roadshows in spring and autumn."
    );
    let error = editor
        .expect_error(
            &q(RESTORE_REVISION),
            json!({ "q": id, "v": 6, "r": other_revision }),
            "BAD_USER_INPUT",
        )
        .await;
    assert_eq!(field_names(&error), ["revisionId"]);

    // Paging through all six revisions two at a time, newest first.
    let mut versions = Vec::new();
    let mut after: Option<String> = None;
    let mut pages = 0;
    loop {
        let batch = revisions(&editor, &id, 2, after.as_deref()).await;
        pages += 1;
        assert_eq!(batch["totalCount"], 6);
        let edges = batch["edges"].as_array().unwrap();
        assert_eq!(edges.len(), 2);
        versions.extend(edges.iter().map(|e| e["node"]["version"].as_i64().unwrap()));
        assert_eq!(
            batch["pageInfo"]["endCursor"],
            edges.last().unwrap()["cursor"]
        );
        if batch["pageInfo"]["hasNextPage"] == false {
            break;
        }
        assert!(pages < 5, "pagination does not end");
        after = Some(batch["pageInfo"]["endCursor"].as_str().unwrap().to_owned());
    }
    assert_eq!(pages, 3);
    assert_eq!(versions, [6, 5, 4, 3, 2, 1]);
    let newest = &revisions(&editor, &id, 1, None).await["edges"][0]["node"];
    assert_eq!(newest["version"], 6);
    assert_eq!(
        newest["question"],
        "Will you be holding two more roadshows?"
    );
    // The note names the version, never the internal revision id.
    assert_eq!(newest["note"], "Restored from version 2", "{newest}");

    // Publishing makes the restored text public.
    act(&publisher, "publishQuestion", &id, 6).await;
    let seen = question_as(&public, &id, false).await;
    assert_eq!(seen["question"], "Will you be holding two more roadshows?");

    // Revisions are for staff only.
    let (_, body) = public
        .post_graphql(
            "query($id: ID!) { question(id: $id) { revisions { totalCount } } }",
            json!({ "id": id }),
        )
        .await;
    assert_eq!(
        body["errors"][0]["extensions"]["code"], "UNAUTHENTICATED",
        "{body}"
    );
}

#[tokio::test]
async fn publishing_workflow_rules_hold() {
    let app = TestApp::spawn().await;
    let editor = app.signed_in(Role::Editor).await;
    let publisher = app.signed_in(Role::Publisher).await;
    let public = app.anonymous();
    let page = sample(&app).await;
    let team = categories(&page)[1].clone();
    let [standards, roadshows, upskill] = [0, 1, 2].map(|i| id_of(&questions(&team)[i]));

    // Unpublish: off the public page, back to a draft for staff.
    let unpublished = act(&publisher, "unpublishQuestion", &roadshows, 1).await;
    assert_eq!(unpublished["status"], "DRAFT");
    assert!(unpublished["publishedQuestion"].is_null());
    assert!(find_in_page(&page_as(&public, false).await, &roadshows).is_none());
    assert!(question_as(&public, &roadshows, false).await.is_null());
    assert_eq!(
        question_as(&editor, &roadshows, true).await["status"],
        "DRAFT"
    );
    act_error(
        &publisher,
        "unpublishQuestion",
        &roadshows,
        2,
        "BAD_USER_INPUT",
    )
    .await;
    // It was once published and is not archived: it cannot be deleted.
    let error = act_error(
        &publisher,
        "deleteQuestion",
        &roadshows,
        2,
        "BAD_USER_INPUT",
    )
    .await;
    assert_eq!(field_names(&error), ["id"]);
    // Nor can a published question.
    act_error(
        &publisher,
        "deleteQuestion",
        &standards,
        1,
        "BAD_USER_INPUT",
    )
    .await;
    // Editors may not delete at all.
    act_error(&editor, "deleteQuestion", &standards, 1, "FORBIDDEN").await;
    assert_eq!(question_as(&editor, &roadshows, true).await["version"], 2);
    assert_eq!(question_as(&public, &standards, false).await["version"], 1);

    // Archive hides; an archived question cannot be published; restore
    // brings it back as a draft, still hidden until published again.
    let archived = act(&publisher, "archiveQuestion", &upskill, 1).await;
    assert_eq!(archived["status"], "ARCHIVED");
    assert!(question_as(&public, &upskill, false).await.is_null());
    assert!(find_in_page(&page_as(&public, true).await, &upskill).is_none());
    let error = act_error(&publisher, "publishQuestion", &upskill, 2, "BAD_USER_INPUT").await;
    assert_eq!(field_names(&error), ["id"]);
    act_error(&publisher, "archiveQuestion", &upskill, 2, "BAD_USER_INPUT").await;
    act_error(
        &publisher,
        "restoreQuestion",
        &standards,
        1,
        "BAD_USER_INPUT",
    )
    .await;
    let stored = question_as(&editor, &upskill, true).await;
    assert_eq!(stored["status"], "ARCHIVED");
    assert_eq!(stored["version"], 2);
    let restored = act(&publisher, "restoreQuestion", &upskill, 2).await;
    assert_eq!(restored["status"], "DRAFT");
    assert_eq!(restored["version"], 3);
    assert!(question_as(&public, &upskill, false).await.is_null());
    act_error(&publisher, "deleteQuestion", &upskill, 3, "BAD_USER_INPUT").await;
    let republished = act(&publisher, "publishQuestion", &upskill, 3).await;
    assert_eq!(republished["status"], "PUBLISHED");
    assert_eq!(
        question_as(&public, &upskill, false).await["status"],
        "PUBLISHED"
    );

    // An archived question can be deleted; the rest close ranks.
    let archived = act(&publisher, "archiveQuestion", &standards, 1).await;
    let deleted = act(&publisher, "deleteQuestion", &standards, 2).await;
    assert_eq!(deleted["id"], archived["id"]);
    assert_eq!(deleted["status"], "ARCHIVED");
    assert!(question_as(&editor, &standards, true).await.is_null());
    let staff_page = page_as(&editor, true).await;
    let team_now = categories(&staff_page)
        .iter()
        .find(|c| c["id"] == team["id"])
        .unwrap();
    assert_eq!(
        strings(questions(team_now), "id"),
        [roadshows.clone(), upskill.clone()]
    );
    assert_eq!(ints(questions(team_now), "position"), [1, 2]);

    // A draft that was never published can be deleted.
    let draft = editor
        .query(
            &q(CREATE),
            json!({ "input": { "categoryId": id_of(&team), "question": "Short-lived?", "answer": "Yes." } }),
        )
        .await["createQuestion"]
        .clone();
    assert_eq!(draft["position"], 3);
    act_error(&publisher, "deleteQuestion", &id_of(&draft), 2, "CONFLICT").await;
    let gone = act(&publisher, "deleteQuestion", &id_of(&draft), 1).await;
    assert_eq!(gone["question"], "Short-lived?");
    assert!(question_as(&editor, &id_of(&draft), true).await.is_null());
    let error = act_error(&publisher, "deleteQuestion", &id_of(&draft), 1, "NOT_FOUND").await;
    assert!(error["message"].is_string());
    assert_eq!(all_questions(&page_as(&editor, true).await).len(), 6);
    assert_eq!(all_questions(&page_as(&public, false).await).len(), 5);
}

#[tokio::test]
async fn questions_and_categories_can_be_reordered_and_pages_built() {
    let app = TestApp::spawn().await;
    let editor = app.signed_in(Role::Editor).await;
    let publisher = app.signed_in(Role::Publisher).await;
    let admin = app.signed_in(Role::Admin).await;
    let public = app.anonymous();
    let page = sample(&app).await;
    let [declaration, team, fund, leadership] = [0, 1, 2, 3].map(|i| categories(&page)[i].clone());
    let [d1, d2] = [0, 1].map(|i| id_of(&questions(&declaration)[i]));
    let [t1, t2, t3] = [0, 1, 2].map(|i| id_of(&questions(&team)[i]));

    let staff_category = |page: &Value, id: &Value| -> Value {
        categories(page)
            .iter()
            .find(|c| &c["id"] == id)
            .cloned()
            .expect("the category")
    };

    // Within a category: the first question goes last.
    let moved = editor
        .query(
            &q(MOVE),
            json!({ "id": t1, "v": 1, "c": id_of(&team), "p": 3 }),
        )
        .await["moveQuestion"]
        .clone();
    assert_eq!(moved["position"], 3);
    let now = page_as(&editor, true).await;
    let team_now = staff_category(&now, &team["id"]);
    assert_eq!(
        strings(questions(&team_now), "id"),
        [t2.clone(), t3.clone(), t1.clone()]
    );
    assert_eq!(ints(questions(&team_now), "position"), [1, 2, 3]);
    // The public sees the old order until a publisher publishes the page.
    let public_team = staff_category(&page_as(&public, false).await, &team["id"]);
    assert_eq!(
        strings(questions(&public_team), "id"),
        [t1.clone(), t2.clone(), t3.clone()]
    );
    publish_sample_page(&publisher).await;
    let public_team = staff_category(&page_as(&public, false).await, &team["id"]);
    assert_eq!(
        strings(questions(&public_team), "id"),
        [t2.clone(), t3.clone(), t1.clone()]
    );

    // To another category, at the top.
    let moved = editor
        .query(
            &q(MOVE),
            json!({ "id": t3, "v": 1, "c": id_of(&declaration), "p": 1 }),
        )
        .await["moveQuestion"]
        .clone();
    assert_eq!(moved["category"]["id"], declaration["id"]);
    assert_eq!(moved["position"], 1);
    assert_eq!(moved["version"], 2);
    let now = page_as(&editor, true).await;
    let declaration_now = staff_category(&now, &declaration["id"]);
    assert_eq!(
        strings(questions(&declaration_now), "id"),
        [t3.clone(), d1.clone(), d2.clone()]
    );
    assert_eq!(ints(questions(&declaration_now), "position"), [1, 2, 3]);
    let team_now = staff_category(&now, &team["id"]);
    assert_eq!(
        strings(questions(&team_now), "id"),
        [t2.clone(), t1.clone()]
    );
    assert_eq!(ints(questions(&team_now), "position"), [1, 2]);
    // To the end of another category (one place past its last question).
    editor
        .query(
            &q(MOVE),
            json!({ "id": d1, "v": 1, "c": id_of(&fund), "p": 2 }),
        )
        .await;
    let now = page_as(&editor, true).await;
    let fund_now = staff_category(&now, &fund["id"]);
    assert_eq!(ints(questions(&fund_now), "position"), [1, 2]);
    assert_eq!(questions(&fund_now)[1]["id"], d1.as_str());
    let declaration_now = staff_category(&now, &declaration["id"]);
    assert_eq!(
        strings(questions(&declaration_now), "id"),
        [t3.clone(), d2.clone()]
    );
    assert_eq!(ints(questions(&declaration_now), "position"), [1, 2]);

    // Categories: the last goes first.
    let moved = move_category(&editor, &id_of(&leadership), 1, 1).await;
    assert_eq!(moved["position"], 1);
    let now = page_as(&editor, true).await;
    assert_eq!(
        strings(categories(&now), "id"),
        [
            id_of(&leadership),
            id_of(&declaration),
            id_of(&team),
            id_of(&fund)
        ]
    );
    assert_eq!(ints(categories(&now), "position"), [1, 2, 3, 4]);
    let moved = move_category(&editor, &id_of(&leadership), 2, 3).await;
    assert_eq!(moved["position"], 3);
    publish_sample_page(&publisher).await;
    let now = page_as(&public, false).await;
    assert_eq!(
        strings(categories(&now), "id"),
        [
            id_of(&declaration),
            id_of(&team),
            id_of(&leadership),
            id_of(&fund)
        ]
    );
    assert_eq!(ints(categories(&now), "position"), [1, 2, 3, 4]);

    // A category that holds questions cannot be deleted.
    let error = publisher
        .expect_error(
            "mutation($id: ID!, $v: Int!) { deleteCategory(id: $id, version: $v) { id } }",
            json!({ "id": id_of(&fund), "v": 1 }),
            "BAD_USER_INPUT",
        )
        .await;
    assert_eq!(field_names(&error), ["id"]);
    let now = page_as(&editor, true).await;
    let fund_now = staff_category(&now, &fund["id"]);
    assert_eq!(fund_now["version"], 1, "a refused delete changes nothing");
    assert_eq!(questions(&fund_now).len(), 2);
    assert_eq!(categories(&now).len(), 4);

    // Create, rename and delete an empty category.
    let created = editor
        .query(
            CREATE_CATEGORY,
            json!({ "input": { "pageId": page["id"], "title": "Funding & grants" } }),
        )
        .await["createCategory"]
        .clone();
    assert_eq!(created["slug"], "funding-grants");
    assert_eq!(created["position"], 5);
    assert_eq!(created["version"], 1);
    assert_eq!(created["archived"], false);
    let renamed = editor
        .query(
            UPDATE_CATEGORY,
            json!({ "id": created["id"], "v": 1, "input": { "title": "Grants", "slug": "grants" } }),
        )
        .await["updateCategory"]
        .clone();
    assert_eq!(renamed["title"], "Grants");
    assert_eq!(renamed["slug"], "grants");
    assert_eq!(renamed["version"], 2);
    let now = page_as(&editor, true).await;
    assert_eq!(categories(&now).len(), 5);
    assert_eq!(categories(&now)[4]["title"], "Grants");
    editor
        .expect_error(
            "mutation($id: ID!, $v: Int!) { deleteCategory(id: $id, version: $v) { id } }",
            json!({ "id": created["id"], "v": 2 }),
            "FORBIDDEN",
        )
        .await;
    let deleted = category_action(&publisher, "deleteCategory", &id_of(&created), 2).await;
    assert_eq!(deleted["title"], "Grants");
    let now = page_as(&editor, true).await;
    assert_eq!(categories(&now).len(), 4);
    assert_eq!(ints(categories(&now), "position"), [1, 2, 3, 4]);

    // Delete a category from the middle: the others close ranks.
    let middle = editor
        .query(
            CREATE_CATEGORY,
            json!({ "input": { "pageId": page["id"], "title": "Temporary", "slug": "temporary" } }),
        )
        .await["createCategory"]
        .clone();
    move_category(&editor, &id_of(&middle), 1, 2).await;
    category_action(&publisher, "deleteCategory", &id_of(&middle), 2).await;
    let now = page_as(&editor, true).await;
    assert_eq!(
        strings(categories(&now), "id"),
        [
            id_of(&declaration),
            id_of(&team),
            id_of(&leadership),
            id_of(&fund)
        ]
    );
    assert_eq!(ints(categories(&now), "position"), [1, 2, 3, 4]);

    // A new page, built from nothing and made live.
    let created_page = admin
        .query(
            "mutation { createPage(input: { title: \"Cyber Q&A\", intro: \"About cyber.\" }) { id slug title intro status version } }",
            json!({}),
        )
        .await["createPage"]
        .clone();
    assert_eq!(created_page["slug"], "cyber-qa");
    assert_eq!(created_page["status"], "DRAFT");
    assert_eq!(created_page["version"], 1);
    assert_eq!(created_page["intro"], "About cyber.");
    editor
        .expect_error(
            "mutation { createPage(input: { title: \"Not mine\" }) { id } }",
            json!({}),
            "FORBIDDEN",
        )
        .await;
    let page_query = "query($s: String!, $d: Boolean!) { page(slug: $s, includeDrafts: $d) { id title status version categories { slug questions { question } } } }";
    assert!(public
        .query(page_query, json!({ "s": "cyber-qa", "d": true }))
        .await["page"]
        .is_null());
    let updated = editor
        .query(
            "mutation($id: ID!) { updatePage(id: $id, version: 1, input: { title: \"Cyber questions\", footer: \"Bye.\" }) { title footer version } }",
            json!({ "id": created_page["id"] }),
        )
        .await["updatePage"]
        .clone();
    assert_eq!(updated["title"], "Cyber questions");
    assert_eq!(updated["footer"], "Bye.");
    assert_eq!(updated["version"], 2);
    let category = editor
        .query(
            CREATE_CATEGORY,
            json!({ "input": { "pageId": created_page["id"], "title": "Basics" } }),
        )
        .await["createCategory"]
        .clone();
    assert_eq!(category["position"], 1);
    let question = editor
        .query(
            &q(CREATE),
            json!({ "input": { "categoryId": category["id"], "question": "What is cyber?", "answer": "Security." } }),
        )
        .await["createQuestion"]
        .clone();
    assert_eq!(question["slug"], "what-is-cyber");
    assert_eq!(question["position"], 1);
    act(&publisher, "publishQuestion", &id_of(&question), 1).await;
    editor
        .expect_error(
            "mutation($id: ID!) { updatePage(id: $id, version: 2, input: { status: LIVE }) { id } }",
            json!({ "id": created_page["id"] }),
            "FORBIDDEN",
        )
        .await;
    let live = publisher
        .query(
            "mutation($id: ID!) { updatePage(id: $id, version: 2, input: { status: LIVE }) { status version } }",
            json!({ "id": created_page["id"] }),
        )
        .await["updatePage"]
        .clone();
    assert_eq!(live["status"], "LIVE");
    assert_eq!(live["version"], 3);
    let seen = public
        .query(page_query, json!({ "s": "cyber-qa", "d": false }))
        .await["page"]
        .clone();
    assert_eq!(seen["title"], "Cyber questions");
    assert_eq!(seen["categories"][0]["slug"], "basics");
    assert_eq!(
        seen["categories"][0]["questions"][0]["question"],
        "What is cyber?"
    );
}

#[tokio::test]
async fn invalid_input_is_refused_field_by_field_and_nothing_is_stored() {
    let app = TestApp::spawn().await;
    let editor = app.signed_in(Role::Editor).await;
    let page = sample(&app).await;
    let [declaration, team] = [0, 1].map(|i| categories(&page)[i].clone());
    let roadshows = questions(&team)[1].clone();
    let id = id_of(&roadshows);
    let taken_slug = questions(&declaration)[0]["slug"]
        .as_str()
        .unwrap()
        .to_owned();

    let create = |input: Value| {
        let editor = &editor;
        async move {
            editor
                .expect_error(&q(CREATE), json!({ "input": input }), "BAD_USER_INPUT")
                .await
        }
    };
    let category_id = id_of(&team);
    let cases = [
        (
            json!({ "categoryId": category_id, "question": "   ", "answer": "An answer." }),
            vec!["question"],
        ),
        (
            json!({ "categoryId": category_id, "question": "A question?", "answer": "" }),
            vec!["answer"],
        ),
        (
            json!({ "categoryId": category_id, "question": "", "answer": " " }),
            vec!["question", "answer"],
        ),
        (
            json!({ "categoryId": category_id, "question": "x".repeat(501), "answer": "An answer." }),
            vec!["question"],
        ),
        (
            json!({ "categoryId": category_id, "question": "A question?", "answer": "An answer.", "slug": "Not A Slug" }),
            vec!["slug"],
        ),
        (
            json!({ "categoryId": category_id, "question": "A question?", "answer": "An answer.", "slug": taken_slug }),
            vec!["slug"],
        ),
        (
            json!({ "categoryId": "99999", "question": "A question?", "answer": "An answer." }),
            vec!["categoryId"],
        ),
        (
            json!({ "categoryId": "not-a-number", "question": "A question?", "answer": "An answer." }),
            vec!["categoryId"],
        ),
    ];
    for (input, fields) in cases {
        let error = create(input.clone()).await;
        assert_eq!(field_names(&error), fields, "{input} -> {error}");
    }

    let update_error = |v: i64, input: Value| {
        let editor = &editor;
        let id = id.clone();
        async move {
            editor
                .expect_error(
                    &q(UPDATE),
                    json!({ "id": id, "v": v, "input": input }),
                    "BAD_USER_INPUT",
                )
                .await
        }
    };
    let cases = [
        (json!({ "question": "" }), vec!["question"]),
        (json!({ "answer": "  \n " }), vec!["answer"]),
        (json!({ "question": "é".repeat(501) }), vec!["question"]),
        (json!({ "slug": "Not A Slug" }), vec!["slug"]),
        (json!({ "slug": taken_slug }), vec!["slug"]),
        (json!({ "note": "why" }), vec!["input"]),
        (
            json!({ "question": "Fine?", "note": "n".repeat(501) }),
            vec!["note"],
        ),
    ];
    for (input, fields) in cases {
        let error = update_error(1, input.clone()).await;
        assert_eq!(field_names(&error), fields, "{input} -> {error}");
    }
    let stored = question_as(&editor, &id, true).await;
    assert_eq!(stored["version"], 1, "refused updates change nothing");
    assert_eq!(stored["question"], ROADSHOWS);
    assert_eq!(stored["slug"], roadshows["slug"]);
    assert_eq!(revisions(&editor, &id, 10, None).await["totalCount"], 1);

    // Exactly 500 characters is allowed.
    let long = "é".repeat(500);
    let saved = update(&editor, &id, 1, json!({ "question": long })).await;
    assert_eq!(saved["question"], long.as_str());
    assert_eq!(saved["version"], 2);

    // Positions out of range, unknown categories.
    for position in [0, -1, 4, 99] {
        let error = editor
            .expect_error(
                &q(MOVE),
                json!({ "id": id, "v": 2, "c": category_id, "p": position }),
                "BAD_USER_INPUT",
            )
            .await;
        assert_eq!(field_names(&error), ["position"], "position {position}");
    }
    // Another category has one more place: its length plus one.
    let error = editor
        .expect_error(
            &q(MOVE),
            json!({ "id": id, "v": 2, "c": id_of(&declaration), "p": 4 }),
            "BAD_USER_INPUT",
        )
        .await;
    assert_eq!(field_names(&error), ["position"]);
    let error = editor
        .expect_error(
            &q(MOVE),
            json!({ "id": id, "v": 2, "c": "99999", "p": 1 }),
            "BAD_USER_INPUT",
        )
        .await;
    assert_eq!(field_names(&error), ["categoryId"]);
    for position in [0, 5] {
        let error = editor
            .expect_error(
                MOVE_CATEGORY_ERROR,
                json!({ "id": id_of(&team), "v": 1, "p": position }),
                "BAD_USER_INPUT",
            )
            .await;
        assert_eq!(field_names(&error), ["position"], "position {position}");
    }

    // Categories.
    let cases = [
        (json!({ "pageId": page["id"], "title": "" }), vec!["title"]),
        (
            json!({ "pageId": page["id"], "title": "t".repeat(201) }),
            vec!["title"],
        ),
        (
            json!({ "pageId": page["id"], "title": "Fine", "slug": "Not A Slug" }),
            vec!["slug"],
        ),
        (
            json!({ "pageId": page["id"], "title": "Fine", "slug": declaration["slug"] }),
            vec!["slug"],
        ),
        (
            json!({ "pageId": "99999", "title": "Fine" }),
            vec!["pageId"],
        ),
    ];
    for (input, fields) in cases {
        let error = editor
            .expect_error(CREATE_CATEGORY, json!({ "input": input }), "BAD_USER_INPUT")
            .await;
        assert_eq!(field_names(&error), fields, "{input} -> {error}");
    }
    let error = editor
        .expect_error(
            UPDATE_CATEGORY,
            json!({ "id": id_of(&team), "v": 1, "input": { "slug": declaration["slug"] } }),
            "BAD_USER_INPUT",
        )
        .await;
    assert_eq!(field_names(&error), ["slug"]);
    let error = editor
        .expect_error(
            UPDATE_CATEGORY,
            json!({ "id": id_of(&team), "v": 1, "input": { "title": " " } }),
            "BAD_USER_INPUT",
        )
        .await;
    assert_eq!(field_names(&error), ["title"]);

    // Nothing was stored: the same questions and categories, in the same places.
    let now = page_as(&editor, true).await;
    assert_eq!(ints(categories(&now), "version"), [1, 1, 1, 1]);
    assert_eq!(ints(categories(&now), "position"), [1, 2, 3, 4]);
    assert_eq!(
        strings(categories(&now), "slug"),
        strings(categories(&page), "slug")
    );
    let counts: Vec<usize> = categories(&now)
        .iter()
        .map(|c| questions(c).len())
        .collect();
    assert_eq!(counts, [2, 3, 1, 1]);
    let versions: Vec<i64> = ints(&all_questions(&now), "version");
    assert_eq!(versions, [1, 1, 1, 2, 1, 1, 1]);
    assert_eq!(
        strings(&all_questions(&now), "id"),
        strings(&all_questions(&page), "id")
    );
}

#[tokio::test]
async fn the_audit_log_records_who_did_what_newest_first() {
    let app = TestApp::spawn().await;
    let admin = app.signed_in(Role::Admin).await;
    let publisher = app.signed_in(Role::Publisher).await;
    let editor = app.signed_in(Role::Editor).await;
    // A wrong password for the publisher's account.
    app.anonymous()
        .expect_error(
            "mutation($e: String!, $p: String!) { signIn(email: $e, password: $p) { id } }",
            json!({ "e": publisher.email, "p": format!("{PASSWORD} but wrong") }),
            "UNAUTHENTICATED",
        )
        .await;
    tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    let since = chrono::Utc::now();
    tokio::time::sleep(std::time::Duration::from_millis(20)).await;

    let page = sample(&app).await;
    let id = id_of(&questions(&categories(&page)[1])[1]);
    update(&editor, &id, 1, json!({ "question": "Roadshows?" })).await;
    act(&publisher, "publishQuestion", &id, 2).await;
    act(&publisher, "archiveQuestion", &id, 3).await;
    act(&publisher, "restoreQuestion", &id, 4).await;

    let audit = |variables: Value| {
        let admin = &admin;
        async move { admin.query(AUDIT, variables).await["auditEvents"].clone() }
    };
    let nodes = |connection: &Value| -> Vec<Value> {
        connection["edges"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["node"].clone())
            .collect()
    };

    // Everything, newest first.
    let everything = audit(json!({ "first": 100 })).await;
    let all = nodes(&everything);
    assert_eq!(everything["totalCount"], all.len());
    let ids: Vec<i64> = all
        .iter()
        .map(|n| n["id"].as_str().unwrap().parse().unwrap())
        .collect();
    assert!(ids.windows(2).all(|w| w[0] > w[1]), "newest first: {ids:?}");
    assert_eq!(
        strings(&all[..4], "action"),
        [
            "question.restore",
            "question.archive",
            "question.publish",
            "question.update"
        ]
    );
    for action in ["sign_in.success", "sign_in.failure"] {
        assert!(
            strings(&all, "action").iter().any(|a| a == action),
            "{action} is recorded: {everything}"
        );
    }

    // By action.
    let published = audit(json!({ "first": 10, "action": "question.publish" })).await;
    assert_eq!(published["totalCount"], 1);
    let event = &nodes(&published)[0];
    assert_eq!(event["action"], "question.publish");
    assert_eq!(event["actor"]["email"], publisher.email);
    assert_eq!(event["targetType"], "question");
    assert_eq!(event["targetId"], id.as_str());

    let failures = audit(json!({ "first": 10, "action": "sign_in.failure" })).await;
    assert_eq!(failures["totalCount"], 1);
    let failure = &nodes(&failures)[0];
    assert!(failure["actor"].is_null(), "nobody signed in: {failure}");
    assert_eq!(failure["targetType"], "user");
    assert_eq!(failure["targetId"], publisher.user_id.as_deref().unwrap());

    let successes = audit(json!({ "first": 10, "action": "sign_in.success" })).await;
    assert_eq!(successes["totalCount"], 3);
    assert_eq!(
        strings(&nodes(&successes), "targetId"),
        [
            editor.user_id.clone().unwrap(),
            publisher.user_id.clone().unwrap(),
            admin.user_id.clone().unwrap()
        ]
    );
    let emails: Vec<Value> = nodes(&successes)
        .iter()
        .map(|n| n["actor"]["email"].clone())
        .collect();
    assert_eq!(
        emails,
        [
            json!(editor.email),
            json!(publisher.email),
            json!(admin.email)
        ]
    );

    // By actor.
    let by_publisher = audit(json!({ "first": 10, "actor": publisher.user_id })).await;
    assert_eq!(by_publisher["totalCount"], 4);
    let events = nodes(&by_publisher);
    assert_eq!(
        strings(&events, "action"),
        [
            "question.restore",
            "question.archive",
            "question.publish",
            "sign_in.success"
        ]
    );
    assert!(events
        .iter()
        .all(|e| e["actor"]["email"] == publisher.email.as_str()));
    let by_editor = audit(json!({ "first": 10, "actor": editor.user_id })).await;
    assert_eq!(
        strings(&nodes(&by_editor), "action"),
        ["question.update", "sign_in.success"]
    );

    // Both filters at once.
    let combined =
        audit(json!({ "first": 10, "actor": publisher.user_id, "action": "sign_in.success" }))
            .await;
    assert_eq!(combined["totalCount"], 1);
    assert_eq!(
        nodes(&combined)[0]["targetId"],
        publisher.user_id.as_deref().unwrap()
    );

    // By time.
    let recent = audit(json!({ "first": 10, "since": since.to_rfc3339() })).await;
    assert_eq!(recent["totalCount"], 4, "{recent}");
    assert_eq!(
        strings(&nodes(&recent), "action"),
        [
            "question.restore",
            "question.archive",
            "question.publish",
            "question.update"
        ]
    );
    let later = audit(json!({ "first": 10, "since": chrono::Utc::now().to_rfc3339() })).await;
    assert_eq!(later["totalCount"], 0);

    // Paging.
    let first_page = audit(json!({ "first": 2 })).await;
    assert_eq!(first_page["pageInfo"]["hasNextPage"], true);
    assert_eq!(first_page["totalCount"], everything["totalCount"]);
    let second_page =
        audit(json!({ "first": 2, "after": first_page["pageInfo"]["endCursor"] })).await;
    assert_eq!(
        strings(&nodes(&second_page), "id"),
        strings(&all[2..4], "id")
    );

    // Only admins read the log.
    publisher
        .expect_error(AUDIT, json!({ "first": 10 }), "FORBIDDEN")
        .await;
    app.anonymous()
        .expect_error(AUDIT, json!({ "first": 10 }), "UNAUTHENTICATED")
        .await;
}
