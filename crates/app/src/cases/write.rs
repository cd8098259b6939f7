//! Checks shared by the writing case use cases.

use surgicase_cases::PatientNameKey;
use surgicase_kernel::DocumentField;
use surgicase_kernel::{
    CaseId, Date, FacilityId, FieldCode, FieldError, SurgeonId, UserId, ValidationErrors,
};
use surgicase_ports::Conn;
use surgicase_ports::records::{DocumentNames, UserRecord};

use crate::error::{AppError, Conflict, DuplicateCaseInfo, Missing};

/// The owner, locked for the rest of the transaction; missing or inactive is "user not found".
pub(crate) async fn lock_active_owner(conn: &mut dyn Conn, owner: &UserId) -> Result<UserRecord, AppError> {
    match conn.lock_user(owner).await? {
        Some(user) if user.active => Ok(user),
        _ => Err(AppError::not_found(Missing::User, owner.as_str())),
    }
}

/// The surgeon and facility must be in the owner's address book (domain §10.1).
pub(crate) async fn check_address_book(
    conn: &mut dyn Conn,
    owner: &UserId,
    surgeon: Option<SurgeonId>,
    facility: Option<FacilityId>,
) -> Result<(), AppError> {
    let mut errors = ValidationErrors::new();
    if let Some(id) = surgeon {
        let owned = conn.get_surgeon(id).await?.is_some_and(|s| &s.user_id == owner);
        if !owned {
            errors.push(FieldError::new(
                "surgeon_id",
                FieldCode::UnknownSurgeon,
                format!("surgeon {id} is not in the owner's address book"),
            ));
        }
    }
    if let Some(id) = facility {
        let owned = conn.get_facility(id).await?.is_some_and(|f| &f.user_id == owner);
        if !owned {
            errors.push(FieldError::new(
                "facility_id",
                FieldCode::UnknownFacility,
                format!("facility {id} is not in the owner's address book"),
            ));
        }
    }
    errors.into_result(())?;
    Ok(())
}

/// Duplicate-patient detection (domain §10.3): `Ok(true)` when a duplicate exists and the
/// request forces it (the case is then flagged), `Ok(false)` when there is none.
pub(crate) async fn check_duplicate(
    conn: &mut dyn Conn,
    owner: &UserId,
    date: Date,
    first: &str,
    last: &str,
    exclude: Option<&CaseId>,
    force: bool,
) -> Result<bool, AppError> {
    let key = PatientNameKey::new(first, last);
    match conn.find_duplicate(owner, date, key.as_str(), exclude).await? {
        None => Ok(false),
        Some(_) if force => Ok(true),
        Some(existing) => Err(AppError::Conflict(Conflict::DuplicateCase(Box::new(DuplicateCaseInfo {
            existing_case_id: existing.case_id.to_string(),
            existing_case_date: existing.case_date.to_string(),
            existing_patient_first: existing.patient_first,
            existing_patient_last: existing.patient_last,
            existing_user_id: existing.user_id.to_string(),
        })))),
    }
}

/// The code strings of a list, for master lookups.
pub(crate) fn code_strings<T: ToString>(codes: &[T]) -> Vec<String> {
    codes.iter().map(ToString::to_string).collect()
}

/// The column of `cases` that names the document of `field`.
pub(crate) fn document_slot(names: &mut DocumentNames, field: DocumentField) -> &mut Option<String> {
    match field {
        DocumentField::DemoFile => &mut names.demo_file,
        DocumentField::NoteFile => &mut names.note_file,
        DocumentField::MiscFile => &mut names.misc_file,
        DocumentField::AdminFile => &mut names.admin_file,
    }
}

/// The stored name of the document of `field`.
pub(crate) fn document_name(names: &DocumentNames, field: DocumentField) -> Option<&str> {
    match field {
        DocumentField::DemoFile => names.demo_file.as_deref(),
        DocumentField::NoteFile => names.note_file.as_deref(),
        DocumentField::MiscFile => names.misc_file.as_deref(),
        DocumentField::AdminFile => names.admin_file.as_deref(),
    }
}
