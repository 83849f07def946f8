//! Time-based one-time passwords (RFC 6238) as every authenticator app
//! makes them: HMAC-SHA1, 6 digits, a new code every 30 seconds. A code is
//! accepted for the current step and one step either side, so a phone
//! clock up to about 30 seconds out, or a code typed as it changed, still
//! works. Which step matched is returned, so that the caller can refuse the
//! same code (or an older one) a second time.

use chrono::{DateTime, Utc};
use rand::RngCore;
use totp_rs::{Algorithm, Secret, TOTP};

use crate::domain::TOTP_DIGITS;

pub const STEP_SECONDS: i64 = 30;
/// 160 bits, the length RFC 4226 recommends (and what HMAC-SHA1 keys hold).
const SECRET_BYTES: usize = 20;
/// Steps either side of now whose codes are accepted.
const SKEW_STEPS: i64 = 1;
/// The name apps show beside the account.
pub const ISSUER: &str = "qanda";

/// A new random secret, base32 as apps take it when typed in.
pub fn new_secret() -> String {
    let mut bytes = [0u8; SECRET_BYTES];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    match Secret::Raw(bytes.to_vec()).to_encoded() {
        Secret::Encoded(text) => text,
        // to_encoded always answers with the encoded form.
        Secret::Raw(_) => unreachable!("to_encoded returns Secret::Encoded"),
    }
}

fn totp(secret: &str, account: &str) -> anyhow::Result<TOTP> {
    let bytes = Secret::Encoded(secret.to_owned())
        .to_bytes()
        .map_err(|e| anyhow::anyhow!("a stored TOTP secret is not base32: {e:?}"))?;
    // A colon would split the label in two in the otpauth address.
    let account = account.replace(':', " ");
    TOTP::new(
        Algorithm::SHA1,
        TOTP_DIGITS,
        0,
        STEP_SECONDS as u64,
        bytes,
        Some(ISSUER.to_owned()),
        account,
    )
    .map_err(|e| anyhow::anyhow!("could not set up TOTP: {e}"))
}

/// The `otpauth://` address a QR code carries to the app.
pub fn setup_uri(secret: &str, account: &str) -> anyhow::Result<String> {
    Ok(totp(secret, account)?.get_url())
}

/// The 30-second step `at` falls in.
pub fn step_at(at: DateTime<Utc>) -> i64 {
    at.timestamp().div_euclid(STEP_SECONDS)
}

/// The step (now, or one either side) whose code `code` is, if any. Each
/// comparison is constant-time.
pub fn matching_step(secret: &str, code: &str, now: DateTime<Utc>) -> anyhow::Result<Option<i64>> {
    let totp = totp(secret, "")?;
    let current = step_at(now);
    Ok((current - SKEW_STEPS..=current + SKEW_STEPS)
        .filter(|step| *step >= 0)
        .find(|step| totp.check(code, (step * STEP_SECONDS) as u64)))
}

/// The code an app shows at `at` (for tests and the command line's checks).
pub fn code_at(secret: &str, at: DateTime<Utc>) -> anyhow::Result<String> {
    Ok(totp(secret, "")?.generate(at.timestamp().max(0) as u64))
}

/// `text` as a QR code drawn in SVG: one path of dark squares on white,
/// with the four-module quiet zone scanners need. Inline in the page, so
/// nothing about the secret leaves the server, and no style attribute, so
/// the admin UI's Content-Security-Policy lets it be.
pub fn qr_svg(text: &str, label: &str) -> anyhow::Result<String> {
    use std::fmt::Write;
    let code = qrcode::QrCode::new(text.as_bytes())
        .map_err(|e| anyhow::anyhow!("could not make a QR code: {e}"))?;
    let width = code.width();
    let quiet = 4;
    let size = width + 2 * quiet;
    let mut path = String::new();
    for (index, color) in code.to_colors().into_iter().enumerate() {
        if color == qrcode::Color::Dark {
            let (x, y) = (index % width + quiet, index / width + quiet);
            let _ = write!(path, "M{x} {y}h1v1h-1z");
        }
    }
    Ok(format!(
        concat!(
            r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" "##,
            r##"width="200" height="200" role="img" aria-label="{label}" focusable="false" "##,
            r##"shape-rendering="crispEdges"><rect width="{size}" height="{size}" fill="#ffffff"/>"##,
            r##"<path fill="#0b0c0c" d="{path}"/></svg>"##
        ),
        size = size,
        label = escape_attribute(label),
        path = path,
    ))
}

fn escape_attribute(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc_6238_test_vector() {
        // RFC 6238 appendix B, SHA-1: "12345678901234567890" at 59 s gives
        // 94287082 with 8 digits; its last 6 are 287082.
        let secret = match Secret::Raw(b"12345678901234567890".to_vec()).to_encoded() {
            Secret::Encoded(s) => s,
            Secret::Raw(_) => unreachable!(),
        };
        let at = DateTime::from_timestamp(59, 0).unwrap();
        assert_eq!(code_at(&secret, at).unwrap(), "287082");
        assert_eq!(matching_step(&secret, "287082", at).unwrap(), Some(1));
    }

    #[test]
    fn accepts_one_step_either_side_and_no_further() {
        let secret = new_secret();
        let now = Utc::now();
        let step = chrono::Duration::seconds(STEP_SECONDS);
        for (offset, accepted) in [(-2, false), (-1, true), (0, true), (1, true), (2, false)] {
            let code = code_at(&secret, now + step * offset).unwrap();
            let found = matching_step(&secret, &code, now).unwrap();
            assert_eq!(found.is_some(), accepted, "offset {offset}");
        }
    }

    #[test]
    fn the_qr_code_is_plain_svg() {
        let svg = qr_svg("otpauth://totp/qanda:a%40b.org?secret=ABC", "QR \"code\"").unwrap();
        assert!(svg.starts_with("<svg "));
        assert!(svg.contains(r#"role="img""#));
        assert!(svg.contains("&quot;code&quot;"));
        assert!(!svg.contains("style"));
    }
}
