//! Surgeons, facilities, the NPI searches and `/check_npi` (api.md §4).

use actix_web::{HttpRequest, HttpResponse};
use serde::Deserialize;
use surgicase_directory::{FacilityInput, SurgeonInput};
use surgicase_kernel::{Raw, ValidationErrors, ValueError};
use utoipa::IntoParams;

use super::{state, subject_of};
use crate::dto::directory::{
    FacilitiesAnswer, Facility, FacilityCreatedAnswer, FacilityCriteria, FacilityDeletedAnswer,
    FacilitySearchAnswer, NpiAnswer, Surgeon, SurgeonCreatedAnswer, SurgeonCriteria, SurgeonDeletedAnswer,
    SurgeonSearchAnswer, SurgeonsAnswer,
};
use crate::dto::errors::ErrorBody;
use crate::identity::{Authed, identify_optional};
use crate::query::{self, Query};
use crate::{ApiResult, Json, QueryParams, respond};

/// Add a surgeon to a user's address book.
#[utoipa::path(
    post,
    path = "/surgeon",
    tag = "directory",
    description = "User for themselves; acting on another user (body `user_id`): CA.",
    request_body(content = SurgeonInput, content_type = "application/json"),
    responses(
        (status = 201, description = "Created", body = SurgeonCreatedAnswer),
        (status = 401, description = "Unauthenticated or unknown user", body = ErrorBody),
        (status = 404, description = "user_not_found (acting on another user)", body = ErrorBody),
        (status = 409, description = "surgeon_exists (with existing_surgeon_id), owner_inactive", body = ErrorBody),
        (status = 422, description = "validation_failed", body = ErrorBody),
    )
)]
pub async fn create_surgeon(Json(input): Json<SurgeonInput>, auth: Authed) -> ApiResult<HttpResponse> {
    let created = auth.state.app.create_surgeon(&auth.ctx, &input).await?;
    respond::created(&SurgeonCreatedAnswer::from(&created.surgeon))
}

/// A user's surgeons, by last, first name.
#[utoipa::path(
    get,
    path = "/surgeons",
    tag = "directory",
    description = "User for themselves; acting on another user: CA.",
    params(AddressBookQuery),
    responses(
        (status = 200, description = "The surgeons", body = SurgeonsAnswer),
        (status = 401, description = "Unauthenticated or unknown user", body = ErrorBody),
        (status = 404, description = "user_not_found", body = ErrorBody),
    )
)]
pub async fn list_surgeons(Query(q): Query<AddressBookQuery>, auth: Authed) -> ApiResult<HttpResponse> {
    let (owner, list) = auth.state.app.list_surgeons(&auth.ctx, subject_of(&q.user_id)?).await?;
    respond::ok(&SurgeonsAnswer {
        user_id: owner.to_string(),
        surgeons: list.iter().map(Surgeon::from).collect(),
    })
}

/// Delete a surgeon no case references.
#[utoipa::path(
    delete,
    path = "/surgeon",
    tag = "directory",
    description = "Owner or CA.",
    params(SurgeonIdQuery),
    responses(
        (status = 200, description = "Deleted", body = SurgeonDeletedAnswer),
        (status = 401, description = "Unauthenticated or unknown user", body = ErrorBody),
        (status = 404, description = "surgeon_not_found", body = ErrorBody),
        (status = 409, description = "surgeon_in_use (with case_count)", body = ErrorBody),
        (status = 422, description = "validation_failed (surgeon_id)", body = ErrorBody),
    )
)]
pub async fn delete_surgeon(Query(q): Query<SurgeonIdQuery>, auth: Authed) -> ApiResult<HttpResponse> {
    let id = required_id("surgeon_id", &q.surgeon_id)?;
    auth.state.app.delete_surgeon(&auth.ctx, id).await?;
    respond::ok(&SurgeonDeletedAnswer { message: "Surgeon deleted successfully", surgeon_id: id })
}

/// Add a facility to a user's address book.
#[utoipa::path(
    post,
    path = "/facility",
    tag = "directory",
    description = "User for themselves; acting on another user (body `user_id`): CA.",
    request_body(content = FacilityInput, content_type = "application/json"),
    responses(
        (status = 201, description = "Created", body = FacilityCreatedAnswer),
        (status = 401, description = "Unauthenticated or unknown user", body = ErrorBody),
        (status = 404, description = "user_not_found (acting on another user)", body = ErrorBody),
        (status = 409, description = "facility_exists (with existing_facility_id), owner_inactive", body = ErrorBody),
        (status = 422, description = "validation_failed", body = ErrorBody),
    )
)]
pub async fn create_facility(Json(input): Json<FacilityInput>, auth: Authed) -> ApiResult<HttpResponse> {
    let created = auth.state.app.create_facility(&auth.ctx, &input).await?;
    respond::created(&FacilityCreatedAnswer::from(&created.facility))
}

