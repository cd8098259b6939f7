//! Downloading and removing documents (api.md §5 `GET` and `DELETE /case/document`,
//! `/user/document`).

use std::time::Duration;

use serde_json::json;
use surgicase_kernel::{Timestamp, UserId};
use surgicase_permissions::{
    CaseRef, Subject, UserRef, case_reads_limited_to, may_change_case_document, may_read_case, may_see_user,
};
use surgicase_ports::records::CaseDocumentRecord;
use surgicase_ports::{ObjectKey, PendingMove, TransferMode};

use super::upload::case_field;
use super::{DocumentInfo, KeyOwner};
use crate::App;
use crate::access::{require, require_case_document};
use crate::audit::Touched;
use crate::cases::{StatusUpdate, apply_rules, parse_case_id};
use crate::context::Ctx;
use crate::error::{AppError, Missing};

/// How the client gets the bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DocumentBody {
    /// A presigned GET (S3).
    Redirect { url: String, expires_at: Timestamp },
    /// The bytes themselves (local store).
    Bytes(Vec<u8>),
}

/// A document to send.
#[derive(Debug, Clone, PartialEq)]
pub struct DocumentDownload {
    pub info: DocumentInfo,
    pub body: DocumentBody,
    pub touched: Touched,
}

/// A removed document.
#[derive(Debug, Clone, PartialEq)]
pub struct DocumentRemoved {
    pub owner_id: String,
    pub document_type: String,
    /// Case documents only.
    pub status_update: Option<StatusUpdate>,
    pub touched: Touched,
}

fn document_not_found() -> AppError {
    AppError::not_found(Missing::Document, "")
}

impl App {
    /// The bytes or a presigned URL of a live object; 404 `document_not_found` when the
    /// object is gone.
    async fn fetch(
        &self,
        key: Option<ObjectKey>,
        file_name: &str,
    ) -> Result<(DocumentBody, Option<(i64, String)>), AppError> {
        let key = key.ok_or_else(document_not_found)?;
        match self.objects.transfer_mode() {
            TransferMode::Presigned => {
                let ttl_s = self.settings.documents.download_ttl_s.max(1);
                let ttl = Duration::from_secs(u64::try_from(ttl_s).unwrap_or(300));
                let signed = self.objects.presign_get(&key, ttl, Some(file_name)).await?;
                let expires_at = self.clock.now() + chrono::Duration::seconds(ttl_s);
                Ok((DocumentBody::Redirect { url: signed.url, expires_at }, None))
            }
            TransferMode::Direct => {
                let object = self.objects.get(&key).await?.ok_or_else(document_not_found)?;
                let size = i64::try_from(object.bytes.len()).unwrap_or(i64::MAX);
                let sha = super::upload::sha256_hex(&object.bytes);
                Ok((DocumentBody::Bytes(object.bytes), Some((size, sha))))
            }
        }
    }

