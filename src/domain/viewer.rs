use super::Role;

/// Who is asking. Every service function takes one, because what a reader
/// may see and do depends on it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Viewer {
    Anonymous,
    /// The operator at the command line (import, export, user management).
    System,
    /// The scheduler, making a change someone set up in advance (a publish,
    /// expiry or retirement time). It goes through the same functions as
    /// the person would, and the change is recorded as made on schedule.
    Schedule,
    Staff {
        user_id: i32,
        role: Role,
    },
}

impl Viewer {
    /// Signed-in staff may see drafts and archived items when they ask.
    pub fn may_see_unpublished(&self) -> bool {
        !matches!(self, Viewer::Anonymous)
    }

    /// True for a change made because its time came.
    pub fn on_schedule(&self) -> bool {
        matches!(self, Viewer::Schedule)
    }

    pub fn user_id(&self) -> Option<i32> {
        match self {
            Viewer::Anonymous | Viewer::System | Viewer::Schedule => None,
            Viewer::Staff { user_id, .. } => Some(*user_id),
        }
    }
}
