//! `cases`, `case_procedure_codes` and `case_documents`.

use surgicase_kernel::{CaseId, CaseStatus, Date, UserId};

pub use surgicase_cases::record::{
    Case, CaseCodeRecord, CaseDocumentRecord, CaseRow, DocumentNames, PatientData,
};

/// What reads join to a case for display.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CaseJoins {
    pub surgeon_first: Option<String>,
    pub surgeon_last: Option<String>,
    pub surgeon_npi: Option<i64>,
    pub facility_name: Option<String>,
    pub facility_state: Option<String>,
    pub facility_npi: Option<i64>,
    pub owner_first: Option<String>,
    pub owner_last: Option<String>,
    /// Description of the stored status.
    pub status_desc: Option<String>,
    /// Description of the extra status the caller asked to have described (the viewer's cap).
    pub described_status_desc: Option<String>,
}

/// A case as `GET /case` shows it: one statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseView {
    pub case: Case,
    pub joins: CaseJoins,
}

/// Which stored statuses a list matches, built by the permissions rules from a filter and the
/// viewer's cap; the store only translates it.
pub use surgicase_permissions::StoredStatusMatch;

/// A list of active cases.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseQuery {
    /// Only this owner's cases; `None` for every owner.
    pub owner: Option<UserId>,
    /// `None`: any status.
    pub status: Option<StoredStatusMatch>,
    /// Inclusive bounds on `case_date`.
    pub date_from: Option<Date>,
    pub date_to: Option<Date>,
    /// Also describe this status (the viewer's cap) in each item's joins.
    pub describe: Option<CaseStatus>,
    pub order: CaseOrder,
    pub limit: i64,
    pub offset: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CaseOrder {
    /// `case_create_ts` desc, then `case_id` desc (`/case_filter`).
    NewestFirst,
    /// `case_date` desc, owner first name, last name, `case_id` desc (`/cases_by_status`).
    CaseDateDesc,
}

/// A page of cases with the number of all matches.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CasePage {
    pub items: Vec<CaseView>,
    pub total: i64,
}

/// An active case that has the same owner, date and patient name key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DuplicateCase {
    pub case_id: CaseId,
    pub user_id: UserId,
    pub case_date: Date,
    pub patient_first: String,
    pub patient_last: String,
}
