//! [`Scheduler`]: claiming, running and finishing one occurrence; taking over expired leases.

use std::sync::Arc;
use std::time::Instant;

use futures::FutureExt;
use surgicase_app::App;
use surgicase_app::jobs::{JobFailure, JobRegistry, JobReport, JobRun, error_text};
use surgicase_kernel::Timestamp;
use surgicase_kernel::time::format_timestamp;
use surgicase_ports::Chain;
use surgicase_ports::{
    JobRunClaim, JobRunEnd, JobRunRecord, NewJobRun, RunOutcome, StoreError, TakeOver, TriggerKind,
};

use crate::error::SchedulerError;
use crate::metrics;
use crate::plan::{PlannedJob, plan};
use crate::settings::{MAX_ATTEMPTS, SchedulerSettings};
use crate::shutdown::Shutdown;

/// How one occurrence went for this replica.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RunResult {
    /// Another replica had claimed (or skipped) the occurrence: nothing done here.
    AlreadyClaimed,
    /// Ran here; the row as written at the end (`succeeded` or `failed`).
    Finished(JobRunRecord),
    /// The lease was lost while the job ran (another replica took the row over): the job was
    /// stopped and nothing written.
    Lost(JobRunRecord),
    /// Shutdown came and the grace period ran out: the job was stopped and the claim released
    /// (lease = now) for another replica.
    Released(JobRunRecord),
    /// An expired row on its last attempt, now `abandoned`.
    Abandoned(JobRunRecord),
}

impl RunResult {
    /// The row, when this replica touched one.
    pub fn record(&self) -> Option<&JobRunRecord> {
        match self {
            Self::AlreadyClaimed => None,
            Self::Finished(r) | Self::Lost(r) | Self::Released(r) | Self::Abandoned(r) => Some(r),
        }
    }
}

/// How a job's future ended.
enum Ending {
    Done(Result<JobReport, surgicase_app::AppError>),
    Lost,
    Released,
}

/// One scheduler replica: the use cases, the job registry, the planned jobs and the settings.
/// Cheap to clone.
#[derive(Clone)]
pub struct Scheduler {
    pub(crate) app: App,
    pub(crate) registry: Arc<JobRegistry>,
    pub(crate) jobs: Arc<Vec<PlannedJob>>,
    pub(crate) settings: Arc<SchedulerSettings>,
}

impl std::fmt::Debug for Scheduler {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Scheduler")
            .field("instance", &self.settings.instance_id)
            .field("jobs", &self.jobs)
            .finish()
    }
}

impl Scheduler {
    /// Plans the enabled jobs of `settings` that `registry` has code for; a bad cron expression
    /// of an enabled job is an error.
    pub fn new(app: App, registry: JobRegistry, settings: SchedulerSettings) -> Result<Self, SchedulerError> {
        let jobs = plan(&settings.jobs, &registry)?;
        Ok(Self { app, registry: Arc::new(registry), jobs: Arc::new(jobs), settings: Arc::new(settings) })
    }

    pub fn app(&self) -> &App {
        &self.app
    }

    pub fn instance_id(&self) -> &str {
        &self.settings.instance_id
    }

    pub fn settings(&self) -> &SchedulerSettings {
        &self.settings
    }

    pub fn registry(&self) -> &JobRegistry {
        &self.registry
    }

    /// The jobs this replica schedules.
    pub fn planned(&self) -> &[PlannedJob] {
        &self.jobs
    }

    fn now(&self) -> Timestamp {
        self.app.clock().now()
    }

    /// Claims `(job, scheduled_for)` and, when this replica got it, runs the job to its end.
    pub async fn run_occurrence(
        &self,
        job: &str,
        scheduled_for: Timestamp,
        trigger: TriggerKind,
        shutdown: &Shutdown,
    ) -> Result<RunResult, SchedulerError> {
        // Refuse before claiming: a claim of a job that cannot run would only fail.
        self.registry.get(job)?;
        let now = self.now();
        let claim = NewJobRun {
            job_name: job.to_owned(),
            scheduled_for,
            trigger_kind: trigger,
            claimed_by: self.settings.instance_id.clone(),
            claimed_ts: now,
            lease_expires_ts: now + self.settings.lease,
        };
        let claimed = self.app.store().conn().await?.claim_job_run(&claim).await?;
        match claimed {
            None => {
                tracing::debug!(job, scheduled_for = %format_timestamp(scheduled_for), "occurrence already claimed");
                Ok(RunResult::AlreadyClaimed)
            }
            Some(row) => self.execute(row, shutdown).await,
        }
    }

