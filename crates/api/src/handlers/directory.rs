//! Surgeons, facilities, the NPI searches and `/check_npi` (api.md §4).

use actix_web::{HttpRequest, HttpResponse};
use surgicase_directory::{FacilityInput, NewFacility, NewSurgeon, SurgeonInput};

use super::{id_param, param, reject, state, subject};
use crate::dto::directory::{
    FacilitiesAnswer, Facility, FacilityBody, FacilityCreatedAnswer, FacilityCriteria, FacilityDeletedAnswer,
    FacilitySearchAnswer, NpiAnswer, Surgeon, SurgeonBody, SurgeonCreatedAnswer, SurgeonCriteria,
    SurgeonDeletedAnswer, SurgeonSearchAnswer, SurgeonsAnswer,
};
use crate::dto::errors::ErrorBody;
use crate::identity::{authenticate, identify_optional};
use crate::{ApiResult, JsonBody, QueryParams, respond};

/// Add a surgeon to a user's address book.
#[utoipa::path(
    post,
    path = "/surgeon",
    tag = "directory",
    description = "User for themselves; acting on another user (body `user_id`): CA.",
    request_body(content = SurgeonBody, content_type = "application/json"),
    responses(
        (status = 201, description = "Created", body = SurgeonCreatedAnswer),
        (status = 401, description = "Unauthenticated or unknown user", body = ErrorBody),
        (status = 404, description = "user_not_found (acting on another user)", body = ErrorBody),
        (status = 409, description = "surgeon_exists (with existing_surgeon_id), owner_inactive", body = ErrorBody),
        (status = 422, description = "validation_failed", body = ErrorBody),
    )
)]
pub async fn create_surgeon(req: HttpRequest, q: QueryParams, body: JsonBody) -> ApiResult<HttpResponse> {
    let (state, ctx) = authenticate(&req, &q, Some(&body)).await?;
    let mut f = body.fields();
    let input = SurgeonInput {
        user_id: f.raw_str("user_id"),
        first_name: f.raw_str("first_name"),
        last_name: f.raw_str("last_name"),
        surgeon_npi: f.raw_text("surgeon_npi"),
        surgeon_addr: f.raw_str("surgeon_addr"),
        surgeon_city: f.raw_str("surgeon_city"),
        surgeon_state: f.raw_str("surgeon_state"),
        surgeon_zip: f.raw_text("surgeon_zip"),
    };
    let shell = f.into_errors();
    if !shell.is_empty() {
        return Err(reject(shell, NewSurgeon::validate(&input).err()));
    }
    let created = state.app.create_surgeon(&ctx, &input).await?;
    respond::created(&SurgeonCreatedAnswer::from(&created.surgeon))
}

/// A user's surgeons, by last, first name.
#[utoipa::path(
    get,
    path = "/surgeons",
    tag = "directory",
    description = "User for themselves; acting on another user: CA.",
    params(("user_id" = Option<String>, Query, description = "Whose address book (default the caller)")),
    responses(
        (status = 200, description = "The surgeons", body = SurgeonsAnswer),
        (status = 401, description = "Unauthenticated or unknown user", body = ErrorBody),
        (status = 404, description = "user_not_found", body = ErrorBody),
    )
)]
pub async fn list_surgeons(req: HttpRequest, q: QueryParams) -> ApiResult<HttpResponse> {
    let (state, ctx) = authenticate(&req, &q, None).await?;
    let (owner, list) = state.app.list_surgeons(&ctx, subject(&q)?).await?;
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
    params(("surgeon_id" = i64, Query, description = "The surgeon")),
    responses(
        (status = 200, description = "Deleted", body = SurgeonDeletedAnswer),
        (status = 401, description = "Unauthenticated or unknown user", body = ErrorBody),
        (status = 404, description = "surgeon_not_found", body = ErrorBody),
        (status = 409, description = "surgeon_in_use (with case_count)", body = ErrorBody),
        (status = 422, description = "validation_failed (surgeon_id)", body = ErrorBody),
    )
)]
pub async fn delete_surgeon(req: HttpRequest, mut q: QueryParams) -> ApiResult<HttpResponse> {
    let (state, ctx) = authenticate(&req, &q, None).await?;
    let id = id_param(&mut q, "surgeon_id")?;
    state.app.delete_surgeon(&ctx, id).await?;
    respond::ok(&SurgeonDeletedAnswer { message: "Surgeon deleted successfully", surgeon_id: id })
}

