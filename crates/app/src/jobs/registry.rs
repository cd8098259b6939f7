//! The one registry of jobs: name → code. The scheduler runs a job only through it.
//!
//! Adding a job is one line of [`BUILTIN`] (and its default schedule in the `[scheduler]`
//! configuration). A job listed with `None` is known but not part of this build: its schedule
//! exists, the scheduler refuses to run it ("not available in this build").

use std::collections::BTreeMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use async_trait::async_trait;
use surgicase_kernel::Timestamp;
use surgicase_ports::TriggerKind;

use super::report::JobReport;
use super::{sweeps, transitions};
use crate::App;
use crate::error::AppError;

/// The occurrence a job runs for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobRun {
    /// `job_runs.id`: history rows name it.
    pub id: i64,
    pub job_name: String,
    pub scheduled_for: Timestamp,
    pub trigger: TriggerKind,
    pub attempt: i32,
}

/// The future a job function returns.
pub type JobFuture<'a> = Pin<Box<dyn Future<Output = Result<JobReport, AppError>> + Send + 'a>>;

/// A job's code: a use case over the app. Jobs must be idempotent: a retried occurrence (after a
/// crash) must not apply anything twice.
pub type JobFn = for<'a> fn(&'a App, &'a JobRun) -> JobFuture<'a>;

/// Every job of domain §7.1, in the order of the spec. `None`: not available in this build.
const BUILTIN: [(&str, Option<JobFn>); 10] = [
    ("pending_payment_transition", Some(transitions::pending_payment_job)),
    ("paid_transition", Some(transitions::paid_job)),
    ("provider_payment_report", None),
    ("provider_payment_summary_report", None),
    ("individual_provider_reports", None),
    ("npi_sync", None),
    ("bug_tracker_sync", Some(sweeps::bug_tracker_sync_job)),
    ("document_archive", Some(sweeps::document_archive_job)),
    ("upload_cleanup", Some(sweeps::upload_cleanup_job)),
    ("audit_chain_verify", None),
];

/// A job as an object: what [`JobRegistry::register`] takes (test jobs, jobs whose code lives
/// outside `app`). Every [`JobFn`] is one.
#[async_trait]
pub trait Job: Send + Sync {
    async fn run(&self, app: &App, run: &JobRun) -> Result<JobReport, AppError>;
}

struct FnJob(JobFn);

#[async_trait]
impl Job for FnJob {
    async fn run(&self, app: &App, run: &JobRun) -> Result<JobReport, AppError> {
        (self.0)(app, run).await
    }
}

/// Why a job cannot run.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum JobLookupError {
    #[error("unknown job {0:?}")]
    Unknown(String),
    #[error("job {0:?} is not available in this build")]
    NotAvailable(String),
}

/// Job name → code.
#[derive(Clone)]
pub struct JobRegistry {
    jobs: BTreeMap<String, Option<Arc<dyn Job>>>,
}

impl std::fmt::Debug for JobRegistry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let jobs: BTreeMap<&str, bool> = self.jobs.iter().map(|(n, j)| (n.as_str(), j.is_some())).collect();
        f.debug_struct("JobRegistry").field("available", &jobs).finish()
    }
}

impl Default for JobRegistry {
    fn default() -> Self {
        Self::builtin()
    }
}

impl JobRegistry {
    /// The jobs of this build.
    pub fn builtin() -> Self {
        let jobs = BUILTIN
            .iter()
            .map(|(name, code)| ((*name).to_owned(), code.map(|f| Arc::new(FnJob(f)) as Arc<dyn Job>)))
            .collect();
        Self { jobs }
    }

    /// No job at all (tests that register their own).
    pub fn empty() -> Self {
        Self { jobs: BTreeMap::new() }
    }

    /// Registers `job` under `name`, replacing what was there.
    pub fn register(&mut self, name: impl Into<String>, job: Arc<dyn Job>) -> &mut Self {
        self.jobs.insert(name.into(), Some(job));
        self
    }

    /// Registers a job function under `name`.
    pub fn register_fn(&mut self, name: impl Into<String>, job: JobFn) -> &mut Self {
        self.register(name, Arc::new(FnJob(job)))
    }

    /// The code of `name`.
    pub fn get(&self, name: &str) -> Result<Arc<dyn Job>, JobLookupError> {
        match self.jobs.get(name) {
            Some(Some(job)) => Ok(Arc::clone(job)),
            Some(None) => Err(JobLookupError::NotAvailable(name.to_owned())),
            None => Err(JobLookupError::Unknown(name.to_owned())),
        }
    }

    pub fn is_available(&self, name: &str) -> bool {
        matches!(self.jobs.get(name), Some(Some(_)))
    }

    /// Every known job name, available or not, in name order.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.jobs.keys().map(String::as_str)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_knows_every_job_and_runs_the_transitions_and_sweeps() {
        let registry = JobRegistry::builtin();
        assert_eq!(registry.names().count(), 10);
        assert!(registry.is_available("pending_payment_transition"));
        assert!(registry.is_available("paid_transition"));
        for name in ["bug_tracker_sync", "document_archive", "upload_cleanup"] {
            assert!(registry.is_available(name), "{name}");
        }
        for name in ["provider_payment_report", "npi_sync", "audit_chain_verify"] {
            assert!(!registry.is_available(name), "{name}");
            assert_eq!(registry.get(name).err(), Some(JobLookupError::NotAvailable(name.to_owned())));
        }
        let err = registry.get("nightly_backup").err();
        assert_eq!(err.as_ref().map(ToString::to_string).as_deref(), Some("unknown job \"nightly_backup\""));
        assert_eq!(
            registry.get("npi_sync").err().map(|e| e.to_string()).as_deref(),
            Some("job \"npi_sync\" is not available in this build")
        );
    }

    #[test]
    fn registering_makes_a_job_available() {
        let mut registry = JobRegistry::empty();
        assert!(!registry.is_available("paid_transition"));
        registry.register_fn("paid_transition", transitions::paid_job);
        assert!(registry.is_available("paid_transition"));
        assert_eq!(registry.names().collect::<Vec<_>>(), vec!["paid_transition"]);
    }
}
