//! Request fields as received, before validation, and the tri-state of PATCH fields.
//!
//! The HTTP shell turns a JSON body into these shapes (it knows which JSON types a field
//! accepts); the domain then validates every field and reports all problems at once.

use surgicase_kernel::{FieldCode, Flag, ValidationErrors, ValueError};
pub use surgicase_kernel::{Patch, Raw};

pub(crate) fn invalid_type(expected: &str) -> ValueError {
    ValueError::new(FieldCode::InvalidType, format!("must be {expected}"))
}

/// A required field: absent is `required`, a wrong JSON type `invalid_type`, else `parse`.
/// `None` means an error was recorded.
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
            errors.push(invalid_type("a string").at(field));
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

/// A PATCH field that cannot be cleared: absent is `Some(None)` (unchanged); `""` goes to
/// `parse`, which reports `required`. `None` means an error was recorded.
pub(crate) fn patch_required<T>(
    errors: &mut ValidationErrors,
    field: &str,
    raw: &Raw<String>,
    parse: impl FnOnce(&str) -> Result<T, ValueError>,
) -> Option<Option<T>> {
    match raw {
        Raw::Absent => Some(None),
        _ => required(errors, field, raw, parse).map(Some),
    }
}

/// A clearable PATCH field: absent is unchanged, `""` (or only whitespace) clears. `None` means an
/// error was recorded.
pub(crate) fn patch_clearable<T>(
    errors: &mut ValidationErrors,
    field: &str,
    raw: &Raw<String>,
    parse: impl FnOnce(&str) -> Result<T, ValueError>,
) -> Option<Patch<T>> {
    match raw {
        Raw::Absent => Some(Patch::Unchanged),
        Raw::Value(s) if s.trim().is_empty() => Some(Patch::Clear),
        _ => required(errors, field, raw, parse).map(Patch::Set),
    }
}

/// A flag (`true`/`false`/`1`/`0`); absent is `false`.
pub(crate) fn flag(errors: &mut ValidationErrors, field: &str, raw: &Raw<Flag>) -> bool {
    if *raw == Raw::WrongType {
        errors.push(invalid_type("true, false, 1 or 0").at(field));
    }
    raw.is_set()
}

/// A positive database id given as a JSON number or digit string (its decimal text).
pub(crate) fn positive_id(raw: &str) -> Result<i64, ValueError> {
    let s = raw.trim();
    if s.is_empty() {
        return Err(ValueError::required());
    }
    let digits = s.strip_prefix('-').unwrap_or(s);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(invalid_type("an integer id"));
    }
    match s.parse::<i64>() {
        Ok(value) if value > 0 && value <= surgicase_kernel::ids::ID_MAX => Ok(value),
        _ => Err(ValueError::new(FieldCode::OutOfRange, "must be a positive id")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positive_ids() {
        let table: &[(&str, Result<i64, FieldCode>)] = &[
            ("100000", Ok(100000)),
            (" 42 ", Ok(42)),
            ("0", Err(FieldCode::OutOfRange)),
            ("-5", Err(FieldCode::OutOfRange)),
            ("99999999999999999999", Err(FieldCode::OutOfRange)),
            ("1.5", Err(FieldCode::InvalidType)),
            ("abc", Err(FieldCode::InvalidType)),
            ("-", Err(FieldCode::InvalidType)),
            ("", Err(FieldCode::Required)),
        ];
        for (raw, expected) in table {
            assert_eq!(positive_id(raw).map_err(|e| e.code), *expected, "{raw:?}");
        }
    }

    #[test]
    fn field_shapes() {
        let mut errors = ValidationErrors::new();
        let ok = |s: &str| Ok::<_, ValueError>(s.to_owned());
        assert_eq!(optional(&mut errors, "a", &Raw::Absent, ok), Some(None));
        assert_eq!(optional(&mut errors, "a", &Raw::from("  "), ok), Some(None));
        assert_eq!(patch_clearable(&mut errors, "a", &Raw::from(""), ok), Some(Patch::Clear));
        assert_eq!(patch_clearable(&mut errors, "a", &Raw::from(" "), ok), Some(Patch::Clear));
        assert_eq!(patch_clearable(&mut errors, "a", &Raw::from("x"), ok), Some(Patch::Set("x".to_owned())));
        assert_eq!(patch_clearable(&mut errors, "a", &Raw::Absent, ok), Some(Patch::Unchanged));
        assert_eq!(patch_required(&mut errors, "a", &Raw::Absent, ok), Some(None));
        assert!(errors.is_empty());
        assert_eq!(required(&mut errors, "b", &Raw::Absent, ok), None);
        assert_eq!(optional(&mut errors, "c", &Raw::WrongType, ok), None);
        let got: Vec<_> = errors.iter().map(|e| (e.field.as_str(), e.code)).collect();
        assert_eq!(got, vec![("b", FieldCode::Required), ("c", FieldCode::InvalidType)]);
    }

    #[test]
    fn patch_resolves() {
        assert_eq!(Patch::Unchanged.apply(Some(1)), Some(1));
        assert_eq!(Patch::<i32>::Clear.apply(Some(1)), None);
        assert_eq!(Patch::Set(2).apply(None), Some(2));
    }
}
