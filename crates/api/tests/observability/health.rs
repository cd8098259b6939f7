//! Health over the in-memory store, which can be switched off like a lost database.

use std::time::{Duration, Instant};

use surgicase_api::observability::ObservabilitySettings;

use crate::support::{call, get, seeded_memory, serve, state};

#[actix_web::test]
async fn health_reports_every_component_and_follows_the_database() {
    let (store, app) = seeded_memory().await;
    let settings = ObservabilitySettings {
        health_cache: Duration::from_millis(300),
        ..ObservabilitySettings::default()
    };
    let service = serve(state(app, settings)).await;

    let h = call(&service, get("/health")).await;
    assert_eq!(h.status, 200, "{}", h.raw);
    assert_eq!(h.body["status"], "healthy");
    assert_eq!(h.body["service"], "surgicase-api");
    assert_eq!(h.body["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(h.body["summary"]["total_services"], 3);
    let db = &h.body["components"]["database"];
    assert_eq!((db["status"].as_str(), db["critical"].as_bool()), (Some("healthy"), Some(true)));
    assert!(db["response_time_ms"].is_number() && db["message"] == "OK", "{db}");
    for name in ["object_store", "npi_registry"] {
        assert_eq!(h.body["components"][name]["critical"], false, "{name}");
    }
    assert!(h.body["timestamp"].as_str().unwrap().ends_with('Z'));
    let sys = call(&service, get("/health/system")).await;
    assert_eq!((sys.status, sys.body["status"].as_str()), (200, Some("healthy")));
    assert!(sys.body.get("components").is_none(), "{}", sys.raw);
    assert_eq!(call(&service, get("/health/ready")).await.body, serde_json::json!({"status": "ready"}));

    // The database goes away.
    store.set_unavailable(true);
    let started = Instant::now();
    let h = call(&service, get("/health")).await;
    assert!(started.elapsed() < Duration::from_secs(3));
    assert_eq!(h.status, 503, "{}", h.raw);
    assert_eq!((h.body["status"].as_str(), h.body["code"].as_str()), (Some("unhealthy"), Some("unhealthy")));
    assert_eq!(h.body["detail"], "Service unhealthy");
    assert!(h.body["request_id"].is_string());
    assert_eq!(h.body["components"]["database"]["status"], "unhealthy");
    assert_eq!(h.body["components"]["database"]["message"], "database unreachable");
    assert_eq!(h.body["summary"]["unhealthy"], 1);
    let ready = call(&service, get("/health/ready")).await;
    assert_eq!(ready.status, 503, "{}", ready.raw);
    assert_eq!(
        (ready.body["status"].as_str(), ready.body["code"].as_str()),
        (Some("not_ready"), Some("not_ready"))
    );
    let components = ready.body["components"].as_object().unwrap();
    assert_eq!(components.keys().collect::<Vec<_>>(), vec!["database"], "critical components only");
    // Liveness does not depend on the database.
    let live = call(&service, get("/health/live")).await;
    assert_eq!((live.status, live.body["status"].as_str()), (200, Some("alive")));
    assert_eq!(call(&service, get("/health/simple")).await.body["status"], "healthy");
    // /health refreshed the cache: /health/system says so at once.
    assert_eq!(call(&service, get("/health/system")).await.status, 503);

    // It comes back: everything recovers by itself.
    store.set_unavailable(false);
    assert_eq!(call(&service, get("/health")).await.status, 200);
    assert_eq!(call(&service, get("/health/ready")).await.status, 200);
}

#[actix_web::test]
async fn the_system_check_is_cached_but_never_for_long() {
    let (store, app) = seeded_memory().await;
    let settings = ObservabilitySettings {
        health_cache: Duration::from_millis(400),
        ..ObservabilitySettings::default()
    };
    let service = serve(state(app, settings)).await;
    assert_eq!(call(&service, get("/health/system")).await.status, 200);
    store.set_unavailable(true);
    // Within the cache time the last result stands…
    assert_eq!(call(&service, get("/health/system")).await.status, 200);
    // …and no longer.
    actix_web::rt::time::sleep(Duration::from_millis(450)).await;
    let sys = call(&service, get("/health/system")).await;
    assert_eq!((sys.status, sys.body["status"].as_str()), (503, Some("unhealthy")), "{}", sys.raw);
    store.set_unavailable(false);
    actix_web::rt::time::sleep(Duration::from_millis(450)).await;
    assert_eq!(call(&service, get("/health/system")).await.status, 200);
}

/// Load balancers probe every replica every few seconds: readiness costs at most one database
/// round trip per interval, however many probes arrive, and follows the database once the
/// interval has passed.
#[actix_web::test]
async fn readiness_pings_the_database_once_per_interval() {
    let (store, app) = seeded_memory().await;
    let settings =
        ObservabilitySettings { ready_cache: Duration::from_millis(400), ..ObservabilitySettings::default() };
    let service = serve(state(app, settings)).await;
    let before = store.pings();
    let probes = (0..20).map(|_| call(&service, get("/health/ready")));
    for answer in futures::future::join_all(probes).await {
        assert_eq!(answer.status, 200, "{}", answer.raw);
    }
    assert_eq!(store.pings() - before, 1, "20 probes within the interval");
    store.set_unavailable(true);
    assert_eq!(call(&service, get("/health/ready")).await.status, 200, "the last result stands");
    actix_web::rt::time::sleep(Duration::from_millis(450)).await;
    let ready = call(&service, get("/health/ready")).await;
    assert_eq!(ready.status, 503, "{}", ready.raw);
    assert_eq!(store.pings() - before, 2);
    store.set_unavailable(false);
    actix_web::rt::time::sleep(Duration::from_millis(450)).await;
    assert_eq!(call(&service, get("/health/ready")).await.status, 200);
}

#[test]
fn the_default_cache_is_five_seconds_at_most() {
    assert_eq!(ObservabilitySettings::default().ready_cache, Duration::from_secs(1));
    assert_eq!(ObservabilitySettings::default().health_cache, Duration::from_secs(5));
    let mut config = surgicase_config::Config::default();
    config.observability.health_cache_ms = 60_000;
    assert_eq!(ObservabilitySettings::from_config(&config).health_cache, Duration::from_secs(5));
}
