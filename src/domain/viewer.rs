use super::Role;

/// Who is asking. Every service function takes one, because what a reader
/// may see and do depends on it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Viewer {
    Anonymous,
    /// The operator at the command line (import, export, user management).
    System,
    Staff {
        user_id: i32,
        role: Role,
    },
}

impl Viewer {
    /// Signed-in staff may see drafts and archived items when they ask.
    pub fn may_see_unpublished(&self) -> bool {
        matches!(self, Viewer::Staff { .. } | Viewer::System)
    }

    pub fn user_id(&self) -> Option<i32> {
        match self {
            Viewer::Anonymous | Viewer::System => None,
            Viewer::Staff { user_id, .. } => Some(*user_id),
        }
    }
}
