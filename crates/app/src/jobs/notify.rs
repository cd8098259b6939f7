//! Failure notification (domain §7.5): a `failed` or `abandoned` run tells the operators.
//!
//! Seam: the mail port does not exist yet, so the notification is an error-level log line
//! carrying exactly what the e-mail will carry (subject and body, no PHI). When the mail port
//! lands, [`App::notify_job_failure`] sends [`JobFailure::subject`] and [`JobFailure::body`] to
//! `jobs.failure_recipients` instead.

use surgicase_kernel::Timestamp;
use surgicase_kernel::time::format_timestamp;
use surgicase_ports::RunOutcome;

use crate::App;

/// A run that ended `failed` or `abandoned`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobFailure {
    pub job_name: String,
    pub run_id: i64,
    pub scheduled_for: Timestamp,
    pub attempt: i32,
    pub outcome: RunOutcome,
    pub error_text: Option<String>,
    pub items_processed: i64,
    pub items_failed: i64,
}

impl JobFailure {
    /// `SurgiCase job failed: <job>`.
    pub fn subject(&self) -> String {
        format!("SurgiCase job failed: {}", self.job_name)
    }

    /// Job, occurrence, attempt, error text, counts.
    pub fn body(&self) -> String {
        format!(
            "Job: {}\nOccurrence: {}\nRun id: {}\nAttempt: {}\nOutcome: {}\nError: {}\nItems processed: {}\nItems failed: {}\n",
            self.job_name,
            format_timestamp(self.scheduled_for),
            self.run_id,
            self.attempt,
            self.outcome.as_str(),
            self.error_text.as_deref().unwrap_or("-"),
            self.items_processed,
            self.items_failed,
        )
    }
}

impl App {
    /// Raises the failure notification of a run (today: an error-level log line).
    pub async fn notify_job_failure(&self, failure: &JobFailure) {
        tracing::error!(
            job = %failure.job_name,
            run_id = failure.run_id,
            scheduled_for = %format_timestamp(failure.scheduled_for),
            attempt = failure.attempt,
            outcome = failure.outcome.as_str(),
            error = failure.error_text.as_deref().unwrap_or(""),
            items_processed = failure.items_processed,
            items_failed = failure.items_failed,
            subject = %failure.subject(),
            "job failure notification (mail not configured in this build)"
        );
    }
}

#[cfg(test)]
mod tests {
    use chrono::{TimeZone, Utc};

    use super::*;

    #[test]
    fn mail_text_names_job_occurrence_attempt_error_and_counts() {
        let failure = JobFailure {
            job_name: "paid_transition".into(),
            run_id: 42,
            scheduled_for: Utc.with_ymd_and_hms(2025, 3, 6, 8, 0, 0).single().unwrap_or_default(),
            attempt: 3,
            outcome: RunOutcome::Abandoned,
            error_text: Some("lease expired".into()),
            items_processed: 0,
            items_failed: 0,
        };
        assert_eq!(failure.subject(), "SurgiCase job failed: paid_transition");
        let body = failure.body();
        for needle in [
            "Job: paid_transition",
            "Occurrence: 2025-03-06T08:00:00Z",
            "Attempt: 3",
            "Outcome: abandoned",
            "Error: lease expired",
            "Items failed: 0",
        ] {
            assert!(body.contains(needle), "{needle} in {body}");
        }
    }
}
