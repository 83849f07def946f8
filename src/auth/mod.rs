//! Passwords, sessions and sign-in throttling.

pub mod password;
pub mod session;
pub mod session_store;
pub mod throttle;
pub mod token;
