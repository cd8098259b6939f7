//! What the API process runs beside its workers: the bug-tracker retries, the request-log
//! writer, the fold of the day totals, and the optional separate metrics listener
//! (`metrics.bind`).

use std::net::SocketAddr;
use std::time::Duration;

use actix_web::dev::Server;
use actix_web::{App, HttpRequest, HttpResponse, HttpServer, web};
use surgicase_app::App as UseCases;
use surgicase_ports::Chain;
use tokio::time::MissedTickBehavior;

use super::{health, log_request, metrics_routes};
use crate::state::AppState;

/// Starts the background tasks `state` asks for, on the current actix system.
pub fn start(state: &AppState) {
    if let Some(every) = state.observability.settings.bug_sync_every {
        spawn_bug_sync(state.app.clone(), every);
    }
    if let Some(rx) = state.observability.take_request_log_receiver() {
        actix_web::rt::spawn(log_request::write_batches(state.app.clone(), rx));
    }
    let app = state.app.clone();
    actix_web::rt::spawn(async move { app.fold_case_totals_forever().await });
}

/// Retries due bug reports every `every` (what the scheduler's `bug_tracker_sync` job also does;
/// both may run: attempts are claimed in the database).
pub fn spawn_bug_sync(app: UseCases, every: Duration) {
    actix_web::rt::spawn(async move {
        let mut tick = tokio::time::interval(every);
        tick.set_missed_tick_behavior(MissedTickBehavior::Skip);
        loop {
            tick.tick().await;
            if let Err(e) = app.sync_pending_bugs(app.clock().now()).await {
                tracing::warn!(error = %Chain(&e), "bug tracker sync failed");
            }
        }
    });
}

async fn metrics_text(state: web::Data<AppState>) -> HttpResponse {
    metrics_routes::prometheus_text(&state.observability)
}

async fn live(req: HttpRequest) -> actix_web::Result<HttpResponse> {
    health::live(req).await.map_err(Into::into)
}

/// A one-worker listener serving `/metrics` (whatever `metrics.public` says) and `/health/live`.
pub fn metrics_listener(state: AppState, addr: SocketAddr) -> std::io::Result<Server> {
    let server = HttpServer::new(move || {
        App::new()
            .app_data(web::Data::new(state.clone()))
            .route("/metrics", web::get().to(metrics_text))
            .route("/health/live", web::get().to(live))
    })
    .workers(1)
    .disable_signals()
    .bind(addr)?
    .run();
    tracing::info!(bind = %addr, "metrics listener");
    Ok(server)
}
