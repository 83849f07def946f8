use super::{Role, Viewer};
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
}

impl Role {
    fn rank(self) -> u8 {
        match self {
            Role::Editor => 1,
            Role::Publisher => 2,
            Role::Admin => 3,
        }
    }

    pub fn includes(self, other: Role) -> bool {
        self.rank() >= other.rank()
    }
}

impl Viewer {
    /// Ok when this viewer may act; otherwise UNAUTHENTICATED for anonymous
    /// readers and FORBIDDEN for staff whose role is too low.
    pub fn require(&self, permission: Permission) -> Result<(), AppError> {
        let needed = permission.minimum_role();
        match self {
            Viewer::System => Ok(()),
            Viewer::Anonymous => Err(AppError::Unauthenticated),
            Viewer::Staff { role, .. } if role.includes(needed) => Ok(()),
            Viewer::Staff { .. } => Err(AppError::Forbidden(format!(
                "You need the {} role to do that.",
                needed.as_str().to_lowercase()
            ))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_include_those_below_them() {
        let editor = Viewer::Staff {
            user_id: 1,
            role: Role::Editor,
        };
        let publisher = Viewer::Staff {
            user_id: 2,
            role: Role::Publisher,
        };
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
}
