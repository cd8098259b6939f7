//! `POST /bugs` and `GET /bugs` (api.md §10).

use actix_web::{HttpRequest, HttpResponse};
use serde_json::{Value, json};
use surgicase_app::bugs::BugListRequest;
use surgicase_kernel::time::format_timestamp;
use surgicase_ports::bugs::{BugRecord, SyncState};
use tracing::Instrument;

use crate::dto::errors::ErrorBody;
use crate::identity::authenticate;
use crate::{ApiResult, JsonBody, QueryParams, respond};

/// The body limit of `POST /bugs`.
pub const BODY_LIMIT: usize = 256 * 1024;

/// File a bug report.
#[utoipa::path(
    post,
    path = "/bugs",
    tag = "observability",
    description = "Access: user. Body (≤ 256 KiB): bug_date, calling_page, priority (urgent, high, medium, \
                   normal, low; default medium), bug {title, description}, user_profile {first_name, last_name}, \
                   optional context arrays and objects. The whole body is stored; the report is then pushed to \
                   the bug tracker (right after the answer, then with backoff until it is in).",
    request_body(content = Object, description = "The report", content_type = "application/json"),
    responses(
        (status = 201, description = "{\"message\": \"Bug report created successfully\", \"bug_id\", \"status\": \"Open\", \"sync_state\": \"pending\" | \"disabled\"}"),
        (status = 401, description = "Unauthenticated or unknown user", body = ErrorBody),
        (status = 413, description = "payload_too_large", body = ErrorBody),
        (status = 422, description = "validation_failed (priority, types, lengths)", body = ErrorBody),
    )
)]
pub async fn create_bug(req: HttpRequest, q: QueryParams, body: JsonBody) -> ApiResult<HttpResponse> {
    let (state, ctx) = authenticate(&req, &q, Some(&body)).await?;
    let filed = state.app.file_bug(&ctx, body.as_map()).await?;
    if filed.sync_state == SyncState::Pending {
        // The first push runs beside the answer; a failure leaves the report pending for the
        // retries. The task carries the request's span (its request id) into its log lines.
        let app = state.app.clone();
        let bug_id = filed.bug_id;
        actix_web::rt::spawn(
            async move {
                if let Err(e) = app.sync_bug(bug_id).await {
                    tracing::warn!(bug_id, error = %e, "first push of a bug report failed");
                }
            }
            .in_current_span(),
        );
    }
    respond::created(&json!({
        "message": "Bug report created successfully",
        "bug_id": filed.bug_id,
        "status": "Open",
        "sync_state": filed.sync_state.as_str(),
    }))
}

fn bug_json(b: &BugRecord) -> Value {
    json!({
        "bug_id": b.bug_id,
        "title": b.title,
        "description": b.description,
        "calling_page": b.calling_page,
        "status": b.status,
        "priority": b.priority.as_str(),
        "created_ts": format_timestamp(b.created_ts),
        "sync_state": b.sync_state.as_str(),
        "tracker_task_id": b.tracker_task_id,
    })
}

/// List bug reports.
#[utoipa::path(
    get,
    path = "/bugs",
    tag = "observability",
    description = "Access: user (their own reports); a global admin sees all. Newest first.",
    params(
        ("status" = Option<String>, Query, description = "open (not Closed, the default) or all"),
        ("limit" = Option<i64>, Query, description = "1–10000, default 100"),
        ("calling_user_id" = Option<String>, Query, description = "The caller (user-id mode)"),
    ),
    responses(
        (status = 200, description = "{\"bugs\": [{bug_id, title, description, calling_page, status, priority, created_ts, sync_state, tracker_task_id}], \"count\"}"),
        (status = 401, description = "Unauthenticated or unknown user", body = ErrorBody),
        (status = 422, description = "validation_failed (status, limit)", body = ErrorBody),
    )
)]
pub async fn list_bugs(req: HttpRequest, mut q: QueryParams) -> ApiResult<HttpResponse> {
    let (state, ctx) = authenticate(&req, &q, None).await?;
    let limit = q.opt_i64("limit", 1..=surgicase_app::bugs::MAX_LIST_LIMIT);
    let status = q.get_nonblank("status").map(str::to_owned);
    q.finish()?;
    let bugs = state.app.list_bugs(&ctx, &BugListRequest { status, limit }).await?;
    let list: Vec<Value> = bugs.iter().map(bug_json).collect();
    respond::ok(&json!({ "count": list.len(), "bugs": list }))
}
