//! Confirming an upload (domain §14.3 step 3): the object is read and validated, then one
//! transaction attaches it, queues the archive of the document it replaces and, for case
//! documents, re-runs the status rules.

use std::collections::BTreeMap;

use super::CheckedObject;
use serde_json::json;
use surgicase_cases::documents::DocumentKind;
use surgicase_kernel::{DocumentField, FieldCode, FieldError};
use surgicase_permissions::{CaseRef, UserRef, may_change_case_document, may_see_user};
use surgicase_ports::{ObjectKey, ObjectMeta, PendingMove, UploadOwner, UploadRecord, UploadState};

use super::upload::{check_bytes, sha256_hex};
use super::{DocumentInfo, KeyOwner};
use crate::App;
use crate::access::{require, require_case_document};
use crate::audit::Touched;
use crate::cases::{StatusUpdate, apply_rules};
use crate::context::Ctx;
use crate::counters::{DocumentKind as CounterKind, documents_stored};
use crate::error::{AppError, Conflict, Missing};

/// What the confirmation attached.
#[derive(Debug, Clone, PartialEq)]
pub struct DocumentAttached {
    /// The case (case documents) or the user (user documents).
    pub owner_id: String,
    pub document_type: String,
    pub document: DocumentInfo,
    /// A previous document of the field was replaced (and queued for the archive).
    pub replaced: bool,
    /// Case documents only.
    pub status_update: Option<StatusUpdate>,
    pub touched: Touched,
}

/// Marks the upload confirmed from whichever open state it is in; `false` when another
/// confirmation won.
async fn claim(conn: &mut dyn surgicase_ports::Conn, upload_id: &str) -> Result<bool, AppError> {
    for from in [UploadState::Received, UploadState::Pending] {
        if conn.transition_upload(upload_id, from, UploadState::Confirmed).await? {
            return Ok(true);
        }
    }
    Ok(false)
}

impl App {
    /// The upload, if the actor may confirm it now.
    async fn confirmable(
        &self,
        ctx: &Ctx,
        upload_id: &str,
        kind: UploadOwner,
    ) -> Result<UploadRecord, AppError> {
        let upload = self.own_upload(ctx, upload_id).await?;
        if upload.owner_kind != kind {
            return Err(AppError::not_found(Missing::Upload, upload_id));
        }
        if upload.state == UploadState::Confirmed {
            return Err(AppError::Conflict(Conflict::UploadAlreadyConfirmed {
                upload_id: upload_id.to_owned(),
            }));
        }
        Ok(upload)
    }

    /// Reads the uploaded object and checks it (§14.2); completes its metadata with the SHA-256.
    async fn validate_upload(&self, ctx: &Ctx, upload: &UploadRecord) -> Result<CheckedObject, AppError> {
        let key =
            ObjectKey::parse(&upload.object_key).map_err(|e| AppError::internal_from("upload key", e))?;
        let Some(object) = self.objects.get(&key).await? else {
            return Err(AppError::invalid(FieldError::new(
                "upload_id",
                FieldCode::DocumentMissing,
                "nothing was uploaded for this upload",
            )));
        };
        let kind = DocumentKind::from_content_type(&upload.declared_content_type)
            .ok_or_else(|| AppError::internal("upload with an unknown declared type"))?;
        check_bytes(kind, &object.bytes, self.settings.documents.max_bytes, "upload_id")?;
        let size = i64::try_from(object.bytes.len()).unwrap_or(i64::MAX);
        if size != upload.declared_size {
            return Err(AppError::invalid(FieldError::new(
                "upload_id",
                FieldCode::OutOfRange,
                format!("the uploaded file has {size} bytes, not the {} declared", upload.declared_size),
            )));
        }
        let sha256 = sha256_hex(&object.bytes);
        if object.info.metadata.get("sha256") != Some(&sha256)
            || object.info.content_type != kind.content_type()
        {
            let owner = match upload.owner_kind {
                UploadOwner::Case => {
                    ("case-id", upload.case_id.as_ref().map(|c| c.to_string()).unwrap_or_default())
                }
                UploadOwner::User => ("user-id", upload.user_id.to_string()),
            };
            let meta = ObjectMeta {
                content_type: kind.content_type().to_owned(),
                metadata: BTreeMap::from([
                    (owner.0.to_owned(), owner.1),
                    ("sha256".to_owned(), sha256.clone()),
                    ("uploaded-by".to_owned(), ctx.actor.user_id.to_string()),
                ]),
            };
            self.objects.replace_metadata(&key, &meta).await?;
        }
        Ok(CheckedObject {
            object_key: upload.object_key.clone(),
            size,
            sha256,
            kind,
            uploaded_by: ctx.actor.user_id.clone(),
            uploaded_ts: self.clock.now(),
        })
    }

