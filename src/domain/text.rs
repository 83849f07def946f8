use crate::error::FieldError;

pub const MAX_TITLE_LEN: usize = 200;
pub const MAX_QUESTION_LEN: usize = 500;
pub const MAX_ANSWER_LEN: usize = 20_000;
pub const MAX_INTRO_LEN: usize = 20_000;
pub const MAX_NOTE_LEN: usize = 500;
/// A public change note, shown to readers under "See all updates".
pub const MAX_CHANGE_NOTE_LEN: usize = 300;

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

/// A public change note: optional plain text (shown as written, never as
/// markup), trimmed, on one line, at most `MAX_CHANGE_NOTE_LEN` characters.
/// Blank means none.
pub fn change_note(raw: Option<&str>) -> Result<Option<String>, FieldError> {
    let Some(note) = raw.map(str::trim).filter(|n| !n.is_empty()) else {
        return Ok(None);
    };
    if note.chars().count() > MAX_CHANGE_NOTE_LEN {
        return Err(FieldError::new(
            "changeNote",
            format!("The change note must be {MAX_CHANGE_NOTE_LEN} characters or fewer"),
        ));
    }
    Ok(Some(note.split_whitespace().collect::<Vec<_>>().join(" ")))
}
