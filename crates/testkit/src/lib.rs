//! In-memory port implementations and the contract test suites every adapter runs.
//!
//! - [`MemoryStore`], [`MemoryObjectStore`], [`StaticNpiRegistry`]: fakes of the three ports
//!   that behave like the real systems (unique and foreign keys, ordering, transactions,
//!   idempotent moves, an "unavailable" switch).
//! - [`fixtures`]: the seeded reference data and builders of records with fixed values.
//! - [`contract`]: one async test function per behaviour of a port; the macros
//!   [`store_contract_tests!`] and [`object_store_contract_tests!`] turn them into `#[test]`s
//!   of an adapter crate.
//! - [`env`]: the `SURGICASE_TEST_*` variables, and skips that fail under
//!   `SURGICASE_TEST_REQUIRE_ALL=1`.
//!
//! This crate is a dev-dependency only: the contract suites and fixtures panic on failure, as
//! tests do.

pub mod bugs;
pub mod contract;
pub mod env;
pub mod fixtures;
mod macros;
pub mod mail;
pub mod memory;
pub mod npi;
pub mod objects;
pub mod reports;

pub use bugs::FakeTracker;
pub use mail::RecordingMailer;
pub use memory::MemoryStore;
pub use npi::StaticNpiRegistry;
pub use objects::MemoryObjectStore;
pub use reports::TextRenderer;
