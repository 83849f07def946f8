//! The response cache and HTTP caching: anonymous reads are answered from
//! memory until the content changes (on any replica) or a scheduled time
//! passes; GET answers carry an ETag and answer 304; Cache-Control never
//! lets a shared cache keep what a signed-in person saw.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, SubsecRound, Utc};
use entity::question;
use qanda::domain::Role;
use reqwest::header::{HeaderMap, IF_NONE_MATCH};
use reqwest::{Client, RequestBuilder};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use serde_json::{json, Value};

use crate::helpers::{page_doc, question_doc, Person, TestApp, TestAppBuilder};

// ---------------------------------------------------------------------------
// Content: one live page with a question that stays put, one the tests
// change, and a draft the public must never see.

const SLUG: &str = "p";

fn fixture() -> Value {
    json!([page_doc(
        SLUG,
        "LIVE",
        json!([{ "slug": "c", "title": "Opening times", "questions": [
            question_doc("steady", "PUBLISHED"),
            question_doc("moving", "PUBLISHED"),
            question_doc("draft", "DRAFT"),
        ]}])
    )])
}

/// A server with the fixture page and nothing else.
async fn spawn_with(builder: TestAppBuilder) -> TestApp {
    let app = builder.without_sample().spawn().await;
    app.import_json(fixture()).await;
    app
}

/// A second server on `app`'s database, as another replica would be: its
/// own response cache, the same rows (the same SQLite file, or the same
/// PostgreSQL schema). The builder's own fresh database goes unused.
async fn replica_of(app: &TestApp) -> TestApp {
    let shared = app.database.db_args();
    TestApp::builder()
        .without_sample()
        .configure(move |args| args.db = shared)
        .spawn()
        .await
}

/// Only fields that a draft edit leaves alone (no `version`, no
/// `updatedAt`), so the public answer changes only when what the public
/// sees does.
fn page_query(slug: &str) -> String {
    format!(
        "{{ page(slug: \"{slug}\") {{ title status categories {{ title questions {{ slug question answer }} }} }} }}"
    )
}

// ---------------------------------------------------------------------------
// Reading over HTTP.

/// One HTTP answer, kept whole.
struct Read {
    status: u16,
    headers: HeaderMap,
    body: String,
}

impl Read {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .get(name)
            .map(|v| v.to_str().expect("an ASCII header"))
    }

    /// `hit`, `miss`, or `None` when the cache was not asked.
    fn cache(&self) -> Option<&str> {
        self.header("x-qanda-cache")
    }

    fn etag(&self) -> String {
        self.header("etag")
            .unwrap_or_else(|| panic!("no ETag (status {})", self.status))
            .to_owned()
    }

    fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|_| panic!("not JSON: {}", self.body))
    }

    /// The slugs of the questions in a GraphQL page answer.
    fn question_slugs(&self) -> Vec<String> {
        self.json()["data"]["page"]["categories"]
            .as_array()
            .expect("categories")
            .iter()
            .flat_map(|c| c["questions"].as_array().expect("questions").clone())
            .map(|q| q["slug"].as_str().expect("a slug").to_owned())
            .collect()
    }
}

async fn send(request: RequestBuilder) -> Read {
    let response = request.send().await.expect("the server answers");
    Read {
        status: response.status().as_u16(),
        headers: response.headers().clone(),
        body: response.text().await.expect("a body"),
    }
}

fn graphql_get(client: &Client, address: &str, query: &str) -> RequestBuilder {
    client
        .get(format!("{address}/graphql"))
        .query(&[("query", query)])
}

fn graphql_post(client: &Client, address: &str, query: &str) -> RequestBuilder {
    client
        .post(format!("{address}/graphql"))
        .json(&json!({ "query": query }))
}

fn page_get(client: &Client, address: &str, slug: &str) -> RequestBuilder {
    client.get(format!("{address}/pages/{slug}"))
}

/// The three ways the public reads a page, each cached under its own key.
#[derive(Debug, Clone, Copy)]
enum Channel {
    GraphqlGet,
    GraphqlPost,
    Html,
}

const CHANNELS: [Channel; 3] = [Channel::GraphqlGet, Channel::GraphqlPost, Channel::Html];

impl Channel {
    /// An anonymous read of the page (`app.client` never signs in).
    async fn read(self, app: &TestApp, slug: &str) -> Read {
        send(self.request(&app.client, &app.address, slug)).await
    }

    fn request(self, client: &Client, address: &str, slug: &str) -> RequestBuilder {
        match self {
            Channel::GraphqlGet => graphql_get(client, address, &page_query(slug)),
            Channel::GraphqlPost => graphql_post(client, address, &page_query(slug)),
            Channel::Html => page_get(client, address, slug),
        }
    }
}

/// Reads until the answer is cached: a second read must be a hit with the
/// same bytes, which is what makes a later fresh answer mean something.
async fn fill(app: &TestApp, channel: Channel, slug: &str) -> Read {
    let first = channel.read(app, slug).await;
    assert!(
        first.cache().is_some(),
        "{channel:?}: the cache was not asked"
    );
    let again = channel.read(app, slug).await;
    assert_eq!(again.cache(), Some("hit"), "{channel:?}: not kept");
    assert_eq!(
        again.body, first.body,
        "{channel:?}: a hit is the same answer"
    );
    again
}

// ---------------------------------------------------------------------------
// Changing content as staff.

const UPDATE_ANSWER: &str = "mutation($id: ID!, $v: Int!, $a: String!) {
  updateQuestion(id: $id, version: $v, input: { answer: $a }) { version } }";
const PUBLISH: &str =
    "mutation($id: ID!, $v: Int!) { publishQuestion(id: $id, version: $v) { version } }";
const UNPUBLISH: &str =
    "mutation($id: ID!, $v: Int!) { unpublishQuestion(id: $id, version: $v) { version } }";
