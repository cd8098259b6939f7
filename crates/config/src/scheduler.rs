//! `[scheduler]`: the jobs of the `surgicase-scheduler` service (domain §7).
//!
//! Every job of domain §7.1 is listed here with its default schedule, so `config` prints the
//! whole table and any job can be tuned from the file or the environment, for example
//! `SURGICASE_SCHEDULER__JOBS__PAID_TRANSITION__ENABLED=false`. Jobs whose code is not in this
//! build yet are disabled by default (the scheduler refuses to run them anyway).

use std::collections::BTreeMap;
use std::net::SocketAddr;

use serde::{Deserialize, Serialize};

/// One day: the default catch-up window (domain §7.3).
pub const DEFAULT_CATCH_UP_WINDOW_S: u64 = 24 * 3600;
/// Occurrences older than this are never looked at again (domain §7.3).
pub const MAX_LOOK_BACK_S: u64 = 30 * 24 * 3600;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SchedulerConfig {
    /// The jobs by name.
    pub jobs: BTreeMap<String, JobConfig>,
    /// Lease of a claimed occurrence; the holder renews it every third of this.
    pub lease_s: u64,
    /// This replica's id in `job_runs.claimed_by`; empty: `<host>:<pid>:<random>`.
    pub instance_id: String,
    /// The scheduler's own listener (`/metrics`, `/health/live`).
    pub metrics_bind: SocketAddr,
    /// On SIGTERM, how long a running job may take to finish before its claim is released.
    pub shutdown_grace_s: u64,
}

/// One job's schedule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct JobConfig {
    /// Cron in UTC with seconds: `sec min hour day-of-month month day-of-week [year]`.
    pub schedule: String,
    pub enabled: bool,
    /// Missed occurrences younger than this run at start-up; older ones are recorded as skipped.
    pub catch_up_window_s: u64,
}

impl Default for JobConfig {
    fn default() -> Self {
        Self { schedule: String::new(), enabled: true, catch_up_window_s: DEFAULT_CATCH_UP_WINDOW_S }
    }
}

/// `(job, schedule, enabled, catch-up window)` of domain §7.1. The frequent sweeps catch up
/// at most their last missed occurrence (one sweep does the work of all the missed ones).
const DEFAULT_JOBS: [(&str, &str, bool, u64); 10] = [
    ("pending_payment_transition", "0 0 8 * * Mon", true, DEFAULT_CATCH_UP_WINDOW_S),
    ("paid_transition", "0 0 8 * * Thu", true, DEFAULT_CATCH_UP_WINDOW_S),
    ("provider_payment_report", "0 0 9 * * Mon", false, DEFAULT_CATCH_UP_WINDOW_S),
    ("provider_payment_summary_report", "0 15 9 * * Mon", false, DEFAULT_CATCH_UP_WINDOW_S),
    ("individual_provider_reports", "0 0 10 * * Mon", false, DEFAULT_CATCH_UP_WINDOW_S),
    ("npi_sync", "0 0 8 * * Tue", false, DEFAULT_CATCH_UP_WINDOW_S),
    ("bug_tracker_sync", "0 * * * * *", false, 60),
    ("document_archive", "0 */10 * * * *", true, 600),
    ("upload_cleanup", "0 0 * * * *", true, 3600),
    ("audit_chain_verify", "0 0 3 * * *", false, DEFAULT_CATCH_UP_WINDOW_S),
];

impl Default for SchedulerConfig {
    fn default() -> Self {
        let jobs = DEFAULT_JOBS
            .iter()
            .map(|(name, schedule, enabled, window)| {
                let job = JobConfig {
                    schedule: (*schedule).to_owned(),
                    enabled: *enabled,
                    catch_up_window_s: *window,
                };
                ((*name).to_owned(), job)
            })
            .collect();
        Self {
            jobs,
            lease_s: 600,
            instance_id: String::new(),
            metrics_bind: SocketAddr::from(([127, 0, 0, 1], 9100)),
            shutdown_grace_s: 30,
        }
    }
}

