//! Which jobs this replica schedules: the enabled jobs whose code is in the build, with their
//! parsed schedules.

use chrono::Duration;
use surgicase_app::jobs::{JobRegistry, JobSetting, Schedule};

use crate::error::SchedulerError;
use crate::settings::LOOK_BACK;

/// An enabled, available job with its parsed schedule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedJob {
    pub name: String,
    pub schedule: Schedule,
    pub catch_up_window: Duration,
}

/// The enabled jobs of `jobs`. An enabled job with a bad cron expression is a configuration
/// error; an enabled job whose code is not in this build is left out with a warning.
pub(crate) fn plan(jobs: &[JobSetting], registry: &JobRegistry) -> Result<Vec<PlannedJob>, SchedulerError> {
    let mut out = Vec::new();
    for job in jobs {
        let parsed = Schedule::parse(&job.schedule);
        if !job.enabled {
            if let Err(e) = parsed {
                tracing::warn!(job = %job.name, error = %e, "disabled job has an invalid schedule");
            }
            continue;
        }
        let schedule = parsed.map_err(|e| {
            SchedulerError::Config(format!("key `scheduler.jobs.{}.schedule`: {e}", job.name))
        })?;
        if !registry.is_available(&job.name) {
            tracing::warn!(job = %job.name, "job is enabled but not available in this build; not scheduled");
            continue;
        }
        let window_s = i64::try_from(job.catch_up_window_s).unwrap_or(i64::MAX);
        let catch_up_window = Duration::try_seconds(window_s).unwrap_or(LOOK_BACK).min(LOOK_BACK);
        out.push(PlannedJob { name: job.name.clone(), schedule, catch_up_window });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn job(name: &str, schedule: &str, enabled: bool) -> JobSetting {
        JobSetting { name: name.into(), schedule: schedule.into(), enabled, catch_up_window_s: 3600 }
    }

    #[test]
    fn only_enabled_available_jobs_are_planned() {
        let jobs = [
            job("paid_transition", "0 0 8 * * Thu", true),
            job("pending_payment_transition", "0 0 8 * * Mon", false),
            job("npi_sync", "0 0 8 * * Tue", true),
            job("audit_chain_verify", "not cron", false),
        ];
        let planned = plan(&jobs, &JobRegistry::builtin()).unwrap_or_default();
        let names: Vec<&str> = planned.iter().map(|j| j.name.as_str()).collect();
        assert_eq!(names, vec!["paid_transition"]);
        assert_eq!(planned[0].catch_up_window, Duration::hours(1));
    }

    #[test]
    fn an_enabled_job_with_a_bad_schedule_names_its_key() {
        let err = plan(&[job("paid_transition", "0 0 8 * *", true)], &JobRegistry::builtin()).err();
        let text = err.map(|e| e.to_string()).unwrap_or_default();
        assert!(text.contains("scheduler.jobs.paid_transition.schedule"), "{text}");
    }
}
