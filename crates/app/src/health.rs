//! Component health (api.md §11): the grading rules as pure functions, and [`HealthChecker`],
//! which runs every probe at once, each bounded by its own timeout, so no check can hang.

use std::sync::Arc;
use std::time::{Duration, Instant};

use async_trait::async_trait;
use surgicase_kernel::Timestamp;

/// The status of a component or of the whole service.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum HealthStatus {
    Healthy,
    Degraded,
    Unhealthy,
}

impl HealthStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Healthy => "healthy",
            Self::Degraded => "degraded",
            Self::Unhealthy => "unhealthy",
        }
    }
}

/// Which latency grading and timeout a component gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ComponentKind {
    /// The database: healthy ≤ 500 ms, degraded ≤ 2000 ms, timeout 2 s.
    Database,
    /// Any other service: healthy ≤ 1000 ms, degraded ≤ 3000 ms, timeout 3 s.
    Service,
}

/// Latency limits of one kind of component.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Grading {
    pub healthy_within: Duration,
    pub degraded_within: Duration,
    /// The check is abandoned (and the component unhealthy) after this long.
    pub timeout: Duration,
}

impl ComponentKind {
    pub fn grading(self) -> Grading {
        match self {
            Self::Database => Grading {
                healthy_within: Duration::from_millis(500),
                degraded_within: Duration::from_millis(2000),
                timeout: Duration::from_secs(2),
            },
            Self::Service => Grading {
                healthy_within: Duration::from_millis(1000),
                degraded_within: Duration::from_millis(3000),
                timeout: Duration::from_secs(3),
            },
        }
    }
}

/// What one probe found, before grading.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProbeOutcome {
    /// The round trip succeeded.
    Answered,
    /// The component answered with a failure; the text is public (no internals).
    Failed(String),
    /// No answer within the timeout.
    TimedOut,
}

/// The status of a component from its probe's outcome and latency.
pub fn grade(kind: ComponentKind, outcome: &ProbeOutcome, elapsed: Duration) -> HealthStatus {
    let g = kind.grading();
    match outcome {
        ProbeOutcome::Failed(_) | ProbeOutcome::TimedOut => HealthStatus::Unhealthy,
        ProbeOutcome::Answered if elapsed <= g.healthy_within => HealthStatus::Healthy,
        ProbeOutcome::Answered if elapsed <= g.degraded_within => HealthStatus::Degraded,
        ProbeOutcome::Answered => HealthStatus::Unhealthy,
    }
}

/// The short message shown with a graded component.
pub fn message(
    kind: ComponentKind,
    outcome: &ProbeOutcome,
    status: HealthStatus,
    elapsed: Duration,
) -> String {
    let ms = elapsed.as_millis();
    match (outcome, status) {
        (ProbeOutcome::Failed(why), _) => why.clone(),
        (ProbeOutcome::TimedOut, _) => format!("no answer within {} ms", kind.grading().timeout.as_millis()),
        (ProbeOutcome::Answered, HealthStatus::Healthy) => "OK".to_owned(),
        (ProbeOutcome::Answered, _) => format!("slow: answered in {ms} ms"),
    }
}

/// One graded component.
#[derive(Debug, Clone, PartialEq)]
pub struct ComponentReport {
    /// `database`, `object_store`, `npi_registry`, `bug_tracker`, …
    pub name: &'static str,
    pub status: HealthStatus,
    pub critical: bool,
    /// Milliseconds, two decimals.
    pub response_time_ms: f64,
    pub message: String,
}

/// The service's status: `unhealthy` when a critical component is unhealthy; `degraded` when
/// any component is degraded or a non-critical one unhealthy; else `healthy`.
pub fn overall(components: &[ComponentReport]) -> HealthStatus {
    if components.iter().any(|c| c.critical && c.status == HealthStatus::Unhealthy) {
        HealthStatus::Unhealthy
    } else if components.iter().any(|c| c.status != HealthStatus::Healthy) {
        HealthStatus::Degraded
    } else {
        HealthStatus::Healthy
    }
}

/// Whether the service can take traffic: no critical component is unhealthy.
pub fn ready(components: &[ComponentReport]) -> bool {
    !components.iter().any(|c| c.critical && c.status == HealthStatus::Unhealthy)
}

/// How many components are in each state.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Summary {
    pub total_services: usize,
    pub healthy: usize,
    pub degraded: usize,
    pub unhealthy: usize,
}

