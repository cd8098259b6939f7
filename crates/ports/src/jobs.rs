//! Scheduler storage (domain §3.5 `job_runs`, §7.2–§7.4): occurrence claims with leases, and
//! the scheduled status transitions.
//!
//! A `job_runs` row *is* the claim of an occurrence `(job_name, scheduled_for)`: the unique key
//! lets exactly one scheduler replica insert it. Every later write to a running row names the
//! holder ([`JobRunClaim`]: id, instance, attempt), so a replica that lost its lease can no
//! longer touch the row another replica took over. Times always come from the caller (the
//! Clock port), never from a database default.

use async_trait::async_trait;
use surgicase_kernel::status::StatusTimestamp;
use surgicase_kernel::{CaseId, CaseStatus, Timestamp};

use crate::error::StoreError;

type R<T> = Result<T, StoreError>;

/// How an occurrence came to run (`job_runs.trigger_kind`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TriggerKind {
    /// At its scheduled time.
    Schedule,
    /// At start-up, for an occurrence missed while no scheduler ran (§7.3).
    CatchUp,
    /// `surgicase-scheduler run JOB`.
    Manual,
}

impl TriggerKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Schedule => "schedule",
            Self::CatchUp => "catch_up",
            Self::Manual => "manual",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "schedule" => Some(Self::Schedule),
            "catch_up" => Some(Self::CatchUp),
            "manual" => Some(Self::Manual),
            _ => None,
        }
    }
}

/// The state of a run (`job_runs.outcome`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RunOutcome {
    /// Claimed; the holder is working on it (or died, until its lease expires).
    Running,
    Succeeded,
    Failed,
    /// Missed, outside the catch-up window: recorded, never run.
    Skipped,
    /// Its lease expired after the last allowed attempt.
    Abandoned,
}

impl RunOutcome {
    pub const ALL: [RunOutcome; 5] =
        [Self::Running, Self::Succeeded, Self::Failed, Self::Skipped, Self::Abandoned];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Running => "running",
            Self::Succeeded => "succeeded",
            Self::Failed => "failed",
            Self::Skipped => "skipped",
            Self::Abandoned => "abandoned",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|o| o.as_str() == raw)
    }

    /// Whether the row is final (nothing will change it any more).
    pub fn is_final(self) -> bool {
        self != Self::Running
    }
}

/// One row of `job_runs`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobRunRecord {
    pub id: i64,
    pub job_name: String,
    /// The occurrence (manual runs: the request time, whole second).
    pub scheduled_for: Timestamp,
    pub trigger_kind: TriggerKind,
    /// The scheduler instance that holds (or last held) the claim.
    pub claimed_by: String,
    pub claimed_ts: Timestamp,
    pub lease_expires_ts: Timestamp,
    /// 1 for the first claim, +1 per take-over.
    pub attempt: i32,
    pub started_ts: Option<Timestamp>,
    pub finished_ts: Option<Timestamp>,
    pub outcome: RunOutcome,
    pub items_processed: i32,
    pub items_failed: i32,
    /// At most 2000 characters, never PHI.
    pub error_text: Option<String>,
    /// A JSON summary (case count, report keys, …).
    pub details: Option<String>,
}

impl JobRunRecord {
    /// The claim of this row as its current holder.
    pub fn claim(&self) -> JobRunClaim {
        JobRunClaim { id: self.id, claimed_by: self.claimed_by.clone(), attempt: self.attempt }
    }
}

/// An occurrence to claim (or to record as skipped).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewJobRun {
    pub job_name: String,
    pub scheduled_for: Timestamp,
    pub trigger_kind: TriggerKind,
    pub claimed_by: String,
    /// Now. A claim also starts the run at this time.
    pub claimed_ts: Timestamp,
    pub lease_expires_ts: Timestamp,
}

/// The holder of a running row: writes to the row succeed only while all three still match.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobRunClaim {
    pub id: i64,
    pub claimed_by: String,
    pub attempt: i32,
}

/// How a run ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobRunEnd {
    /// `Succeeded` or `Failed`.
    pub outcome: RunOutcome,
    pub finished_ts: Timestamp,
    pub items_processed: i32,
    pub items_failed: i32,
    pub error_text: Option<String>,
    pub details: Option<String>,
}

/// What an attempt to take over an expired running row did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TakeOver {
    /// The row is now held by the caller, with `attempt + 1`.
    Claimed(JobRunRecord),
    /// The row had used its last attempt and is now `abandoned`.
    Abandoned(JobRunRecord),
    /// Nothing to do: the row is not running, its lease has not expired, or another replica
    /// was faster.
    Unavailable,
}

/// Filters of the runs listing (api.md §8 `GET /admin/job_runs`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobRunQuery {
    pub job_name: Option<String>,
    pub outcome: Option<RunOutcome>,
    /// `scheduled_for >= from`.
    pub from: Option<Timestamp>,
    /// `scheduled_for <= to`.
    pub to: Option<Timestamp>,
    /// Only rows with `id < before_id` (the cursor).
    pub before_id: Option<i64>,
    pub limit: i64,
}

impl Default for JobRunQuery {
    fn default() -> Self {
        Self { job_name: None, outcome: None, from: None, to: None, before_id: None, limit: 100 }
    }
}

