//! Case use cases (domain §5, §6, §8–§10, §13; api.md §2).

mod admin_status;
mod bulk;
mod by_status;
mod create;
mod delete;
mod history;
mod list;
mod outcome;
mod read;
mod read_only;
mod restore;
pub(crate) mod status;
mod update;
mod write;

pub use admin_status::SystemActor;
pub use bulk::{BulkException, BulkStatusOutcome, BulkStatusRequest, BulkUpdated};
pub use by_status::{CasesByStatus, CasesByStatusRequest};
pub use create::CaseCreated;
pub use delete::{CaseDeleted, DocumentArchive};
pub use history::{CaseHistory, HistoryEntry};
pub use list::{CaseFilterRequest, CaseList, ListedCase, StatusFilter};
pub use outcome::{CodesReport, PayUpdate, StatusUpdate};
pub use read::{CaseDetails, describe_status};
pub use read_only::READ_ONLY_FIELDS;
pub use restore::CaseRestored;
pub use update::{CaseUpdateRequest, CaseUpdated};
pub(crate) use write::lock_active_owner;
// For the document use cases (crate::documents).
pub(crate) use read::parse_case_id;
pub(crate) use status::apply_rules;
