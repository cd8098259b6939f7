//! `POST /log_request` (api.md §11) and the server's own request-log rows (domain §3.6): stored
//! only when `observability.request_log_table` is on; payloads are never kept.

use serde_json::{Map, Value};
use surgicase_kernel::text::clip;
use surgicase_kernel::text::{optional_line, required_line};
use surgicase_kernel::time::parse_rfc3339;
use surgicase_kernel::{FieldCode, FieldError, ValidationErrors, ValueError};
use surgicase_ports::request_logs::{LogSource, RequestLogRecord};

use crate::App;
use crate::context::Ctx;
use crate::counters;
use crate::error::AppError;

pub const MAX_ENDPOINT: usize = 255;
pub const MAX_METHOD: usize = 10;
pub const MAX_ERROR_MESSAGE: usize = 100;
pub const MAX_CLIENT_IP: usize = 45;
pub const MAX_REQUEST_ID: usize = 64;
/// The range of `response_status`.
pub const STATUS_MIN: i64 = 100;
pub const STATUS_MAX: i64 = 599;
/// The largest `execution_time_ms` (the column is a 32-bit integer).
pub const MAX_EXECUTION_TIME_MS: f64 = i32::MAX as f64;

/// A client's measurement of one of its requests.
#[derive(Debug, Clone, PartialEq)]
pub struct ClientRequestLog {
    /// The path without its query string (which may hold PHI).
    pub endpoint: String,
    pub method: String,
    pub response_status: i32,
    pub execution_time_ms: i32,
    pub timestamp: Option<surgicase_kernel::Timestamp>,
    pub error_message: Option<String>,
}

fn required_text(
    body: &Map<String, Value>,
    key: &str,
    max: usize,
    errors: &mut ValidationErrors,
) -> Option<String> {
    match body.get(key) {
        None | Some(Value::Null) => {
            errors.push(ValueError::required().at(key));
            None
        }
        Some(Value::String(s)) => errors.check(key, required_line(s, max)),
        Some(_) => {
            errors.push(FieldError::new(key, FieldCode::InvalidType, "must be a string"));
            None
        }
    }
}

fn number(
    body: &Map<String, Value>,
    key: &str,
    range: std::ops::RangeInclusive<f64>,
    errors: &mut ValidationErrors,
) -> Option<f64> {
    match body.get(key) {
        None | Some(Value::Null) => {
            errors.push(ValueError::required().at(key));
            None
        }
        Some(Value::Number(n)) => match n.as_f64() {
            Some(v) if range.contains(&v) => Some(v),
            _ => {
                let message = format!("must be between {} and {}", range.start(), range.end());
                errors.push(FieldError::new(key, FieldCode::OutOfRange, message));
                None
            }
        },
        Some(_) => {
            errors.push(FieldError::new(key, FieldCode::InvalidType, "must be a number"));
            None
        }
    }
}

impl ClientRequestLog {
    /// Reads the body; `request_payload`, `query_params` and `response_payload` are ignored.
    pub fn read(body: &Map<String, Value>) -> Result<Self, ValidationErrors> {
        let mut errors = ValidationErrors::new();
        let endpoint = required_text(body, "endpoint", MAX_ENDPOINT, &mut errors)
            .map(|e| e.split(['?', '#']).next().unwrap_or_default().to_owned());
        let method = required_text(body, "method", MAX_METHOD, &mut errors).map(|m| m.to_ascii_uppercase());
        let status = number(body, "response_status", STATUS_MIN as f64..=STATUS_MAX as f64, &mut errors);
        if status.is_some_and(|s| s.fract() != 0.0) {
            errors.push(FieldError::new("response_status", FieldCode::InvalidType, "must be an integer"));
        }
        let time = number(body, "execution_time_ms", 0.0..=MAX_EXECUTION_TIME_MS, &mut errors);
        let timestamp = match body.get("timestamp") {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) => errors.check("timestamp", parse_rfc3339(s)),
            Some(_) => {
                errors.push(FieldError::new("timestamp", FieldCode::InvalidType, "must be a string"));
                None
            }
        };
        let error_message = match body.get("error_message") {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) => {
                errors.check("error_message", optional_line(s, MAX_ERROR_MESSAGE)).flatten()
            }
            Some(_) => {
                errors.push(FieldError::new("error_message", FieldCode::InvalidType, "must be a string"));
                None
            }
        };
        match (endpoint, method, status, time) {
            (Some(endpoint), Some(method), Some(status), Some(time)) if errors.is_empty() => Ok(Self {
                endpoint,
                method,
                response_status: status as i32,
                execution_time_ms: time.round() as i32,
                timestamp,
                error_message,
            }),
            _ => Err(errors),
        }
    }
}

