//! The actix application and the HTTP server.

use actix_web::body::BoxBody;
use actix_web::dev::{ServiceFactory, ServiceRequest, ServiceResponse};
use actix_web::middleware::from_fn;
use actix_web::{App, Error, web};
use surgicase_config::{AuthMode, Config};

use crate::routes::{self, ROUTES, Route};
use crate::state::AppState;
use crate::transport::{self, ListenerSettings};
use crate::{cors, observability, openapi, request_id};

/// Seconds in-flight requests get to finish after SIGTERM or SIGINT.
pub const SHUTDOWN_TIMEOUT_S: u64 = 30;

/// The application serving the route table.
pub fn app(
    state: AppState,
) -> App<
    impl ServiceFactory<
        ServiceRequest,
        Config = (),
        Response = ServiceResponse<BoxBody>,
        Error = Error,
        InitError = (),
    >,
> {
    app_with_routes(state, ROUTES)
}

/// The application serving `table` (tests pass their own), the docs and the fallbacks.
pub fn app_with_routes(
    state: AppState,
    table: &'static [Route],
) -> App<
    impl ServiceFactory<
        ServiceRequest,
        Config = (),
        Response = ServiceResponse<BoxBody>,
        Error = Error,
        InitError = (),
    >,
> {
    App::new()
        .app_data(web::Data::new(state))
        // Inside the request id middleware: preflight answers get an id, and error bodies
        // rewritten as JSON keep the CORS headers.
        .wrap(from_fn(cors::middleware))
        .wrap(from_fn(request_id::middleware))
        // Outermost: counts every answer, after the request id middleware has finalized it.
        .wrap(from_fn(observability::http_metrics::middleware))
        .configure(|cfg| routes::configure(cfg, table))
        .service(openapi::swagger_ui())
        .default_service(web::to(routes::not_found))
}

/// Refuses to expose user-id mode beyond loopback (config validation already does; this
/// guards a configuration built in code).
pub fn check_bind(config: &Config) -> Result<(), String> {
    if config.auth.mode == AuthMode::UserId
        && !config.bind.ip().is_loopback()
        && !config.auth.allow_insecure_user_id
    {
        return Err(format!(
            "configuration: key `auth.allow_insecure_user_id`: refusing to serve user-id mode on {} \
             (not a loopback address)",
            config.bind
        ));
    }
    Ok(())
}

/// Serves until SIGTERM or SIGINT, then lets in-flight requests finish (graceful shutdown).
/// `state` is built by the caller, with every adapter already wired.
pub async fn run(config: Config, state: AppState) -> std::io::Result<()> {
    check_bind(&config).map_err(std::io::Error::other)?;
    observability::background::start(&state);
    if let Some(addr) = config.metrics.bind {
        actix_web::rt::spawn(observability::background::metrics_listener(state.clone(), addr)?);
    }
    let listener = std::net::TcpListener::bind(config.bind)?;
    let settings = ListenerSettings { workers: config.http.workers, shutdown_timeout_s: SHUTDOWN_TIMEOUT_S };
    let server = transport::serve(listener, &settings, shutdown_requested(), move || app(state.clone()))?;
    tracing::info!(bind = %config.bind, auth_mode = ?config.auth.mode, "surgicase-api listening");
    server.await?;
    tracing::info!("surgicase-api stopped");
    Ok(())
}

/// Resolves on SIGINT (Ctrl-C) or SIGTERM. Both are graceful (actix's own handling makes
/// SIGINT a forced stop).
async fn shutdown_requested() {
    let ctrl_c = Box::pin(async {
        if let Err(e) = actix_web::rt::signal::ctrl_c().await {
            tracing::error!(error = %e, "cannot listen for SIGINT");
            futures::future::pending::<()>().await;
        }
    });
    #[cfg(unix)]
    let term = Box::pin(async {
        use actix_web::rt::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                term.recv().await;
            }
            Err(e) => {
                tracing::error!(error = %e, "cannot listen for SIGTERM");
                futures::future::pending::<()>().await;
            }
        }
    });
    #[cfg(not(unix))]
    let term = Box::pin(futures::future::pending::<()>());
    futures::future::select(ctrl_c, term).await;
    tracing::info!("shutdown requested; finishing in-flight requests");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_id_mode_stays_on_loopback() {
        let mut config = Config::default();
        assert!(check_bind(&config).is_ok());
        config.bind = "0.0.0.0:8000".parse().expect("address");
        let err = check_bind(&config).err().unwrap_or_default();
        assert!(err.contains("auth.allow_insecure_user_id"), "{err}");
        config.auth.allow_insecure_user_id = true;
        assert!(check_bind(&config).is_ok());
        config.auth.allow_insecure_user_id = false;
        config.auth.mode = AuthMode::Jwt;
        assert!(check_bind(&config).is_ok());
        config.auth.mode = AuthMode::UserId;
        config.bind = "[::1]:8000".parse().expect("address");
        assert!(check_bind(&config).is_ok());
    }
}