const ARCHIVE: &str =
    "mutation($id: ID!, $v: Int!) { archiveQuestion(id: $id, version: $v) { version } }";
const RENAME_CATEGORY: &str = "mutation($id: ID!, $v: Int!, $t: String!) {
  updateCategory(id: $id, version: $v, input: { title: $t }) { version } }";
const RETITLE_PAGE: &str = "mutation($id: ID!, $v: Int!, $t: String!) {
  updatePage(id: $id, version: $v, input: { title: $t }) { version } }";
/// Readers see a renamed category or retitled page once the page is published.
const PUBLISH_PAGE: &str =
    "mutation($id: ID!, $v: Int!) { publishPage(id: $id, version: $v) { version } }";
const RETIRE_PAGE: &str = "mutation($id: ID!, $v: Int!, $n: String!) {
  retirePage(id: $id, version: $v, notice: $n, redirect: false) { version } }";
const SCHEDULE_QUESTION: &str = "mutation($id: ID!, $v: Int!, $p: DateTime, $e: DateTime) {
  scheduleQuestion(id: $id, version: $v, publishAt: $p, expireAt: $e) { version } }";
const SCHEDULE_RETIREMENT: &str = "mutation($id: ID!, $v: Int!, $at: DateTime, $n: String!) {
  scheduleRetirement(id: $id, version: $v, retireAt: $at, notice: $n) { version } }";

/// A page, category or question, and the version its next change names.
struct Item {
    id: Value,
    version: i64,
}

impl Item {
    /// Runs `mutation` (named `field`) on this item with `extra` variables
    /// and keeps the version it returns.
    async fn change(&mut self, person: &Person, field: &str, mutation: &str, extra: Value) {
        let mut variables = json!({ "id": self.id, "v": self.version });
        for (name, value) in extra.as_object().expect("variables").clone() {
            variables[name] = value;
        }
        let data = person.query(mutation, variables).await;
        self.version = data[field]["version"].as_i64().expect("a version");
    }
}

/// The fixture's page, its category and its questions by slug, as staff see them.
struct Items {
    page: Item,
    category: Item,
    steady: Item,
    moving: Item,
    draft: Item,
}

async fn items(staff: &Person) -> Items {
    let data = staff
        .query(
            "query($s: String!) { page(slug: $s, includeDrafts: true) { id version
               categories { id version questions { id slug version } } } }",
            json!({ "s": SLUG }),
        )
        .await;
    let item = |v: &Value| Item {
        id: v["id"].clone(),
        version: v["version"].as_i64().expect("a version"),
    };
    let page = &data["page"];
    let category = &page["categories"][0];
    let question = |slug: &str| {
        item(
            category["questions"]
                .as_array()
                .expect("questions")
                .iter()
                .find(|q| q["slug"] == slug)
                .unwrap_or_else(|| panic!("no question {slug}")),
        )
    };
    Items {
        page: item(page),
        category: item(category),
        steady: question("steady"),
        moving: question("moving"),
        draft: question("draft"),
    }
}

/// A new answer on the working copy, then published.
async fn publish_answer(publisher: &Person, question: &mut Item, answer: &str) {
    question
        .change(
            publisher,
            "updateQuestion",
            UPDATE_ANSWER,
            json!({ "a": answer }),
        )
        .await;
    question
        .change(publisher, "publishQuestion", PUBLISH, json!({}))
        .await;
}

// ---------------------------------------------------------------------------
// The tests.

#[tokio::test]
async fn a_repeated_anonymous_read_is_a_hit_and_costs_no_content_statements() {
    let app = spawn_with(TestApp::builder()).await;
    // The background tasks' first rounds (scheduler, session clean-up)
    // share the statement counter: let them finish before counting.
    tokio::time::sleep(Duration::from_millis(300)).await;

    for channel in CHANNELS {
        let before = app.statements.get();
        let first = channel.read(&app, SLUG).await;
        let miss_cost = app.statements.get() - before;
        assert_eq!(first.status, 200, "{channel:?}: {}", first.body);
        assert_eq!(first.cache(), Some("miss"), "{channel:?}");
        assert!(first.body.contains("Answer for moving."), "{channel:?}");
        assert!(
            !first.body.contains("Answer for draft."),
            "{channel:?}: a draft leaked"
        );

        let mut most = 0;
        for _ in 0..3 {
            let before = app.statements.get();
            let again = channel.read(&app, SLUG).await;
            let hit_cost = app.statements.get() - before;
            most = most.max(hit_cost);
            assert_eq!(again.cache(), Some("hit"), "{channel:?}");
            assert_eq!(again.status, 200);
            assert_eq!(again.body, first.body, "{channel:?}: the same answer");
            assert_eq!(
                again.header("content-type"),
                first.header("content-type"),
                "{channel:?}"
            );
            // What belongs to one request is not replayed from another.
            assert_ne!(
                again.header("x-request-id"),
                first.header("x-request-id"),
                "{channel:?}"
            );
            // Only the content generation is read.
            assert!(
                hit_cost <= 1,
                "{channel:?}: a hit cost {hit_cost} statements"
            );
        }
        println!("{channel:?}: a miss cost {miss_cost} statements, a hit at most {most}");
        assert!(miss_cost > 1, "{channel:?}: a miss reads the content");
    }
}