#[async_trait]
pub trait JobRunRepo: Send {
    /// Inserts the occurrence's row as `running`, attempt 1, started at `claimed_ts`. `None`
    /// when the occurrence already has a row (another replica claimed it, or it was skipped).
    async fn claim_job_run(&mut self, run: &NewJobRun) -> R<Option<JobRunRecord>>;
    /// Records each listed occurrence that has no row yet as `skipped` (lease and finish at
    /// `claimed_ts`, never started); returns how many rows were written. A bounded number of
    /// statements whatever the number of occurrences; concurrent callers never clash.
    async fn skip_job_runs(&mut self, runs: &[NewJobRun]) -> R<u64>;
    async fn get_job_run(&mut self, id: i64) -> R<Option<JobRunRecord>>;
    /// At most `limit` running rows of the listed jobs whose lease expired before `now`,
    /// oldest occurrence first.
    async fn expired_job_runs(&mut self, jobs: &[String], now: Timestamp, limit: i64)
    -> R<Vec<JobRunRecord>>;
    /// One conditional update: a row still running whose lease expired before `now` gets a
    /// new holder `by` (lease `lease_expires_ts`, `attempt + 1`, restarted at `now`) while
    /// `attempt < max_attempts`, else becomes `abandoned` (finished at `now`).
    async fn take_over_job_run(
        &mut self,
        id: i64,
        by: &str,
        now: Timestamp,
        lease_expires_ts: Timestamp,
        max_attempts: i32,
    ) -> R<TakeOver>;
    /// Extends the lease; `false` when the caller no longer holds the row.
    async fn renew_job_run(&mut self, claim: &JobRunClaim, lease_expires_ts: Timestamp) -> R<bool>;
    /// Writes the end of the run; `false` (nothing written) when the caller no longer holds it.
    async fn finish_job_run(&mut self, claim: &JobRunClaim, end: &JobRunEnd) -> R<bool>;
    /// Gives the claim up (lease := `now`) so that another replica takes it over at once;
    /// `false` when the caller no longer holds it.
    async fn release_job_run(&mut self, claim: &JobRunClaim, now: Timestamp) -> R<bool>;
    /// The latest occurrence (greatest `scheduled_for`) of every job that has a row, by job
    /// name; manual runs count only when `include_manual`.
    async fn latest_job_runs(&mut self, include_manual: bool) -> R<Vec<JobRunRecord>>;
    /// Rows matching the query, newest (greatest id) first, at most `limit`.
    async fn list_job_runs(&mut self, query: &JobRunQuery) -> R<Vec<JobRunRecord>>;
}

#[async_trait]
pub trait StatusTransitionRepo: Send {
    /// Moves every active case whose status is `from` to `to` (`… WHERE case_status = from
    /// AND active = 1`), stamping the `stamp` column (the caller's decision; none when `None`)
    /// and `case_updated_ts` with `at`;
    /// returns the moved case ids, oldest case first. The rows are locked first, so inside a
    /// transaction the returned ids are exactly the rows changed. A constant number of
    /// statements per few thousand cases.
    async fn move_cases_at_status(
        &mut self,
        from: CaseStatus,
        to: CaseStatus,
        stamp: Option<StatusTimestamp>,
        at: Timestamp,
    ) -> R<Vec<CaseId>>;
    /// The active cases whose status is one of `statuses` and whose `human_case_id` is above
    /// `after`, as `(human_case_id, case_id)` by `human_case_id` ascending, at most `limit`:
    /// the pages of a rule re-evaluation (nothing is locked). One statement.
    async fn cases_at_statuses_after(
        &mut self,
        statuses: &[CaseStatus],
        after: i64,
        limit: i64,
    ) -> R<Vec<(i64, CaseId)>>;
    /// The status of each active case among `ids`, locked until the transaction ends; unknown
    /// and deleted ids are absent, a repeated id counts once, the order is unspecified. A
    /// constant number of statements per few thousand ids.
    async fn lock_case_statuses(&mut self, ids: &[CaseId]) -> R<Vec<(CaseId, CaseStatus)>>;
    /// Sets the status of every listed active case to `to`, stamping the `stamp` column (none
    /// when `None`) and `case_updated_ts` with `at`. A constant number of statements per few
    /// thousand ids.
    async fn set_case_statuses(
        &mut self,
        ids: &[CaseId],
        to: CaseStatus,
        stamp: Option<StatusTimestamp>,
        at: Timestamp,
    ) -> R<()>;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for o in RunOutcome::ALL {
            assert_eq!(RunOutcome::parse(o.as_str()), Some(o));
        }
        for t in [TriggerKind::Schedule, TriggerKind::CatchUp, TriggerKind::Manual] {
            assert_eq!(TriggerKind::parse(t.as_str()), Some(t));
        }
        assert_eq!(RunOutcome::parse("done"), None);
        assert_eq!(TriggerKind::parse("cron"), None);
        assert!(!RunOutcome::Running.is_final());
        assert!(RunOutcome::Skipped.is_final());
    }

    #[test]
    fn column_values_fit_their_columns() {
        // trigger_kind VARCHAR(10), outcome VARCHAR(12).
        assert!(
            [TriggerKind::Schedule, TriggerKind::CatchUp, TriggerKind::Manual]
                .iter()
                .all(|t| t.as_str().len() <= 10)
        );
        assert!(RunOutcome::ALL.iter().all(|o| o.as_str().len() <= 12));
    }
}
