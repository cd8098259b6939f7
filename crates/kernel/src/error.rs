//! Validation errors shared by every domain crate.
//!
//! A value constructor fails with a [`ValueError`] (a code and a message); the caller that
//! knows where the value came from turns it into a [`FieldError`] with a field path, and a
//! request collects them in [`ValidationErrors`] so every problem is reported at once.

use std::fmt;

/// Stable field-level error codes (the `code` inside a 422 `errors` list).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FieldCode {
    Required,
    InvalidType,
    TooLong,
    TooShort,
    OutOfRange,
    InvalidFormat,
    InvalidCharacters,
    InvalidDate,
    InvalidAmount,
    InvalidNpi,
    InvalidProcedureCode,
    TooMany,
    UnknownStatus,
    UnknownUserType,
    UnknownSurgeon,
    UnknownFacility,
    UnknownDocumentType,
    UnknownTimezone,
    DocumentMissing,
    EmptyDocument,
    ReadOnlyField,
    DuplicateParameter,
    UnknownField,
    NoFieldsToUpdate,
}

impl FieldCode {
    /// The snake_case name used on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Required => "required",
            Self::InvalidType => "invalid_type",
            Self::TooLong => "too_long",
            Self::TooShort => "too_short",
            Self::OutOfRange => "out_of_range",
            Self::InvalidFormat => "invalid_format",
            Self::InvalidCharacters => "invalid_characters",
            Self::InvalidDate => "invalid_date",
            Self::InvalidAmount => "invalid_amount",
            Self::InvalidNpi => "invalid_npi",
            Self::InvalidProcedureCode => "invalid_procedure_code",
            Self::TooMany => "too_many",
            Self::UnknownStatus => "unknown_status",
            Self::UnknownUserType => "unknown_user_type",
            Self::UnknownSurgeon => "unknown_surgeon",
            Self::UnknownFacility => "unknown_facility",
            Self::UnknownDocumentType => "unknown_document_type",
            Self::UnknownTimezone => "unknown_timezone",
            Self::DocumentMissing => "document_missing",
            Self::EmptyDocument => "empty_document",
            Self::ReadOnlyField => "read_only_field",
            Self::DuplicateParameter => "duplicate_parameter",
            Self::UnknownField => "unknown_field",
            Self::NoFieldsToUpdate => "no_fields_to_update",
        }
    }
}

impl fmt::Display for FieldCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why one value is invalid, without knowing where it came from.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct ValueError {
    pub code: FieldCode,
    pub message: String,
}

impl ValueError {
    pub fn new(code: FieldCode, message: impl Into<String>) -> Self {
        Self { code, message: message.into() }
    }

    pub fn required() -> Self {
        Self::new(FieldCode::Required, "must not be empty")
    }

    pub fn too_long(max: usize) -> Self {
        Self::new(FieldCode::TooLong, format!("must be at most {max} characters"))
    }

    /// Attach the field path the value came from.
    pub fn at(self, field: impl Into<String>) -> FieldError {
        FieldError { field: field.into(), code: self.code, message: self.message }
    }
}

/// One invalid field of a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// Dotted path into the body with `[i]` for array items, or a query parameter name.
    pub field: String,
    pub code: FieldCode,
    pub message: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, code: FieldCode, message: impl Into<String>) -> Self {
        Self { field: field.into(), code, message: message.into() }
    }
}

/// Every problem found in one request (reported together, capped at 50 on the wire).
#[derive(Debug, Clone, Default, PartialEq, Eq, thiserror::Error)]
#[error("{} invalid field(s)", .0.len())]
pub struct ValidationErrors(pub Vec<FieldError>);

impl ValidationErrors {
    pub fn new() -> Self {
        Self(Vec::new())
    }

    pub fn single(error: FieldError) -> Self {
        Self(vec![error])
    }

    pub fn push(&mut self, error: FieldError) {
        self.0.push(error);
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn iter(&self) -> impl Iterator<Item = &FieldError> {
        self.0.iter()
    }

    /// Records the error of `result` under `field` and returns the value when valid, so a
    /// constructor can check every field before failing.
    pub fn check<T>(&mut self, field: &str, result: Result<T, ValueError>) -> Option<T> {
        match result {
            Ok(value) => Some(value),
            Err(error) => {
                self.push(error.at(field));
                None
            }
        }
    }

    /// `Ok(value)` when nothing was recorded.
    pub fn into_result<T>(self, value: T) -> Result<T, ValidationErrors> {
        if self.is_empty() { Ok(value) } else { Err(self) }
    }

    pub fn extend(&mut self, other: ValidationErrors) {
        self.0.extend(other.0);
    }
}

impl From<FieldError> for ValidationErrors {
    fn from(error: FieldError) -> Self {
        Self::single(error)
    }
}