/// Over twenty changes (publish new text, a draft edit, unpublish), every
/// anonymous read on every channel shows what is published at that moment.
#[tokio::test]
async fn a_publish_is_seen_by_the_very_next_read() {
    let app = spawn_with(TestApp::builder()).await;
    let publisher = app.signed_in(Role::Publisher).await;
    let mut moving = items(&publisher).await.moving;
    const READS_PER_CHANGE: usize = 5;

    // Text used so far that must not be shown now (older or unpublished).
    let mut not_now: Vec<String> = vec!["Answer for draft.".into()];
    let mut live = Some("Answer for moving.".to_owned());
    let (mut hits, mut misses) = (0u64, 0u64);
    let (mut hit_statements, mut miss_statements) = (0u64, 0u64);
    for round in 0..20 {
        let marker = format!("Marker r{round:02} end.");
        match round % 5 {
            // A working-copy edit, not published: the public keeps the old text.
            2 => {
                moving
                    .change(
                        &publisher,
                        "updateQuestion",
                        UPDATE_ANSWER,
                        json!({ "a": marker }),
                    )
                    .await;
                not_now.push(marker);
            }
            // Off the public page.
            4 => {
                moving
                    .change(&publisher, "unpublishQuestion", UNPUBLISH, json!({}))
                    .await;
                not_now.extend(live.take());
            }
            _ => {
                publish_answer(&publisher, &mut moving, &marker).await;
                not_now.extend(live.replace(marker));
            }
        }

        for channel in CHANNELS {
            let mut first: Option<Read> = None;
            for n in 0..READS_PER_CHANGE {
                let before = app.statements.get();
                let read = channel.read(&app, SLUG).await;
                let cost = app.statements.get() - before;
                assert_eq!(read.status, 200, "round {round} {channel:?}");
                match &live {
                    Some(text) => assert!(
                        read.body.contains(text.as_str()),
                        "round {round} {channel:?} read {n}: stale, {text} missing"
                    ),
                    None => assert!(
                        !read.body.contains("moving"),
                        "round {round} {channel:?} read {n}: unpublished yet shown"
                    ),
                }
                for old in &not_now {
                    assert!(
                        !read.body.contains(old.as_str()),
                        "round {round} {channel:?} read {n}: shows {old}"
                    );
                }
                match read.cache() {
                    Some("hit") => {
                        hits += 1;
                        hit_statements += cost;
                    }
                    Some("miss") => {
                        misses += 1;
                        miss_statements += cost;
                    }
                    other => panic!("round {round} {channel:?}: x-qanda-cache {other:?}"),
                }
                // Every change (even one the public cannot see) starts the
                // cache again; after that, the same answer from memory.
                match &first {
                    None => assert_eq!(read.cache(), Some("miss"), "round {round} {channel:?}"),
                    Some(first) => {
                        assert_eq!(read.cache(), Some("hit"), "round {round} {channel:?}");
                        assert_eq!(read.body, first.body);
                    }
                }
                first.get_or_insert(read);
            }
        }
    }
    let reads = hits + misses;
    println!(
        "response cache over 20 changes, {READS_PER_CHANGE} reads per channel after each: \
         {hits} hits, {misses} misses of {reads} reads ({:.1}% hits); \
         {:.2} statements per hit, {:.2} per miss",
        100.0 * hits as f64 / reads as f64,
        hit_statements as f64 / hits as f64,
        miss_statements as f64 / misses as f64,
    );
    assert_eq!((hits, misses), (240, 60));
}

/// Two servers on one database: whatever changes on A is what B serves on
/// its very next read, though B had the old answer in memory.
#[tokio::test]
async fn a_change_on_another_replica_is_never_served_stale() {
    let a = spawn_with(TestApp::builder()).await;
    let b = replica_of(&a).await;
    let admin = a.signed_in(Role::Admin).await;
    let mut items = items(&admin).await;

    // Each change on A, with what B must show right after it.
    for step in ["publish", "category", "page"] {
        for channel in CHANNELS {
            fill(&b, channel, SLUG).await;
        }
        let expected = match step {
            "publish" => {
                publish_answer(&admin, &mut items.moving, "Published on replica A.").await;
                "Published on replica A."
            }
            "category" => {
                let t = json!({ "t": "Renamed on replica A" });
                items
                    .category
                    .change(&admin, "updateCategory", RENAME_CATEGORY, t)
                    .await;
                let publish = (&admin, "publishPage", PUBLISH_PAGE, json!({}));
                items
                    .page
                    .change(publish.0, publish.1, publish.2, publish.3)
                    .await;
                "Renamed on replica A"
            }
            _ => {
                let t = json!({ "t": "Retitled on replica A" });
                items
                    .page
                    .change(&admin, "updatePage", RETITLE_PAGE, t)
                    .await;
                let publish = (&admin, "publishPage", PUBLISH_PAGE, json!({}));
                items
                    .page
                    .change(publish.0, publish.1, publish.2, publish.3)
                    .await;
                "Retitled on replica A"
            }
        };
        for channel in CHANNELS {
            let read = channel.read(&b, SLUG).await;
            assert_eq!(read.status, 200, "{step} {channel:?}");
            assert_eq!(read.cache(), Some("miss"), "{step} {channel:?}");
            assert!(
                read.body.contains(expected),
                "{step} {channel:?}: B served a stale answer: {}",
                read.body
            );
        }
    }

    // Search on B, through GraphQL and the HTML search page, kept warm.
    let search_graphql = format!(
        "{{ search(query: \"replica\", pageSlug: \"{SLUG}\") {{ totalCount edges {{ node {{ question {{ slug }} }} }} }} }}"
    );
    let search_html = format!("{}/pages/{SLUG}/search?q=replica", b.address);
    let found_on_b = || async {
        let mut counts = Vec::new();
        for _ in 0..2 {
            let read = send(graphql_get(&b.client, &b.address, &search_graphql)).await;
            counts.push((
                read.json()["data"]["search"]["totalCount"].clone(),
                read.cache().map(str::to_owned),
            ));
            let page = send(b.client.get(&search_html)).await;
            let hits = page.body.contains("1 answer matches");
            counts.push((
                json!(if hits { 1 } else { 0 }),
                page.cache().map(str::to_owned),
            ));
        }
        counts
    };
    let (hit, miss) = (Some("hit".to_owned()), Some("miss".to_owned()));
    assert_eq!(
        found_on_b().await,
        [
            (json!(1), miss.clone()),
            (json!(1), miss.clone()),
            (json!(1), hit.clone()),
            (json!(1), hit.clone())
        ],
        "B finds what A published"
    );

    // Unpublishing and archiving on A: gone from every channel on B at once.
    let shows = |read: &Read, channel: Channel, slug: &str| match channel {
        Channel::Html => read.body.contains(&format!("id=\"{slug}\"")),
        _ => read.question_slugs().iter().any(|s| s == slug),
    };
    for (step, slug) in [("unpublish", "moving"), ("archive", "steady")] {
        for channel in CHANNELS {
            let kept = fill(&b, channel, SLUG).await;
            assert!(
                shows(&kept, channel, slug),
                "{step} {channel:?}: shown before"
            );
        }
        match step {
            "unpublish" => {
                items
                    .moving
                    .change(&admin, "unpublishQuestion", UNPUBLISH, json!({}))
                    .await
            }
            _ => {
                items
                    .steady
                    .change(&admin, "archiveQuestion", ARCHIVE, json!({}))
                    .await
            }
        }
        for channel in CHANNELS {
            let read = channel.read(&b, SLUG).await;
            assert_eq!(
                (read.status, read.cache()),
                (200, Some("miss")),
                "{step} {channel:?}"
            );
            assert!(
                !shows(&read, channel, slug),
                "{step} {channel:?}: B served a stale answer: {}",
                read.body
            );
        }
        if step == "unpublish" {
            assert_eq!(
                found_on_b().await,
                [
                    (json!(0), miss.clone()),
                    (json!(0), miss.clone()),
                    (json!(0), hit.clone()),
                    (json!(0), hit.clone())
                ],
                "B no longer finds what A unpublished"
            );
        }
    }

    // Retirement: B's cached 200 becomes 410 at once.
    for channel in CHANNELS {
        fill(&b, channel, SLUG).await;
    }
    let notice = json!({ "n": "Closed on replica A." });
    items
        .page
        .change(&admin, "retirePage", RETIRE_PAGE, notice)
        .await;
    let html = Channel::Html.read(&b, SLUG).await;
    assert_eq!(html.status, 410, "the retired page on B");
    assert!(html.body.contains("Closed on replica A."));
    for channel in [Channel::GraphqlGet, Channel::GraphqlPost] {
        let read = channel.read(&b, SLUG).await;
        assert_eq!(
            read.json()["data"]["page"]["status"],
            "RETIRED",
            "{channel:?}"
        );
        assert!(read.question_slugs().is_empty(), "{channel:?}");
    }
}

