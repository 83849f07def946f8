//! Every database query and every rule lives here. Each function takes the
//! acting `Viewer` (or a `Visibility` derived from it) explicitly.

pub mod audit;
pub mod audit_log;
pub mod categories;
pub mod categories_edit;
pub mod changes;
pub mod constraints;
mod editing;
pub mod generation;
pub mod health;
pub mod import_export;
pub mod pages;
pub mod pages_edit;
pub mod people;
pub mod questions;
pub mod questions_edit;
pub mod revisions;
pub mod schedule;
pub mod search;
pub mod users;
mod versioned;
pub mod webhook_target;
pub mod webhook_worker;
pub mod webhooks;

use chrono::{DateTime, SubsecRound, Utc};

use crate::domain::Viewer;

/// What a read may return. Anonymous readers always get `Public`, whatever
/// they ask for; signed-in staff get `Everything` only when they ask.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Visibility {
    /// LIVE and RETIRED pages, categories not archived, PUBLISHED questions
    /// with their last published text.
    Public,
    /// Drafts, archived items and working copies too.
    Everything,
    /// The public page as it will be once the drafts are published (its
    /// `?preview=true`): working copies and drafts, but nothing archived or
    /// past its removal time.
    Preview,
}

impl Visibility {
    /// The public page: a preview for signed-in staff who ask for one, the
    /// published page for anyone else.
    pub fn for_page(viewer: &Viewer, wants_preview: bool) -> Visibility {
        match Visibility::for_viewer(viewer, wants_preview) {
            Visibility::Public => Visibility::Public,
            _ => Visibility::Preview,
        }
    }

    pub fn for_viewer(viewer: &Viewer, include_unpublished: bool) -> Visibility {
        if include_unpublished && viewer.may_see_unpublished() {
            Visibility::Everything
        } else {
            Visibility::Public
        }
    }
}

/// The current time at the precision both databases store (microseconds),
/// so that a value read back equals the value written.
pub fn now() -> DateTime<Utc> {
    Utc::now().trunc_subsecs(6)
}
