//! Outcomes of access decisions.

/// The answer to "may the actor do this to that?".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Access {
    Allowed,
    /// The object is invisible to the actor, or the actor may not name that user: 404.
    NotFound,
    /// The actor's role is below the endpoint's level (or the act is never allowed, such as
    /// deleting oneself): 403 `forbidden`.
    Forbidden,
}

impl Access {
    pub fn is_allowed(self) -> bool {
        self == Self::Allowed
    }

    /// The next check, run only when this one allowed.
    pub fn and_then(self, next: impl FnOnce() -> Access) -> Access {
        if self.is_allowed() { next() } else { self }
    }

    /// The case edit check, run only when this one allowed.
    pub fn and_then_edit(self, next: impl FnOnce() -> EditAccess) -> EditAccess {
        if self.is_allowed() { next() } else { self.into() }
    }

    /// `Ok` when allowed, so that use cases can write `may_…(…).check()?`.
    pub fn check(self) -> Result<(), Denied> {
        match self {
            Self::Allowed => Ok(()),
            Self::NotFound => Err(Denied::NotFound),
            Self::Forbidden => Err(Denied::Forbidden),
        }
    }

    /// `Allowed` when `condition` holds, else `otherwise`.
    pub(crate) fn when(condition: bool, otherwise: Access) -> Access {
        if condition { Self::Allowed } else { otherwise }
    }
}

/// The answer to "may the actor change this case?": an [`Access`], or locked. Only the case
/// edit checks can answer `Locked`, so no other caller has a lock to map.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EditAccess {
    Allowed,
    NotFound,
    Forbidden,
    /// A provider's case at status 15 or above: 409 `case_locked`.
    Locked,
}

impl From<Access> for EditAccess {
    fn from(access: Access) -> Self {
        match access {
            Access::Allowed => Self::Allowed,
            Access::NotFound => Self::NotFound,
            Access::Forbidden => Self::Forbidden,
        }
    }
}

impl EditAccess {
    pub fn is_allowed(self) -> bool {
        self == Self::Allowed
    }

    /// `Ok` when allowed, so that use cases can write `may_edit_case(…).check()?`.
    pub fn check(self) -> Result<(), Denied> {
        match self {
            Self::Allowed => Ok(()),
            Self::NotFound => Err(Denied::NotFound),
            Self::Forbidden => Err(Denied::Forbidden),
            Self::Locked => Err(Denied::Locked),
        }
    }
}

/// The answer for one field of a request the actor may otherwise make.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FieldAccess {
    Allowed,
    /// 403 `forbidden_field` (the application lets a value equal to the stored one through).
    ForbiddenField,
}

impl FieldAccess {
    pub fn is_allowed(self) -> bool {
        self == Self::Allowed
    }

    /// `Ok` when allowed, else [`Denied::ForbiddenField`] naming `field`.
    pub fn check(self, field: &'static str) -> Result<(), Denied> {
        match self {
            Self::Allowed => Ok(()),
            Self::ForbiddenField => Err(Denied::ForbiddenField(field)),
        }
    }

    pub(crate) fn when(condition: bool) -> FieldAccess {
        if condition { Self::Allowed } else { Self::ForbiddenField }
    }
}

/// A refused access, as an error the application maps to its HTTP answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, thiserror::Error)]
pub enum Denied {
    #[error("not found")]
    NotFound,
    #[error("forbidden")]
    Forbidden,
    #[error("locked")]
    Locked,
    #[error("field {0} may not be changed by the caller")]
    ForbiddenField(&'static str),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chaining_stops_at_the_first_refusal() {
        let table: &[(Access, Access, Access)] = &[
            (Access::Allowed, Access::Allowed, Access::Allowed),
            (Access::Allowed, Access::NotFound, Access::NotFound),
            (Access::NotFound, Access::Forbidden, Access::NotFound),
            (Access::Forbidden, Access::Allowed, Access::Forbidden),
        ];
        for (first, second, expected) in table {
            assert_eq!(first.and_then(|| *second), *expected, "{first:?} then {second:?}");
        }
    }

    #[test]
    fn check_maps_to_denied() {
        assert_eq!(Access::Allowed.check(), Ok(()));
        assert_eq!(Access::NotFound.check(), Err(Denied::NotFound));
        assert_eq!(Access::Forbidden.check(), Err(Denied::Forbidden));
        assert_eq!(EditAccess::Locked.check(), Err(Denied::Locked));
        assert_eq!(EditAccess::from(Access::NotFound).check(), Err(Denied::NotFound));
        assert_eq!(Access::Forbidden.and_then_edit(|| EditAccess::Locked), EditAccess::Forbidden);
        assert_eq!(Access::Allowed.and_then_edit(|| EditAccess::Locked), EditAccess::Locked);
        assert_eq!(FieldAccess::Allowed.check("user_type"), Ok(()));
        assert_eq!(FieldAccess::ForbiddenField.check("user_type"), Err(Denied::ForbiddenField("user_type")));
    }
}
