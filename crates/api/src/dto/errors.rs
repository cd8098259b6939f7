//! The error body, for the OpenAPI document (answers are rendered by [`crate::ApiError`]).

use serde::Serialize;
use utoipa::ToSchema;

/// Every error answer (api.md §1.4). Further context fields are named per error
/// (`case_id`, `existing_case_id`, `field`, `limit_bytes`, …).
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    /// Human text.
    #[schema(example = "Case not found")]
    pub detail: String,
    /// Stable snake_case code.
    #[schema(example = "case_not_found")]
    pub code: String,
    pub request_id: String,
    /// Every problem of a 422 `validation_failed` (at most 50).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub errors: Option<Vec<FieldErrorBody>>,
}

/// One problem of a 422.
#[derive(Debug, Serialize, ToSchema)]
pub struct FieldErrorBody {
    /// Dotted path into the body with `[i]` for array items, or a query parameter.
    #[schema(example = "patient.first")]
    pub field: String,
    pub message: String,
    #[schema(example = "required")]
    pub code: String,
}
