use crate::helpers::{run_cli, TestDatabase};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn migrate_is_idempotent() {
    let database = TestDatabase::fresh().await;
    let first = run_cli(&database, &["migrate"]);
    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    // Every migration there is, counted rather than written down, so that a
    // new migration does not need this test changed.
    let all = <migration::Migrator as migration::MigratorTrait>::migrations().len();
    assert!(
        String::from_utf8_lossy(&first.stdout).starts_with(&format!("{all} migration(s) applied")),
        "{}",
        String::from_utf8_lossy(&first.stdout)
    );
    let second = run_cli(&database, &["migrate"]);
    assert!(second.status.success());
    assert!(String::from_utf8_lossy(&second.stdout).starts_with("0 migration(s) applied"));
}

#[test]
fn help_explains_each_setting_and_its_environment_variable() {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_qanda"))
        .args(["serve", "--help"])
        .output()
        .unwrap();
    let help = String::from_utf8_lossy(&output.stdout);
    for needle in [
        "DATABASE_URL",
        "QANDA_BIND",
        "QANDA_BASE_URL",
        "QANDA_LOG",
        "127.0.0.1:8080",
        "sqlite://qanda.db",
    ] {
        assert!(
            help.contains(needle),
            "serve --help lacks {needle}:\n{help}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bad_database_url_is_a_clear_error() {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_qanda"))
        .args(["migrate"])
        .env("DATABASE_URL", "mysql://nobody@127.0.0.1:1/none")
        .output()
        .unwrap();
    assert!(!output.status.success());
    let message = String::from_utf8_lossy(&output.stderr);
    assert!(
        message.contains("could not connect to the database"),
        "{message}"
    );
}
