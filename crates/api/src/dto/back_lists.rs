//! The back office's lists (api.md §6): `GET /users` and `GET /cases_by_status`.

use serde::Serialize;
use surgicase_app::cases::{CasesByStatus, ListedCase};
use surgicase_app::users::UserList;
use utoipa::ToSchema;

use super::cases::{CaseListItem, FilterEcho};
use super::format::{date, full_name};
use super::users::UserProfile;

/// `GET /users`.
#[derive(Debug, Serialize, ToSchema)]
pub struct UsersAnswer {
    pub users: Vec<UserProfile>,
    /// Every match.
    pub total_count: i64,
}

impl From<&UserList> for UsersAnswer {
    fn from(list: &UserList) -> Self {
        Self { users: list.page.users.iter().map(UserProfile::from).collect(), total_count: list.page.total }
    }
}

/// A case of `GET /cases_by_status`: a list item at its stored status, with its provider.
#[derive(Debug, Serialize, ToSchema)]
pub struct CaseByStatusItem {
    #[serde(flatten)]
    pub case: CaseListItem,
    /// The owner's "First Last".
    pub provider_name: Option<String>,
    pub facility_state: Option<String>,
}

impl From<&ListedCase> for CaseByStatusItem {
    fn from(listed: &ListedCase) -> Self {
        let joins = &listed.view.joins;
        Self {
            case: CaseListItem::from(listed),
            provider_name: full_name(joins.owner_first.as_deref(), joins.owner_last.as_deref()),
            facility_state: joins.facility_state.clone(),
        }
    }
}

/// `GET /cases_by_status`.
#[derive(Debug, Serialize, ToSchema)]
pub struct CasesByStatusAnswer {
    pub cases: Vec<CaseByStatusItem>,
    pub filter: FilterEcho,
    /// Date, as applied.
    pub start_date: Option<String>,
    /// Date, as applied.
    pub end_date: Option<String>,
    /// Every match.
    pub total: i64,
}

impl From<&CasesByStatus> for CasesByStatusAnswer {
    fn from(list: &CasesByStatus) -> Self {
        Self {
            cases: list.cases.iter().map(CaseByStatusItem::from).collect(),
            filter: FilterEcho::from(&list.filter),
            start_date: list.range.from.map(date),
            end_date: list.range.to.map(date),
            total: list.total,
        }
    }
}
