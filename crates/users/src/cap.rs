//! The visibility cap a user gets when created or when their type changes (domain §4.2.1).

use surgicase_kernel::{CaseStatus, UserType};

/// The column default of `user_profile.max_case_status`, used when a type has no
/// `user_max_case_status`.
pub const DEFAULT_MAX_CASE_STATUS: CaseStatus = CaseStatus::PAID;

/// The cap of a new user: the explicit one, else the type's `user_max_case_status`, else
/// [`DEFAULT_MAX_CASE_STATUS`].
pub fn initial_cap(requested_cap: Option<CaseStatus>, type_default_cap: Option<CaseStatus>) -> CaseStatus {
    requested_cap.or(type_default_cap).unwrap_or(DEFAULT_MAX_CASE_STATUS)
}

/// The `max_case_status` an update writes, or `None` to leave it unchanged. An explicit cap in
/// the request always wins; otherwise, when `user_type` really changes, the cap becomes the new
/// type's `user_max_case_status` (`new_type_default_cap`; a type without one leaves the cap).
pub fn resolve_cap(
    stored_type: UserType,
    requested_type: Option<UserType>,
    requested_cap: Option<CaseStatus>,
    new_type_default_cap: Option<CaseStatus>,
) -> Option<CaseStatus> {
    if requested_cap.is_some() {
        return requested_cap;
    }
    match requested_type {
        Some(t) if t != stored_type => new_type_default_cap,
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const P: UserType = UserType::PROVIDER;
    const CA: UserType = UserType::CASE_ADMIN;
    const S20: CaseStatus = CaseStatus::PAID;
    const S60: CaseStatus = CaseStatus::SETTLED;
    const S500: CaseStatus = CaseStatus::CLOSED;

    #[test]
    fn cap_on_update() {
        #[allow(clippy::type_complexity)]
        let table: &[(
            UserType,
            Option<UserType>,
            Option<CaseStatus>,
            Option<CaseStatus>,
            Option<CaseStatus>,
        )] = &[
            // Type changes, no explicit cap: the new type's default.
            (P, Some(CA), None, Some(S500), Some(S500)),
            (CA, Some(P), None, Some(S20), Some(S20)),
            // Explicit cap wins over the type's default (the legacy service did the opposite).
            (P, Some(CA), Some(S60), Some(S500), Some(S60)),
            // Explicit cap alone.
            (P, None, Some(S60), None, Some(S60)),
            // Same type sent again: nothing changes.
            (P, Some(P), None, Some(S20), None),
            // Nothing sent.
            (P, None, None, None, None),
            // The new type has no default: the cap stays.
            (P, Some(CA), None, None, None),
        ];
        for (stored, ty, cap, default, expected) in table {
            assert_eq!(
                resolve_cap(*stored, *ty, *cap, *default),
                *expected,
                "{stored} {ty:?} {cap:?} {default:?}"
            );
        }
    }

    #[test]
    fn cap_on_creation() {
        assert_eq!(initial_cap(None, Some(S500)), S500);
        assert_eq!(initial_cap(Some(S60), Some(S500)), S60);
        assert_eq!(initial_cap(None, None), DEFAULT_MAX_CASE_STATUS);
    }
}
