use std::fmt;

use crate::error::FieldError;

/// A URL-safe identifier: lower-case letters, digits and single hyphens.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Slug(String);

pub const MAX_SLUG_LEN: usize = 100;

impl Slug {
    pub fn parse(field: &str, raw: &str) -> Result<Slug, FieldError> {
        let raw = raw.trim();
        if raw.is_empty() {
            return Err(FieldError::new(field, "Enter a slug"));
        }
        if raw.len() > MAX_SLUG_LEN {
            return Err(FieldError::new(
                field,
                format!("Slug must be {MAX_SLUG_LEN} characters or fewer"),
            ));
        }
        let well_formed = raw
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            && !raw.starts_with('-')
            && !raw.ends_with('-')
            && !raw.contains("--");
        if !well_formed {
            return Err(FieldError::new(
                field,
                "Slug must use only lower-case letters, numbers and single hyphens, like 'fund-dates'",
            ));
        }
        Ok(Slug(raw.to_owned()))
    }

    /// Derives a slug from a title or question. Ampersands and apostrophes
    /// join their neighbours ("Q&A" -> "qa", "won't" -> "wont"); any other run
    /// of punctuation or space becomes one hyphen. Long text is cut at a word
    /// boundary. Returns `None` when nothing usable is left.
    pub fn from_text(text: &str, max_len: usize) -> Option<Slug> {
        let mut out = String::new();
        let mut pending_hyphen = false;
        for c in text.chars() {
            if matches!(c, '&' | '\'' | '\u{2019}' | '\u{2018}') {
                continue;
            }
            if c.is_ascii_alphanumeric() {
                if pending_hyphen && !out.is_empty() {
                    out.push('-');
                }
                pending_hyphen = false;
                out.push(c.to_ascii_lowercase());
            } else {
                pending_hyphen = true;
            }
        }
        let max_len = max_len.min(MAX_SLUG_LEN);
        if out.len() > max_len {
            let cut = out[..=max_len]
                .rfind('-')
                .filter(|&i| i > 0)
                .unwrap_or(max_len);
            out.truncate(cut);
            while out.ends_with('-') {
                out.pop();
            }
        }
        (!out.is_empty()).then_some(Slug(out))
    }

    /// The same slug with a numeric suffix, for de-duplicating generated slugs.
    pub fn with_suffix(&self, n: usize) -> Slug {
        let suffix = format!("-{n}");
        let mut base = self.0.clone();
        base.truncate(MAX_SLUG_LEN - suffix.len());
        while base.ends_with('-') {
            base.pop();
        }
        Slug(base + &suffix)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_string(self) -> String {
        self.0
    }
}

impl fmt::Display for Slug {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derives_readable_slugs() {
        let slug = |t| Slug::from_text(t, 60).unwrap().into_string();
        assert_eq!(slug("Local Digital Q&A"), "local-digital-qa");
        assert_eq!(slug("The £7.5 million fund"), "the-7-5-million-fund");
        assert_eq!(slug("Won’t you?"), "wont-you");
        assert!(Slug::from_text("£ — !", 60).is_none());
    }

    #[test]
    fn cuts_long_text_at_a_word_boundary() {
        let slug = Slug::from_text(
            "What is the mechanism for a Local Authority to sign up to the Local Digital Declaration?",
            60,
        )
        .unwrap();
        assert!(slug.as_str().len() <= 60);
        assert_eq!(
            slug.as_str(),
            "what-is-the-mechanism-for-a-local-authority-to-sign-up-to"
        );
    }

    #[test]
    fn parse_rejects_bad_slugs_with_the_field_name() {
        for bad in [
            "",
            "Upper",
            "two--hyphens",
            "-lead",
            "trail-",
            "sp ace",
            "é",
        ] {
            let err = Slug::parse("slug", bad).unwrap_err();
            assert_eq!(err.field, "slug");
        }
        assert_eq!(Slug::parse("slug", "fund-2").unwrap().as_str(), "fund-2");
    }
}
