//! The GraphQL schema: thin resolvers over the service layer.

mod loaders;
mod query;
mod types;

use async_graphql::{EmptyMutation, EmptySubscription, Schema, SchemaBuilder};

pub use loaders::Loaders;
pub use query::QueryRoot;

pub type QandaSchema = Schema<QueryRoot, EmptyMutation, EmptySubscription>;

/// Depth and complexity limits keep any one query cheap to answer.
pub fn builder() -> SchemaBuilder<QueryRoot, EmptyMutation, EmptySubscription> {
    Schema::build(QueryRoot, EmptyMutation, EmptySubscription)
        .limit_depth(16)
        .limit_complexity(5_000)
        .limit_recursive_depth(64)
}

/// The SDL, as `qanda schema` prints and GET /schema.graphql serves it.
pub fn sdl() -> String {
    builder().finish().sdl()
}
