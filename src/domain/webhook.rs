//! What webhooks are told about, and the URLs they may point at.

use super::status::string_enum;
pub use super::status::WebhookDeliveryStatus;
use crate::error::FieldError;

string_enum!(
    /// Something that happened which a webhook can be told about.
    WebhookEvent {
        /// A question was published (by hand or on schedule), or its new text was.
        QuestionPublished => "question.published",
        /// A published question went back to draft.
        QuestionUnpublished => "question.unpublished",
        /// A question was archived, by hand or when its expiry time came.
        QuestionArchived => "question.archived",
        /// A page was retired, by hand or on schedule.
        PageRetired => "page.retired",
        /// A page's working copy was published: its text, its categories'
        /// titles and order, and where its questions stand.
        PagePublished => "page.published",
    }
);

impl WebhookEvent {
    /// Stored form of a set of events: names in a fixed order, comma-separated.
    pub fn join(events: &[WebhookEvent]) -> String {
        WebhookEvent::ALL
            .iter()
            .filter(|e| events.contains(e))
            .map(|e| e.as_str())
            .collect::<Vec<_>>()
            .join(",")
    }

    /// The events in a stored list; names it does not know are skipped.
    pub fn split(stored: &str) -> Vec<WebhookEvent> {
        stored
            .split(',')
            .filter_map(|name| name.trim().parse().ok())
            .collect()
    }
}

pub const MAX_WEBHOOK_URL_LEN: usize = 2000;
pub const MAX_WEBHOOK_DESCRIPTION_LEN: usize = 200;

/// An absolute http:// or https:// URL with a host.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebhookUrl(String);

impl WebhookUrl {
    pub fn parse(field: &str, raw: &str) -> Result<WebhookUrl, FieldError> {
        let raw = raw.trim();
        if raw.is_empty() {
            return Err(FieldError::new(
                field,
                "Enter the web address that should receive the events",
            ));
        }
        if raw.chars().count() > MAX_WEBHOOK_URL_LEN {
            return Err(FieldError::new(
                field,
                format!("The web address must be {MAX_WEBHOOK_URL_LEN} characters or fewer"),
            ));
        }
        match url::Url::parse(raw) {
            Ok(url)
                if matches!(url.scheme(), "http" | "https")
                    && url.host_str().is_some_and(|h| !h.is_empty()) =>
            {
                Ok(WebhookUrl(url.to_string()))
            }
            _ => Err(FieldError::new(
                field,
                "Enter a full web address starting with https:// or http://",
            )),
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_string(self) -> String {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_http_and_https_urls_with_a_host() {
        assert!(WebhookUrl::parse("url", " https://example.org/hook ").is_ok());
        assert!(WebhookUrl::parse("url", "http://127.0.0.1:9000/x").is_ok());
        for bad in [
            "",
            "example.org",
            "ftp://example.org",
            "javascript:alert(1)",
            "file:///etc/passwd",
        ] {
            let error = WebhookUrl::parse("url", bad).unwrap_err();
            assert_eq!(error.field, "url", "{bad}");
        }
    }

    #[test]
    fn events_round_trip_through_their_stored_form() {
        let stored =
            WebhookEvent::join(&[WebhookEvent::PageRetired, WebhookEvent::QuestionPublished]);
        assert_eq!(stored, "question.published,page.retired");
        assert_eq!(
            WebhookEvent::split(&stored),
            [WebhookEvent::QuestionPublished, WebhookEvent::PageRetired]
        );
    }
}