    /// `GET /case/document`.
    pub async fn case_document(
        &self,
        ctx: &Ctx,
        case_id: &str,
        document_type: &str,
    ) -> Result<DocumentDownload, AppError> {
        let id = parse_case_id(case_id)?;
        let field = case_field(document_type)?;
        let view = {
            let mut conn = self.store.conn().await?;
            conn.get_case_view(&id, None, case_reads_limited_to(&ctx.actor))
                .await?
                .ok_or_else(|| AppError::not_found(Missing::Case, case_id))?
        };
        let row = &view.case.row;
        let case = CaseRef { owner: &row.user_id, stored_status: row.case_status, active: row.active };
        require(may_read_case(&ctx.actor, case), Missing::Case, case_id)?;
        let name = row.documents.get(field).filter(|n| !n.is_empty()).ok_or_else(document_not_found)?;
        // A name without a record is a legacy attachment: its key is derived (domain §14.1).
        let recorded = view.case.documents.iter().find(|d| d.document_type == field);
        let (record, key) = match recorded {
            Some(r) if r.location.is_live() => (r.clone(), self.live_key(KeyOwner::Case, &r.object_key)),
            Some(_) => return Err(document_not_found()),
            None => {
                let key = self.legacy_case_key(&row.user_id, name);
                let record = CaseDocumentRecord {
                    document_type: field,
                    document_name: name.to_owned(),
                    object_key: key.as_ref().map(ObjectKey::to_string).unwrap_or_default(),
                    location: surgicase_kernel::DocumentLocation::Live,
                    size_bytes: None,
                    sha256: None,
                    content_type: None,
                    uploaded_by: None,
                    uploaded_ts: None,
                };
                (record, key)
            }
        };
        let (body, size) = self.fetch(key, &record.document_name).await?;
        let mut info = DocumentInfo::of_case(&record);
        if let Some((size, sha)) = size {
            info.size_bytes = info.size_bytes.or(Some(size));
            info.sha256 = info.sha256.or(Some(sha));
        }
        let touched = Touched::new("document.download", "case", case_id)
            .subject(row.user_id.as_str())
            .details(json!({"document_type": field.as_str()}));
        Ok(DocumentDownload { info, body, touched })
    }

    /// `GET /user/document`: `subject` defaults to the actor.
    pub async fn user_document(
        &self,
        ctx: &Ctx,
        subject: Option<&UserId>,
        document_type: &str,
    ) -> Result<DocumentDownload, AppError> {
        let subject = subject.cloned().unwrap_or_else(|| ctx.actor.user_id.clone());
        require(Subject::UserDocuments.may_act_for(&ctx.actor, &subject), Missing::User, subject.as_str())?;
        let doc_type = self.user_doc_type(document_type).await?;
        let view = {
            let mut conn = self.store.conn().await?;
            conn.get_user_view(&subject)
                .await?
                .ok_or_else(|| AppError::not_found(Missing::User, subject.as_str()))?
        };
        let target =
            UserRef { user_id: &view.user.user_id, user_type: view.user.user_type, active: view.user.active };
        require(may_see_user(&ctx.actor, target, false), Missing::User, subject.as_str())?;
        let doc = view
            .documents
            .iter()
            .find(|d| d.document_type == doc_type && d.location.is_live())
            .ok_or_else(document_not_found)?;
        let key = self.live_key(KeyOwner::User(&subject), &doc.object_key);
        let (body, size) = self.fetch(key, &doc.document_name).await?;
        let info = DocumentInfo {
            file_name: doc.document_name.rsplit('/').next().unwrap_or(&doc.document_name).to_owned(),
            size_bytes: doc.size_bytes.or(size.as_ref().map(|(n, _)| *n)),
            sha256: doc.sha256.clone().or(size.map(|(_, sha)| sha)),
            content_type: doc.content_type.clone(),
            uploaded_at: doc.uploaded_ts,
        };
        let touched = Touched::new("document.download", "user", subject.as_str())
            .subject(subject.as_str())
            .details(json!({"document_type": doc_type}));
        Ok(DocumentDownload { info, body, touched })
    }