impl SchedulerConfig {
    /// The names of the jobs this build knows (domain §7.1).
    pub fn known_jobs() -> impl Iterator<Item = &'static str> {
        DEFAULT_JOBS.iter().map(|(name, ..)| *name)
    }

    /// Checks what serde cannot; the message names the key. (The cron syntax itself is checked
    /// by the scheduler, which owns the cron parser.)
    pub fn check(&self) -> Result<(), String> {
        let bad = |key: String, why: &str| Err(format!("key `{key}`: {why}"));
        if self.lease_s < 3 {
            return bad("scheduler.lease_s".into(), "must be at least 3 (it is renewed every third)");
        }
        if self.instance_id.chars().count() > 100 {
            return bad("scheduler.instance_id".into(), "must be at most 100 characters");
        }
        for (name, job) in &self.jobs {
            let key = format!("scheduler.jobs.{name}");
            if !Self::known_jobs().any(|known| known == name) {
                let known: Vec<&str> = Self::known_jobs().collect();
                return bad(key, &format!("unknown job (known: {})", known.join(", ")));
            }
            if job.schedule.trim().is_empty() {
                return bad(format!("{key}.schedule"), "must be a cron expression");
            }
            if job.catch_up_window_s > MAX_LOOK_BACK_S {
                return bad(format!("{key}.catch_up_window_s"), "must be at most 30 days (2592000)");
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_list_every_job_of_the_spec() {
        let config = SchedulerConfig::default();
        assert_eq!(config.jobs.len(), 10);
        let job = |name: &str| config.jobs.get(name).cloned().unwrap_or_default();
        assert_eq!(job("pending_payment_transition").schedule, "0 0 8 * * Mon");
        assert_eq!(job("paid_transition").schedule, "0 0 8 * * Thu");
        assert_eq!(job("provider_payment_summary_report").schedule, "0 15 9 * * Mon");
        assert_eq!(job("npi_sync").schedule, "0 0 8 * * Tue");
        assert!(job("paid_transition").enabled && !job("npi_sync").enabled);
        assert_eq!(job("paid_transition").catch_up_window_s, 86_400);
        assert_eq!((config.lease_s, config.metrics_bind.to_string()), (600, "127.0.0.1:9100".to_owned()));
        assert!(config.check().is_ok());
        let printed = crate::Config::default().to_redacted_toml();
        assert!(printed.contains("[scheduler.jobs.paid_transition]"), "{printed}");
        assert!(printed.contains("schedule = \"0 0 8 * * Thu\""), "{printed}");
    }

    #[test]
    fn checks_name_the_key() {
        type Change = fn(&mut SchedulerConfig);
        let table: &[(Change, &str)] = &[
            (|c| c.lease_s = 2, "scheduler.lease_s"),
            (|c| c.instance_id = "x".repeat(101), "scheduler.instance_id"),
            (
                |c| drop(c.jobs.insert("nightly_backup".into(), JobConfig::default())),
                "scheduler.jobs.nightly_backup",
            ),
            (
                |c| drop(c.jobs.insert("npi_sync".into(), JobConfig::default())),
                "scheduler.jobs.npi_sync.schedule",
            ),
            (
                |c| {
                    if let Some(j) = c.jobs.get_mut("paid_transition") {
                        j.catch_up_window_s = MAX_LOOK_BACK_S + 1;
                    }
                },
                "scheduler.jobs.paid_transition.catch_up_window_s",
            ),
        ];
        for (change, key) in table {
            let mut config = SchedulerConfig::default();
            change(&mut config);
            let err = config.check().err().unwrap_or_default();
            assert!(err.contains(&format!("key `{key}`")), "{key}: {err}");
        }
    }

    // figment::Jail closures return figment::Error, which is large.
    #[test]
    #[allow(clippy::result_large_err)]
    fn file_and_environment_tune_single_jobs() {
        use figment::providers::Env;
        figment::Jail::expect_with(|jail| {
            jail.create_file(
                "c.toml",
                "[scheduler]\nlease_s = 60\n[scheduler.jobs.npi_sync]\nenabled = true\n",
            )?;
            jail.set_env("SURGICASE_SCHEDULER__JOBS__PAID_TRANSITION__ENABLED", "false");
            jail.set_env("SURGICASE_SCHEDULER__JOBS__PAID_TRANSITION__CATCH_UP_WINDOW_S", "3600");
            jail.set_env("SURGICASE_SCHEDULER__INSTANCE_ID", "sched-1");
            let config = crate::load_from(Some(std::path::Path::new("c.toml")), Env::prefixed("SURGICASE_"))
                .map_err(|e| e.to_string())?;
            let s = &config.scheduler;
            let paid = s.jobs.get("paid_transition").cloned().unwrap_or_default();
            assert_eq!(
                (paid.enabled, paid.catch_up_window_s, paid.schedule.as_str()),
                (false, 3600, "0 0 8 * * Thu")
            );
            let npi = s.jobs.get("npi_sync").cloned().unwrap_or_default();
            assert_eq!((npi.enabled, npi.schedule.as_str()), (true, "0 0 8 * * Tue"));
            assert!(s.jobs.get("pending_payment_transition").is_some_and(|j| j.enabled));
            assert_eq!((s.lease_s, s.instance_id.as_str()), (60, "sched-1"));
            Ok(())
        });
    }

    #[test]
    #[allow(clippy::result_large_err)]
    fn unknown_keys_and_jobs_are_refused() {
        use figment::providers::Env;
        for (name, key) in [
            ("SURGICASE_SCHEDULER__JOBS__PAID_TRANSITION__ENABLD", "scheduler.jobs.paid_transition"),
            ("SURGICASE_SCHEDULER__JOBS__NIGHTLY_BACKUP__SCHEDULE", "scheduler.jobs.nightly_backup"),
            ("SURGICASE_SCHEDULER__LEASE", "scheduler"),
        ] {
            figment::Jail::expect_with(|jail| {
                jail.set_env(name, "0 0 1 * * *");
                let err = crate::load_from(None, Env::prefixed("SURGICASE_")).err().map(|e| e.to_string());
                let err = err.unwrap_or_default();
                assert!(err.contains(key), "{name}: {err}");
                Ok(())
            });
        }
    }
}
