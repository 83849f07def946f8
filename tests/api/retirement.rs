//! Retiring and reinstating a page: what readers, API clients and staff see.

use qanda::domain::Role;
use serde_json::json;

use crate::helpers::TestApp;

const PAGE: &str = "{ page(slug: \"local-digital-qa\") { id version status retirementNotice replacementUrl redirectsToReplacement retiredAt categories { questions { id } } } }";
const RETIRE: &str = "mutation($id: ID!, $v: Int!, $n: String!, $u: String, $r: Boolean!) { retirePage(id: $id, version: $v, notice: $n, replacementUrl: $u, redirect: $r) { version status retiredAt } }";
const REINSTATE: &str = "mutation($id: ID!, $v: Int!) { reinstatePage(id: $id, version: $v) { version status retiredAt } }";

#[tokio::test]
async fn retiring_keeps_content_and_reinstating_brings_it_back() {
    let app = TestApp::spawn().await;
    let admin = app.signed_in(Role::Admin).await;
    let page = app.query(PAGE, json!({})).await["page"].clone();
    let (id, version) = (page["id"].clone(), page["version"].as_i64().unwrap());

    let retired = admin
        .query(
            RETIRE,
            json!({ "id": id, "v": version, "n": "This Q&A has closed.", "u": "https://example.org/new", "r": false }),
        )
        .await["retirePage"]
        .clone();
    assert_eq!(retired["status"], "RETIRED");
    assert_eq!(retired["version"], version + 1);
    assert!(retired["retiredAt"].is_string());

    let public = app.query(PAGE, json!({})).await["page"].clone();
    assert_eq!(public["status"], "RETIRED");
    assert_eq!(public["retirementNotice"], "This Q&A has closed.");
    assert_eq!(public["replacementUrl"], "https://example.org/new");
    assert_eq!(public["categories"], json!([]), "no questions once retired");
    let response = app
        .client
        .get(app.url("/pages/local-digital-qa"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 410);
    assert!(response
        .text()
        .await
        .unwrap()
        .contains("This Q&amp;A has closed."));

    let back = admin
        .query(REINSTATE, json!({ "id": id, "v": version + 1 }))
        .await["reinstatePage"]
        .clone();
    assert_eq!(back["status"], "LIVE");
    assert!(back["retiredAt"].is_null());
    let public = app.query(PAGE, json!({})).await["page"].clone();
    let questions: usize = public["categories"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["questions"].as_array().unwrap().len())
        .sum();
    assert_eq!(questions, 7, "every question is back");
    let response = app
        .client
        .get(app.url("/pages/local-digital-qa"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);

    let events = admin
        .query("{ auditEvents(action: \"page.retire\") { totalCount } r: auditEvents(action: \"page.reinstate\") { totalCount } }", json!({}))
        .await;
    assert_eq!(events["auditEvents"]["totalCount"], 1);
    assert_eq!(events["r"]["totalCount"], 1);
}

#[tokio::test]
async fn retirement_is_for_admins_and_bad_input_changes_nothing() {
    let app = TestApp::spawn().await;
    let page = app.query(PAGE, json!({})).await["page"].clone();
    let id = page["id"].clone();
    let args = json!({ "id": id, "v": 1, "n": "Closed.", "u": null, "r": false });
    app.anonymous()
        .expect_error(RETIRE, args.clone(), "UNAUTHENTICATED")
        .await;
    app.signed_in(Role::Publisher)
        .await
        .expect_error(RETIRE, args.clone(), "FORBIDDEN")
        .await;
    app.signed_in(Role::Publisher)
        .await
        .expect_error(REINSTATE, json!({ "id": id, "v": 1 }), "FORBIDDEN")
        .await;

    let admin = app.signed_in(Role::Admin).await;
    let cases = [
        (
            json!({ "id": id, "v": 1, "n": "  ", "u": null, "r": false }),
            "notice",
        ),
        (
            json!({ "id": id, "v": 1, "n": "Closed.", "u": "javascript:alert(1)", "r": false }),
            "replacementUrl",
        ),
        (
            json!({ "id": id, "v": 1, "n": "Closed.", "u": "not a url", "r": false }),
            "replacementUrl",
        ),
        (
            json!({ "id": id, "v": 1, "n": "Closed.", "u": null, "r": true }),
            "replacementUrl",
        ),
    ];
    for (args, field) in cases {
        let error = admin.expect_error(RETIRE, args, "BAD_USER_INPUT").await;
        assert_eq!(error["extensions"]["fields"][0]["field"], field, "{error}");
    }
    admin
        .expect_error(
            RETIRE,
            json!({ "id": id, "v": 7, "n": "Closed.", "u": null, "r": false }),
            "CONFLICT",
        )
        .await;
    admin
        .expect_error(REINSTATE, json!({ "id": id, "v": 1 }), "BAD_USER_INPUT")
        .await;
    let after = app.query(PAGE, json!({})).await["page"].clone();
    assert_eq!(after["status"], "LIVE");
    assert_eq!(after["version"], 1, "nothing changed");
}

#[tokio::test]
async fn a_redirecting_retirement_answers_301() {
    let app = TestApp::spawn().await;
    let admin = app.signed_in(Role::Admin).await;
    let id = app.query(PAGE, json!({})).await["page"]["id"].clone();
    admin
        .query(
            RETIRE,
            json!({ "id": id, "v": 1, "n": "Moved.", "u": "https://example.org/moved", "r": true }),
        )
        .await;
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let response = client
        .get(app.url("/pages/local-digital-qa"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 301);
    assert_eq!(response.headers()["location"], "https://example.org/moved");
}
