//! Pushing stored reports to the tracker (domain §19): one claimed attempt at a time, a lookup
//! by name before every retry, backoff between attempts.

use chrono::Duration as ChronoDuration;
use surgicase_kernel::Timestamp;
use surgicase_ports::bugs::{BugRecord, SyncState, TrackerError};

use super::SYNC_BATCH;
use super::report::{retry_delay, tracker_task};
use crate::App;
use crate::counters;
use crate::error::AppError;

/// What the claim leaves in `last_sync_error` until the attempt ends: if the process dies
/// mid-attempt, this is what the next one finds (and why it looks the task up first).
const IN_PROGRESS: &str = "attempt in progress (outcome unknown)";

/// What one attempt did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SyncOutcome {
    /// The task was created now.
    Created { task_id: String },
    /// An earlier attempt had created it: found by name and recorded.
    FoundExisting { task_id: String },
    /// The tracker failed; the report stays pending until its next retry.
    Failed(TrackerError),
    /// Nothing to do: already synced, disabled, not due, or another worker is attempting it.
    Skipped,
    /// No such report.
    Missing,
}

impl SyncOutcome {
    /// The `outcome` label of `surgicase_bug_tracker_sync_total`.
    pub fn label(&self) -> Option<&'static str> {
        match self {
            Self::Created { .. } => Some("synced"),
            Self::FoundExisting { .. } => Some("found_existing"),
            Self::Failed(e) => Some(e.outcome()),
            Self::Skipped | Self::Missing => None,
        }
    }
}

/// What one [`App::sync_pending_bugs`] run did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SyncReport {
    /// Due reports found.
    pub due: usize,
    /// Now in the tracker (created or found).
    pub synced: usize,
    /// Still pending after a failed attempt.
    pub failed: usize,
    /// Left alone (another worker had them).
    pub skipped: usize,
}

fn after(now: Timestamp, delay: std::time::Duration) -> Timestamp {
    now + ChronoDuration::from_std(delay).unwrap_or(ChronoDuration::hours(1))
}

impl App {
    /// One attempt for one report, now (the API calls this right after answering `POST /bugs`).
    pub async fn sync_bug(&self, bug_id: i64) -> Result<SyncOutcome, AppError> {
        let now = self.clock.now();
        let bug = self.store.conn().await?.get_bug(bug_id).await?;
        match bug {
            None => Ok(SyncOutcome::Missing),
            Some(bug) => self.attempt(bug, now).await,
        }
    }

    /// Attempts every report that is due at `now` (at most [`SYNC_BATCH`] per run), oldest
    /// first. The API's background task and the scheduler's `bug_tracker_sync` job call this;
    /// running it from several processes at once is safe.
    pub async fn sync_pending_bugs(&self, now: Timestamp) -> Result<SyncReport, AppError> {
        let mut report = SyncReport::default();
        if !self.ops.bug_tracker.enabled() {
            return Ok(report);
        }
        let due = self.store.conn().await?.due_bugs(now, SYNC_BATCH).await?;
        report.due = due.len();
        for bug in due {
            match self.attempt(bug, now).await? {
                SyncOutcome::Created { .. } | SyncOutcome::FoundExisting { .. } => report.synced += 1,
                SyncOutcome::Failed(_) => report.failed += 1,
                SyncOutcome::Skipped | SyncOutcome::Missing => report.skipped += 1,
            }
        }
        if report.due > 0 {
            tracing::info!(
                due = report.due,
                synced = report.synced,
                failed = report.failed,
                "bug tracker sync"
            );
        }
        Ok(report)
    }

    async fn attempt(&self, bug: BugRecord, now: Timestamp) -> Result<SyncOutcome, AppError> {
        let tracker = &self.ops.bug_tracker;
        let due = bug.next_sync_ts.is_some_and(|t| t <= now);
        if !tracker.enabled() || bug.sync_state != SyncState::Pending || !due {
            return Ok(SyncOutcome::Skipped);
        }
        let attempt = bug.sync_attempts.saturating_add(1);
        let retry_at = after(now, retry_delay(attempt));
        let mut conn = self.store.conn().await?;
        if !conn.claim_bug_sync(bug.bug_id, bug.sync_attempts, retry_at, IN_PROGRESS).await? {
            return Ok(SyncOutcome::Skipped);
        }
        drop(conn);
        let task = tracker_task(&bug);
        let outcome = match self.push(&task, &bug).await {
            Ok(outcome) => outcome,
            Err(e) => SyncOutcome::Failed(e),
        };
        let mut conn = self.store.conn().await?;
        match &outcome {
            SyncOutcome::Created { task_id } | SyncOutcome::FoundExisting { task_id } => {
                // Should this write fail, the next attempt finds the task by name.
                conn.mark_bug_synced(bug.bug_id, task_id).await?;
                tracing::info!(bug_id = bug.bug_id, attempt, "bug report pushed to the tracker");
            }
            SyncOutcome::Failed(e) => {
                conn.note_bug_sync_error(bug.bug_id, &e.to_string()).await?;
                tracing::warn!(bug_id = bug.bug_id, attempt, outcome = e.outcome(), retry_at = %retry_at, "bug tracker push failed");
            }
            SyncOutcome::Skipped | SyncOutcome::Missing => {}
        }
        if let Some(label) = outcome.label() {
            counters::bug_sync(label);
        }
        Ok(outcome)
    }

    /// Creates the task, after looking it up when an earlier attempt may have created it.
    async fn push(
        &self,
        task: &surgicase_ports::bugs::TrackerTask,
        bug: &BugRecord,
    ) -> Result<SyncOutcome, TrackerError> {
        let tracker = &self.ops.bug_tracker;
        if bug.sync_attempts > 0
            && let Some(task_id) = tracker.find_task(&task.name, bug.created_ts).await?
        {
            return Ok(SyncOutcome::FoundExisting { task_id });
        }
        let task_id = tracker.create_task(task).await?;
        Ok(SyncOutcome::Created { task_id })
    }
}
