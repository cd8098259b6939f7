//! What a use case can fail with. The HTTP shell maps each variant to a status; the stable
//! `code` and the context fields are decided here, once, for every caller.

use serde_json::{Map, Value, json};
use surgicase_kernel::{FieldError, ValidationErrors};
use surgicase_ports::{BoxError, ObjectError, RegistryError, StoreError};

/// The kinds of object a request can address.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Missing {
    Case,
    User,
    Surgeon,
    Facility,
    Document,
    Upload,
    Npi,
    /// A report or export found nothing to include.
    NoCases,
    /// None of the case ids a request listed names an active case (`POST /get_case_images`).
    NoValidCases,
    /// Anything else addressed by a key (list entries).
    Other,
}

impl Missing {
    pub fn code(self) -> &'static str {
        match self {
            Self::Case => "case_not_found",
            Self::User => "user_not_found",
            Self::Surgeon => "surgeon_not_found",
            Self::Facility => "facility_not_found",
            Self::Document => "document_not_found",
            Self::Upload => "upload_not_found",
            Self::Npi => "npi_not_found",
            Self::NoCases | Self::NoValidCases => "no_cases",
            Self::Other => "not_found",
        }
    }

    fn detail(self) -> &'static str {
        match self {
            Self::Case => "Case not found",
            Self::User => "User not found",
            Self::Surgeon => "Surgeon not found",
            Self::Facility => "Facility not found",
            Self::Document => "Document not found",
            Self::Upload => "Upload not found",
            Self::Npi => "NPI not found in the registry",
            Self::NoCases => "No cases found matching the criteria",
            Self::NoValidCases => "No valid cases found for provided case_ids",
            Self::Other => "Not found",
        }
    }

    /// The context field naming the id, if any (`case_id`, `user_id`, …).
    fn id_field(self) -> Option<&'static str> {
        match self {
            Self::Case => Some("case_id"),
            Self::User => Some("user_id"),
            Self::Surgeon => Some("surgeon_id"),
            Self::Facility => Some("facility_id"),
            Self::Upload => Some("upload_id"),
            Self::Npi => Some("npi"),
            Self::Document | Self::NoCases | Self::NoValidCases | Self::Other => None,
        }
    }
}

/// A refusal because the request conflicts with stored state (HTTP 409).
#[derive(Debug, Clone, PartialEq)]
pub enum Conflict {
    CaseExists { case_id: String },
    DuplicateCase(Box<DuplicateCaseInfo>),
    CaseLocked { case_id: String, case_status: i16 },
    CaseActive { case_id: String },
    OwnerInactive { user_id: String },
    UserExists { user_id: String },
    UserHasPendingPayments { case_count: i64 },
    SurgeonExists { existing_surgeon_id: i64 },
    FacilityExists { existing_facility_id: i64 },
    SurgeonInUse { case_count: i64 },
    FacilityInUse { case_count: i64 },
    AlreadyExists { context: Map<String, Value> },
    UploadAlreadyReceived { upload_id: String },
    UploadAlreadyConfirmed { upload_id: String },
}

/// What a `duplicate_case` answer tells the owner (their own data).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DuplicateCaseInfo {
    pub existing_case_id: String,
    pub existing_case_date: String,
    pub existing_patient_first: String,
    pub existing_patient_last: String,
    pub existing_user_id: String,
}

