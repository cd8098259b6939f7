//! The metrics middleware (outermost): request count and latency by method, route template and
//! status, the in-flight gauge, and (when the table is on) one `request_logs` row per request.
//!
//! The route label is the matched pattern (`/document_upload/{upload_id}`), never the raw
//! path, so label values stay few; unmatched requests share [`UNMATCHED`].

use std::time::{Duration, Instant};

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::{Error, HttpMessage, HttpRequest, web};
use surgicase_ports::request_logs::{LogSource, RequestLogRecord};

use super::hub::{HTTP_DURATION, HTTP_IN_FLIGHT, HTTP_REQUESTS};
use crate::errors::ApiError;
use crate::identity::Caller;
use crate::request_id::RequestId;
use crate::state::AppState;

/// The route label of a request no route matched.
pub const UNMATCHED: &str = "(unmatched)";

/// A bounded method label (anything unusual is `OTHER`).
pub fn method_label(method: &actix_web::http::Method) -> &'static str {
    match method.as_str() {
        "GET" => "GET",
        "POST" => "POST",
        "PUT" => "PUT",
        "PATCH" => "PATCH",
        "DELETE" => "DELETE",
        "HEAD" => "HEAD",
        "OPTIONS" => "OPTIONS",
        _ => "OTHER",
    }
}

/// The status label: the three digits.
pub fn status_label(status: u16) -> String {
    status.to_string()
}

/// Decrements the in-flight gauge however the request ends (even if its future is dropped).
struct InFlight;

impl InFlight {
    fn enter() -> Self {
        metrics::gauge!(HTTP_IN_FLIGHT).increment(1.0);
        Self
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        metrics::gauge!(HTTP_IN_FLIGHT).decrement(1.0);
    }
}

/// Records one answered request.
pub fn record(method: &'static str, route: String, status: u16, elapsed: Duration) {
    let status = status_label(status);
    metrics::counter!(HTTP_REQUESTS, "method" => method, "route" => route.clone(), "status" => status.clone())
        .increment(1);
    metrics::histogram!(HTTP_DURATION, "method" => method, "route" => route, "status" => status)
        .record(elapsed.as_secs_f64());
}

/// Register with `actix_web::middleware::from_fn`, outside the request-id middleware.
pub async fn middleware(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    let started = Instant::now();
    let method = method_label(req.method());
    let guard = InFlight::enter();
    let result = next.call(req).await;
    let elapsed = started.elapsed();
    drop(guard);
    match &result {
        Ok(res) => {
            let route = res.request().match_pattern().unwrap_or_else(|| UNMATCHED.to_owned());
            let status = res.status().as_u16();
            let code = res.response().error().and_then(|e| e.as_error::<ApiError>()).map(ApiError::code);
            log_row(res.request(), method, &route, status, code, elapsed);
            record(method, route, status, elapsed);
        }
        Err(e) => record(method, UNMATCHED.to_owned(), e.as_response_error().status_code().as_u16(), elapsed),
    }
    result.map(ServiceResponse::map_into_boxed_body)
}

/// Queues the request's `request_logs` row when the table is on (never blocks the request).
fn log_row(req: &HttpRequest, method: &str, route: &str, status: u16, code: Option<&str>, elapsed: Duration) {
    let Some(state) = req.app_data::<web::Data<AppState>>() else { return };
    let Some(sink) = state.observability.request_logs() else { return };
    let extensions = req.extensions();
    let row = RequestLogRecord {
        timestamp: state.app.clock().now(),
        request_id: extensions.get::<RequestId>().map(|r| r.as_str().to_owned()).unwrap_or_default(),
        user_id: extensions.get::<Caller>().map(|c| c.user_id.as_str().to_owned()),
        endpoint: route.chars().take(255).collect(),
        method: method.to_owned(),
        response_status: i32::from(status),
        execution_time_ms: i32::try_from(elapsed.as_millis()).unwrap_or(i32::MAX),
        error_message: code.map(str::to_owned),
        client_ip: req.peer_addr().map(|a| a.ip().to_string()).unwrap_or_default(),
        source: LogSource::Server,
    };
    sink.push(row);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_are_bounded() {
        use actix_web::http::Method;
        assert_eq!(method_label(&Method::GET), "GET");
        assert_eq!(method_label(&Method::from_bytes(b"PROPFIND").expect("method")), "OTHER");
        assert_eq!(status_label(404), "404");
    }
}