/// A user's facilities, by name.
#[utoipa::path(
    get,
    path = "/facilities",
    tag = "directory",
    description = "User for themselves; acting on another user: CA.",
    params(AddressBookQuery),
    responses(
        (status = 200, description = "The facilities", body = FacilitiesAnswer),
        (status = 401, description = "Unauthenticated or unknown user", body = ErrorBody),
        (status = 404, description = "user_not_found", body = ErrorBody),
    )
)]
pub async fn list_facilities(Query(q): Query<AddressBookQuery>, auth: Authed) -> ApiResult<HttpResponse> {
    let (owner, list) = auth.state.app.list_facilities(&auth.ctx, subject_of(&q.user_id)?).await?;
    respond::ok(&FacilitiesAnswer {
        user_id: owner.to_string(),
        facilities: list.iter().map(Facility::from).collect(),
    })
}

/// Delete a facility no case references.
#[utoipa::path(
    delete,
    path = "/facility",
    tag = "directory",
    description = "Owner or CA.",
    params(FacilityIdQuery),
    responses(
        (status = 200, description = "Deleted", body = FacilityDeletedAnswer),
        (status = 401, description = "Unauthenticated or unknown user", body = ErrorBody),
        (status = 404, description = "facility_not_found", body = ErrorBody),
        (status = 409, description = "facility_in_use (with case_count)", body = ErrorBody),
        (status = 422, description = "validation_failed (facility_id)", body = ErrorBody),
    )
)]
pub async fn delete_facility(Query(q): Query<FacilityIdQuery>, auth: Authed) -> ApiResult<HttpResponse> {
    let id = required_id("facility_id", &q.facility_id)?;
    auth.state.app.delete_facility(&auth.ctx, id).await?;
    respond::ok(&FacilityDeletedAnswer { message: "Facility deleted successfully", facility_id: id })
}

/// A required id of the query (`required`, `invalid_format`, `out_of_range`).
fn required_id(name: &str, raw: &Raw<String>) -> ApiResult<i64> {
    let mut errors = ValidationErrors::new();
    let id = query::int(&mut errors, name, raw, 1..=surgicase_kernel::ids::ID_MAX);
    if !raw.is_present() {
        errors.push(ValueError::required().at(name));
    }
    Ok(errors.into_result(id)?.unwrap_or_default())
}

/// The value as sent, `None` when absent.
fn text(raw: &Raw<String>) -> Option<&str> {
    raw.value().map(String::as_str)
}

/// The trimmed value, `None` when absent or blank (the criteria echoed by the searches).
fn trimmed(raw: &Raw<String>) -> Option<String> {
    raw.value().map(|v| v.trim()).filter(|v| !v.is_empty()).map(str::to_owned)
}

/// Search the NPI registry's individual providers (local tables).
#[utoipa::path(
    get,
    path = "/search_surgeon",
    tag = "directory",
    description = "Ten digits in `first_name`: an exact NPI lookup (check digit validated). Otherwise \
                   both names are required and match by prefix, case-insensitive.",
    params(SurgeonSearchQuery),
    responses(
        (status = 200, description = "Matches, display-normalised", body = SurgeonSearchAnswer),
        (status = 401, description = "Unauthenticated or unknown user", body = ErrorBody),
        (status = 422, description = "validation_failed (required, invalid_npi, out_of_range)", body = ErrorBody),
    )
)]
pub async fn search_surgeon(Query(q): Query<SurgeonSearchQuery>, auth: Authed) -> ApiResult<HttpResponse> {
    let found =
        auth.state.app.search_surgeons(text(&q.first_name), text(&q.last_name), text(&q.limit)).await?;
    let criteria = SurgeonCriteria { first_name: trimmed(&q.first_name), last_name: trimmed(&q.last_name) };
    respond::ok(&SurgeonSearchAnswer::new(&found, criteria))
}

