//! Dates and timestamps. Every timestamp is UTC with microsecond precision; dates are
//! calendar dates without a zone.

use chrono::{DateTime, NaiveDate, SecondsFormat, Timelike, Utc};

use crate::error::{FieldCode, ValueError};

pub type Date = NaiveDate;
pub type Timestamp = DateTime<Utc>;

/// Parses strictly `YYYY-MM-DD` (`2025-2-3` and `2025-02-30` are refused).
pub fn parse_date(raw: &str) -> Result<Date, ValueError> {
    let b = raw.as_bytes();
    let shape_ok = b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter().enumerate().all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    if !shape_ok {
        return Err(ValueError::new(FieldCode::InvalidDate, "must be a date YYYY-MM-DD"));
    }
    NaiveDate::parse_from_str(raw, "%Y-%m-%d")
        .map_err(|_| ValueError::new(FieldCode::InvalidDate, "is not a real date"))
}

/// Parses an RFC 3339 date-time as the `date-time` format of JSON Schema reads it: `T` or `t`
/// between date and time and an ASCII sign in the offset (`chrono` alone also takes a space and
/// U+2212). A leap second, which JSON Schema allows at 23:59:60 UTC only, is refused.
pub fn parse_rfc3339(raw: &str) -> Result<Timestamp, ValueError> {
    let invalid = || ValueError::new(FieldCode::InvalidFormat, "must be an RFC 3339 timestamp");
    let b = raw.as_bytes();
    if !matches!(b.get(10), Some(b'T' | b't')) || b.get(17..19) == Some(b"60") || raw.contains('\u{2212}') {
        return Err(invalid());
    }
    DateTime::parse_from_rfc3339(raw).map(|t| t.to_utc()).map_err(|_| invalid())
}

/// Drops sub-microsecond precision, so stored and in-memory values compare equal.
pub fn truncate_to_micros(ts: Timestamp) -> Timestamp {
    let nanos = ts.nanosecond();
    ts.with_nanosecond(nanos - nanos % 1000).unwrap_or(ts)
}

/// RFC 3339 UTC with seconds, as responses carry timestamps: `2025-01-15T09:30:00Z`.
pub fn format_timestamp(ts: Timestamp) -> String {
    ts.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// Whole years from `born` to `on`. The age increases on the anniversary; a 29 February
/// birthday's anniversary in a non-leap year is 1 March.
pub fn age_in_years(born: Date, on: Date) -> Option<u32> {
    use chrono::Datelike;
    if on < born {
        return None;
    }
    let mut years = on.year() - born.year();
    let birthday_this_year = NaiveDate::from_ymd_opt(on.year(), born.month(), born.day())
        .or_else(|| NaiveDate::from_ymd_opt(on.year(), 3, 1))?;
    if on < birthday_this_year {
        years -= 1;
    }
    u32::try_from(years).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        parse_date(s).unwrap_or_default()
    }

    #[test]
    fn strict_dates() {
        let table: &[(&str, bool)] = &[
            ("2025-03-03", true),
            ("2024-02-29", true),
            ("2025-02-29", false),
            ("2025-02-30", false),
            ("2025-2-3", false),
            ("2025/02/03", false),
            ("20250203", false),
            ("", false),
            ("2025-03-03T00:00:00", false),
        ];
        for (raw, ok) in table {
            assert_eq!(parse_date(raw).is_ok(), *ok, "{raw}");
        }
    }

    #[test]
    fn ages() {
        let table: &[(&str, &str, Option<u32>)] = &[
            ("1960-03-15", "2025-03-14", Some(64)),
            ("1960-03-15", "2025-03-15", Some(65)),
            ("2000-02-29", "2025-02-28", Some(24)),
            ("2000-02-29", "2025-03-01", Some(25)),
            ("2000-02-29", "2024-02-29", Some(24)),
            ("2000-02-29", "2024-02-28", Some(23)),
            ("2025-03-03", "2025-03-03", Some(0)),
            ("2025-03-04", "2025-03-03", None),
        ];
        for (born, on, age) in table {
            assert_eq!(age_in_years(d(born), d(on)), *age, "{born} {on}");
        }
    }

    #[test]
    fn timestamps_format_with_seconds() {
        let ts = DateTime::parse_from_rfc3339("2025-01-15T09:30:00.123456Z").map(|t| t.with_timezone(&Utc));
        assert_eq!(ts.map(format_timestamp).ok().as_deref(), Some("2025-01-15T09:30:00Z"));
    }

    #[test]
    fn rfc3339_as_json_schema_reads_it() {
        for ok in ["2025-03-03T10:15:00Z", "2025-03-03t10:15:00.123+01:30", "2016-12-31T23:59:59z"] {
            assert!(parse_rfc3339(ok).is_ok(), "{ok}");
        }
        let bad = [
            "2025-03-03 10:15:00Z",
            "2025-03-03T10:15:00\u{2212}01:00",
            "2016-12-31T23:59:60Z",
            " 2025-03-03T10:15:00Z",
            "",
        ];
        for bad in bad {
            assert!(parse_rfc3339(bad).is_err(), "{bad:?}");
        }
    }
}
