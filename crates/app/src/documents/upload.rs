//! Upload URLs and the direct upload (domain §14.3 steps 1 and 2; api.md §5).

use std::collections::BTreeMap;

use serde_json::json;
use sha2::{Digest, Sha256};
use surgicase_cases::documents::{DocumentKind, check_content};
use surgicase_cases::{DocumentError, DocumentName};
use surgicase_kernel::{CaseId, DocumentField, FieldCode, FieldError, Timestamp, UserId, ValidationErrors};
use surgicase_permissions::{
    CaseRef, Subject, UserRef, case_reads_limited_to, may_change_case_document, may_see_user,
};
use surgicase_ports::{ObjectKey, ObjectMeta, TransferMode, UploadOwner, UploadRecord, UploadState};

use crate::App;
use crate::access::{require, require_case_document};
use crate::audit::Touched;
use crate::cases::parse_case_id;
use crate::context::Ctx;
use crate::error::{AppError, Conflict, Missing};

/// An upload as the client describes it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UploadRequest {
    pub document_type: String,
    pub file_name: String,
    pub content_type: String,
    /// `None` when absent or not an integer (the shell reports the type).
    pub size_bytes: Option<i64>,
}

/// Where and how the client sends the bytes.
#[derive(Debug, Clone, PartialEq)]
pub struct UploadTicket {
    pub upload_id: String,
    pub method: String,
    /// A presigned URL (S3) or `/document_upload/<id>` (local store).
    pub url: String,
    /// The headers the client sends exactly.
    pub headers: BTreeMap<String, String>,
    pub expires_at: Timestamp,
    pub touched: Touched,
}

/// The direct upload stored the bytes.
#[derive(Debug, Clone, PartialEq)]
pub struct UploadReceived {
    pub upload_id: String,
    pub size_bytes: i64,
    pub sha256: String,
    pub touched: Touched,
}

/// A checked upload request.
pub(crate) struct CheckedRequest {
    pub name: DocumentName,
    pub kind: DocumentKind,
    pub size: i64,
}

fn unsupported(field: &str, detail: impl Into<String>) -> AppError {
    AppError::UnsupportedDocument { field: field.to_owned(), detail: detail.into() }
}

/// 422 for missing or malformed fields, then 413 for a size over the limit, then 415 for a
/// type other than PDF, JPEG or PNG or one that the file name's extension contradicts.
pub(crate) fn check_request(req: &UploadRequest, max_bytes: u64) -> Result<CheckedRequest, AppError> {
    let mut errors = ValidationErrors::new();
    if req.document_type.trim().is_empty() {
        errors.push(FieldError::new("document_type", FieldCode::Required, "must not be empty"));
    }
    let name = match DocumentName::parse(&req.file_name) {
        Ok(name) => Some(name),
        Err(e) => {
            errors.push(e.at("file_name"));
            None
        }
    };
    if req.content_type.trim().is_empty() {
        errors.push(FieldError::new("content_type", FieldCode::Required, "must not be empty"));
    }
    match req.size_bytes {
        None => errors.push(FieldError::new("size_bytes", FieldCode::Required, "must be a number of bytes")),
        Some(0) => errors.push(FieldError::new("size_bytes", FieldCode::EmptyDocument, "the file is empty")),
        Some(n) if n < 0 => {
            errors.push(FieldError::new("size_bytes", FieldCode::OutOfRange, "must be at least 1"))
        }
        Some(_) => {}
    }
    let (Some(name), Some(size)) = (name, req.size_bytes) else {
        return Err(AppError::Validation(errors));
    };
    errors.into_result(())?;
    if u64::try_from(size).unwrap_or(u64::MAX) > max_bytes {
        return Err(AppError::TooLarge { limit: max_bytes });
    }
    let Some(kind) = DocumentKind::from_content_type(&req.content_type) else {
        return Err(unsupported(
            "content_type",
            "Only application/pdf, image/jpeg and image/png are accepted",
        ));
    };
    if kind != name.kind() {
        return Err(unsupported(
            "content_type",
            format!("The file name's extension does not match {}", kind.content_type()),
        ));
    }
    Ok(CheckedRequest { name, kind, size })
}

