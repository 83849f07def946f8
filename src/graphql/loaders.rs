//! Per-request batch loaders: each turns many lookups made while resolving
//! one query into a single `IN (…)` statement.

use std::collections::HashMap;
use std::sync::Arc;

use async_graphql::dataloader::Loader;
use entity::category;
use sea_orm::DatabaseConnection;

use crate::error::AppError;
use crate::service::questions::QuestionView;
use crate::service::{self, Visibility};

pub struct Loaders {
    db: DatabaseConnection,
}

impl Loaders {
    pub fn new(db: DatabaseConnection) -> Self {
        Self { db }
    }
}

/// The categories of one page, as one reader may see them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct CategoriesOfPage(pub i32, pub Visibility);

/// The questions of one category, as one reader may see them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct QuestionsOfCategory(pub i32, pub Visibility);

/// One category by id, as one reader may see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct CategoryById(pub i32, pub Visibility);

/// Groups keys by visibility so each group is one query (in practice a
/// request has one visibility, so one query).
fn by_visibility<K: Copy>(
    keys: &[K],
    split: impl Fn(K) -> (i32, Visibility),
) -> HashMap<Visibility, Vec<i32>> {
    let mut groups: HashMap<Visibility, Vec<i32>> = HashMap::new();
    for key in keys {
        let (id, vis) = split(*key);
        groups.entry(vis).or_default().push(id);
    }
    groups
}

/// Every loader here answers its keys the same way, with one service call
/// per visibility among them; only the key, the value and the call differ.
macro_rules! loader_per_visibility {
    ($key:ident => $value:ty, $fetch:path) => {
        impl Loader<$key> for Loaders {
            type Value = $value;
            type Error = Arc<AppError>;

            async fn load(&self, keys: &[$key]) -> Result<HashMap<$key, $value>, Self::Error> {
                let mut out = HashMap::new();
                for (vis, ids) in by_visibility(keys, |k| (k.0, k.1)) {
                    let found = $fetch(&self.db, vis, &ids).await?;
                    out.extend(found.into_iter().map(|(id, v)| ($key(id, vis), v)));
                }
                Ok(out)
            }
        }
    };
}

loader_per_visibility!(CategoriesOfPage => Vec<category::Model>, service::categories::for_pages);
loader_per_visibility!(QuestionsOfCategory => Vec<QuestionView>, service::questions::for_categories);
loader_per_visibility!(CategoryById => category::Model, service::categories::by_ids);
