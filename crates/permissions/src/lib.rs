//! Every access decision as a pure function of (actor, target).
//!
//! Decisions answer [`Access`] (or [`FieldAccess`] for single fields). The order of checks
//! inside each function follows api.md §1.3: an endpoint level the actor lacks is
//! `Forbidden`; an object the actor may not see is `NotFound` (never `Forbidden`, so ids reveal
//! nothing); a visible case a provider may no longer change is `Locked`.
//!
//! Two-phase use: checks that need no lookup (`require_level`, `may_act_for`,
//! `may_delete_user`) run before the database is asked; the object checks (`may_read_case`,
//! `may_see_user`, …) after.

pub mod access;
pub mod actor;
pub mod cases;
pub mod directory;
pub mod environment;
pub mod level;
pub mod users;
pub mod visibility;

pub use access::{Access, Denied, EditAccess, FieldAccess};
pub use actor::Actor;
pub use cases::{
    CaseRef, case_reads_limited_to, may_change_case_document, may_create_case_for, may_delete_case,
    may_edit_case, may_read_case, may_read_case_history, may_reassign_case, may_restore_case,
    may_set_admin_file,
};
pub use directory::{may_delete_facility, may_delete_surgeon, may_use_address_book_of};
pub use environment::{EnvironmentPermissions, StatusAccessLevel, environment_shows_status};
pub use level::{Subject, may_act_for, require_level};
pub use surgicase_users::ProfileField;
pub use users::{
    Creator, UserRef, listable_user_types, lists_user_type, may_assign_user_type, may_change_user_field,
    may_create_user, may_delete_user, may_see_user, may_set_field_on_create, may_update_user,
};
pub use visibility::{
    StoredStatusMatch, display_history_row, display_status, stored_status_match, visible_history_actor,
};

/// Shared test fixtures: the seeded role levels and one actor per level.
#[cfg(test)]
pub(crate) mod fixtures {
    use surgicase_kernel::{CaseStatus, UserId, UserType};

    use crate::Actor;

    /// The seeded user types: provider, group admin, CA, UA, GA, SA.
    pub const TYPES: [i64; 6] = [1, 7, 10, 20, 100, 999];

    pub fn uid(s: &str) -> UserId {
        UserId::parse(s).unwrap()
    }

    pub fn ty(t: i64) -> UserType {
        UserType::new(t).unwrap()
    }

    pub fn st(code: i64) -> CaseStatus {
        CaseStatus::new(code).unwrap()
    }

    /// An actor `u<type>` with the seeded cap of that type.
    pub fn actor(t: i64) -> Actor {
        let cap = if t < 10 { 20 } else { 500 };
        Actor::new(uid(&format!("u{t}")), ty(t), st(cap))
    }
}
