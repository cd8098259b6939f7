//! The back-office dashboards (api.md §6): cases per status and pay category, users per type,
//! and the combined view. Counting and summing is the database's (grouped statements).

use std::collections::BTreeSet;

use serde_json::json;
use surgicase_kernel::{Money, RoleLevel, UserType};
use surgicase_permissions::require_level;
use surgicase_ports::records::{CaseDateRange, StatusTotal, UserTypeCount};

use crate::App;
use crate::access::require;
use crate::audit::Touched;
use crate::context::Ctx;
use crate::date_range::case_date_range;
use crate::error::{AppError, Missing};

/// The category of cases without one.
pub const UNKNOWN_CATEGORY: &str = "Unknown";

/// Active cases of one pay category.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CategoryRow {
    pub pay_category: String,
    pub cases: i64,
    pub total: Money,
}

#[derive(Debug, Clone, PartialEq)]
pub struct CaseDashboard {
    pub range: CaseDateRange,
    pub by_status: Vec<StatusTotal>,
    pub by_category: Vec<CategoryRow>,
    pub total_cases: i64,
    pub total_amount: Money,
    pub touched: Touched,
}

#[derive(Debug, Clone, PartialEq)]
pub struct UserDashboard {
    pub by_type: Vec<UserTypeCount>,
    pub total_users: i64,
    pub touched: Touched,
}

/// The parts of `GET /build_dashboard` that come from the database; each may fail alone.
#[derive(Debug)]
pub struct DashboardParts {
    pub range: CaseDateRange,
    pub cases: Result<CaseDashboard, AppError>,
    pub users: Result<UserDashboard, AppError>,
    /// Distinct tiers of the price table.
    pub pay_tiers: Result<usize, AppError>,
    pub touched: Touched,
}

impl DashboardParts {
    /// The parts that failed, by name; any makes the answer `partial`, not an error.
    pub fn failed_parts(&self) -> Vec<&'static str> {
        [
            ("cases", self.cases.is_err()),
            ("users", self.users.is_err()),
            ("pay_tiers", self.pay_tiers.is_err()),
        ]
        .into_iter()
        .filter_map(|(name, failed)| failed.then_some(name))
        .collect()
    }
}

/// Unpriced cases join a category literally named "Unknown", if any; by category name.
fn categories(rows: Vec<surgicase_ports::records::CategoryTotal>) -> Vec<CategoryRow> {
    let mut out: Vec<CategoryRow> = Vec::with_capacity(rows.len());
    for row in rows {
        let name = row.pay_category.unwrap_or_else(|| UNKNOWN_CATEGORY.to_owned());
        match out.iter_mut().find(|c| c.pay_category.eq_ignore_ascii_case(&name)) {
            Some(existing) => {
                existing.cases += row.cases;
                existing.total = existing.total + row.total;
            }
            None => out.push(CategoryRow { pay_category: name, cases: row.cases, total: row.total }),
        }
    }
    out.sort_by_key(|c| c.pay_category.to_lowercase());
    out
}

fn require_case_admin(ctx: &Ctx) -> Result<(), AppError> {
    require(require_level(&ctx.actor, RoleLevel::CaseAdmin), Missing::Other, "")
}

impl App {
    /// CA only: active cases in the date range per stored status and per pay category.
    pub async fn case_dashboard(
        &self,
        ctx: &Ctx,
        start_date: Option<&str>,
        end_date: Option<&str>,
    ) -> Result<CaseDashboard, AppError> {
        require_case_admin(ctx)?;
        let range = case_date_range(start_date, end_date)?;
        self.case_dashboard_in(range).await
    }

    async fn case_dashboard_in(&self, range: CaseDateRange) -> Result<CaseDashboard, AppError> {
        let mut conn = self.store.conn().await?;
        let by_status = conn.case_totals_by_status(range).await?;
        let by_category = categories(conn.case_totals_by_category(range).await?);
        let total_cases = by_status.iter().map(|r| r.cases).sum();
        let total_amount = by_status.iter().map(|r| r.total).sum();
        let touched = Touched::new("dashboard.cases", "case", "").details(json!({
            "start_date": range.from.map(|d| d.to_string()),
            "end_date": range.to.map(|d| d.to_string()),
        }));
        Ok(CaseDashboard { range, by_status, by_category, total_cases, total_amount, touched })
    }