/// Add a facility to a user's address book.
#[utoipa::path(
    post,
    path = "/facility",
    tag = "directory",
    description = "User for themselves; acting on another user (body `user_id`): CA.",
    request_body(content = FacilityBody, content_type = "application/json"),
    responses(
        (status = 201, description = "Created", body = FacilityCreatedAnswer),
        (status = 401, description = "Unauthenticated or unknown user", body = ErrorBody),
        (status = 404, description = "user_not_found (acting on another user)", body = ErrorBody),
        (status = 409, description = "facility_exists (with existing_facility_id), owner_inactive", body = ErrorBody),
        (status = 422, description = "validation_failed", body = ErrorBody),
    )
)]
pub async fn create_facility(req: HttpRequest, q: QueryParams, body: JsonBody) -> ApiResult<HttpResponse> {
    let (state, ctx) = authenticate(&req, &q, Some(&body)).await?;
    let mut f = body.fields();
    let input = FacilityInput {
        user_id: f.raw_str("user_id"),
        facility_name: f.raw_str("facility_name"),
        facility_npi: f.raw_text("facility_npi"),
        facility_addr: f.raw_str("facility_addr"),
        facility_city: f.raw_str("facility_city"),
        facility_state: f.raw_str("facility_state"),
        facility_zip: f.raw_text("facility_zip"),
    };
    let shell = f.into_errors();
    if !shell.is_empty() {
        return Err(reject(shell, NewFacility::validate(&input).err()));
    }
    let created = state.app.create_facility(&ctx, &input).await?;
    respond::created(&FacilityCreatedAnswer::from(&created.facility))
}

/// A user's facilities, by name.
#[utoipa::path(
    get,
    path = "/facilities",
    tag = "directory",
    description = "User for themselves; acting on another user: CA.",
    params(("user_id" = Option<String>, Query, description = "Whose address book (default the caller)")),
    responses(
        (status = 200, description = "The facilities", body = FacilitiesAnswer),
        (status = 401, description = "Unauthenticated or unknown user", body = ErrorBody),
        (status = 404, description = "user_not_found", body = ErrorBody),
    )
)]
pub async fn list_facilities(req: HttpRequest, q: QueryParams) -> ApiResult<HttpResponse> {
    let (state, ctx) = authenticate(&req, &q, None).await?;
    let (owner, list) = state.app.list_facilities(&ctx, subject(&q)?).await?;
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
    params(("facility_id" = i64, Query, description = "The facility")),
    responses(
        (status = 200, description = "Deleted", body = FacilityDeletedAnswer),
        (status = 401, description = "Unauthenticated or unknown user", body = ErrorBody),
        (status = 404, description = "facility_not_found", body = ErrorBody),
        (status = 409, description = "facility_in_use (with case_count)", body = ErrorBody),
        (status = 422, description = "validation_failed (facility_id)", body = ErrorBody),
    )
)]
pub async fn delete_facility(req: HttpRequest, mut q: QueryParams) -> ApiResult<HttpResponse> {
    let (state, ctx) = authenticate(&req, &q, None).await?;
    let id = id_param(&mut q, "facility_id")?;
    state.app.delete_facility(&ctx, id).await?;
    respond::ok(&FacilityDeletedAnswer { message: "Facility deleted successfully", facility_id: id })
}

