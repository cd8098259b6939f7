//! Black-box tests of the built `surgicase-api` binary: each test starts the real server on a
//! free port against a fresh database (SQLite always; MariaDB too when
//! `SURGICASE_TEST_MYSQL_URL` is set) and talks HTTP to it.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code

mod server;

mod bad_input;
mod billing_week;
mod concurrency;
mod documents;
mod flows;
mod identities;
mod jwt;
mod observability;
mod secrets;
mod status_rules;
mod wire;
