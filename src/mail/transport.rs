//! The SMTP connection, from `QANDA_SMTP_URL`.
//!
//! - `smtp://user:pass@host:587` — STARTTLS, required (the default port is 587).
//! - `smtps://user:pass@host:465` — TLS from the first byte (port 465).
//! - `smtp://host:25?tls=none` — plain text, for a relay on the same machine
//!   or network (and the tests' receiver on loopback). Never across the internet.
//!
//! User name and password are percent-decoded from the URL.

use std::time::Duration;

use lettre::message::{header::ContentType, Mailbox, MultiPart, SinglePart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Tls, TlsParameters};
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};

use super::Message;

/// How the server sends email, or `None` in `Option<MailSettings>` when
/// `QANDA_SMTP_URL` is not set.
#[derive(Clone, Debug)]
pub struct MailSettings {
    pub smtp_url: url::Url,
    pub from: Mailbox,
    pub timeout: Duration,
}

#[derive(Debug, thiserror::Error)]
pub enum SmtpUrlError {
    #[error("QANDA_SMTP_URL must start with smtp:// or smtps://, not {0}://")]
    Scheme(String),
    #[error("QANDA_SMTP_URL has no host")]
    NoHost,
    #[error("QANDA_SMTP_URL's tls= must be `required` (the default), `opportunistic` or `none`, not `{0}`")]
    TlsMode(String),
    #[error("QANDA_SMTP_URL: {0}")]
    Transport(String),
    #[error("QANDA_MAIL_FROM is not an email address (`Name <address>` or `address`): {0}")]
    From(String),
}

impl MailSettings {
    /// Checks the URL and the sender once, at start-up, so that a mistake
    /// stops the server rather than every message.
    pub fn new(smtp_url: url::Url, from: &str, timeout: Duration) -> Result<Self, SmtpUrlError> {
        let from: Mailbox = from
            .parse()
            .map_err(|e: lettre::address::AddressError| SmtpUrlError::From(e.to_string()))?;
        let settings = Self {
            smtp_url,
            from,
            timeout,
        };
        settings.transport()?;
        Ok(settings)
    }

    pub fn transport(&self) -> Result<AsyncSmtpTransport<Tokio1Executor>, SmtpUrlError> {
        let url = &self.smtp_url;
        let host = url.host_str().ok_or(SmtpUrlError::NoHost)?.to_owned();
        let tls_mode = url
            .query_pairs()
            .find(|(key, _)| key == "tls")
            .map(|(_, value)| value.into_owned());
        let parameters =
            || TlsParameters::new(host.clone()).map_err(|e| SmtpUrlError::Transport(e.to_string()));
        let (tls, default_port) = match (url.scheme(), tls_mode.as_deref()) {
            ("smtps", None) => (Tls::Wrapper(parameters()?), 465),
            ("smtp", None | Some("required")) => (Tls::Required(parameters()?), 587),
            ("smtp", Some("opportunistic")) => (Tls::Opportunistic(parameters()?), 587),
            ("smtp", Some("none")) => (Tls::None, 25),
            ("smtp" | "smtps", Some(other)) => return Err(SmtpUrlError::TlsMode(other.to_owned())),
            (scheme, _) => return Err(SmtpUrlError::Scheme(scheme.to_owned())),
        };
        let mut builder = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host)
            .port(url.port().unwrap_or(default_port))
            .tls(tls)
            .timeout(Some(self.timeout));
        if !url.username().is_empty() {
            let decode = |text: &str| {
                url::form_urlencoded::parse(format!("x={text}").as_bytes())
                    .next()
                    .map(|(_, value)| value.into_owned())
                    .unwrap_or_default()
            };
            let password = url.password().map(decode).unwrap_or_default();
            builder = builder.credentials(Credentials::new(decode(url.username()), password));
        }
        Ok(builder.build())
    }
}

/// Builds the MIME message: multipart/alternative, plain text first.
pub fn build(from: &Mailbox, message: &Message) -> Result<lettre::Message, String> {
    let to: Mailbox = message
        .to
        .parse()
        .map_err(|e: lettre::address::AddressError| format!("Bad recipient: {e}"))?;
    lettre::Message::builder()
        .from(from.clone())
        .to(to)
        .subject(message.subject.clone())
        .multipart(
            MultiPart::alternative()
                .singlepart(
                    SinglePart::builder()
                        .header(ContentType::TEXT_PLAIN)
                        .body(message.text.clone()),
                )
                .singlepart(
                    SinglePart::builder()
                        .header(ContentType::TEXT_HTML)
                        .body(message.html.clone()),
                ),
        )
        .map_err(|e| format!("Could not build the message: {e}"))
}

/// Sends one message; the error in words (the server's answer when it gave one).
pub async fn send(
    transport: &AsyncSmtpTransport<Tokio1Executor>,
    from: &Mailbox,
    message: &Message,
) -> Result<(), SendError> {
    let email = build(from, message).map_err(SendError::Permanent)?;
    match transport.send(email).await {
        Ok(_) => Ok(()),
        Err(error) if error.is_permanent() => Err(SendError::Permanent(describe(&error))),
        Err(error) => Err(SendError::Temporary(describe(&error))),
    }
}

/// Why a message was not sent: worth trying again, or not.
#[derive(Debug)]
pub enum SendError {
    Temporary(String),
    Permanent(String),
}

fn describe(error: &lettre::transport::smtp::Error) -> String {
    let mut text = error.to_string();
    let mut cause: Option<&dyn std::error::Error> = std::error::Error::source(error);
    while let Some(inner) = cause {
        text = format!("{text}: {inner}");
        cause = inner.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(url: &str) -> Result<MailSettings, SmtpUrlError> {
        MailSettings::new(
            url.parse().unwrap(),
            "Q&A <qanda@example.org>",
            Duration::from_secs(5),
        )
    }

    #[test]
    fn accepts_smtp_smtps_and_plain_text_on_request() {
        assert!(settings("smtp://user:p%40ss@mail.example.org").is_ok());
        assert!(settings("smtps://user:pass@mail.example.org").is_ok());
        assert!(settings("smtp://127.0.0.1:2525?tls=none").is_ok());
    }

    #[test]
    fn refuses_other_schemes_tls_modes_and_senders() {
        assert!(matches!(settings("http://x"), Err(SmtpUrlError::Scheme(_))));
        assert!(matches!(
            settings("smtp://x?tls=maybe"),
            Err(SmtpUrlError::TlsMode(_))
        ));
        assert!(matches!(
            MailSettings::new(
                "smtp://x".parse().unwrap(),
                "not an address",
                Duration::from_secs(1)
            ),
            Err(SmtpUrlError::From(_))
        ));
    }
}
