//! The observability routes and bug intake through `actix_web::test`: health (with the
//! database taken away and given back, in memory and on MariaDB), metrics, bugs (against a
//! fake ClickUp), client request logs.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code

mod bugs;
mod health;
mod health_mysql;
mod metrics;
mod support;
