//! The operational side of [`App`]: the bug tracker, the health probes of every port, and the
//! request-log switch. Set with the `with_*` builders; the defaults keep everything local.

use std::sync::Arc;

use async_trait::async_trait;
use surgicase_kernel::Timestamp;
use surgicase_ports::bugs::{BugTracker, TrackerError, TrackerTask};
use surgicase_ports::{NpiRegistry, ObjectStore, SecretSource, Store};

use crate::App;
use crate::health::{ComponentKind, HealthChecker, HealthProbe};

/// What [`App`] holds for operations.
#[derive(Clone)]
pub(crate) struct Ops {
    pub bug_tracker: Arc<dyn BugTracker>,
    /// Probes of components the use cases do not hold (secrets source, mail).
    pub extra_probes: Vec<Arc<dyn HealthProbe>>,
    /// `observability.request_log_table`.
    pub request_log_table: bool,
}

impl Default for Ops {
    fn default() -> Self {
        Self { bug_tracker: Arc::new(NoTracker), extra_probes: Vec::new(), request_log_table: false }
    }
}

/// No tracker configured: reports are kept locally (`sync_state = disabled`).
#[derive(Debug, Clone, Copy)]
struct NoTracker;

#[async_trait]
impl BugTracker for NoTracker {
    fn enabled(&self) -> bool {
        false
    }

    async fn create_task(&self, _task: &TrackerTask) -> Result<String, TrackerError> {
        Err(TrackerError::Disabled)
    }

    async fn find_task(&self, _name: &str, _after: Timestamp) -> Result<Option<String>, TrackerError> {
        Err(TrackerError::Disabled)
    }

    async fn ping(&self) -> Result<(), TrackerError> {
        Ok(())
    }
}

impl App {
    /// Pushes bug reports to `tracker` (reports stay local while it is not `enabled`).
    pub fn with_bug_tracker(mut self, tracker: Arc<dyn BugTracker>) -> Self {
        self.ops.bug_tracker = tracker;
        self
    }

    /// Adds the health check of a component the use cases do not hold (secrets, mail).
    pub fn with_health_probe(mut self, probe: Arc<dyn HealthProbe>) -> Self {
        self.ops.extra_probes.push(probe);
        self
    }

    /// Stores request logs (`observability.request_log_table`).
    pub fn with_request_log_table(mut self, enabled: bool) -> Self {
        self.ops.request_log_table = enabled;
        self
    }

    pub fn bug_tracker(&self) -> &Arc<dyn BugTracker> {
        &self.ops.bug_tracker
    }

    pub fn request_log_table(&self) -> bool {
        self.ops.request_log_table
    }

    /// The checks of `/health`: the database (critical), the object store, the NPI registry,
    /// the bug tracker when one is configured, then the extra probes.
    pub fn health_checker(&self) -> HealthChecker {
        let mut probes: Vec<Arc<dyn HealthProbe>> = vec![
            Arc::new(DatabaseProbe(Arc::clone(&self.store))),
            Arc::new(ObjectStoreProbe(Arc::clone(&self.objects))),
            Arc::new(NpiProbe(Arc::clone(&self.npi))),
        ];
        if self.ops.bug_tracker.enabled() {
            probes.push(Arc::new(TrackerProbe(Arc::clone(&self.ops.bug_tracker))));
        }
        probes.extend(self.ops.extra_probes.iter().cloned());
        HealthChecker::new(probes)
    }
}

/// A probe's failure: the cause goes to the log, a fixed word to the public answer.
fn failed(component: &'static str, public: &str, cause: &dyn std::fmt::Display) -> String {
    tracing::warn!(component, cause = %cause, "health check failed");
    public.to_owned()
}

struct DatabaseProbe(Arc<dyn Store>);

#[async_trait]
impl HealthProbe for DatabaseProbe {
    fn name(&self) -> &'static str {
        "database"
    }
    fn critical(&self) -> bool {
        true
    }
    fn kind(&self) -> ComponentKind {
        ComponentKind::Database
    }
    async fn check(&self) -> Result<(), String> {
        self.0.ping().await.map_err(|e| {
            let public = if e.is_unavailable() { "database unreachable" } else { "database error" };
            failed("database", public, &e)
        })
    }
}

struct ObjectStoreProbe(Arc<dyn ObjectStore>);

#[async_trait]
impl HealthProbe for ObjectStoreProbe {
    fn name(&self) -> &'static str {
        "object_store"
    }
    fn critical(&self) -> bool {
        false
    }
    fn kind(&self) -> ComponentKind {
        ComponentKind::Service
    }
    async fn check(&self) -> Result<(), String> {
        self.0.ping().await.map_err(|e| failed("object_store", "object store unreachable", &e))
    }
}

struct NpiProbe(Arc<dyn NpiRegistry>);

#[async_trait]
impl HealthProbe for NpiProbe {
    fn name(&self) -> &'static str {
        "npi_registry"
    }
    fn critical(&self) -> bool {
        false
    }
    fn kind(&self) -> ComponentKind {
        ComponentKind::Service
    }
    async fn check(&self) -> Result<(), String> {
        self.0.ping().await.map_err(|e| failed("npi_registry", "NPI registry unreachable", &e))
    }
}

struct TrackerProbe(Arc<dyn BugTracker>);

#[async_trait]
impl HealthProbe for TrackerProbe {
    fn name(&self) -> &'static str {
        "bug_tracker"
    }
    fn critical(&self) -> bool {
        false
    }
    fn kind(&self) -> ComponentKind {
        ComponentKind::Service
    }
    async fn check(&self) -> Result<(), String> {
        self.0.ping().await.map_err(|e| failed("bug_tracker", &format!("bug tracker: {}", e.outcome()), &e))
    }
}

/// The secret source: reads the secrets the service uses (through the source's cache, so a
/// check costs a remote call at most once per TTL). Not critical: what was read at start-up
/// keeps working while the source is away.
pub struct SecretsProbe {
    source: Arc<dyn SecretSource>,
    names: Vec<String>,
}

impl SecretsProbe {
    /// Checks that every one of `names` can be read from `source`.
    pub fn new(source: Arc<dyn SecretSource>, names: Vec<String>) -> Self {
        Self { source, names }
    }
}

#[async_trait]
impl HealthProbe for SecretsProbe {
    fn name(&self) -> &'static str {
        "secrets"
    }
    fn critical(&self) -> bool {
        false
    }
    fn kind(&self) -> ComponentKind {
        ComponentKind::Service
    }
    async fn check(&self) -> Result<(), String> {
        for name in &self.names {
            // The error names the secret, never its value.
            self.source
                .get_json(name)
                .await
                .map_err(|e| failed("secrets", "secret source unavailable", &e))?;
        }
        Ok(())
    }
}
