//! Read-only views of the scheduler for admins (api.md §8 "Jobs") and for
//! `surgicase-scheduler list`: the configured jobs with their next occurrence and last run,
//! and the run history.

use chrono::{Duration, NaiveTime};
use surgicase_kernel::error::{FieldCode, ValidationErrors, ValueError};
use surgicase_kernel::time::{parse_date, parse_rfc3339};
use surgicase_kernel::{RoleLevel, Timestamp};
use surgicase_permissions::require_level;
use surgicase_ports::{JobRunQuery, JobRunRecord, RunOutcome};

use super::JobSetting;
use super::registry::JobRegistry;
use super::schedule::Schedule;
use crate::App;
use crate::access::require;
use crate::context::Ctx;
use crate::error::{AppError, Missing};

/// One configured job (`GET /admin/jobs`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobOverview {
    pub job: String,
    pub schedule: String,
    /// Configured on and available in this build.
    pub enabled: bool,
    /// Whether this build has the job's code.
    pub available: bool,
    pub catch_up_window_s: u64,
    /// `None` when disabled or when the schedule does not parse.
    pub next_occurrence: Option<Timestamp>,
    /// The latest occurrence recorded (manual runs included).
    pub last_run: Option<JobRunRecord>,
}

/// Longest job name a filter may hold (trimmed).
pub const JOB_NAME_MAX: usize = 64;
/// `limit` of `GET /admin/job_runs`.
pub const RUNS_LIMIT_DEFAULT: i64 = 100;
pub const RUNS_LIMIT_MAX: i64 = 1000;

/// The filters of `GET /admin/job_runs`, as sent.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct JobRunsRequest {
    pub job: Option<String>,
    pub outcome: Option<String>,
    /// RFC 3339 or `YYYY-MM-DD` (the start of that day).
    pub from: Option<String>,
    /// RFC 3339 or `YYYY-MM-DD` (the end of that day).
    pub to: Option<String>,
    pub before_id: Option<i64>,
    /// 1–1000, default 100.
    pub limit: Option<i64>,
}

/// A page of runs, newest first, and the cursor of the next page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobRunsPage {
    pub runs: Vec<JobRunRecord>,
    pub next_before_id: Option<i64>,
}

/// A time filter: RFC 3339, or a date meaning the start (`end = false`) or the end of that day.
fn parse_time(raw: &str, end: bool) -> Result<Timestamp, ValueError> {
    let raw = raw.trim();
    if let Ok(t) = parse_rfc3339(raw) {
        return Ok(t);
    }
    let date = parse_date(raw).map_err(|_| {
        ValueError::new(FieldCode::InvalidDate, "must be an RFC 3339 timestamp or a date YYYY-MM-DD")
    })?;
    let start = date.and_time(NaiveTime::MIN).and_utc();
    Ok(if end { start + Duration::days(1) - Duration::microseconds(1) } else { start })
}

impl JobRunsRequest {
    fn to_query(&self) -> Result<JobRunQuery, AppError> {
        let mut errors = ValidationErrors::new();
        let job = self.job.as_deref().map(str::trim).filter(|j| !j.is_empty()).map(str::to_owned);
        if job.as_ref().is_some_and(|j| j.chars().count() > JOB_NAME_MAX) {
            errors.push(ValueError::too_long(JOB_NAME_MAX).at("job"));
        }
        let outcome = match self.outcome.as_deref().map(str::trim).filter(|o| !o.is_empty()) {
            None => None,
            Some(raw) => {
                let parsed = RunOutcome::parse(raw);
                if parsed.is_none() {
                    let names: Vec<&str> = RunOutcome::ALL.iter().map(|o| o.as_str()).collect();
                    let msg = format!("must be one of {}", names.join(", "));
                    errors.push(ValueError::new(FieldCode::InvalidFormat, msg).at("outcome"));
                }
                parsed
            }
        };
        let mut time = |field: &str, raw: &Option<String>, end: bool| {
            let raw = raw.as_deref().filter(|r| !r.trim().is_empty())?;
            parse_time(raw, end).map_err(|e| errors.push(e.at(field))).ok()
        };
        let from = time("from", &self.from, false);
        let to = time("to", &self.to, true);
        if self.before_id.is_some_and(|b| b < 1) {
            errors.push(ValueError::new(FieldCode::OutOfRange, "must be at least 1").at("before_id"));
        }
        let limit = self.limit.unwrap_or(RUNS_LIMIT_DEFAULT);
        if !(1..=RUNS_LIMIT_MAX).contains(&limit) {
            let message = format!("must be between 1 and {RUNS_LIMIT_MAX}");
            errors.push(ValueError::new(FieldCode::OutOfRange, message).at("limit"));
        }
        if !errors.is_empty() {
            return Err(AppError::Validation(errors));
        }
        Ok(JobRunQuery { job_name: job, outcome, from, to, before_id: self.before_id, limit })
    }
}

