//! User profiles: validation, normalisation, tier assignment.
//!
//! The HTTP layer hands raw request values ([`NewUserInput`], [`UserPatchInput`]) to the smart
//! constructors here, which normalise every field (domain §12) and report every invalid field
//! at once, under its API body name. What needs the database (does the `user_type`, status or
//! time zone exist, is the id taken) is left to the application layer.

pub mod cap;
pub mod documents;
pub mod field;
mod fields;
pub mod message_pref;
pub mod new_user;
pub mod patch;
pub mod raw;
pub mod tier;
pub mod user_patch;

pub use cap::{DEFAULT_MAX_CASE_STATUS, initial_cap, resolve_cap};
pub use documents::{DocumentInput, UserDocumentByName, UserDocumentChange};
pub use field::ProfileField;
pub use message_pref::MessagePref;
pub use new_user::{NewUser, NewUserInput};
pub use patch::Patch;
pub use raw::TextOrInt;
pub use tier::{DEFAULT_TIER, TIER_MAX, assign_tier, assign_tier_with, tier_candidates};
pub use user_patch::{UserPatch, UserPatchInput};
