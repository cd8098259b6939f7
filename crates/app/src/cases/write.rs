//! Checks shared by the writing case use cases.

use surgicase_cases::PatientNameKey;
use surgicase_kernel::{
    CaseId, Date, FacilityId, FieldCode, FieldError, SurgeonId, UserId, ValidationErrors,
};
use surgicase_ports::Conn;
use surgicase_ports::records::UserRecord;

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
        let owned = conn.surgeons().get(id).await?.is_some_and(|s| &s.user_id == owner);
        if !owned {
            errors.push(FieldError::new(
                "surgeon_id",
                FieldCode::UnknownSurgeon,
                format!("surgeon {id} is not in the owner's address book"),
            ));
        }
    }
    if let Some(id) = facility {
        let owned = conn.facilities().get(id).await?.is_some_and(|f| &f.user_id == owner);
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
