//! Per-field validators shared by creation and PATCH. Optional fields answer `Ok(None)` for a
//! blank value, which creation reads as "absent" and PATCH as "clear".

use surgicase_kernel::time::parse_date;
use surgicase_kernel::{Date, FieldCode, Npi, ValidationErrors, ValueError, text};

use crate::raw::TextOrInt;

pub(crate) const NAME_MAX: usize = 100;
pub(crate) const ADDRESS_MAX: usize = 250;
pub(crate) const REFERRED_BY_MAX: usize = 100;
pub(crate) const TIMEZONE_MAX: usize = 64;
pub(crate) const CREDENTIALS_MAX: usize = 50;
pub(crate) const PAGINATION_MAX: i64 = 1000;

pub(crate) fn name(raw: &str) -> Result<String, ValueError> {
    text::person_name(raw, NAME_MAX)
}

pub(crate) fn address_line(raw: &str) -> Result<Option<String>, ValueError> {
    text::optional_line(raw, ADDRESS_MAX)
}

pub(crate) fn state(raw: &str) -> Result<Option<String>, ValueError> {
    if raw.trim().is_empty() { Ok(None) } else { text::state(raw).map(Some) }
}

pub(crate) fn zipcode(raw: &str) -> Result<Option<String>, ValueError> {
    if raw.trim().is_empty() { Ok(None) } else { text::zip(raw).map(Some) }
}

pub(crate) fn telephone(raw: &TextOrInt) -> Result<Option<u64>, ValueError> {
    match raw {
        TextOrInt::Int(n) if *n < 0 => {
            Err(ValueError::new(FieldCode::InvalidFormat, "must be a ten-digit telephone number"))
        }
        TextOrInt::Int(n) => text::telephone(&n.to_string()).map(Some),
        TextOrInt::Text(s) if s.trim().is_empty() => Ok(None),
        TextOrInt::Text(s) => text::telephone(s).map(Some),
    }
}

pub(crate) fn npi(raw: &TextOrInt) -> Result<Option<Npi>, ValueError> {
    match raw {
        TextOrInt::Int(n) => match u64::try_from(*n) {
            Ok(v) => Npi::from_u64(v).map(Some),
            Err(_) => Err(ValueError::new(FieldCode::InvalidNpi, "NPI must be ten digits")),
        },
        TextOrInt::Text(s) if s.trim().is_empty() => Ok(None),
        TextOrInt::Text(s) => Npi::parse(s).map(Some),
    }
}

pub(crate) fn referred_by(raw: &str) -> Result<Option<String>, ValueError> {
    text::optional_line(raw, REFERRED_BY_MAX)
}

pub(crate) fn states_licensed(raw: &str) -> Result<Option<String>, ValueError> {
    let s = text::states_licensed(raw)?;
    Ok(if s.is_empty() { None } else { Some(s) })
}

/// Only trimmed and bounded here; whether the zone is in `user_timezones` is the caller's check.
pub(crate) fn timezone(raw: &str) -> Result<Option<String>, ValueError> {
    text::optional_line(raw, TIMEZONE_MAX)
}

pub(crate) fn credentials(raw: &str) -> Result<Option<String>, ValueError> {
    text::optional_line(raw, CREDENTIALS_MAX)
}

pub(crate) fn date(raw: &str) -> Result<Option<Date>, ValueError> {
    let s = raw.trim();
    if s.is_empty() { Ok(None) } else { parse_date(s).map(Some) }
}

pub(crate) fn pagination(raw: &TextOrInt) -> Result<Option<i32>, ValueError> {
    match raw {
        TextOrInt::Int(n) if (1..=PAGINATION_MAX).contains(n) => Ok(Some(*n as i32)),
        TextOrInt::Int(_) => Err(ValueError::new(FieldCode::OutOfRange, "must be between 1 and 1000")),
        TextOrInt::Text(s) if s.trim().is_empty() => Ok(None),
        TextOrInt::Text(_) => Err(ValueError::new(FieldCode::InvalidType, "must be an integer")),
    }
}

pub(crate) fn user_tier(raw: i64) -> Result<i32, ValueError> {
    if (1..=i64::from(crate::tier::TIER_MAX)).contains(&raw) {
        Ok(raw as i32)
    } else {
        Err(ValueError::new(FieldCode::OutOfRange, "must be between 1 and 1000"))
    }
}

/// A required field: absent is `required`, present goes through `parse`.
pub(crate) fn required<T, R: ?Sized>(
    errors: &mut ValidationErrors,
    field: &str,
    raw: Option<&R>,
    parse: impl FnOnce(&R) -> Result<T, ValueError>,
) -> Option<T> {
    match raw {
        None => {
            errors.push(ValueError::required().at(field));
            None
        }
        Some(raw) => errors.check(field, parse(raw)),
    }
}