pub fn summarize(components: &[ComponentReport]) -> Summary {
    let count = |s: HealthStatus| components.iter().filter(|c| c.status == s).count();
    Summary {
        total_services: components.len(),
        healthy: count(HealthStatus::Healthy),
        degraded: count(HealthStatus::Degraded),
        unhealthy: count(HealthStatus::Unhealthy),
    }
}

/// One run of every probe.
#[derive(Debug, Clone, PartialEq)]
pub struct HealthReport {
    pub status: HealthStatus,
    pub checked_at: Timestamp,
    /// How long the whole run took, in milliseconds.
    pub response_time_ms: f64,
    pub summary: Summary,
    pub components: Vec<ComponentReport>,
}

impl HealthReport {
    pub fn ready(&self) -> bool {
        ready(&self.components)
    }
}

/// Milliseconds with two decimals.
pub fn millis(elapsed: Duration) -> f64 {
    (elapsed.as_secs_f64() * 100_000.0).round() / 100.0
}

/// One component's check: a single cheap round trip.
#[async_trait]
pub trait HealthProbe: Send + Sync {
    fn name(&self) -> &'static str;
    /// Whether the service is unhealthy (and not ready) without it.
    fn critical(&self) -> bool;
    fn kind(&self) -> ComponentKind;
    /// `Err` carries a short public message; probes log the details themselves.
    async fn check(&self) -> Result<(), String>;
}

/// Runs probes; cheap to clone.
#[derive(Clone, Default)]
pub struct HealthChecker {
    probes: Vec<Arc<dyn HealthProbe>>,
}

impl std::fmt::Debug for HealthChecker {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let names: Vec<&str> = self.probes.iter().map(|p| p.name()).collect();
        f.debug_struct("HealthChecker").field("probes", &names).finish()
    }
}

impl HealthChecker {
    pub fn new(probes: Vec<Arc<dyn HealthProbe>>) -> Self {
        Self { probes }
    }

    pub fn probes(&self) -> &[Arc<dyn HealthProbe>] {
        &self.probes
    }

    /// Runs one probe within its timeout and grades it.
    pub async fn check_one(probe: &dyn HealthProbe) -> ComponentReport {
        let kind = probe.kind();
        let started = Instant::now();
        let outcome = match tokio::time::timeout(kind.grading().timeout, probe.check()).await {
            Ok(Ok(())) => ProbeOutcome::Answered,
            Ok(Err(why)) => ProbeOutcome::Failed(why),
            Err(_) => ProbeOutcome::TimedOut,
        };
        let elapsed = started.elapsed();
        let status = grade(kind, &outcome, elapsed);
        if status != HealthStatus::Healthy {
            tracing::warn!(
                component = probe.name(),
                status = status.as_str(),
                elapsed_ms = elapsed.as_millis() as u64,
                "health check"
            );
        }
        ComponentReport {
            name: probe.name(),
            status,
            critical: probe.critical(),
            response_time_ms: millis(elapsed),
            message: message(kind, &outcome, status, elapsed),
        }
    }

