//! NPI registry adapters (the `NpiRegistry` port, domain §11):
//!
//! - [`CmsRegistry`]: the CMS NPPES API (`GET {base_url}?number=<npi>&version=2.1`), with a
//!   per-request timeout, one retry on connection errors, timeouts and 5xx, and a short cache
//!   of found numbers.
//! - [`LocalRegistry`]: the local search tables (`search_surgeon_all`, `search_facility_all`)
//!   through the storage port; the embedded default.
//!
//! Both return names as published; display normalisation (domain §12) is the caller's.
//! Every failure to get an answer is `RegistryError::Unavailable` (api.md: 502
//! `npi_registry_unavailable`).

mod cache;
mod cms;
mod local;
mod nppes;

pub use cms::{CmsRegistry, CmsSettings};
pub use local::LocalRegistry;
