//! `POST /bugs` and `GET /bugs` (api.md §10).

use actix_web::HttpResponse;
use serde::Deserialize;
use surgicase_app::bugs::{BugListRequest, BugReport, DEFAULT_LIST_LIMIT, MAX_LIST_LIMIT};
use surgicase_kernel::schema::{WHITE, any_case};
use surgicase_kernel::{Raw, ValidationErrors};
use surgicase_ports::Chain;
use surgicase_ports::bugs::SyncState;
use tracing::Instrument;
use utoipa::IntoParams;
use utoipa::openapi::schema::{ObjectBuilder, Schema, SchemaType, Type};

use crate::dto::errors::ErrorBody;
use crate::dto::observability::{BugBody, BugCreatedAnswer, BugItem, BugListAnswer};
use crate::handlers::reject;
use crate::identity::Authed;
use crate::query::{self, Query};
use crate::{ApiResult, JsonBody, respond, valid};

/// The body limit of `POST /bugs`.
pub const BODY_LIMIT: usize = 256 * 1024;

/// File a bug report.
#[utoipa::path(
    post,
    path = "/bugs",
    tag = "observability",
    description = "Access: user. The whole body is stored; the report is then pushed to the bug tracker \
                   (right after the answer, then with backoff until it is in).",
    request_body(content = BugBody, content_type = "application/json"),
    responses(
        (status = 201, description = "Stored", body = BugCreatedAnswer),
        (status = 401, description = "Unauthenticated or unknown user", body = ErrorBody),
        (status = 413, description = "payload_too_large", body = ErrorBody),
        (status = 422, description = "validation_failed (priority, types, lengths)", body = ErrorBody),
    )
)]
pub async fn create_bug(body: JsonBody, auth: Authed) -> ApiResult<HttpResponse> {
    // The whole body is stored, so a report may carry any other key, even in strict mode.
    let (_, shape_errors) = valid::read::<BugBody>(body.as_map().clone(), false)?;
    if !shape_errors.is_empty() {
        return Err(reject(shape_errors, BugReport::read(body.as_map()).err()));
    }
    let (state, ctx) = (auth.state, auth.ctx);
    let filed = state.app.file_bug(&ctx, body.as_map()).await?;
    if filed.sync_state == SyncState::Pending {
        // The first push runs beside the answer; a failure leaves the report pending for the
        // retries. The task carries the request's span (its request id) into its log lines.
        let app = state.app.clone();
        let bug_id = filed.bug_id;
        actix_web::rt::spawn(
            async move {
                if let Err(e) = app.sync_bug(bug_id).await {
                    tracing::warn!(bug_id, error = %Chain(&e), "first push of a bug report failed");
                }
            }
            .in_current_span(),
        );
    }
    respond::created(&BugCreatedAnswer {
        message: "Bug report created successfully",
        bug_id: filed.bug_id,
        status: filed.status,
        sync_state: filed.sync_state.as_str(),
    })
}

/// List bug reports.
#[utoipa::path(
    get,
    path = "/bugs",
    tag = "observability",
    description = "Access: user (their own reports); a global admin sees all. Newest first.",
    params(BugListQuery),
    responses(
        (status = 200, description = "The reports", body = BugListAnswer),
        (status = 401, description = "Unauthenticated or unknown user", body = ErrorBody),
        (status = 422, description = "validation_failed (status, limit)", body = ErrorBody),
    )
)]
pub async fn list_bugs(Query(q): Query<BugListQuery>, auth: Authed) -> ApiResult<HttpResponse> {
    let mut errors = ValidationErrors::new();
    let limit = query::int(&mut errors, "limit", &q.limit, 1..=MAX_LIST_LIMIT);
    errors.into_result(())?;
    let status = q.status.value().filter(|s| !s.trim().is_empty()).cloned();
    let bugs = auth.state.app.list_bugs(&auth.ctx, &BugListRequest { status, limit }).await?;
    let bugs: Vec<BugItem> = bugs.iter().map(BugItem::from).collect();
    respond::ok(&BugListAnswer { count: bugs.len(), bugs })
}

crate::schema::param_schemas! {
    BugStatusParam = status;
    BugLimitParam = limit;
}

/// `GET /bugs`.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(default)]
pub struct BugListQuery {
    /// `open` (not Closed, the default) or `all`, any case.
    #[param(value_type = Option<BugStatusParam>, inline)]
    pub status: Raw<String>,
    #[param(value_type = Option<BugLimitParam>, inline)]
    pub limit: Raw<String>,
}

fn status() -> Schema {
    let names = ["open", "all"].map(any_case).join("|");
    ObjectBuilder::new()
        .schema_type(SchemaType::new(Type::String))
        .pattern(Some(format!(r"^{WHITE}*({names})?{WHITE}*$")))
        .into()
}

/// 1–10000, default 100.
fn limit() -> Schema {
    ObjectBuilder::new()
        .schema_type(SchemaType::new(Type::Integer))
        .minimum(Some(1))
        .maximum(Some(MAX_LIST_LIMIT))
        .default(Some(DEFAULT_LIST_LIMIT.into()))
        .into()
}
