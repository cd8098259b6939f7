//! User profiles: the profile as stored and how changes apply to it, the one request body of
//! `POST` and `PATCH /user` and its validation, tier assignment and caps.
//!
//! The HTTP layer hands the body as received ([`ProfileInput`]) to [`ProfileChanges::parse`],
//! which normalises every field (domain §12) and reports every invalid field at once, under its
//! API body name. What needs the database (does the `user_type`, status or time zone exist, is
//! the id taken) is left to the application layer.

pub mod cap;
pub mod changes;
pub mod documents;
pub mod field;
pub mod input;
pub mod kind;
pub mod message_pref;
pub mod profile;
#[cfg(feature = "openapi")]
pub mod schema;
pub mod tier;
pub mod value;

pub use cap::{DEFAULT_MAX_CASE_STATUS, initial_cap, resolve_cap};
pub use changes::{Mode, ProfileChanges};
pub use documents::UserDocumentChange;
pub use field::ProfileField;
pub use input::ProfileInput;
pub use kind::FieldKind;
pub use message_pref::MessagePref;
pub use profile::{Profile, RoleDefaults};
pub use tier::{DEFAULT_TIER, TIER_MAX, assign_tier, assign_tier_with, tier_candidates};
pub use value::ProfileValue;
