//! Replicas for the tests: a scheduler per store, each with its own clock and instance id,
//! and jobs that count their invocations.

use std::sync::{Arc, Mutex};
use std::time::Duration as StdDuration;

use async_trait::async_trait;
use chrono::{DateTime, Duration, Utc};
use surgicase_app::jobs::{Job, JobRegistry, JobReport, JobRun, JobSetting};
use surgicase_app::{App, AppError, AppSettings};
use surgicase_kernel::{Clock, FixedClock, Timestamp};
use surgicase_ports::{JobRunQuery, JobRunRecord, Store};
use surgicase_scheduler::{Scheduler, SchedulerSettings};
use surgicase_testkit::{MemoryObjectStore, StaticNpiRegistry};

pub fn ts(s: &str) -> Timestamp {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

/// Records every occurrence it runs (across all replicas sharing it).
#[derive(Default)]
pub struct Counting {
    pub calls: Mutex<Vec<(Timestamp, i32)>>,
}

impl Counting {
    pub fn occurrences(&self) -> Vec<Timestamp> {
        self.calls.lock().unwrap().iter().map(|(t, _)| *t).collect()
    }
}

#[async_trait]
impl Job for Counting {
    async fn run(&self, _app: &App, run: &JobRun) -> Result<JobReport, AppError> {
        self.calls.lock().unwrap().push((run.scheduled_for, run.attempt));
        Ok(JobReport::processed(1, serde_json::json!({ "counted": true })))
    }
}

/// Never ends (a replica that hangs, or dies mid-run when its task is aborted); notes it started.
#[derive(Default)]
pub struct Hanging {
    pub started: Mutex<Vec<Timestamp>>,
}

#[async_trait]
impl Job for Hanging {
    async fn run(&self, _app: &App, run: &JobRun) -> Result<JobReport, AppError> {
        self.started.lock().unwrap().push(run.scheduled_for);
        std::future::pending::<()>().await;
        Ok(JobReport::processed(0, serde_json::json!({})))
    }
}

/// Takes `0` of real time, then succeeds.
pub struct Slow(pub StdDuration);

#[async_trait]
impl Job for Slow {
    async fn run(&self, _app: &App, _run: &JobRun) -> Result<JobReport, AppError> {
        tokio::time::sleep(self.0).await;
        Ok(JobReport::processed(1, serde_json::json!({})))
    }
}

/// Always fails.
pub struct Failing;

#[async_trait]
impl Job for Failing {
    async fn run(&self, _app: &App, _run: &JobRun) -> Result<JobReport, AppError> {
        Err(AppError::internal("the report renderer is unavailable"))
    }
}

pub fn job(name: &str, schedule: &str, window_s: u64) -> JobSetting {
    JobSetting { name: name.into(), schedule: schedule.into(), enabled: true, catch_up_window_s: window_s }
}

/// One replica.
pub struct Replica {
    pub scheduler: Scheduler,
    pub clock: Arc<FixedClock>,
}

impl Replica {
    pub fn set(&self, at: Timestamp) {
        self.clock.set(at);
    }
}

/// A replica `instance` over `store` at `now`, running `registry`'s code for `jobs`.
pub fn replica(
    store: Arc<dyn Store>,
    instance: &str,
    now: Timestamp,
    registry: JobRegistry,
    jobs: Vec<JobSetting>,
) -> Replica {
    replica_with(store, instance, now, registry, SchedulerSettings::new(instance, jobs))
}

pub fn replica_with(
    store: Arc<dyn Store>,
    instance: &str,
    now: Timestamp,
    registry: JobRegistry,
    settings: SchedulerSettings,
) -> Replica {
    let clock = Arc::new(FixedClock::new(now));
    let app = App::new(
        store,
        Arc::new(MemoryObjectStore::new()),
        Arc::new(StaticNpiRegistry::new()),
        clock.clone() as Arc<dyn Clock>,
        AppSettings::default(),
    );
    let settings = SchedulerSettings { instance_id: instance.to_owned(), ..settings };
    Replica { scheduler: Scheduler::new(app, registry, settings).unwrap(), clock }
}

/// A registry with only `job` running `code`.
pub fn only(name: &str, code: Arc<dyn Job>) -> JobRegistry {
    let mut registry = JobRegistry::empty();
    registry.register(name, code);
    registry
}

/// Every row of `job`, oldest occurrence first.
pub async fn rows(store: &dyn Store, job: &str) -> Vec<JobRunRecord> {
    let query = JobRunQuery { job_name: Some(job.into()), limit: 1_000_000, ..JobRunQuery::default() };
    let mut rows = store.conn().await.unwrap().list_job_runs(&query).await.unwrap();
    rows.sort_by_key(|r| (r.scheduled_for, r.id));
    rows
}

/// `n` whole seconds after `t`.
pub fn plus(t: Timestamp, seconds: i64) -> Timestamp {
    t + Duration::seconds(seconds)
}

/// The stores of a race: `n` replicas' views of one database. `None` skips (no MariaDB; a
/// failure under `SURGICASE_TEST_REQUIRE_ALL=1`).
pub async fn sqlite_stores(n: usize) -> Vec<Arc<dyn Store>> {
    surgicase_store::testing::sqlite_db_stores(n)
        .await
        .into_iter()
        .map(|s| Arc::new(s) as Arc<dyn Store>)
        .collect()
}

pub async fn mysql_stores(n: usize) -> Option<Vec<Arc<dyn Store>>> {
    let stores = surgicase_store::testing::mysql_db_stores(n).await?;
    Some(stores.into_iter().map(|s| Arc::new(s) as Arc<dyn Store>).collect())
}

pub fn memory_stores(n: usize) -> Vec<Arc<dyn Store>> {
    let store = surgicase_testkit::MemoryStore::new();
    (0..n).map(|_| Arc::new(store.clone()) as Arc<dyn Store>).collect()
}
