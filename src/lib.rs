//! qanda: a GraphQL content API with an admin editor for Q&A (FAQ) pages.

pub mod app;
pub mod auth;
pub mod cli;
pub mod commands;
pub mod db;
pub mod domain;
pub mod error;
pub mod graphql;
pub mod http;
pub mod interchange;
pub mod mail;
pub mod markdown;
pub mod service;
pub mod telemetry;

pub use app::{build, App};
