//! Observability and bug intake (api.md §10–§11): the metrics middleware and recorder, the
//! health, metrics, bug and client-log routes, and the background tasks of the API process
//! (bug-tracker retries, request-log batches, a separate metrics listener).
//!
//! [`Observability`] is the per-process state these share; [`crate::AppState`] holds it.

pub mod background;
pub mod bugs;
pub mod health;
pub mod http_metrics;
pub mod hub;
pub mod log_request;
pub mod metrics_routes;
pub mod system;

use std::sync::Arc;
use std::time::{Duration, Instant};

use surgicase_app::health::{HealthChecker, HealthReport};
use surgicase_config::Config;
use surgicase_kernel::Timestamp;
use surgicase_ports::request_logs::RequestLogRecord;

pub use hub::MetricsHub;
pub use log_request::RequestLogSink;

use actix_web::{HttpRequest, web};

use crate::errors::ApiError;
use crate::state::AppState;

/// The state of the app serving `req`.
pub(crate) fn state(req: &HttpRequest) -> Result<web::Data<AppState>, ApiError> {
    req.app_data::<web::Data<AppState>>()
        .cloned()
        .ok_or_else(|| ApiError::internal("AppState is not registered"))
}

/// The database pool, as `/metrics` and `/metrics/summary` show it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PoolSnapshot {
    pub size: usize,
    pub idle: usize,
    pub in_use: usize,
    pub max: usize,
}

/// Reads the pool's state (the runtime's `DbStore::pool_status`).
pub type PoolReader = Arc<dyn Fn() -> PoolSnapshot + Send + Sync>;

/// What the observability routes need to know from the configuration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObservabilitySettings {
    /// `metrics.public`: serve `/metrics` and `/metrics/*` on the API listener.
    pub metrics_public: bool,
    /// `observability.health_cache_ms`: how long `/health/system` reuses a result (≤ 5 s).
    pub health_cache: Duration,
    /// `observability.ready_cache_ms`: how long `/health/ready` reuses a result (≤ 5 s).
    pub ready_cache: Duration,
    /// How often the API retries pending bug reports; `None`: never (the scheduler does).
    pub bug_sync_every: Option<Duration>,
}

impl Default for ObservabilitySettings {
    fn default() -> Self {
        Self::from_config(&Config::default())
    }
}

impl ObservabilitySettings {
    pub fn from_config(config: &Config) -> Self {
        let bugs = &config.bugs;
        let tracker = bugs.tracker != surgicase_config::BugTrackerKind::Local;
        Self {
            metrics_public: config.metrics.public,
            health_cache: Duration::from_millis(config.observability.health_cache_ms.min(5000)),
            ready_cache: Duration::from_millis(config.observability.ready_cache_ms.min(5000)),
            bug_sync_every: (tracker && bugs.background_sync)
                .then(|| Duration::from_secs(bugs.sync_interval_s.max(1))),
        }
    }
}

/// A probe's last result, reused for at most the configured time.
#[derive(Debug, Default)]
struct HealthCache {
    last: tokio::sync::Mutex<Option<(Instant, HealthReport)>>,
}

impl HealthCache {
    /// The last result if younger than `ttl`, else a new one from `check`. One check runs at
    /// a time; callers arriving meanwhile wait for its result.
    async fn reuse<F>(&self, ttl: Duration, check: F) -> HealthReport
    where
        F: Future<Output = HealthReport>,
    {
        let mut last = self.last.lock().await;
        if let Some((at, report)) = last.as_ref()
            && at.elapsed() < ttl
        {
            return report.clone();
        }
        let report = check.await;
        *last = Some((Instant::now(), report.clone()));
        report
    }

    /// Replaces the last result with a fresher one, unless a check is storing its own.
    fn refresh(&self, report: &HealthReport) {
        if let Ok(mut last) = self.last.try_lock() {
            *last = Some((Instant::now(), report.clone()));
        }
    }
}

/// The observability state of one API process (shared by its workers).
pub struct Observability {
    pub settings: ObservabilitySettings,
    pub hub: &'static MetricsHub,
    pool: Option<PoolReader>,
    /// `/health/system`'s: every component.
    health_cache: HealthCache,
    /// `/health/ready`'s: the critical components at least.
    ready_cache: HealthCache,
    started: Instant,
    request_logs: Option<RequestLogSink>,
    /// The writer's end of `request_logs`, taken once by [`background::start`].
    request_log_rx: std::sync::Mutex<Option<tokio::sync::mpsc::Receiver<RequestLogRecord>>>,
}

