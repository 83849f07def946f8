//! Per-request batch loaders: each turns many lookups made while resolving
//! one query into a single `IN (…)` statement.

use std::collections::HashMap;
use std::sync::Arc;

use async_graphql::dataloader::Loader;
use chrono::{DateTime, Utc};
use entity::{category, user};
use sea_orm::DatabaseConnection;

use crate::domain::Viewer;
use crate::error::AppError;
use crate::service::audit_log::{TargetKind, TargetSummary};
use crate::service::questions::QuestionView;
use crate::service::{self, Visibility};

pub struct Loaders {
    db: DatabaseConnection,
    /// Who the request is for: some reads are theirs to make or not.
    viewer: Viewer,
}

impl Loaders {
    pub fn new(db: DatabaseConnection, viewer: Viewer) -> Self {
        Self { db, viewer }
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

/// A user by id: an author or an actor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct UserById(pub i32);

/// Whether a user signs in with an authenticator app, where the viewer may
/// know (absent otherwise).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct SecondFactorOfUser(pub i32);

/// The item an audit event names, as it is now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct AuditTarget(pub TargetKind, pub i32);

/// When anything on one page last changed, as one reader may know it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct LastChangedOfPage(pub i32, pub Visibility);

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
loader_per_visibility!(LastChangedOfPage => DateTime<Utc>, service::pages::last_changed);

impl Loader<UserById> for Loaders {
    type Value = user::Model;
    type Error = Arc<AppError>;

    async fn load(&self, keys: &[UserById]) -> Result<HashMap<UserById, Self::Value>, Self::Error> {
        let ids: Vec<i32> = keys.iter().map(|k| k.0).collect();
        let found = service::people::by_ids(&self.db, &ids).await?;
        Ok(found.into_iter().map(|(id, u)| (UserById(id), u)).collect())
    }
}

impl Loader<SecondFactorOfUser> for Loaders {
    type Value = bool;
    type Error = Arc<AppError>;

    async fn load(
        &self,
        keys: &[SecondFactorOfUser],
    ) -> Result<HashMap<SecondFactorOfUser, bool>, Self::Error> {
        let ids: Vec<i32> = keys.iter().map(|k| k.0).collect();
        let found = service::two_factor::enrolment_of(&self.db, &self.viewer, &ids).await?;
        Ok(found
            .into_iter()
            .map(|(id, enrolled)| (SecondFactorOfUser(id), enrolled))
            .collect())
    }
}

impl Loader<AuditTarget> for Loaders {
    type Value = TargetSummary;
    type Error = Arc<AppError>;

    async fn load(
        &self,
        keys: &[AuditTarget],
    ) -> Result<HashMap<AuditTarget, Self::Value>, Self::Error> {
        let wanted: Vec<(TargetKind, i32)> = keys.iter().map(|k| (k.0, k.1)).collect();
        let found = service::audit_log::targets(&self.db, &self.viewer, &wanted).await?;
        Ok(found
            .into_iter()
            .map(|((kind, id), summary)| (AuditTarget(kind, id), summary))
            .collect())
    }
}
