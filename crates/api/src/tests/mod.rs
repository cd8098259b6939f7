//! HTTP tests of the framework through `actix_web::test`, on tiny test-only routes.

mod bad_input;
mod docs;
mod errors;
mod identity;
mod support;
