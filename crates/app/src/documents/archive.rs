//! The archive step beyond case delete and restore (domain §13): users' documents on delete
//! and reactivation, replaced and removed objects (queued in `document_moves` inside the
//! transaction that decided them), and the two scheduler jobs:
//!
//! - `document_archive` → [`App::finish_pending_archives`]: finishes whatever an unavailable
//!   object store left pending.
//! - `upload_cleanup` → [`App::expire_uploads`]: expires uploads past their lifetime and
//!   deletes their objects when nothing kept them.
//!
//! Every step is idempotent: a move already done counts as done, a missing object is recorded
//! as `missing` and never blocks anything.

use serde_json::json;
use surgicase_kernel::{ArchiveState, UserId};
use surgicase_ports::Chain;
use surgicase_ports::records::UserDocumentRecord;
use surgicase_ports::{MoveOutcome, ObjectError, ObjectKey, PendingMove, UploadOwner, UploadState};

use super::{ArchiveDirection, KeyOwner};
use crate::App;
use crate::audit::Touched;
use crate::error::AppError;

/// Rows handled per run of a job (the next run takes the rest).
const BATCH: i64 = 500;

/// What `document_archive` did.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ArchiveReport {
    /// Queued object moves finished (moved, already moved, or found missing).
    pub moves_done: usize,
    /// Queued moves the object store refused (left for the next run).
    pub moves_pending: usize,
    /// Deleted or restored cases whose documents now follow them.
    pub cases_done: usize,
    pub cases_pending: usize,
    /// Users whose documents now follow their state.
    pub users_done: usize,
    pub users_pending: usize,
    pub touched: Option<Touched>,
}

impl ArchiveReport {
    /// Items handled and items left failing, for the job run row.
    pub fn counts(&self) -> (usize, usize) {
        (
            self.moves_done + self.cases_done + self.users_done,
            self.moves_pending + self.cases_pending + self.users_pending,
        )
    }
}

/// What `upload_cleanup` did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UploadCleanupReport {
    /// Uploads marked `expired`.
    pub expired: usize,
    /// Their objects deleted (never those a document kept).
    pub objects_deleted: usize,
    /// Objects the store could not delete (the upload is expired anyway; the object is an orphan
    /// no document names).
    pub delete_failures: usize,
}

async fn run_one(app: &App, m: &PendingMove) -> Result<MoveOutcome, ObjectError> {
    let (Ok(source), Ok(target)) = (ObjectKey::parse(&m.source_key), ObjectKey::parse(&m.target_key)) else {
        return Ok(MoveOutcome::Missing);
    };
    app.objects.move_object(&source, &target).await
}

impl App {
    /// Carries out the moves a request just queued (`ids` are the ids `enqueue_moves` gave
    /// them, in the same order); those done leave the queue, the others stay for
    /// `document_archive`. Never fails the request.
    pub(crate) async fn run_moves(&self, moves: &[PendingMove], ids: &[i64]) {
        let mut done = Vec::new();
        for (m, id) in moves.iter().zip(ids) {
            match run_one(self, m).await {
                Ok(_) => done.push(*id),
                Err(error) => tracing::warn!(error = %Chain(&error), "document move deferred"),
            }
        }
        if done.is_empty() {
            return;
        }
        if let Ok(mut conn) = self.store.conn().await
            && let Err(error) = conn.remove_moves(&done).await
        {
            tracing::warn!(error = %Chain(&error), "finished document moves stay queued");
        }
    }

    /// Moves a user's documents between the live and deleted user prefixes and records where
    /// each ended up.
    pub(crate) async fn archive_user_documents(
        &self,
        user: &UserId,
        direction: ArchiveDirection,
    ) -> Result<ArchiveState, AppError> {
        let docs: Vec<UserDocumentRecord> = {
            let mut conn = self.store.conn().await?;
            conn.get_user_view(user).await?.map(|v| v.documents).unwrap_or_default()
        };
        let run = self.archive_documents(KeyOwner::User(user), &docs, direction).await;
        if !run.changed.is_empty() {
            let mut conn = self.store.conn().await?;
            conn.put_user_documents(&run.changed).await?;
        }
        Ok(run.state)
    }

