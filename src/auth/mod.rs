//! Passwords, sessions, sign-in throttling and second factors.

pub mod password;
pub mod recovery;
pub mod session;
pub mod session_store;
pub mod throttle;
pub mod token;
pub mod totp;
