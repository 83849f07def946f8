use super::{PageStatus, QuestionStatus, Role, Viewer};
use crate::error::AppError;

/// What an action needs. Checked in the service layer, so no other path
/// (resolver, UI, CLI) can skip it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Permission {
    /// Draft and edit questions, categories and page text; reorder.
    EditContent,
    /// Publish, unpublish, archive, restore and delete.
    Publish,
    /// Create pages, change their address, retire and reinstate them.
    ManagePages,
    /// Manage users and read the audit log.
    ManageUsers,
    /// Register webhooks, see their deliveries and send them again.
    ManageWebhooks,
}

impl Permission {
    pub fn minimum_role(self) -> Role {
        match self {
            Permission::EditContent => Role::Editor,
            Permission::Publish => Role::Publisher,
            Permission::ManagePages | Permission::ManageUsers | Permission::ManageWebhooks => {
                Role::Admin
            }
        }
    }

    /// True when `role` is enough for this permission. Roles are declared
    /// from least to most trusted, and each includes the ones before it.
    pub fn allowed_to(self, role: Role) -> bool {
        role >= self.minimum_role()
    }
}

impl Viewer {
    /// True when `require` would let this viewer act.
    pub fn may(&self, permission: Permission) -> bool {
        self.require(permission).is_ok()
    }

    /// Ok when this viewer may act; otherwise UNAUTHENTICATED for anonymous
    /// readers and FORBIDDEN for staff whose role is too low.
    pub fn require(&self, permission: Permission) -> Result<(), AppError> {
        let needed = permission.minimum_role();
        match self {
            Viewer::System | Viewer::Schedule => Ok(()),
            Viewer::Anonymous => Err(AppError::Unauthenticated),
            Viewer::Staff { role, .. } if *role >= needed => Ok(()),
            Viewer::Staff { .. } => Err(AppError::Forbidden(format!(
                "You need the {} role to do that.",
                needed.as_str().to_lowercase()
            ))),
        }
    }
}

/// Deleting is for drafts never published, and for archived questions. The
/// service's delete statement filters rows by the same rule.
pub fn question_deletable(status: QuestionStatus, ever_published: bool) -> bool {
    match status {
        QuestionStatus::Archived => true,
        QuestionStatus::Draft => !ever_published,
        QuestionStatus::Published => false,
    }
}

/// What a viewer may do to one question in its present state, by the rules
/// the service applies (it checks them again on every change).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QuestionActions {
    pub edit: bool,
    pub publish: bool,
    pub unpublish: bool,
    pub archive: bool,
    pub restore: bool,
    pub delete: bool,
    pub schedule: bool,
}

impl QuestionActions {
    pub fn of(viewer: &Viewer, status: QuestionStatus, ever_published: bool) -> Self {
        let publisher = viewer.may(Permission::Publish);
        let archived = status == QuestionStatus::Archived;
        QuestionActions {
            edit: viewer.may(Permission::EditContent),
            publish: publisher && !archived,
            unpublish: publisher && status == QuestionStatus::Published,
            archive: publisher && !archived,
            restore: publisher && archived,
            delete: publisher && question_deletable(status, ever_published),
            schedule: publisher && !archived,
        }
    }
}

/// What a viewer may do to one page in its present state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageActions {
    pub edit: bool,
    pub publish: bool,
    pub change_slug: bool,
    pub retire: bool,
}

impl PageActions {
    pub fn of(viewer: &Viewer, status: PageStatus) -> Self {
        let manager = viewer.may(Permission::ManagePages);
        PageActions {
            edit: viewer.may(Permission::EditContent),
            // A retired page comes back only through reinstatement.
            publish: viewer.may(Permission::Publish) && status != PageStatus::Retired,
            change_slug: manager,
            retire: manager,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn staff(user_id: i32, role: Role) -> Viewer {
        Viewer::Staff { user_id, role }
    }

    #[test]
    fn roles_include_those_below_them() {
        let editor = staff(1, Role::Editor);
        let publisher = staff(2, Role::Publisher);
        assert!(editor.require(Permission::EditContent).is_ok());
        assert!(matches!(
            editor.require(Permission::Publish),
            Err(AppError::Forbidden(_))
        ));
        assert!(publisher.require(Permission::Publish).is_ok());
        assert!(matches!(
            publisher.require(Permission::ManageUsers),
            Err(AppError::Forbidden(_))
        ));
        assert!(matches!(
            Viewer::Anonymous.require(Permission::EditContent),
            Err(AppError::Unauthenticated)
        ));
    }

    #[test]
    fn only_unpublished_drafts_and_archived_questions_can_be_deleted() {
        let publisher = staff(2, Role::Publisher);
        let editor = staff(1, Role::Editor);
        let can = |viewer: &Viewer, status, published| {
            QuestionActions::of(viewer, status, published).delete
        };
        assert!(can(&publisher, QuestionStatus::Draft, false));
        assert!(!can(&publisher, QuestionStatus::Draft, true));
        assert!(can(&publisher, QuestionStatus::Archived, true));
        assert!(!can(&publisher, QuestionStatus::Published, true));
        assert!(!can(&editor, QuestionStatus::Archived, true));
    }
}