    /// `DELETE /case/document`: clears the field and re-runs the rules in one transaction; the
    /// object is archived after the commit.
    pub async fn remove_case_document(
        &self,
        ctx: &Ctx,
        case_id: &str,
        document_type: &str,
    ) -> Result<DocumentRemoved, AppError> {
        let id = parse_case_id(case_id)?;
        let field = case_field(document_type)?;
        let owner = {
            let mut conn = self.store.conn().await?;
            let view = conn
                .get_case_view(&id, None, case_reads_limited_to(&ctx.actor))
                .await?
                .ok_or_else(|| AppError::not_found(Missing::Case, case_id))?;
            let row = &view.case.row;
            let case = CaseRef { owner: &row.user_id, stored_status: row.case_status, active: row.active };
            require(may_read_case(&ctx.actor, case), Missing::Case, case_id)?;
            row.user_id.clone()
        };
        let now = self.clock.now();
        let mut tx = self.store.begin().await?;
        tx.lock_user(&owner).await?;
        let current = tx.lock_case(&id).await?.ok_or_else(|| AppError::not_found(Missing::Case, case_id))?;
        let old = current.row.clone();
        let case = CaseRef { owner: &old.user_id, stored_status: old.case_status, active: old.active };
        require_case_document(
            may_change_case_document(&ctx.actor, case, field),
            case_id,
            old.case_status.code(),
        )?;
        let record = current.documents.iter().find(|d| d.document_type == field);
        let name = old.documents.get(field).filter(|n| !n.is_empty());
        if record.is_none() && name.is_none() {
            return Err(document_not_found());
        }
        let key = match (record, name) {
            (Some(r), _) if r.location.is_live() => Some(r.object_key.clone()),
            (Some(_), _) => None,
            (None, Some(n)) => self.legacy_case_key(&old.user_id, n).map(|k| k.to_string()),
            (None, None) => None,
        };
        let moves: Vec<PendingMove> =
            key.and_then(|k| self.archive_move(KeyOwner::Case, &k, None, now)).into_iter().collect();
        let mut row = old.clone();
        *row.documents.slot(field) = None;
        let rules = self.rule_sets.active(&mut *tx).await?;
        let (decision, history) = apply_rules(&mut row, &current.codes, &rules, ctx, now);
        row.case_updated_ts = now;
        tx.update_case(&row).await?;
        tx.remove_case_documents(&id, &[field]).await?;
        if let Some(history) = &history {
            tx.append_history(std::slice::from_ref(history)).await?;
        }
        let move_ids = tx.enqueue_moves(&moves).await?;
        tx.commit().await?;
        if let Some(history) = &history {
            crate::counters::status_transitions(std::slice::from_ref(history));
        }
        self.run_moves(&moves, &move_ids).await;
        let touched =
            Touched::new("document.remove", "case", case_id).subject(old.user_id.as_str()).details(json!({
                "document_type": field.as_str(),
                "status": {"from": old.case_status.code(), "to": row.case_status.code()},
            }));
        Ok(DocumentRemoved {
            owner_id: case_id.to_owned(),
            document_type: field.as_str().to_owned(),
            status_update: Some(StatusUpdate::new(&decision, &ctx.actor, rules.set.name())),
            touched,
        })
    }

    /// `DELETE /user/document`.
    pub async fn remove_user_document(
        &self,
        ctx: &Ctx,
        subject: Option<&UserId>,
        document_type: &str,
    ) -> Result<DocumentRemoved, AppError> {
        let subject = subject.cloned().unwrap_or_else(|| ctx.actor.user_id.clone());
        require(Subject::UserDocuments.may_act_for(&ctx.actor, &subject), Missing::User, subject.as_str())?;
        let doc_type = self.user_doc_type(document_type).await?;
        let now = self.clock.now();
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
        let doc =
            view.documents.iter().find(|d| d.document_type == doc_type).ok_or_else(document_not_found)?;
        let moves: Vec<PendingMove> = Some(doc)
            .filter(|d| d.location.is_live())
            .and_then(|d| self.archive_move(KeyOwner::User(&subject), &d.object_key, None, now))
            .into_iter()
            .collect();
        let mut next = user.clone();
        next.last_updated_ts = now;
        tx.update_user(&next).await?;
        tx.remove_user_documents(&subject, std::slice::from_ref(&doc_type)).await?;
        let move_ids = tx.enqueue_moves(&moves).await?;
        tx.commit().await?;
        self.run_moves(&moves, &move_ids).await;
        let touched = Touched::new("document.remove", "user", subject.as_str())
            .subject(subject.as_str())
            .details(json!({"document_type": doc_type}));
        Ok(DocumentRemoved {
            owner_id: subject.to_string(),
            document_type: doc_type,
            status_update: None,
            touched,
        })
    }
}
