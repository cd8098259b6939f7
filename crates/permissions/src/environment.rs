//! The `permissions` object and the status list of GET /user_environment (api.md §3).
//! Both describe the user whose environment it is.

use surgicase_kernel::{CaseStatus, RoleLevel, UserType};

/// `case_status_access_level`: whether the user sees stored statuses (`full`, from type 10)
/// or statuses through their cap (`limited`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StatusAccessLevel {
    Limited,
    Full,
}

impl StatusAccessLevel {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Limited => "limited",
            Self::Full => "full",
        }
    }
}

/// The role flags of `/user_environment` `permissions`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct EnvironmentPermissions {
    pub case_status_access_level: StatusAccessLevel,
    pub can_access_all_cases: bool,
    pub can_access_backoffice: bool,
    pub can_manage_users: bool,
    pub can_manage_lists: bool,
}

impl EnvironmentPermissions {
    pub fn for_user_type(user_type: UserType) -> Self {
        let case_admin = user_type.has_level(RoleLevel::CaseAdmin);
        Self {
            case_status_access_level: if case_admin {
                StatusAccessLevel::Full
            } else {
                StatusAccessLevel::Limited
            },
            can_access_all_cases: case_admin,
            can_access_backoffice: case_admin,
            can_manage_users: user_type.has_level(RoleLevel::UserAdmin),
            can_manage_lists: user_type.has_level(RoleLevel::GlobalAdmin),
        }
    }
}

/// Whether catalogue status `status` is listed in `/user_environment` `case_statuses` for a
/// user of `user_type` with cap `cap`: below type 10 the statuses up to the cap and those from
/// 400; from type 10 all.
pub fn environment_shows_status(user_type: UserType, cap: CaseStatus, status: CaseStatus) -> bool {
    user_type.has_level(RoleLevel::CaseAdmin) || status <= cap || status.always_shown()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures::{st, ty};

    #[test]
    fn flags_by_type() {
        // (type, full, all cases, backoffice, users, lists)
        let table: &[(i64, bool, bool, bool, bool, bool)] = &[
            (1, false, false, false, false, false),
            (7, false, false, false, false, false),
            (9, false, false, false, false, false),
            (10, true, true, true, false, false),
            (20, true, true, true, true, false),
            (100, true, true, true, true, true),
            (999, true, true, true, true, true),
        ];
        for (t, full, all, back, users, lists) in table {
            let p = EnvironmentPermissions::for_user_type(ty(*t));
            let level = if *full { "full" } else { "limited" };
            assert_eq!(p.case_status_access_level.as_str(), level, "{t}");
            assert_eq!(
                (p.can_access_all_cases, p.can_access_backoffice, p.can_manage_users, p.can_manage_lists),
                (*all, *back, *users, *lists),
                "{t}"
            );
        }
    }

    #[test]
    fn statuses_listed() {
        let catalogue = [0, 1, 7, 8, 10, 15, 20, 30, 40, 80, 400, 500];
        // (type, cap, expected listed codes)
        let table: &[(i64, i64, &[i64])] = &[
            (1, 20, &[0, 1, 7, 8, 10, 15, 20, 400, 500]),
            (7, 20, &[0, 1, 7, 8, 10, 15, 20, 400, 500]),
            (1, 10, &[0, 1, 7, 8, 10, 400, 500]),
            (1, 500, &[0, 1, 7, 8, 10, 15, 20, 30, 40, 80, 400, 500]),
            (10, 20, &[0, 1, 7, 8, 10, 15, 20, 30, 40, 80, 400, 500]),
            (20, 500, &[0, 1, 7, 8, 10, 15, 20, 30, 40, 80, 400, 500]),
            (100, 500, &[0, 1, 7, 8, 10, 15, 20, 30, 40, 80, 400, 500]),
            (999, 500, &[0, 1, 7, 8, 10, 15, 20, 30, 40, 80, 400, 500]),
        ];
        for (t, cap, expected) in table {
            let got: Vec<i64> = catalogue
                .iter()
                .copied()
                .filter(|s| environment_shows_status(ty(*t), st(*cap), st(*s)))
                .collect();
            assert_eq!(got, *expected, "type {t} cap {cap}");
        }
    }
}
