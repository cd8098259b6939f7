//! The admin lists (api.md §9). POST bodies may carry the caller's `user_id` (legacy clients).

use actix_web::HttpResponse;
use serde::Deserialize;
use surgicase_kernel::{Raw, ValidationErrors};
use utoipa::IntoParams;

use surgicase_app::lists::{BucketInput, PriceWrite};

use crate::JsonBody;
use crate::dto::errors::ErrorBody;
use crate::dto::format::Amount;
use crate::dto::lists::*;
use crate::identity::Authed;
use crate::query::{self, Query};
use crate::valid::Valid;
use crate::{ApiResult, respond};

/// The user types of people (below 1000).
#[utoipa::path(get, path = "/user_types", tag = "admin", description = "Access: GA. By type.",
    responses(
        (status = 200, description = "The user types", body = UserTypesAnswer),
        (status = 403, description = "forbidden (below GA)", body = ErrorBody),
    )
)]
pub async fn list_user_types(auth: Authed) -> ApiResult<HttpResponse> {
    let types = auth.state.app.list_user_types(&auth.ctx).await?;
    respond::ok(&UserTypesAnswer { user_types: types.iter().map(UserTypeEntry::from).collect() })
}

/// A new user type.
#[utoipa::path(post, path = "/user_types", tag = "admin", description = "Access: GA.",
    request_body(content = NewUserTypeBody, content_type = "application/json"),
    responses(
        (status = 201, description = "Created", body = UserTypeCreated),
        (status = 403, description = "forbidden (below GA)", body = ErrorBody),
        (status = 409, description = "already_exists", body = ErrorBody),
        (status = 422, description = "validation_failed (user_type, user_type_desc, user_max_case_status: out_of_range, unknown_status)", body = ErrorBody),
    )
)]
pub async fn create_user_type(Valid(body): Valid<NewUserTypeBody>, auth: Authed) -> ApiResult<HttpResponse> {
    let (record, _touched) = auth.state.app.create_user_type(&auth.ctx, &body.request()).await?;
    respond::created(&UserTypeCreated {
        message: "User type created successfully",
        item: UserTypeEntry::from(&record),
        created_by: auth.ctx.actor.user_id.to_string(),
    })
}

/// The status catalogue.
#[utoipa::path(get, path = "/case_statuses", tag = "admin", description = "Access: GA. By code.",
    responses(
        (status = 200, description = "The catalogue", body = CaseStatusesAnswer),
        (status = 403, description = "forbidden (below GA)", body = ErrorBody),
    )
)]
pub async fn list_case_statuses(auth: Authed) -> ApiResult<HttpResponse> {
    let statuses = auth.state.app.list_case_statuses(&auth.ctx).await?;
    respond::ok(&CaseStatusesAnswer { case_statuses: statuses.iter().map(CaseStatusItem::from).collect() })
}

/// A new catalogue status.
#[utoipa::path(post, path = "/case_statuses", tag = "admin", description = "Access: GA.",
    request_body(content = NewCaseStatusBody, content_type = "application/json"),
    responses(
        (status = 201, description = "Created", body = CaseStatusCreated),
        (status = 403, description = "forbidden (below GA)", body = ErrorBody),
        (status = 409, description = "already_exists", body = ErrorBody),
        (status = 422, description = "validation_failed (case_status, case_status_desc)", body = ErrorBody),
    )
)]
pub async fn create_case_status(
    Valid(body): Valid<NewCaseStatusBody>,
    auth: Authed,
) -> ApiResult<HttpResponse> {
    let (record, _touched) = auth.state.app.create_case_status(&auth.ctx, &body.request()).await?;
    respond::created(&CaseStatusCreated {
        message: "Case status created successfully",
        item: CaseStatusItem::from(&record),
        created_by: auth.ctx.actor.user_id.to_string(),
    })
}

