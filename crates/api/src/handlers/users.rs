//! `/user`, `/user/password`, `/user_environment` (api.md §3).

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse};
use serde::Deserialize;
use surgicase_app::users::{READ_ONLY_FIELDS, Registrar};
use surgicase_app::{AppError, Ctx, ReadOnlySent};
use surgicase_kernel::{Raw, ValidationErrors, ValueError};
use surgicase_users::schema::NewProfileBody;
use surgicase_users::{Mode, ProfileChanges, ProfileInput};
use utoipa::IntoParams;

use super::{request_id, state, subject_of, user_id};
use crate::dto::errors::ErrorBody;
use crate::dto::users::{
    EnvironmentAnswer, UserAnswer, UserCreatedAnswer, UserDeletedAnswer, UserUpdatedAnswer,
};
use crate::identity::{Authed, registrant};
use crate::query::{self, Query};
use crate::{ApiError, ApiResult, Json, JsonBody, respond};

/// A user's profile.
#[utoipa::path(
    get,
    path = "/user",
    tag = "users",
    description = "User for themselves; acting on another user: UA. Users above the caller's \
                   type are not found.",
    params(UserQuery),
    responses(
        (status = 200, description = "The profile", body = UserAnswer),
        (status = 401, description = "Unauthenticated or unknown user", body = ErrorBody),
        (status = 404, description = "user_not_found", body = ErrorBody),
        (status = 422, description = "validation_failed", body = ErrorBody),
    )
)]
pub async fn get_user(Query(q): Query<UserQuery>, auth: Authed) -> ApiResult<HttpResponse> {
    let mut errors = ValidationErrors::new();
    let include_inactive = query::flag(&mut errors, "include_inactive", &q.include_inactive).unwrap_or(false);
    errors.into_result(())?;
    let details = auth.state.app.get_user(&auth.ctx, subject_of(&q.user_id)?, include_inactive).await?;
    respond::ok(&UserAnswer::from(&details))
}

/// Create a user: self-registration (the new `user_id` is the caller's identity) or by a UA.
#[utoipa::path(
    post,
    path = "/user",
    tag = "users",
    description = "Registrant for their own profile (jwt: the token subject; user-id mode: the \
                   body's `user_id`), or UA for anyone. Role fields need a UA unless equal to the defaults.",
    request_body(content = NewProfileBody, content_type = "application/json"),
    responses(
        (status = 201, description = "Created", body = UserCreatedAnswer),
        (status = 401, description = "Unauthenticated (jwt: no valid token)", body = ErrorBody),
        (status = 403, description = "forbidden, forbidden_field", body = ErrorBody),
        (status = 409, description = "user_exists", body = ErrorBody),
        (status = 415, description = "unsupported_media_type, unsupported_document_type", body = ErrorBody),
        (status = 422, description = "validation_failed", body = ErrorBody),
    )
)]
pub async fn create_user(req: HttpRequest, Json(input): Json<ProfileInput>) -> ApiResult<HttpResponse> {
    let caller = registrant(&req).await?;
    let state = state(&req)?;
    // A caller without an active profile registers themselves.
    let registrar = match caller {
        Some(caller) => match state.app.authenticate(&caller.user_id).await {
            Ok(actor) => Registrar::User(Ctx::new(actor, request_id(&req))),
            Err(AppError::UnknownUser) => {
                Registrar::Registrant { identity: caller.user_id, request_id: request_id(&req) }
            }
            Err(other) => return Err(other.into()),
        },
        // User-id mode without a string `user_id`: nobody to register.
        None => {
            return Err(match ProfileChanges::parse(&input, Mode::Create) {
                Err(errors) => errors.into(),
                Ok(_) => ApiError::Unauthenticated,
            });
        }
    };
    let created = state.app.create_user(&registrar, &input).await?;
    respond::created(&UserCreatedAnswer::from(&created))
}

