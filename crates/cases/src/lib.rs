//! The case aggregate: patient data, procedure-code list rules, duplicate-patient key.
//!
//! Everything here is pure validation: the application layer loads what the rules need (the
//! auto-fix map, the stored case, today's date) and passes it in.

pub mod auto_fix;
pub mod codes;
pub mod dates;
pub mod documents;
pub mod duplicate;
pub mod input;
pub mod keys;
pub mod new_case;
pub mod patch;
pub mod patient;
#[cfg(feature = "openapi")]
pub mod schema;

pub use auto_fix::{AutoFixEntry, validate_auto_fix};
pub use codes::{AutoFixes, CodeListOutcome, lookup_entries, process_codes};
pub use documents::{DocumentError, DocumentField, DocumentKind, DocumentName, sniff};
pub use duplicate::{CaseCore, PatientNameKey, duplicate_check_needed};
pub use input::{Patch, Raw};
pub use keys::{DocumentKeys, KeyArea, is_key_segment};
pub use new_case::{NewCase, NewCaseInput};
pub use patch::{CasePatch, CasePatchInput};
pub use patient::{Patient, PatientInput};