/// The background recorder runs hourly here, so only read-time visibility
/// can make these appear and disappear: the cache must not outlive them.
#[tokio::test]
async fn a_scheduled_publication_appears_on_time_despite_the_cache() {
    let app = spawn_with(TestApp::builder()).await;
    let mut closing = page_doc(
        "closing",
        "LIVE",
        json!([{ "slug": "c", "title": "C", "questions": [question_doc("q", "PUBLISHED")] }]),
    );
    closing["retirement_notice"] = json!("Closed on schedule.");
    app.import_json(json!([closing])).await;
    let publisher = app.signed_in(Role::Publisher).await;
    let admin = app.signed_in(Role::Admin).await;
    let mut items = items(&publisher).await;
    let closing_page = admin
        .query("{ page(slug: \"closing\") { id version } }", json!({}))
        .await;
    let mut closing_page = Item {
        id: closing_page["page"]["id"].clone(),
        version: closing_page["page"]["version"].as_i64().expect("a version"),
    };

    // A change to a live answer, to be published at that moment too.
    items
        .moving
        .change(
            &publisher,
            "updateQuestion",
            UPDATE_ANSWER,
            json!({ "a": "The moving answer, on schedule." }),
        )
        .await;
    // One moment, two to three seconds ahead, for all four kinds of schedule.
    let at: DateTime<Utc> = (Utc::now() + chrono::Duration::seconds(3)).trunc_subsecs(0);
    items
        .moving
        .change(
            &publisher,
            "scheduleQuestion",
            SCHEDULE_QUESTION,
            json!({ "p": at.to_rfc3339() }),
        )
        .await;
    items
        .draft
        .change(
            &publisher,
            "scheduleQuestion",
            SCHEDULE_QUESTION,
            json!({ "p": at.to_rfc3339() }),
        )
        .await;
    items
        .steady
        .change(
            &publisher,
            "scheduleQuestion",
            SCHEDULE_QUESTION,
            json!({ "e": at.to_rfc3339() }),
        )
        .await;
    closing_page
        .change(
            &admin,
            "scheduleRetirement",
            SCHEDULE_RETIREMENT,
            json!({ "at": at.to_rfc3339(), "n": "Closed on schedule." }),
        )
        .await;

    let before = fill(&app, Channel::GraphqlGet, SLUG).await;
    assert_eq!(before.question_slugs(), ["steady", "moving"]);
    let html = fill(&app, Channel::Html, SLUG).await;
    assert!(!html.body.contains("Question draft?"));
    assert!(html.body.contains("Answer for moving.") && !html.body.contains("on schedule."));
    let closing_html = fill(&app, Channel::Html, "closing").await;
    assert_eq!(closing_html.status, 200);
    assert!(
        Utc::now() < at,
        "the set-up took too long to test before the time"
    );

    let wait = (at - Utc::now()).to_std().unwrap_or_default() + Duration::from_millis(200);
    tokio::time::sleep(wait).await;

    let after = Channel::GraphqlGet.read(&app, SLUG).await;
    assert_eq!(after.cache(), Some("miss"));
    assert_eq!(after.question_slugs(), ["moving", "draft"], "on time");
    let html = Channel::Html.read(&app, SLUG).await;
    assert_eq!(html.cache(), Some("miss"));
    assert!(html.body.contains("Question draft?"));
    assert!(!html.body.contains("Question steady?"));
    assert!(
        html.body.contains("The moving answer, on schedule.")
            && !html.body.contains("Answer for moving.")
    );
    let closing_html = Channel::Html.read(&app, "closing").await;
    assert_eq!(closing_html.status, 410, "retired on time");
    assert!(closing_html.body.contains("Closed on schedule."));

    // Nothing was recorded yet: this was the readers' clock, not a write.
    let stored = question::Entity::find()
        .filter(question::Column::Slug.eq("draft"))
        .one(&app.db)
        .await
        .unwrap()
        .expect("the draft row");
    assert_eq!(stored.status.as_str(), "DRAFT");
}

