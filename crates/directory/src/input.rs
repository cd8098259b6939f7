//! Request fields as received, before validation.

use surgicase_kernel::{FieldCode, ValidationErrors, ValueError};

/// One body field as received (same shape as `surgicase_cases::Raw`).
///
/// `null` and an absent key are both `Absent`; a JSON type the field does not accept is
/// `WrongType` (`invalid_type`); numbers accepted for NPI fields are passed as decimal text.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Raw<T> {
    #[default]
    Absent,
    WrongType,
    Value(T),
}

impl<T> Raw<T> {
    pub fn is_present(&self) -> bool {
        !matches!(self, Raw::Absent)
    }
}

impl<T> From<Option<T>> for Raw<T> {
    fn from(value: Option<T>) -> Self {
        value.map_or(Raw::Absent, Raw::Value)
    }
}

impl From<&str> for Raw<String> {
    fn from(value: &str) -> Self {
        Raw::Value(value.to_owned())
    }
}

pub(crate) fn invalid_type() -> ValueError {
    ValueError::new(FieldCode::InvalidType, "must be a string")
}

/// A required field; `None` means an error was recorded.
pub(crate) fn required<T>(
    errors: &mut ValidationErrors,
    field: &str,
    raw: &Raw<String>,
    parse: impl FnOnce(&str) -> Result<T, ValueError>,
) -> Option<T> {
    match raw {
        Raw::Absent => {
            errors.push(ValueError::required().at(field));
            None
        }
        Raw::WrongType => {
            errors.push(invalid_type().at(field));
            None
        }
        Raw::Value(s) => errors.check(field, parse(s)),
    }
}

/// An optional field: absent or blank is `Some(None)`; `None` means an error was recorded.
pub(crate) fn optional<T>(
    errors: &mut ValidationErrors,
    field: &str,
    raw: &Raw<String>,
    parse: impl FnOnce(&str) -> Result<T, ValueError>,
) -> Option<Option<T>> {
    match raw {
        Raw::Absent => Some(None),
        Raw::Value(s) if s.trim().is_empty() => Some(None),
        _ => required(errors, field, raw, parse).map(Some),
    }
}
