//! The time zone a report is dated in: an IANA zone (`America/New_York`), from the requesting
//! admin, the provider's profile, or `reports.timezone`.

use chrono::{DateTime, NaiveDate, Offset, Utc};
use chrono_tz::{OffsetName, Tz};

/// `reports.timezone` when configuration says nothing.
pub const DEFAULT_REPORT_ZONE: &str = "America/New_York";

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown time zone {0:?} (expected an IANA name such as America/New_York)")]
pub struct ZoneError(pub String);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReportZone(Tz);

impl ReportZone {
    /// Parses an IANA zone name; surrounding whitespace is ignored, case is not.
    pub fn parse(name: &str) -> Result<Self, ZoneError> {
        name.trim().parse::<Tz>().map(Self).map_err(|_| ZoneError(name.to_owned()))
    }

    /// `America/New_York`.
    pub fn default_zone() -> Self {
        Self(Tz::America__New_York)
    }

    /// UTC, for callers that have no zone at all.
    pub fn utc() -> Self {
        Self(Tz::UTC)
    }

    /// A profile's zone when it names a known one, else `fallback`: a stale or mistyped profile
    /// value must not stop a provider's report.
    pub fn or_fallback(name: Option<&str>, fallback: ReportZone) -> ReportZone {
        name.and_then(|n| Self::parse(n).ok()).unwrap_or(fallback)
    }

    pub fn name(&self) -> &'static str {
        self.0.name()
    }

    /// The calendar date of `at` in this zone.
    pub fn local_date(&self, at: DateTime<Utc>) -> NaiveDate {
        at.with_timezone(&self.0).date_naive()
    }

    /// The zone's abbreviation at `at` (`EST`, `EDT`); a zone whose tz database entry has no
    /// letters (America/Sao_Paulo) gives its offset as `UTC-03:00`.
    pub fn abbreviation(&self, at: DateTime<Utc>) -> String {
        let local = at.with_timezone(&self.0);
        match local.offset().abbreviation() {
            Some(abbr) if !abbr.is_empty() => abbr.to_owned(),
            _ => {
                let seconds = local.offset().fix().local_minus_utc();
                let sign = if seconds < 0 { '-' } else { '+' };
                let minutes = seconds.unsigned_abs() / 60;
                format!("UTC{sign}{:02}:{:02}", minutes / 60, minutes % 60)
            }
        }
    }

    /// `YYYY-MM-DD HH:MM:SS <abbreviation>` as the report footer prints it.
    pub fn timestamp_line(&self, at: DateTime<Utc>) -> String {
        let local = at.with_timezone(&self.0);
        format!("{} {}", local.format("%Y-%m-%d %H:%M:%S"), self.abbreviation(at))
    }
}

impl Default for ReportZone {
    fn default() -> Self {
        Self::default_zone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::at;

    #[test]
    fn parses_iana_names_only() {
        let table: &[(&str, Option<&str>)] = &[
            ("America/New_York", Some("America/New_York")),
            (" America/Chicago ", Some("America/Chicago")),
            ("Europe/Berlin", Some("Europe/Berlin")),
            ("UTC", Some("UTC")),
            ("Mars/Olympus", None),
            ("EST5EDT6", None),
            ("", None),
        ];
        for (raw, name) in table {
            assert_eq!(ReportZone::parse(raw).ok().map(|z| z.name()), *name, "{raw:?}");
        }
    }

    #[test]
    fn dates_and_footer_lines_follow_the_zone() {
        let ny = ReportZone::default_zone();
        // 02:30 UTC is the evening before in New York; EDT began on 9 March 2025 at 07:00 UTC.
        let table: &[(&str, &str, &str)] = &[
            ("2025-03-01T02:30:00Z", "2025-02-28", "2025-02-28 21:30:00 EST"),
            ("2025-03-09T06:59:59Z", "2025-03-09", "2025-03-09 01:59:59 EST"),
            ("2025-03-09T07:00:00Z", "2025-03-09", "2025-03-09 03:00:00 EDT"),
            ("2025-03-10T02:30:00Z", "2025-03-09", "2025-03-09 22:30:00 EDT"),
            ("2025-03-10T13:00:00Z", "2025-03-10", "2025-03-10 09:00:00 EDT"),
            ("2025-07-01T00:00:00Z", "2025-06-30", "2025-06-30 20:00:00 EDT"),
        ];
        for (instant, date, line) in table {
            assert_eq!(ny.local_date(at(instant)).to_string(), *date, "{instant}");
            assert_eq!(ny.timestamp_line(at(instant)), *line, "{instant}");
        }
    }

    #[test]
    fn zones_without_letters_print_their_offset() {
        let kolkata = ReportZone::parse("Asia/Kolkata").unwrap();
        assert_eq!(kolkata.abbreviation(at("2025-03-10T00:00:00Z")), "IST");
        let sao_paulo = ReportZone::parse("America/Sao_Paulo").unwrap();
        assert_eq!(sao_paulo.abbreviation(at("2025-03-10T00:00:00Z")), "UTC-03:00");
        assert_eq!(ReportZone::utc().timestamp_line(at("2025-03-10T09:05:07Z")), "2025-03-10 09:05:07 UTC");
    }

    #[test]
    fn stale_profile_zones_fall_back() {
        let fallback = ReportZone::parse("America/Chicago").unwrap();
        assert_eq!(ReportZone::or_fallback(Some("Europe/Paris"), fallback).name(), "Europe/Paris");
        assert_eq!(ReportZone::or_fallback(Some("Eastern"), fallback).name(), "America/Chicago");
        assert_eq!(ReportZone::or_fallback(None, fallback).name(), "America/Chicago");
    }
}
