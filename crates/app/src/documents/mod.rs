//! Documents (domain §13, §14; api.md §5).
//!
//! - Attached by name (the legacy flow, domain §14.3) and the idempotent archive step that
//!   moves them between the live and deleted prefixes (this file).
//! - Uploads: an upload URL (presigned PUT or the direct route), the direct upload, and the
//!   confirmation that validates the object and attaches it in one transaction with the rules
//!   (`upload`, `confirm`).
//! - Several cases' documents as one ZIP (`bundle`): the plan and the reads; the shell streams.
//! - Downloads and removals (`access`), the archive of users' documents and of replaced
//!   objects, and the two scheduler jobs `document_archive` and `upload_cleanup` (`archive`).

mod access;
mod archive;
mod archive_step;
mod bundle;
mod checked;
mod confirm;
mod keys;
mod upload;

pub(crate) use checked::CheckedObject;
pub(crate) use keys::{ArchiveDirection, KeyOwner};

pub use access::{DocumentBody, DocumentDownload, DocumentRemoved};
pub use archive::{ArchiveReport, UploadCleanupReport};
pub use bundle::{
    BUNDLE_ERRORS_FILE, BundleCase, BundleDocument, BundleReadFailure, CaseBundle, MAX_BUNDLE_CASES,
    safe_segment,
};
pub use confirm::DocumentAttached;
pub use upload::{UploadReceived, UploadRequest, UploadTicket};

/// What is recorded of a stored document (api.md §1.9 `documents`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentInfo {
    pub file_name: String,
    pub size_bytes: Option<i64>,
    pub sha256: Option<String>,
    pub content_type: Option<String>,
    pub uploaded_at: Option<Timestamp>,
}

impl DocumentInfo {
    pub(crate) fn of_case(doc: &CaseDocumentRecord) -> Self {
        Self {
            file_name: doc.document_name.clone(),
            size_bytes: doc.size_bytes,
            sha256: doc.sha256.clone(),
            content_type: doc.content_type.clone(),
            uploaded_at: doc.uploaded_ts,
        }
    }
}

use sha2::{Digest, Sha256};
use surgicase_cases::documents::check_content;
use surgicase_cases::{DocumentError, DocumentName};
use surgicase_kernel::{DocumentField, FieldCode, FieldError, Timestamp, UserId};
use surgicase_ports::ObjectKey;
use surgicase_ports::records::CaseDocumentRecord;

use crate::App;
use crate::error::AppError;

/// Where a document ended up after the archive step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArchiveOutcome {
    /// Moved (or found already moved) to the deleted prefix.
    Deleted,
    /// Moved (or found already moved) back to the live prefix.
    Restored,
    /// Neither source nor destination exists.
    Missing,
    /// The object store could not be reached; a later run finishes the move.
    Pending,
}

impl ArchiveOutcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Deleted => "deleted",
            Self::Restored => "live",
            Self::Missing => "missing",
            Self::Pending => "pending",
        }
    }
}

fn invalid(field: &str, code: FieldCode, message: String) -> AppError {
    AppError::invalid(FieldError::new(field, code, message))
}

impl App {
    /// Reads and validates the objects a request names for a case, before any row is locked.
    pub(crate) async fn load_named_case_documents(
        &self,
        owner: &UserId,
        named: &[(DocumentField, DocumentName)],
        uploaded_by: &UserId,
        now: Timestamp,
    ) -> Result<Vec<CaseDocumentRecord>, AppError> {
        let mut records = Vec::with_capacity(named.len());
        for (field, name) in named {
            let key = self.document_keys().case_named(owner, name);
            let checked = self.load_document(field.as_str(), &key, name, uploaded_by, now).await?;
            records.push(checked.case_document(*field, name.as_str()));
        }
        Ok(records)
    }

    /// Reads one object and checks it against §14.2: size, SHA-256 and kind.
    pub(crate) async fn load_document(
        &self,
        field: &str,
        key: &str,
        name: &DocumentName,
        uploaded_by: &UserId,
        now: Timestamp,
    ) -> Result<CheckedObject, AppError> {
        let object_key = ObjectKey::parse(key)
            .map_err(|_| invalid(field, FieldCode::InvalidFormat, "is not a usable file name".to_owned()))?;
        let Some(object) = self.objects.get(&object_key).await? else {
            return Err(invalid(
                field,
                FieldCode::DocumentMissing,
                format!("no uploaded file named '{}'", name.as_str()),
            ));
        };
        let kind = match check_content(name.kind(), &object.bytes, self.settings.documents.max_bytes) {
            Ok(kind) => kind,
            Err(DocumentError::Empty) => {
                return Err(invalid(field, FieldCode::EmptyDocument, "the file is empty".to_owned()));
            }
            Err(DocumentError::TooLarge { limit, .. }) => return Err(AppError::TooLarge { limit }),
            Err(mismatch @ DocumentError::Mismatch { .. }) => {
                return Err(AppError::UnsupportedDocument {
                    field: field.to_owned(),
                    detail: mismatch.to_string(),
                });
            }
        };
        Ok(CheckedObject {
            object_key: object_key.to_string(),
            size: i64::try_from(object.bytes.len()).unwrap_or(i64::MAX),
            sha256: hex::encode(Sha256::digest(&object.bytes)),
            kind,
            uploaded_by: uploaded_by.clone(),
            uploaded_ts: now,
        })
    }
}

/// The result of one move attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum MoveResult {
    Moved,
    Missing,
    Failed,
}