#[tokio::test]
async fn etag_and_304() {
    let app = spawn_with(TestApp::builder()).await;
    let publisher = app.signed_in(Role::Publisher).await;
    let mut moving = items(&publisher).await.moving;
    let query = page_query(SLUG);
    let graphql = || graphql_get(&app.client, &app.address, &query);
    let html = || page_get(&app.client, &app.address, SLUG);
    let requests: [(&str, &dyn Fn() -> RequestBuilder); 2] =
        [("GET /graphql", &graphql), ("GET /pages", &html)];

    let mut tags = Vec::new();
    for (what, request) in requests {
        let first = send(request()).await;
        assert_eq!(first.status, 200, "{what}");
        let tag = first.etag();
        assert!(
            tag.starts_with('"') && tag.ends_with('"'),
            "{what}: a strong tag: {tag}"
        );
        for held in [
            tag.clone(),
            format!("W/{tag}"),
            format!("\"other\", {tag}"),
            "*".to_owned(),
        ] {
            let again = send(request().header(IF_NONE_MATCH, &held)).await;
            assert_eq!(again.status, 304, "{what} If-None-Match: {held}");
            assert!(again.body.is_empty(), "{what}: a 304 has no body");
            assert_eq!(again.etag(), tag, "{what}");
            assert_eq!(again.header("cache-control"), Some("public, no-cache"));
            assert_eq!(again.cache(), Some("hit"), "{what}");
        }
        let other = send(request().header(IF_NONE_MATCH, "\"other\"")).await;
        assert_eq!(other.status, 200, "{what}: another tag gets the body");
        assert_eq!(other.body, first.body);
        tags.push(tag);
    }
    let vary = send(graphql().header(IF_NONE_MATCH, &tags[0])).await;
    assert_eq!(
        vary.header("vary"),
        Some("accept, cookie"),
        "a 304 keeps Vary"
    );

    // A draft edit changes nothing the public sees: the cache starts again
    // but the bytes, and so the tag, are the same, and clients keep theirs.
    let not_yet = json!({ "a": "Not yet." });
    moving
        .change(&publisher, "updateQuestion", UPDATE_ANSWER, not_yet)
        .await;
    for ((what, request), tag) in requests.iter().zip(&tags) {
        let again = send(request().header(IF_NONE_MATCH, tag)).await;
        assert_eq!(again.cache(), Some("miss"), "{what}");
        assert_eq!(again.status, 304, "{what}: the same bytes, the same tag");
    }

    moving
        .change(&publisher, "publishQuestion", PUBLISH, json!({}))
        .await;
    for ((what, request), tag) in requests.iter().zip(&tags) {
        let fresh = send(request().header(IF_NONE_MATCH, tag)).await;
        assert_eq!(fresh.status, 200, "{what}: the old tag no longer matches");
        assert!(fresh.body.contains("Not yet."), "{what}");
        assert_ne!(&fresh.etag(), tag, "{what}: a new tag");
        let again = send(request().header(IF_NONE_MATCH, fresh.etag())).await;
        assert_eq!(again.status, 304, "{what}: the new tag matches");
    }

    // POST answers are not for HTTP caches: no 304, no-store.
    let post =
        send(graphql_post(&app.client, &app.address, &query).header(IF_NONE_MATCH, "*")).await;
    assert_eq!(post.status, 200);
    assert_eq!(post.header("cache-control"), Some("no-store"));
}

