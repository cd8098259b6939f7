//! Request fields as received, before validation.

pub use surgicase_kernel::Raw;
use surgicase_kernel::{FieldCode, ValidationErrors, ValueError};

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

/// An optional field whose parser judges blank values itself (and their length): absent is
/// `Some(None)`; `None` means an error was recorded.
pub(crate) fn present<T>(
    errors: &mut ValidationErrors,
    field: &str,
    raw: &Raw<String>,
    parse: impl FnOnce(&str) -> Result<Option<T>, ValueError>,
) -> Option<Option<T>> {
    match raw {
        Raw::Absent => Some(None),
        _ => required(errors, field, raw, parse),
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
