//! One-time recovery codes, for signing in when the authenticator app is
//! lost. Each is 16 characters from a 31-character alphabet, about 79 bits
//! drawn from the operating system's generator: nobody can guess one,
//! online (sign-in is throttled) or offline from a stolen database, even
//! at billions of hashes a second. So, like the one-time link tokens, only
//! a plain SHA-256 is stored (`token::digest`): a slow password hash such
//! as argon2 protects low-entropy secrets people choose, and here it would
//! only make every recovery sign-in hash ten times for nothing.

use rand::Rng;

use super::token;
use crate::domain::{RECOVERY_CODE_ALPHABET, RECOVERY_CODE_LEN};

/// How many codes a person gets each time they set up an app.
pub const COUNT: usize = 10;

/// A new code as it is shown: four groups of four, e.g. `k7qm-2xhd-9wfa-c3np`.
pub fn generate() -> String {
    let mut rng = rand::rngs::OsRng;
    let chars: Vec<char> = (0..RECOVERY_CODE_LEN)
        .map(|_| RECOVERY_CODE_ALPHABET[rng.gen_range(0..RECOVERY_CODE_ALPHABET.len())] as char)
        .collect();
    chars
        .chunks(4)
        .map(|group| group.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join("-")
}

/// What is stored for a code, from its compact form (no hyphens, lower
/// case: `SecondFactorCode::Recovery`).
pub fn digest(compact: &str) -> String {
    token::digest(compact)
}

/// The compact form of a code as shown.
pub fn compact(shown: &str) -> String {
    shown.replace('-', "")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::SecondFactorCode;

    #[test]
    fn generated_codes_read_back_as_recovery_codes() {
        let shown = generate();
        assert_eq!(shown.len(), RECOVERY_CODE_LEN + 3);
        assert_eq!(
            SecondFactorCode::parse("code", &shown.to_uppercase()),
            Ok(SecondFactorCode::Recovery(compact(&shown)))
        );
        assert_ne!(generate(), generate());
    }
}
