//! HTTP tests through `actix_web::test`: the framework on tiny test-only routes, then the
//! core routes on the in-memory ports.

mod back_office_reads;
mod backoffice;
mod bad_input;
mod case_images;
mod cases;
mod cors;
mod directory;
mod docs;
pub(crate) mod documents;
mod errors;
mod identity;
mod jobs;
mod lists;
mod matrix;
mod ownership;
mod status_rules;
mod support;
mod users;
mod world;
mod write_conflicts;