impl Conflict {
    pub fn code(&self) -> &'static str {
        match self {
            Self::CaseExists { .. } => "case_exists",
            Self::DuplicateCase(_) => "duplicate_case",
            Self::CaseLocked { .. } => "case_locked",
            Self::CaseActive { .. } => "case_active",
            Self::OwnerInactive { .. } => "owner_inactive",
            Self::UserExists { .. } => "user_exists",
            Self::UserHasPendingPayments { .. } => "user_has_pending_payments",
            Self::SurgeonExists { .. } => "surgeon_exists",
            Self::FacilityExists { .. } => "facility_exists",
            Self::SurgeonInUse { .. } => "surgeon_in_use",
            Self::FacilityInUse { .. } => "facility_in_use",
            Self::AlreadyExists { .. } => "already_exists",
            Self::UploadAlreadyReceived { .. } => "upload_already_received",
            Self::UploadAlreadyConfirmed { .. } => "upload_already_confirmed",
        }
    }

    fn detail(&self) -> String {
        match self {
            Self::CaseExists { case_id } => format!("A case with id {case_id} already exists"),
            Self::DuplicateCase(_) => "A case for this patient on this date already exists".to_owned(),
            Self::CaseLocked { case_status, .. } => {
                format!("The case is locked for changes at status {case_status}")
            }
            Self::CaseActive { .. } => "The case is active".to_owned(),
            Self::OwnerInactive { .. } => "The case owner is inactive".to_owned(),
            Self::UserExists { user_id } => format!("A user with id {user_id} already exists"),
            Self::UserHasPendingPayments { case_count } => {
                format!("The user has {case_count} case(s) pending payment")
            }
            Self::SurgeonExists { .. } => "A surgeon with this NPI already exists".to_owned(),
            Self::FacilityExists { .. } => "A facility with this NPI already exists".to_owned(),
            Self::SurgeonInUse { case_count } => format!("The surgeon is used by {case_count} case(s)"),
            Self::FacilityInUse { case_count } => format!("The facility is used by {case_count} case(s)"),
            Self::AlreadyExists { .. } => "Already exists".to_owned(),
            Self::UploadAlreadyReceived { .. } => "The upload has already received its bytes".to_owned(),
            Self::UploadAlreadyConfirmed { .. } => "The upload has already been confirmed".to_owned(),
        }
    }

    fn context(&self) -> Map<String, Value> {
        let value = match self {
            Self::CaseExists { case_id } | Self::CaseActive { case_id } => json!({ "case_id": case_id }),
            Self::DuplicateCase(info) => json!({
                "message": "A case for this patient on this date already exists",
                "existing_case_id": info.existing_case_id,
                "existing_case_date": info.existing_case_date,
                "existing_patient_first": info.existing_patient_first,
                "existing_patient_last": info.existing_patient_last,
                "existing_user_id": info.existing_user_id,
                "suggestion": "Set force_duplicate to true to create it anyway",
            }),
            Self::CaseLocked { case_id, case_status } => {
                json!({ "case_id": case_id, "case_status": case_status })
            }
            Self::OwnerInactive { user_id } | Self::UserExists { user_id } => json!({ "user_id": user_id }),
            Self::UserHasPendingPayments { case_count }
            | Self::SurgeonInUse { case_count }
            | Self::FacilityInUse { case_count } => json!({ "case_count": case_count }),
            Self::SurgeonExists { existing_surgeon_id } => {
                json!({ "existing_surgeon_id": existing_surgeon_id })
            }
            Self::FacilityExists { existing_facility_id } => {
                json!({ "existing_facility_id": existing_facility_id })
            }
            Self::AlreadyExists { context } => Value::Object(context.clone()),
            Self::UploadAlreadyReceived { upload_id } | Self::UploadAlreadyConfirmed { upload_id } => {
                json!({ "upload_id": upload_id })
            }
        };
        match value {
            Value::Object(map) => map,
            _ => Map::new(),
        }
    }
}

