//! The back-office dashboards (api.md §6). Amounts are strings with two decimals here, as the
//! legacy dashboards sent them.

use serde::Serialize;
use surgicase_app::dashboards::{CaseDashboard, CategoryRow, UserDashboard};
use surgicase_ports::records::{CaseDateRange, StatusTotal, UserTypeCount};
use utoipa::ToSchema;

use super::format::date;

/// Active cases at one stored status.
#[derive(Debug, Serialize, ToSchema)]
pub struct StatusRow {
    pub case_status: i16,
    pub case_status_desc: Option<String>,
    pub cases: i64,
    #[schema(example = "1234.50")]
    pub total_amount: String,
}

impl From<&StatusTotal> for StatusRow {
    fn from(r: &StatusTotal) -> Self {
        Self {
            case_status: r.case_status.code(),
            case_status_desc: r.case_status_desc.clone(),
            cases: r.cases,
            total_amount: r.total.to_string(),
        }
    }
}

/// Active cases of one pay category ("Unknown" for unpriced cases).
#[derive(Debug, Serialize, ToSchema)]
pub struct CategoryTotalRow {
    pub pay_category: String,
    pub cases: i64,
    #[schema(example = "900.00")]
    pub total_amount: String,
}

impl From<&CategoryRow> for CategoryTotalRow {
    fn from(r: &CategoryRow) -> Self {
        Self { pay_category: r.pay_category.clone(), cases: r.cases, total_amount: r.total.to_string() }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CaseSummary {
    pub total_cases: i64,
    #[schema(example = "2134.50")]
    pub total_amount: String,
}

/// The date filters as applied.
#[derive(Debug, Serialize, ToSchema)]
pub struct DateFilters {
    /// Date.
    pub start_date: Option<String>,
    /// Date.
    pub end_date: Option<String>,
}

impl From<CaseDateRange> for DateFilters {
    fn from(range: CaseDateRange) -> Self {
        Self { start_date: range.from.map(date), end_date: range.to.map(date) }
    }
}

/// `GET /case_dashboard_data`.
#[derive(Debug, Serialize, ToSchema)]
pub struct CaseDashboardAnswer {
    /// By status.
    pub dashboard_data: Vec<StatusRow>,
    /// By category.
    pub pay_category_data: Vec<CategoryTotalRow>,
    pub summary: CaseSummary,
    pub filters: DateFilters,
}

impl From<&CaseDashboard> for CaseDashboardAnswer {
    fn from(d: &CaseDashboard) -> Self {
        Self {
            dashboard_data: d.by_status.iter().map(StatusRow::from).collect(),
            pay_category_data: d.by_category.iter().map(CategoryTotalRow::from).collect(),
            summary: CaseSummary { total_cases: d.total_cases, total_amount: d.total_amount.to_string() },
            filters: DateFilters::from(d.range),
        }
    }
}

/// Active people of one user type.
#[derive(Debug, Serialize, ToSchema)]
pub struct UserTypeRow {
    pub user_type: i32,
    pub user_type_desc: Option<String>,
    pub count: i64,
}

impl From<&UserTypeCount> for UserTypeRow {
    fn from(r: &UserTypeCount) -> Self {
        Self { user_type: r.user_type.get(), user_type_desc: r.user_type_desc.clone(), count: r.count }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct UserSummary {
    pub total_users: i64,
}

/// `GET /user_dashboard_data`.
#[derive(Debug, Serialize, ToSchema)]
pub struct UserDashboardAnswer {
    /// By type.
    pub user_types: Vec<UserTypeRow>,
    pub summary: UserSummary,
}

impl From<&UserDashboard> for UserDashboardAnswer {
    fn from(d: &UserDashboard) -> Self {
        Self {
            user_types: d.by_type.iter().map(UserTypeRow::from).collect(),
            summary: UserSummary { total_users: d.total_users },
        }
    }
}
