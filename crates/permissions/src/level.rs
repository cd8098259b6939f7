//! Endpoint levels and acting on another user (api.md §1.2, §1.3; domain §4.2 rule 4).

use surgicase_kernel::{RoleLevel, UserId};

use crate::access::Access;
use crate::actor::Actor;

/// The endpoint's level: an actor below it is `Forbidden`.
pub fn require_level(actor: &Actor, level: RoleLevel) -> Access {
    Access::when(actor.has_level(level), Access::Forbidden)
}

/// Naming `subject` as the data subject of a request. Oneself is always allowed; another user
/// needs `needed`, else `NotFound` — decided before any lookup, so it reveals nothing.
pub fn may_act_for(actor: &Actor, subject: &UserId, needed: RoleLevel) -> Access {
    Access::when(actor.is(subject) || actor.has_level(needed), Access::NotFound)
}

/// The endpoint families whose `user_id` names the data subject, with the level that acting on
/// another user needs there (api.md §2–§5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Subject {
    /// POST /case (body `user_id`), GET /case_filter.
    Cases,
    /// POST /surgeon, GET /surgeons, POST /facility, GET /facilities.
    AddressBook,
    /// GET and PATCH /user.
    Users,
    /// GET /user_environment.
    UserEnvironment,
    /// The /user/document routes.
    UserDocuments,
}

impl Subject {
    pub fn acting_level(self) -> RoleLevel {
        match self {
            Self::Cases | Self::AddressBook => RoleLevel::CaseAdmin,
            Self::Users | Self::UserEnvironment | Self::UserDocuments => RoleLevel::UserAdmin,
        }
    }

    /// [`may_act_for`] with this family's level.
    pub fn may_act_for(self, actor: &Actor, subject: &UserId) -> Access {
        may_act_for(actor, subject, self.acting_level())
    }
}

#[cfg(test)]
mod tests {
    use surgicase_kernel::RoleLevel as L;

    use super::*;
    use crate::fixtures::{TYPES, actor, uid};

    const A: Access = Access::Allowed;
    const N: Access = Access::NotFound;
    const F: Access = Access::Forbidden;

    #[test]
    fn endpoint_levels() {
        // Columns: provider, CA, UA, GA, SA.
        let table: &[(i64, [Access; 5])] = &[
            (1, [A, F, F, F, F]),
            (7, [A, F, F, F, F]),
            (10, [A, A, F, F, F]),
            (20, [A, A, A, F, F]),
            (100, [A, A, A, A, F]),
            (999, [A, A, A, A, A]),
        ];
        let levels = [L::Provider, L::CaseAdmin, L::UserAdmin, L::GlobalAdmin, L::SystemAdmin];
        assert_eq!(table.len(), TYPES.len());
        for (t, expected) in table {
            for (level, want) in levels.iter().zip(expected) {
                assert_eq!(require_level(&actor(*t), *level), *want, "type {t} level {level:?}");
            }
        }
    }

    #[test]
    fn acting_on_another_user() {
        // Columns: own id, another user, for Cases (CA) and Users (UA).
        let table: &[(i64, [Access; 4])] = &[
            (1, [A, N, A, N]),
            (7, [A, N, A, N]),
            (10, [A, A, A, N]),
            (20, [A, A, A, A]),
            (100, [A, A, A, A]),
            (999, [A, A, A, A]),
        ];
        for (t, [own_cases, other_cases, own_users, other_users]) in table {
            let a = actor(*t);
            let other = uid("someone-else");
            assert_eq!(Subject::Cases.may_act_for(&a, &a.user_id), *own_cases, "{t}");
            assert_eq!(Subject::Cases.may_act_for(&a, &other), *other_cases, "{t}");
            assert_eq!(Subject::Users.may_act_for(&a, &a.user_id), *own_users, "{t}");
            assert_eq!(Subject::Users.may_act_for(&a, &other), *other_users, "{t}");
        }
    }

    #[test]
    fn subject_levels_follow_the_api() {
        assert_eq!(Subject::Cases.acting_level(), L::CaseAdmin);
        assert_eq!(Subject::AddressBook.acting_level(), L::CaseAdmin);
        assert_eq!(Subject::Users.acting_level(), L::UserAdmin);
        assert_eq!(Subject::UserEnvironment.acting_level(), L::UserAdmin);
        assert_eq!(Subject::UserDocuments.acting_level(), L::UserAdmin);
    }
}
