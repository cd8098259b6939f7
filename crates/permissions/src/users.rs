//! Who may see, create, change and delete users (api.md §3, §6; domain §4.2, §4.2.1, §13).

use surgicase_kernel::{RoleLevel, UserId, UserType};
use surgicase_users::ProfileField;

use crate::access::{Access, FieldAccess};
use crate::actor::Actor;
use crate::level::require_level;

/// What access decisions need to know of a stored profile.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UserRef<'a> {
    pub user_id: &'a UserId,
    pub user_type: UserType,
    pub active: bool,
}

fn is_user_admin(actor: &Actor) -> bool {
    actor.has_level(RoleLevel::UserAdmin)
}

/// Whether a profile may be shown to the actor (GET /user, /user_environment, user documents,
/// after the lookup): oneself; any user for a user admin, except users whose type is above the
/// actor's; inactive users only to a user admin asking with `include_inactive`. Everything
/// else is `NotFound`.
pub fn may_see_user(actor: &Actor, target: UserRef<'_>, include_inactive: bool) -> Access {
    let inactive_ok = target.active || (include_inactive && is_user_admin(actor));
    if actor.is(target.user_id) {
        return Access::when(inactive_ok, Access::NotFound);
    }
    let visible = is_user_admin(actor) && target.user_type <= actor.user_type && inactive_ok;
    Access::when(visible, Access::NotFound)
}

/// GET /users: user admins only; the list holds people (types below the service accounts)
/// whose type is not above the actor's. `Ok(highest type listed)`, or the refusal.
pub fn listable_user_types(actor: &Actor) -> Result<UserType, Access> {
    match require_level(actor, RoleLevel::UserAdmin) {
        Access::Allowed => {
            let below_services = UserType::FIRST_SERVICE_ACCOUNT.get() - 1;
            let highest = actor.user_type.get().min(below_services);
            Ok(UserType::new(i64::from(highest)).unwrap_or(UserType::SYSTEM_ADMIN))
        }
        denied => Err(denied),
    }
}

/// PATCH /user (after the lookup): as [`may_see_user`], with inactive users visible to user
/// admins (who may reactivate them). Each field is then checked with
/// [`may_change_user_field`].
pub fn may_update_user(actor: &Actor, target: UserRef<'_>) -> Access {
    may_see_user(actor, target, true)
}

/// Whether the actor may set `field` on the profile `target_user_id` of type
/// `target_user_type`. Oneself: the §4.2.1 fields, never a role field. Others: a user admin,
/// for users whose type is not above the actor's. The application lets a value equal to the
/// stored one through regardless.
pub fn may_change_user_field(
    actor: &Actor,
    target_user_id: &UserId,
    target_user_type: UserType,
    field: ProfileField,
) -> FieldAccess {
    if actor.is(target_user_id) {
        return FieldAccess::when(field.is_self_editable());
    }
    FieldAccess::when(is_user_admin(actor) && target_user_type <= actor.user_type)
}

/// Whether the actor may give someone `new_type` (never above their own, domain §4.2 rule 2).
pub fn may_assign_user_type(actor: &Actor, new_type: UserType) -> bool {
    new_type <= actor.user_type
}

/// DELETE /user, before the lookup: user admins only, and never oneself (`Forbidden`). After
/// the lookup, [`may_see_user`] with `include_inactive = true` (an inactive user answers
/// "already inactive").
pub fn may_delete_user(actor: &Actor, subject: &UserId) -> Access {
    require_level(actor, RoleLevel::UserAdmin)
        .and_then(|| Access::when(!actor.is(subject), Access::Forbidden))
}