/// Why a use case failed.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// The input is invalid; every problem is listed (HTTP 422).
    #[error("invalid request: {0}")]
    Validation(ValidationErrors),
    /// A status rule set was refused; every problem is listed with its TOML path (HTTP 422
    /// `invalid_rule_set`, domain §6.4).
    #[error("invalid rule set: {0}")]
    InvalidRuleSet(ValidationErrors),
    /// The addressed object does not exist or the actor may not see it (HTTP 404).
    #[error("{} ({id})", .kind.code())]
    NotFound { kind: Missing, id: String },
    /// The actor's role is below what the operation needs (HTTP 403).
    #[error("forbidden")]
    Forbidden,
    /// A field the actor may not change was sent with a new value (HTTP 403).
    #[error("forbidden field {field}")]
    ForbiddenField { field: String },
    /// The caller named by the request is not an active user (HTTP 401).
    #[error("unknown user")]
    UnknownUser,
    /// The request conflicts with stored state (HTTP 409).
    #[error("conflict: {}", .0.code())]
    Conflict(Conflict),
    /// A document's bytes are not of an accepted type (HTTP 415).
    #[error("unsupported document type: {detail}")]
    UnsupportedDocument { field: String, detail: String },
    /// A document is larger than the configured limit (HTTP 413).
    #[error("document larger than {limit} bytes")]
    TooLarge { limit: u64 },
    /// The NPI belongs to the other kind of entity (HTTP 422).
    #[error("NPI of the wrong entity type")]
    NpiWrongEntityType { npi: String, expected: &'static str },
    /// The NPI registry could not answer (HTTP 502). The source says why (logged, never shown).
    #[error("NPI registry unavailable")]
    RegistryUnavailable(#[source] BoxError),
    /// The database could not be reached in time (HTTP 503).
    #[error("database unavailable")]
    DatabaseUnavailable(#[source] BoxError),
    /// The object store could not be reached when the request needed it (HTTP 503).
    #[error("object store unavailable")]
    ObjectStoreUnavailable(#[source] BoxError),
    /// Anything else; the message and its cause are logged, never shown (HTTP 500).
    #[error("internal error: {message}")]
    Internal {
        message: String,
        #[source]
        source: Option<BoxError>,
    },
}

impl AppError {
    pub fn not_found(kind: Missing, id: impl Into<String>) -> Self {
        Self::NotFound { kind, id: id.into() }
    }

    /// 422 `invalid_rule_set` with every problem the domain found.
    pub fn invalid_rule_set(refused: surgicase_billing::RuleSetErrors) -> Self {
        let mut errors = ValidationErrors::new();
        for error in refused.errors {
            errors.push(error);
        }
        Self::InvalidRuleSet(errors)
    }

    pub fn invalid(error: FieldError) -> Self {
        Self::Validation(ValidationErrors::single(error))
    }

    pub fn forbidden_field(field: impl Into<String>) -> Self {
        Self::ForbiddenField { field: field.into() }
    }

    /// A 500 without a further cause (a broken invariant).
    pub fn internal(message: impl Into<String>) -> Self {
        Self::Internal { message: message.into(), source: None }
    }

    /// A 500 caused by `source` (kept for the log).
    pub fn internal_from(message: impl Into<String>, source: impl Into<BoxError>) -> Self {
        Self::Internal { message: message.into(), source: Some(source.into()) }
    }

    /// The stable snake_case code of the error body.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Validation(_) => "validation_failed",
            Self::InvalidRuleSet(_) => "invalid_rule_set",
            Self::NotFound { kind, .. } => kind.code(),
            Self::Forbidden => "forbidden",
            Self::ForbiddenField { .. } => "forbidden_field",
            Self::UnknownUser => "unknown_user",
            Self::Conflict(c) => c.code(),
            Self::UnsupportedDocument { .. } => "unsupported_document_type",
            Self::TooLarge { .. } => "payload_too_large",
            Self::NpiWrongEntityType { .. } => "npi_wrong_entity_type",
            Self::RegistryUnavailable(_) => "npi_registry_unavailable",
            Self::DatabaseUnavailable(_) => "database_unavailable",
            Self::ObjectStoreUnavailable(_) => "object_store_unavailable",
            Self::Internal { .. } => "internal_error",
        }
    }

    /// Human text for the client. Never carries internal messages.
    pub fn detail(&self) -> String {
        match self {
            Self::Validation(_) => "Invalid request".to_owned(),
            Self::InvalidRuleSet(_) => "The rule set is invalid".to_owned(),
            Self::NotFound { kind, .. } => kind.detail().to_owned(),
            Self::Forbidden => "Your role does not allow this operation".to_owned(),
            Self::ForbiddenField { field } => format!("You may not change {field}"),
            Self::UnknownUser => "The calling user does not exist or is inactive".to_owned(),
            Self::Conflict(c) => c.detail(),
            Self::UnsupportedDocument { detail, .. } => detail.clone(),
            Self::TooLarge { limit } => format!("The document is larger than {limit} bytes"),
            Self::NpiWrongEntityType { expected, .. } => format!("The NPI does not belong to {expected}"),
            Self::RegistryUnavailable(_) => "The NPI registry is unavailable".to_owned(),
            Self::DatabaseUnavailable(_) => "The database is unavailable".to_owned(),
            Self::ObjectStoreUnavailable(_) => "The document store is unavailable".to_owned(),
            Self::Internal { .. } => "Internal error".to_owned(),
        }
    }

    /// Extra fields of the error body (`case_id`, `existing_case_id`, …).
    pub fn context(&self) -> Map<String, Value> {
        match self {
            Self::NotFound { kind, id } => {
                let mut map = Map::new();
                if let Some(field) = kind.id_field() {
                    map.insert(field.to_owned(), Value::String(id.clone()));
                }
                map
            }
            Self::ForbiddenField { field } => {
                let mut map = Map::new();
                map.insert("field".to_owned(), Value::String(field.clone()));
                map
            }
            Self::Conflict(c) => c.context(),
            Self::UnsupportedDocument { field, .. } => {
                let mut map = Map::new();
                map.insert("field".to_owned(), Value::String(field.clone()));
                map
            }
            Self::TooLarge { limit } => {
                let mut map = Map::new();
                map.insert("limit_bytes".to_owned(), Value::from(*limit));
                map
            }
            Self::NpiWrongEntityType { npi, .. } => {
                let mut map = Map::new();
                map.insert("npi".to_owned(), Value::String(npi.clone()));
                map
            }
            _ => Map::new(),
        }
    }

    /// Whether this is the service's fault (logged as an incident) rather than the caller's.
    pub fn is_incident(&self) -> bool {
        matches!(
            self,
            Self::Internal { .. }
                | Self::DatabaseUnavailable(_)
                | Self::ObjectStoreUnavailable(_)
                | Self::RegistryUnavailable(_)
        )
    }
}

impl From<ValidationErrors> for AppError {
    fn from(errors: ValidationErrors) -> Self {
        Self::Validation(errors)
    }
}

/// The port errors become sources: the log shows the whole chain, the client only the code.
impl From<StoreError> for AppError {
    fn from(error: StoreError) -> Self {
        // A write conflict reaches the client only once `retry` has given up on it.
        if error.is_unavailable() || error.is_retryable() {
            Self::DatabaseUnavailable(Box::new(error))
        } else {
            Self::internal_from("storage failed", error)
        }
    }
}

/// Stored codes that do not parse: the case is not re-priced and the request fails loudly.
impl From<surgicase_cases::UnreadableCode> for AppError {
    fn from(error: surgicase_cases::UnreadableCode) -> Self {
        Self::internal_from("stored codes cannot be priced", error)
    }
}

impl From<ObjectError> for AppError {
    fn from(error: ObjectError) -> Self {
        match error {
            ObjectError::Unavailable(_) => Self::ObjectStoreUnavailable(Box::new(error)),
            other => Self::internal_from("object store failed", other),
        }
    }
}

impl From<RegistryError> for AppError {
    fn from(error: RegistryError) -> Self {
        Self::RegistryUnavailable(Box::new(error))
    }
}

#[cfg(test)]
mod tests {
    use std::error::Error as _;

    use surgicase_ports::Chain;

    use super::*;

    #[test]
    fn store_errors_stay_the_source() {
        let driver = std::io::Error::other("Unknown column 'case_idd' in 'field list'");
        let app = AppError::from(StoreError::backend("the statement was refused").caused_by(driver));
        assert_eq!(app.code(), "internal_error");
        assert_eq!(app.detail(), "Internal error");
        let store = app.source().and_then(|s| s.downcast_ref::<StoreError>()).expect("the store error");
        assert!(matches!(store, StoreError::Backend { .. }));
        assert_eq!(
            Chain(&app).to_string(),
            "internal error: storage failed: database error: the statement was refused: \
             Unknown column 'case_idd' in 'field list'"
        );
    }

    #[test]
    fn unavailable_ports_keep_their_cause() {
        let app = AppError::from(StoreError::unavailable("no database connection within 2s"));
        assert_eq!(app.code(), "database_unavailable");
        assert_eq!(
            Chain(&app).to_string(),
            "database unavailable: database unavailable: no database connection within 2s"
        );
        let app = AppError::from(ObjectError::Unavailable("timed out".into()));
        assert_eq!(app.code(), "object_store_unavailable");
        assert!(Chain(&app).to_string().ends_with("timed out"));
        let app = AppError::from(RegistryError::Unavailable("HTTP 503".into()));
        assert_eq!(app.code(), "npi_registry_unavailable");
        assert!(Chain(&app).to_string().ends_with("HTTP 503"));
    }
}
