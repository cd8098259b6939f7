//! `start_date` / `end_date` of the back-office lists and dashboards (api.md §6): inclusive
//! bounds on `case_date`.

use surgicase_kernel::time::parse_date;
use surgicase_kernel::{FieldCode, FieldError, ValidationErrors};
use surgicase_ports::records::CaseDateRange;

use crate::error::AppError;

/// Each bound absent when empty; 422 `invalid_date` for a bound that is not a real date, and
/// on `end_date` when it falls before `start_date`.
pub(crate) fn case_date_range(start: Option<&str>, end: Option<&str>) -> Result<CaseDateRange, AppError> {
    let mut errors = ValidationErrors::default();
    let mut bound = |field: &str, raw: Option<&str>| {
        let raw = raw.filter(|r| !r.is_empty())?;
        parse_date(raw).map_err(|e| errors.push(e.at(field))).ok()
    };
    let range = CaseDateRange { from: bound("start_date", start), to: bound("end_date", end) };
    if let (Some(from), Some(to)) = (range.from, range.to)
        && from > to
    {
        errors.push(FieldError::new("end_date", FieldCode::InvalidDate, "must not be before start_date"));
    }
    if errors.is_empty() { Ok(range) } else { Err(AppError::Validation(errors)) }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(result: Result<CaseDateRange, AppError>) -> Vec<(String, &'static str)> {
        match result {
            Err(AppError::Validation(e)) => e.iter().map(|f| (f.field.clone(), f.code.as_str())).collect(),
            other => panic!("expected a 422, got {other:?}"),
        }
    }

    #[test]
    fn bounds_are_optional_real_dates_in_order() {
        let day = |s: &str| parse_date(s).ok();
        let ok = [
            (None, None, CaseDateRange::default()),
            (Some(""), Some(""), CaseDateRange::default()),
            (Some("2025-01-31"), None, CaseDateRange { from: day("2025-01-31"), to: None }),
            (
                Some("2025-02-01"),
                Some("2025-02-01"),
                CaseDateRange { from: day("2025-02-01"), to: day("2025-02-01") },
            ),
        ];
        for (start, end, expected) in ok {
            assert_eq!(case_date_range(start, end).ok(), Some(expected), "{start:?} {end:?}");
        }
        // (start, end, expected (field, code) pairs)
        type Row<'a> = (Option<&'a str>, Option<&'a str>, Vec<(&'a str, &'a str)>);
        let bad: [Row<'_>; 5] = [
            (Some(" 2025-01-31"), None, vec![("start_date", "invalid_date")]),
            (Some("2025-02-30"), None, vec![("start_date", "invalid_date")]),
            (None, Some("03/01/2025"), vec![("end_date", "invalid_date")]),
            (Some("x"), Some("y"), vec![("start_date", "invalid_date"), ("end_date", "invalid_date")]),
            (Some("2025-03-02"), Some("2025-03-01"), vec![("end_date", "invalid_date")]),
        ];
        for (start, end, expected) in bad {
            let expected: Vec<(String, &str)> =
                expected.into_iter().map(|(f, c)| (f.to_owned(), c)).collect();
            assert_eq!(codes(case_date_range(start, end)), expected, "{start:?} {end:?}");
        }
    }
}
