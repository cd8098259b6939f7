//! `/health`, `/health/system`, `/health/ready`, `/health/live`, `/health/simple` (api.md §11):
//! public. Grading and the overall status are `surgicase_app::health`'s; this file only renders.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse};
use serde_json::{Map, Value, json};
use surgicase_app::counters;
use surgicase_app::health::{ComponentReport, HealthReport, HealthStatus};
use surgicase_kernel::time::format_timestamp;

use super::state;
use crate::ApiResult;
use crate::request_id::RequestId;
use crate::respond;

/// The `service` of every health answer.
pub const SERVICE: &str = "surgicase-api";

fn component(c: &ComponentReport) -> Value {
    json!({
        "status": c.status.as_str(),
        "critical": c.critical,
        "response_time_ms": c.response_time_ms,
        "message": c.message,
    })
}

/// `{name: component}` of the given components.
pub fn components<'a>(list: impl IntoIterator<Item = &'a ComponentReport>) -> Value {
    Value::Object(list.into_iter().map(|c| (c.name.to_owned(), component(c))).collect::<Map<_, _>>())
}

/// The body of `/health` (`with_components`) and `/health/system`.
pub fn report_body(report: &HealthReport, with_components: bool) -> Map<String, Value> {
    let s = report.summary;
    let mut body = Map::new();
    body.insert("status".into(), report.status.as_str().into());
    body.insert("timestamp".into(), format_timestamp(report.checked_at).into());
    body.insert("response_time_ms".into(), report.response_time_ms.into());
    body.insert(
        "summary".into(),
        json!({"total_services": s.total_services, "healthy": s.healthy, "degraded": s.degraded, "unhealthy": s.unhealthy}),
    );
    if with_components {
        body.insert("components".into(), components(&report.components));
    }
    body.insert("version".into(), env!("CARGO_PKG_VERSION").into());
    body.insert("service".into(), SERVICE.into());
    body
}

/// 200, or 503 with `detail`, `code` and `request_id` added (counted as an error answer).
fn answer(
    req: &HttpRequest,
    mut body: Map<String, Value>,
    ok: bool,
    code: &'static str,
    detail: &str,
) -> ApiResult<HttpResponse> {
    if ok {
        return respond::ok(&body);
    }
    counters::error(code);
    body.insert("detail".into(), detail.into());
    body.insert("code".into(), code.into());
    if let Some(id) = RequestId::of(req) {
        body.insert("request_id".into(), id.as_str().into());
    }
    respond::json(StatusCode::SERVICE_UNAVAILABLE, &body)
}

/// Every component, checked now.
#[utoipa::path(
    get,
    path = "/health",
    tag = "observability",
    description = "Access: public. Checks every component (database round trip, object store, NPI registry, \
                   bug tracker when configured, …), each with its own timeout. Never cached.",
    responses(
        (status = 200, description = "healthy or degraded: {status, timestamp, response_time_ms, summary, components, version, service}"),
        (status = 503, description = "unhealthy (a critical component is down): the same body with detail and code"),
    )
)]
pub async fn health(req: HttpRequest) -> ApiResult<HttpResponse> {
    let state = state(&req)?;
    let report = state.observability.check_now(&state.app.health_checker(), state.app.clock().now()).await;
    let ok = report.status != HealthStatus::Unhealthy;
    answer(&req, report_body(&report, true), ok, "unhealthy", "Service unhealthy")
}

/// The cheap check for login: the overall status, cached for at most 5 seconds.
#[utoipa::path(
    get,
    path = "/health/system",
    tag = "observability",
    description = "Access: public. /health without components, from a result at most 5 s old.",
    responses(
        (status = 200, description = "healthy or degraded"),
        (status = 503, description = "unhealthy"),
    )
)]
pub async fn system(req: HttpRequest) -> ApiResult<HttpResponse> {
    let state = state(&req)?;
    let report = state.observability.check_cached(&state.app.health_checker(), state.app.clock().now()).await;
    let ok = report.status != HealthStatus::Unhealthy;
    answer(&req, report_body(&report, false), ok, "unhealthy", "Service unhealthy")
}

/// Readiness: the critical components only.
#[utoipa::path(
    get,
    path = "/health/ready",
    tag = "observability",
    description = "Access: public. Checks the critical components (the database), from a result at most \
                   observability.ready_cache_ms old (1 s by default).",
    responses(
        (status = 200, description = "{\"status\": \"ready\"}"),
        (status = 503, description = "{\"status\": \"not_ready\", detail, code, components}"),
    )
)]
pub async fn ready(req: HttpRequest) -> ApiResult<HttpResponse> {
    let state = state(&req)?;
    let report =
        state.observability.check_ready_cached(&state.app.health_checker(), state.app.clock().now()).await;
    if report.ready() {
        return respond::ok(&json!({ "status": "ready" }));
    }
    let mut body = Map::new();
    body.insert("status".into(), "not_ready".into());
    body.insert("components".into(), components(report.components.iter().filter(|c| c.critical)));
    answer(&req, body, false, "not_ready", "Service not ready: a critical component is unavailable")
}

/// Liveness: the process serves.
#[utoipa::path(
    get,
    path = "/health/live",
    tag = "observability",
    description = "Access: public.",
    responses((status = 200, description = "{\"status\": \"alive\", \"timestamp\"}"))
)]
pub async fn live(req: HttpRequest) -> ApiResult<HttpResponse> {
    let now = match state(&req) {
        Ok(state) => state.app.clock().now(),
        Err(_) => chrono_now(),
    };
    respond::ok(&json!({ "status": "alive", "timestamp": format_timestamp(now) }))
}

fn chrono_now() -> surgicase_kernel::Timestamp {
    use surgicase_kernel::Clock;
    surgicase_kernel::SystemClock.now()
}

/// The legacy load-balancer probe.
#[utoipa::path(
    get,
    path = "/health/simple",
    tag = "observability",
    description = "Access: public.",
    responses((status = 200, description = "{\"status\": \"healthy\"}"))
)]
pub async fn simple() -> ApiResult<HttpResponse> {
    respond::ok(&json!({ "status": "healthy" }))
}
