//! The handlers of the core routes (api.md §2–§4): each converts the request into a use
//! case's input, calls one use case with the caller's context, and maps the result with a
//! [`crate::dto`] shape. Rules live in the use cases, never here.

pub mod back_lists;
pub mod backoffice;
pub mod cases;
pub mod dashboards;
pub mod directory;
pub mod documents;
pub mod jobs;
pub mod lists;
pub mod reference;
pub mod status_rules;
pub mod users;

use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpRequest, HttpResponse, web};
use surgicase_app::{AppError, Missing};
use surgicase_kernel::{FieldError, Raw, UserId, ValidationErrors};

use crate::errors::ApiError;
use crate::request_id::RequestId;
use crate::state::AppState;

/// The state of the app serving `req`.
pub(crate) fn state(req: &HttpRequest) -> Result<web::Data<AppState>, ApiError> {
    req.app_data::<web::Data<AppState>>()
        .cloned()
        .ok_or_else(|| ApiError::internal("AppState is not registered"))
}

/// The request id, for contexts built outside [`crate::identity::authenticate`].
pub(crate) fn request_id(req: &HttpRequest) -> Option<String> {
    RequestId::of(req).map(|r| r.as_str().to_owned())
}

/// A user id naming the data subject: an id no user can have names no user (404, as any
/// user the caller may not name).
pub(crate) fn user_id(raw: &str) -> Result<UserId, ApiError> {
    UserId::parse(raw).map_err(|_| AppError::not_found(Missing::User, raw).into())
}

/// A typed query's `user_id` as the data subject, `None` when absent or blank.
pub(crate) fn subject_of(raw: &Raw<String>) -> Result<Option<UserId>, ApiError> {
    raw.value().filter(|v| !v.trim().is_empty()).map(|v| user_id(v)).transpose()
}

/// The 422 of a body whose shape the typed request refused: its shape errors (wrong JSON types,
/// unknown fields) together with the domain's, each field reported once (the shape error wins,
/// since a value of the wrong type also reads as missing to the domain).
pub(crate) fn reject(shape_errors: ValidationErrors, domain: Option<ValidationErrors>) -> ApiError {
    let mut merged = ValidationErrors::new();
    let mut shape_items: Vec<FieldError> = shape_errors.iter().cloned().collect();
    for error in domain.iter().flat_map(ValidationErrors::iter) {
        if shape_items.iter().any(|s| s.field == error.field) {
            // The shape errors of this field take its place, in the domain's order.
            let (here, rest): (Vec<FieldError>, Vec<FieldError>) =
                shape_items.into_iter().partition(|s| s.field == error.field);
            here.into_iter().for_each(|e| merged.push(e));
            shape_items = rest;
        } else {
            merged.push(error.clone());
        }
    }
    shape_items.into_iter().for_each(|e| merged.push(e));
    ApiError::from(merged)
}

/// Adds `Location` to a 201.
pub(crate) fn with_location(mut res: HttpResponse, location: &str) -> HttpResponse {
    if let Ok(value) = HeaderValue::from_str(location) {
        res.headers_mut().insert(header::LOCATION, value);
    }
    res
}

/// Percent-encodes a query value (ids may hold `+`, `:` and `@`).
pub(crate) fn query_value(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    for b in raw.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The `filter` parameter of the case lists: its problems join `errors`; `None` when invalid.
pub(crate) fn status_filter(
    raw: &Raw<String>,
    errors: &mut ValidationErrors,
) -> Result<Option<surgicase_app::cases::StatusFilter>, ApiError> {
    match surgicase_app::cases::StatusFilter::parse(crate::query::text(raw)) {
        Ok(filter) => Ok(Some(filter)),
        Err(AppError::Validation(e)) => {
            errors.extend(e);
            Ok(None)
        }
        Err(other) => Err(other.into()),
    }
}

#[cfg(test)]
mod tests {
    use surgicase_kernel::FieldCode;

    use super::*;

    fn fe(field: &str, code: FieldCode) -> FieldError {
        FieldError::new(field, code, "x")
    }

    fn listed(err: ApiError) -> Vec<(String, &'static str)> {
        match err {
            ApiError::App(AppError::Validation(e)) => {
                e.iter().map(|f| (f.field.clone(), f.code.as_str())).collect()
            }
            other => vec![(String::new(), other.code())],
        }
    }

    #[test]
    fn shape_errors_replace_the_domain_errors_of_their_field() {
        let mut shape_errors = ValidationErrors::new();
        shape_errors.push(fe("user_email", FieldCode::InvalidType));
        shape_errors.push(fe("extra", FieldCode::UnknownField));
        let mut domain = ValidationErrors::new();
        domain.push(fe("user_id", FieldCode::Required));
        domain.push(fe("user_email", FieldCode::Required));
        domain.push(fe("first_name", FieldCode::TooLong));
        assert_eq!(
            listed(reject(shape_errors, Some(domain))),
            vec![
                ("user_id".into(), "required"),
                ("user_email".into(), "invalid_type"),
                ("first_name".into(), "too_long"),
                ("extra".into(), "unknown_field"),
            ]
        );
        let mut shape_errors = ValidationErrors::new();
        shape_errors.push(fe("force_duplicate", FieldCode::InvalidType));
        assert_eq!(listed(reject(shape_errors, None)), vec![("force_duplicate".into(), "invalid_type")]);
    }

    #[test]
    fn query_values_are_encoded() {
        assert_eq!(query_value("u-jane_17.4"), "u-jane_17.4");
        assert_eq!(query_value("a+b:c@d"), "a%2Bb%3Ac%40d");
    }

    #[test]
    fn the_openapi_document_describes_the_core_shapes() {
        let doc = serde_json::to_value(crate::openapi::document(crate::routes::ROUTES)).unwrap_or_default();
        let schemas = &doc["components"]["schemas"];
        assert_eq!(schemas["Case"]["properties"]["pay_amount"]["type"], "number");
        let required = schemas["CaseUpdatedAnswer"]["required"].as_array().cloned().unwrap_or_default();
        assert!(required.contains(&"pay_amount_update".into()), "always present, possibly null");
        assert_eq!(
            doc["paths"]["/case"]["post"]["responses"]["201"]["headers"]["Location"]["schema"]["type"],
            "string"
        );
        assert_eq!(
            doc["paths"]["/case"]["post"]["requestBody"]["content"]["application/json"]["schema"]["$ref"],
            "#/components/schemas/NewCaseBody"
        );
        assert_eq!(doc["paths"]["/user"]["delete"]["x-access"], "UA");
        assert_eq!(doc["paths"]["/casefilter"]["get"]["deprecated"], true);
        assert!(doc["paths"]["/check_npi"]["get"]["responses"]["502"].is_object());
    }
}