#[tokio::test]
async fn cache_control_policy() {
    let app = spawn_with(TestApp::builder()).await;
    let editor = app.signed_in(Role::Editor).await;
    let query = page_query(SLUG);
    let drafts = "{ page(slug: \"p\", includeDrafts: true) { categories { questions { slug } } } }";

    // Anonymous: anyone may keep it, asking again each time.
    let read = send(graphql_get(&app.client, &app.address, &query)).await;
    assert_eq!(read.header("cache-control"), Some("public, no-cache"));
    assert_eq!(read.header("vary"), Some("accept, cookie"));
    let read = send(page_get(&app.client, &app.address, SLUG)).await;
    assert_eq!(read.header("cache-control"), Some("public, no-cache"));
    let read = send(graphql_post(&app.client, &app.address, &query)).await;
    assert_eq!(read.header("cache-control"), Some("no-store"));

    // Signed in: only the editor's browser may keep it, and the response
    // cache neither serves nor keeps it, either way round.
    let staff = send(graphql_get(&editor.client, &app.address, drafts)).await;
    assert_eq!(staff.header("cache-control"), Some("private, no-cache"));
    assert_eq!(staff.cache(), None, "signed-in reads bypass the cache");
    assert_eq!(staff.question_slugs(), ["steady", "moving", "draft"]);
    let public = send(graphql_get(&app.client, &app.address, drafts)).await;
    assert_eq!(
        public.cache(),
        Some("miss"),
        "the editor's answer was not kept"
    );
    assert_eq!(public.question_slugs(), ["steady", "moving"]);
    let public = send(graphql_get(&app.client, &app.address, drafts)).await;
    assert_eq!(public.cache(), Some("hit"));
    let staff = send(graphql_get(&editor.client, &app.address, drafts)).await;
    assert_eq!(
        staff.cache(),
        None,
        "the public answer is not served to staff"
    );
    assert_eq!(staff.question_slugs(), ["steady", "moving", "draft"]);
    let staff_post = send(graphql_post(&editor.client, &app.address, drafts)).await;
    assert_eq!(staff_post.cache(), None);
    assert_eq!(staff_post.header("cache-control"), Some("no-store"));
    assert_eq!(staff_post.question_slugs(), ["steady", "moving", "draft"]);

    // The preview is for this person only and is never stored anywhere.
    let preview = send(
        editor
            .client
            .get(app.url(&format!("/pages/{SLUG}?preview=true"))),
    )
    .await;
    assert_eq!(preview.status, 200);
    assert!(preview.body.contains("Question draft?"));
    assert_eq!(preview.header("cache-control"), Some("private, no-store"));
    assert_eq!(preview.cache(), None);
    let public = send(page_get(&app.client, &app.address, SLUG)).await;
    assert!(!public.body.contains("Question draft?"));
    assert_eq!(public.header("vary"), Some("cookie"));

    // Without ?preview staff get the public page, from the response cache,
    // but marked for their browser only.
    for path in [
        format!("/pages/{SLUG}"),
        format!("/pages/{SLUG}/search?q=steady"),
    ] {
        let public = send(app.client.get(app.url(&path))).await;
        let staff = send(editor.client.get(app.url(&path))).await;
        assert_eq!(staff.status, 200, "{path}");
        assert_eq!(staff.body, public.body, "{path}: the same page");
        assert_eq!(staff.cache(), Some("hit"), "{path}");
        assert_eq!(
            staff.header("cache-control"),
            Some("private, no-cache"),
            "{path}"
        );
        assert_eq!(
            public.header("cache-control"),
            Some("public, no-cache"),
            "{path}"
        );
    }

    // With a max-age, anonymous answers may be kept that long.
    let kept = spawn_with(TestApp::builder().configure(|args| args.cache_max_age = 120)).await;
    let read = send(graphql_get(&kept.client, &kept.address, &query)).await;
    assert_eq!(read.header("cache-control"), Some("public, max-age=120"));
    let read = send(page_get(&kept.client, &kept.address, SLUG)).await;
    assert_eq!(read.header("cache-control"), Some("public, max-age=120"));
    let read = send(graphql_post(&kept.client, &kept.address, &query)).await;
    assert_eq!(read.header("cache-control"), Some("no-store"));
    let staff = kept.signed_in(Role::Editor).await;
    let read = send(graphql_get(&staff.client, &kept.address, &query)).await;
    assert_eq!(read.header("cache-control"), Some("private, no-cache"));
}

/// The media type asked for is part of the key: each gets its own bytes.
#[tokio::test]
async fn each_media_type_is_kept_apart() {
    let app = spawn_with(TestApp::builder()).await;
    let query = page_query(SLUG);
    let asking = |accept: Option<&str>| {
        let request = graphql_get(&app.client, &app.address, &query);
        match accept {
            Some(accept) => request.header("accept", accept),
            None => request,
        }
    };
    for (pass, expected) in ["miss", "hit"].into_iter().enumerate() {
        for (accept, media) in [
            (
                Some("application/graphql-response+json"),
                "application/graphql-response+json",
            ),
            (None, "application/json"),
        ] {
            let read = send(asking(accept)).await;
            let content_type = read.header("content-type").expect("a content type");
            assert!(
                content_type.starts_with(media),
                "{accept:?}: {content_type}"
            );
            assert_eq!(read.cache(), Some(expected), "pass {pass}, {accept:?}");
        }
    }
}

#[tokio::test]
async fn the_cache_can_be_turned_off() {
    let app = spawn_with(TestApp::builder().configure(|args| args.no_response_cache = true)).await;
    let publisher = app.signed_in(Role::Publisher).await;
    let mut moving = items(&publisher).await.moving;
    for channel in CHANNELS {
        for _ in 0..2 {
            let read = channel.read(&app, SLUG).await;
            assert_eq!(read.status, 200);
            assert_eq!(read.cache(), None, "{channel:?}: the cache was asked");
            assert!(read.header("etag").is_some(), "{channel:?}: no ETag");
        }
    }
    let tag = Channel::GraphqlGet.read(&app, SLUG).await.etag();
    let again =
        send(graphql_get(&app.client, &app.address, &page_query(SLUG)).header(IF_NONE_MATCH, &tag))
            .await;
    assert_eq!(again.status, 304, "ETags work without the cache");

    publish_answer(&publisher, &mut moving, "Uncached news.").await;
    for channel in CHANNELS {
        assert!(channel
            .read(&app, SLUG)
            .await
            .body
            .contains("Uncached news."));
    }
}