    /// CA only: active people per user type (service accounts never count).
    pub async fn user_dashboard(&self, ctx: &Ctx) -> Result<UserDashboard, AppError> {
        require_case_admin(ctx)?;
        self.user_dashboard_unchecked().await
    }

    async fn user_dashboard_unchecked(&self) -> Result<UserDashboard, AppError> {
        let by_type = self.store.conn().await?.user_counts_by_type(UserType::FIRST_SERVICE_ACCOUNT).await?;
        let total_users = by_type.iter().map(|t| t.count).sum();
        Ok(UserDashboard { by_type, total_users, touched: Touched::new("dashboard.users", "user", "") })
    }

    /// CA only: both dashboards and the number of pay tiers, each part on its own so one
    /// failing leaves the others (the answer is then `partial`). A bad date is still a 422.
    pub async fn dashboard_parts(
        &self,
        ctx: &Ctx,
        start_date: Option<&str>,
        end_date: Option<&str>,
    ) -> Result<DashboardParts, AppError> {
        require_case_admin(ctx)?;
        let range = case_date_range(start_date, end_date)?;
        let cases = self.case_dashboard_in(range).await;
        let users = self.user_dashboard_unchecked().await;
        let pay_tiers = match self.store.conn().await {
            Ok(mut conn) => conn
                .pay_tiers()
                .await
                .map(|rows| rows.iter().map(|r| r.tier).collect::<BTreeSet<_>>().len())
                .map_err(AppError::from),
            Err(e) => Err(e.into()),
        };
        let touched = Touched::new("dashboard.build", "case", "").details(json!({
            "start_date": range.from.map(|d| d.to_string()),
            "end_date": range.to.map(|d| d.to_string()),
        }));
        Ok(DashboardParts { range, cases, users, pay_tiers, touched })
    }
}

#[cfg(test)]
mod tests {
    use surgicase_ports::records::CategoryTotal;

    use super::*;

    fn total(category: Option<&str>, cases: i64, cents: i64) -> CategoryTotal {
        CategoryTotal { pay_category: category.map(str::to_owned), cases, total: Money::from_cents(cents) }
    }

    #[test]
    fn any_failed_part_is_named() {
        let parts = |users_fail: bool, tiers_fail: bool| DashboardParts {
            range: CaseDateRange::default(),
            cases: Err(AppError::Forbidden),
            users: if users_fail {
                Err(AppError::Forbidden)
            } else {
                Ok(UserDashboard { by_type: Vec::new(), total_users: 0, touched: Touched::new("t", "t", "") })
            },
            pay_tiers: if tiers_fail { Err(AppError::Forbidden) } else { Ok(3) },
            touched: Touched::new("t", "t", ""),
        };
        assert_eq!(parts(true, true).failed_parts(), ["cases", "users", "pay_tiers"]);
        assert_eq!(parts(false, false).failed_parts(), ["cases"]);
    }

    #[test]
    fn unpriced_cases_are_unknown_and_join_a_category_of_that_name() {
        let rows = vec![total(None, 2, 0), total(Some("Spine"), 1, 60_000), total(Some("unknown"), 1, 500)];
        let got: Vec<(String, i64, i64)> =
            categories(rows).into_iter().map(|c| (c.pay_category, c.cases, c.total.cents())).collect();
        assert_eq!(got, vec![("Spine".to_owned(), 1, 60_000), ("Unknown".to_owned(), 3, 500)]);
        let only_priced = vec![total(Some("Orthopedic"), 2, 90_000), total(Some("General"), 1, 30_000)];
        let got: Vec<String> = categories(only_priced).into_iter().map(|c| c.pay_category).collect();
        assert_eq!(got, vec!["General", "Orthopedic"]);
    }
}
