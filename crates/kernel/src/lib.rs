//! Shared value types of SurgiCase.
//!
//! Every type here has a smart constructor: a value that exists is valid. Nothing in this
//! crate does I/O; the `Clock` is the one abstraction over the outside world.

pub mod clock;
pub mod document_field;
pub mod document_state;
pub mod error;
pub mod ids;
pub mod input;
pub mod money;
pub mod named;
pub mod npi;
pub mod procedure_code;
#[cfg(feature = "openapi")]
pub mod schema;
pub mod sensitive;
pub mod status;
pub mod text;
pub mod time;
pub mod user_type;
#[cfg(feature = "validate")]
pub mod validate;
pub mod wire;

pub use clock::{Clock, FixedClock, SystemClock};
pub use document_field::DocumentField;
pub use document_state::{ArchiveState, DocumentLocation};
pub use error::{FieldCode, FieldError, ValidationErrors, ValueError};
pub use ids::{CaseId, FacilityId, Identifier, SurgeonId, UserId};
pub use input::{Flag, Patch, Raw, RequestBody, UnknownFields};
pub use money::Money;
pub use npi::Npi;
pub use procedure_code::ProcedureCode;
pub use sensitive::Sensitive;
pub use status::CaseStatus;
pub use time::{Date, Timestamp};
pub use user_type::{RoleLevel, UserType};
