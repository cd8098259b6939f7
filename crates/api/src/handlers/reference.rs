//! Public reference lists (api.md §4): no identity needed, no user data.

use actix_web::{HttpRequest, HttpResponse};
use serde::Deserialize;
use surgicase_kernel::{Raw, ValidationErrors};
use utoipa::IntoParams;

use super::state;
use crate::dto::errors::ErrorBody;
use crate::dto::reference::{CptCodesAnswer, DocTypesAnswer, TimezonesAnswer};
use crate::query::{self, MAX_LIMIT, Query};
use crate::{ApiResult, respond};

/// The procedure-code master, by code.
#[utoipa::path(
    get,
    path = "/cpt_codes",
    tag = "reference",
    params(CptQuery),
    responses(
        (status = 200, description = "The codes", body = CptCodesAnswer),
        (status = 422, description = "validation_failed (limit)", body = ErrorBody),
    )
)]
pub async fn cpt_codes(req: HttpRequest, Query(q): Query<CptQuery>) -> ApiResult<HttpResponse> {
    let mut errors = ValidationErrors::new();
    let limit = query::int(&mut errors, "limit", &q.limit, 1..=MAX_LIMIT).unwrap_or(MAX_LIMIT);
    errors.into_result(())?;
    let codes = state(&req)?.app.procedure_codes(q.q.value().map(String::as_str), limit).await?;
    respond::ok(&CptCodesAnswer::new(&codes))
}

/// `GET /cpt_codes`.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(default)]
pub struct CptQuery {
    /// A code prefix or a description substring (blank: every code).
    #[param(value_type = Option<String>)]
    pub q: Raw<String>,
    /// 1–10000, default 10000.
    #[param(value_type = Option<crate::schema::LimitParam>, inline)]
    pub limit: Raw<String>,
}

/// The user document types, by name.
#[utoipa::path(
    get,
    path = "/doctypes",
    tag = "reference",
    responses((status = 200, description = "The document types", body = DocTypesAnswer))
)]
pub async fn doc_types(req: HttpRequest) -> ApiResult<HttpResponse> {
    let types = state(&req)?.app.doc_types().await?;
    respond::ok(&DocTypesAnswer::new(&types))
}

/// The time zones offered to users, by identifier.
#[utoipa::path(
    get,
    path = "/timezones",
    tag = "reference",
    responses((status = 200, description = "The time zones", body = TimezonesAnswer))
)]
pub async fn timezones(req: HttpRequest) -> ApiResult<HttpResponse> {
    let zones = state(&req)?.app.timezones().await?;
    respond::ok(&TimezonesAnswer::new(&zones))
}
