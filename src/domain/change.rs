//! What happened. Every change produces one `Change`; the audit entry and
//! the webhook deliveries are derived from it (`service::changes::record`),
//! so a new kind of listener is one match arm, never a copy of a rule.

use super::status::string_enum;
use super::WebhookEvent;

string_enum!(
    /// A change to a question.
    QuestionChange {
        Created => "question.create",
        Updated => "question.update",
        Published => "question.publish",
        Unpublished => "question.unpublish",
        Archived => "question.archive",
        /// Archived because its expiry time came.
        Expired => "question.expire",
        Restored => "question.restore",
        RevisionRestored => "question.restore_revision",
        Moved => "question.move",
        /// Its publish or expiry time was set or cleared.
        Scheduled => "question.schedule",
        Deleted => "question.delete",
        /// Its working copy sent to publishers for review.
        SubmittedForReview => "question.submit_for_review",
        /// Sent back to its editor by a reviewer, with a comment.
        SentBack => "question.send_back",
    }
);

string_enum!(
    /// A change to a category.
    CategoryChange {
        Created => "category.create",
        Updated => "category.update",
        Moved => "category.move",
        /// Its title, address and place published on their own.
        Published => "category.publish",
        Archived => "category.archive",
        Restored => "category.restore",
        Deleted => "category.delete",
    }
);

string_enum!(
    /// A change to a page.
    PageChange {
        Created => "page.create",
        Updated => "page.update",
        /// Set to draft or live.
        StatusChanged => "page.status",
        Retired => "page.retire",
        RetirementScheduled => "page.schedule_retirement",
        RetirementCancelled => "page.cancel_retirement",
        Reinstated => "page.reinstate",
        /// Its working copy (text, categories, order, question places) was
        /// published.
        Published => "page.publish",
        /// Its working copy sent to publishers for review.
        SubmittedForReview => "page.submit_for_review",
        /// Sent back to its editor by a reviewer, with a comment.
        SentBack => "page.send_back",
    }
);

string_enum!(
    /// A change to a member of staff's account, or their signing in and out.
    AccountChange {
        Created => "user.create",
        RoleChanged => "user.role",
        Disabled => "user.disable",
        Enabled => "user.enable",
        PasswordReset => "user.reset_password",
        PasswordChanged => "user.change_password",
        /// They set up an authenticator app (or a new one) and got new
        /// recovery codes; their other sessions ended.
        TwoFactorEnabled => "user.enable_two_factor",
        /// An admin (or the command line) removed their second factor; their
        /// sessions ended.
        TwoFactorReset => "user.reset_two_factor",
        SignedIn => "sign_in.success",
        SignInFailed => "sign_in.failure",
        SignedOut => "sign_out",
        Invited => "user.invite",
        InvitationAccepted => "user.accept_invitation",
        PasswordResetRequested => "user.request_password_reset",
        PasswordResetLinkCreated => "user.create_reset_link",
        PasswordResetByLink => "user.reset_password_by_link",
    }
);

string_enum!(
    /// A change to a webhook.
    WebhookChange {
        Created => "webhook.create",
        Updated => "webhook.update",
        SecretRotated => "webhook.rotate_secret",
        Deleted => "webhook.delete",
        DeliveryResent => "webhook.resend",
    }
);

/// One change, and what it was made to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    Question(QuestionChange, i32),
    Category(CategoryChange, i32),
    Page(PageChange, i32),
    /// The account is unknown for a failed sign-in with an unknown email.
    Account(AccountChange, Option<i32>),
    Webhook(WebhookChange, i32),
    /// Pages imported from a file (any number of items).
    ContentImported,
}

impl Change {
    /// The name the audit log keeps.
    pub fn action(self) -> &'static str {
        match self {
            Change::Question(change, _) => change.as_str(),
            Change::Category(change, _) => change.as_str(),
            Change::Page(change, _) => change.as_str(),
            Change::Account(change, _) => change.as_str(),
            Change::Webhook(change, _) => change.as_str(),
            Change::ContentImported => "content.import",
        }
    }

    /// What it was made to: the kind of item and its id.
    pub fn subject(self) -> Option<(&'static str, Option<i32>)> {
        match self {
            Change::Question(_, id) => Some(("question", Some(id))),
            Change::Category(_, id) => Some(("category", Some(id))),
            Change::Page(_, id) => Some(("page", Some(id))),
            Change::Account(_, id) => Some(("user", id)),
            Change::Webhook(_, id) => Some(("webhook", Some(id))),
            Change::ContentImported => None,
        }
    }

    /// What webhooks are told of this change, if anything. Expiry archives
    /// the question (restorable), so it is announced as what it is.
    pub fn announces(self) -> Option<WebhookEvent> {
        match self {
            Change::Question(QuestionChange::Published, _) => Some(WebhookEvent::QuestionPublished),
            Change::Question(QuestionChange::Unpublished, _) => {
                Some(WebhookEvent::QuestionUnpublished)
            }
            Change::Question(QuestionChange::Archived | QuestionChange::Expired, _) => {
                Some(WebhookEvent::QuestionArchived)
            }
            Change::Page(PageChange::Retired, _) => Some(WebhookEvent::PageRetired),
            Change::Page(PageChange::Published, _) => Some(WebhookEvent::PagePublished),
            _ => None,
        }
    }

    /// Every action name the audit log can hold, for choosing among them.
    pub fn all_actions() -> Vec<&'static str> {
        let mut all: Vec<&'static str> = Vec::new();
        all.extend(QuestionChange::ALL.iter().map(|c| c.as_str()));
        all.extend(CategoryChange::ALL.iter().map(|c| c.as_str()));
        all.extend(PageChange::ALL.iter().map(|c| c.as_str()));
        all.extend(AccountChange::ALL.iter().map(|c| c.as_str()));
        all.extend(WebhookChange::ALL.iter().map(|c| c.as_str()));
        all.push(Change::ContentImported.action());
        all
    }
}