/// An optional field on creation: absent or blank is `None`.
pub(crate) fn optional<T, R: ?Sized>(
    errors: &mut ValidationErrors,
    field: &str,
    raw: Option<&R>,
    parse: impl FnOnce(&R) -> Result<Option<T>, ValueError>,
) -> Option<T> {
    raw.and_then(|raw| errors.check(field, parse(raw)).flatten())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn telephone_accepts_numbers_and_strings() {
        let table: &[(TextOrInt, Result<Option<u64>, FieldCode>)] = &[
            (TextOrInt::Int(5_551_234_567), Ok(Some(5_551_234_567))),
            (TextOrInt::Int(15_551_234_567), Ok(Some(5_551_234_567))),
            (TextOrInt::Int(555_1234), Err(FieldCode::InvalidFormat)),
            (TextOrInt::Int(-5_551_234_567), Err(FieldCode::InvalidFormat)),
            ("(555) 123-4567".into(), Ok(Some(5_551_234_567))),
            ("  ".into(), Ok(None)),
            ("555-12x-4567".into(), Err(FieldCode::InvalidFormat)),
        ];
        for (raw, expected) in table {
            assert_eq!(telephone(raw).map_err(|e| e.code), *expected, "{raw:?}");
        }
    }

    #[test]
    fn npi_accepts_numbers_and_strings() {
        let ok = Npi::parse("1234567893").ok();
        let table: &[(TextOrInt, Result<Option<Npi>, FieldCode>)] = &[
            (TextOrInt::Int(1_234_567_893), Ok(ok)),
            (" 1234567893 ".into(), Ok(ok)),
            ("".into(), Ok(None)),
            (TextOrInt::Int(1_234_567_890), Err(FieldCode::InvalidNpi)),
            (TextOrInt::Int(0), Err(FieldCode::InvalidNpi)),
            (TextOrInt::Int(-1_234_567_893), Err(FieldCode::InvalidNpi)),
            ("12345".into(), Err(FieldCode::InvalidNpi)),
        ];
        for (raw, expected) in table {
            assert_eq!(npi(raw).map_err(|e| e.code), *expected, "{raw:?}");
        }
    }

    #[test]
    fn pagination_range() {
        let table: &[(TextOrInt, Result<Option<i32>, FieldCode>)] = &[
            (TextOrInt::Int(1), Ok(Some(1))),
            (TextOrInt::Int(1000), Ok(Some(1000))),
            (TextOrInt::Int(0), Err(FieldCode::OutOfRange)),
            (TextOrInt::Int(1001), Err(FieldCode::OutOfRange)),
            ("".into(), Ok(None)),
            ("50".into(), Err(FieldCode::InvalidType)),
        ];
        for (raw, expected) in table {
            assert_eq!(pagination(raw).map_err(|e| e.code), *expected, "{raw:?}");
        }
    }

    #[test]
    fn optional_text_fields() {
        assert_eq!(state(" ny ").ok(), Some(Some("NY".to_owned())));
        assert_eq!(state("").ok(), Some(None));
        assert_eq!(state("Q").err().map(|e| e.code), Some(FieldCode::InvalidFormat));
        assert_eq!(zipcode("").ok(), Some(None));
        assert_eq!(zipcode("1234").err().map(|e| e.code), Some(FieldCode::InvalidFormat));
        assert_eq!(states_licensed(" , ").ok(), Some(None));
        assert_eq!(states_licensed("ny,nj").ok(), Some(Some("NY,NJ".to_owned())));
        assert_eq!(date(" 2026-01-31 ").ok().flatten().map(|d| d.to_string()), Some("2026-01-31".into()));
        assert_eq!(date("2026-02-30").err().map(|e| e.code), Some(FieldCode::InvalidDate));
        assert_eq!(credentials(&"x".repeat(51)).err().map(|e| e.code), Some(FieldCode::TooLong));
        assert_eq!(timezone(" America/Chicago ").ok(), Some(Some("America/Chicago".to_owned())));
        assert_eq!(timezone(&"x".repeat(65)).err().map(|e| e.code), Some(FieldCode::TooLong));
        assert_eq!(referred_by(&"x".repeat(101)).err().map(|e| e.code), Some(FieldCode::TooLong));
        assert_eq!(address_line(&"x".repeat(251)).err().map(|e| e.code), Some(FieldCode::TooLong));
        assert_eq!(address_line("a\u{7}b").err().map(|e| e.code), Some(FieldCode::InvalidCharacters));
    }

    #[test]
    fn tier_range() {
        assert_eq!(user_tier(1).ok(), Some(1));
        assert_eq!(user_tier(1000).ok(), Some(1000));
        assert_eq!(user_tier(0).err().map(|e| e.code), Some(FieldCode::OutOfRange));
        assert_eq!(user_tier(1001).err().map(|e| e.code), Some(FieldCode::OutOfRange));
    }
}