impl App {
    /// The configured jobs with availability, next occurrence and last run (two statements at
    /// most). For the scheduler's `list`; admins use [`App::job_overview`].
    pub async fn jobs_overview(
        &self,
        jobs: &[JobSetting],
        registry: &JobRegistry,
    ) -> Result<Vec<JobOverview>, AppError> {
        let now = self.clock.now();
        let latest = self.store.conn().await?.latest_job_runs(true).await?;
        Ok(jobs
            .iter()
            .map(|job| {
                let available = registry.is_available(&job.name);
                let enabled = job.enabled && available;
                let next_occurrence =
                    enabled.then(|| Schedule::parse(&job.schedule).ok()?.next_after(now)).flatten();
                JobOverview {
                    job: job.name.clone(),
                    schedule: job.schedule.clone(),
                    enabled,
                    available,
                    catch_up_window_s: job.catch_up_window_s,
                    next_occurrence,
                    last_run: latest.iter().find(|r| r.job_name == job.name).cloned(),
                }
            })
            .collect())
    }

    /// `GET /admin/jobs` (GA): the jobs of the scheduler configuration.
    pub async fn job_overview(&self, ctx: &Ctx) -> Result<Vec<JobOverview>, AppError> {
        require(require_level(&ctx.actor, RoleLevel::GlobalAdmin), Missing::Other, "")?;
        self.jobs_overview(&self.settings.jobs, &JobRegistry::builtin()).await
    }

    /// Runs matching the filters, newest first (one statement). No access check: for the
    /// scheduler's own commands; admins use [`App::job_runs`].
    pub async fn list_job_runs(&self, request: &JobRunsRequest) -> Result<JobRunsPage, AppError> {
        let query = request.to_query()?;
        let limit = query.limit;
        // One more row than asked tells whether another page follows.
        let mut runs =
            self.store.conn().await?.list_job_runs(&JobRunQuery { limit: limit + 1, ..query }).await?;
        let more = runs.len() > usize::try_from(limit).unwrap_or(usize::MAX);
        runs.truncate(usize::try_from(limit).unwrap_or(0));
        let next_before_id = if more { runs.last().map(|r| r.id) } else { None };
        Ok(JobRunsPage { runs, next_before_id })
    }

    /// `GET /admin/job_runs` (GA).
    pub async fn job_runs(&self, ctx: &Ctx, request: &JobRunsRequest) -> Result<JobRunsPage, AppError> {
        require(require_level(&ctx.actor, RoleLevel::GlobalAdmin), Missing::Other, "")?;
        self.list_job_runs(request).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(request: JobRunsRequest) -> Vec<(String, &'static str)> {
        match request.to_query() {
            Err(AppError::Validation(e)) => e.iter().map(|f| (f.field.clone(), f.code.as_str())).collect(),
            Err(other) => vec![(String::new(), other.code())],
            Ok(_) => Vec::new(),
        }
    }

    #[test]
    fn filters_are_checked_and_each_problem_named() {
        let s = |v: &str| Some(v.to_owned());
        let table: Vec<(JobRunsRequest, Vec<(&str, &str)>)> = vec![
            (JobRunsRequest::default(), vec![]),
            (
                JobRunsRequest {
                    outcome: s("succeeded"),
                    from: s("2025-03-01"),
                    to: s("2025-03-03T10:00:00Z"),
                    limit: Some(1000),
                    ..Default::default()
                },
                vec![],
            ),
            (
                JobRunsRequest { outcome: s("done"), ..Default::default() },
                vec![("outcome", "invalid_format")],
            ),
            (
                JobRunsRequest { from: s("yesterday"), to: s("2025-02-30"), ..Default::default() },
                vec![("from", "invalid_date"), ("to", "invalid_date")],
            ),
            (
                JobRunsRequest { limit: Some(0), before_id: Some(0), ..Default::default() },
                vec![("before_id", "out_of_range"), ("limit", "out_of_range")],
            ),
            (JobRunsRequest { limit: Some(1001), ..Default::default() }, vec![("limit", "out_of_range")]),
            (JobRunsRequest { job: s(&"j".repeat(65)), ..Default::default() }, vec![("job", "too_long")]),
        ];
        for (request, expected) in table {
            let expected: Vec<(String, &str)> =
                expected.into_iter().map(|(f, c)| (f.to_owned(), c)).collect();
            assert_eq!(codes(request.clone()), expected, "{request:?}");
        }
    }

    #[test]
    fn dates_cover_whole_days_and_defaults_apply() {
        let q = JobRunsRequest {
            from: Some("2025-03-01".into()),
            to: Some("2025-03-01".into()),
            job: Some("  ".into()),
            ..Default::default()
        }
        .to_query()
        .ok();
        let q = q.unwrap_or_default();
        assert_eq!(q.from.map(|t| t.to_rfc3339()).as_deref(), Some("2025-03-01T00:00:00+00:00"));
        assert_eq!(q.to.map(|t| t.to_rfc3339()).as_deref(), Some("2025-03-01T23:59:59.999999+00:00"));
        assert_eq!((q.job_name, q.limit), (None, 100));
    }
}
