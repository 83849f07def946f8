//! The schema's enums. Each mirrors a domain enum (`remote`), so the domain
//! and storage types carry no GraphQL derive and the schema's names and
//! documentation are written here, where the contract lives.

use async_graphql::Enum;

/// Where a page is in its life.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "crate::domain::PageStatus")]
pub enum PageStatus {
    /// Being prepared; only signed-in staff can see it.
    Draft,
    /// Public.
    Live,
    /// Withdrawn: answers with its retirement notice and no questions.
    Retired,
}

/// Where a question is in its life.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "crate::domain::QuestionStatus")]
pub enum QuestionStatus {
    /// Never published, or unpublished; only signed-in staff can see it.
    Draft,
    /// Public: readers see the last published text.
    Published,
    /// Hidden from the public, kept, and restorable.
    Archived,
}

/// What a member of staff may do.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "crate::domain::Role")]
pub enum Role {
    /// Drafts and edits questions and answers.
    Editor,
    /// Also publishes, unpublishes, archives, restores and deletes.
    Publisher,
    /// Also manages users, pages and the audit log.
    Admin,
}

/// Something that happened which a webhook can be told about.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "crate::domain::WebhookEvent")]
pub enum WebhookEvent {
    /// A question was published (by hand or on schedule), or its new text was.
    QuestionPublished,
    /// A published question went back to draft.
    QuestionUnpublished,
    /// A question was archived, by hand or when its expiry time came.
    QuestionArchived,
    /// A page was retired, by hand or on schedule.
    PageRetired,
    /// A page's working copy was published: its text, its categories'
    /// titles and order, and where its questions stand.
    PagePublished,
}

/// Where one delivery of an event to a webhook stands.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "crate::domain::WebhookDeliveryStatus")]
pub enum WebhookDeliveryStatus {
    /// Waiting for its first attempt or for a retry.
    Pending,
    /// The receiver answered with a 2xx status.
    Delivered,
    /// Every attempt failed; it can be sent again by hand.
    Failed,
}

#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "crate::service::revisions::DiffKind")]
pub enum DiffKind {
    /// In both revisions.
    Same,
    /// Only in the later revision.
    Added,
    /// Only in the earlier revision.
    Removed,
}

/// What happened to make a revision.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "crate::domain::RevisionAction")]
pub enum RevisionAction {
    /// Created.
    Created,
    /// Edited and saved.
    Saved,
    /// Published by a person.
    Published,
    /// Published when its publish time came.
    PublishedOnSchedule,
    /// Taken back to draft.
    Unpublished,
    /// Archived by a person.
    Archived,
    /// Archived when its expiry time came.
    Expired,
    /// Brought back from the archive.
    Restored,
    /// An earlier version's text brought back.
    VersionRestored,
    /// Moved to another place or category.
    Moved,
    /// Its publish or expiry time set or cleared.
    Scheduled,
    /// A page set to draft or live.
    StatusChanged,
    /// A page retired.
    Retired,
    /// A page's retirement scheduled.
    RetirementScheduled,
    /// A page's scheduled retirement cancelled.
    RetirementCancelled,
    /// A retired page brought back.
    Reinstated,
    /// Written by an import.
    Imported,
    /// Sent to publishers for review.
    SentForReview,
    /// Sent back to its editor by a reviewer.
    SentBack,
    /// Not known: kept before revisions said what happened.
    Changed,
}

/// The kind of item a revision is of.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum RevisionItemType {
    Page,
    Category,
    Question,
}