/// The user document types.
#[utoipa::path(get, path = "/user_doc_types", tag = "admin", description = "Access: any user. By name.",
    responses(
        (status = 200, description = "The document types", body = UserDocTypesAnswer),
        (status = 401, description = "Unauthenticated or unknown user", body = ErrorBody),
    )
)]
pub async fn list_user_doc_types(auth: Authed) -> ApiResult<HttpResponse> {
    let types = auth.state.app.list_user_doc_types(&auth.ctx).await?;
    respond::ok(&UserDocTypesAnswer { user_doc_types: types.iter().map(UserDocTypeItem::from).collect() })
}

/// A new user document type.
#[utoipa::path(post, path = "/user_doc_types", tag = "admin",
    description = "Access: GA. Names compare case-insensitively.",
    request_body(content = NewDocTypeBody, content_type = "application/json"),
    responses(
        (status = 201, description = "Created", body = DocTypeCreated),
        (status = 403, description = "forbidden (below GA)", body = ErrorBody),
        (status = 409, description = "already_exists", body = ErrorBody),
        (status = 422, description = "validation_failed (doc_type, doc_prefix)", body = ErrorBody),
    )
)]
pub async fn create_user_doc_type(
    Valid(body): Valid<NewDocTypeBody>,
    auth: Authed,
) -> ApiResult<HttpResponse> {
    let (record, _touched) = auth.state.app.create_user_doc_type(&auth.ctx, &body.request()).await?;
    respond::created(&DocTypeCreated {
        message: "Document type created successfully",
        item: UserDocTypeItem::from(&record),
        created_by: auth.ctx.actor.user_id.to_string(),
    })
}

/// The price table.
#[utoipa::path(get, path = "/pay_tiers", tag = "admin", description = "Access: GA. By tier, then amount.",
    responses(
        (status = 200, description = "Every price row", body = PayTiersAnswer),
        (status = 403, description = "forbidden (below GA)", body = ErrorBody),
    )
)]
pub async fn list_pay_tiers(auth: Authed) -> ApiResult<HttpResponse> {
    let rows = auth.state.app.list_pay_tiers(&auth.ctx).await?;
    respond::ok(&PayTiersAnswer { pay_tiers: rows.iter().map(PayTierItem::from).collect() })
}

/// The price table, one line per tier.
#[utoipa::path(get, path = "/tiers_summary", tag = "admin",
    description = "Access: UA. Buckets in the order of pay.bucket_order, then any other alphabetically; \
                   amounts in whole dollars when the cents are zero; a missing price is 0.",
    responses(
        (status = 200, description = "The summary", body = TiersSummaryAnswer),
        (status = 403, description = "forbidden (below UA)", body = ErrorBody),
    )
)]
pub async fn tiers_summary(auth: Authed) -> ApiResult<HttpResponse> {
    let summary = auth.state.app.tiers_summary(&auth.ctx).await?;
    respond::ok(&TiersSummaryAnswer::from(&summary))
}

/// `GET /procedure_code_auto_fix`.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(default)]
pub struct AutoFixListQuery {
    /// Also deactivated entries (default false).
    #[param(value_type = Option<crate::schema::FlagParam>, inline)]
    pub include_inactive: Raw<String>,
}

/// The auto-fix map.
#[utoipa::path(get, path = "/procedure_code_auto_fix", tag = "admin", description = "Access: GA. By entered code.",
    params(AutoFixListQuery),
    responses(
        (status = 200, description = "The map", body = AutoFixesAnswer),
        (status = 403, description = "forbidden (below GA)", body = ErrorBody),
        (status = 422, description = "validation_failed (include_inactive)", body = ErrorBody),
    )
)]
pub async fn list_auto_fixes(Query(q): Query<AutoFixListQuery>, auth: Authed) -> ApiResult<HttpResponse> {
    let mut errors = ValidationErrors::new();
    let include_inactive = query::flag(&mut errors, "include_inactive", &q.include_inactive).unwrap_or(false);
    errors.into_result(())?;
    let fixes = auth.state.app.list_auto_fixes(&auth.ctx, include_inactive).await?;
    respond::ok(&AutoFixesAnswer { auto_fixes: fixes.iter().map(AutoFixItem::from).collect() })
}