/// Only complete successes are kept; a not-found answer is kept, but only
/// until the next change.
#[tokio::test]
async fn errors_are_not_cached() {
    let app = spawn_with(TestApp::builder()).await;
    let bad_id = "{ question(id: \"not-a-number\") { slug } }";
    let validation = "{ nope }";
    // Both are answered 200 to a plain JSON client (a validation error is a
    // request error: 400 only in application/graphql-response+json).
    for (query, status) in [(bad_id, 200), (validation, 200)] {
        for request in [
            graphql_get(&app.client, &app.address, query),
            graphql_post(&app.client, &app.address, query),
        ] {
            for _ in 0..2 {
                let read = send(request.try_clone().expect("a plain request")).await;
                assert_eq!(read.status, status, "{query}: {}", read.body);
                assert!(read.json()["errors"].is_array(), "{query}");
                assert_eq!(read.cache(), Some("miss"), "{query}: an error was kept");
            }
        }
    }

    // A null answer with no error is an answer like any other.
    let missing = "{ question(id: \"99999\") { slug } }";
    let first = send(graphql_get(&app.client, &app.address, missing)).await;
    assert_eq!(first.json()["data"]["question"], Value::Null);
    assert_eq!(first.cache(), Some("miss"));
    let again = send(graphql_get(&app.client, &app.address, missing)).await;
    assert_eq!(again.cache(), Some("hit"));

    // So is a 404 page, until a page of that name appears (here by an
    // import, not a mutation: the database's triggers see every write).
    let gone = send(page_get(&app.client, &app.address, "late")).await;
    assert_eq!((gone.status, gone.cache()), (404, Some("miss")));
    let gone = send(page_get(&app.client, &app.address, "late")).await;
    assert_eq!((gone.status, gone.cache()), (404, Some("hit")));
    app.import_json(json!([page_doc(
        "late",
        "LIVE",
        json!([{ "slug": "c", "title": "C", "questions": [question_doc("q", "PUBLISHED")] }])
    )]))
    .await;
    let here = send(page_get(&app.client, &app.address, "late")).await;
    assert_eq!((here.status, here.cache()), (200, Some("miss")));
}

/// A slug comes from the path with its escapes decoded, so it can hold
/// `/` and `?`; no such slug may take the cache entry of a search, or a
/// stored 404 would answer the real search until the next change.
#[tokio::test]
async fn an_encoded_slug_never_takes_the_place_of_a_search() {
    let app = spawn_with(TestApp::builder()).await;
    let search = format!("{}/pages/{SLUG}/search?q=steady", app.address);
    let disguised = format!("{}/pages/{SLUG}%2Fsearch%3Fq%3Dsteady", app.address);
    for _ in 0..2 {
        let read = send(app.client.get(&disguised)).await;
        assert_eq!(read.status, 404, "{disguised} is no page");
    }
    let found = send(app.client.get(&search)).await;
    assert_eq!((found.status, found.cache()), (200, Some("miss")));
    assert!(found.body.contains("Question steady?"), "{}", found.body);
    let again = send(app.client.get(&search)).await;
    assert_eq!((again.status, again.cache()), (200, Some("hit")));
    assert_eq!(send(app.client.get(&disguised)).await.status, 404);
}

/// The round number in a "Marker rNN end." answer.
fn marker_round(body: &str) -> Option<usize> {
    let start = body.find("Marker r")? + "Marker r".len();
    body.get(start..start + 2)?.parse().ok()
}

/// Concurrent requests share generation reads, but none may use a read
/// that began before it was sent: a read sent after a publish returned
/// always shows that publish, however many readers are waiting. The race
/// it guards against is narrow: a probe that joined reads already in
/// flight failed this test in about two runs of three.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_reads_never_predate_a_publish_they_follow() {
    let app = spawn_with(TestApp::builder()).await;
    let publisher = app.signed_in(Role::Publisher).await;
    let mut moving = items(&publisher).await.moving;
    publish_answer(&publisher, &mut moving, "Marker r00 end.").await;
    // The last round whose publish has returned, and whether to stop.
    let published = Arc::new(AtomicUsize::new(0));
    let done = Arc::new(AtomicBool::new(false));

    let readers: Vec<_> = (0..8)
        .map(|reader| {
            let (client, address) = (app.client.clone(), app.address.clone());
            let (published, done) = (published.clone(), done.clone());
            tokio::spawn(async move {
                let (mut hits, mut misses) = (0u64, 0u64);
                while !done.load(Ordering::SeqCst) {
                    let floor = published.load(Ordering::SeqCst);
                    let read = send(graphql_get(&client, &address, &page_query(SLUG))).await;
                    let shown = marker_round(&read.body)
                        .unwrap_or_else(|| panic!("reader {reader}: no marker in {}", read.body));
                    assert!(
                        shown >= floor,
                        "reader {reader}: round {shown} shown, sent after round {floor} was published"
                    );
                    match read.cache() {
                        Some("hit") => hits += 1,
                        Some("miss") => misses += 1,
                        other => panic!("reader {reader}: x-qanda-cache {other:?}"),
                    }
                }
                (hits, misses)
            })
        })
        .collect();

    for round in 1..=40 {
        let marker = format!("Marker r{round:02} end.");
        publish_answer(&publisher, &mut moving, &marker).await;
        published.store(round, Ordering::SeqCst);
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    done.store(true, Ordering::SeqCst);
    let (mut hits, mut misses) = (0u64, 0u64);
    for reader in readers {
        // Re-raise a reader's failed assertion with its own message.
        let (h, m) = reader
            .await
            .unwrap_or_else(|error| std::panic::resume_unwind(error.into_panic()));
        hits += h;
        misses += m;
    }
    println!(
        "8 concurrent readers over 40 publishes: {hits} hits, {misses} misses ({:.1}% hits)",
        100.0 * hits as f64 / (hits + misses) as f64
    );
    assert!(hits > 0, "concurrent readers were answered from the cache");
}

async fn generation(app: &TestApp) -> i64 {
    qanda::service::generation::current(&app.db)
        .await
        .expect("the content generation")
}

