use std::fmt;

use crate::error::FieldError;

/// An email address, trimmed and lower-cased so that one person has one account.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Email(String);

impl Email {
    pub fn parse(field: &str, raw: &str) -> Result<Email, FieldError> {
        let email = raw.trim().to_lowercase();
        if email.is_empty() {
            return Err(FieldError::new(field, "Enter an email address"));
        }
        let valid = email.len() <= 320
            && email.split('@').count() == 2
            && email.split_once('@').is_some_and(|(local, domain)| {
                !local.is_empty()
                    && domain.contains('.')
                    && !domain.starts_with('.')
                    && !domain.ends_with('.')
            })
            && !email.chars().any(char::is_whitespace);
        if !valid {
            return Err(FieldError::new(
                field,
                "Enter an email address in the correct format, like name@example.com",
            ));
        }
        Ok(Email(email))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A new password: long enough to resist guessing, short enough to hash quickly.
pub struct NewPassword(String);

pub const MIN_PASSWORD_LEN: usize = 12;
pub const MAX_PASSWORD_LEN: usize = 256;

impl NewPassword {
    pub fn parse(field: &str, raw: &str) -> Result<NewPassword, FieldError> {
        let len = raw.chars().count();
        if len < MIN_PASSWORD_LEN {
            return Err(FieldError::new(
                field,
                format!("Password must be {MIN_PASSWORD_LEN} characters or more"),
            ));
        }
        if len > MAX_PASSWORD_LEN {
            return Err(FieldError::new(
                field,
                format!("Password must be {MAX_PASSWORD_LEN} characters or fewer"),
            ));
        }
        Ok(NewPassword(raw.to_owned()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_normalised_and_checked() {
        assert_eq!(
            Email::parse("email", " Ann@Example.ORG ").unwrap().as_str(),
            "ann@example.org"
        );
        for bad in [
            "",
            "ann",
            "ann@",
            "@example.org",
            "ann@example",
            "a b@example.org",
            "a@b@c.org",
        ] {
            assert_eq!(
                Email::parse("email", bad).unwrap_err().field,
                "email",
                "{bad}"
            );
        }
    }

    #[test]
    fn passwords_have_a_minimum_length() {
        assert!(NewPassword::parse("password", "short").is_err());
        assert!(NewPassword::parse("password", "long enough pass").is_ok());
    }
}
