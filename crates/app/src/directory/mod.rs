//! Surgeons, facilities, NPI search and the registry check (api.md §4).

mod address_book;
mod npi;
mod search;

pub use address_book::{FacilityCreated, SurgeonCreated};
pub use npi::NpiCheck;
pub use search::{FacilityHits, SurgeonHits};