/// What happened in one revision, in the history's words. Revisions keep
/// the audit log's name of their change; this reads it back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RevisionAction {
    Created,
    Saved,
    Published,
    PublishedOnSchedule,
    Unpublished,
    Archived,
    /// Archived because its expiry time came.
    Expired,
    /// Brought back from the archive.
    Restored,
    /// An earlier version's text brought back.
    VersionRestored,
    Moved,
    Scheduled,
    /// A page set to draft or live.
    StatusChanged,
    Retired,
    RetirementScheduled,
    RetirementCancelled,
    Reinstated,
    Imported,
    SentForReview,
    SentBack,
    /// Not known: revisions kept before the history said what happened.
    Changed,
}

impl RevisionAction {
    /// Reads the stored action name; `on_schedule` for a change the
    /// scheduler made.
    pub fn of(stored: Option<&str>, on_schedule: bool) -> Self {
        use RevisionAction as A;
        let Some(stored) = stored else {
            return A::Changed;
        };
        if stored == Change::ContentImported.action() {
            return A::Imported;
        }
        if let Ok(change) = stored.parse::<QuestionChange>() {
            return match change {
                QuestionChange::Created => A::Created,
                QuestionChange::Updated => A::Saved,
                QuestionChange::Published if on_schedule => A::PublishedOnSchedule,
                QuestionChange::Published => A::Published,
                QuestionChange::Unpublished => A::Unpublished,
                QuestionChange::Archived => A::Archived,
                QuestionChange::Expired => A::Expired,
                QuestionChange::Restored => A::Restored,
                QuestionChange::RevisionRestored => A::VersionRestored,
                QuestionChange::Moved => A::Moved,
                QuestionChange::Scheduled => A::Scheduled,
                QuestionChange::Deleted => A::Changed,
                QuestionChange::SubmittedForReview => A::SentForReview,
                QuestionChange::SentBack => A::SentBack,
            };
        }
        if let Ok(change) = stored.parse::<CategoryChange>() {
            return match change {
                CategoryChange::Created => A::Created,
                CategoryChange::Updated => A::Saved,
                CategoryChange::Moved => A::Moved,
                CategoryChange::Published => A::Published,
                CategoryChange::Archived => A::Archived,
                CategoryChange::Restored => A::Restored,
                CategoryChange::Deleted => A::Changed,
            };
        }
        match stored.parse::<PageChange>() {
            Ok(PageChange::Created) => A::Created,
            Ok(PageChange::Updated) => A::Saved,
            Ok(PageChange::StatusChanged) => A::StatusChanged,
            Ok(PageChange::Retired) => A::Retired,
            Ok(PageChange::RetirementScheduled) => A::RetirementScheduled,
            Ok(PageChange::RetirementCancelled) => A::RetirementCancelled,
            Ok(PageChange::Reinstated) => A::Reinstated,
            Ok(PageChange::Published) => A::Published,
            Ok(PageChange::SubmittedForReview) => A::SentForReview,
            Ok(PageChange::SentBack) => A::SentBack,
            Err(_) => A::Changed,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_action_name_is_distinct() {
        let all = Change::all_actions();
        let distinct: std::collections::HashSet<_> = all.iter().collect();
        assert_eq!(distinct.len(), all.len());
        assert!(all.contains(&"question.expire"));
    }

    #[test]
    fn only_publication_changes_are_announced() {
        let announced: Vec<_> = QuestionChange::ALL
            .iter()
            .filter_map(|c| Change::Question(*c, 1).announces())
            .collect();
        assert_eq!(
            announced,
            [
                WebhookEvent::QuestionPublished,
                WebhookEvent::QuestionUnpublished,
                WebhookEvent::QuestionArchived,
                WebhookEvent::QuestionArchived,
            ]
        );
        assert_eq!(
            Change::Page(PageChange::Retired, 1).announces(),
            Some(WebhookEvent::PageRetired)
        );
        assert_eq!(Change::Page(PageChange::Reinstated, 1).announces(), None);
        assert_eq!(
            Change::Page(PageChange::Published, 1).announces(),
            Some(WebhookEvent::PagePublished)
        );
        assert_eq!(Change::Page(PageChange::Updated, 1).announces(), None);
    }

    #[test]
    fn revisions_read_back_what_happened() {
        let publish = Change::Question(QuestionChange::Published, 1).action();
        assert_eq!(
            RevisionAction::of(Some(publish), false),
            RevisionAction::Published
        );
        assert_eq!(
            RevisionAction::of(Some(publish), true),
            RevisionAction::PublishedOnSchedule
        );
        assert_eq!(
            RevisionAction::of(Some("category.move"), false),
            RevisionAction::Moved
        );
        assert_eq!(
            RevisionAction::of(Some("page.update"), false),
            RevisionAction::Saved
        );
        assert_eq!(RevisionAction::of(None, false), RevisionAction::Changed);
        assert_eq!(
            RevisionAction::of(Some("no.such"), false),
            RevisionAction::Changed
        );
    }
}