/// The case document field named by `raw`, else 422 `unknown_document_type`.
pub(crate) fn case_field(raw: &str) -> Result<DocumentField, AppError> {
    DocumentField::from_name(raw).ok_or_else(|| {
        let code = if raw.is_empty() { FieldCode::Required } else { FieldCode::UnknownDocumentType };
        AppError::invalid(FieldError::new(
            "document_type",
            code,
            "must be one of demo_file, note_file, misc_file, admin_file",
        ))
    })
}

/// The SHA-256 of `bytes`, lowercase hex.
pub(crate) fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// Content checks of §14.2 as use-case errors.
pub(crate) fn check_bytes(
    kind: DocumentKind,
    bytes: &[u8],
    max_bytes: u64,
    field: &str,
) -> Result<(), AppError> {
    match check_content(kind, bytes, max_bytes) {
        Ok(_) => Ok(()),
        Err(DocumentError::Empty) => {
            Err(AppError::invalid(FieldError::new(field, FieldCode::EmptyDocument, "the file is empty")))
        }
        Err(DocumentError::TooLarge { limit, .. }) => Err(AppError::TooLarge { limit }),
        Err(mismatch @ DocumentError::Mismatch { .. }) => Err(unsupported(field, mismatch.to_string())),
    }
}

impl App {
    pub(crate) fn upload_ttl(&self) -> chrono::Duration {
        chrono::Duration::seconds(self.settings.documents.upload_ttl_s.max(1))
    }

    /// The object key of a new upload: the key of domain §14.1 unless an object is already there
    /// (a live document of the same name, or another upload of it), in which case the upload id
    /// is added as a folder so that an upload can never overwrite a kept document.
    async fn fresh_key(
        &self,
        base: &str,
        upload_id: &str,
        name: &DocumentName,
    ) -> Result<ObjectKey, AppError> {
        let bad = || {
            AppError::invalid(FieldError::new(
                "file_name",
                FieldCode::InvalidFormat,
                "is not usable as a file name",
            ))
        };
        let plain = ObjectKey::parse(&format!("{base}{}", name.as_str())).map_err(|_| bad())?;
        if self.objects.head(&plain).await?.is_none() {
            return Ok(plain);
        }
        ObjectKey::parse(&format!("{base}{upload_id}/{}", name.as_str())).map_err(|_| bad())
    }

    /// Records the upload and answers where to send the bytes.
    async fn issue_upload(
        &self,
        mut record: UploadRecord,
        meta: ObjectMeta,
    ) -> Result<UploadTicket, AppError> {
        let key =
            ObjectKey::parse(&record.object_key).map_err(|e| AppError::internal_from("upload key", e))?;
        let (method, url, headers) = match self.objects.transfer_mode() {
            TransferMode::Presigned => {
                let ttl = std::time::Duration::from_secs(
                    u64::try_from(self.settings.documents.upload_ttl_s).unwrap_or(900),
                );
                let signed = self.objects.presign_put(&key, &meta, ttl).await?;
                (signed.method, signed.url, signed.headers)
            }
            TransferMode::Direct => {
                let headers = BTreeMap::from([("Content-Type".to_owned(), meta.content_type.clone())]);
                ("PUT".to_owned(), format!("/document_upload/{}", record.upload_id), headers)
            }
        };
        record.state = UploadState::Pending;
        let mut conn = self.store.conn().await?;
        conn.insert_upload(&record).await?;
        let touched = Touched::new("document.upload_url", "upload", record.upload_id.as_str())
            .subject(record.user_id.as_str())
            .details(json!({
                "owner_kind": record.owner_kind.as_str(),
                "case_id": record.case_id.as_ref().map(|c| c.as_str()),
                "document_type": record.document_type,
            }));
        Ok(UploadTicket {
            upload_id: record.upload_id,
            method,
            url,
            headers,
            expires_at: record.expires_ts,
            touched,
        })
    }

