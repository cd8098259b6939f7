//! `/user`, `/user/password`, `/user_environment` (api.md §3).

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse};
use surgicase_app::users::{READ_ONLY_FIELDS, Registrar};
use surgicase_app::{AppError, Ctx, ReadOnlySent};
use surgicase_kernel::ValueError;
use surgicase_users::{NewUser, UserPatch};

use super::{profile, reject, request_id, state, subject, user_id};
use crate::dto::errors::ErrorBody;
use crate::dto::users::{
    EnvironmentAnswer, NewUserBody, UserAnswer, UserCreatedAnswer, UserDeletedAnswer, UserPatchBody,
    UserUpdatedAnswer,
};
use crate::identity::{authenticate, identify_optional};
use crate::{ApiError, ApiResult, JsonBody, QueryParams, respond};

/// A user's profile.
#[utoipa::path(
    get,
    path = "/user",
    tag = "users",
    description = "User for themselves; acting on another user: UA. Users above the caller's \
                   type are not found.",
    params(
        ("user_id" = Option<String>, Query, description = "The profile (default the caller)"),
        ("include_inactive" = Option<bool>, Query, description = "Also inactive users (UA only; default false)"),
    ),
    responses(
        (status = 200, description = "The profile", body = UserAnswer),
        (status = 401, description = "Unauthenticated or unknown user", body = ErrorBody),
        (status = 404, description = "user_not_found", body = ErrorBody),
        (status = 422, description = "validation_failed", body = ErrorBody),
    )
)]
pub async fn get_user(req: HttpRequest, mut q: QueryParams) -> ApiResult<HttpResponse> {
    let (state, ctx) = authenticate(&req, &q, None).await?;
    let include_inactive = q.opt_bool("include_inactive").unwrap_or(false);
    q.finish()?;
    let details = state.app.get_user(&ctx, subject(&q)?, include_inactive).await?;
    respond::ok(&UserAnswer::from(&details))
}

/// Create a user: self-registration (the new `user_id` is the caller's identity) or by a UA.
#[utoipa::path(
    post,
    path = "/user",
    tag = "users",
    description = "Registrant for their own profile (jwt: the token subject; user-id mode: the \
                   body's `user_id`), or UA for anyone. Role fields need a UA unless equal to the defaults.",
    request_body(content = NewUserBody, content_type = "application/json"),
    responses(
        (status = 201, description = "Created", body = UserCreatedAnswer),
        (status = 401, description = "Unauthenticated (jwt: no valid token)", body = ErrorBody),
        (status = 403, description = "forbidden, forbidden_field", body = ErrorBody),
        (status = 409, description = "user_exists", body = ErrorBody),
        (status = 415, description = "unsupported_media_type, unsupported_document_type", body = ErrorBody),
        (status = 422, description = "validation_failed", body = ErrorBody),
    )
)]
pub async fn create_user(req: HttpRequest, q: QueryParams, body: JsonBody) -> ApiResult<HttpResponse> {
    let caller = identify_optional(&req, &q, Some(&body)).await?;
    let state = state(&req)?;
    let mut f = body.fields();
    let input = profile::read(&mut f).into_new_user();
    let shell = f.into_errors();
    if !shell.is_empty() {
        return Err(reject(shell, NewUser::parse(&input).err()));
    }
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
            return Err(match NewUser::parse(&input) {
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
    request_body(content = UserPatchBody, content_type = "application/json"),
    responses(
        (status = 200, description = "Updated (`updated_fields: []` when nothing changed)", body = UserUpdatedAnswer),
        (status = 401, description = "Unauthenticated or unknown user", body = ErrorBody),
        (status = 403, description = "forbidden_field", body = ErrorBody),
        (status = 404, description = "user_not_found", body = ErrorBody),
        (status = 415, description = "unsupported_media_type, unsupported_document_type", body = ErrorBody),
        (status = 422, description = "validation_failed (no_fields_to_update, read_only_field, unknown_user_type, …)", body = ErrorBody),
    )
)]
pub async fn update_user(req: HttpRequest, q: QueryParams, body: JsonBody) -> ApiResult<HttpResponse> {
    let (state, ctx) = authenticate(&req, &q, Some(&body)).await?;
    let mut f = body.fields();
    let fields = profile::read(&mut f);
    let active = profile::read_active(&mut f);
    f.allow(&["last_login_dt"]);
    let read_only = ReadOnlySent(f.sent_values(READ_ONLY_FIELDS));
    let input = fields.into_user_patch(active);
    let shell = f.into_errors();
    if !shell.is_empty() {
        return Err(reject(shell, UserPatch::parse(&input).err()));
    }
    let updated = state.app.patch_user(&ctx, &input, &read_only).await?;
    respond::ok(&UserUpdatedAnswer::from(&updated))
}

/// Delete (deactivate and archive) a user.
#[utoipa::path(
    delete,
    path = "/user",
    tag = "users",
    description = "UA, not oneself (403 forbidden). `user_id` names the user to delete, never \
                   the caller: in user-id mode the caller is `calling_user_id`.",
    params(
        ("user_id" = String, Query, description = "The user to delete"),
        ("calling_user_id" = Option<String>, Query, description = "The caller (required in user-id mode)"),
    ),
    responses(
        (status = 200, description = "Deactivated, or already inactive", body = UserDeletedAnswer),
        (status = 401, description = "Unauthenticated or unknown user", body = ErrorBody),
        (status = 403, description = "forbidden", body = ErrorBody),
        (status = 404, description = "user_not_found", body = ErrorBody),
        (status = 409, description = "user_has_pending_payments", body = ErrorBody),
        (status = 422, description = "validation_failed (user_id)", body = ErrorBody),
    )
)]
pub async fn delete_user(req: HttpRequest, mut q: QueryParams) -> ApiResult<HttpResponse> {
    let (state, ctx) = authenticate(&req, &q, None).await?;
    let Some(raw) = q.get_nonblank("user_id").map(str::to_owned) else {
        q.push(ValueError::required().at("user_id"));
        return Err(q.take_errors().into());
    };
    let deleted = state.app.delete_user(&ctx, &user_id(&raw)?).await?;
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
    params(("user_id" = Option<String>, Query, description = "Whose environment (default the caller)")),
    responses(
        (status = 200, description = "The environment", body = EnvironmentAnswer),
        (status = 401, description = "Unauthenticated or unknown user", body = ErrorBody),
        (status = 404, description = "user_not_found", body = ErrorBody),
    )
)]
pub async fn user_environment(req: HttpRequest, q: QueryParams) -> ApiResult<HttpResponse> {
    let (state, ctx) = authenticate(&req, &q, None).await?;
    let env = state.app.user_environment(&ctx, subject(&q)?).await?;
    respond::ok(&EnvironmentAnswer::from(&env))
}