/// A database restored from a backup, or a standby promoted after a
/// failover, is behind: its generation is lower than the one this
/// replica's answers were built at. Failed against 7f82b34, where editing
/// brought the count back to the same number with other content and the
/// cache served the answers it had built before.
#[tokio::test]
async fn a_generation_that_goes_back_never_revives_answers_from_before() {
    let app = spawn_with(TestApp::builder()).await;
    let publisher = app.signed_in(Role::Publisher).await;
    let mut moving = items(&publisher).await.moving;
    // How far one publish moves the generation (on this backend, with
    // this way of numbering).
    let start = generation(&app).await;
    publish_answer(&publisher, &mut moving, "First edit.").await;
    let step = generation(&app).await - start;

    let cached = fill(&app, Channel::GraphqlGet, SLUG).await;
    assert!(cached.body.contains("First edit."));
    let built_at = generation(&app).await;
    // The restore: the same content, a generation one publish behind.
    app.db
        .execute_unprepared(&format!(
            "UPDATE content_generation SET generation = {} WHERE id = 1",
            built_at - step
        ))
        .await
        .expect("the generation is set back");

    // Editing goes on, with no read in between (a quiet replica). Where
    // generations simply count (as at 7f82b34), this brings the number
    // back to `built_at`, with other content.
    publish_answer(&publisher, &mut moving, "Second edit.").await;
    let read = Channel::GraphqlGet.read(&app, SLUG).await;
    assert!(
        read.body.contains("Second edit."),
        "an answer from before the restore was served ({:?}): {}",
        read.cache(),
        read.body
    );
}

/// What the response cache will not keep because it may be passing (a 500
/// page, a GraphQL INTERNAL error), no browser or proxy may keep either.
/// Failed against 7f82b34, which sent such answers `public, max-age=N`
/// like good ones, so an outage's answer could be kept for N seconds.
#[tokio::test]
async fn a_failure_is_kept_by_no_cache_even_with_a_max_age() {
    let app = spawn_with(TestApp::builder().configure(|args| args.cache_max_age = 120)).await;
    // An outage, as the server sees it: the questions cannot be read.
    app.db
        .execute_unprepared("ALTER TABLE questions RENAME TO questions_away")
        .await
        .expect("the table is renamed");

    let html = send(page_get(&app.client, &app.address, SLUG)).await;
    assert_eq!(html.status, 500);
    let graphql = send(graphql_get(&app.client, &app.address, &page_query(SLUG))).await;
    assert_eq!(
        graphql.json()["errors"][0]["extensions"]["code"],
        "INTERNAL"
    );
    for (what, read) in [("GET /pages", &html), ("GET /graphql", &graphql)] {
        let cache_control = read.header("cache-control").unwrap_or("");
        assert!(
            cache_control.contains("no-store") || cache_control.contains("no-cache"),
            "{what}: a failure may be reused by other caches: {cache_control}"
        );
        assert!(!cache_control.contains("public"), "{what}: {cache_control}");
    }
}

/// The number of answers the server has built for its response cache, as
/// `/metrics` shows it.
async fn builds(app: &TestApp, token: &str) -> u64 {
    let text = app
        .client
        .get(app.url("/metrics"))
        .bearer_auth(token)
        .send()
        .await
        .expect("the server answers")
        .text()
        .await
        .expect("a body");
    text.lines()
        .find_map(|line| line.strip_prefix("qanda_response_cache_builds_total "))
        .unwrap_or_else(|| panic!("no qanda_response_cache_builds_total in:\n{text}"))
        .trim()
        .parse::<f64>()
        .expect("a number") as u64
}

/// After a publish, readers who ask for the page at the same moment share
/// one build of it (single flight), and each gets the new answer: the
/// server counts one build, not one per reader. The page is large enough
/// that its build outlasts the readers' arrival; each reader has its own
/// connection, opened beforehand. Without single flight every reader built
/// the page (16 builds here).
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_misses_after_a_publish_share_one_build() {
    const TOKEN: &str = "single-flight-test-token";
    const READERS: usize = 16;
    let _turn = crate::helpers::METRICS.lock().await;
    let app = spawn_with(
        TestApp::builder().configure(|args| args.metrics_token = Some(TOKEN.to_owned())),
    )
    .await;
    let long_answer = "A long answer with **some** words in it, repeated. ".repeat(20);
    let questions: Vec<Value> = (0..300)
        .map(|n| {
            let mut question = question_doc(&format!("q{n:03}"), "PUBLISHED");
            question["answer"] = json!(format!("{long_answer} ({n})"));
            question
        })
        .collect();
    app.import_json(json!([page_doc(
        "big",
        "LIVE",
        json!([{ "slug": "all", "title": "Everything", "questions": questions }])
    )]))
    .await;
    let publisher = app.signed_in(Role::Publisher).await;
    let data = publisher
        .query(
            "{ page(slug: \"big\", includeDrafts: true) { categories { questions { id version } } } }",
            json!({}),
        )
        .await;
    let first = &data["page"]["categories"][0]["questions"][0];
    let mut question = Item {
        id: first["id"].clone(),
        version: first["version"].as_i64().expect("a version"),
    };
    // The draft edit changes nothing readers see; the publish does.
    question
        .change(
            &publisher,
            "updateQuestion",
            UPDATE_ANSWER,
            json!({ "a": "Published while everyone reads." }),
        )
        .await;

    // Each reader on a connection of its own, opened (and the page cached)
    // before the publish.
    let readers: Vec<Client> = (0..READERS).map(|_| Client::new()).collect();
    for reader in &readers {
        let read = send(graphql_get(reader, &app.address, &page_query("big"))).await;
        assert_eq!(read.status, 200);
    }
    question
        .change(&publisher, "publishQuestion", PUBLISH, json!({}))
        .await;
    let before = builds(&app, TOKEN).await;

    let start = Arc::new(tokio::sync::Barrier::new(READERS));
    let reads: Vec<_> = readers
        .into_iter()
        .map(|reader| {
            let (address, start) = (app.address.clone(), start.clone());
            tokio::spawn(async move {
                start.wait().await;
                send(graphql_get(&reader, &address, &page_query("big"))).await
            })
        })
        .collect();
    for read in reads {
        let read = read.await.expect("a reader");
        assert_eq!(read.status, 200);
        assert!(
            read.body.contains("Published while everyone reads."),
            "a read after the publish shows it"
        );
    }
    let built = builds(&app, TOKEN).await - before;
    assert_eq!(
        built, 1,
        "{READERS} concurrent reads after a publish built the page {built} times"
    );
}
