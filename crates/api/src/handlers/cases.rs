//! `/case`, `/case/restore`, `/case/status_history`, `/case_filter` (api.md §2).

use actix_web::HttpResponse;
use serde::Deserialize;
use surgicase_app::ReadOnlySent;
use surgicase_app::cases::{CaseFilterRequest, CaseUpdateRequest, READ_ONLY_FIELDS, StatusFilter};
use surgicase_cases::{CasePatchInput, NewCaseInput};
use surgicase_kernel::{Raw, ValidationErrors};
use utoipa::IntoParams;

use super::{query_value, subject_of, with_location};
use crate::dto::cases::{
    CaseAnswer, CaseCreatedAnswer, CaseDeletedAnswer, CaseListAnswer, CaseRestoredAnswer, CaseUpdatedAnswer,
    HistoryAnswer,
};
use crate::dto::errors::ErrorBody;
use crate::identity::Authed;
use crate::query::{self, PageQuery, Query};
use crate::{ApiResult, Json, JsonBody, QueryParams, respond};

/// Read one case.
#[utoipa::path(
    get,
    path = "/case",
    tag = "cases",
    description = "Owner or CA. A case the caller may not see is 404, never 403.",
    params(CaseIdQuery),
    responses(
        (status = 200, description = "The case, statuses through the caller's cap", body = CaseAnswer),
        (status = 401, description = "Unauthenticated or unknown user", body = ErrorBody),
        (status = 404, description = "case_not_found", body = ErrorBody),
        (status = 422, description = "validation_failed (case_id)", body = ErrorBody),
    )
)]
pub async fn get_case(
    Query(q): Query<CaseIdQuery>,
    auth: Authed,
    raw: QueryParams,
) -> ApiResult<HttpResponse> {
    let details = auth.state.app.get_case(&auth.ctx, query::text(&q.case_id)).await?;
    let calling = raw.get_nonblank("calling_user_id").map(str::to_owned);
    respond::ok(&CaseAnswer::new(&details, calling))
}

/// Create a case.
#[utoipa::path(
    post,
    path = "/case",
    tag = "cases",
    description = "User for themselves; acting on another user (body `user_id`): CA. \
                   Codes, pay, duplicates and the automatic rules in one transaction.",
    request_body(content = NewCaseInput, content_type = "application/json"),
    responses(
        (status = 201, description = "Created", body = CaseCreatedAnswer,
         headers(("Location" = String, description = "/case?case_id=<id>"))),
        (status = 401, description = "Unauthenticated or unknown user", body = ErrorBody),
        (status = 404, description = "user_not_found (acting on another user)", body = ErrorBody),
        (status = 409, description = "case_exists, duplicate_case, owner_inactive", body = ErrorBody),
        (status = 415, description = "unsupported_media_type, unsupported_document_type", body = ErrorBody),
        (status = 422, description = "validation_failed", body = ErrorBody),
        (status = 503, description = "object_store_unavailable", body = ErrorBody),
    )
)]
pub async fn create_case(Json(input): Json<NewCaseInput>, auth: Authed) -> ApiResult<HttpResponse> {
    let created = auth.state.app.create_case(&auth.ctx, input).await?;
    let location = format!("/case?case_id={}", query_value(created.case_id.as_str()));
    respond::created(&CaseCreatedAnswer::from(&created)).map(|res| with_location(res, &location))
}

/// Update a case.
#[utoipa::path(
    patch,
    path = "/case",
    tag = "cases",
    description = "Owner while the case is below 15 (else 409 case_locked), or CA. \
                   At least one updatable field. Read-only fields (`case_status` as the caller \
                   reads it, `pay_amount`, `pay_category`, `biller_status`, `dupe_flag`, \
                   `phi_encrypted`, `active`, `case_create_ts`, `case_updated_ts`, the status \
                   timestamps) are ignored when equal to the stored value, else 422 read_only_field.",
    request_body(content = CasePatchInput, content_type = "application/json"),
    responses(
        (status = 200, description = "Updated (values equal to the stored ones give `updated_fields: []`)",
         body = CaseUpdatedAnswer),
        (status = 401, description = "Unauthenticated or unknown user", body = ErrorBody),
        (status = 403, description = "forbidden_field (user_id, admin_file)", body = ErrorBody),
        (status = 404, description = "case_not_found", body = ErrorBody),
        (status = 409, description = "case_locked, duplicate_case, owner_inactive", body = ErrorBody),
        (status = 415, description = "unsupported_media_type, unsupported_document_type", body = ErrorBody),
        (status = 422, description = "validation_failed (no_fields_to_update, read_only_field, …)", body = ErrorBody),
        (status = 503, description = "object_store_unavailable", body = ErrorBody),
    )
)]
pub async fn update_case(body: JsonBody, auth: Authed) -> ApiResult<HttpResponse> {
    // Read-only fields are compared with the stored case by the use case (api.md §1.5).
    let read_only = ReadOnlySent(body.sent_values(READ_ONLY_FIELDS));
    let Json(input) = Json::<CasePatchInput>::from_map(body.into_map(), auth.state.settings.strict_fields)?;
    let updated = auth.state.app.update_case(&auth.ctx, CaseUpdateRequest { input, read_only }).await?;
    respond::ok(&CaseUpdatedAnswer::from(&updated))
}

