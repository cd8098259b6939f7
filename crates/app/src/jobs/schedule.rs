//! Cron schedules in UTC with seconds (domain §7): `sec min hour day-of-month month
//! day-of-week [year]`. Day-of-week names (`Mon`, `Mon-Fri`) are the readable form; numbers
//! count from 1 = Sunday (the `cron` crate's convention, not Unix cron's 0 = Sunday).

use std::fmt;
use std::str::FromStr;

use surgicase_kernel::Timestamp;

/// A cron expression that parsed.
#[derive(Clone)]
pub struct Schedule {
    cron: cron::Schedule,
    source: String,
}

/// Why a cron expression was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid cron expression {expr:?}: {why}")]
pub struct ScheduleError {
    pub expr: String,
    pub why: String,
}

impl Schedule {
    pub fn parse(expr: &str) -> Result<Self, ScheduleError> {
        let source = expr.trim().to_owned();
        let fields = source.split_whitespace().count();
        if !(6..=7).contains(&fields) {
            return Err(ScheduleError {
                expr: source,
                why: format!("{fields} fields; expected 6 (sec min hour day month weekday) or 7 (and year)"),
            });
        }
        match cron::Schedule::from_str(&source) {
            Ok(cron) => Ok(Self { cron, source }),
            Err(e) => Err(ScheduleError { expr: source, why: e.to_string() }),
        }
    }

    /// The expression as configured (trimmed).
    pub fn source(&self) -> &str {
        &self.source
    }

    /// The first occurrence strictly after `t` (`None` past the schedule's last year).
    pub fn next_after(&self, t: Timestamp) -> Option<Timestamp> {
        self.cron.after(&t).next()
    }

    /// The occurrences in `(after, until]`, oldest first, at most `limit`.
    pub fn between(&self, after: Timestamp, until: Timestamp, limit: usize) -> Vec<Timestamp> {
        self.cron.after(&after).take_while(|t| *t <= until).take(limit).collect()
    }
}

impl fmt::Debug for Schedule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Schedule").field(&self.source).finish()
    }
}

impl PartialEq for Schedule {
    fn eq(&self, other: &Self) -> bool {
        self.source == other.source
    }
}

impl Eq for Schedule {}

#[cfg(test)]
mod tests {
    use chrono::{DateTime, Utc};

    use super::*;

    fn ts(s: &str) -> Timestamp {
        DateTime::parse_from_rfc3339(s).map(|t| t.with_timezone(&Utc)).unwrap_or_default()
    }

    fn next(expr: &str, after: &str) -> String {
        let schedule = Schedule::parse(expr).unwrap_or_else(|e| panic!("{e}"));
        schedule.next_after(ts(after)).map(|t| t.to_rfc3339()).unwrap_or_default()
    }

    #[test]
    fn next_occurrences_across_boundaries() {
        let table: &[(&str, &str, &str)] = &[
            // Monday 08:00: from a Sunday, from Monday 08:00 itself (strictly after), from a
            // time a microsecond before.
            ("0 0 8 * * Mon", "2025-03-02T12:00:00Z", "2025-03-03T08:00:00+00:00"),
            ("0 0 8 * * Mon", "2025-03-03T08:00:00Z", "2025-03-10T08:00:00+00:00"),
            ("0 0 8 * * Mon", "2025-03-03T07:59:59.999999Z", "2025-03-03T08:00:00+00:00"),
            // Thursday 08:00 across a month boundary (Fri 28 Feb 2025 → Thu 6 Mar).
            ("0 0 8 * * Thu", "2025-02-28T09:00:00Z", "2025-03-06T08:00:00+00:00"),
            // Across the year boundary: Wed 31 Dec 2025 → Mon 5 Jan 2026.
            ("0 0 8 * * Mon", "2025-12-31T23:59:59Z", "2026-01-05T08:00:00+00:00"),
            ("0 0 8 * * Thu", "2025-12-26T00:00:00Z", "2026-01-01T08:00:00+00:00"),
            // Every second / minute / ten minutes / hour across midnight of New Year's Eve.
            ("* * * * * *", "2025-12-31T23:59:59Z", "2026-01-01T00:00:00+00:00"),
            ("0 * * * * *", "2025-12-31T23:59:30Z", "2026-01-01T00:00:00+00:00"),
            ("0 */10 * * * *", "2025-12-31T23:55:00Z", "2026-01-01T00:00:00+00:00"),
            ("0 0 * * * *", "2026-02-28T23:00:00Z", "2026-03-01T00:00:00+00:00"),
            // Leap day: 29 Feb 2028 exists, 2027 has none.
            ("0 0 3 29 2 *", "2025-03-01T00:00:00Z", "2028-02-29T03:00:00+00:00"),
            // The last day of 30- and 31-day months.
            ("0 0 3 31 * *", "2025-04-01T00:00:00Z", "2025-05-31T03:00:00+00:00"),
            // Daily 03:00 at the end of a month (no DST in UTC: March 30 2025 is a plain day).
            ("0 0 3 * * *", "2025-03-30T02:00:00Z", "2025-03-30T03:00:00+00:00"),
            ("0 0 3 * * *", "2025-10-26T03:00:00Z", "2025-10-27T03:00:00+00:00"),
            // Names and numbers of weekdays: 2 = Monday (1 = Sunday).
            ("0 0 8 * * 2", "2025-03-02T12:00:00Z", "2025-03-03T08:00:00+00:00"),
            ("0 15 9 * * Mon-Fri", "2025-03-07T09:15:00Z", "2025-03-10T09:15:00+00:00"),
        ];
        for (expr, after, expected) in table {
            assert_eq!(next(expr, after), *expected, "{expr} after {after}");
        }
    }

    #[test]
    fn occurrences_between_are_oldest_first_and_bounded() {
        let weekly = Schedule::parse("0 0 8 * * Mon").unwrap_or_else(|e| panic!("{e}"));
        let got = weekly.between(ts("2025-12-01T08:00:00Z"), ts("2026-01-12T08:00:00Z"), 100);
        let expected: Vec<Timestamp> =
            ["2025-12-08", "2025-12-15", "2025-12-22", "2025-12-29", "2026-01-05", "2026-01-12"]
                .iter()
                .map(|d| ts(&format!("{d}T08:00:00Z")))
                .collect();
        assert_eq!(got, expected);
        assert_eq!(weekly.between(ts("2025-12-01T08:00:00Z"), ts("2026-01-12T08:00:00Z"), 2).len(), 2);
        assert!(weekly.between(ts("2025-12-02T00:00:00Z"), ts("2025-12-08T07:59:59Z"), 10).is_empty());
        let secondly = Schedule::parse("* * * * * *").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(secondly.between(ts("2025-12-31T23:59:00Z"), ts("2026-01-01T00:01:00Z"), 1000).len(), 120);
    }

    #[test]
    fn bad_expressions_are_refused_with_a_reason() {
        for expr in
            ["", "0 0 8 * *", "0 0 8 * * Mon 2025 x", "0 0 25 * * *", "0 0 8 * * Funday", "a b c d e f"]
        {
            let err = Schedule::parse(expr).err();
            assert!(err.as_ref().is_some_and(|e| !e.why.is_empty()), "{expr:?} accepted");
        }
        assert_eq!(
            Schedule::parse("  0 0 8 * * Mon ").map(|s| s.source().to_owned()).ok().as_deref(),
            Some("0 0 8 * * Mon")
        );
    }
}
