//! The adapter's own integration tests, on SQLite always and on MySQL/MariaDB when
//! `SURGICASE_TEST_MYSQL_URL` is set. One test binary (one link step).

// Test code, helpers included: a failed step should stop the test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod credentials;
mod fixtures;
mod migrations;
mod repos;
mod schema_sql;
mod statements;
mod transactions;
