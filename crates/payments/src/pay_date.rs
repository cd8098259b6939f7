//! The projected pay date printed under each provider (§17.1).

use chrono::{Datelike, NaiveDate, Utc, Weekday};
use surgicase_kernel::Timestamp;

use crate::zone::ReportZone;

/// The date, in `zone`, of the next `paid_transition` occurrence after `generated_at`
/// (`next_paid_transition`, computed by the caller from the job's schedule: it must be strictly
/// after generation), or, when that job is disabled (`None`), the first Friday strictly after
/// the generation date in `zone`.
pub fn projected_pay_date(
    generated_at: Timestamp,
    zone: ReportZone,
    next_paid_transition: Option<Timestamp>,
) -> NaiveDate {
    match next_paid_transition {
        Some(next) => zone.local_date(next.with_timezone(&Utc)),
        None => first_friday_after(zone.local_date(generated_at)),
    }
}

/// The first Friday strictly after `date` (a Friday gives the next week's).
pub fn first_friday_after(date: NaiveDate) -> NaiveDate {
    let from_monday = date.weekday().num_days_from_monday();
    let friday = Weekday::Fri.num_days_from_monday();
    let ahead = match (friday + 7 - from_monday) % 7 {
        0 => 7,
        n => n,
    };
    date.checked_add_days(chrono::Days::new(u64::from(ahead))).unwrap_or(NaiveDate::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{at, date};

    #[test]
    fn fridays() {
        let table: &[(&str, &str)] = &[
            ("2025-03-10", "2025-03-14"), // Monday
            ("2025-03-13", "2025-03-14"), // Thursday
            ("2025-03-14", "2025-03-21"), // Friday: strictly after
            ("2025-03-15", "2025-03-21"), // Saturday
            ("2025-03-16", "2025-03-21"), // Sunday
            ("2024-12-28", "2025-01-03"), // across the year
        ];
        for (from, friday) in table {
            assert_eq!(first_friday_after(date(from)), date(friday), "{from}");
        }
    }

    #[test]
    fn the_paid_transition_wins_when_enabled() {
        let ny = ReportZone::default_zone();
        let generated = at("2025-03-10T13:00:00Z");
        // Thursday 08:00 UTC is 04:00 EDT the same day.
        assert_eq!(projected_pay_date(generated, ny, Some(at("2025-03-13T08:00:00Z"))), date("2025-03-13"));
        // 02:00 UTC Friday is still Thursday in New York.
        assert_eq!(projected_pay_date(generated, ny, Some(at("2025-03-14T02:00:00Z"))), date("2025-03-13"));
        assert_eq!(projected_pay_date(generated, ny, None), date("2025-03-14"));
    }

    #[test]
    fn the_friday_rule_uses_the_local_generation_date() {
        // Friday 14 March 02:00 UTC is Thursday 13 March in New York: the next Friday is the 14th.
        let generated = at("2025-03-14T02:00:00Z");
        assert_eq!(projected_pay_date(generated, ReportZone::default_zone(), None), date("2025-03-14"));
        assert_eq!(projected_pay_date(generated, ReportZone::utc(), None), date("2025-03-21"));
    }
}