    /// `POST /case/document/confirm`.
    pub async fn confirm_case_upload(
        &self,
        ctx: &Ctx,
        upload_id: &str,
    ) -> Result<DocumentAttached, AppError> {
        let upload = self.confirmable(ctx, upload_id, UploadOwner::Case).await?;
        let case_id =
            upload.case_id.clone().ok_or_else(|| AppError::internal("case upload without a case"))?;
        let field = DocumentField::from_name(&upload.document_type)
            .ok_or_else(|| AppError::internal("case upload of an unknown field"))?;
        let validated = self.validate_upload(ctx, &upload).await?;
        let now = self.clock.now();

        let mut tx = self.store.begin().await?;
        // Lock order of every case write: the owner, then the case. The owner locked is the one
        // the upload was issued for; a case that changed hands since then (its key names the old
        // owner) no longer takes this upload.
        let peek_owner = upload.user_id.clone();
        tx.lock_user(&peek_owner).await?;
        let current = tx
            .lock_case(&case_id)
            .await?
            .ok_or_else(|| AppError::not_found(Missing::Case, case_id.as_str()))?;
        if current.row.user_id != upload.user_id {
            return Err(AppError::not_found(Missing::Upload, upload_id));
        }
        let old = current.row.clone();
        let case = CaseRef { owner: &old.user_id, stored_status: old.case_status, active: old.active };
        require_case_document(
            may_change_case_document(&ctx.actor, case, field),
            case_id.as_str(),
            old.case_status.code(),
        )?;
        if !claim(&mut *tx, upload_id).await? {
            return Err(AppError::Conflict(Conflict::UploadAlreadyConfirmed {
                upload_id: upload_id.to_owned(),
            }));
        }

        let previous = current.documents.iter().find(|d| d.document_type == field);
        let replaced = previous.is_some() || old.documents.get(field).is_some();
        let moves: Vec<PendingMove> = previous
            .filter(|d| d.location.is_live())
            .and_then(|d| self.archive_move(KeyOwner::Case, &d.object_key, Some(&upload.object_key), now))
            .into_iter()
            .collect();
        let record = CheckedObject { uploaded_ts: now, ..validated }.case_document(field, &upload.file_name);
        let mut row = old.clone();
        *row.documents.slot(field) = Some(upload.file_name.clone());
        let rules = self.rule_sets.active(&mut *tx).await?;
        let (decision, history) = apply_rules(&mut row, &current.codes, &rules, ctx, now);
        row.case_updated_ts = now;
        tx.update_case(&row).await?;
        tx.put_case_documents(&case_id, std::slice::from_ref(&record)).await?;
        if let Some(history) = &history {
            tx.append_history(std::slice::from_ref(history)).await?;
        }
        let move_ids = tx.enqueue_moves(&moves).await?;
        tx.commit().await?;
        documents_stored(CounterKind::Case, 1);
        if let Some(history) = &history {
            crate::counters::status_transitions(std::slice::from_ref(history));
        }
        self.run_moves(&moves, &move_ids).await;

        let touched = Touched::new("document.attach", "case", case_id.as_str())
            .subject(old.user_id.as_str())
            .details(json!({
                "document_type": field.as_str(),
                "upload_id": upload_id,
                "replaced": replaced,
                "status": {"from": old.case_status.code(), "to": row.case_status.code()},
            }));
        Ok(DocumentAttached {
            owner_id: case_id.to_string(),
            document_type: field.as_str().to_owned(),
            document: DocumentInfo::of_case(&record),
            replaced,
            status_update: Some(StatusUpdate::new(&decision, &ctx.actor, rules.set.name())),
            touched,
        })
    }

    /// `POST /user/document/confirm`.
    pub async fn confirm_user_upload(
        &self,
        ctx: &Ctx,
        upload_id: &str,
    ) -> Result<DocumentAttached, AppError> {
        let upload = self.confirmable(ctx, upload_id, UploadOwner::User).await?;
        let validated = self.validate_upload(ctx, &upload).await?;
        let now = self.clock.now();
        let subject = upload.user_id.clone();

        let mut tx = self.store.begin().await?;
        let user = tx
            .lock_user(&subject)
            .await?
            .ok_or_else(|| AppError::not_found(Missing::User, subject.as_str()))?;
        let target = UserRef { user_id: &user.user_id, user_type: user.user_type, active: user.active };
        require(may_see_user(&ctx.actor, target, false), Missing::User, subject.as_str())?;
        let view = tx
            .get_user_view(&subject)
            .await?
            .ok_or_else(|| AppError::not_found(Missing::User, subject.as_str()))?;
        if !claim(&mut *tx, upload_id).await? {
            return Err(AppError::Conflict(Conflict::UploadAlreadyConfirmed {
                upload_id: upload_id.to_owned(),
            }));
        }
        let previous = view.documents.iter().find(|d| d.document_type == upload.document_type);
        let moves: Vec<PendingMove> = previous
            .filter(|d| d.location.is_live())
            .and_then(|d| {
                self.archive_move(KeyOwner::User(&subject), &d.object_key, Some(&upload.object_key), now)
            })
            .into_iter()
            .collect();
        let record = CheckedObject { uploaded_ts: now, ..validated }.user_document(
            &subject,
            &upload.document_type,
            &upload.file_name,
        );
        let mut next = user.clone();
        next.last_updated_ts = now;
        tx.update_user(&next).await?;
        tx.put_user_documents(std::slice::from_ref(&record)).await?;
        let move_ids = tx.enqueue_moves(&moves).await?;
        tx.commit().await?;
        documents_stored(CounterKind::User, 1);
        self.run_moves(&moves, &move_ids).await;

        let touched = Touched::new("document.attach", "user", subject.as_str())
            .subject(subject.as_str())
            .details(json!({
                "document_type": upload.document_type,
                "upload_id": upload_id,
                "replaced": previous.is_some(),
            }));
        Ok(DocumentAttached {
            owner_id: subject.to_string(),
            document_type: upload.document_type.clone(),
            document: DocumentInfo {
                file_name: record.document_name,
                size_bytes: record.size_bytes,
                sha256: record.sha256,
                content_type: record.content_type,
                uploaded_at: record.uploaded_ts,
            },
            replaced: previous.is_some(),
            status_update: None,
            touched,
        })
    }
}
