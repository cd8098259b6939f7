//! The JSON shapes of the answers (api.md §1.9, §2–§4), built from use-case outputs.
//!
//! Field names are those of the contract, exactly. Value formats (api.md §1.6): money is a JSON
//! number with two decimals written from integer cents ([`Amount`]), timestamps RFC 3339 UTC with
//! seconds, dates `YYYY-MM-DD`, `active`/`phi_encrypted`/`dupe_flag` as 0/1, NPIs and ids as
//! numbers. Statuses are the displayed ones the use cases return.
//!
//! The shell's own request bodies ([`document_bodies`], [`observability`]) are read, documented
//! and checked by one type each ([`crate::valid`]). Other `*Body` request structs only document
//! request bodies in the OpenAPI document; those bodies are read through [`crate::Fields`].

pub mod back_lists;
pub mod backoffice;
pub mod cases;
pub mod dashboards;
pub mod directory;
pub mod document_bodies;
pub mod documents;
pub mod errors;
pub mod format;
pub mod jobs;
pub mod lists;
pub mod observability;
pub mod reference;
pub mod status_rules;
pub mod users;

pub use format::{Amount, date, flag, full_name, npi, timestamp};
