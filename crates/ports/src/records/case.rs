//! `cases`, `case_procedure_codes` and `case_documents`.

use std::collections::BTreeMap;

use surgicase_kernel::status::StatusTimestamp;
use surgicase_kernel::{CaseId, CaseStatus, Date, FacilityId, Money, SurgeonId, Timestamp, UserId};

/// The patient data of a case, in clear text. The store's PHI codec encodes it on write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatientData {
    pub first: String,
    pub last: String,
    pub ins_provider: String,
    pub dob: Option<Date>,
}

/// The four document-name columns of `cases`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DocumentNames {
    pub demo_file: Option<String>,
    pub note_file: Option<String>,
    pub misc_file: Option<String>,
    pub admin_file: Option<String>,
}

/// One row of `cases`: written whole on insert and update.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseRow {
    pub case_id: CaseId,
    pub user_id: UserId,
    pub case_date: Date,
    pub patient: PatientData,
    /// The domain's duplicate-detection message (`v1|first|last`, normalised). The store
    /// keeps only its keyed hash (`patient_name_bidx`).
    pub patient_name_key: String,
    pub surgeon_id: Option<SurgeonId>,
    pub facility_id: Option<FacilityId>,
    pub case_status: CaseStatus,
    pub documents: DocumentNames,
    pub pay_amount: Money,
    pub pay_category: Option<String>,
    pub biller_status: i16,
    pub dupe_flag: bool,
    pub active: bool,
    pub deleted_ts: Option<Timestamp>,
    pub deleted_by: Option<String>,
    /// `pending` or `done` for document moves after delete or restore.
    pub archive_state: Option<String>,
    pub case_create_ts: Timestamp,
    pub case_updated_ts: Timestamp,
    /// Last entry into each status that has a timestamp column.
    pub status_timestamps: BTreeMap<StatusTimestamp, Timestamp>,
}

/// One stored procedure code of a case, with its snapshots from the code master.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseCodeRecord {
    pub procedure_code: String,
    pub procedure_desc: String,
    pub asst_surg: Option<i16>,
}

/// One row of `case_documents`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseDocumentRecord {
    /// `demo_file`, `note_file`, `misc_file` or `admin_file`.
    pub document_type: String,
    pub document_name: String,
    pub object_key: String,
    /// `live`, `deleted` or `missing`.
    pub location: String,
    pub size_bytes: Option<i64>,
    pub sha256: Option<String>,
    pub content_type: Option<String>,
    pub uploaded_by: Option<String>,
    pub uploaded_ts: Option<Timestamp>,
}

/// A stored case with everything the core reads need.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseRecord {
    pub human_case_id: i64,
    pub row: CaseRow,
    /// Whether the stored patient fields were encrypted (0 until encryption lands).
    pub phi_encrypted: bool,
    /// In entry order.
    pub codes: Vec<CaseCodeRecord>,
    pub documents: Vec<CaseDocumentRecord>,
}

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
    pub case: CaseRecord,
    pub joins: CaseJoins,
}

/// Which stored statuses a list matches: `case_status IN exact`, or, when
/// `above_below_400` is `Some(c)`, also `c < case_status < 400`. Built by the permissions
/// rules from a filter and the viewer's cap; the store only translates it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StatusMatch {
    pub exact: Vec<CaseStatus>,
    pub above_below_400: Option<CaseStatus>,
}

/// A list of active cases.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseQuery {
    /// Only this owner's cases; `None` for every owner.
    pub owner: Option<UserId>,
    /// `None`: any status.
    pub status: Option<StatusMatch>,
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