    /// Takes over the expired leases of jobs this build can run, and runs them (or abandons
    /// the rows that used their last attempt). A bounded number per call.
    pub async fn take_over_expired(&self, shutdown: &Shutdown) -> Result<Vec<RunResult>, SchedulerError> {
        let names: Vec<String> =
            self.registry.names().filter(|n| self.registry.is_available(n)).map(str::to_owned).collect();
        let now = self.now();
        let expired = self.app.store().conn().await?.expired_job_runs(&names, now, 16).await?;
        let mut results = Vec::new();
        for row in expired {
            if shutdown.is_set() {
                break;
            }
            let now = self.now();
            let outcome = self
                .app
                .store()
                .conn()
                .await?
                .take_over_job_run(
                    row.id,
                    &self.settings.instance_id,
                    now,
                    now + self.settings.lease,
                    MAX_ATTEMPTS,
                )
                .await?;
            match outcome {
                TakeOver::Claimed(row) => {
                    tracing::warn!(
                        job = %row.job_name, run_id = row.id, attempt = row.attempt,
                        "took over a run whose lease expired"
                    );
                    results.push(self.execute(row, shutdown).await?);
                }
                TakeOver::Abandoned(row) => {
                    metrics::run_ended(&row.job_name, RunOutcome::Abandoned, None, now);
                    self.notify(
                        &row,
                        RunOutcome::Abandoned,
                        Some("lease expired on the last attempt".into()),
                        0,
                        0,
                    )
                    .await;
                    results.push(RunResult::Abandoned(row));
                }
                TakeOver::Unavailable => {}
            }
        }
        Ok(results)
    }

    /// Runs a claimed row's job with lease renewal and the shutdown grace, then writes its end.
    pub(crate) async fn execute(
        &self,
        row: JobRunRecord,
        shutdown: &Shutdown,
    ) -> Result<RunResult, SchedulerError> {
        let job = match self.registry.get(&row.job_name) {
            Ok(job) => job,
            Err(e) => {
                let end = self.end_of(RunOutcome::Failed, 0, 0, Some(error_text(&e.to_string())), None);
                return self.write_end(row, end, None).await;
            }
        };
        let run = JobRun {
            id: row.id,
            job_name: row.job_name.clone(),
            scheduled_for: row.scheduled_for,
            trigger: row.trigger_kind,
            attempt: row.attempt,
        };
        tracing::info!(
            job = %run.job_name, run_id = run.id, scheduled_for = %format_timestamp(run.scheduled_for),
            trigger = run.trigger.as_str(), attempt = run.attempt, "job started"
        );
        let started = Instant::now();
        let claim = row.claim();
        let ending = {
            let work = job.run(&self.app, &run).fuse();
            let renewal = self.keep_renewing(&claim).fuse();
            let grace = async {
                shutdown.wait().await;
                tracing::info!(job = %run.job_name, run_id = run.id, grace = ?self.settings.shutdown_grace,
                    "shutdown: waiting for the running job");
                tokio::time::sleep(self.settings.shutdown_grace).await;
            }
            .fuse();
            futures::pin_mut!(work, renewal, grace);
            futures::select_biased! {
                result = work => Ending::Done(result),
                () = renewal => Ending::Lost,
                () = grace => Ending::Released,
            }
        };
        match ending {
            Ending::Done(Ok(report)) => {
                let end = self.end_of(
                    RunOutcome::Succeeded,
                    report.items_processed,
                    report.items_failed,
                    None,
                    Some(report.details.to_string()),
                );
                if let Some(touched) = &report.touched {
                    // The audit trail's seam (domain §16): the action and the ids it covered.
                    tracing::info!(action = touched.action, resource_id = touched.resource_id.as_deref().unwrap_or(""),
                        details = %touched.details, "job touched");
                }
                self.write_end(row, end, Some(started)).await
            }
            Ending::Done(Err(e)) => {
                // The whole cause chain, as the log would show it (admins read it in /jobs).
                let end =
                    self.end_of(RunOutcome::Failed, 0, 0, Some(error_text(&Chain(&e).to_string())), None);
                self.write_end(row, end, Some(started)).await
            }
            Ending::Lost => {
                tracing::error!(job = %row.job_name, run_id = row.id, "lost the lease while running; job stopped");
                Ok(RunResult::Lost(row))
            }
            Ending::Released => {
                let released = self.app.store().conn().await?.release_job_run(&claim, self.now()).await?;
                tracing::warn!(job = %row.job_name, run_id = row.id, released,
                    "shutdown grace ran out; job stopped and its claim released");
                Ok(RunResult::Released(row))
            }
        }
    }

