//! One integration-test binary: every test boots the real server on a random
//! port against a fresh, really migrated database and talks HTTP to it.
//! SQLite by default; PostgreSQL when QANDA_TEST_DATABASE_URL is set.

mod helpers;

mod caching;
mod cli;
mod client_mistakes;
mod constraints;
mod graphiql;
mod graphql_http;
mod graphql_http_audit;
mod health;
mod history;
mod import_export;
mod last_changed;
mod limits;
mod mail;
mod metrics;
mod process;
mod public_page;
mod public_read;
mod publishing;
mod races;
mod retirement;
mod review;
mod review_publish;
mod scheduling;
mod search;
mod smtp_receiver;
mod statements;
mod webhook_addresses;
mod webhooks;

mod admin_ui;
mod audit_log;
mod auth;
mod browser;
mod browser_audit;
mod browser_confirm;
mod browser_graphiql;
mod browser_history;
mod browser_pages;
mod browser_publishing;
mod browser_review;
mod browser_review_steps;
mod browser_schedule;
mod browser_support;
mod browser_two_factor;
mod cli_users;
mod editing;
mod roles;
mod two_factor;
mod viewer_can;