fn trimmed(q: &QueryParams, name: &str) -> Option<String> {
    q.get_nonblank(name).map(|v| v.trim().to_owned())
}

/// Search the NPI registry's individual providers (local tables).
#[utoipa::path(
    get,
    path = "/search_surgeon",
    tag = "directory",
    description = "Ten digits in `first_name`: an exact NPI lookup (check digit validated). Otherwise \
                   both names are required and match by prefix, case-insensitive.",
    params(
        ("first_name" = String, Query, description = "First-name prefix, or an NPI"),
        ("last_name" = Option<String>, Query, description = "Last-name prefix"),
        ("limit" = Option<i64>, Query, description = "1–200, default 50"),
    ),
    responses(
        (status = 200, description = "Matches, display-normalised", body = SurgeonSearchAnswer),
        (status = 401, description = "Unauthenticated or unknown user", body = ErrorBody),
        (status = 422, description = "validation_failed (required, invalid_npi, out_of_range)", body = ErrorBody),
    )
)]
pub async fn search_surgeon(req: HttpRequest, q: QueryParams) -> ApiResult<HttpResponse> {
    let (state, _ctx) = authenticate(&req, &q, None).await?;
    let found = state.app.search_surgeons(q.get("first_name"), q.get("last_name"), q.get("limit")).await?;
    let criteria =
        SurgeonCriteria { first_name: trimmed(&q, "first_name"), last_name: trimmed(&q, "last_name") };
    respond::ok(&SurgeonSearchAnswer::new(&found, criteria))
}

/// Search the NPI registry's organisations (local tables).
#[utoipa::path(
    get,
    path = "/search_facility",
    tag = "directory",
    description = "Ten digits: an exact NPI lookup. Otherwise names containing the term (≥ 2 characters), \
                   case-insensitive.",
    params(
        ("facility_name" = String, Query, description = "Name fragment, or an NPI"),
        ("limit" = Option<i64>, Query, description = "1–200, default 50"),
    ),
    responses(
        (status = 200, description = "Matches, display-normalised", body = FacilitySearchAnswer),
        (status = 401, description = "Unauthenticated or unknown user", body = ErrorBody),
        (status = 422, description = "validation_failed (required, too_short, invalid_npi, out_of_range)",
         body = ErrorBody),
    )
)]
pub async fn search_facility(req: HttpRequest, q: QueryParams) -> ApiResult<HttpResponse> {
    let (state, _ctx) = authenticate(&req, &q, None).await?;
    let found = state.app.search_facilities(q.get("facility_name"), q.get("limit")).await?;
    let criteria = FacilityCriteria { facility_name: trimmed(&q, "facility_name") };
    respond::ok(&FacilitySearchAnswer::new(&found, criteria))
}

/// Check an NPI against the national registry.
#[utoipa::path(
    get,
    path = "/check_npi",
    tag = "directory",
    description = "Registrant (jwt: a valid token, no profile needed). The check digit is \
                   validated before the registry is asked.",
    params(
        ("npi" = String, Query, description = "Ten digits"),
        ("facility" = Option<bool>, Query, description = "Expect an organisation (default false)"),
    ),
    responses(
        (status = 200, description = "The registry's names", body = NpiAnswer),
        (status = 401, description = "jwt mode: no valid token", body = ErrorBody),
        (status = 404, description = "npi_not_found", body = ErrorBody),
        (status = 422, description = "validation_failed (invalid_npi), npi_wrong_entity_type", body = ErrorBody),
        (status = 502, description = "npi_registry_unavailable", body = ErrorBody),
    )
)]
pub async fn check_npi(req: HttpRequest, mut q: QueryParams) -> ApiResult<HttpResponse> {
    identify_optional(&req, &q, None).await?;
    let facility = q.opt_bool("facility").unwrap_or(false);
    q.finish()?;
    let checked = state(&req)?.app.check_npi(param(&q, "npi"), facility).await?;
    respond::ok(&NpiAnswer::from(&checked))
}
