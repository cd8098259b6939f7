//! `/metrics` (Prometheus text) and the JSON digests `/metrics/{summary,health,system,database,
//! business,endpoints,self}` (api.md §11). Public unless `metrics.public = false`, in which case
//! they are only on the separate listener (`metrics.bind`) and answer 404 here.
//!
//! Per-route percentiles are interpolated from the request-duration histogram's buckets.

use std::collections::BTreeMap;

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use serde_json::{Value, json};
use surgicase_app::counters::BUSINESS;
use surgicase_kernel::time::format_timestamp;

use super::hub::{BucketCounts, HTTP_BUCKETS, HTTP_DURATION, HTTP_REQUESTS, POOL_WAIT, WAIT_BUCKETS};
use super::{Observability, state, system};
use crate::errors::ApiError;
use crate::state::AppState;
use crate::{ApiResult, respond};

/// The content type of the Prometheus text format.
pub const PROMETHEUS_TEXT: &str = "text/plain; version=0.0.4; charset=utf-8";

/// Every metrics route (`/metrics/self`).
pub const ENDPOINTS: [&str; 8] = [
    "/metrics",
    "/metrics/summary",
    "/metrics/health",
    "/metrics/system",
    "/metrics/database",
    "/metrics/business",
    "/metrics/endpoints",
    "/metrics/self",
];

/// The state, when the metrics may be shown on this listener.
fn public_state(req: &HttpRequest) -> Result<web::Data<AppState>, ApiError> {
    let state = state(req)?;
    if !state.observability.settings.metrics_public {
        return Err(ApiError::RouteNotFound);
    }
    Ok(state)
}

/// The Prometheus text of `obs` (pool gauges refreshed first).
pub fn prometheus_text(obs: &Observability) -> HttpResponse {
    obs.update_pool_gauges();
    HttpResponse::Ok().insert_header((header::CONTENT_TYPE, PROMETHEUS_TEXT)).body(obs.hub.render())
}

/// Prometheus metrics.
#[utoipa::path(
    get,
    path = "/metrics",
    tag = "observability",
    description = "Access: public unless metrics.public = false. Prometheus text format: requests and latency \
                   by method, route template and status; in-flight requests; database pool; business counters.",
    responses((status = 200, description = "Prometheus text exposition format", content_type = "text/plain"))
)]
pub async fn metrics(req: HttpRequest) -> ApiResult<HttpResponse> {
    Ok(prometheus_text(&public_state(&req)?.observability))
}

fn label<'a>(labels: &'a [(String, String)], key: &str) -> &'a str {
    labels.iter().find(|(k, _)| k == key).map_or("", |(_, v)| v.as_str())
}

fn ms(seconds: Option<f64>) -> Value {
    seconds.map_or(Value::Null, |s| json!((s * 100_000.0).round() / 100.0))
}

/// Requests by route: count and p50/p95/p99 in milliseconds, busiest first.
pub fn by_route(obs: &Observability) -> Vec<Value> {
    let mut routes: BTreeMap<(String, String), (u64, BucketCounts)> = BTreeMap::new();
    for (labels, count) in obs.hub.captured().counters(HTTP_REQUESTS) {
        let key = (label(&labels, "method").to_owned(), label(&labels, "route").to_owned());
        routes.entry(key).or_insert_with(|| (0, BucketCounts::empty(HTTP_BUCKETS))).0 += count;
    }
    for (labels, buckets) in obs.hub.captured().histograms(HTTP_DURATION) {
        let key = (label(&labels, "method").to_owned(), label(&labels, "route").to_owned());
        routes.entry(key).or_insert_with(|| (0, BucketCounts::empty(HTTP_BUCKETS))).1.add(&buckets);
    }
    let mut rows: Vec<((String, String), (u64, BucketCounts))> = routes.into_iter().collect();
    rows.sort_by(|a, b| b.1.0.cmp(&a.1.0).then_with(|| a.0.cmp(&b.0)));
    rows.into_iter()
        .map(|((method, route), (count, h))| {
            json!({
                "method": method, "route": route, "count": count,
                "p50_ms": ms(h.quantile(0.50)), "p95_ms": ms(h.quantile(0.95)), "p99_ms": ms(h.quantile(0.99)),
            })
        })
        .collect()
}

/// `{pool_size, in_use, idle, wait_p95_ms}` (nulls without a database pool).
pub fn database(obs: &Observability) -> Value {
    let mut wait = BucketCounts::empty(WAIT_BUCKETS);
    for (_, h) in obs.hub.captured().histograms(POOL_WAIT) {
        wait.add(&h);
    }
    let pool = obs.pool();
    json!({
        "pool_size": pool.map(|p| p.max),
        "in_use": pool.map(|p| p.in_use),
        "idle": pool.map(|p| p.idle),
        "open": pool.map(|p| p.size),
        "wait_p95_ms": ms(wait.quantile(0.95)),
    })
}

/// The summary's `data`: uptime, requests (errors are 5xx answers), routes, pool.
pub fn summary(obs: &Observability, now: surgicase_kernel::Timestamp) -> Value {
    let mut total = 0_u64;
    let mut errors = 0_u64;
    let mut client_errors = 0_u64;
    for (labels, count) in obs.hub.captured().counters(HTTP_REQUESTS) {
        total += count;
        match label(&labels, "status").as_bytes().first() {
            Some(b'5') => errors += count,
            Some(b'4') => client_errors += count,
            _ => {}
        }
    }
    let error_rate =
        if total == 0 { 0.0 } else { ((errors as f64 / total as f64) * 10_000.0).round() / 10_000.0 };
    json!({
        "timestamp": format_timestamp(now),
        "uptime_seconds": obs.uptime().as_secs(),
        "requests": {
            "total": total,
            "errors": errors,
            "client_errors": client_errors,
            "error_rate": error_rate,
            "by_route": by_route(obs),
        },
        "database": database(obs),
    })
}