impl std::fmt::Debug for Observability {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Observability").field("settings", &self.settings).finish_non_exhaustive()
    }
}

impl Default for Observability {
    fn default() -> Self {
        Self::new(ObservabilitySettings::default())
    }
}

impl Observability {
    /// The process's hub (installed on first use), no pool reader, no request-log table.
    pub fn new(settings: ObservabilitySettings) -> Self {
        Self {
            settings,
            hub: MetricsHub::global(),
            pool: None,
            health_cache: HealthCache::default(),
            ready_cache: HealthCache::default(),
            started: Instant::now(),
            request_logs: None,
            request_log_rx: std::sync::Mutex::new(None),
        }
    }

    /// The state of a served process: settings from `config`, the runtime's database pool, and
    /// the request-log queue when `observability.request_log_table` is on.
    pub fn for_runtime(config: &Config, runtime: &surgicase_runtime::Runtime) -> Self {
        let db = Arc::clone(&runtime.db);
        let obs = Self::new(ObservabilitySettings::from_config(config)).with_pool(Arc::new(move || {
            let s = db.pool_status();
            PoolSnapshot {
                size: s.size,
                idle: s.available,
                in_use: s.size.saturating_sub(s.available),
                max: s.max_size,
            }
        }));
        if config.observability.request_log_table { obs.with_request_logs() } else { obs }
    }

    /// Shows the database pool (gauges and `/metrics/database`).
    pub fn with_pool(mut self, pool: PoolReader) -> Self {
        self.pool = Some(pool);
        self
    }

    /// Writes one `request_logs` row per request, in batches, once [`background::start`] runs.
    pub fn with_request_logs(mut self) -> Self {
        let (sink, rx) = RequestLogSink::channel();
        self.request_logs = Some(sink);
        self.request_log_rx = std::sync::Mutex::new(Some(rx));
        self
    }

    /// The receiving end of the request-log queue (once).
    pub fn take_request_log_receiver(&self) -> Option<tokio::sync::mpsc::Receiver<RequestLogRecord>> {
        match self.request_log_rx.lock() {
            Ok(mut rx) => rx.take(),
            Err(poisoned) => poisoned.into_inner().take(),
        }
    }

    pub fn pool(&self) -> Option<PoolSnapshot> {
        self.pool.as_ref().map(|read| read())
    }

    pub fn request_logs(&self) -> Option<&RequestLogSink> {
        self.request_logs.as_ref()
    }

    pub fn uptime(&self) -> Duration {
        self.started.elapsed()
    }

    /// Sets the pool gauges from the pool's current state.
    pub fn update_pool_gauges(&self) {
        if let Some(p) = self.pool() {
            metrics::gauge!(hub::POOL_CONNECTIONS, "state" => "idle").set(p.idle as f64);
            metrics::gauge!(hub::POOL_CONNECTIONS, "state" => "in_use").set(p.in_use as f64);
            metrics::gauge!(hub::POOL_MAX).set(p.max as f64);
        }
    }

    /// Every component, checked now (`/health`); the result also refreshes both caches.
    pub async fn check_now(&self, checker: &HealthChecker, now: Timestamp) -> HealthReport {
        let report = checker.run(false, now).await;
        self.health_cache.refresh(&report);
        self.ready_cache.refresh(&report);
        report
    }

    /// Every component, from a result at most `health_cache` old (`/health/system`).
    pub async fn check_cached(&self, checker: &HealthChecker, now: Timestamp) -> HealthReport {
        self.health_cache.reuse(self.settings.health_cache, checker.run(false, now)).await
    }

    /// The critical components (and maybe more: a `/health` result counts), from a result at
    /// most `ready_cache` old (`/health/ready`): load balancers probe every replica every few
    /// seconds, and each costs at most one database round trip per interval.
    pub async fn check_ready_cached(&self, checker: &HealthChecker, now: Timestamp) -> HealthReport {
        self.ready_cache.reuse(self.settings.ready_cache, checker.run(true, now)).await
    }
}
