//! The GraphQL schema: thin resolvers over the service layer.

mod admin;
mod checks;
mod enums;
pub mod limits;
mod loaders;
mod mail;
pub mod mutation;
mod query;
mod review;
mod two_factor;
mod types;
mod webhooks;

use async_graphql::{EmptySubscription, ErrorExtensions, MergedObject, Schema, SchemaBuilder, ID};

use crate::error::{AppError, AppResult};

pub use loaders::Loaders;
pub use mutation::MutationRoot;
pub use query::QueryRoot;

// The root types join the content and staff resolvers with the webhook ones
// (kept in their own file); clients see one QueryRoot and one MutationRoot.
#[derive(MergedObject)]
#[graphql(name = "QueryRoot")]
pub struct Query(
    QueryRoot,
    webhooks::WebhookQuery,
    two_factor::TwoFactorQuery,
    review::ReviewQuery,
    mail::MailQuery,
);

#[derive(MergedObject)]
#[graphql(name = "MutationRoot")]
pub struct Mutation(
    MutationRoot,
    webhooks::WebhookMutation,
    review::ReviewMutation,
    two_factor::TwoFactorMutation,
    mail::MailMutation,
);

pub type QandaSchema = Schema<Query, Mutation, EmptySubscription>;

/// The schema with the default limits.
pub fn builder() -> SchemaBuilder<Query, Mutation, EmptySubscription> {
    builder_with(&limits::QueryLimits::default())
}

/// Depth and complexity limits keep any one query cheap to answer; they and
/// the argument checks live in an extension, so every transport that runs
/// the schema gets them. The recursion limit bounds async-graphql's own
/// recursive walks (fragment spreads while validating).
pub fn builder_with(
    limits: &limits::QueryLimits,
) -> SchemaBuilder<Query, Mutation, EmptySubscription> {
    Schema::build(
        Query(
            QueryRoot,
            webhooks::WebhookQuery,
            two_factor::TwoFactorQuery,
            review::ReviewQuery,
            mail::MailQuery,
        ),
        Mutation(
            MutationRoot,
            webhooks::WebhookMutation,
            review::ReviewMutation,
            two_factor::TwoFactorMutation,
            mail::MailMutation,
        ),
        EmptySubscription,
    )
    .extension(checks::QueryChecks::new(limits))
    .extension(two_factor::EnrolmentGate)
    .limit_recursive_depth(64)
}

/// The SDL, as `qanda schema` prints and GET /schema.graphql serves it.
pub fn sdl() -> String {
    builder().finish().sdl()
}

/// Service results become GraphQL errors carrying `extensions.code`.
pub(crate) trait Gql<T> {
    fn gql(self) -> async_graphql::Result<T>;
}

impl<T> Gql<T> for AppResult<T> {
    fn gql(self) -> async_graphql::Result<T> {
        self.map_err(|e| e.extend())
    }
}

/// Ids are positive integers on the wire as strings.
pub(crate) fn parse_id(field: &str, id: &ID) -> async_graphql::Result<i32> {
    id.parse::<i32>().ok().filter(|n| *n > 0).ok_or_else(|| {
        AppError::field(field, format!("'{}' is not a valid id", id.as_str())).extend()
    })
}

/// Page sizes for cursor connections.
pub(crate) fn page_size(first: Option<i32>) -> async_graphql::Result<u64> {
    match first {
        None => Ok(20),
        Some(n @ 1..=100) => Ok(n as u64),
        Some(_) => Err(AppError::field("first", "Ask for between 1 and 100 items").extend()),
    }
}

/// Cursors are the id of the last item seen.
pub(crate) fn parse_cursor(after: Option<&str>) -> async_graphql::Result<Option<i32>> {
    after
        .map(|c| {
            c.parse::<i32>().map_err(|_| {
                AppError::field(
                    "after",
                    "This cursor is not valid; use one from pageInfo.endCursor",
                )
                .extend()
            })
        })
        .transpose()
}

/// One page of a newest-first list whose cursor is the last id seen: reads
/// `first` and `after`, asks `fetch(before, limit + 1)` for the rows and the
/// total (the extra row says there is a next page) and builds the connection.
pub(crate) async fn newest_first<R, N, Fut>(
    first: Option<i32>,
    after: Option<String>,
    fetch: impl FnOnce(Option<i32>, u64) -> Fut,
    id: impl Fn(&R) -> i32,
    wrap: impl Fn(R) -> N,
) -> async_graphql::Result<admin::CountedConnection<N>>
where
    Fut: std::future::Future<Output = AppResult<(Vec<R>, u64)>>,
    N: async_graphql::OutputType,
{
    let limit = page_size(first)?;
    let before = parse_cursor(after.as_deref())?;
    let (rows, total) = fetch(before, limit + 1).await.gql()?;
    let connection = admin::connection(rows, total, limit, before.is_some(), id, wrap);
    Ok(connection)
}
