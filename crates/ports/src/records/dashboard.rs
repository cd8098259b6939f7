//! Aggregates of the back-office dashboards (api.md §6): counted and summed by the database,
//! never by loading rows.

use surgicase_kernel::{CaseStatus, Date, Money, UserType};

/// Which active cases a dashboard aggregates: inclusive bounds on `case_date`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CaseDateRange {
    pub from: Option<Date>,
    pub to: Option<Date>,
}

/// Active cases at one stored status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusTotal {
    pub case_status: CaseStatus,
    /// `None` when the status left the catalogue.
    pub case_status_desc: Option<String>,
    pub cases: i64,
    pub total: Money,
}

/// Active cases of one pay category (`None`: not priced).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CategoryTotal {
    pub pay_category: Option<String>,
    pub cases: i64,
    pub total: Money,
}

/// Active users of one type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserTypeCount {
    pub user_type: UserType,
    pub user_type_desc: Option<String>,
    pub count: i64,
}
