//! A stored case: the `cases` row, its procedure codes and its documents. The store reads and
//! writes these whole; the aggregate's methods (`edit`, `pricing`, `facts`) decide what changes.

use std::collections::BTreeMap;

use crate::duplicate::CaseCore;

use surgicase_kernel::status::StatusTimestamp;
use surgicase_kernel::{
    ArchiveState, CaseId, CaseStatus, Date, DocumentField, DocumentLocation, FacilityId, Money, SurgeonId,
    Timestamp, UserId,
};

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

impl DocumentNames {
    /// The stored name of the document of `field`.
    pub fn get(&self, field: DocumentField) -> Option<&str> {
        match field {
            DocumentField::DemoFile => self.demo_file.as_deref(),
            DocumentField::NoteFile => self.note_file.as_deref(),
            DocumentField::MiscFile => self.misc_file.as_deref(),
            DocumentField::AdminFile => self.admin_file.as_deref(),
        }
    }

    /// The column that names the document of `field`.
    pub fn slot(&mut self, field: DocumentField) -> &mut Option<String> {
        match field {
            DocumentField::DemoFile => &mut self.demo_file,
            DocumentField::NoteFile => &mut self.note_file,
            DocumentField::MiscFile => &mut self.misc_file,
            DocumentField::AdminFile => &mut self.admin_file,
        }
    }

    /// The fields that name a document (an empty legacy name counts as none).
    pub fn present(&self) -> impl Iterator<Item = DocumentField> + '_ {
        DocumentField::ALL.into_iter().filter(|f| self.get(*f).is_some_and(|n| !n.is_empty()))
    }
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
    /// How far the document moves after the last delete or restore got.
    pub archive_state: Option<ArchiveState>,
    pub case_create_ts: Timestamp,
    pub case_updated_ts: Timestamp,
    /// Last entry into each status that has a timestamp column.
    pub status_timestamps: BTreeMap<StatusTimestamp, Timestamp>,
}

impl CaseRow {
    /// The fields that decide whether this case duplicates another.
    pub fn core(&self) -> CaseCore {
        CaseCore {
            owner: self.user_id.clone(),
            case_date: self.case_date,
            patient_first: self.patient.first.clone(),
            patient_last: self.patient.last.clone(),
        }
    }

    /// Moves the case into `to`, stamping the status's timestamp column (domain §5.3).
    pub fn enter_status(&mut self, to: CaseStatus, now: Timestamp) {
        self.case_status = to;
        if let Some(column) = to.timestamp_column() {
            self.status_timestamps.insert(column, now);
        }
    }
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
    pub document_type: DocumentField,
    pub document_name: String,
    pub object_key: String,
    pub location: DocumentLocation,
    pub size_bytes: Option<i64>,
    pub sha256: Option<String>,
    pub content_type: Option<String>,
    pub uploaded_by: Option<String>,
    pub uploaded_ts: Option<Timestamp>,
}

/// The case aggregate: a stored case with its codes and documents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Case {
    pub human_case_id: i64,
    pub row: CaseRow,
    /// Whether the stored patient fields are encrypted.
    pub phi_encrypted: bool,
    /// In entry order.
    pub codes: Vec<CaseCodeRecord>,
    pub documents: Vec<CaseDocumentRecord>,
}

impl Case {
    /// The live document row of `field`, if any.
    pub fn live_document(&self, field: DocumentField) -> Option<&CaseDocumentRecord> {
        self.documents.iter().find(|d| d.document_type == field && d.location.is_live())
    }
}
