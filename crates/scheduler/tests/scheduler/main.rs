//! The scheduler against real stores: in memory, one SQLite file shared by several replicas,
//! one MariaDB database shared by several replicas (when `SURGICASE_TEST_MYSQL_URL` is set).
//! Time is a `FixedClock` per replica unless a test says otherwise.

// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod catch_up;
mod leases;
mod race;
mod service;
mod transitions;
mod world;
