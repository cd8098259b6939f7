//! The service: catch-up at start-up, then one loop per planned job and a take-over sweep,
//! until shutdown.

use std::time::Duration as StdDuration;

use surgicase_kernel::Timestamp;
use surgicase_ports::{Chain, NewJobRun, TriggerKind};

use crate::catch_up::{CatchUpReport, plan_catch_up};
use crate::error::SchedulerError;
use crate::metrics;
use crate::plan::PlannedJob;
use crate::runner::{RunResult, Scheduler};
use crate::shutdown::Shutdown;

/// At most this many due occurrences of one job are handled per wake-up.
const MAX_DUE: usize = 1000;
/// Pause after a database failure before a loop tries again.
const RETRY_AFTER: StdDuration = StdDuration::from_secs(5);

impl Scheduler {
    /// The planned job called `name`.
    fn planned_job(&self, name: &str) -> Option<&PlannedJob> {
        self.jobs.iter().find(|j| j.name == name)
    }

    /// Start-up catch-up (domain §7.3) for every planned job: skipped rows for the occurrences
    /// missed beyond the window, then the occurrences within it, oldest first over all jobs.
    pub async fn catch_up(&self, shutdown: &Shutdown) -> Result<CatchUpReport, SchedulerError> {
        let now = self.app.clock().now();
        let latest = self.app.store().conn().await?.latest_job_runs(false).await?;
        let mut report = CatchUpReport { until: now, skipped: 0, ran: 0, already_claimed: 0 };
        let mut due: Vec<(Timestamp, String)> = Vec::new();
        for job in self.jobs.iter() {
            let last = latest.iter().find(|r| r.job_name == job.name).map(|r| r.scheduled_for);
            let plan = plan_catch_up(&job.schedule, last, now, job.catch_up_window);
            if !plan.skip.is_empty() {
                let rows: Vec<NewJobRun> = plan
                    .skip
                    .iter()
                    .map(|t| NewJobRun {
                        job_name: job.name.clone(),
                        scheduled_for: *t,
                        trigger_kind: TriggerKind::CatchUp,
                        claimed_by: self.settings.instance_id.clone(),
                        claimed_ts: now,
                        lease_expires_ts: now,
                    })
                    .collect();
                let written = self.app.store().conn().await?.skip_job_runs(&rows).await?;
                metrics::skipped(&job.name, written);
                tracing::warn!(job = %job.name, missed = plan.skip.len(), recorded = written,
                    "occurrences missed beyond the catch-up window recorded as skipped");
                report.skipped += written;
            }
            due.extend(plan.run.into_iter().map(|t| (t, job.name.clone())));
        }
        due.sort();
        for (at, job) in due {
            if shutdown.is_set() {
                break;
            }
            match self.run_occurrence(&job, at, TriggerKind::CatchUp, shutdown).await? {
                RunResult::AlreadyClaimed => report.already_claimed += 1,
                _ => report.ran += 1,
            }
        }
        if report.skipped > 0 || report.ran > 0 {
            tracing::info!(?report, "catch-up done");
        }
        Ok(report)
    }

    /// Runs the occurrences of `job` in `(cursor, now]`, oldest first, moving `cursor` past
    /// each one handled (a failure leaves it before the occurrence, to be tried again).
    pub async fn run_due(
        &self,
        job: &str,
        cursor: &mut Timestamp,
        now: Timestamp,
        shutdown: &Shutdown,
    ) -> Result<Vec<RunResult>, SchedulerError> {
        let Some(planned) = self.planned_job(job) else {
            return Err(SchedulerError::Config(format!("job {job:?} is not scheduled by this replica")));
        };
        let due = planned.schedule.between(*cursor, now, MAX_DUE);
        let complete = due.len() < MAX_DUE;
        let mut results = Vec::with_capacity(due.len());
        for at in due {
            if shutdown.is_set() {
                return Ok(results);
            }
            results.push(self.run_occurrence(job, at, TriggerKind::Schedule, shutdown).await?);
            *cursor = at;
        }
        if complete && now > *cursor {
            *cursor = now;
        }
        Ok(results)
    }

