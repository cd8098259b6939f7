//! The scheduler's metrics (api.md §11), through the `metrics` facade; [`install`] puts the
//! Prometheus recorder in place for the binary's listener. Labels are job names and outcomes.

use std::time::Duration;

use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle};
use surgicase_kernel::Timestamp;
use surgicase_ports::RunOutcome;

/// Runs that reached an outcome on this replica, by `job` and `outcome`.
pub const JOB_RUNS: &str = "surgicase_job_runs_total";
/// How long runs took, by `job`.
pub const JOB_DURATION: &str = "surgicase_job_duration_seconds";
/// When a job last succeeded on this replica (Unix seconds), by `job`.
pub const JOB_LAST_SUCCESS: &str = "surgicase_job_last_success_timestamp_seconds";

/// Buckets of [`JOB_DURATION`]: from 10 ms to an hour.
const DURATION_BUCKETS: [f64; 12] = [0.01, 0.05, 0.1, 0.5, 1.0, 5.0, 10.0, 30.0, 60.0, 300.0, 900.0, 3600.0];

/// Installs the global Prometheus recorder and describes the metrics.
pub fn install() -> Result<PrometheusHandle, String> {
    let handle = PrometheusBuilder::new()
        .set_buckets_for_metric(
            metrics_exporter_prometheus::Matcher::Full(JOB_DURATION.to_owned()),
            &DURATION_BUCKETS,
        )
        .map_err(|e| format!("metrics: {e}"))?
        .install_recorder()
        .map_err(|e| format!("cannot install the metrics recorder: {e}"))?;
    describe();
    Ok(handle)
}

pub fn describe() {
    metrics::describe_counter!(
        JOB_RUNS,
        "Job runs that reached an outcome on this scheduler, by job and outcome"
    );
    metrics::describe_histogram!(JOB_DURATION, metrics::Unit::Seconds, "Duration of job runs, by job");
    metrics::describe_gauge!(
        JOB_LAST_SUCCESS,
        "Unix time of the last successful run of each job on this scheduler"
    );
}

/// A run reached `outcome` at `at` (a duration when this replica ran it).
pub fn run_ended(job: &str, outcome: RunOutcome, duration: Option<Duration>, at: Timestamp) {
    metrics::counter!(JOB_RUNS, "job" => job.to_owned(), "outcome" => outcome.as_str()).increment(1);
    if let Some(d) = duration {
        metrics::histogram!(JOB_DURATION, "job" => job.to_owned()).record(d.as_secs_f64());
    }
    if outcome == RunOutcome::Succeeded {
        // Unix seconds fit an f64 exactly for millennia; the fraction keeps milliseconds.
        let seconds = at.timestamp_millis() as f64 / 1000.0;
        metrics::gauge!(JOB_LAST_SUCCESS, "job" => job.to_owned()).set(seconds);
    }
}

/// `n` occurrences of `job` recorded as skipped.
pub fn skipped(job: &str, n: u64) {
    if n > 0 {
        metrics::counter!(JOB_RUNS, "job" => job.to_owned(), "outcome" => RunOutcome::Skipped.as_str())
            .increment(n);
    }
}

#[cfg(test)]
mod tests {
    use chrono::{TimeZone, Utc};

    use super::*;

    #[test]
    fn outcomes_durations_and_last_success_are_rendered() {
        let recorder = PrometheusBuilder::new()
            .set_buckets_for_metric(
                metrics_exporter_prometheus::Matcher::Full(JOB_DURATION.to_owned()),
                &DURATION_BUCKETS,
            )
            .map(|b| b.build_recorder());
        let Ok(recorder) = recorder else { panic!("recorder") };
        let handle = recorder.handle();
        let at = Utc.with_ymd_and_hms(2025, 3, 3, 8, 0, 1).single().unwrap_or_default();
        metrics::with_local_recorder(&recorder, || {
            describe();
            run_ended("paid_transition", RunOutcome::Succeeded, Some(Duration::from_millis(250)), at);
            run_ended("paid_transition", RunOutcome::Failed, Some(Duration::from_secs(2)), at);
            run_ended("npi_sync", RunOutcome::Abandoned, None, at);
            skipped("paid_transition", 3);
            skipped("paid_transition", 0);
        });
        let text = handle.render();
        for line in [
            "surgicase_job_runs_total{job=\"paid_transition\",outcome=\"succeeded\"} 1",
            "surgicase_job_runs_total{job=\"paid_transition\",outcome=\"failed\"} 1",
            "surgicase_job_runs_total{job=\"paid_transition\",outcome=\"skipped\"} 3",
            "surgicase_job_runs_total{job=\"npi_sync\",outcome=\"abandoned\"} 1",
            "surgicase_job_duration_seconds_bucket{job=\"paid_transition\",le=\"0.5\"} 1",
            "surgicase_job_duration_seconds_count{job=\"paid_transition\"} 2",
            "surgicase_job_last_success_timestamp_seconds{job=\"paid_transition\"} 1740988801",
        ] {
            assert!(text.contains(line), "missing {line} in\n{text}");
        }
        assert!(!text.contains("job_last_success_timestamp_seconds{job=\"npi_sync\"}"));
    }
}