/// Every business counter: the sum over its labels, and each labelled value.
pub fn business(obs: &Observability) -> Value {
    let mut out = serde_json::Map::new();
    for (name, _) in BUSINESS {
        let series = obs.hub.captured().counters(name);
        let total: u64 = series.iter().map(|(_, v)| v).sum();
        let mut by_label: Vec<Value> = series
            .into_iter()
            .map(|(labels, value)| {
                let labels: serde_json::Map<String, Value> =
                    labels.into_iter().map(|(k, v)| (k, Value::String(v))).collect();
                json!({"labels": labels, "value": value})
            })
            .collect();
        by_label.sort_by_key(|v| v["labels"].to_string());
        out.insert((*name).to_owned(), json!({"total": total, "series": by_label}));
    }
    Value::Object(out)
}

fn success(data: Value) -> ApiResult<HttpResponse> {
    respond::ok(&json!({ "status": "success", "data": data }))
}

/// A readable digest.
#[utoipa::path(
    get,
    path = "/metrics/summary",
    tag = "observability",
    description = "Access: public unless metrics.public = false. Uptime, requests (errors are 5xx answers), \
                   p50/p95/p99 per route (interpolated from the latency histogram's buckets), pool state.",
    responses((status = 200, description = "{\"status\": \"success\", \"data\": {…}}"))
)]
pub async fn summary_route(req: HttpRequest) -> ApiResult<HttpResponse> {
    let state = public_state(&req)?;
    success(summary(&state.observability, state.app.clock().now()))
}

/// Whether metrics can be generated.
#[utoipa::path(
    get,
    path = "/metrics/health",
    tag = "observability",
    description = "Access: public unless metrics.public = false.",
    responses(
        (status = 200, description = "{\"status\": \"healthy\", \"metrics_generation\": \"success\", \"timestamp\"}"),
        (status = 503, description = "{\"status\": \"unhealthy\", \"metrics_generation\": \"failed\", \"timestamp\"}: \
                                      what the service counts does not reach its exposition"),
    )
)]
pub async fn health_route(req: HttpRequest) -> ApiResult<HttpResponse> {
    let state = public_state(&req)?;
    let timestamp = format_timestamp(state.app.clock().now());
    if state.observability.hub.generates() {
        respond::ok(&json!({"status": "healthy", "metrics_generation": "success", "timestamp": timestamp}))
    } else {
        Ok(HttpResponse::ServiceUnavailable().json(json!({
            "status": "unhealthy", "metrics_generation": "failed", "timestamp": timestamp,
        })))
    }
}

/// Process figures.
#[utoipa::path(
    get,
    path = "/metrics/system",
    tag = "observability",
    description = "Access: public unless metrics.public = false. rss_bytes, cpu_seconds, open_fds, threads \
                   (null where the platform does not tell), uptime_seconds.",
    responses((status = 200, description = "{\"status\": \"success\", \"data\": {…}}"))
)]
pub async fn system_route(req: HttpRequest) -> ApiResult<HttpResponse> {
    let state = public_state(&req)?;
    let f = system::read();
    success(json!({
        "rss_bytes": f.rss_bytes, "cpu_seconds": f.cpu_seconds, "open_fds": f.open_fds, "threads": f.threads,
        "uptime_seconds": state.observability.uptime().as_secs(),
    }))
}

/// The database pool.
#[utoipa::path(
    get,
    path = "/metrics/database",
    tag = "observability",
    description = "Access: public unless metrics.public = false.",
    responses((status = 200, description = "{\"status\": \"success\", \"data\": {pool_size, in_use, idle, wait_p95_ms}}"))
)]
pub async fn database_route(req: HttpRequest) -> ApiResult<HttpResponse> {
    success(database(&public_state(&req)?.observability))
}

/// The business counters.
#[utoipa::path(
    get,
    path = "/metrics/business",
    tag = "observability",
    description = "Access: public unless metrics.public = false. Each counter's total and labelled series.",
    responses((status = 200, description = "{\"status\": \"success\", \"data\": {<counter>: {total, series}}}"))
)]
pub async fn business_route(req: HttpRequest) -> ApiResult<HttpResponse> {
    success(business(&public_state(&req)?.observability))
}

/// Requests by route.
#[utoipa::path(
    get,
    path = "/metrics/endpoints",
    tag = "observability",
    description = "Access: public unless metrics.public = false.",
    responses((status = 200, description = "{\"status\": \"success\", \"data\": [{method, route, count, p50_ms, p95_ms, p99_ms}]}"))
)]
pub async fn endpoints_route(req: HttpRequest) -> ApiResult<HttpResponse> {
    success(Value::Array(by_route(&public_state(&req)?.observability)))
}

/// The metrics routes.
#[utoipa::path(
    get,
    path = "/metrics/self",
    tag = "observability",
    description = "Access: public unless metrics.public = false.",
    responses((status = 200, description = "{\"endpoints\": [\"/metrics\", …]}"))
)]
pub async fn self_route(req: HttpRequest) -> ApiResult<HttpResponse> {
    public_state(&req)?;
    respond::ok(&json!({ "endpoints": ENDPOINTS }))
}
