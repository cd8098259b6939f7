//! Patient data of a case (domain §10.1, names per §12.1).

use serde::{Deserialize, Serialize};
use surgicase_kernel::text::{person_name, required_line};
use surgicase_kernel::{Date, ValidationErrors, ValueError};

use crate::input::Raw;

/// Longest patient first or last name, after normalisation.
pub const NAME_MAX: usize = 100;
/// Longest insurer name.
pub const INS_PROVIDER_MAX: usize = 250;

/// A patient first or last name: required, normalised per §12.1.
pub fn patient_name(raw: &str) -> Result<String, ValueError> {
    person_name(raw, NAME_MAX)
}

/// The insurer name: required, trimmed and collapsed.
pub fn ins_provider(raw: &str) -> Result<String, ValueError> {
    required_line(raw, INS_PROVIDER_MAX)
}

/// The `patient` object of `POST /case` as received.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct PatientInput {
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::patient_name, required = true))]
    pub first: Raw<String>,
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::patient_name, required = true))]
    pub last: Raw<String>,
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::ins_provider, required = true))]
    pub ins_provider: Raw<String>,
}

/// Validated patient data. Built by [`crate::NewCase::validate`] or [`Patient::new`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Patient {
    first: String,
    last: String,
    ins_provider: String,
    dob: Option<Date>,
}

impl Patient {
    /// Validates and normalises each part; the date of birth is checked against `case_date`.
    /// Errors name the parts `first`, `last`, `ins_provider`, `dob` (callers re-path them).
    pub fn new(
        first: &str,
        last: &str,
        ins_provider_name: &str,
        dob: Option<Date>,
        case_date: Date,
    ) -> Result<Self, ValidationErrors> {
        let mut errors = ValidationErrors::new();
        let first = errors.check("first", patient_name(first));
        let last = errors.check("last", patient_name(last));
        let ins = errors.check("ins_provider", ins_provider(ins_provider_name));
        let dob = match dob {
            Some(dob) => errors.check("dob", crate::dates::check_dob(dob, Some(case_date))).map(Some),
            None => Some(None),
        };
        match (first, last, ins, dob) {
            (Some(first), Some(last), Some(ins_provider), Some(dob)) if errors.is_empty() => {
                Ok(Self { first, last, ins_provider, dob })
            }
            _ => Err(errors),
        }
    }

    /// Assembles already validated parts (used by the case validators in this crate).
    pub(crate) fn from_valid(first: String, last: String, ins_provider: String, dob: Option<Date>) -> Self {
        Self { first, last, ins_provider, dob }
    }

    pub fn first(&self) -> &str {
        &self.first
    }

    pub fn last(&self) -> &str {
        &self.last
    }

    pub fn ins_provider(&self) -> &str {
        &self.ins_provider
    }

    pub fn dob(&self) -> Option<Date> {
        self.dob
    }
}

#[cfg(test)]
mod tests {
    use surgicase_kernel::FieldCode;
    use surgicase_kernel::time::parse_date;

    use super::*;

    fn d(s: &str) -> Date {
        parse_date(s).unwrap()
    }

    #[test]
    fn patients_are_normalised() {
        let p =
            Patient::new("  MARY-ANN ", "o'neil", "  Blue   Cross ", Some(d("1960-03-15")), d("2025-03-03"))
                .unwrap();
        assert_eq!((p.first(), p.last(), p.ins_provider()), ("Mary-Ann", "O'Neil", "Blue Cross"));
        assert_eq!(p.dob(), Some(d("1960-03-15")));
    }

    #[test]
    fn every_problem_is_reported() {
        let long = "x".repeat(101);
        let err = Patient::new(" ", &long, "a\u{1}b", Some(d("2025-03-04")), d("2025-03-03")).unwrap_err();
        let got: Vec<_> = err.iter().map(|e| (e.field.as_str(), e.code)).collect();
        assert_eq!(
            got,
            vec![
                ("first", FieldCode::Required),
                ("last", FieldCode::TooLong),
                ("ins_provider", FieldCode::InvalidCharacters),
                ("dob", FieldCode::InvalidDate),
            ]
        );
    }

    #[test]
    fn insurer_limit() {
        assert!(ins_provider(&"é".repeat(250)).is_ok());
        assert_eq!(ins_provider(&"é".repeat(251)).err().map(|e| e.code), Some(FieldCode::TooLong));
    }
}
