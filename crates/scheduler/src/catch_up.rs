//! Catch-up after downtime (domain §7.3): the occurrences of a job after its latest recorded
//! one (manual runs aside) and up to now that have no row. Those within the job's window run,
//! oldest first, with trigger `catch_up`; older ones are recorded as `skipped`. Nothing older
//! than 30 days is looked at.
//!
//! A job without any recorded occurrence (a new database, a newly enabled job) has missed
//! nothing it could be blamed for: only the occurrences within its window run, and nothing
//! is recorded as skipped (30 days of an every-minute job would be 43,200 rows).

use chrono::Duration;
use surgicase_app::jobs::Schedule;
use surgicase_kernel::Timestamp;

use crate::settings::LOOK_BACK;

/// At most this many catch-up runs per job (the newest); older ones are skipped instead.
pub const MAX_CATCH_UP_RUNS: usize = 1000;
/// At most this many skipped rows per job and start-up (the oldest missed occurrences first).
pub const MAX_SKIPPED: usize = 50_000;

/// What to do about one job's missed occurrences.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CatchUpPlan {
    /// Occurrences older than the window, oldest first.
    pub skip: Vec<Timestamp>,
    /// Occurrences within the window, oldest first.
    pub run: Vec<Timestamp>,
}

/// The missed occurrences in `(max(latest, now - 30 days), now]`, split at `now - window`
/// (an occurrence exactly `window` old still runs). Without a latest occurrence, only the
/// window counts.
pub fn plan_catch_up(
    schedule: &Schedule,
    latest: Option<Timestamp>,
    now: Timestamp,
    window: Duration,
) -> CatchUpPlan {
    let window_start = now - window.min(LOOK_BACK);
    let just_before = Duration::microseconds(1);
    let after = latest.map_or(window_start - just_before, |l| l.max(now - LOOK_BACK));
    let mut plan = CatchUpPlan {
        skip: schedule.between(after, window_start - just_before, MAX_SKIPPED),
        run: schedule.between(after.max(window_start - just_before), now, usize::MAX / 2),
    };
    if plan.run.len() > MAX_CATCH_UP_RUNS {
        let excess = plan.run.len() - MAX_CATCH_UP_RUNS;
        plan.skip.extend(plan.run.drain(..excess));
    }
    plan
}

/// What start-up catch-up did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CatchUpReport {
    /// The time the catch-up was planned at: the loops take over after it.
    pub until: Timestamp,
    /// `skipped` rows written.
    pub skipped: u64,
    /// Catch-up occurrences this replica ran (claimed and finished).
    pub ran: usize,
    /// Catch-up occurrences another replica had already claimed.
    pub already_claimed: usize,
}

#[cfg(test)]
mod tests {
    use chrono::{DateTime, Utc};

    use super::*;

    fn ts(s: &str) -> Timestamp {
        DateTime::parse_from_rfc3339(s).map(|t| t.with_timezone(&Utc)).unwrap_or_default()
    }

    fn weekly() -> Schedule {
        Schedule::parse("0 0 8 * * Mon").unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn within_the_window_runs_older_is_skipped() {
        // Last run Mon 3 Feb; down until Mon 3 Mar 10:00.
        let plan = plan_catch_up(
            &weekly(),
            Some(ts("2025-02-03T08:00:00Z")),
            ts("2025-03-03T10:00:00Z"),
            Duration::hours(24),
        );
        assert_eq!(
            plan.skip,
            vec![ts("2025-02-10T08:00:00Z"), ts("2025-02-17T08:00:00Z"), ts("2025-02-24T08:00:00Z")]
        );
        assert_eq!(plan.run, vec![ts("2025-03-03T08:00:00Z")]);
    }

    #[test]
    fn the_window_edge_and_a_wide_window() {
        let now = ts("2025-03-04T08:00:00Z");
        // Exactly 24 h old: still runs.
        let plan = plan_catch_up(&weekly(), Some(ts("2025-02-24T08:00:00Z")), now, Duration::hours(24));
        assert_eq!((plan.skip.len(), plan.run), (0, vec![ts("2025-03-03T08:00:00Z")]));
        let plan = plan_catch_up(
            &weekly(),
            Some(ts("2025-02-24T08:00:00Z")),
            now + Duration::microseconds(1),
            Duration::hours(24),
        );
        assert_eq!((plan.skip, plan.run.len()), (vec![ts("2025-03-03T08:00:00Z")], 0));
        let daily = Schedule::parse("0 0 3 * * *").unwrap_or_else(|e| panic!("{e}"));
        let plan = plan_catch_up(
            &daily,
            Some(ts("2025-02-27T03:00:00Z")),
            ts("2025-03-03T12:00:00Z"),
            Duration::days(3),
        );
        assert_eq!(plan.skip, vec![ts("2025-02-28T03:00:00Z")]);
        assert_eq!(
            plan.run,
            vec![ts("2025-03-01T03:00:00Z"), ts("2025-03-02T03:00:00Z"), ts("2025-03-03T03:00:00Z")]
        );
    }

    #[test]
    fn nothing_missed_and_the_30_day_look_back() {
        let now = ts("2025-03-03T10:00:00Z");
        let plan = plan_catch_up(&weekly(), Some(ts("2025-03-03T08:00:00Z")), now, Duration::hours(24));
        assert_eq!(plan, CatchUpPlan::default());
        // Last run a year ago: only the last 30 days (from 1 Feb 10:00) count.
        let plan = plan_catch_up(&weekly(), Some(ts("2024-03-04T08:00:00Z")), now, Duration::hours(24));
        let mondays = ["2025-02-03", "2025-02-10", "2025-02-17", "2025-02-24"];
        assert_eq!(plan.skip, mondays.iter().map(|d| ts(&format!("{d}T08:00:00Z"))).collect::<Vec<_>>());
        assert_eq!(plan.run, vec![ts("2025-03-03T08:00:00Z")]);
        // Never ran: the window only, nothing skipped.
        let plan = plan_catch_up(&weekly(), None, now, Duration::hours(24));
        assert_eq!(plan, CatchUpPlan { skip: vec![], run: vec![ts("2025-03-03T08:00:00Z")] });
        assert_eq!(plan_catch_up(&weekly(), None, now, Duration::hours(1)), CatchUpPlan::default());
        let secondly = Schedule::parse("* * * * * *").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(plan_catch_up(&secondly, None, now, Duration::zero()).run, vec![now]);
    }

    #[test]
    fn frequent_jobs_are_bounded() {
        let secondly = Schedule::parse("* * * * * *").unwrap_or_else(|e| panic!("{e}"));
        let now = ts("2025-03-03T10:00:00Z");
        let plan = plan_catch_up(&secondly, Some(now - Duration::hours(2)), now, Duration::hours(1));
        assert_eq!(plan.run.len(), MAX_CATCH_UP_RUNS);
        assert_eq!(plan.run.last(), Some(&now));
        assert_eq!(plan.skip.len(), 7200 - MAX_CATCH_UP_RUNS);
        assert!(plan.skip.windows(2).all(|w| w[0] < w[1]) && plan.skip.last() < plan.run.first());
    }
}
