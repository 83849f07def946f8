//! Checks that hold when requests arrive at the same moment: each is made
//! inside the write (a row lock, an atomic upsert), never read first and
//! written later.

use entity::{sign_in_throttle, user};
use futures::future::join_all;
use qanda::domain::Role;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::{json, Value};

use crate::helpers::{TestApp, PASSWORD};

const DISABLE: &str = "mutation($id: ID!, $v: Int!) { disableUser(id: $id, version: $v) { id } }";
const DEMOTE: &str =
    "mutation($id: ID!, $v: Int!) { setUserRole(id: $id, version: $v, role: EDITOR) { id } }";
const SIGN_IN: &str =
    "mutation($e: String!, $p: String!) { signIn(email: $e, password: $p) { id } }";

async fn active_admins(app: &TestApp) -> u64 {
    user::Entity::find()
        .filter(user::Column::Role.eq("ADMIN"))
        .filter(user::Column::Disabled.eq(false))
        .count(&app.db)
        .await
        .unwrap()
}

async fn version_of(app: &TestApp, id: &str) -> i32 {
    user::Entity::find_by_id(id.parse::<i32>().unwrap())
        .one(&app.db)
        .await
        .unwrap()
        .expect("the user exists")
        .version
}

/// Makes the user an active admin again, directly in the database.
async fn reinstate_admin(app: &TestApp, id: &str) {
    use sea_orm::sea_query::Expr;
    user::Entity::update_many()
        .col_expr(user::Column::Role, Expr::value("ADMIN"))
        .col_expr(user::Column::Disabled, Expr::value(false))
        .filter(user::Column::Id.eq(id.parse::<i32>().unwrap()))
        .exec(&app.db)
        .await
        .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_demotions_always_leave_an_active_admin() {
    let app = TestApp::spawn().await;
    let first = app.signed_in(Role::Admin).await;
    let second = app.signed_in(Role::Admin).await;
    let (first_id, second_id) = (
        first.user_id.clone().unwrap(),
        second.user_id.clone().unwrap(),
    );
    for round in 0..50 {
        let (first_version, second_version) = (
            version_of(&app, &first_id).await,
            version_of(&app, &second_id).await,
        );
        // 20 attempts at once: each admin demotes or disables the other.
        let attempts = (0..20).map(|i| {
            let (person, target, version) = if i % 2 == 0 {
                (&first, &second_id, second_version)
            } else {
                (&second, &first_id, first_version)
            };
            let query = if i % 4 < 2 { DISABLE } else { DEMOTE };
            person.post_graphql(query, json!({ "id": target, "v": version }))
        });
        let answers: Vec<(u16, Value)> = join_all(attempts).await;
        let codes: Vec<&str> = answers
            .iter()
            .filter_map(|(_, body)| body["errors"][0]["extensions"]["code"].as_str())
            .collect();
        assert!(
            codes
                .iter()
                // A disabled or demoted admin's own later attempts are
                // refused as such.
                .all(
                    |c| ["CONFLICT", "BAD_USER_INPUT", "FORBIDDEN", "UNAUTHENTICATED"].contains(c)
                ),
            "round {round}: {codes:?}"
        );
        assert!(
            active_admins(&app).await >= 1,
            "round {round}: no active admin left; answers: {answers:?}"
        );
        reinstate_admin(&app, &first_id).await;
        reinstate_admin(&app, &second_id).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_wrong_passwords_are_all_counted() {
    let app = TestApp::spawn().await;
    let email = "target@example.org";
    app.create_user(email, Role::Editor).await;
    let person = app.anonymous();
    let attempts = (0..50)
        .map(|_| person.post_graphql(SIGN_IN, json!({ "e": email, "p": "not the password" })));
    let answers: Vec<(u16, Value)> = join_all(attempts).await;
    let count = |code: &str| {
        answers
            .iter()
            .filter(|(_, body)| body["errors"][0]["extensions"]["code"] == code)
            .count()
    };
    assert_eq!(
        (count("UNAUTHENTICATED"), count("RATE_LIMITED")),
        (5, 45),
        "only the first 5 attempts are checked: {answers:?}"
    );
    let row = sign_in_throttle::Entity::find_by_id(format!("account:{email}"))
        .one(&app.db)
        .await
        .unwrap()
        .expect("the account's attempts are counted");
    assert_eq!(row.failures, 50, "every attempt was counted");
    // The right password, now, is refused too: the account is locked.
    person
        .expect_error(
            SIGN_IN,
            json!({ "e": email, "p": PASSWORD }),
            "RATE_LIMITED",
        )
        .await;
}
