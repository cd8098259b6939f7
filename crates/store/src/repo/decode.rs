//! Turning stored values back into domain values. A stored value the domain would refuse is
//! reported as `StoreError::Corrupt`, naming the column, never the value.

use chrono::NaiveDateTime;
use surgicase_kernel::{
    ArchiveState, CaseId, CaseStatus, DocumentField, DocumentLocation, FacilityId, Money, SurgeonId,
    Timestamp, UserId, UserType,
};
use surgicase_ports::StoreError;

fn corrupt(column: &str, why: impl std::fmt::Display) -> StoreError {
    StoreError::corrupt(format!("{column}: {why}"))
}

pub(crate) fn ts(raw: NaiveDateTime) -> Timestamp {
    raw.and_utc()
}

pub(crate) fn opt_ts(raw: Option<NaiveDateTime>) -> Option<Timestamp> {
    raw.map(ts)
}

pub(crate) fn user_id(raw: &str, column: &str) -> Result<UserId, StoreError> {
    UserId::parse(raw).map_err(|e| corrupt(column, e))
}

pub(crate) fn case_id(raw: &str, column: &str) -> Result<CaseId, StoreError> {
    CaseId::parse(raw).map_err(|e| corrupt(column, e))
}

pub(crate) fn status(raw: i64, column: &str) -> Result<CaseStatus, StoreError> {
    CaseStatus::new(raw).map_err(|e| corrupt(column, e))
}

pub(crate) fn opt_status(raw: Option<i64>, column: &str) -> Result<Option<CaseStatus>, StoreError> {
    raw.map(|v| status(v, column)).transpose()
}

pub(crate) fn user_type(raw: i64, column: &str) -> Result<UserType, StoreError> {
    UserType::new(raw).map_err(|e| corrupt(column, e))
}

pub(crate) fn surgeon_id(raw: i64, column: &str) -> Result<SurgeonId, StoreError> {
    SurgeonId::new(raw).map_err(|e| corrupt(column, e))
}

pub(crate) fn facility_id(raw: i64, column: &str) -> Result<FacilityId, StoreError> {
    FacilityId::new(raw).map_err(|e| corrupt(column, e))
}

pub(crate) fn location(raw: &str, column: &str) -> Result<DocumentLocation, StoreError> {
    DocumentLocation::parse(raw).ok_or_else(|| corrupt(column, "unknown location"))
}

pub(crate) fn document_field(raw: &str, column: &str) -> Result<DocumentField, StoreError> {
    DocumentField::from_name(raw).ok_or_else(|| corrupt(column, "unknown document type"))
}

pub(crate) fn archive_state(raw: Option<&str>, column: &str) -> Result<Option<ArchiveState>, StoreError> {
    raw.map(|s| ArchiveState::parse(s).ok_or_else(|| corrupt(column, "unknown archive state"))).transpose()
}

pub(crate) fn money(cents: i64) -> Money {
    Money::from_cents(cents)
}

pub(crate) fn int<T: TryFrom<i64>>(raw: i64, column: &str) -> Result<T, StoreError> {
    T::try_from(raw).map_err(|_| corrupt(column, "out of range"))
}

pub(crate) fn opt_int<T: TryFrom<i64>>(raw: Option<i64>, column: &str) -> Result<Option<T>, StoreError> {
    raw.map(|v| int(v, column)).transpose()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_stored_values_are_corrupt() {
        assert!(matches!(status(5000, "cases.case_status"), Err(StoreError::Corrupt { .. })));
        assert!(matches!(user_type(0, "user_profile.user_type"), Err(StoreError::Corrupt { .. })));
        assert!(matches!(user_id("has space", "cases.user_id"), Err(StoreError::Corrupt { .. })));
        assert!(matches!(surgeon_id(0, "cases.surgeon_id"), Err(StoreError::Corrupt { .. })));
        assert!(matches!(int::<i16>(70_000, "x"), Err(StoreError::Corrupt { .. })));
        assert_eq!(status(500, "s").ok(), Some(CaseStatus::CLOSED));
        let err = status(5000, "cases.case_status").unwrap_err().to_string();
        assert!(err.contains("cases.case_status"), "{err}");
    }
}
