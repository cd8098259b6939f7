//! The scheduler's own small HTTP listener: `/metrics` (Prometheus text) and `/health/live`.

use std::net::SocketAddr;
use std::sync::Arc;

use actix_web::dev::Server;
use actix_web::{App, HttpResponse, HttpServer, web};
use metrics_exporter_prometheus::PrometheusHandle;
use serde_json::json;
use surgicase_kernel::Clock;
use surgicase_kernel::time::format_timestamp;

/// What the handlers read.
#[derive(Clone)]
pub struct ListenerState {
    /// `None`: no recorder installed (an empty page).
    pub metrics: Option<PrometheusHandle>,
    pub clock: Arc<dyn Clock>,
}

async fn metrics_page(state: web::Data<ListenerState>) -> HttpResponse {
    let body = state.metrics.as_ref().map(PrometheusHandle::render).unwrap_or_default();
    HttpResponse::Ok().content_type("text/plain; version=0.0.4; charset=utf-8").body(body)
}

async fn live(state: web::Data<ListenerState>) -> HttpResponse {
    HttpResponse::Ok().json(json!({ "status": "alive", "timestamp": format_timestamp(state.clock.now()) }))
}

async fn not_found() -> HttpResponse {
    HttpResponse::NotFound().json(json!({ "detail": "Not found", "code": "route_not_found" }))
}

/// The routes, for the server and for tests.
pub fn configure(state: ListenerState) -> impl FnOnce(&mut web::ServiceConfig) {
    move |cfg| {
        cfg.app_data(web::Data::new(state))
            .route("/metrics", web::get().to(metrics_page))
            .route("/health/live", web::get().to(live))
            .default_service(web::to(not_found));
    }
}

/// Binds `bind` and returns the running server (stop it with its handle). One worker: the
/// pages are tiny. Signals are the scheduler's to handle.
pub fn start(bind: SocketAddr, state: ListenerState) -> std::io::Result<Server> {
    let server = HttpServer::new(move || App::new().configure(configure(state.clone())))
        .workers(1)
        .disable_signals()
        .shutdown_timeout(1)
        .bind(bind)?
        .run();
    Ok(server)
}

#[cfg(test)]
mod tests {
    use actix_web::test;
    use chrono::{TimeZone, Utc};
    use surgicase_kernel::FixedClock;

    use super::*;

    #[actix_web::test]
    async fn metrics_and_liveness() {
        let at = Utc.with_ymd_and_hms(2025, 3, 3, 8, 0, 0).single().unwrap_or_default();
        let recorder = metrics_exporter_prometheus::PrometheusBuilder::new().build_recorder();
        let handle = recorder.handle();
        metrics::with_local_recorder(&recorder, || {
            crate::metrics::run_ended("paid_transition", surgicase_ports::RunOutcome::Succeeded, None, at)
        });
        let state = ListenerState { metrics: Some(handle), clock: Arc::new(FixedClock::new(at)) };
        let app = test::init_service(App::new().configure(configure(state))).await;

        let res = test::call_service(&app, test::TestRequest::get().uri("/metrics").to_request()).await;
        assert!(res.status().is_success());
        let body = String::from_utf8(test::read_body(res).await.to_vec()).unwrap_or_default();
        assert!(
            body.contains("surgicase_job_runs_total{job=\"paid_transition\",outcome=\"succeeded\"} 1"),
            "{body}"
        );

        let res = test::call_service(&app, test::TestRequest::get().uri("/health/live").to_request()).await;
        assert!(res.status().is_success());
        let body: serde_json::Value = test::read_body_json(res).await;
        assert_eq!(body, json!({ "status": "alive", "timestamp": "2025-03-03T08:00:00Z" }));

        let res = test::call_service(&app, test::TestRequest::get().uri("/nope").to_request()).await;
        assert_eq!(res.status().as_u16(), 404);
    }
}
