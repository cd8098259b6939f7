//! The safety net: every error answer leaves as the JSON error shape with the request id.
//!
//! An [`ApiError`] (from a handler or an extractor) is re-rendered with the request id, and an
//! incident is logged with its cause. Any other error response without a JSON body — produced by
//! actix itself (a path that does not deserialize, missing app data, …) or by a mounted service
//! such as the Swagger UI — is replaced by a generic JSON body for its status.

use actix_web::HttpResponse;
use actix_web::body::BoxBody;
use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use serde_json::{Value, json};

use surgicase_ports::Chain;

use crate::errors::{ApiError, JSON_UTF8};
use crate::request_id::RequestId;

/// Makes an error response JSON with `request_id`; other responses pass unchanged.
pub fn finalize(res: HttpResponse<BoxBody>, id: &RequestId) -> HttpResponse<BoxBody> {
    let status = res.status();
    if !(status.is_client_error() || status.is_server_error()) {
        return res;
    }
    let api_body = res.error().and_then(|e| e.as_error::<ApiError>()).map(|api| {
        surgicase_app::counters::error(api.code());
        if api.is_incident() {
            // The whole cause chain goes to the log; the body below carries only the code.
            tracing::error!(request_id = %id, code = api.code(), cause = %Chain(api), "request failed");
        } else {
            tracing::debug!(request_id = %id, code = api.code(), "request refused");
        }
        Value::Object(api.body(Some(id.as_str())))
    });
    let body = match api_body {
        Some(body) => body,
        // A handler's own JSON error (e.g. a health probe's 503) is left as written.
        None if is_json(&res) => return res,
        None => {
            if status.is_server_error() {
                let cause = res.error().map(|e| e.to_string()).unwrap_or_default();
                tracing::error!(request_id = %id, status = status.as_u16(), cause = %cause, "request failed");
            }
            let body = generic_body(status, id);
            surgicase_app::counters::error(body["code"].as_str().unwrap_or("unknown"));
            body
        }
    };
    res.map_body(|head, _old| {
        head.headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(JSON_UTF8));
        head.headers.remove(header::CONTENT_LENGTH);
        head.headers.remove(header::CONTENT_ENCODING);
        BoxBody::new(body.to_string())
    })
}

fn is_json(res: &HttpResponse<BoxBody>) -> bool {
    res.headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(crate::body::is_json_media_type)
}

/// The error body of a status when nothing more is known.
pub fn generic_body(status: StatusCode, id: &RequestId) -> Value {
    let (code, detail) = match status.as_u16() {
        400 => ("bad_request", "Bad request"),
        401 => ("unauthenticated", "Not authenticated"),
        403 => ("forbidden", "Forbidden"),
        404 => ("not_found", "Not found"),
        405 => ("method_not_allowed", "Method not allowed"),
        408 => ("request_timeout", "Request timeout"),
        411 => ("length_required", "Length required"),
        413 => ("payload_too_large", "Request body too large"),
        414 => ("uri_too_long", "URI too long"),
        415 => ("unsupported_media_type", "Unsupported media type"),
        422 => ("validation_failed", "Invalid request"),
        429 => ("too_many_requests", "Too many requests"),
        502 => ("bad_gateway", "Bad gateway"),
        503 => ("service_unavailable", "Service unavailable"),
        504 => ("gateway_timeout", "Gateway timeout"),
        s if s >= 500 => ("internal_error", "Internal error"),
        _ => ("bad_request", "Bad request"),
    };
    json!({ "detail": detail, "code": code, "request_id": id.as_str() })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generic_bodies() {
        let id = RequestId::parse("r1").expect("valid id");
        let table: &[(u16, &str)] = &[
            (400, "bad_request"),
            (404, "not_found"),
            (413, "payload_too_large"),
            (500, "internal_error"),
            (501, "internal_error"),
            (503, "service_unavailable"),
            (418, "bad_request"),
        ];
        for (status, code) in table {
            let body = generic_body(StatusCode::from_u16(*status).expect("status"), &id);
            assert_eq!(body["code"], *code, "{status}");
            assert_eq!(body["request_id"], "r1");
        }
    }
}
