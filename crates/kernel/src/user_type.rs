//! User types and the role levels they grant (domain §4.1, §4.2). Rights are cumulative.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::error::{FieldCode, ValueError};

/// A `user_type` value, 1–9999. Whether it is in `user_type_list` is checked against the list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "i64", into = "i32")]
pub struct UserType(i32);

/// Role levels, ordered: each level has every right of the levels below.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum RoleLevel {
    Provider,
    CaseAdmin,
    UserAdmin,
    GlobalAdmin,
    SystemAdmin,
}

impl RoleLevel {
    /// The lowest `user_type` that has this level.
    pub fn threshold(self) -> i32 {
        match self {
            Self::Provider => 1,
            Self::CaseAdmin => 10,
            Self::UserAdmin => 20,
            Self::GlobalAdmin => 100,
            Self::SystemAdmin => 999,
        }
    }
}

impl UserType {
    pub const PROVIDER: UserType = UserType(1);
    pub const GROUP_ADMIN: UserType = UserType(7);
    pub const CASE_ADMIN: UserType = UserType(10);
    pub const USER_ADMIN: UserType = UserType(20);
    pub const GLOBAL_ADMIN: UserType = UserType(100);
    pub const SYSTEM_ADMIN: UserType = UserType(999);

    /// From 1000 on, a type marks a service account.
    pub const SERVICE_ACCOUNT_FROM: i32 = 1000;
    /// The lowest service-account type: people are the types below it.
    pub const FIRST_SERVICE_ACCOUNT: UserType = UserType(Self::SERVICE_ACCOUNT_FROM);

    pub fn new(value: i64) -> Result<Self, ValueError> {
        if !(1..=9999).contains(&value) {
            return Err(ValueError::new(FieldCode::OutOfRange, "user type must be between 1 and 9999"));
        }
        Ok(Self(value as i32))
    }

    pub const fn get(self) -> i32 {
        self.0
    }

    pub fn level(self) -> RoleLevel {
        match self.0 {
            v if v >= RoleLevel::SystemAdmin.threshold() => RoleLevel::SystemAdmin,
            v if v >= RoleLevel::GlobalAdmin.threshold() => RoleLevel::GlobalAdmin,
            v if v >= RoleLevel::UserAdmin.threshold() => RoleLevel::UserAdmin,
            v if v >= RoleLevel::CaseAdmin.threshold() => RoleLevel::CaseAdmin,
            _ => RoleLevel::Provider,
        }
    }

    pub fn has_level(self, level: RoleLevel) -> bool {
        self.level() >= level
    }

    pub fn is_service_account(self) -> bool {
        self.0 >= Self::SERVICE_ACCOUNT_FROM
    }
}

impl TryFrom<i64> for UserType {
    type Error = ValueError;
    fn try_from(value: i64) -> Result<Self, ValueError> {
        Self::new(value)
    }
}

impl From<UserType> for i32 {
    fn from(t: UserType) -> i32 {
        t.0
    }
}

impl fmt::Display for UserType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_by_threshold() {
        let table: &[(i64, RoleLevel)] = &[
            (1, RoleLevel::Provider),
            (7, RoleLevel::Provider),
            (9, RoleLevel::Provider),
            (10, RoleLevel::CaseAdmin),
            (19, RoleLevel::CaseAdmin),
            (20, RoleLevel::UserAdmin),
            (99, RoleLevel::UserAdmin),
            (100, RoleLevel::GlobalAdmin),
            (998, RoleLevel::GlobalAdmin),
            (999, RoleLevel::SystemAdmin),
            (1000, RoleLevel::SystemAdmin),
        ];
        for (value, level) in table {
            let t = UserType::new(*value).ok();
            assert_eq!(t.map(UserType::level), Some(*level), "{value}");
        }
    }

    #[test]
    fn rights_are_cumulative() {
        let ua = UserType::USER_ADMIN;
        assert!(ua.has_level(RoleLevel::Provider));
        assert!(ua.has_level(RoleLevel::CaseAdmin));
        assert!(ua.has_level(RoleLevel::UserAdmin));
        assert!(!ua.has_level(RoleLevel::GlobalAdmin));
    }

    #[test]
    fn range_and_service_accounts() {
        assert!(UserType::new(0).is_err());
        assert!(UserType::new(10_000).is_err());
        assert!(UserType::new(1000).map(UserType::is_service_account).unwrap_or(false));
        assert!(!UserType::SYSTEM_ADMIN.is_service_account());
    }
}
