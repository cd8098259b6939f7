//! The back office's lists (api.md §6): users, and every user's cases by stored status.

use actix_web::HttpResponse;
use serde::Deserialize;
use surgicase_app::cases::{CasesByStatusRequest, StatusFilter};
use surgicase_kernel::{Raw, ValidationErrors};
use utoipa::IntoParams;

use crate::dto::back_lists::{CasesByStatusAnswer, UsersAnswer};
use crate::dto::errors::ErrorBody;
use crate::identity::Authed;
use crate::query::{self, PageQuery, Query};
use crate::{ApiResult, respond};

/// `GET /users`; `limit` and `offset` as [`PageQuery`].
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(default)]
pub struct UsersQuery {
    /// Also inactive users (default false).
    #[param(value_type = Option<crate::schema::FlagParam>, inline)]
    pub include_inactive: Raw<String>,
    #[serde(flatten)]
    #[param(ignore)]
    pub page: PageQuery,
}

/// People whose type is not above the caller's.
#[utoipa::path(
    get,
    path = "/users",
    tag = "backoffice",
    description = "Access: UA. Users whose user_type is at most the caller's and below 1000, by user \
                   type, first name, last name.",
    params(UsersQuery, PageQuery),
    responses(
        (status = 200, description = "A page of users", body = UsersAnswer),
        (status = 403, description = "forbidden (below UA)", body = ErrorBody),
        (status = 422, description = "validation_failed (include_inactive, limit, offset)", body = ErrorBody),
    )
)]
pub async fn list_users(Query(q): Query<UsersQuery>, auth: Authed) -> ApiResult<HttpResponse> {
    let mut errors = ValidationErrors::new();
    let include_inactive = query::flag(&mut errors, "include_inactive", &q.include_inactive).unwrap_or(false);
    let page = q.page.page(query::MAX_LIMIT, &mut errors);
    errors.into_result(())?;
    let list = auth.state.app.list_users(&auth.ctx, include_inactive, page.limit, page.offset).await?;
    respond::ok(&UsersAnswer::from(&list))
}

/// `GET /cases_by_status`; `limit` and `offset` as [`PageQuery`].
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(default)]
pub struct CasesByStatusQuery {
    /// `""` or `all` (every status), or comma-separated status codes matched on the stored status.
    #[param(value_type = Option<crate::schema::StatusFilterParam>, inline)]
    pub filter: Raw<String>,
    /// First case date (inclusive).
    #[param(value_type = Option<crate::schema::DateParam>, inline)]
    pub start_date: Raw<String>,
    /// Last case date (inclusive), not before start_date.
    #[param(value_type = Option<crate::schema::DateParam>, inline)]
    pub end_date: Raw<String>,
    #[serde(flatten)]
    #[param(ignore)]
    pub page: PageQuery,
}

/// An optional text parameter.
pub(crate) fn opt_text(raw: &Raw<String>) -> Option<String> {
    match raw {
        Raw::Value(text) => Some(text.clone()),
        _ => None,
    }
}

/// Every user's active cases at their stored statuses.
#[utoipa::path(
    get,
    path = "/cases_by_status",
    tag = "backoffice",
    description = "Access: CA. Active cases of all users, by case date desc, provider first name, last \
                   name, case id desc. Statuses are stored values (no cap).",
    params(CasesByStatusQuery, PageQuery),
    responses(
        (status = 200, description = "A page of cases", body = CasesByStatusAnswer),
        (status = 403, description = "forbidden (below CA)", body = ErrorBody),
        (status = 422, description = "validation_failed (filter: invalid_format, unknown_status; start_date, end_date: invalid_date, also when end_date is before start_date; limit, offset)", body = ErrorBody),
    )
)]
pub async fn cases_by_status(Query(q): Query<CasesByStatusQuery>, auth: Authed) -> ApiResult<HttpResponse> {
    let mut errors = ValidationErrors::new();
    let page = q.page.page(query::MAX_LIMIT, &mut errors);
    let filter = super::status_filter(&q.filter, &mut errors)?;
    let filter = errors.into_result(filter)?.unwrap_or(StatusFilter::None);
    let request = CasesByStatusRequest {
        filter,
        start_date: opt_text(&q.start_date),
        end_date: opt_text(&q.end_date),
        limit: page.limit,
        offset: page.offset,
    };
    let list = auth.state.app.cases_by_status(&auth.ctx, request).await?;
    respond::ok(&CasesByStatusAnswer::from(&list))
}