/// A new auto-fix entry.
#[utoipa::path(post, path = "/procedure_code_auto_fix", tag = "admin",
    description = "Access: GA. No chains: the fixed code may not be an active entered code, nor the \
                   entered code an active fixed code (domain §9.3). An inactive entry of the same \
                   code is replaced.",
    request_body(content = NewAutoFixBody, content_type = "application/json"),
    responses(
        (status = 201, description = "Created", body = AutoFixCreatedAnswer),
        (status = 403, description = "forbidden (below GA)", body = ErrorBody),
        (status = 409, description = "already_exists (an active entry of that code)", body = ErrorBody),
        (status = 422, description = "validation_failed (entered_code, fixed_code: shape or chains; reason)", body = ErrorBody),
    )
)]
pub async fn create_auto_fix(Valid(body): Valid<NewAutoFixBody>, auth: Authed) -> ApiResult<HttpResponse> {
    let created = auth.state.app.create_auto_fix(&auth.ctx, &body.request()).await?;
    respond::created(&AutoFixCreatedAnswer {
        message: "Auto-fix created successfully",
        item: AutoFixItem::from(&created.entry),
    })
}

/// `DELETE /procedure_code_auto_fix`.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(default)]
pub struct AutoFixDeleteQuery {
    /// The entry's code.
    #[param(required = true, value_type = String)]
    pub entered_code: Raw<String>,
}

/// Deactivates an auto-fix entry.
#[utoipa::path(delete, path = "/procedure_code_auto_fix", tag = "admin", description = "Access: GA.",
    params(AutoFixDeleteQuery),
    responses(
        (status = 200, description = "Deactivated", body = AutoFixDeactivatedAnswer),
        (status = 403, description = "forbidden (below GA)", body = ErrorBody),
        (status = 404, description = "not_found (no active entry of that code)", body = ErrorBody),
    )
)]
pub async fn delete_auto_fix(Query(q): Query<AutoFixDeleteQuery>, auth: Authed) -> ApiResult<HttpResponse> {
    let done = auth.state.app.deactivate_auto_fix(&auth.ctx, query::text(&q.entered_code)).await?;
    respond::ok(&AutoFixDeactivatedAnswer {
        message: "Auto-fix deactivated",
        entered_code: done.entered_code,
        active: 0,
    })
}

/// Reads a price write; 422 with the reader's and the domain's problems together.
fn price_write(body: &JsonBody) -> Result<PriceWrite, crate::errors::ApiError> {
    let mut f = body.fields();
    let tier = match f.value("tier") {
        None => Raw::Absent,
        Some(_) => f.opt_i64("tier", i64::MIN..=i64::MAX).map_or(Raw::WrongType, Raw::Value),
    };
    let buckets = match f.value("buckets") {
        None => Raw::Absent,
        Some(_) => f
            .opt_object_list("buckets", |b| BucketInput {
                bucket: match b.value("bucket") {
                    None => Raw::Absent,
                    Some(_) => b.opt_str("bucket").map_or(Raw::WrongType, Raw::Value),
                },
                pay_amount: match b.value("pay_amount") {
                    None => Raw::Absent,
                    Some(_) => b.opt_money("pay_amount").map_or(Raw::WrongType, Raw::Value),
                },
            })
            .map_or(Raw::WrongType, Raw::Value),
    };
    // The caller's id, as legacy clients send it: identity reads it; here only its type counts.
    let _ = f.opt_str("user_id");
    let write = PriceWrite { tier, buckets };
    let mut errors = f.into_errors();
    errors.extend(write.problems());
    errors.into_result(write).map_err(Into::into)
}

