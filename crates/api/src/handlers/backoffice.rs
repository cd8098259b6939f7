//! The back office (api.md §6).

use actix_web::HttpResponse;

use crate::dto::backoffice::{BulkStatusAnswer, BulkStatusBody};
use crate::dto::errors::ErrorBody;
use crate::identity::Authed;
use crate::valid::Valid;
use crate::{ApiResult, respond};

/// Move many cases to one status.
#[utoipa::path(
    patch,
    path = "/bulk_update_case_status",
    tag = "backoffice",
    description = "Access: CA. One transaction: each listed active case moves to new_status (a lower \
                   status only with force=true), its status timestamp is stamped and a history row \
                   (source bulk, the reason) written; the others are listed as exceptions with the \
                   reason. Duplicated ids count once.",
    request_body(content = BulkStatusBody, content_type = "application/json"),
    responses(
        (status = 200, description = "The cases moved and the exceptions", body = BulkStatusAnswer),
        (status = 403, description = "forbidden (below CA)", body = ErrorBody),
        (status = 422, description = "validation_failed (case_ids: required, too_short, too_many; new_status: required, out_of_range, unknown_status; reason: too_long)", body = ErrorBody),
    )
)]
pub async fn bulk_update_case_status(
    Valid(body): Valid<BulkStatusBody>,
    auth: Authed,
) -> ApiResult<HttpResponse> {
    let outcome = auth.state.app.bulk_update_case_status(&auth.ctx, &body.request()).await?;
    respond::ok(&BulkStatusAnswer::from(&outcome))
}
