//! The GraphQL-over-HTTP specification's official audit (the npm package
//! `graphql-http`, `serverAudits`) against the real server: no MUST and no
//! SHOULD may fail.

use serde_json::Value;

use crate::helpers::TestApp;

#[tokio::test]
async fn the_official_graphql_over_http_audit_passes() {
    let app = TestApp::spawn().await;
    let script = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/api/node/graphql-http-audit.cjs");
    let url = app.url("/graphql");
    // node blocks its thread; the server runs on this test's runtime.
    let output = tokio::task::spawn_blocking(move || {
        std::process::Command::new("node")
            .arg(script)
            .arg(url)
            .output()
            .expect("node runs (it is needed to build the admin UI too)")
    })
    .await
    .unwrap();
    assert!(
        output.status.success(),
        "the audit ran: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let report: Value = serde_json::from_slice(&output.stdout).expect("one JSON line");
    eprintln!(
        "graphql-http audit: {} audits; MUST {} of {} failed, SHOULD {} of {} failed; {}",
        report["total"],
        report["must"]["failed"],
        report["must"]["total"],
        report["should"]["failed"],
        report["should"]["total"],
        report["counts"]
    );
    assert_eq!(report["must"]["failed"], 0, "{report:#}");
    assert_eq!(report["should"]["failed"], 0, "{report:#}");
    assert!(report["total"].as_u64().unwrap() >= 40, "{report}");
}
