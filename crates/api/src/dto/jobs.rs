//! The scheduler's job runs for admins (api.md §8 "Jobs").

use serde::Serialize;
use serde_json::Value;
use surgicase_app::jobs::{JobOverview, JobRunsPage};
use surgicase_ports::JobRunRecord;
use utoipa::ToSchema;

use super::timestamp;

/// One `job_runs` row: one occurrence of a job and how it went.
#[derive(Debug, Serialize, ToSchema)]
pub struct JobRunDto {
    pub id: i64,
    #[schema(example = "paid_transition")]
    pub job_name: String,
    /// The occurrence (manual runs: the request time, whole second).
    #[schema(example = "2025-03-06T08:00:00Z")]
    pub scheduled_for: String,
    /// `schedule`, `catch_up` or `manual`.
    pub trigger_kind: String,
    /// The scheduler instance that holds (or last held) the claim.
    pub claimed_by: String,
    pub claimed_ts: String,
    pub lease_expires_ts: String,
    pub attempt: i32,
    pub started_ts: Option<String>,
    pub finished_ts: Option<String>,
    /// `running`, `succeeded`, `failed`, `skipped` or `abandoned`.
    pub outcome: String,
    pub items_processed: i32,
    pub items_failed: i32,
    pub error_text: Option<String>,
    /// The run's JSON summary (case count, report keys, …), or null.
    #[schema(value_type = Option<Object>)]
    pub details: Option<Value>,
}

impl JobRunDto {
    pub fn new(r: &JobRunRecord) -> Self {
        Self {
            id: r.id,
            job_name: r.job_name.clone(),
            scheduled_for: timestamp(r.scheduled_for),
            trigger_kind: r.trigger_kind.as_str().to_owned(),
            claimed_by: r.claimed_by.clone(),
            claimed_ts: timestamp(r.claimed_ts),
            lease_expires_ts: timestamp(r.lease_expires_ts),
            attempt: r.attempt,
            started_ts: r.started_ts.map(timestamp),
            finished_ts: r.finished_ts.map(timestamp),
            outcome: r.outcome.as_str().to_owned(),
            items_processed: r.items_processed,
            items_failed: r.items_failed,
            error_text: r.error_text.clone(),
            // Stored as JSON text; shown as JSON (as text if it ever is not).
            details: r.details.as_deref().map(|d| serde_json::from_str(d).unwrap_or_else(|_| Value::from(d))),
        }
    }
}

/// One job of the scheduler configuration.
#[derive(Debug, Serialize, ToSchema)]
pub struct JobDto {
    #[schema(example = "pending_payment_transition")]
    pub job: String,
    /// Cron in UTC with seconds.
    #[schema(example = "0 0 8 * * Mon")]
    pub schedule: String,
    /// Configured on and part of this build.
    pub enabled: bool,
    pub catch_up_window_s: u64,
    /// `null` when disabled.
    pub next_occurrence: Option<String>,
    /// The latest recorded occurrence, manual runs included.
    pub last_run: Option<JobRunDto>,
}

/// `GET /admin/jobs`.
#[derive(Debug, Serialize, ToSchema)]
pub struct JobsAnswer {
    pub jobs: Vec<JobDto>,
}

impl JobsAnswer {
    pub fn new(jobs: &[JobOverview]) -> Self {
        Self {
            jobs: jobs
                .iter()
                .map(|j| JobDto {
                    job: j.job.clone(),
                    schedule: j.schedule.clone(),
                    enabled: j.enabled,
                    catch_up_window_s: j.catch_up_window_s,
                    next_occurrence: j.next_occurrence.map(timestamp),
                    last_run: j.last_run.as_ref().map(JobRunDto::new),
                })
                .collect(),
        }
    }
}

/// `GET /admin/job_runs`: newest first, with the cursor of the next page.
#[derive(Debug, Serialize, ToSchema)]
pub struct JobRunsAnswer {
    pub job_runs: Vec<JobRunDto>,
    /// Pass as `before_id` for the next page; `null` on the last page.
    pub next_before_id: Option<i64>,
}

impl JobRunsAnswer {
    pub fn new(page: &JobRunsPage) -> Self {
        Self { job_runs: page.runs.iter().map(JobRunDto::new).collect(), next_before_id: page.next_before_id }
    }
}