/// Who is creating a profile (POST /user).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Creator<'a> {
    /// A caller without a profile, identified by their token subject (jwt mode) or the body's
    /// `user_id` (user-id mode).
    Registrant(&'a UserId),
    /// An active user.
    User(&'a Actor),
}

/// POST /user for `new_user_id`: a registrant for their own identity when self-registration
/// is enabled, or a user admin for anyone; else `Forbidden`. A user creating their own id is
/// let through (the profile exists, so the application answers 409 `user_exists`).
pub fn may_create_user(
    creator: Creator<'_>,
    new_user_id: &UserId,
    self_registration_enabled: bool,
) -> Access {
    let allowed = match creator {
        Creator::Registrant(identity) => self_registration_enabled && identity == new_user_id,
        Creator::User(actor) => is_user_admin(actor) || actor.is(new_user_id),
    };
    Access::when(allowed, Access::Forbidden)
}

/// Whether the creator may set `field` on the new profile: role fields need a user admin
/// (self-registration may send them only equal to the defaults, which the application
/// checks); `user_type` is further bounded by [`may_assign_user_type`].
pub fn may_set_field_on_create(creator: Creator<'_>, field: ProfileField) -> FieldAccess {
    let admin = matches!(creator, Creator::User(actor) if is_user_admin(actor));
    FieldAccess::when(admin || !field.is_role_field())
}

/// Whether user type `listed` appears in a list shown to a user of type `viewer` (GET /users,
/// `/user_environment` `user_types`): types up to the viewer's own, service accounts never.
pub fn lists_user_type(viewer: UserType, listed: UserType) -> bool {
    listed <= viewer && !listed.is_service_account()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures::{TYPES, actor, ty, uid};

    const A: Access = Access::Allowed;
    const N: Access = Access::NotFound;
    const F: Access = Access::Forbidden;
    const FA: FieldAccess = FieldAccess::Allowed;
    const FF: FieldAccess = FieldAccess::ForbiddenField;

    #[test]
    fn listing_users() {
        // (actor type, highest listed type or the refusal)
        let table: &[(i64, Result<i64, Access>)] = &[
            (1, Err(F)),
            (7, Err(F)),
            (10, Err(F)),
            (20, Ok(20)),
            (100, Ok(100)),
            (999, Ok(999)),
            (1500, Ok(999)),
        ];
        for (t, expected) in table {
            let got = listable_user_types(&actor(*t)).map(|ty| i64::from(ty.get()));
            assert_eq!(got, *expected, "actor type {t}");
        }
    }

    #[test]
    fn seeing_users() {
        // Columns: self; other provider; other UA (20); other SA (999); inactive provider
        // without include_inactive; inactive provider with include_inactive.
        let table: &[(i64, [Access; 6])] = &[
            (1, [A, N, N, N, N, N]),
            (7, [A, N, N, N, N, N]),
            (10, [A, N, N, N, N, N]),
            (20, [A, A, A, N, N, A]),
            (100, [A, A, A, N, N, A]),
            (999, [A, A, A, A, N, A]),
        ];
        assert_eq!(table.len(), TYPES.len());
        let other = uid("u-other");
        for (t, expected) in table {
            let a = actor(*t);
            let targets = [
                (UserRef { user_id: &a.user_id, user_type: a.user_type, active: true }, false),
                (UserRef { user_id: &other, user_type: ty(1), active: true }, false),
                (UserRef { user_id: &other, user_type: ty(20), active: true }, false),
                (UserRef { user_id: &other, user_type: ty(999), active: true }, false),
                (UserRef { user_id: &other, user_type: ty(1), active: false }, false),
                (UserRef { user_id: &other, user_type: ty(1), active: false }, true),
            ];
            for (i, ((target, include_inactive), want)) in targets.iter().zip(expected).enumerate() {
                assert_eq!(may_see_user(&a, *target, *include_inactive), *want, "type {t} column {i}");
            }
        }
    }

    #[test]
    fn updating_users_sees_inactive_ones_for_admins() {
        let other = uid("u-other");
        let inactive = UserRef { user_id: &other, user_type: ty(1), active: false };
        let above = UserRef { user_id: &other, user_type: ty(100), active: true };
        // (type, inactive provider, active global admin)
        let table: &[(i64, Access, Access)] =
            &[(1, N, N), (7, N, N), (10, N, N), (20, A, N), (100, A, A), (999, A, A)];
        for (t, want_inactive, want_above) in table {
            let a = actor(*t);
            assert_eq!(may_update_user(&a, inactive), *want_inactive, "{t}");
            assert_eq!(may_update_user(&a, above), *want_above, "{t}");
            let own = UserRef { user_id: &a.user_id, user_type: a.user_type, active: true };
            assert_eq!(may_update_user(&a, own), A, "{t} self");
        }
    }

    #[test]
    fn changing_profile_fields() {
        #[derive(Debug, Clone, Copy)]
        enum Target {
            Own,
            OtherProvider,
            OtherSameType,
            OtherAbove,
        }
        use Target::*;
        // (actor type, target, [self-editable field, role field])
        let table: &[(i64, Target, [FieldAccess; 2])] = &[
            (1, Own, [FA, FF]),
            (1, OtherProvider, [FF, FF]),
            (1, OtherSameType, [FF, FF]),
            (1, OtherAbove, [FF, FF]),
            (7, Own, [FA, FF]),
            (7, OtherProvider, [FF, FF]),
            (7, OtherAbove, [FF, FF]),
            (10, Own, [FA, FF]),
            (10, OtherProvider, [FF, FF]),
            (10, OtherSameType, [FF, FF]),
            (10, OtherAbove, [FF, FF]),
            (20, Own, [FA, FF]),
            (20, OtherProvider, [FA, FA]),
            (20, OtherSameType, [FA, FA]),
            (20, OtherAbove, [FF, FF]),
            (100, Own, [FA, FF]),
            (100, OtherProvider, [FA, FA]),
            (100, OtherSameType, [FA, FA]),
            (100, OtherAbove, [FF, FF]),
            (999, Own, [FA, FF]),
            (999, OtherProvider, [FA, FA]),
            (999, OtherSameType, [FA, FA]),
        ];
        let other = uid("u-other");
        for (t, target, [editable, role]) in table {
            let a = actor(*t);
            let (id, target_type) = match target {
                Own => (&a.user_id, a.user_type),
                OtherProvider => (&other, ty(1)),
                OtherSameType => (&other, a.user_type),
                OtherAbove => (&other, ty(999)),
            };
            for &field in ProfileField::ALL {
                let want = if field.is_role_field() { role } else { editable };
                assert_eq!(
                    may_change_user_field(&a, id, target_type, field),
                    *want,
                    "{t} {target:?} {field}"
                );
            }
        }
    }

    #[test]
    fn assigning_user_types() {
        let new_types = [1, 7, 10, 20, 100, 999, 1000];
        // Allowed new types per actor type (never above one's own).
        let table: &[(i64, [bool; 7])] = &[
            (1, [true, false, false, false, false, false, false]),
            (7, [true, true, false, false, false, false, false]),
            (10, [true, true, true, false, false, false, false]),
            (20, [true, true, true, true, false, false, false]),
            (100, [true, true, true, true, true, false, false]),
            (999, [true, true, true, true, true, true, false]),
        ];
        for (t, expected) in table {
            for (new, want) in new_types.iter().zip(expected) {
                assert_eq!(may_assign_user_type(&actor(*t), ty(*new)), *want, "{t} → {new}");
            }
        }
    }

    #[test]
    fn deleting_users() {
        // (type, oneself, another user)
        let table: &[(i64, Access, Access)] =
            &[(1, F, F), (7, F, F), (10, F, F), (20, F, A), (100, F, A), (999, F, A)];
        assert_eq!(table.len(), TYPES.len());
        for (t, own, other) in table {
            let a = actor(*t);
            assert_eq!(may_delete_user(&a, &a.user_id), *own, "{t} self");
            assert_eq!(may_delete_user(&a, &uid("u-other")), *other, "{t} other");
        }
    }

    #[test]
    fn creating_users() {
        let new = uid("u-new");
        let other = uid("u-other");
        // Registrants: (identity, self-registration enabled, expected)
        let registrants: &[(&UserId, bool, Access)] =
            &[(&new, true, A), (&new, false, F), (&other, true, F), (&other, false, F)];
        for (identity, enabled, want) in registrants {
            assert_eq!(may_create_user(Creator::Registrant(identity), &new, *enabled), *want, "{identity}");
        }
        // Users: (type, creating another user, creating own id)
        let table: &[(i64, Access, Access)] =
            &[(1, F, A), (7, F, A), (10, F, A), (20, A, A), (100, A, A), (999, A, A)];
        for (t, for_other, for_self) in table {
            let a = actor(*t);
            assert_eq!(may_create_user(Creator::User(&a), &new, true), *for_other, "{t}");
            assert_eq!(may_create_user(Creator::User(&a), &a.user_id, false), *for_self, "{t} self");
        }
    }

    #[test]
    fn fields_on_creation() {
        // (creator type or None for a registrant, [self-editable field, role field])
        let table: &[(Option<i64>, [FieldAccess; 2])] = &[
            (None, [FA, FF]),
            (Some(1), [FA, FF]),
            (Some(7), [FA, FF]),
            (Some(10), [FA, FF]),
            (Some(20), [FA, FA]),
            (Some(100), [FA, FA]),
            (Some(999), [FA, FA]),
        ];
        let identity = uid("u-new");
        for (t, [editable, role]) in table {
            let a = t.map(actor);
            let creator = match &a {
                Some(a) => Creator::User(a),
                None => Creator::Registrant(&identity),
            };
            for &field in ProfileField::ALL {
                let want = if field.is_role_field() { role } else { editable };
                assert_eq!(may_set_field_on_create(creator, field), *want, "{t:?} {field}");
            }
        }
    }

    #[test]
    fn listed_user_types() {
        let listed = [1, 7, 10, 20, 100, 999, 1000, 1500];
        let table: &[(i64, [bool; 8])] = &[
            (1, [true, false, false, false, false, false, false, false]),
            (7, [true, true, false, false, false, false, false, false]),
            (10, [true, true, true, false, false, false, false, false]),
            (20, [true, true, true, true, false, false, false, false]),
            (100, [true, true, true, true, true, false, false, false]),
            (999, [true, true, true, true, true, true, false, false]),
            (1500, [true, true, true, true, true, true, false, false]),
        ];
        for (viewer, expected) in table {
            for (l, want) in listed.iter().zip(expected) {
                assert_eq!(lists_user_type(ty(*viewer), ty(*l)), *want, "{viewer} lists {l}");
            }
        }
    }
}
