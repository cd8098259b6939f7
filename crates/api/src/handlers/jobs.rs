//! The scheduler's jobs and runs, read-only, for global admins (api.md §8 "Jobs").

use actix_web::{HttpRequest, HttpResponse};
use surgicase_app::jobs::JobRunsRequest;

use crate::dto::errors::ErrorBody;
use crate::dto::jobs::{JobRunsAnswer, JobsAnswer};
use crate::identity::authenticate;
use crate::{ApiResult, QueryParams, respond};

/// The jobs of the scheduler configuration, with their next occurrence and last run.
#[utoipa::path(
    get,
    path = "/admin/jobs",
    tag = "admin",
    description = "Access: GA.",
    params(("calling_user_id" = Option<String>, Query, description = "The caller (user-id mode)")),
    responses(
        (status = 200, description = "The jobs", body = JobsAnswer),
        (status = 401, description = "Unauthenticated or unknown user", body = ErrorBody),
        (status = 403, description = "forbidden (below GA)", body = ErrorBody),
    )
)]
pub async fn list_jobs(req: HttpRequest, mut q: QueryParams) -> ApiResult<HttpResponse> {
    let (state, ctx) = authenticate(&req, &q, None).await?;
    q.finish()?;
    let jobs = state.app.job_overview(&ctx).await?;
    respond::ok(&JobsAnswer::new(&jobs))
}

/// The recorded job runs, newest first.
#[utoipa::path(
    get,
    path = "/admin/job_runs",
    tag = "admin",
    description = "Access: GA. Filters apply to `scheduled_for`; page with `before_id` = the previous \
                   answer's `next_before_id`.",
    params(
        ("job" = Option<String>, Query, description = "Job name"),
        ("outcome" = Option<String>, Query, description = "running, succeeded, failed, skipped or abandoned"),
        ("from" = Option<String>, Query, description = "RFC 3339 or YYYY-MM-DD (start of day)"),
        ("to" = Option<String>, Query, description = "RFC 3339 or YYYY-MM-DD (end of day)"),
        ("before_id" = Option<i64>, Query, description = "Only runs with a smaller id (the cursor)"),
        ("limit" = Option<i64>, Query, description = "1–1000, default 100"),
        ("calling_user_id" = Option<String>, Query, description = "The caller (user-id mode)"),
    ),
    responses(
        (status = 200, description = "A page of runs", body = JobRunsAnswer),
        (status = 401, description = "Unauthenticated or unknown user", body = ErrorBody),
        (status = 403, description = "forbidden (below GA)", body = ErrorBody),
        (status = 422, description = "validation_failed (outcome, from, to, before_id, limit)", body = ErrorBody),
    )
)]
pub async fn list_job_runs(req: HttpRequest, mut q: QueryParams) -> ApiResult<HttpResponse> {
    let (state, ctx) = authenticate(&req, &q, None).await?;
    // Ranges are the use case's to check, so that every problem is reported at once.
    let before_id = q.opt_i64("before_id", i64::MIN..=i64::MAX);
    let limit = q.opt_i64("limit", i64::MIN..=i64::MAX);
    let request = JobRunsRequest {
        job: q.opt_str("job"),
        outcome: q.opt_str("outcome"),
        from: q.opt_str("from"),
        to: q.opt_str("to"),
        before_id,
        limit,
    };
    q.finish()?;
    let page = state.app.job_runs(&ctx, &request).await?;
    respond::ok(&JobRunsAnswer::new(&page))
}
