//! `qanda user …`: passwords come from a prompt or standard input, never argv.

use serde_json::json;

use crate::helpers::{run_cli, run_cli_with_input, TestApp};

const SIGN_IN: &str =
    "mutation($e: String!, $p: String!) { signIn(email: $e, password: $p) { email role } }";

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn users_added_at_the_command_line_can_sign_in() {
    let app = TestApp::spawn().await;
    let output = run_cli_with_input(
        &app.database,
        &[
            "user",
            "add",
            "--email",
            "Pat@Example.org",
            "--name",
            "Pat Publisher",
            "--role",
            "publisher",
        ],
        "a long enough password\n",
    );
    assert!(output.status.success(), "{}", text(&output.stderr));
    assert!(text(&output.stdout).contains("pat@example.org (Pat Publisher, PUBLISHER)"));

    let data = app
        .anonymous()
        .query(
            SIGN_IN,
            json!({ "e": "pat@example.org", "p": "a long enough password" }),
        )
        .await;
    assert_eq!(data["signIn"]["role"], "PUBLISHER");

    let list = run_cli(&app.database, &["user", "list"]);
    assert!(
        text(&list.stdout).contains("pat@example.org\tPat Publisher\tPUBLISHER\tactive"),
        "{}",
        text(&list.stdout)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_input_is_refused_and_adds_no_one() {
    let app = TestApp::spawn().await;
    let short = run_cli_with_input(
        &app.database,
        &["user", "add", "--email", "a@example.org", "--name", "A"],
        "short\n",
    );
    assert!(!short.status.success());
    assert!(
        text(&short.stderr).contains("password: Password must be 12 characters or more"),
        "{}",
        text(&short.stderr)
    );

    let bad_email = run_cli_with_input(
        &app.database,
        &["user", "add", "--email", "nope", "--name", "A"],
        "long enough password\n",
    );
    assert!(!bad_email.status.success());
    assert!(text(&bad_email.stderr).contains("email: Enter an email address in the correct format"));

    let bad_role = run_cli_with_input(
        &app.database,
        &[
            "user",
            "add",
            "--email",
            "a@example.org",
            "--name",
            "A",
            "--role",
            "boss",
        ],
        "long enough password\n",
    );
    assert!(!bad_role.status.success());
    assert!(
        text(&bad_role.stderr).contains("EDITOR, PUBLISHER, ADMIN"),
        "{}",
        text(&bad_role.stderr)
    );

    let list = run_cli(&app.database, &["user", "list"]);
    assert_eq!(text(&list.stdout), "", "no user was added");

    let twice = ["user", "add", "--email", "b@example.org", "--name", "B"];
    assert!(
        run_cli_with_input(&app.database, &twice, "long enough password\n")
            .status
            .success()
    );
    let again = run_cli_with_input(&app.database, &twice, "long enough password\n");
    assert!(!again.status.success());
    assert!(text(&again.stderr).contains("There is already a user with this email address"));
}

#[test]
fn passwords_are_never_taken_from_the_command_line() {
    let help = std::process::Command::new(env!("CARGO_BIN_EXE_qanda"))
        .args(["user", "add", "--help"])
        .output()
        .unwrap();
    assert!(!text(&help.stdout).contains("--password"));
    let refused = std::process::Command::new(env!("CARGO_BIN_EXE_qanda"))
        .args([
            "user",
            "add",
            "--email",
            "a@example.org",
            "--name",
            "A",
            "--password",
            "secret secret",
        ])
        .output()
        .unwrap();
    assert!(!refused.status.success());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn disable_enable_set_role_and_reset_password() {
    let app = TestApp::spawn().await;
    let add = [
        "user",
        "add",
        "--email",
        "ed@example.org",
        "--name",
        "Ed",
        "--role",
        "EDITOR",
    ];
    assert!(
        run_cli_with_input(&app.database, &add, "first password here\n")
            .status
            .success()
    );
    let person = app.anonymous();
    let sign_in = |p: &'static str| json!({ "e": "ed@example.org", "p": p });

    assert!(
        run_cli(&app.database, &["user", "disable", "ed@example.org"])
            .status
            .success()
    );
    person
        .expect_error(SIGN_IN, sign_in("first password here"), "UNAUTHENTICATED")
        .await;
    assert!(
        run_cli(&app.database, &["user", "enable", "ed@example.org"])
            .status
            .success()
    );
    person.query(SIGN_IN, sign_in("first password here")).await;

    let output = run_cli(
        &app.database,
        &["user", "set-role", "ed@example.org", "publisher"],
    );
    assert!(output.status.success(), "{}", text(&output.stderr));
    let me = person.query("{ me { role } }", json!({})).await;
    assert_eq!(
        me["me"]["role"], "PUBLISHER",
        "a role change applies to the live session"
    );

    let output = run_cli_with_input(
        &app.database,
        &["user", "reset-password", "ed@example.org"],
        "second password here\n",
    );
    assert!(output.status.success(), "{}", text(&output.stderr));
    let me = person.query("{ me { email } }", json!({})).await;
    assert!(
        me["me"].is_null(),
        "a password reset ends existing sessions"
    );
    person
        .expect_error(SIGN_IN, sign_in("first password here"), "UNAUTHENTICATED")
        .await;
    person.query(SIGN_IN, sign_in("second password here")).await;

    let missing = run_cli(&app.database, &["user", "disable", "nobody@example.org"]);
    assert!(!missing.status.success());
    assert!(text(&missing.stderr)
        .contains("there is no user with the email address nobody@example.org"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_last_admin_cannot_be_disabled_or_demoted() {
    let app = TestApp::spawn().await;
    let add = [
        "user",
        "add",
        "--email",
        "root@example.org",
        "--name",
        "Root",
        "--role",
        "ADMIN",
    ];
    assert!(
        run_cli_with_input(&app.database, &add, "root password here\n")
            .status
            .success()
    );
    for args in [
        vec!["user", "disable", "root@example.org"],
        vec!["user", "set-role", "root@example.org", "EDITOR"],
    ] {
        let output = run_cli(&app.database, &args);
        assert!(!output.status.success(), "{args:?}");
        assert!(
            text(&output.stderr).contains("no active admin"),
            "{}",
            text(&output.stderr)
        );
    }
    let list = run_cli(&app.database, &["user", "list"]);
    assert!(text(&list.stdout).contains("root@example.org\tRoot\tADMIN\tactive"));
}
