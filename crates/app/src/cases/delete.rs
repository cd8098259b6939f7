//! `DELETE /case`: deactivate and archive (domain §13). The row stays; documents move to the
//! deleted prefix after the commit through an idempotent step that a missing file never stops.

use serde_json::json;
use surgicase_kernel::{ArchiveState, CaseId, Timestamp};
use surgicase_permissions::{CaseRef, may_delete_case};
use surgicase_ports::records::CaseDocumentRecord;

use super::read::parse_case_id;
use crate::App;
use crate::access::require_case_edit;
use crate::audit::Touched;
use crate::context::Ctx;
use crate::documents::{ArchiveDirection, ArchiveOutcome, KeyOwner};
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
    pub archive_state: ArchiveState,
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
            tx.update_case(&current.deleted(&ctx.actor.user_id, now)).await?;
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
    ) -> Result<(Vec<DocumentArchive>, ArchiveState), AppError> {
        let docs: Vec<CaseDocumentRecord> = {
            let mut conn = self.store.conn().await?;
            match conn.get_case_view(id, None, None).await? {
                Some(view) => view.case.documents,
                None => return Err(AppError::not_found(Missing::Case, id.as_str())),
            }
        };
        let run = self.archive_documents(KeyOwner::Case, &docs, direction).await;
        let report = docs
            .iter()
            .zip(run.outcomes)
            .map(|(doc, outcome)| DocumentArchive {
                document_type: doc.document_type.as_str().to_owned(),
                outcome,
            })
            .collect();
        let (changed, state) = (run.changed, run.state);
        let mut tx = self.store.begin().await?;
        if let Some(current) = tx.lock_case(id).await? {
            if !changed.is_empty() {
                tx.put_case_documents(id, &changed).await?;
            }
            if current.row.archive_state != Some(state) {
                let mut row = current.row;
                row.archive_state = Some(state);
                tx.update_case(&row).await?;
            }
        }
        tx.commit().await?;
        Ok((report, state))
    }
}