/// Delete (deactivate and archive) a case.
#[utoipa::path(
    delete,
    path = "/case",
    tag = "cases",
    description = "Owner while below 15 (else 409 case_locked), or CA. An already deleted case \
                   answers 200 \"Case already inactive\" and retries pending document moves.",
    params(CaseIdQuery),
    responses(
        (status = 200, description = "Deactivated", body = CaseDeletedAnswer),
        (status = 401, description = "Unauthenticated or unknown user", body = ErrorBody),
        (status = 404, description = "case_not_found", body = ErrorBody),
        (status = 409, description = "case_locked", body = ErrorBody),
        (status = 422, description = "validation_failed (case_id)", body = ErrorBody),
    )
)]
pub async fn delete_case(Query(q): Query<CaseIdQuery>, auth: Authed) -> ApiResult<HttpResponse> {
    let deleted = auth.state.app.delete_case(&auth.ctx, query::text(&q.case_id)).await?;
    respond::ok(&CaseDeletedAnswer::from(&deleted))
}

/// Undo a deletion.
#[utoipa::path(
    post,
    path = "/case/restore",
    tag = "cases",
    params(RestoreQuery),
    responses(
        (status = 200, description = "Restored", body = CaseRestoredAnswer),
        (status = 401, description = "Unauthenticated or unknown user", body = ErrorBody),
        (status = 403, description = "forbidden (below CA)", body = ErrorBody),
        (status = 404, description = "case_not_found", body = ErrorBody),
        (status = 409, description = "case_active, owner_inactive, duplicate_case", body = ErrorBody),
        (status = 422, description = "validation_failed", body = ErrorBody),
    )
)]
pub async fn restore_case(Query(q): Query<RestoreQuery>, auth: Authed) -> ApiResult<HttpResponse> {
    let mut errors = ValidationErrors::new();
    let force_duplicate = query::flag(&mut errors, "force_duplicate", &q.force_duplicate).unwrap_or(false);
    errors.into_result(())?;
    let restored = auth.state.app.restore_case(&auth.ctx, query::text(&q.case_id), force_duplicate).await?;
    respond::ok(&CaseRestoredAnswer::from(&restored))
}

/// The status changes of a case, oldest first.
#[utoipa::path(
    get,
    path = "/case/status_history",
    tag = "cases",
    description = "Owner or CA (deleted cases: CA only). Below CA, statuses go through the \
                   caller's cap and other actors' ids are hidden.",
    params(CaseIdQuery),
    responses(
        (status = 200, description = "The history", body = HistoryAnswer),
        (status = 401, description = "Unauthenticated or unknown user", body = ErrorBody),
        (status = 404, description = "case_not_found", body = ErrorBody),
        (status = 422, description = "validation_failed (case_id)", body = ErrorBody),
    )
)]
pub async fn case_history(Query(q): Query<CaseIdQuery>, auth: Authed) -> ApiResult<HttpResponse> {
    let history = auth.state.app.case_history(&auth.ctx, query::text(&q.case_id)).await?;
    respond::ok(&HistoryAnswer::from(&history))
}

/// A user's active cases, newest first, filtered on the displayed status.
#[utoipa::path(
    get,
    path = "/case_filter",
    tag = "cases",
    description = "User for themselves; acting on another user: CA.",
    params(CaseFilterQuery, PageQuery),
    responses(
        (status = 200, description = "A page of cases", body = CaseListAnswer),
        (status = 401, description = "Unauthenticated or unknown user", body = ErrorBody),
        (status = 404, description = "user_not_found", body = ErrorBody),
        (status = 422, description = "validation_failed (invalid_format, unknown_status, out_of_range)",
         body = ErrorBody),
    )
)]
pub async fn filter_cases(Query(q): Query<CaseFilterQuery>, auth: Authed) -> ApiResult<HttpResponse> {
    let mut errors = ValidationErrors::new();
    let page = q.page.page(crate::query::MAX_LIMIT, &mut errors);
    let filter = super::status_filter(&q.filter, &mut errors)?;
    let user_id = subject_of(&q.user_id)?;
    let filter = errors.into_result(filter)?.unwrap_or(StatusFilter::None);
    let request = CaseFilterRequest { user_id, filter, limit: page.limit, offset: page.offset };
    let list = auth.state.app.filter_cases(&auth.ctx, request).await?;
    respond::ok(&CaseListAnswer::from(&list))
}

/// `case_id` of `GET` and `DELETE /case` and `GET /case/status_history`.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(default)]
pub struct CaseIdQuery {
    /// The case.
    #[param(required = true, value_type = crate::schema::CaseIdParam, inline)]
    pub case_id: Raw<String>,
}

/// `POST /case/restore`.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(default)]
pub struct RestoreQuery {
    /// The case.
    #[param(required = true, value_type = crate::schema::CaseIdParam, inline)]
    pub case_id: Raw<String>,
    /// Restore even when an active case of the same patient and date exists (default false).
    #[param(value_type = Option<crate::schema::FlagParam>, inline)]
    pub force_duplicate: Raw<String>,
}

/// `GET /case_filter`; `limit` and `offset` as [`PageQuery`].
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(default)]
pub struct CaseFilterQuery {
    /// Whose cases (default the caller; another user's needs CA).
    #[param(value_type = Option<crate::schema::SubjectParam>, inline)]
    pub user_id: Raw<String>,
    /// `""` or `all` (every status), or comma-separated status codes matched on the displayed
    /// status.
    #[param(value_type = Option<crate::schema::StatusFilterParam>, inline)]
    pub filter: Raw<String>,
    #[serde(flatten)]
    #[param(ignore)]
    pub page: PageQuery,
}
