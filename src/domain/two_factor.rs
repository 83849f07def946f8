//! Two-factor sign-in: who must set it up (`QANDA_REQUIRE_2FA`) and what a
//! person may type as their second factor.

use std::fmt;
use std::str::FromStr;

use super::Role;
use crate::error::FieldError;

/// The lowest role that must sign in with a second factor
/// (`QANDA_REQUIRE_2FA`): `EDITOR`, `PUBLISHER`, `ADMIN`, or `none`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct TwoFactorRequirement {
    lowest_role: Option<Role>,
}

impl TwoFactorRequirement {
    pub const NONE: TwoFactorRequirement = TwoFactorRequirement { lowest_role: None };

    pub fn from_role(role: Role) -> Self {
        TwoFactorRequirement {
            lowest_role: Some(role),
        }
    }

    /// True when someone with `role` must set up a second factor before
    /// they can do anything else. Roles are declared from least to most
    /// trusted, so a requirement for publishers covers admins too.
    pub fn applies_to(self, role: Role) -> bool {
        self.lowest_role.is_some_and(|lowest| role >= lowest)
    }
}

impl FromStr for TwoFactorRequirement {
    type Err = String;

    fn from_str(raw: &str) -> Result<Self, String> {
        let raw = raw.trim();
        if raw.eq_ignore_ascii_case("none") || raw.is_empty() {
            return Ok(TwoFactorRequirement::NONE);
        }
        raw.to_uppercase()
            .parse::<Role>()
            .map(TwoFactorRequirement::from_role)
            .map_err(|_| format!("'{raw}' is not a role; use EDITOR, PUBLISHER, ADMIN or none"))
    }
}

impl fmt::Display for TwoFactorRequirement {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.lowest_role {
            None => f.write_str("none"),
            Some(role) => f.write_str(role.as_str()),
        }
    }
}

/// How many digits an authenticator app shows.
pub const TOTP_DIGITS: usize = 6;

/// Recovery codes are 16 characters from this alphabet (no 0/o, 1/l/i, so
/// none can be misread), shown as four groups of four: about 79 bits each,
/// which is why a plain SHA-256 of them is safe to store (see
/// `auth::recovery`).
pub const RECOVERY_CODE_ALPHABET: &[u8] = b"23456789abcdefghjkmnpqrstuvwxyz";
pub const RECOVERY_CODE_LEN: usize = 16;

/// What a person typed as their second factor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SecondFactorCode {
    /// Six digits from an authenticator app.
    Totp(String),
    /// One of their recovery codes, without spaces or hyphens, lower case.
    Recovery(String),
}

impl SecondFactorCode {
    /// Spaces are ignored (apps show "123 456"), and so are a recovery
    /// code's hyphens and letter case.
    pub fn parse(field: &str, raw: &str) -> Result<SecondFactorCode, FieldError> {
        let compact: String = raw.chars().filter(|c| !c.is_whitespace()).collect();
        if compact.is_empty() {
            return Err(FieldError::new(
                field,
                "Enter the code from your authenticator app",
            ));
        }
        if compact.chars().all(|c| c.is_ascii_digit()) {
            return if compact.len() == TOTP_DIGITS {
                Ok(SecondFactorCode::Totp(compact))
            } else {
                Err(FieldError::new(
                    field,
                    format!("Enter the {TOTP_DIGITS}-digit code from your authenticator app"),
                ))
            };
        }
        let recovery: String = compact
            .chars()
            .filter(|c| *c != '-')
            .map(|c| c.to_ascii_lowercase())
            .collect();
        if recovery.len() == RECOVERY_CODE_LEN
            && recovery
                .bytes()
                .all(|b| RECOVERY_CODE_ALPHABET.contains(&b))
        {
            return Ok(SecondFactorCode::Recovery(recovery));
        }
        Err(FieldError::new(
            field,
            format!(
                "Enter the {TOTP_DIGITS}-digit code from your authenticator app, or one of your recovery codes"
            ),
        ))
    }

    /// Setting up an app is confirmed with a code from it: recovery codes
    /// are only handed out once it is confirmed.
    pub fn parse_app_code(field: &str, raw: &str) -> Result<String, FieldError> {
        match Self::parse(field, raw)? {
            SecondFactorCode::Totp(code) => Ok(code),
            SecondFactorCode::Recovery(_) => Err(FieldError::new(
                field,
                format!("Enter the {TOTP_DIGITS}-digit code from your authenticator app"),
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_requirement_covers_its_role_and_those_above() {
        let publishers: TwoFactorRequirement = "publisher".parse().unwrap();
        assert!(!publishers.applies_to(Role::Editor));
        assert!(publishers.applies_to(Role::Publisher));
        assert!(publishers.applies_to(Role::Admin));
        let none: TwoFactorRequirement = "none".parse().unwrap();
        assert!(!none.applies_to(Role::Admin));
        assert_eq!(none, TwoFactorRequirement::default());
        assert!("everyone".parse::<TwoFactorRequirement>().is_err());
        assert_eq!(publishers.to_string(), "PUBLISHER");
    }

    #[test]
    fn codes_are_read_as_people_type_them() {
        assert_eq!(
            SecondFactorCode::parse("code", " 123 456 "),
            Ok(SecondFactorCode::Totp("123456".into()))
        );
        assert_eq!(
            SecondFactorCode::parse("code", "ABCD-efgh-2345-6789"),
            Ok(SecondFactorCode::Recovery("abcdefgh23456789".into()))
        );
        assert!(SecondFactorCode::parse("code", "12345").is_err());
        assert!(SecondFactorCode::parse("code", "").is_err());
        assert!(SecondFactorCode::parse("code", "abcd-efgh-2345-678!").is_err());
        assert!(SecondFactorCode::parse_app_code("code", "abcd-efgh-2345-6789").is_err());
    }
}