/// Update a profile.
#[utoipa::path(
    patch,
    path = "/user",
    tag = "users",
    description = "User for their own profile fields; acting on another user: UA. Role fields \
                   (`user_type`, `user_tier`, `max_case_status`, `active`) need a UA and never apply to \
                   oneself, unless equal to the stored value. Read-only `create_ts` and \
                   `last_updated_ts` are ignored when equal to the stored value, else 422 \
                   read_only_field; `last_login_dt` is ignored.",
    request_body(content = ProfileInput, content_type = "application/json"),
    responses(
        (status = 200, description = "Updated (`updated_fields: []` when nothing changed)", body = UserUpdatedAnswer),
        (status = 401, description = "Unauthenticated or unknown user", body = ErrorBody),
        (status = 403, description = "forbidden_field", body = ErrorBody),
        (status = 404, description = "user_not_found", body = ErrorBody),
        (status = 415, description = "unsupported_media_type, unsupported_document_type", body = ErrorBody),
        (status = 422, description = "validation_failed (no_fields_to_update, read_only_field, unknown_user_type, …)", body = ErrorBody),
    )
)]
pub async fn update_user(body: JsonBody, auth: Authed) -> ApiResult<HttpResponse> {
    // Read-only fields are compared with the stored profile by the use case (api.md §1.5).
    let read_only = ReadOnlySent(body.sent_values(READ_ONLY_FIELDS));
    let Json(input) = Json::<ProfileInput>::from_map(body.into_map(), auth.state.settings.strict_fields)?;
    let updated = auth.state.app.patch_user(&auth.ctx, &input, &read_only).await?;
    respond::ok(&UserUpdatedAnswer::from(&updated))
}

/// Delete (deactivate and archive) a user.
#[utoipa::path(
    delete,
    path = "/user",
    tag = "users",
    description = "UA, not oneself (403 forbidden). `user_id` names the user to delete, never \
                   the caller: in user-id mode the caller is `calling_user_id`.",
    params(DeleteUserQuery),
    responses(
        (status = 200, description = "Deactivated, or already inactive", body = UserDeletedAnswer),
        (status = 401, description = "Unauthenticated or unknown user", body = ErrorBody),
        (status = 403, description = "forbidden", body = ErrorBody),
        (status = 404, description = "user_not_found", body = ErrorBody),
        (status = 409, description = "user_has_pending_payments", body = ErrorBody),
        (status = 422, description = "validation_failed (user_id)", body = ErrorBody),
    )
)]
pub async fn delete_user(Query(q): Query<DeleteUserQuery>, auth: Authed) -> ApiResult<HttpResponse> {
    let Some(raw) = q.user_id.value().filter(|u| !u.trim().is_empty()) else {
        return Err(ValidationErrors::from(ValueError::required().at("user_id")).into());
    };
    let deleted = auth.state.app.delete_user(&auth.ctx, &user_id(raw)?).await?;
    respond::ok(&UserDeletedAnswer::from(&deleted))
}

/// Passwords are changed in the identity provider, never here.
#[utoipa::path(
    put,
    path = "/user/password",
    tag = "users",
    responses((status = 410, description = "password_managed_by_identity_provider", body = ErrorBody))
)]
pub async fn change_password() -> ApiResult<HttpResponse> {
    Err(ApiError::other(
        StatusCode::GONE,
        "password_managed_by_identity_provider",
        "Passwords are managed by the identity provider; change yours there",
    ))
}

/// What the client needs at start-up; records the login (at most once a minute).
#[utoipa::path(
    get,
    path = "/user_environment",
    tag = "users",
    description = "User for themselves; acting on another user: UA.",
    params(SubjectQuery),
    responses(
        (status = 200, description = "The environment", body = EnvironmentAnswer),
        (status = 401, description = "Unauthenticated or unknown user", body = ErrorBody),
        (status = 404, description = "user_not_found", body = ErrorBody),
    )
)]
pub async fn user_environment(Query(q): Query<SubjectQuery>, auth: Authed) -> ApiResult<HttpResponse> {
    let env = auth.state.app.user_environment(&auth.ctx, subject_of(&q.user_id)?).await?;
    respond::ok(&EnvironmentAnswer::from(&env))
}

/// A `user_id` naming the data subject (default the caller; another user needs UA).
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(default)]
pub struct SubjectQuery {
    /// Whose data (default the caller).
    #[param(schema_with = crate::schema::subject)]
    pub user_id: Raw<String>,
}

/// `GET /user`.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(default)]
pub struct UserQuery {
    /// The profile (default the caller).
    #[param(schema_with = crate::schema::subject)]
    pub user_id: Raw<String>,
    /// Also an inactive user (UA only; default false).
    #[param(schema_with = crate::schema::query_flag)]
    pub include_inactive: Raw<String>,
}

/// `DELETE /user`: `user_id` names the user to delete, never the caller.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(default)]
pub struct DeleteUserQuery {
    /// The user to delete.
    #[param(required = true, value_type = crate::schema::UserIdParam, inline)]
    pub user_id: Raw<String>,
}
