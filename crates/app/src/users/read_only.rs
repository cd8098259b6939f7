//! The read-only fields of a user profile: stored timestamps `UserProfile` shows (api.md §1.9)
//! that `PATCH /user` cannot set. Role fields are not here (they are refused with 403
//! `forbidden_field`), nor `last_login_dt`, which api.md §3 says is ignored, nor the derived
//! `user_type_desc`.

use surgicase_ports::records::UserRecord;

use crate::read_only::Shown;

/// The body names `PATCH /user` compares with the stored profile (the shell collects these).
pub const READ_ONLY_FIELDS: &[&str] = &["create_ts", "last_updated_ts"];

/// The stored value of a read-only field.
pub(crate) fn shown<'a>(user: &UserRecord, name: &str) -> Option<Shown<'a>> {
    match name {
        "create_ts" => Some(Shown::Time(Some(user.create_ts))),
        "last_updated_ts" => Some(Shown::Time(Some(user.last_updated_ts))),
        _ => None,
    }
}