    /// Every probe, or only the critical ones, at once.
    pub async fn run(&self, critical_only: bool, now: Timestamp) -> HealthReport {
        let started = Instant::now();
        let checks = self
            .probes
            .iter()
            .filter(|p| !critical_only || p.critical())
            .map(|p| async move { Self::check_one(p.as_ref()).await });
        let components = futures::future::join_all(checks).await;
        HealthReport {
            status: overall(&components),
            checked_at: now,
            response_time_ms: millis(started.elapsed()),
            summary: summarize(&components),
            components,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(n: u64) -> Duration {
        Duration::from_millis(n)
    }

    #[test]
    fn latency_grading() {
        use ComponentKind::*;
        use HealthStatus::*;
        let ok = ProbeOutcome::Answered;
        let table = [
            (Database, &ok, 0, Healthy),
            (Database, &ok, 500, Healthy),
            (Database, &ok, 501, Degraded),
            (Database, &ok, 2000, Degraded),
            (Database, &ok, 2001, Unhealthy),
            (Service, &ok, 1000, Healthy),
            (Service, &ok, 1001, Degraded),
            (Service, &ok, 3000, Degraded),
            (Service, &ok, 3001, Unhealthy),
            (Database, &ProbeOutcome::TimedOut, 2000, Unhealthy),
            (Service, &ProbeOutcome::Failed("down".into()), 1, Unhealthy),
        ];
        for (kind, outcome, elapsed, expected) in table {
            assert_eq!(grade(kind, outcome, ms(elapsed)), expected, "{kind:?} {outcome:?} {elapsed}");
        }
        assert_eq!(Database.grading().timeout, Duration::from_secs(2));
        assert_eq!(Service.grading().timeout, Duration::from_secs(3));
    }

    #[test]
    fn messages() {
        let k = ComponentKind::Database;
        assert_eq!(message(k, &ProbeOutcome::Answered, HealthStatus::Healthy, ms(3)), "OK");
        assert_eq!(
            message(k, &ProbeOutcome::Answered, HealthStatus::Degraded, ms(700)),
            "slow: answered in 700 ms"
        );
        assert_eq!(
            message(k, &ProbeOutcome::TimedOut, HealthStatus::Unhealthy, ms(2000)),
            "no answer within 2000 ms"
        );
        assert_eq!(
            message(k, &ProbeOutcome::Failed("unreachable".into()), HealthStatus::Unhealthy, ms(1)),
            "unreachable"
        );
    }

    fn c(name: &'static str, critical: bool, status: HealthStatus) -> ComponentReport {
        ComponentReport { name, status, critical, response_time_ms: 1.0, message: String::new() }
    }

    #[test]
    fn overall_status_and_readiness() {
        use HealthStatus::*;
        let table: Vec<(Vec<ComponentReport>, HealthStatus, bool)> = vec![
            (vec![], Healthy, true),
            (vec![c("database", true, Healthy), c("npi_registry", false, Healthy)], Healthy, true),
            (vec![c("database", true, Healthy), c("npi_registry", false, Degraded)], Degraded, true),
            (vec![c("database", true, Degraded), c("npi_registry", false, Healthy)], Degraded, true),
            (vec![c("database", true, Healthy), c("npi_registry", false, Unhealthy)], Degraded, true),
            (vec![c("database", true, Unhealthy), c("npi_registry", false, Healthy)], Unhealthy, false),
            (vec![c("database", true, Unhealthy), c("npi_registry", false, Unhealthy)], Unhealthy, false),
        ];
        for (components, status, is_ready) in table {
            assert_eq!(overall(&components), status, "{components:?}");
            assert_eq!(ready(&components), is_ready, "{components:?}");
        }
        let s = summarize(&[
            c("a", true, Healthy),
            c("b", false, Degraded),
            c("d", false, Unhealthy),
            c("e", false, Unhealthy),
        ]);
        assert_eq!(s, Summary { total_services: 4, healthy: 1, degraded: 1, unhealthy: 2 });
    }

    #[test]
    fn milliseconds_have_two_decimals() {
        assert_eq!(millis(Duration::from_micros(1234)), 1.23);
        assert_eq!(millis(Duration::from_micros(1235)), 1.24);
        assert_eq!(millis(Duration::ZERO), 0.0);
    }

    struct Slow(Duration, Result<(), String>, bool);

    #[async_trait]
    impl HealthProbe for Slow {
        fn name(&self) -> &'static str {
            if self.2 { "database" } else { "npi_registry" }
        }
        fn critical(&self) -> bool {
            self.2
        }
        fn kind(&self) -> ComponentKind {
            if self.2 { ComponentKind::Database } else { ComponentKind::Service }
        }
        async fn check(&self) -> Result<(), String> {
            tokio::time::sleep(self.0).await;
            self.1.clone()
        }
    }

    #[tokio::test]
    async fn probes_run_at_once_and_never_hang() {
        let checker = HealthChecker::new(vec![
            Arc::new(Slow(Duration::from_secs(3600), Ok(()), true)),
            Arc::new(Slow(ms(10), Err("refused".into()), false)),
        ]);
        let started = Instant::now();
        let report = checker.run(false, chrono::Utc::now()).await;
        // Both run at once: the hanging database is cut at its 2 s timeout.
        let took = started.elapsed();
        assert!(took >= Duration::from_secs(2) && took < Duration::from_millis(2900), "{took:?}");
        assert_eq!(report.status, HealthStatus::Unhealthy);
        assert!(!report.ready());
        assert_eq!(report.components[0].message, "no answer within 2000 ms");
        assert_eq!(report.components[1].message, "refused");
        let critical = checker.run(true, chrono::Utc::now()).await;
        assert_eq!(critical.components.len(), 1);
    }
}
