//! Date ranges of a case (domain §10.1): `case_date` from 2000-01-01 to today + 365 days,
//! `patient_dob` from 1900-01-01 to the case date.

use chrono::{Days, NaiveDate};
use surgicase_kernel::time::parse_date;
use surgicase_kernel::{Date, FieldCode, ValueError};

/// Earliest accepted case date.
pub const CASE_DATE_MIN: Date = ymd(2000, 1, 1);
/// Earliest accepted date of birth.
pub const DOB_MIN: Date = ymd(1900, 1, 1);
/// How far ahead a case may be scheduled.
pub const CASE_DATE_DAYS_AHEAD: u64 = 365;

const fn ymd(y: i32, m: u32, d: u32) -> Date {
    match NaiveDate::from_ymd_opt(y, m, d) {
        Some(date) => date,
        None => NaiveDate::MIN,
    }
}

/// The latest accepted case date on `today`.
pub fn case_date_max(today: Date) -> Date {
    today.checked_add_days(Days::new(CASE_DATE_DAYS_AHEAD)).unwrap_or(NaiveDate::MAX)
}

fn parse_required_date(raw: &str) -> Result<Date, ValueError> {
    if raw.trim().is_empty() {
        return Err(ValueError::required());
    }
    parse_date(raw)
}

/// Checks a case date's range.
pub fn check_case_date(date: Date, today: Date) -> Result<Date, ValueError> {
    let max = case_date_max(today);
    if date < CASE_DATE_MIN || date > max {
        return Err(ValueError::new(
            FieldCode::InvalidDate,
            format!("must be from {CASE_DATE_MIN} to {max}"),
        ));
    }
    Ok(date)
}

/// Parses and range-checks a case date.
pub fn case_date(raw: &str, today: Date) -> Result<Date, ValueError> {
    check_case_date(parse_required_date(raw)?, today)
}

/// Checks a date of birth: not before 1900-01-01 and, when the case date is known, not after it.
pub fn check_dob(dob: Date, case_date: Option<Date>) -> Result<Date, ValueError> {
    if dob < DOB_MIN {
        return Err(ValueError::new(FieldCode::InvalidDate, format!("must not be before {DOB_MIN}")));
    }
    if let Some(case_date) = case_date
        && dob > case_date
    {
        return Err(ValueError::new(
            FieldCode::InvalidDate,
            format!("must not be after the case date {case_date}"),
        ));
    }
    Ok(dob)
}

/// Parses and range-checks a date of birth.
pub fn patient_dob(raw: &str, case_date: Option<Date>) -> Result<Date, ValueError> {
    check_dob(parse_required_date(raw)?, case_date)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        parse_date(s).unwrap()
    }

    #[test]
    fn case_dates() {
        let today = d("2025-03-03");
        let table: &[(&str, Result<&str, FieldCode>)] = &[
            ("2025-03-03", Ok("2025-03-03")),
            ("2000-01-01", Ok("2000-01-01")),
            ("1999-12-31", Err(FieldCode::InvalidDate)),
            ("2026-03-03", Ok("2026-03-03")),
            ("2026-03-04", Err(FieldCode::InvalidDate)),
            ("2025-02-30", Err(FieldCode::InvalidDate)),
            ("2025-3-3", Err(FieldCode::InvalidDate)),
            ("", Err(FieldCode::Required)),
            ("  ", Err(FieldCode::Required)),
        ];
        for (raw, expected) in table {
            assert_eq!(case_date(raw, today).map_err(|e| e.code), expected.map(d), "{raw:?}");
        }
    }

    #[test]
    fn dates_of_birth() {
        let case = Some(d("2025-03-03"));
        let table: &[(&str, Option<Date>, Result<&str, FieldCode>)] = &[
            ("1960-03-15", case, Ok("1960-03-15")),
            ("1900-01-01", case, Ok("1900-01-01")),
            ("1899-12-31", case, Err(FieldCode::InvalidDate)),
            ("2025-03-03", case, Ok("2025-03-03")),
            ("2025-03-04", case, Err(FieldCode::InvalidDate)),
            ("2030-01-01", None, Ok("2030-01-01")),
            ("1899-12-31", None, Err(FieldCode::InvalidDate)),
            ("1960-02-30", case, Err(FieldCode::InvalidDate)),
            ("", case, Err(FieldCode::Required)),
        ];
        for (raw, case_date, expected) in table {
            assert_eq!(patient_dob(raw, *case_date).map_err(|e| e.code), expected.map(d), "{raw:?}");
        }
    }
}
