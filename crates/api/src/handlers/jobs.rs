//! The scheduler's jobs and runs, read-only, for global admins (api.md §8 "Jobs").

use actix_web::HttpResponse;
use serde::Deserialize;
use surgicase_app::jobs::{JOB_NAME_MAX, JobRunsRequest, RUNS_LIMIT_DEFAULT, RUNS_LIMIT_MAX};
use surgicase_kernel::schema::{DATE, NOT_WHITE, RFC3339, WHITE};
use surgicase_kernel::{Raw, ValidationErrors};
use surgicase_ports::RunOutcome;
use utoipa::IntoParams;
use utoipa::openapi::schema::{ObjectBuilder, Schema, SchemaType, Type};

use crate::dto::errors::ErrorBody;
use crate::dto::jobs::{JobRunsAnswer, JobsAnswer};
use crate::identity::Authed;
use crate::query::{self, Query};
use crate::{ApiResult, respond};

/// The jobs of the scheduler configuration, with their next occurrence and last run.
#[utoipa::path(
    get,
    path = "/admin/jobs",
    tag = "admin",
    description = "Access: GA.",
    responses(
        (status = 200, description = "The jobs", body = JobsAnswer),
        (status = 401, description = "Unauthenticated or unknown user", body = ErrorBody),
        (status = 403, description = "forbidden (below GA)", body = ErrorBody),
    )
)]
pub async fn list_jobs(auth: Authed) -> ApiResult<HttpResponse> {
    let jobs = auth.state.app.job_overview(&auth.ctx).await?;
    respond::ok(&JobsAnswer::new(&jobs))
}

/// The recorded job runs, newest first.
#[utoipa::path(
    get,
    path = "/admin/job_runs",
    tag = "admin",
    description = "Access: GA. Filters apply to `scheduled_for`; page with `before_id` = the previous \
                   answer's `next_before_id`.",
    params(JobRunsQuery),
    responses(
        (status = 200, description = "A page of runs", body = JobRunsAnswer),
        (status = 401, description = "Unauthenticated or unknown user", body = ErrorBody),
        (status = 403, description = "forbidden (below GA)", body = ErrorBody),
        (status = 422, description = "validation_failed (outcome, from, to, before_id, limit)", body = ErrorBody),
    )
)]
pub async fn list_job_runs(Query(q): Query<JobRunsQuery>, auth: Authed) -> ApiResult<HttpResponse> {
    // Ranges are the use case's to check, so that every problem is reported at once.
    let mut errors = ValidationErrors::new();
    let before_id = query::int(&mut errors, "before_id", &q.before_id, i64::MIN..=i64::MAX);
    let limit = query::int(&mut errors, "limit", &q.limit, i64::MIN..=i64::MAX);
    errors.into_result(())?;
    let text = |raw: &Raw<String>| raw.value().filter(|v| !v.trim().is_empty()).cloned();
    let request = JobRunsRequest {
        job: text(&q.job),
        outcome: text(&q.outcome),
        from: text(&q.from),
        to: text(&q.to),
        before_id,
        limit,
    };
    let page = auth.state.app.job_runs(&auth.ctx, &request).await?;
    respond::ok(&JobRunsAnswer::new(&page))
}

crate::schema::param_schemas! {
    JobParam = job;
    OutcomeParam = outcome;
    InstantParam = instant;
    BeforeIdParam = before_id;
    RunsLimitParam = limit;
}

/// `GET /admin/job_runs`; blank filters are no filters.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(default)]
pub struct JobRunsQuery {
    /// A job name (unknown names match nothing).
    #[param(value_type = Option<JobParam>, inline)]
    pub job: Raw<String>,
    #[param(value_type = Option<OutcomeParam>, inline)]
    pub outcome: Raw<String>,
    /// From this instant: RFC 3339, or a date (its start).
    #[param(value_type = Option<InstantParam>, inline)]
    pub from: Raw<String>,
    /// Until this instant: RFC 3339, or a date (its end).
    #[param(value_type = Option<InstantParam>, inline)]
    pub to: Raw<String>,
    /// Only runs with a smaller id (the cursor).
    #[param(value_type = Option<BeforeIdParam>, inline)]
    pub before_id: Raw<String>,
    #[param(value_type = Option<RunsLimitParam>, inline)]
    pub limit: Raw<String>,
}

fn string() -> ObjectBuilder {
    ObjectBuilder::new().schema_type(SchemaType::new(Type::String))
}

/// At most [`JOB_NAME_MAX`] characters once trimmed: the first and the last that are not white
/// space hold at most that many between them.
fn job() -> Schema {
    let inner = JOB_NAME_MAX - 2;
    let pattern = format!(r"^{WHITE}*({NOT_WHITE}([\s\S]{{0,{inner}}}{NOT_WHITE})?)?{WHITE}*$");
    string().pattern(Some(pattern)).into()
}

/// `running`, `succeeded`, `failed`, `skipped` or `abandoned`; blank: any.
fn outcome() -> Schema {
    let names: Vec<&str> = RunOutcome::ALL.iter().map(|o| o.as_str()).collect();
    string().pattern(Some(format!(r"^{WHITE}*({})?{WHITE}*$", names.join("|")))).into()
}

/// RFC 3339 or `YYYY-MM-DD`, surrounding white space ignored; blank: no bound.
fn instant() -> Schema {
    string().pattern(Some(format!(r"^{WHITE}*({RFC3339}|{DATE})?{WHITE}*$"))).into()
}

fn before_id() -> Schema {
    ObjectBuilder::new()
        .schema_type(SchemaType::new(Type::Integer))
        .minimum(Some(1))
        .maximum(Some(i64::MAX))
        .into()
}

/// 1–1000, default 100.
fn limit() -> Schema {
    ObjectBuilder::new()
        .schema_type(SchemaType::new(Type::Integer))
        .minimum(Some(1))
        .maximum(Some(RUNS_LIMIT_MAX))
        .default(Some(RUNS_LIMIT_DEFAULT.into()))
        .into()
}