    /// `POST /case/document/upload_url`.
    pub async fn case_upload_url(
        &self,
        ctx: &Ctx,
        case_id: &str,
        request: &UploadRequest,
    ) -> Result<UploadTicket, AppError> {
        let id: CaseId = parse_case_id(case_id)?;
        let field = case_field(&request.document_type)?;
        let checked = check_request(request, self.settings.documents.max_bytes)?;
        let view = {
            let mut conn = self.store.conn().await?;
            conn.get_case_view(&id, None, case_reads_limited_to(&ctx.actor))
                .await?
                .ok_or_else(|| AppError::not_found(Missing::Case, case_id))?
        };
        let row = &view.case.row;
        let case = CaseRef { owner: &row.user_id, stored_status: row.case_status, active: row.active };
        // Someone else's case is not found; then the admin field, then the lock.
        require_case_document(
            may_change_case_document(&ctx.actor, case, field),
            case_id,
            row.case_status.code(),
        )?;

        let now = self.clock.now();
        let upload_id = uuid::Uuid::new_v4().to_string();
        let base = self.document_keys().case_upload_folder(&row.user_id, &id, field);
        let key = self.fresh_key(&base, &upload_id, &checked.name).await?;
        let meta = ObjectMeta {
            content_type: checked.kind.content_type().to_owned(),
            metadata: BTreeMap::from([
                ("case-id".to_owned(), id.to_string()),
                ("uploaded-by".to_owned(), ctx.actor.user_id.to_string()),
            ]),
        };
        let record = UploadRecord {
            upload_id,
            owner_kind: UploadOwner::Case,
            case_id: Some(id.clone()),
            user_id: row.user_id.clone(),
            document_type: field.as_str().to_owned(),
            file_name: checked.name.as_str().to_owned(),
            object_key: key.to_string(),
            declared_size: checked.size,
            declared_content_type: checked.kind.content_type().to_owned(),
            created_by: ctx.actor.user_id.clone(),
            created_ts: now,
            expires_ts: now + self.upload_ttl(),
            state: UploadState::Pending,
        };
        self.issue_upload(record, meta).await
    }

    /// `POST /user/document/upload_url`: `subject` defaults to the actor.
    pub async fn user_upload_url(
        &self,
        ctx: &Ctx,
        subject: Option<&UserId>,
        request: &UploadRequest,
    ) -> Result<UploadTicket, AppError> {
        let subject = subject.cloned().unwrap_or_else(|| ctx.actor.user_id.clone());
        require(Subject::UserDocuments.may_act_for(&ctx.actor, &subject), Missing::User, subject.as_str())?;
        let checked = check_request(request, self.settings.documents.max_bytes)?;
        let doc_type = self.user_doc_type(&request.document_type).await?;
        self.visible_user(ctx, &subject).await?;

        let now = self.clock.now();
        let upload_id = uuid::Uuid::new_v4().to_string();
        let base = self
            .document_keys()
            .user_upload_folder(&subject, &doc_type)
            .map_err(|e| AppError::invalid(e.at("document_type")))?;
        let key = self.fresh_key(&base, &upload_id, &checked.name).await?;
        let meta = ObjectMeta {
            content_type: checked.kind.content_type().to_owned(),
            metadata: BTreeMap::from([
                ("user-id".to_owned(), subject.to_string()),
                ("uploaded-by".to_owned(), ctx.actor.user_id.to_string()),
            ]),
        };
        let record = UploadRecord {
            upload_id,
            owner_kind: UploadOwner::User,
            case_id: None,
            user_id: subject.clone(),
            document_type: doc_type,
            file_name: checked.name.as_str().to_owned(),
            object_key: key.to_string(),
            declared_size: checked.size,
            declared_content_type: checked.kind.content_type().to_owned(),
            created_by: ctx.actor.user_id.clone(),
            created_ts: now,
            expires_ts: now + self.upload_ttl(),
            state: UploadState::Pending,
        };
        self.issue_upload(record, meta).await
    }

