//! Documents: the answers of api.md §5.

use std::collections::BTreeMap;

use serde::Serialize;
use surgicase_app::{DocumentAttached, DocumentInfo, DocumentRemoved, UploadReceived, UploadTicket};
use surgicase_kernel::Timestamp;
use utoipa::ToSchema;

use super::cases::StatusUpdate;
use super::format::timestamp;

/// Where and how to send the bytes (`201` of the upload URL routes).
#[derive(Debug, Serialize, ToSchema)]
pub struct UploadUrlAnswer {
    pub upload_id: String,
    /// Always `PUT`.
    pub method: String,
    /// A presigned URL (S3) or `/document_upload/<upload_id>` (local store).
    pub url: String,
    /// Send exactly these headers.
    pub headers: BTreeMap<String, String>,
    pub expires_at: String,
}

impl From<&UploadTicket> for UploadUrlAnswer {
    fn from(t: &UploadTicket) -> Self {
        Self {
            upload_id: t.upload_id.clone(),
            method: t.method.clone(),
            url: t.url.clone(),
            headers: t.headers.clone(),
            expires_at: timestamp(t.expires_at),
        }
    }
}

/// The direct upload stored the bytes.
#[derive(Debug, Serialize, ToSchema)]
pub struct UploadReceivedAnswer {
    pub upload_id: String,
    pub size_bytes: i64,
    pub sha256: String,
    /// Always `received`.
    pub state: String,
}

impl From<&UploadReceived> for UploadReceivedAnswer {
    fn from(r: &UploadReceived) -> Self {
        Self {
            upload_id: r.upload_id.clone(),
            size_bytes: r.size_bytes,
            sha256: r.sha256.clone(),
            state: "received".to_owned(),
        }
    }
}

/// A stored document.
#[derive(Debug, Serialize, ToSchema)]
pub struct DocumentDto {
    pub file_name: String,
    pub size_bytes: Option<i64>,
    pub sha256: Option<String>,
    pub content_type: Option<String>,
    pub uploaded_at: Option<String>,
}

impl From<&DocumentInfo> for DocumentDto {
    fn from(d: &DocumentInfo) -> Self {
        Self {
            file_name: d.file_name.clone(),
            size_bytes: d.size_bytes,
            sha256: d.sha256.clone(),
            content_type: d.content_type.clone(),
            uploaded_at: d.uploaded_at.map(timestamp),
        }
    }
}

/// `POST /case/document/confirm`.
#[derive(Debug, Serialize, ToSchema)]
pub struct CaseDocumentConfirmedAnswer {
    pub case_id: String,
    pub document_type: String,
    pub document: DocumentDto,
    pub replaced: bool,
    pub status_update: Option<StatusUpdate>,
}

impl From<&DocumentAttached> for CaseDocumentConfirmedAnswer {
    fn from(a: &DocumentAttached) -> Self {
        Self {
            case_id: a.owner_id.clone(),
            document_type: a.document_type.clone(),
            document: DocumentDto::from(&a.document),
            replaced: a.replaced,
            status_update: a.status_update.as_ref().map(StatusUpdate::from),
        }
    }
}

/// `POST /user/document/confirm`.
#[derive(Debug, Serialize, ToSchema)]
pub struct UserDocumentConfirmedAnswer {
    pub user_id: String,
    pub document_type: String,
    pub document: DocumentDto,
    pub replaced: bool,
}

impl From<&DocumentAttached> for UserDocumentConfirmedAnswer {
    fn from(a: &DocumentAttached) -> Self {
        Self {
            user_id: a.owner_id.clone(),
            document_type: a.document_type.clone(),
            document: DocumentDto::from(&a.document),
            replaced: a.replaced,
        }
    }
}

/// A presigned download (`redirect=false`).
#[derive(Debug, Serialize, ToSchema)]
pub struct DocumentLinkAnswer {
    pub url: String,
    pub expires_at: String,
    pub file_name: String,
    pub size_bytes: Option<i64>,
    pub sha256: Option<String>,
    pub content_type: Option<String>,
}

impl DocumentLinkAnswer {
    pub fn new(url: &str, expires_at: Timestamp, info: &DocumentInfo) -> Self {
        Self {
            url: url.to_owned(),
            expires_at: timestamp(expires_at),
            file_name: info.file_name.clone(),
            size_bytes: info.size_bytes,
            sha256: info.sha256.clone(),
            content_type: info.content_type.clone(),
        }
    }
}

/// `DELETE /case/document`.
#[derive(Debug, Serialize, ToSchema)]
pub struct CaseDocumentRemovedAnswer {
    pub case_id: String,
    pub document_type: String,
    pub removed: bool,
    pub status_update: Option<StatusUpdate>,
}

impl From<&DocumentRemoved> for CaseDocumentRemovedAnswer {
    fn from(r: &DocumentRemoved) -> Self {
        Self {
            case_id: r.owner_id.clone(),
            document_type: r.document_type.clone(),
            removed: true,
            status_update: r.status_update.as_ref().map(StatusUpdate::from),
        }
    }
}

/// `DELETE /user/document`.
#[derive(Debug, Serialize, ToSchema)]
pub struct UserDocumentRemovedAnswer {
    pub user_id: String,
    pub document_type: String,
    pub removed: bool,
}

impl From<&DocumentRemoved> for UserDocumentRemovedAnswer {
    fn from(r: &DocumentRemoved) -> Self {
        Self { user_id: r.owner_id.clone(), document_type: r.document_type.clone(), removed: true }
    }
}
