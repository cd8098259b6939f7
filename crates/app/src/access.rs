//! Turning permission decisions into use-case errors.

use surgicase_permissions::{Access, Denied, EditAccess, FieldAccess};

use crate::error::{AppError, Conflict, Missing};

/// `NotFound` becomes "`missing` not found", `Forbidden` 403.
pub(crate) fn require(access: Access, missing: Missing, id: &str) -> Result<(), AppError> {
    match access {
        Access::Allowed => Ok(()),
        Access::NotFound => Err(AppError::not_found(missing, id)),
        Access::Forbidden => Err(AppError::Forbidden),
    }
}

/// A case edit decision: not found, 403, or `case_locked`.
pub(crate) fn require_case_edit(
    access: EditAccess,
    case_id: &str,
    stored_status: i16,
) -> Result<(), AppError> {
    access.check().map_err(|denied| case_denied(denied, case_id, stored_status))
}

/// A field the actor may not change, unless the request leaves it as stored.
pub(crate) fn require_field(access: FieldAccess, field: &str, unchanged: bool) -> Result<(), AppError> {
    if unchanged || access.is_allowed() { Ok(()) } else { Err(AppError::forbidden_field(field)) }
}

/// The answer of `may_change_case_document`: not found, `forbidden_field`, or `case_locked`.
pub(crate) fn require_case_document(
    decision: Result<(), Denied>,
    case_id: &str,
    stored_status: i16,
) -> Result<(), AppError> {
    decision.map_err(|denied| case_denied(denied, case_id, stored_status))
}

/// A refused case change: not found, 403, `forbidden_field`, or `case_locked`.
pub(crate) fn case_denied(denied: Denied, case_id: &str, stored_status: i16) -> AppError {
    match denied {
        Denied::NotFound => AppError::not_found(Missing::Case, case_id),
        Denied::Forbidden => AppError::Forbidden,
        Denied::ForbiddenField(field) => AppError::forbidden_field(field),
        Denied::Locked => AppError::Conflict(Conflict::CaseLocked {
            case_id: case_id.to_owned(),
            case_status: stored_status,
        }),
    }
}