    /// A user document type from `/doctypes`, else 422 `unknown_document_type`.
    pub(crate) async fn user_doc_type(&self, raw: &str) -> Result<String, AppError> {
        if raw.trim().is_empty() {
            return Err(AppError::invalid(FieldError::new(
                "document_type",
                FieldCode::Required,
                "must not be empty",
            )));
        }
        let mut conn = self.store.conn().await?;
        let known = conn.doc_types().await?;
        known.into_iter().find(|t| t.doc_type == raw).map(|t| t.doc_type).ok_or_else(|| {
            AppError::invalid(FieldError::new(
                "document_type",
                FieldCode::UnknownDocumentType,
                "is not a user document type (see /doctypes)",
            ))
        })
    }

    /// The subject, if the actor may see them (404 `user_not_found` otherwise).
    pub(crate) async fn visible_user(&self, ctx: &Ctx, subject: &UserId) -> Result<(), AppError> {
        let mut conn = self.store.conn().await?;
        let user = conn
            .get_user(subject)
            .await?
            .ok_or_else(|| AppError::not_found(Missing::User, subject.as_str()))?;
        let target = UserRef { user_id: &user.user_id, user_type: user.user_type, active: user.active };
        require(may_see_user(&ctx.actor, target, false), Missing::User, subject.as_str())
    }

    /// An upload the actor created and may still use, else 404 `upload_not_found`.
    pub(crate) async fn own_upload(&self, ctx: &Ctx, upload_id: &str) -> Result<UploadRecord, AppError> {
        let not_found = || AppError::not_found(Missing::Upload, upload_id);
        if uuid::Uuid::parse_str(upload_id).is_err() {
            return Err(not_found());
        }
        let mut conn = self.store.conn().await?;
        let upload = conn.get_upload(upload_id).await?.ok_or_else(not_found)?;
        let expired = upload.state == UploadState::Expired
            || (upload.state != UploadState::Confirmed && upload.expires_ts < self.clock.now());
        if upload.created_by != ctx.actor.user_id || expired {
            return Err(not_found());
        }
        Ok(upload)
    }