/// New prices for one tier.
#[utoipa::path(post, path = "/pay_tiers", tag = "admin",
    description = "Access: GA. Refused whole with 409 already_exists {existing: [{bucket, tier}]} when a \
                   bucket of the tier is priced already. The tier's pre-payment cases (below 15) are \
                   re-priced in the same transaction.",
    request_body(content = PriceWriteBody, content_type = "application/json"),
    responses(
        (status = 201, description = "Created", body = PricesCreatedAnswer),
        (status = 403, description = "forbidden (below GA)", body = ErrorBody),
        (status = 409, description = "already_exists", body = ErrorBody),
        (status = 422, description = "validation_failed (tier, buckets, buckets[i].bucket, buckets[i].pay_amount)", body = ErrorBody),
    )
)]
pub async fn create_pay_tiers(body: JsonBody, auth: Authed) -> ApiResult<HttpResponse> {
    let write = price_write(&body)?;
    let created = auth.state.app.create_pay_tiers(&auth.ctx, &write).await?;
    respond::created(&PricesCreatedAnswer {
        message: "Pay tier created successfully",
        tier: created.tier,
        records_created: created.created.len(),
        buckets_created: created
            .created
            .iter()
            .map(|(bucket, amount)| BucketCreated { bucket: bucket.clone(), pay_amount: Amount(*amount) })
            .collect(),
        created_by: auth.ctx.actor.user_id.to_string(),
        cases_repriced: created.cases_repriced,
    })
}

/// Inserts or updates one tier's prices.
#[utoipa::path(put, path = "/pay_tiers", tag = "admin",
    description = "Access: GA. Upsert per bucket; the tier's pre-payment cases (below 15) are re-priced \
                   in the same transaction.",
    request_body(content = PriceWriteBody, content_type = "application/json"),
    responses(
        (status = 200, description = "Saved", body = PricesStoredAnswer),
        (status = 403, description = "forbidden (below GA)", body = ErrorBody),
        (status = 422, description = "validation_failed (tier, buckets, buckets[i].bucket, buckets[i].pay_amount)", body = ErrorBody),
    )
)]
pub async fn put_pay_tiers(body: JsonBody, auth: Authed) -> ApiResult<HttpResponse> {
    let write = price_write(&body)?;
    let stored = auth.state.app.put_pay_tiers(&auth.ctx, &write).await?;
    respond::ok(&PricesStoredAnswer {
        message: "Pay tier saved successfully",
        tier: stored.tier,
        records_created: stored.records_created,
        records_updated: stored.records_updated,
        cases_repriced: stored.cases_repriced,
    })
}

/// The caller's FAQs.
#[utoipa::path(get, path = "/faqs", tag = "admin", description = "Access: any user. The FAQs of the caller's user type, by display order.",
    responses(
        (status = 200, description = "The FAQs", body = FaqsAnswer),
        (status = 401, description = "Unauthenticated or unknown user", body = ErrorBody),
    )
)]
pub async fn list_faqs(auth: Authed) -> ApiResult<HttpResponse> {
    let faqs = auth.state.app.list_faqs(&auth.ctx).await?;
    respond::ok(&FaqsAnswer::from(&faqs))
}

/// A new FAQ.
#[utoipa::path(post, path = "/faqs", tag = "admin", description = "Access: GA.",
    request_body(content = NewFaqBody, content_type = "application/json"),
    responses(
        (status = 201, description = "Created", body = FaqCreatedAnswer),
        (status = 403, description = "forbidden (below GA)", body = ErrorBody),
        (status = 422, description = "validation_failed (user_type: unknown_user_type; faq_header, faq_text, display_order)", body = ErrorBody),
    )
)]
pub async fn create_faq(Valid(body): Valid<NewFaqBody>, auth: Authed) -> ApiResult<HttpResponse> {
    let (record, _touched) = auth.state.app.create_faq(&auth.ctx, &body.request()).await?;
    respond::created(&FaqCreatedAnswer::new(&record, auth.ctx.actor.user_id.to_string()))
}
