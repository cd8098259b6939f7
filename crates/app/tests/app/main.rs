//! Use-case tests over the in-memory ports (no database): one binary, one module per area.

// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod bugs;
mod case_images;
mod cases_create;
mod cases_delete;
mod cases_read;
mod cases_update;
mod counters;
mod demo;
mod directory;
mod documents;
mod health;
mod jobs;
mod status_rules;
mod users;
mod world;
