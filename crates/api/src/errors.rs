//! Every error the HTTP shell can answer with, and the one place that maps each to a status.
//!
//! The body is always `{"detail", "code", "request_id", …context}` (api.md §1.4). The request
//! id is added by the request-id middleware, which re-renders the error with [`ApiError::body`];
//! [`ResponseError::error_response`] alone renders the same body without it.

use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpResponse, ResponseError};
use serde_json::{Map, Value, json};
use surgicase_app::AppError;
use surgicase_kernel::{FieldError, ValidationErrors};

/// The most field errors one answer lists (api.md §1.4).
pub const MAX_FIELD_ERRORS: usize = 50;

/// What a handler returns.
pub type ApiResult<T> = Result<T, ApiError>;

/// An error answer of the HTTP shell: a use-case error or a transport-level refusal.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// A use case failed (or the shell found invalid fields: `AppError::Validation`).
    #[error(transparent)]
    App(#[from] AppError),
    /// 400: the body is not valid JSON or UTF-8, or nests too deep.
    #[error("malformed JSON: {0}")]
    MalformedJson(String),
    /// 400: the query string cannot be decoded.
    #[error("malformed query string: {0}")]
    MalformedQuery(String),
    /// 401: no caller could be named (user-id mode).
    #[error("unauthenticated")]
    Unauthenticated,
    /// 401: no bearer token was sent (jwt mode); answers with a `WWW-Authenticate` challenge.
    #[error("bearer token required")]
    MissingToken,
    /// 401: the bearer token was refused. The reason is logged, never sent.
    #[error("invalid token: {0}")]
    InvalidToken(String),
    /// 403: `calling_user_id` (or a caller-only `user_id`) differs from the caller.
    #[error("identity mismatch")]
    IdentityMismatch,
    /// 404: no route has this path.
    #[error("route not found")]
    RouteNotFound,
    /// 405: the path exists with other methods (listed in `Allow`).
    #[error("method not allowed")]
    MethodNotAllowed { allow: Vec<&'static str> },
    /// 413: the body exceeds the route's limit.
    #[error("payload too large")]
    PayloadTooLarge { limit_bytes: usize },
    /// 415: the route needs a JSON body.
    #[error("unsupported media type")]
    UnsupportedMediaType,
    /// 408: the body arrived slower than `http.body_min_bytes_per_s` after the grace period.
    #[error("request body too slow")]
    BodyTimeout,
    /// An endpoint-specific answer the use cases do not produce (410 for `PUT /user/password`,
    /// 503 `unhealthy`, …). Use sparingly: use-case outcomes belong in [`AppError`].
    #[error("{code}")]
    Other { status: StatusCode, code: &'static str, detail: String, context: Map<String, Value> },
}

impl ApiError {
    /// An endpoint-specific error (see [`ApiError::Other`]).
    pub fn other(status: StatusCode, code: &'static str, detail: impl Into<String>) -> Self {
        Self::Other { status, code, detail: detail.into(), context: Map::new() }
    }

    /// A 500 whose cause goes to the log only.
    pub fn internal(cause: impl Into<String>) -> Self {
        Self::App(AppError::internal(cause))
    }

    /// The HTTP status of every error: the single mapping of api.md §1.4.
    pub fn status(&self) -> StatusCode {
        match self {
            Self::App(app) => match app {
                AppError::Validation(_)
                | AppError::InvalidRuleSet(_)
                | AppError::NpiWrongEntityType { .. } => StatusCode::UNPROCESSABLE_ENTITY,
                AppError::NotFound { .. } => StatusCode::NOT_FOUND,
                AppError::Forbidden | AppError::ForbiddenField { .. } => StatusCode::FORBIDDEN,
                AppError::UnknownUser => StatusCode::UNAUTHORIZED,
                AppError::Conflict(_) => StatusCode::CONFLICT,
                AppError::UnsupportedDocument { .. } => StatusCode::UNSUPPORTED_MEDIA_TYPE,
                AppError::TooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
                AppError::RegistryUnavailable(_) => StatusCode::BAD_GATEWAY,
                AppError::DatabaseUnavailable(_) | AppError::ObjectStoreUnavailable(_) => {
                    StatusCode::SERVICE_UNAVAILABLE
                }
                AppError::Internal { .. } => StatusCode::INTERNAL_SERVER_ERROR,
            },
            Self::MalformedJson(_) | Self::MalformedQuery(_) => StatusCode::BAD_REQUEST,
            Self::Unauthenticated | Self::MissingToken | Self::InvalidToken(_) => StatusCode::UNAUTHORIZED,
            Self::IdentityMismatch => StatusCode::FORBIDDEN,
            Self::RouteNotFound => StatusCode::NOT_FOUND,
            Self::MethodNotAllowed { .. } => StatusCode::METHOD_NOT_ALLOWED,
            Self::PayloadTooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            Self::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Self::BodyTimeout => StatusCode::REQUEST_TIMEOUT,
            Self::Other { status, .. } => *status,
        }
    }

    /// The stable snake_case `code`.
    pub fn code(&self) -> &'static str {
        match self {
            Self::App(app) => app.code(),
            Self::MalformedJson(_) => "malformed_json",
            Self::MalformedQuery(_) => "malformed_query",
            Self::Unauthenticated | Self::MissingToken => "unauthenticated",
            Self::InvalidToken(_) => "invalid_token",
            Self::IdentityMismatch => "identity_mismatch",
            Self::RouteNotFound => "route_not_found",
            Self::MethodNotAllowed { .. } => "method_not_allowed",
            Self::PayloadTooLarge { .. } => "payload_too_large",
            Self::UnsupportedMediaType => "unsupported_media_type",
            Self::BodyTimeout => "request_timeout",
            Self::Other { code, .. } => code,
        }
    }

    /// Human text for the client; never an internal cause.
    pub fn detail(&self) -> String {
        match self {
            Self::App(app) => app.detail(),
            Self::MalformedJson(why) => format!("Malformed JSON body: {why}"),
            Self::MalformedQuery(why) => format!("Malformed query string: {why}"),
            Self::Unauthenticated => {
                "Not authenticated: name the caller with calling_user_id or user_id".to_owned()
            }
            Self::MissingToken => "Not authenticated: a bearer token is required".to_owned(),
            Self::InvalidToken(_) => "Invalid or expired token".to_owned(),
            Self::IdentityMismatch => "The named user does not match the authenticated caller".to_owned(),
            Self::RouteNotFound => "Route not found".to_owned(),
            Self::MethodNotAllowed { .. } => "Method not allowed".to_owned(),
            Self::PayloadTooLarge { limit_bytes } => {
                format!("Request body exceeds the limit of {limit_bytes} bytes")
            }
            Self::UnsupportedMediaType => "Content-Type must be application/json".to_owned(),
            Self::BodyTimeout => "The request body arrived too slowly".to_owned(),
            Self::Other { detail, .. } => detail.clone(),
        }
    }

    /// Whether the service is at fault: logged at error level with the request id.
    pub fn is_incident(&self) -> bool {
        match self {
            Self::App(app) => app.is_incident(),
            Self::Other { status, .. } => status.is_server_error(),
            _ => false,
        }
    }

    /// The JSON body, with `request_id` when known.
    pub fn body(&self, request_id: Option<&str>) -> Map<String, Value> {
        let mut body = Map::new();
        body.insert("detail".to_owned(), Value::String(self.detail()));
        body.insert("code".to_owned(), Value::String(self.code().to_owned()));
        body.insert("request_id".to_owned(), request_id.map_or(Value::Null, |id| Value::String(id.into())));
        match self {
            Self::App(AppError::Validation(errors) | AppError::InvalidRuleSet(errors)) => {
                body.insert("errors".to_owned(), field_errors_json(errors));
            }
            Self::App(app) => body.extend(app.context()),
            Self::MethodNotAllowed { allow } => {
                body.insert("allowed_methods".to_owned(), json!(allow));
            }
            Self::PayloadTooLarge { limit_bytes } => {
                body.insert("limit_bytes".to_owned(), json!(limit_bytes));
            }
            Self::Other { context, .. } => body.extend(context.clone()),
            _ => {}
        }
        body
    }

    /// The complete response: status, headers, JSON body.
    pub fn to_response(&self, request_id: Option<&str>) -> HttpResponse {
        let mut builder = HttpResponse::build(self.status());
        match self {
            Self::MethodNotAllowed { allow } => {
                builder.insert_header((header::ALLOW, allow.join(", ")));
            }
            Self::InvalidToken(_) => {
                builder.insert_header((
                    header::WWW_AUTHENTICATE,
                    HeaderValue::from_static("Bearer error=\"invalid_token\""),
                ));
            }
            Self::MissingToken => {
                builder.insert_header((header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer")));
            }
            _ => {}
        }
        builder
            .insert_header((header::CONTENT_TYPE, JSON_UTF8))
            .body(Value::Object(self.body(request_id)).to_string())
    }
}

/// `application/json; charset=utf-8`, the type of every JSON answer.
pub const JSON_UTF8: &str = "application/json; charset=utf-8";

/// The `errors` list of a 422, capped at [`MAX_FIELD_ERRORS`].
fn field_errors_json(errors: &ValidationErrors) -> Value {
    let items = errors
        .iter()
        .take(MAX_FIELD_ERRORS)
        .map(|e: &FieldError| json!({ "field": e.field, "message": e.message, "code": e.code.as_str() }));
    Value::Array(items.collect())
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        self.status()
    }

    fn error_response(&self) -> HttpResponse {
        self.to_response(None)
    }
}

impl From<ValidationErrors> for ApiError {
    fn from(errors: ValidationErrors) -> Self {
        Self::App(AppError::Validation(errors))
    }
}

impl From<FieldError> for ApiError {
    fn from(error: FieldError) -> Self {
        Self::App(AppError::invalid(error))
    }
}

#[cfg(test)]
mod tests {
    use surgicase_app::{Conflict, Missing};
    use surgicase_kernel::FieldCode;

    use super::*;

    #[test]
    fn app_errors_map_to_their_status() {
        let table: Vec<(AppError, u16, &str)> = vec![
            (AppError::Validation(ValidationErrors::new()), 422, "validation_failed"),
            (AppError::InvalidRuleSet(ValidationErrors::new()), 422, "invalid_rule_set"),
            (AppError::not_found(Missing::Case, "c1"), 404, "case_not_found"),
            (AppError::Forbidden, 403, "forbidden"),
            (AppError::forbidden_field("user_type"), 403, "forbidden_field"),
            (AppError::UnknownUser, 401, "unknown_user"),
            (AppError::Conflict(Conflict::CaseActive { case_id: "c".into() }), 409, "case_active"),
            (
                AppError::UnsupportedDocument { field: "demo_file".into(), detail: "x".into() },
                415,
                "unsupported_document_type",
            ),
            (AppError::TooLarge { limit: 10 }, 413, "payload_too_large"),
            (
                AppError::NpiWrongEntityType { npi: "1".into(), expected: "a person" },
                422,
                "npi_wrong_entity_type",
            ),
            (AppError::RegistryUnavailable("t".into()), 502, "npi_registry_unavailable"),
            (AppError::DatabaseUnavailable("t".into()), 503, "database_unavailable"),
            (AppError::ObjectStoreUnavailable("t".into()), 503, "object_store_unavailable"),
            (AppError::internal("t"), 500, "internal_error"),
        ];
        for (app, status, code) in table {
            let err = ApiError::from(app);
            assert_eq!(err.status().as_u16(), status, "{code}");
            assert_eq!(err.code(), code);
            assert_eq!(err.body(Some("r1"))["code"], code);
        }
    }

    #[test]
    fn shape_errors_map_to_their_status() {
        let table: Vec<(ApiError, u16, &str)> = vec![
            (ApiError::MalformedJson("x".into()), 400, "malformed_json"),
            (ApiError::MalformedQuery("x".into()), 400, "malformed_query"),
            (ApiError::Unauthenticated, 401, "unauthenticated"),
            (ApiError::MissingToken, 401, "unauthenticated"),
            (ApiError::InvalidToken("expired".into()), 401, "invalid_token"),
            (ApiError::IdentityMismatch, 403, "identity_mismatch"),
            (ApiError::RouteNotFound, 404, "route_not_found"),
            (ApiError::MethodNotAllowed { allow: vec!["GET"] }, 405, "method_not_allowed"),
            (ApiError::PayloadTooLarge { limit_bytes: 10 }, 413, "payload_too_large"),
            (ApiError::UnsupportedMediaType, 415, "unsupported_media_type"),
            (ApiError::other(StatusCode::GONE, "gone_x", "gone"), 410, "gone_x"),
        ];
        for (err, status, code) in table {
            assert_eq!(err.status().as_u16(), status, "{code}");
            assert_eq!(err.code(), code);
        }
    }

    #[test]
    fn internal_errors_hide_the_cause() {
        let err = ApiError::internal("connection string mysql://u:secret@db");
        let body = Value::Object(err.body(Some("r1"))).to_string();
        assert!(!body.contains("secret"), "{body}");
        assert_eq!(err.body(Some("r1")).len(), 3, "{body}");
        assert_eq!(err.detail(), "Internal error");
        assert!(err.is_incident());
    }

    #[test]
    fn validation_lists_at_most_fifty_errors() {
        let mut errors = ValidationErrors::new();
        for i in 0..60 {
            errors.push(FieldError::new(format!("f{i}"), FieldCode::Required, "must not be empty"));
        }
        let body = ApiError::from(errors).body(Some("r"));
        assert_eq!(body["errors"].as_array().map(Vec::len), Some(50));
        assert_eq!(
            body["errors"][0],
            json!({"field": "f0", "message": "must not be empty", "code": "required"})
        );
    }

    #[test]
    fn context_fields_are_added() {
        let body = ApiError::from(AppError::not_found(Missing::Case, "c-9")).body(Some("r"));
        assert_eq!(body["case_id"], "c-9");
        let body = ApiError::PayloadTooLarge { limit_bytes: 2048 }.body(None);
        assert_eq!(body["limit_bytes"], 2048);
        assert_eq!(body["request_id"], Value::Null);
    }

    #[test]
    fn special_headers() {
        let res = ApiError::InvalidToken("bad sig".into()).to_response(Some("r"));
        assert_eq!(
            res.headers().get(header::WWW_AUTHENTICATE).and_then(|v| v.to_str().ok()),
            Some("Bearer error=\"invalid_token\"")
        );
        let res = ApiError::MethodNotAllowed { allow: vec!["GET", "POST"] }.to_response(None);
        assert_eq!(res.headers().get(header::ALLOW).and_then(|v| v.to_str().ok()), Some("GET, POST"));
        assert_eq!(res.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()), Some(JSON_UTF8));
    }
}
