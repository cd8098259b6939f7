//! The back-office dashboards (api.md §6).

use std::time::Instant;

use actix_web::HttpResponse;
use serde::Deserialize;
use serde_json::{Value, json};
use surgicase_kernel::Raw;
use surgicase_kernel::time::format_timestamp;
use utoipa::IntoParams;

use super::back_lists::opt_text;
use crate::dto::dashboards::{CaseDashboardAnswer, DateFilters, UserDashboardAnswer};
use crate::dto::errors::ErrorBody;
use crate::identity::Authed;
use crate::observability::health::report_body;
use crate::query::Query;
use crate::{ApiResult, respond};

/// The date range of a dashboard.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(default)]
pub struct DashboardQuery {
    /// First case date (inclusive).
    #[param(value_type = Option<crate::schema::DateParam>, inline)]
    pub start_date: Raw<String>,
    /// Last case date (inclusive), not before start_date.
    #[param(value_type = Option<crate::schema::DateParam>, inline)]
    pub end_date: Raw<String>,
}

/// Active cases per stored status and per pay category.
#[utoipa::path(
    get,
    path = "/case_dashboard_data",
    tag = "backoffice",
    description = "Access: CA. Active cases with case_date in the range: count and total pay per status \
                   (by status) and per pay category (\"Unknown\" for none; by category).",
    params(DashboardQuery),
    responses(
        (status = 200, description = "The case dashboard", body = CaseDashboardAnswer),
        (status = 403, description = "forbidden (below CA)", body = ErrorBody),
        (status = 422, description = "validation_failed (start_date, end_date: invalid_date, also when end_date is before start_date)", body = ErrorBody),
    )
)]
pub async fn case_dashboard(Query(q): Query<DashboardQuery>, auth: Authed) -> ApiResult<HttpResponse> {
    let (start, end) = (opt_text(&q.start_date), opt_text(&q.end_date));
    let dashboard = auth.state.app.case_dashboard(&auth.ctx, start.as_deref(), end.as_deref()).await?;
    respond::ok(&CaseDashboardAnswer::from(&dashboard))
}

/// Active people per user type.
#[utoipa::path(
    get,
    path = "/user_dashboard_data",
    tag = "backoffice",
    description = "Access: CA. Active users of types below 1000, counted per type. The legacy \
                   `validated` and `skip_logging` parameters are ignored.",
    responses(
        (status = 200, description = "The user dashboard", body = UserDashboardAnswer),
        (status = 403, description = "forbidden (below CA)", body = ErrorBody),
    )
)]
pub async fn user_dashboard(auth: Authed) -> ApiResult<HttpResponse> {
    let dashboard = auth.state.app.user_dashboard(&auth.ctx).await?;
    respond::ok(&UserDashboardAnswer::from(&dashboard))
}

/// Health, both dashboards and a summary in one answer.
#[utoipa::path(
    get,
    path = "/build_dashboard",
    tag = "backoffice",
    description = "Access: CA. {dashboard_type: \"comprehensive\", timestamp, execution_time_ms, \
                   request_filters, data: {health, cases, users}, summary: {overall_health, total_cases, \
                   total_users, case_total_amount, healthy_services, total_services, total_pay_tiers \
                   (distinct tiers of the price table)}, errors, status}. A part that fails is null, \
                   named in errors, and the status is \"partial\" (still 200).",
    params(DashboardQuery),
    responses(
        (status = 200, description = "The combined dashboard (status complete or partial)"),
        (status = 403, description = "forbidden (below CA)", body = ErrorBody),
        (status = 422, description = "validation_failed (start_date, end_date: invalid_date, also when end_date is before start_date)", body = ErrorBody),
    )
)]
pub async fn build_dashboard(Query(q): Query<DashboardQuery>, auth: Authed) -> ApiResult<HttpResponse> {
    let started = Instant::now();
    let (start, end) = (opt_text(&q.start_date), opt_text(&q.end_date));
    let app = &auth.state.app;
    let parts = app.dashboard_parts(&auth.ctx, start.as_deref(), end.as_deref()).await?;
    let health = auth.state.observability.check_cached(&app.health_checker(), app.clock().now()).await;

    let cases = match &parts.cases {
        Ok(d) => json!(CaseDashboardAnswer::from(d)),
        Err(e) => {
            tracing::warn!(error = %e, "case dashboard failed");
            Value::Null
        }
    };
    let users = match &parts.users {
        Ok(d) => json!(UserDashboardAnswer::from(d)),
        Err(e) => {
            tracing::warn!(error = %e, "user dashboard failed");
            Value::Null
        }
    };
    let pay_tiers = match &parts.pay_tiers {
        Ok(n) => json!(n),
        Err(e) => {
            tracing::warn!(error = %e, "pay tier count failed");
            Value::Null
        }
    };
    let failed = parts.failed_parts();
    let filters = DateFilters::from(parts.range);
    let body = json!({
        "dashboard_type": "comprehensive",
        "timestamp": format_timestamp(app.clock().now()),
        "execution_time_ms": started.elapsed().as_secs_f64() * 1000.0,
        "request_filters": {
            "user_id": auth.ctx.actor.user_id.as_str(),
            "start_date": filters.start_date,
            "end_date": filters.end_date,
        },
        "data": {"health": report_body(&health, false), "cases": cases, "users": users},
        "summary": {
            "overall_health": health.status.as_str(),
            "total_cases": parts.cases.as_ref().map_or(Value::Null, |d| json!(d.total_cases)),
            "total_users": parts.users.as_ref().map_or(Value::Null, |d| json!(d.total_users)),
            "case_total_amount": parts.cases.as_ref().map_or(Value::Null, |d| json!(d.total_amount.to_string())),
            "healthy_services": health.summary.healthy,
            "total_services": health.summary.total_services,
            "total_pay_tiers": pay_tiers,
        },
        "status": if failed.is_empty() { "complete" } else { "partial" },
        "errors": if failed.is_empty() {
            Value::Null
        } else {
            failed.iter().map(|part| format!("{part} data collection failed")).collect()
        },
    });
    respond::ok(&body)
}
