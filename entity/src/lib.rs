//! SeaORM entities: storage only. No GraphQL derives and no rules live here;
//! the domain and service layers of the `qanda` crate own those.

pub mod account_link;
pub mod audit_event;
pub mod category;
pub mod mail_message;
pub mod page;
pub mod page_update;
pub mod question;
pub mod recovery_code;
pub mod review;
pub mod revision;
pub mod second_factor;
pub mod session;
pub mod setup_token;
pub mod sign_in_throttle;
pub mod status;
pub mod user;
pub mod webhook;
pub mod webhook_delivery;