impl App {
    /// `POST /log_request`: counted always, stored when the table is on. Returns whether it
    /// was stored.
    pub async fn log_client_request(
        &self,
        ctx: &Ctx,
        body: &Map<String, Value>,
        client_ip: &str,
    ) -> Result<bool, AppError> {
        let log = ClientRequestLog::read(body)?;
        metrics::counter!(counters::CLIENT_REQUEST_LOGS).increment(1);
        if !self.ops.request_log_table {
            return Ok(false);
        }
        let row = RequestLogRecord {
            timestamp: log.timestamp.unwrap_or_else(|| self.clock.now()),
            request_id: clip(ctx.request_id.as_deref().unwrap_or("-"), MAX_REQUEST_ID),
            user_id: Some(ctx.actor.user_id.to_string()),
            endpoint: log.endpoint,
            method: log.method,
            response_status: log.response_status,
            execution_time_ms: log.execution_time_ms,
            error_message: log.error_message,
            client_ip: clip(client_ip, MAX_CLIENT_IP),
            source: LogSource::Client,
        };
        self.store.conn().await?.insert_request_logs(&[row]).await?;
        Ok(true)
    }

    /// Appends the server's own rows (batched by the caller, off the request path).
    pub async fn store_request_logs(&self, rows: &[RequestLogRecord]) -> Result<(), AppError> {
        if rows.is_empty() || !self.ops.request_log_table {
            return Ok(());
        }
        Ok(self.store.conn().await?.insert_request_logs(rows).await?)
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn read(v: Value) -> Result<ClientRequestLog, Vec<(String, &'static str)>> {
        let Value::Object(map) = v else { panic!("object") };
        ClientRequestLog::read(&map)
            .map_err(|e| e.iter().map(|f| (f.field.clone(), f.code.as_str())).collect())
    }

    #[test]
    fn a_valid_log_drops_payloads_and_the_query_string() {
        let log = read(json!({
            "endpoint": "/case?patient_last=Doe", "method": "get", "response_status": 404,
            "execution_time_ms": 12.6, "timestamp": "2025-03-03T10:15:00Z", "error_message": "case_not_found",
            "request_payload": {"patient": "Doe"}, "query_params": "x", "response_payload": {}
        }))
        .expect("valid");
        assert_eq!(log.endpoint, "/case");
        assert_eq!(log.method, "GET");
        assert_eq!((log.response_status, log.execution_time_ms), (404, 13));
        assert_eq!(log.error_message.as_deref(), Some("case_not_found"));
        assert!(log.timestamp.is_some());
    }

    #[test]
    fn problems() {
        let table: Vec<(Value, Vec<(&str, &str)>)> = vec![
            (
                json!({}),
                vec![
                    ("endpoint", "required"),
                    ("method", "required"),
                    ("response_status", "required"),
                    ("execution_time_ms", "required"),
                ],
            ),
            (
                json!({"endpoint": "x".repeat(256), "method": "PROPFINDXXX", "response_status": 99,
                       "execution_time_ms": -1, "timestamp": "yesterday", "error_message": 5}),
                vec![
                    ("endpoint", "too_long"),
                    ("method", "too_long"),
                    ("response_status", "out_of_range"),
                    ("execution_time_ms", "out_of_range"),
                    ("timestamp", "invalid_format"),
                    ("error_message", "invalid_type"),
                ],
            ),
            (
                json!({"endpoint": " ", "method": 1, "response_status": "200", "execution_time_ms": 1}),
                vec![
                    ("endpoint", "required"),
                    ("method", "invalid_type"),
                    ("response_status", "invalid_type"),
                ],
            ),
            (
                json!({"endpoint": "/x", "method": "GET", "response_status": 200.5, "execution_time_ms": 1}),
                vec![("response_status", "invalid_type")],
            ),
        ];
        for (body, expected) in table {
            let got = read(body.clone()).unwrap_err();
            let expected: Vec<(String, &str)> =
                expected.into_iter().map(|(f, c)| (f.to_owned(), c)).collect();
            assert_eq!(got, expected, "{body}");
        }
    }
}