    /// `PUT /document_upload/{upload_id}`: the bytes of a direct upload (local store only),
    /// checked against the declared type and size before they are kept.
    pub async fn receive_upload(
        &self,
        ctx: &Ctx,
        upload_id: &str,
        content_type: Option<&str>,
        bytes: Vec<u8>,
    ) -> Result<UploadReceived, AppError> {
        if self.objects.transfer_mode() != TransferMode::Direct {
            return Err(AppError::not_found(Missing::Upload, upload_id));
        }
        let upload = self.own_upload(ctx, upload_id).await?;
        if upload.state != UploadState::Pending {
            return Err(AppError::Conflict(Conflict::UploadAlreadyReceived {
                upload_id: upload_id.to_owned(),
            }));
        }
        let declared = DocumentKind::from_content_type(&upload.declared_content_type)
            .ok_or_else(|| AppError::internal("upload with an unknown declared type"))?;
        if content_type.is_some_and(|ct| DocumentKind::from_content_type(ct) != Some(declared)) {
            return Err(unsupported(
                "Content-Type",
                format!("The upload was declared as {}", declared.content_type()),
            ));
        }
        check_bytes(declared, &bytes, self.settings.documents.max_bytes, "body")?;
        let size = i64::try_from(bytes.len()).unwrap_or(i64::MAX);
        if size != upload.declared_size {
            return Err(AppError::invalid(FieldError::new(
                "size_bytes",
                FieldCode::OutOfRange,
                format!("the body has {size} bytes, not the {} declared", upload.declared_size),
            )));
        }
        let sha256 = sha256_hex(&bytes);
        let key =
            ObjectKey::parse(&upload.object_key).map_err(|e| AppError::internal_from("upload key", e))?;
        let owner_field = match upload.owner_kind {
            UploadOwner::Case => {
                ("case-id", upload.case_id.as_ref().map(|c| c.to_string()).unwrap_or_default())
            }
            UploadOwner::User => ("user-id", upload.user_id.to_string()),
        };
        let meta = ObjectMeta {
            content_type: declared.content_type().to_owned(),
            metadata: BTreeMap::from([
                (owner_field.0.to_owned(), owner_field.1),
                ("sha256".to_owned(), sha256.clone()),
                ("uploaded-by".to_owned(), ctx.actor.user_id.to_string()),
            ]),
        };
        self.objects.put(&key, bytes, &meta).await?;
        let mut conn = self.store.conn().await?;
        if !conn.transition_upload(upload_id, UploadState::Pending, UploadState::Received).await? {
            return Err(AppError::Conflict(Conflict::UploadAlreadyReceived {
                upload_id: upload_id.to_owned(),
            }));
        }
        let touched = Touched::new("document.upload_url", "upload", upload_id)
            .subject(upload.user_id.as_str())
            .details(json!({"state": "received", "size_bytes": size}));
        Ok(UploadReceived { upload_id: upload_id.to_owned(), size_bytes: size, sha256, touched })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(document_type: &str, file_name: &str, content_type: &str, size: Option<i64>) -> UploadRequest {
        UploadRequest {
            document_type: document_type.into(),
            file_name: file_name.into(),
            content_type: content_type.into(),
            size_bytes: size,
        }
    }

    #[test]
    fn requests_are_checked_in_order() {
        let table: &[(UploadRequest, &str)] = &[
            (req("demo_file", "scan.pdf", "application/pdf", Some(10)), "ok"),
            (req("demo_file", "photo.JPG", "image/jpeg", Some(100)), "ok"),
            (req("demo_file", "../etc/passwd.pdf", "application/pdf", Some(10)), "validation_failed"),
            (req("demo_file", "/abs.pdf", "application/pdf", Some(10)), "validation_failed"),
            (req("demo_file", "scan.pdf", "application/pdf", Some(0)), "validation_failed"),
            (req("demo_file", "scan.pdf", "application/pdf", None), "validation_failed"),
            (req("", "scan.pdf", "application/pdf", Some(1)), "validation_failed"),
            (req("demo_file", "scan.pdf", "application/pdf", Some(101)), "payload_too_large"),
            (req("demo_file", "scan.pdf", "text/html", Some(10)), "unsupported_document_type"),
            (req("demo_file", "scan.pdf", "image/png", Some(10)), "unsupported_document_type"),
            (req("demo_file", "scan.exe", "application/pdf", Some(10)), "validation_failed"),
        ];
        for (request, expected) in table {
            let got = check_request(request, 100).map(|_| "ok").unwrap_or_else(|e| e.code());
            assert_eq!(got, *expected, "{request:?}");
        }
    }

    #[test]
    fn content_checks_map_to_errors() {
        assert!(check_bytes(DocumentKind::Pdf, b"%PDF-1.4", 100, "body").is_ok());
        let code = |r: Result<(), AppError>| r.err().map(|e| e.code());
        assert_eq!(code(check_bytes(DocumentKind::Pdf, b"", 100, "body")), Some("validation_failed"));
        assert_eq!(code(check_bytes(DocumentKind::Pdf, b"%PDF-1.4", 3, "body")), Some("payload_too_large"));
        assert_eq!(
            code(check_bytes(DocumentKind::Png, b"%PDF-1.4", 100, "body")),
            Some("unsupported_document_type")
        );
        assert_eq!(sha256_hex(b"abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }
}
