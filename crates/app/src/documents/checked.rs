//! An object read and checked against domain §14.2, recorded as a case or a user document.

use surgicase_cases::DocumentKind;
use surgicase_kernel::{DocumentField, DocumentLocation, Timestamp, UserId};
use surgicase_ports::records::{CaseDocumentRecord, UserDocumentRecord};

/// What a checked object contributes to its document row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct CheckedObject {
    pub object_key: String,
    pub size: i64,
    pub sha256: String,
    pub kind: DocumentKind,
    pub uploaded_by: UserId,
    pub uploaded_ts: Timestamp,
}

impl CheckedObject {
    pub(crate) fn case_document(&self, field: DocumentField, name: &str) -> CaseDocumentRecord {
        CaseDocumentRecord {
            document_type: field,
            document_name: name.to_owned(),
            object_key: self.object_key.clone(),
            location: DocumentLocation::Live,
            size_bytes: Some(self.size),
            sha256: Some(self.sha256.clone()),
            content_type: Some(self.kind.content_type().to_owned()),
            uploaded_by: Some(self.uploaded_by.to_string()),
            uploaded_ts: Some(self.uploaded_ts),
        }
    }

    pub(crate) fn user_document(&self, user: &UserId, doc_type: &str, name: &str) -> UserDocumentRecord {
        UserDocumentRecord {
            user_id: user.clone(),
            document_type: doc_type.to_owned(),
            document_name: name.to_owned(),
            object_key: self.object_key.clone(),
            location: DocumentLocation::Live,
            size_bytes: Some(self.size),
            sha256: Some(self.sha256.clone()),
            content_type: Some(self.kind.content_type().to_owned()),
            uploaded_by: Some(self.uploaded_by.to_string()),
            uploaded_ts: Some(self.uploaded_ts),
        }
    }
}
