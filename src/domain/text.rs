use crate::error::FieldError;

pub const MAX_TITLE_LEN: usize = 200;
pub const MAX_QUESTION_LEN: usize = 500;
pub const MAX_ANSWER_LEN: usize = 20_000;
pub const MAX_INTRO_LEN: usize = 20_000;
pub const MAX_NOTE_LEN: usize = 500;

/// Text a person must fill in: not blank, not too long. Returns it trimmed.
pub fn required_text(field: &str, what: &str, raw: &str, max: usize) -> Result<String, FieldError> {
    let text = raw.trim();
    if text.is_empty() {
        return Err(FieldError::new(field, format!("Enter the {what}")));
    }
    if text.chars().count() > max {
        return Err(FieldError::new(
            field,
            format!("The {what} must be {max} characters or fewer"),
        ));
    }
    Ok(text.to_owned())
}
