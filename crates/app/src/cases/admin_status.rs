//! Setting a case's status by an operator or a job (the path bulk updates and scheduled
//! transitions share): the status, its timestamp column and one history row, in one
//! transaction (domain §5.2–§5.4).

use surgicase_kernel::{CaseStatus, Timestamp};
use surgicase_ports::records::{ActorType, ChangeSource, HistoryRecord};

use super::read::parse_case_id;
use crate::App;
use crate::error::{AppError, Missing};

/// Who sets the status, when it is not a user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SystemActor {
    pub actor_type: ActorType,
    /// The job or command name.
    pub name: String,
}

impl App {
    /// Moves one active case to `to` (any catalogue status); unchanged when already there.
    /// Returns whether the status changed.
    pub async fn set_case_status_as(
        &self,
        who: &SystemActor,
        case_id: &str,
        to: CaseStatus,
        reason: Option<&str>,
    ) -> Result<bool, AppError> {
        let id = parse_case_id(case_id)?;
        let now: Timestamp = self.clock.now();
        let mut tx = self.store.begin().await?;
        let catalogue = tx.case_statuses().await?;
        if !catalogue.iter().any(|s| s.case_status == to) {
            return Err(AppError::internal(format!("status {to} is not in the catalogue")));
        }
        let case = tx.lock_case(&id).await?.filter(|c| c.row.active);
        let Some(case) = case else {
            return Err(AppError::not_found(Missing::Case, case_id));
        };
        let from = case.row.case_status;
        if from == to {
            tx.commit().await?;
            return Ok(false);
        }
        let mut row = case.row;
        row.enter_status(to, now);
        row.case_updated_ts = now;
        tx.update_case(&row).await?;
        let history = HistoryRecord {
            case_id: id,
            from_status: Some(from),
            to_status: to,
            changed_ts: now,
            actor_type: who.actor_type,
            actor_id: who.name.clone(),
            source: if who.actor_type == ActorType::Job { ChangeSource::Job } else { ChangeSource::Bulk },
            rule_name: None,
            rule_set_id: None,
            reason: reason.map(str::to_owned),
            request_id: None,
            job_run_id: None,
        };
        tx.append_history(std::slice::from_ref(&history)).await?;
        tx.commit().await?;
        crate::counters::status_transitions(std::slice::from_ref(&history));
        Ok(true)
    }
}
