//! Public reference lists (api.md §4): no identity needed, no user data.

use actix_web::{HttpRequest, HttpResponse};

use super::state;
use crate::dto::errors::ErrorBody;
use crate::dto::reference::{CptCodesAnswer, DocTypesAnswer, TimezonesAnswer};
use crate::query::MAX_LIMIT;
use crate::{ApiResult, QueryParams, respond};

/// The procedure-code master, by code.
#[utoipa::path(
    get,
    path = "/cpt_codes",
    tag = "reference",
    params(
        ("q" = Option<String>, Query, description = "Code prefix or description substring"),
        ("limit" = Option<i64>, Query, description = "1–10000, default 10000"),
    ),
    responses(
        (status = 200, description = "The codes", body = CptCodesAnswer),
        (status = 422, description = "validation_failed (limit)", body = ErrorBody),
    )
)]
pub async fn cpt_codes(req: HttpRequest, mut q: QueryParams) -> ApiResult<HttpResponse> {
    let limit = q.opt_i64("limit", 1..=MAX_LIMIT).unwrap_or(MAX_LIMIT);
    q.finish()?;
    let codes = state(&req)?.app.procedure_codes(q.get("q"), limit).await?;
    respond::ok(&CptCodesAnswer::new(&codes))
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
