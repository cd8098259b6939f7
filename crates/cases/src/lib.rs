//! The case aggregate: the stored case ([`Case`]) and the rules that change it — request
//! validation, the procedure-code pipeline, duplicate-patient key, edits, pricing and the
//! rule facts.
//!
//! Everything here is pure: the application layer loads what the rules need (the auto-fix map,
//! the stored case, the code master's answer, today's date) and passes it in.

pub mod auto_fix;
pub mod bulk;
pub mod codes;
mod create;
pub mod dates;
pub mod documents;
pub mod duplicate;
pub mod edit;
mod facts;
pub mod input;
pub mod keys;
mod lifecycle;
pub mod new_case;
pub mod patch;
pub mod patient;
pub mod pricing;
pub mod record;
#[cfg(feature = "openapi")]
pub mod schema;

pub use auto_fix::{AutoFixEntry, validate_auto_fix};
pub use bulk::{BulkSkip, MAX_BULK_CASES, MAX_BULK_REASON, judge_bulk};
pub use codes::{AutoFixes, CodeListOutcome, lookup_entries, process_codes};
pub use documents::{DocumentError, DocumentField, DocumentKind, DocumentName, sniff};
pub use duplicate::{CaseCore, PatientNameKey, duplicate_check_needed};
pub use edit::{CaseEdit, Pricing, Repriced};
pub use input::{Patch, Raw};
pub use keys::{DocumentKeys, KeyArea, is_key_segment};
pub use new_case::{NewCase, NewCaseInput};
pub use patch::{CasePatch, CasePatchInput};
pub use patient::{Patient, PatientInput};
pub use pricing::{PricedCodes, UnreadableCode, code_facts, price_codes};
pub use record::{Case, CaseCodeRecord, CaseDocumentRecord, CaseRow, DocumentNames, PatientData};

#[cfg(test)]
mod edit_tests;