    /// Renews the lease every third of it; returns only when the claim is lost.
    async fn keep_renewing(&self, claim: &JobRunClaim) {
        let every = self.settings.renew_interval();
        loop {
            tokio::time::sleep(every).await;
            let lease = self.now() + self.settings.lease;
            let renewed = match self.app.store().conn().await {
                Ok(mut conn) => conn.renew_job_run(claim, lease).await,
                Err(e) => Err(e),
            };
            match renewed {
                Ok(true) => tracing::debug!(run_id = claim.id, "lease renewed"),
                Ok(false) => return,
                // The lease is still valid for two more periods; try again at the next one.
                Err(e) => tracing::warn!(run_id = claim.id, error = %Chain(&e), "could not renew the lease"),
            }
        }
    }

    fn end_of(
        &self,
        outcome: RunOutcome,
        processed: i64,
        failed: i64,
        error_text: Option<String>,
        details: Option<String>,
    ) -> JobRunEnd {
        JobRunEnd {
            outcome,
            finished_ts: self.now(),
            items_processed: i32::try_from(processed).unwrap_or(i32::MAX),
            items_failed: i32::try_from(failed).unwrap_or(i32::MAX),
            error_text,
            details,
        }
    }

    /// Writes the end (retrying briefly when the database blinks), records the metrics and
    /// notifies a failure.
    async fn write_end(
        &self,
        row: JobRunRecord,
        end: JobRunEnd,
        started: Option<Instant>,
    ) -> Result<RunResult, SchedulerError> {
        let claim = row.claim();
        let mut attempt = 0;
        let written = loop {
            attempt += 1;
            let result = match self.app.store().conn().await {
                Ok(mut conn) => conn.finish_job_run(&claim, &end).await,
                Err(e) => Err(e),
            };
            match result {
                Ok(written) => break written,
                Err(e) if attempt < 3 && retryable(&e) => {
                    tracing::warn!(run_id = row.id, error = %Chain(&e), "could not record the end of a run; retrying");
                    tokio::time::sleep(std::time::Duration::from_secs(1)).await;
                }
                Err(e) => return Err(e.into()),
            }
        };
        if !written {
            tracing::error!(job = %row.job_name, run_id = row.id, "the run was taken over before it could be finished");
            return Ok(RunResult::Lost(row));
        }
        let duration = started.map(|s| s.elapsed());
        metrics::run_ended(&row.job_name, end.outcome, duration, end.finished_ts);
        tracing::info!(
            job = %row.job_name, run_id = row.id, outcome = end.outcome.as_str(),
            items_processed = end.items_processed, items_failed = end.items_failed,
            duration_ms = duration.map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX)), error = end.error_text.as_deref().unwrap_or(""),
            "job finished"
        );
        if end.outcome == RunOutcome::Failed {
            self.notify(
                &row,
                end.outcome,
                end.error_text.clone(),
                end.items_processed.into(),
                end.items_failed.into(),
            )
            .await;
        }
        Ok(RunResult::Finished(JobRunRecord {
            outcome: end.outcome,
            finished_ts: Some(end.finished_ts),
            items_processed: end.items_processed,
            items_failed: end.items_failed,
            error_text: end.error_text,
            details: end.details,
            ..row
        }))
    }

    async fn notify(
        &self,
        row: &JobRunRecord,
        outcome: RunOutcome,
        error_text: Option<String>,
        processed: i64,
        failed: i64,
    ) {
        let failure = JobFailure {
            job_name: row.job_name.clone(),
            run_id: row.id,
            scheduled_for: row.scheduled_for,
            attempt: row.attempt,
            outcome,
            error_text,
            items_processed: processed,
            items_failed: failed,
        };
        self.app.notify_job_failure(&failure).await;
    }
}

/// Errors worth a second try when recording an end (a deadlock victim was a `Backend` error
/// before it had a variant of its own).
fn retryable(e: &StoreError) -> bool {
    e.is_retryable() || matches!(e, StoreError::Unavailable { .. } | StoreError::Backend { .. })
}
