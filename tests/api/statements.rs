//! No N+1: the whole-page query runs the same number of SQL statements
//! however many categories and questions the page has. The response cache
//! is off here: these count what answering costs when it has to be built.

use serde_json::{json, Value};

use crate::helpers::{page_doc, question_doc, TestApp};

const WHOLE_PAGE: &str = r#"query Page($slug: String!) {
  page(slug: $slug) {
    title intro introHtml footer status
    categories { slug title position questions { id slug question answer answerHtml position status version publishedAt category { slug } } }
  }
}"#;

fn page_with(slug: &str, categories: usize, per_category: usize) -> Value {
    let categories: Vec<Value> = (0..categories)
        .map(|c| {
            let questions: Vec<Value> = (0..per_category)
                .map(|q| question_doc(&format!("q-{c}-{q}"), "PUBLISHED"))
                .collect();
            json!({ "slug": format!("c-{c}"), "title": format!("Category {c}"), "questions": questions })
        })
        .collect();
    page_doc(slug, "LIVE", Value::Array(categories))
}

async fn statements_for(app: &TestApp, slug: &str) -> (u64, usize) {
    let before = app.statements.get();
    let data = app.query(WHOLE_PAGE, json!({ "slug": slug })).await;
    let after = app.statements.get();
    let questions = data["page"]["categories"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["questions"].as_array().unwrap().len())
        .sum();
    (after - before, questions)
}

#[tokio::test]
async fn whole_page_query_runs_a_fixed_number_of_statements() {
    let app = TestApp::builder()
        .without_sample()
        .configure(|args| args.no_response_cache = true)
        .spawn()
        .await;
    app.import_json(json!([
        page_with("small", 1, 3),
        page_with("large", 10, 30)
    ]))
    .await;

    let (small, small_questions) = statements_for(&app, "small").await;
    let (large, large_questions) = statements_for(&app, "large").await;
    assert_eq!(small_questions, 3);
    assert_eq!(large_questions, 300);
    println!("statements: {small} for 3 questions, {large} for 300 questions");
    assert_eq!(small, large, "statement count must not grow with content");
    // The page, its categories, their questions: one statement each.
    assert_eq!(small, 3);
}

#[tokio::test]
async fn listing_every_page_with_its_tree_runs_a_fixed_number_of_statements() {
    let app = TestApp::builder()
        .without_sample()
        .configure(|args| args.no_response_cache = true)
        .spawn()
        .await;
    app.import_json(json!([page_with("one", 2, 2), page_with("two", 5, 20)]))
        .await;
    let query = "{ pages { slug categories { slug questions { slug category { slug } } } } }";
    let before = app.statements.get();
    let data = app.query(query, json!({})).await;
    let used = app.statements.get() - before;
    assert_eq!(data["pages"].as_array().unwrap().len(), 2);
    assert_eq!(
        data["pages"][1]["categories"][4]["questions"][19]["category"]["slug"],
        "c-4"
    );
    assert_eq!(used, 3, "pages, all their categories, all their questions");
}
