//! How a scheduler instance behaves: its id, the lease, the shutdown grace and the jobs.

use std::time::Duration as StdDuration;

use chrono::Duration;
use surgicase_app::jobs::JobSetting;
use surgicase_config::SchedulerConfig;

/// A running row is abandoned when its lease expires on this attempt (domain §7.2).
pub const MAX_ATTEMPTS: i32 = 3;

/// Missed occurrences older than this are not looked at (domain §7.3).
pub const LOOK_BACK: Duration = Duration::days(30);

/// One scheduler replica's settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchedulerSettings {
    /// `job_runs.claimed_by` of this replica (at most 100 characters).
    pub instance_id: String,
    /// Lease of a claim; renewed every third while the job runs.
    pub lease: Duration,
    /// On shutdown, how long a running job may take before its claim is released.
    pub shutdown_grace: StdDuration,
    /// How often expired leases of other replicas are looked for.
    pub sweep_interval: StdDuration,
    /// Every configured job (the disabled ones included: `list` shows them).
    pub jobs: Vec<JobSetting>,
}

impl SchedulerSettings {
    /// Defaults (10-minute lease, 30 s grace) for `instance_id` and `jobs`.
    pub fn new(instance_id: impl Into<String>, jobs: Vec<JobSetting>) -> Self {
        Self::from_config(
            &SchedulerConfig { instance_id: instance_id.into(), ..SchedulerConfig::default() },
            jobs,
        )
    }

    /// From `[scheduler]`; the jobs come from the app settings (the same table the API shows).
    pub fn from_config(config: &SchedulerConfig, jobs: Vec<JobSetting>) -> Self {
        let lease_s = i64::try_from(config.lease_s).unwrap_or(i64::MAX / 1_000_000);
        let instance_id = if config.instance_id.trim().is_empty() {
            default_instance_id()
        } else {
            config.instance_id.clone()
        };
        // Look for expired leases about as often as a lease is renewed, within 1 s – 60 s.
        let sweep = (config.lease_s / 3).clamp(1, 60);
        Self {
            instance_id,
            lease: Duration::seconds(lease_s),
            shutdown_grace: StdDuration::from_secs(config.shutdown_grace_s),
            sweep_interval: StdDuration::from_secs(sweep),
            jobs,
        }
    }

    /// How often the holder renews its lease: a third of it, at least a second.
    pub fn renew_interval(&self) -> StdDuration {
        let third = self.lease.num_milliseconds() / 3;
        StdDuration::from_millis(u64::try_from(third).unwrap_or(1000).max(1000))
    }
}

/// `<host>:<pid>:<8 random hex digits>`, at most 100 characters.
pub fn default_instance_id() -> String {
    let host = std::env::var("HOSTNAME")
        .ok()
        .filter(|h| !h.trim().is_empty())
        .or_else(|| std::fs::read_to_string("/proc/sys/kernel/hostname").ok())
        .map(|h| h.trim().to_owned())
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "localhost".to_owned());
    let host: String = host.chars().take(80).collect();
    let random = uuid::Uuid::new_v4().simple().to_string();
    format!("{host}:{}:{}", std::process::id(), &random[..8])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instance_ids_are_host_pid_random_and_unique() {
        let a = default_instance_id();
        let b = default_instance_id();
        assert_ne!(a, b);
        let parts: Vec<&str> = a.rsplitn(3, ':').collect();
        assert_eq!(parts.len(), 3, "{a}");
        assert_eq!(parts[1], std::process::id().to_string());
        assert_eq!(parts[0].len(), 8);
        assert!(a.chars().count() <= 100);
    }

    #[test]
    fn settings_from_config() {
        let config = SchedulerConfig { lease_s: 9, shutdown_grace_s: 2, ..SchedulerConfig::default() };
        let s = SchedulerSettings::from_config(&config, Vec::new());
        assert_eq!(s.lease, Duration::seconds(9));
        assert_eq!(s.renew_interval(), StdDuration::from_secs(3));
        assert_eq!(s.sweep_interval, StdDuration::from_secs(3));
        assert_eq!(s.shutdown_grace, StdDuration::from_secs(2));
        assert!(!s.instance_id.is_empty());
        let named = SchedulerSettings::new("sched-a", Vec::new());
        assert_eq!((named.instance_id.as_str(), named.lease), ("sched-a", Duration::seconds(600)));
        assert_eq!(named.sweep_interval, StdDuration::from_secs(60));
    }
}
