//! Scheduled jobs (domain §7): the one [`JobRegistry`] of job code, cron [`Schedule`]s, the
//! status transitions, the failure notification and the admin views of `job_runs`.
//!
//! Claims, leases and catch-up are the scheduler service's (`surgicase-scheduler`); a job here
//! only does its work for one occurrence ([`JobRun`]) and reports counts ([`JobReport`]).

mod notify;
mod registry;
mod report;
mod schedule;
mod sweeps;
mod transitions;
mod views;

pub use notify::JobFailure;
pub use registry::{Job, JobFn, JobFuture, JobLookupError, JobRegistry, JobRun};
pub use report::{JobReport, MAX_ERROR_TEXT, error_text};
pub use schedule::{Schedule, ScheduleError};
pub use views::{JOB_NAME_MAX, JobOverview, JobRunsPage, JobRunsRequest, RUNS_LIMIT_DEFAULT, RUNS_LIMIT_MAX};

/// One job of the scheduler configuration, as the use cases see it (`[scheduler.jobs.<name>]`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobSetting {
    pub name: String,
    /// Cron in UTC with seconds.
    pub schedule: String,
    pub enabled: bool,
    pub catch_up_window_s: u64,
}
