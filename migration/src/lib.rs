//! Database migrations for qanda. One migration per change; never edit one
//! that has shipped, add a new one instead.

pub use sea_orm_migration::prelude::*;

mod m20261126_000001_content_model;
mod m20261127_000002_sign_in_support;
mod m20261127_000003_delivery;
mod m20261127_000004_webhooks;
mod m20261127_000005_search_trigger_when;
mod m20261203_000006_published_copies;
mod m20261203_000007_page_updates;
mod m20261203_000008_revision_action;
mod m20261203_000009_reviews;
mod m20261203_000010_mail;
mod m20261203_000011_two_factor;
mod m20261203_000012_generation_at_commit;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261126_000001_content_model::Migration),
            Box::new(m20261127_000002_sign_in_support::Migration),
            Box::new(m20261127_000003_delivery::Migration),
            Box::new(m20261127_000004_webhooks::Migration),
            Box::new(m20261127_000005_search_trigger_when::Migration),
            Box::new(m20261203_000006_published_copies::Migration),
            Box::new(m20261203_000007_page_updates::Migration),
            Box::new(m20261203_000008_revision_action::Migration),
            Box::new(m20261203_000009_reviews::Migration),
            Box::new(m20261203_000010_mail::Migration),
            Box::new(m20261203_000011_two_factor::Migration),
            Box::new(m20261203_000012_generation_at_commit::Migration),
        ]
    }
}