/// Search the NPI registry's organisations (local tables).
#[utoipa::path(
    get,
    path = "/search_facility",
    tag = "directory",
    description = "Ten digits: an exact NPI lookup. Otherwise names containing the term (≥ 2 characters), \
                   case-insensitive.",
    params(FacilitySearchQuery),
    responses(
        (status = 200, description = "Matches, display-normalised", body = FacilitySearchAnswer),
        (status = 401, description = "Unauthenticated or unknown user", body = ErrorBody),
        (status = 422, description = "validation_failed (required, too_short, invalid_npi, out_of_range)",
         body = ErrorBody),
    )
)]
pub async fn search_facility(Query(q): Query<FacilitySearchQuery>, auth: Authed) -> ApiResult<HttpResponse> {
    let found = auth.state.app.search_facilities(text(&q.facility_name), text(&q.limit)).await?;
    let criteria = FacilityCriteria { facility_name: trimmed(&q.facility_name) };
    respond::ok(&FacilitySearchAnswer::new(&found, criteria))
}

/// Check an NPI against the national registry.
#[utoipa::path(
    get,
    path = "/check_npi",
    tag = "directory",
    description = "Registrant (jwt: a valid token, no profile needed). The check digit is \
                   validated before the registry is asked.",
    params(NpiQuery),
    responses(
        (status = 200, description = "The registry's names", body = NpiAnswer),
        (status = 401, description = "jwt mode: no valid token", body = ErrorBody),
        (status = 404, description = "npi_not_found", body = ErrorBody),
        (status = 422, description = "validation_failed (invalid_npi), npi_wrong_entity_type", body = ErrorBody),
        (status = 502, description = "npi_registry_unavailable", body = ErrorBody),
    )
)]
pub async fn check_npi(
    req: HttpRequest,
    Query(q): Query<NpiQuery>,
    raw: QueryParams,
) -> ApiResult<HttpResponse> {
    identify_optional(&req, &raw, None).await?;
    let mut errors = ValidationErrors::new();
    let facility = query::flag(&mut errors, "facility", &q.facility).unwrap_or(false);
    errors.into_result(())?;
    let checked = state(&req)?.app.check_npi(query::text(&q.npi), facility).await?;
    respond::ok(&NpiAnswer::from(&checked))
}

crate::schema::param_schemas! {
    SearchTermParam = surgicase_directory::schema::search_term;
    FacilityTermParam = surgicase_directory::schema::facility_term;
    SearchLimitParam = surgicase_directory::schema::search_limit;
}

/// `user_id` of `GET /surgeons` and `GET /facilities`.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(default)]
pub struct AddressBookQuery {
    /// Whose address book (default the caller; another user's needs CA).
    #[param(value_type = Option<crate::schema::SubjectParam>, inline)]
    pub user_id: Raw<String>,
}

/// `DELETE /surgeon`.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(default)]
pub struct SurgeonIdQuery {
    /// The surgeon.
    #[param(required = true, value_type = crate::schema::IdParam, inline)]
    pub surgeon_id: Raw<String>,
}

/// `DELETE /facility`.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(default)]
pub struct FacilityIdQuery {
    /// The facility.
    #[param(required = true, value_type = crate::schema::IdParam, inline)]
    pub facility_id: Raw<String>,
}

/// `GET /search_surgeon`.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(default)]
pub struct SurgeonSearchQuery {
    /// A first-name prefix, or ten digits: an NPI looked up exactly.
    #[param(required = true, value_type = SearchTermParam, inline)]
    pub first_name: Raw<String>,
    /// A last-name prefix (not needed, and ignored, when `first_name` is an NPI).
    #[param(required = true, value_type = SearchTermParam, inline)]
    pub last_name: Raw<String>,
    /// 1–200, default 50.
    #[param(value_type = Option<SearchLimitParam>, inline)]
    pub limit: Raw<String>,
}

/// `GET /search_facility`.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(default)]
pub struct FacilitySearchQuery {
    /// A name fragment (at least 2 characters once trimmed), or ten digits: an NPI.
    #[param(required = true, value_type = FacilityTermParam, inline)]
    pub facility_name: Raw<String>,
    /// 1–200, default 50.
    #[param(value_type = Option<SearchLimitParam>, inline)]
    pub limit: Raw<String>,
}

/// `GET /check_npi`.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(default)]
pub struct NpiQuery {
    #[param(required = true, value_type = crate::schema::NpiParam, inline)]
    pub npi: Raw<String>,
    /// Expect an organisation (default false).
    #[param(value_type = Option<crate::schema::FlagParam>, inline)]
    pub facility: Raw<String>,
}
