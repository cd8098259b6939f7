//! `DELETE /case`: deactivate and archive (domain §13). The row stays; documents move to the
//! deleted prefix after the commit through an idempotent step that a missing file never stops.

use serde_json::json;
use surgicase_kernel::{CaseId, Timestamp};
use surgicase_permissions::{CaseRef, may_delete_case};
use surgicase_ports::records::CaseDocumentRecord;

use super::read::parse_case_id;
use crate::App;
use crate::access::require_case_edit;
use crate::audit::Touched;
use crate::context::Ctx;
use crate::documents::{ArchiveDirection, ArchiveOutcome, KeyOwner, MoveResult};
use crate::error::{AppError, Missing};

/// One document's fate in the archive step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentArchive {
    pub document_type: String,
    pub outcome: ArchiveOutcome,
}

/// What the deletion did.
#[derive(Debug, Clone, PartialEq)]
pub struct CaseDeleted {
    pub case_id: String,
    /// The case was already deleted; pending document moves were retried.
    pub already_inactive: bool,
    pub deactivated_at: Option<Timestamp>,
    /// `done` or `pending`.
    pub archive_state: String,
    pub documents: Vec<DocumentArchive>,
    pub touched: Touched,
}

impl App {
    pub async fn delete_case(&self, ctx: &Ctx, case_id: &str) -> Result<CaseDeleted, AppError> {
        let id = parse_case_id(case_id)?;
        let now = self.clock.now();
        let mut tx = self.store.begin().await?;
        let current = tx.lock_case(&id).await?.ok_or_else(|| AppError::not_found(Missing::Case, case_id))?;
        let row = &current.row;
        let case = CaseRef { owner: &row.user_id, stored_status: row.case_status, active: row.active };
        require_case_edit(may_delete_case(&ctx.actor, case), case_id, row.case_status.code())?;
        let owner = row.user_id.to_string();
        let already_inactive = !row.active;
        let deactivated_at = if already_inactive {
            tx.commit().await?;
            row.deleted_ts
        } else {
            let mut row = row.clone();
            row.active = false;
            row.deleted_ts = Some(now);
            row.deleted_by = Some(ctx.actor.user_id.to_string());
            row.archive_state = Some("pending".to_owned());
            row.case_updated_ts = now;
            tx.update_case(&row).await?;
            tx.commit().await?;
            Some(now)
        };
        let (documents, archive_state) =
            self.archive_case_documents(&id, ArchiveDirection::ToDeleted).await?;
        let touched = Touched::new("case.delete", "case", case_id)
            .subject(owner)
            .details(json!({"already_inactive": already_inactive, "archive_state": archive_state}));
        Ok(CaseDeleted {
            case_id: case_id.to_owned(),
            already_inactive,
            deactivated_at,
            archive_state,
            documents,
            touched,
        })
    }

    /// Moves a case's documents between the live and deleted prefixes and records where each
    /// ended up. Safe to run again: moved objects count as moved, missing ones are recorded.
    pub(crate) async fn archive_case_documents(
        &self,
        id: &CaseId,
        direction: ArchiveDirection,
    ) -> Result<(Vec<DocumentArchive>, String), AppError> {
        let docs: Vec<CaseDocumentRecord> = {
            let mut conn = self.store.conn().await?;
            match conn.get_case_view(id, None, None).await? {
                Some(view) => view.case.documents,
                None => return Err(AppError::not_found(Missing::Case, id.as_str())),
            }
        };
        let (from_location, to_location, done) = match direction {
            ArchiveDirection::ToDeleted => ("live", "deleted", ArchiveOutcome::Deleted),
            ArchiveDirection::ToLive => ("deleted", "live", ArchiveOutcome::Restored),
        };
        let mut report = Vec::with_capacity(docs.len());
        let mut changed = Vec::new();
        let mut pending = false;
        for doc in docs {
            let outcome = if doc.location == from_location {
                let (key, result) = self.move_between(KeyOwner::Case, &doc.object_key, direction).await;
                match result {
                    MoveResult::Moved => {
                        changed.push(CaseDocumentRecord {
                            object_key: key,
                            location: to_location.to_owned(),
                            ..doc.clone()
                        });
                        done
                    }
                    MoveResult::Missing => {
                        changed.push(CaseDocumentRecord { location: "missing".to_owned(), ..doc.clone() });
                        ArchiveOutcome::Missing
                    }
                    MoveResult::Failed => {
                        pending = true;
                        ArchiveOutcome::Pending
                    }
                }
            } else if doc.location == to_location {
                done
            } else {
                ArchiveOutcome::Missing
            };
            report.push(DocumentArchive { document_type: doc.document_type.clone(), outcome });
        }
        let state = if pending { "pending" } else { "done" };
        let mut tx = self.store.begin().await?;
        if let Some(current) = tx.lock_case(id).await? {
            if !changed.is_empty() {
                tx.put_case_documents(id, &changed).await?;
            }
            if current.row.archive_state.as_deref() != Some(state) {
                let mut row = current.row;
                row.archive_state = Some(state.to_owned());
                tx.update_case(&row).await?;
            }
        }
        tx.commit().await?;
        Ok((report, state.to_owned()))
    }
}
