//! The scheduled status transitions (domain §7.4): every active case at `from` moves to `to`
//! in one transaction, with one history row per case naming the job and its run.

use serde_json::json;
use surgicase_billing::{PAID_TRANSITION, PENDING_PAYMENT_TRANSITION, ScheduledTransition};
use surgicase_kernel::{CaseId, Timestamp};
use surgicase_ports::records::{ActorType, ChangeSource, HistoryRecord};

use super::registry::{JobFuture, JobRun};
use super::report::JobReport;
use crate::App;
use crate::audit::Touched;
use crate::error::AppError;
use crate::retry::retrying;

/// `pending_payment_transition`: 10 → 15.
pub(crate) fn pending_payment_job<'a>(app: &'a App, run: &'a JobRun) -> JobFuture<'a> {
    Box::pin(app.run_transition(PENDING_PAYMENT_TRANSITION, run))
}

/// `paid_transition`: 15 → 20.
pub(crate) fn paid_job<'a>(app: &'a App, run: &'a JobRun) -> JobFuture<'a> {
    Box::pin(app.run_transition(PAID_TRANSITION, run))
}

impl App {
    /// Moves every active case whose status is `t.from` to `t.to` (`UPDATE … WHERE
    /// case_status = from AND active = 1`), stamping the target's timestamp column, and
    /// appends one history row per case (actor type `job`, actor id the job name, source `job`,
    /// the run's id) — all in one transaction. A retry finds no case left in `from`, so nothing
    /// is applied twice; a run that moves nothing succeeds with 0 items.
    pub async fn run_transition(&self, t: ScheduledTransition, run: &JobRun) -> Result<JobReport, AppError> {
        let now = self.clock.now();
        let t = &t;
        let (moved, history) = retrying(t.job_name, move || async move {
            let mut tx = self.store.begin().await?;
            let moved = tx.move_cases_at_status(t.from, t.to, t.to.timestamp_column(), now).await?;
            let history: Vec<HistoryRecord> =
                moved.iter().map(|case_id| job_history(t, case_id, now, run)).collect();
            tx.append_history(&history).await?;
            tx.commit().await?;
            Ok((moved, history))
        })
        .await?;
        crate::counters::status_transitions(&history);
        let ids: Vec<&str> = moved.iter().map(|id| id.as_str()).collect();
        let status = json!({ "from": t.from.code(), "to": t.to.code() });
        let touched = Touched::new("case.status_change", "job_run", run.id.to_string())
            .details(json!({ "job": t.job_name, "case_ids": ids, "count": ids.len(), "status": status }));
        let mut report = JobReport::processed(moved.len(), json!({ "cases": moved.len(), "status": status }));
        report.touched = Some(touched);
        Ok(report)
    }
}

/// The history row of a case the job moved.
fn job_history(t: &ScheduledTransition, case_id: &CaseId, now: Timestamp, run: &JobRun) -> HistoryRecord {
    HistoryRecord {
        case_id: case_id.clone(),
        from_status: Some(t.from),
        to_status: t.to,
        changed_ts: now,
        actor_type: ActorType::Job,
        actor_id: t.job_name.to_owned(),
        source: ChangeSource::Job,
        rule_name: None,
        rule_set_id: None,
        reason: None,
        request_id: None,
        job_run_id: Some(run.id),
    }
}
