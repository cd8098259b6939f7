//! The scheduler service (domain §7): runs every job occurrence exactly once across any number
//! of replicas.
//!
//! - A job occurrence `(job, scheduled_for)` is claimed by inserting its `job_runs` row
//!   ([`Scheduler::run_occurrence`]); the unique key lets one replica win. The holder renews its
//!   lease every third of its length while the job runs and writes the end (succeeded/failed,
//!   counts, error text). A replica that dies leaves a lease that expires; another replica
//!   takes the row over ([`Scheduler::take_over_expired`], attempt + 1, `abandoned` after 3).
//! - At start-up, missed occurrences are caught up ([`Scheduler::catch_up`]): within the job's
//!   window they run (trigger `catch_up`, oldest first), older ones get a `skipped` row.
//! - [`Scheduler::serve`] then runs one loop per enabled job and a take-over sweep until the
//!   [`Shutdown`] signal; a job running at shutdown may finish within the grace period, else its
//!   claim is released for another replica.
//! - Jobs are code in `surgicase_app::jobs`, reached through its one [`JobRegistry`].
//!
//! The `cli` module is the `surgicase-scheduler` command line (`serve`, `run JOB`, `list`,
//! `config`); [`server`] is its own small listener for `/metrics` and `/health/live`.

pub mod catch_up;
pub mod cli;
pub mod metrics;
pub mod server;

mod error;
mod plan;
mod runner;
mod service;
mod settings;
mod shutdown;

pub use catch_up::{CatchUpPlan, CatchUpReport, plan_catch_up};
pub use error::SchedulerError;
pub use plan::PlannedJob;
pub use runner::{RunResult, Scheduler};
pub use settings::{LOOK_BACK, MAX_ATTEMPTS, SchedulerSettings, default_instance_id};
pub use shutdown::{Shutdown, ShutdownTrigger, shutdown_pair};
pub use surgicase_app::jobs::{Job, JobRegistry, JobReport, JobRun};
