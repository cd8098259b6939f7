//! The authenticated caller of a use case.

use surgicase_kernel::{CaseStatus, RoleLevel, UserId, UserType};

use crate::visibility::display_status;

/// The caller: their id, type and visibility cap, as read from their active profile.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Actor {
    pub user_id: UserId,
    pub user_type: UserType,
    pub max_case_status: CaseStatus,
}

impl Actor {
    pub fn new(user_id: UserId, user_type: UserType, max_case_status: CaseStatus) -> Self {
        Self { user_id, user_type, max_case_status }
    }

    pub fn level(&self) -> RoleLevel {
        self.user_type.level()
    }

    pub fn has_level(&self, level: RoleLevel) -> bool {
        self.user_type.has_level(level)
    }

    /// Whether `user` is the actor.
    pub fn is(&self, user: &UserId) -> bool {
        &self.user_id == user
    }

    /// The status this actor is shown for a stored status (domain §4.3).
    pub fn display(&self, stored: CaseStatus) -> CaseStatus {
        display_status(stored, self.max_case_status)
    }
}

#[cfg(test)]
mod tests {
    use crate::fixtures::{actor, st, uid};

    #[test]
    fn actor_basics() {
        let provider = actor(1);
        assert!(provider.is(&uid("u1")));
        assert!(!provider.is(&uid("U1")));
        assert_eq!(provider.display(st(30)), st(20));
        assert_eq!(actor(10).display(st(30)), st(30));
        assert!(actor(20).has_level(surgicase_kernel::RoleLevel::CaseAdmin));
        assert!(!actor(7).has_level(surgicase_kernel::RoleLevel::CaseAdmin));
    }
}
