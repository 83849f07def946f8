//! The rules of review: what a review message and a send-back comment may
//! be, and the two-person rule.

use super::Viewer;
use crate::error::{AppError, FieldError};

/// The most a review message or a send-back comment may hold.
pub const MAX_REVIEW_TEXT_LEN: usize = 1000;

/// An optional message for the reviewer, trimmed; blank means none.
pub fn review_message(raw: Option<&str>) -> Result<Option<String>, FieldError> {
    let Some(text) = raw.map(str::trim).filter(|t| !t.is_empty()) else {
        return Ok(None);
    };
    within_limit("message", "message", text).map(Some)
}

/// The reviewer's comment when sending a change back: it must say why.
pub fn send_back_comment(raw: &str) -> Result<String, FieldError> {
    let text = raw.trim();
    if text.is_empty() {
        return Err(FieldError::new(
            "comment",
            "Enter a comment that says what needs to change",
        ));
    }
    within_limit("comment", "comment", text)
}

fn within_limit(field: &str, what: &str, text: &str) -> Result<String, FieldError> {
    if text.chars().count() > MAX_REVIEW_TEXT_LEN {
        return Err(FieldError::new(
            field,
            format!("The {what} must be {MAX_REVIEW_TEXT_LEN} characters or fewer"),
        ));
    }
    Ok(text.to_owned())
}

/// `QANDA_TWO_PERSON_RULE`: when on, nobody may publish a change they made
/// themselves (the last person to change each item), admins included. The
/// scheduler and the command line publish what a person set up, so the
/// rule is checked when that person sets it up, not then.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TwoPersonRule(pub bool);

impl TwoPersonRule {
    /// Refuses `viewer` publishing `what` when they changed it last.
    pub fn check(
        self,
        viewer: &Viewer,
        last_editor: Option<i32>,
        what: &str,
    ) -> Result<(), AppError> {
        let own = viewer.user_id().is_some() && viewer.user_id() == last_editor;
        if self.0 && own {
            return Err(AppError::Forbidden(format!(
                "The two-person rule is on: someone else must publish {what}, because you made the last change to it"
            )));
        }
        Ok(())
    }
}
