//! Rules of the admin auto-fix map (domain §9.3).

use surgicase_kernel::procedure_code::normalize_entry;
use surgicase_kernel::text::required_line;
use surgicase_kernel::{FieldCode, ProcedureCode, ValidationErrors, ValueError};

/// Longest `entered_code`.
pub const ENTERED_MAX: usize = 20;
/// Longest `reason`.
pub const REASON_MAX: usize = 250;

/// A valid new entry of the map.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AutoFixEntry {
    entered: String,
    fixed: ProcedureCode,
    reason: String,
}

impl AutoFixEntry {
    /// The entry as matched against normalised entries (trimmed, upper-case; may be malformed).
    pub fn entered(&self) -> &str {
        &self.entered
    }

    pub fn fixed(&self) -> &ProcedureCode {
        &self.fixed
    }

    pub fn reason(&self) -> &str {
        &self.reason
    }
}

fn entered_code(raw: &str) -> Result<String, ValueError> {
    let entered = normalize_entry(raw);
    if entered.is_empty() {
        return Err(ValueError::required());
    }
    if entered.chars().any(char::is_control) {
        return Err(ValueError::new(FieldCode::InvalidCharacters, "must not contain control characters"));
    }
    if entered.chars().count() > ENTERED_MAX {
        return Err(ValueError::too_long(ENTERED_MAX));
    }
    Ok(entered)
}

fn chain(message: String) -> ValueError {
    ValueError::new(FieldCode::InvalidFormat, message)
}

/// Validates a new entry against the active map, given as `(entered, fixed)` pairs. The caller
/// leaves out an entry this one replaces; an active entry with the same `entered_code` is the
/// caller's `already_exists` conflict, not checked here.
pub fn validate_auto_fix(
    entered: &str,
    fixed: &str,
    reason: &str,
    active_entries: &[(String, String)],
) -> Result<AutoFixEntry, ValidationErrors> {
    let mut errors = ValidationErrors::new();
    let entered = errors.check("entered_code", entered_code(entered));
    let fixed = errors.check("fixed_code", ProcedureCode::parse(fixed));
    let reason = errors.check("reason", required_line(reason, REASON_MAX));

    if let Some(entered) = &entered
        && active_entries.iter().any(|(_, f)| normalize_entry(f) == *entered)
    {
        errors.push(
            chain(format!("'{entered}' is the corrected code of an active entry (no chains)"))
                .at("entered_code"),
        );
    }
    if let Some(fixed) = &fixed {
        if entered.as_deref() == Some(fixed.as_str()) {
            errors.push(chain("must differ from entered_code".to_owned()).at("fixed_code"));
        } else if active_entries.iter().any(|(e, _)| normalize_entry(e) == fixed.as_str()) {
            errors.push(
                chain(format!("'{fixed}' is itself corrected by an active entry (no chains)"))
                    .at("fixed_code"),
            );
        }
    }
    match (entered, fixed, reason) {
        (Some(entered), Some(fixed), Some(reason)) if errors.is_empty() => {
            Ok(AutoFixEntry { entered, fixed, reason })
        }
        _ => Err(errors),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn active() -> Vec<(String, String)> {
        vec![("59510".to_owned(), "59514".to_owned()), ("27447-80".to_owned(), "27447".to_owned())]
    }

    #[test]
    fn valid_entries() {
        let entry = validate_auto_fix(" 59400 ", "59409", " Global code ", &active()).unwrap();
        assert_eq!(entry.entered(), "59400");
        assert_eq!(entry.fixed().as_str(), "59409");
        assert_eq!(entry.reason(), "Global code");
        // A malformed entered code is the point of the map.
        let entry = validate_auto_fix("29881-lt", "29881", "modifier", &active()).unwrap();
        assert_eq!(entry.entered(), "29881-LT");
        assert!(validate_auto_fix(&"X".repeat(20), "29881", "r", &[]).is_ok());
    }

    #[test]
    fn refused_entries() {
        let long_reason = "r".repeat(251);
        let long_entered = "X".repeat(21);
        type Row<'a> = (&'a str, &'a str, &'a str, &'a [(&'a str, FieldCode)]);
        let table: &[Row<'_>] = &[
            ("", "29881", "r", &[("entered_code", FieldCode::Required)]),
            (&long_entered, "29881", "r", &[("entered_code", FieldCode::TooLong)]),
            ("a\u{7}b", "29881", "r", &[("entered_code", FieldCode::InvalidCharacters)]),
            ("29881-LT", "2988", "r", &[("fixed_code", FieldCode::InvalidProcedureCode)]),
            ("29881-LT", "29881", " ", &[("reason", FieldCode::Required)]),
            ("29881-LT", "29881", &long_reason, &[("reason", FieldCode::TooLong)]),
            // Chains: the new fixed code is an active entered code, or the reverse.
            ("59400", "59510", "r", &[("fixed_code", FieldCode::InvalidFormat)]),
            ("59514", "59515", "r", &[("entered_code", FieldCode::InvalidFormat)]),
            (
                "27447",
                "27447",
                "r",
                &[("entered_code", FieldCode::InvalidFormat), ("fixed_code", FieldCode::InvalidFormat)],
            ),
            ("29881", "29881", "r", &[("fixed_code", FieldCode::InvalidFormat)]),
            (
                "",
                "",
                "",
                &[
                    ("entered_code", FieldCode::Required),
                    ("fixed_code", FieldCode::Required),
                    ("reason", FieldCode::Required),
                ],
            ),
        ];
        for (entered, fixed, reason, expected) in table {
            let err = validate_auto_fix(entered, fixed, reason, &active()).unwrap_err();
            let got: Vec<_> = err.iter().map(|e| (e.field.as_str(), e.code)).collect();
            assert_eq!(got, *expected, "{entered:?} -> {fixed:?}");
        }
    }
}
