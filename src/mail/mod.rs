//! Email: the SMTP transport (`lettre`, rustls) and the messages' templates.
//!
//! Messages are never sent from a request. A service writes them to the
//! outbox (`service::outbox::enqueue`) in the transaction of the change they
//! announce; the mail worker (`service::outbox::spawn`) sends them.

pub mod templates;
pub mod transport;

pub use templates::Message;
pub use transport::{MailSettings, SmtpUrlError};