    /// The `document_archive` job: finishes queued moves, then the documents of deleted or
    /// restored cases and of deleted or reactivated users that an unavailable object store left
    /// behind. Safe to run at any time, any number of times.
    pub async fn finish_pending_archives(&self) -> Result<ArchiveReport, AppError> {
        let mut report = ArchiveReport::default();
        let queued = self.store.conn().await?.pending_moves(BATCH).await?;
        let mut done = Vec::new();
        for m in &queued {
            match run_one(self, m).await {
                Ok(_) => done.push(m.id),
                Err(_) => report.moves_pending += 1,
            }
        }
        report.moves_done = done.len();
        self.store.conn().await?.remove_moves(&done).await?;

        let cases = self.store.conn().await?.cases_pending_archive(BATCH).await?;
        for case_id in &cases {
            let active = {
                let mut conn = self.store.conn().await?;
                conn.get_case_view(case_id, None, None).await?.map(|v| v.case.row.active)
            };
            let Some(active) = active else { continue };
            let direction = if active { ArchiveDirection::ToLive } else { ArchiveDirection::ToDeleted };
            let (_, state) = self.archive_case_documents(case_id, direction).await?;
            if state.is_done() { report.cases_done += 1 } else { report.cases_pending += 1 }
        }

        let users = self.store.conn().await?.users_pending_archive(BATCH).await?;
        for user in &users {
            let active = self.store.conn().await?.get_user(user).await?.map(|u| u.active);
            let Some(active) = active else { continue };
            let direction = if active { ArchiveDirection::ToLive } else { ArchiveDirection::ToDeleted };
            let state = self.archive_user_documents(user, direction).await?;
            if state.is_done() { report.users_done += 1 } else { report.users_pending += 1 }
        }
        report.touched = Some(Touched::new("document.archive", "job", "document_archive").details(json!({
            "moves": report.moves_done,
            "case_ids": cases.iter().map(|c| c.as_str()).collect::<Vec<_>>(),
            "user_ids": users.iter().map(|u| u.as_str()).collect::<Vec<_>>(),
        })));
        Ok(report)
    }

    /// The `upload_cleanup` job: uploads past their lifetime that were never confirmed become
    /// `expired` and their objects are deleted, unless a document names the object.
    pub async fn expire_uploads(&self) -> Result<UploadCleanupReport, AppError> {
        let now = self.clock.now();
        let mut report = UploadCleanupReport::default();
        let expired = self.store.conn().await?.expired_uploads(now, BATCH).await?;
        for upload in expired {
            let mut conn = self.store.conn().await?;
            if !conn.transition_upload(&upload.upload_id, upload.state, UploadState::Expired).await? {
                continue;
            }
            report.expired += 1;
            let kept = match upload.owner_kind {
                UploadOwner::Case => match &upload.case_id {
                    Some(case_id) => conn
                        .get_case_view(case_id, None, None)
                        .await?
                        .is_some_and(|v| v.case.documents.iter().any(|d| d.object_key == upload.object_key)),
                    None => false,
                },
                UploadOwner::User => conn
                    .get_user_view(&upload.user_id)
                    .await?
                    .is_some_and(|v| v.documents.iter().any(|d| d.object_key == upload.object_key)),
            };
            drop(conn);
            if kept {
                continue;
            }
            let Ok(key) = ObjectKey::parse(&upload.object_key) else { continue };
            match self.objects.delete(&key).await {
                Ok(true) => report.objects_deleted += 1,
                Ok(false) => {}
                Err(error) => {
                    tracing::warn!(error = %Chain(&error), "expired upload object not deleted");
                    report.delete_failures += 1;
                }
            }
        }
        Ok(report)
    }
}
