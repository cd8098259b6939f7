//! Surgeons, facilities and display normalisation of NPI search data.
//!
//! Pure validation and formatting: the application layer checks existence and uniqueness.

pub mod display;
pub mod facility;
pub mod fields;
pub mod input;
#[cfg(feature = "openapi")]
pub mod schema;
pub mod search;
pub mod surgeon;

pub use display::{display_address, display_city, display_facility_name, display_person_name, display_state};
pub use facility::{FacilityInput, NewFacility};
pub use input::Raw;
pub use search::{FacilityQuery, FacilitySearch, SearchLimit, SurgeonQuery, SurgeonSearch};
pub use surgeon::{NewSurgeon, SurgeonInput};
