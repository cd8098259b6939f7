//! Reference-data checks of profile values (types, statuses, time zones, document types).

use surgicase_kernel::{CaseStatus, FieldCode, FieldError, UserType, ValidationErrors};
use surgicase_ports::Conn;
use surgicase_ports::records::UserTypeRecord;

use crate::error::AppError;

/// What a profile write needs to know from the reference tables.
pub(crate) struct ProfileRefs {
    pub user_types: Vec<UserTypeRecord>,
}

impl ProfileRefs {
    pub(crate) fn type_record(&self, t: UserType) -> Option<&UserTypeRecord> {
        self.user_types.iter().find(|r| r.user_type == t)
    }
}

/// Checks that each given value exists in its list; reads only the lists it needs.
pub(crate) async fn check_refs(
    conn: &mut dyn Conn,
    user_type: Option<UserType>,
    max_case_status: Option<CaseStatus>,
    timezone: Option<&str>,
    doc_types: &[(usize, &str)],
) -> Result<ProfileRefs, AppError> {
    let mut errors = ValidationErrors::new();
    let user_types = conn.user_types().await?;
    if let Some(t) = user_type
        && !user_types.iter().any(|r| r.user_type == t)
    {
        errors.push(FieldError::new(
            "user_type",
            FieldCode::UnknownUserType,
            format!("user type {t} does not exist"),
        ));
    }
    if let Some(s) = max_case_status
        && !conn.case_statuses().await?.iter().any(|r| r.case_status == s)
    {
        errors.push(FieldError::new(
            "max_case_status",
            FieldCode::UnknownStatus,
            format!("status {s} is not in the catalogue"),
        ));
    }
    if let Some(tz) = timezone
        && !conn.timezones().await?.iter().any(|r| r.tz_identifier == tz)
    {
        errors.push(FieldError::new(
            "timezone",
            FieldCode::UnknownTimezone,
            format!("'{tz}' is not offered"),
        ));
    }
    if !doc_types.is_empty() {
        let known = conn.doc_types().await?;
        for (index, doc_type) in doc_types {
            if !known.iter().any(|d| d.doc_type == *doc_type) {
                errors.push(FieldError::new(
                    format!("documents[{index}].document_type"),
                    FieldCode::UnknownDocumentType,
                    format!("'{doc_type}' is not a document type"),
                ));
            }
        }
    }
    errors.into_result(())?;
    Ok(ProfileRefs { user_types })
}