    /// One job's loop: sleep until its next occurrence, claim and run it; repeat.
    async fn job_loop(self, job: PlannedJob, mut cursor: Timestamp, shutdown: Shutdown) {
        loop {
            if shutdown.is_set() {
                return;
            }
            let now = self.app.clock().now();
            let pause = match self.run_due(&job.name, &mut cursor, now, &shutdown).await {
                Ok(_) => match job.schedule.next_after(cursor) {
                    Some(next) => (next - self.app.clock().now()).to_std().unwrap_or(StdDuration::ZERO),
                    None => {
                        tracing::info!(job = %job.name, "the schedule has no further occurrence");
                        return;
                    }
                },
                Err(e) => {
                    tracing::error!(job = %job.name, error = %Chain(&e), "could not run a due occurrence; retrying");
                    RETRY_AFTER
                }
            };
            tokio::select! {
                () = tokio::time::sleep(pause) => {}
                () = shutdown.wait() => return,
            }
        }
    }

    /// Looks for expired leases every sweep interval.
    async fn sweep_loop(self, shutdown: Shutdown) {
        loop {
            tokio::select! {
                () = tokio::time::sleep(self.settings.sweep_interval) => {}
                () = shutdown.wait() => return,
            }
            if let Err(e) = self.take_over_expired(&shutdown).await {
                tracing::error!(error = %Chain(&e), "could not look for expired leases");
            }
        }
    }

    /// Folds the day totals' queue in the background (as every API process does).
    async fn totals_loop(self, shutdown: Shutdown) {
        tokio::select! {
            () = self.app.fold_case_totals_forever() => {}
            () = shutdown.wait() => {}
        }
    }

    /// Runs the service until `shutdown`: takes over expired leases, catches up, then runs
    /// the job loops and the sweep. Returns once every loop has stopped (a running job
    /// finished or was released).
    pub async fn serve(&self, shutdown: Shutdown) -> Result<(), SchedulerError> {
        tracing::info!(
            instance = %self.settings.instance_id,
            jobs = ?self.jobs.iter().map(|j| (j.name.as_str(), j.schedule.source())).collect::<Vec<_>>(),
            "scheduler starting"
        );
        let report = loop {
            let started = async {
                self.take_over_expired(&shutdown).await?;
                self.catch_up(&shutdown).await
            };
            match started.await {
                Ok(report) => break report,
                Err(e) => {
                    tracing::error!(error = %Chain(&e), "start-up failed; retrying");
                    tokio::select! {
                        () = tokio::time::sleep(RETRY_AFTER) => {}
                        () = shutdown.wait() => return Ok(()),
                    }
                }
            }
        };
        let mut tasks = tokio::task::JoinSet::new();
        for job in self.jobs.iter() {
            tasks.spawn(self.clone().job_loop(job.clone(), report.until, shutdown.clone()));
        }
        tasks.spawn(self.clone().sweep_loop(shutdown.clone()));
        tasks.spawn(self.clone().totals_loop(shutdown.clone()));
        while let Some(done) = tasks.join_next().await {
            if let Err(e) = done {
                tracing::error!(error = %Chain(&e), "a scheduler loop stopped unexpectedly");
            }
        }
        tracing::info!("scheduler stopped");
        Ok(())
    }

    /// `surgicase-scheduler run JOB`: one `manual` occurrence at the request time (whole
    /// second), recorded like any other.
    pub async fn run_now(&self, job: &str, shutdown: &Shutdown) -> Result<RunResult, SchedulerError> {
        let now = self.app.clock().now();
        let second = chrono::DateTime::from_timestamp(now.timestamp(), 0).unwrap_or(now);
        self.run_occurrence(job, second, TriggerKind::Manual, shutdown).await
    }
}
