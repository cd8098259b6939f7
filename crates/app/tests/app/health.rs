//! The health checks of the ports the use cases hold.

use std::sync::Arc;

use surgicase_app::health::HealthStatus;
use surgicase_kernel::Clock;
use surgicase_ports::bugs::TrackerError;
use surgicase_testkit::bugs::{FakeMode, FakeTracker};

use crate::world::World;

#[tokio::test]
async fn components_follow_their_ports() {
    let w = World::new().await;
    let checker = w.app.health_checker();
    let report = checker.run(false, w.clock.now()).await;
    let names: Vec<&str> = report.components.iter().map(|c| c.name).collect();
    assert_eq!(names, vec!["database", "object_store", "npi_registry"]);
    assert_eq!(report.status, HealthStatus::Healthy);
    assert!(report.components.iter().all(|c| c.message == "OK"));
    assert_eq!(report.components.iter().filter(|c| c.critical).count(), 1);

    // The database goes away: unhealthy and not ready; it comes back: healthy again.
    w.store.set_unavailable(true);
    let report = checker.run(false, w.clock.now()).await;
    assert_eq!(report.status, HealthStatus::Unhealthy);
    assert!(!report.ready());
    assert_eq!(report.components[0].message, "database unreachable");
    assert_eq!(report.summary.unhealthy, 1);
    w.store.set_unavailable(false);
    assert_eq!(checker.run(true, w.clock.now()).await.status, HealthStatus::Healthy);
}

#[tokio::test]
async fn a_configured_tracker_is_checked_and_not_critical() {
    let w = World::new().await;
    let tracker = FakeTracker::new();
    let app = w.app.clone().with_bug_tracker(Arc::new(tracker.clone()));
    tracker.set_mode(FakeMode::Down(TrackerError::Server(502)));
    let report = app.health_checker().run(false, w.clock.now()).await;
    let c = report.components.iter().find(|c| c.name == "bug_tracker").expect("bug_tracker");
    assert_eq!(
        (c.status, c.critical, c.message.as_str()),
        (HealthStatus::Unhealthy, false, "bug tracker: server_error")
    );
    assert_eq!(report.status, HealthStatus::Degraded);
    assert!(report.ready());
}

/// A secret source that can be taken away.
struct Secrets(std::sync::atomic::AtomicBool);

#[async_trait::async_trait]
impl surgicase_ports::SecretSource for Secrets {
    async fn get_json(
        &self,
        name: &str,
    ) -> Result<surgicase_ports::SecretValue, surgicase_ports::SecretError> {
        if self.0.load(std::sync::atomic::Ordering::SeqCst) {
            Ok(surgicase_ports::SecretValue::new(serde_json::json!({"password": "hunter2"})))
        } else {
            Err(surgicase_ports::SecretError::Unavailable(format!("{name}: connection refused")))
        }
    }
    fn invalidate(&self, _name: &str) {}
    fn kind(&self) -> &'static str {
        "test"
    }
}

#[tokio::test]
async fn the_secret_source_is_checked_and_not_critical() {
    let w = World::new().await;
    let source = Arc::new(Secrets(std::sync::atomic::AtomicBool::new(true)));
    let probe = surgicase_app::SecretsProbe::new(source.clone(), vec!["surgicase/db".into()]);
    let app = w.app.clone().with_health_probe(Arc::new(probe));
    let checker = app.health_checker();
    let report = checker.run(false, w.clock.now()).await;
    let c = report.components.iter().find(|c| c.name == "secrets").expect("secrets");
    assert_eq!((c.status, c.critical), (HealthStatus::Healthy, false));

    source.0.store(false, std::sync::atomic::Ordering::SeqCst);
    let report = checker.run(false, w.clock.now()).await;
    let c = report.components.iter().find(|c| c.name == "secrets").expect("secrets");
    assert_eq!((c.status, c.message.as_str()), (HealthStatus::Unhealthy, "secret source unavailable"));
    assert_eq!(report.status, HealthStatus::Degraded);
    assert!(report.ready());
}
