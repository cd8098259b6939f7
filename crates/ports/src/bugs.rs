//! Bug intake (domain §19): the `bugs` table ([`BugRepo`], domain §3.6) and the external tracker
//! the reports are pushed to ([`BugTracker`], ClickUp in production).

use std::fmt;

use async_trait::async_trait;
use surgicase_kernel::{Timestamp, UserId};

use crate::error::StoreError;

type R<T> = Result<T, StoreError>;

/// The priority of a report (api.md §10).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum BugPriority {
    Urgent,
    High,
    Medium,
    Normal,
    Low,
}

impl BugPriority {
    pub const ALL: [BugPriority; 5] = [Self::Urgent, Self::High, Self::Medium, Self::Normal, Self::Low];

    /// The stored (lower-case) name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Urgent => "urgent",
            Self::High => "high",
            Self::Medium => "medium",
            Self::Normal => "normal",
            Self::Low => "low",
        }
    }

    /// A client's value, case-insensitive and trimmed.
    pub fn parse(raw: &str) -> Option<Self> {
        let wanted = raw.trim();
        Self::ALL.into_iter().find(|p| p.as_str().eq_ignore_ascii_case(wanted))
    }
}

impl fmt::Display for BugPriority {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where a report stands with the tracker.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SyncState {
    /// Not in the tracker yet; retried until it is.
    Pending,
    /// In the tracker; `tracker_task_id` names the task.
    Synced,
    /// No tracker is configured: kept locally only.
    Disabled,
}

impl SyncState {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Synced => "synced",
            Self::Disabled => "disabled",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "pending" => Some(Self::Pending),
            "synced" => Some(Self::Synced),
            "disabled" => Some(Self::Disabled),
            _ => None,
        }
    }
}

/// A report to store. Its status starts `Open`, `sync_attempts` 0, and a pending report is due
/// at once (`next_sync_ts = created_ts`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewBugRecord {
    /// At most 250 characters.
    pub title: String,
    pub description: Option<String>,
    pub calling_page: Option<String>,
    pub bug_date: Option<String>,
    pub priority: BugPriority,
    /// "First Last" of the reporter.
    pub reported_by: Option<String>,
    pub reported_by_user_id: UserId,
    /// The request body as received.
    pub full_json: String,
    pub created_ts: Timestamp,
    /// `Open` for a new report.
    pub status: String,
    pub sync_state: SyncState,
    /// When the first push to the tracker is due (`None`: never, the tracker is off).
    pub next_sync_ts: Option<Timestamp>,
}

/// A stored report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BugRecord {
    pub bug_id: i64,
    pub title: String,
    pub description: Option<String>,
    pub calling_page: Option<String>,
    pub bug_date: Option<String>,
    /// `Open` or `Closed`.
    pub status: String,
    pub priority: BugPriority,
    pub reported_by: Option<String>,
    pub reported_by_user_id: UserId,
    pub full_json: String,
    pub created_ts: Timestamp,
    pub tracker_task_id: Option<String>,
    pub sync_state: SyncState,
    pub sync_attempts: i32,
    pub next_sync_ts: Option<Timestamp>,
    pub last_sync_error: Option<String>,
}

/// Which reports to list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BugQuery {
    /// Only this reporter's reports; `None` for everyone's.
    pub reporter: Option<UserId>,
    /// Only reports whose status is not `Closed`.
    pub open_only: bool,
    pub limit: i64,
}

#[async_trait]
pub trait BugRepo: Send {
    /// Stores a report; returns its `bug_id`.
    async fn insert_bug(&mut self, bug: &NewBugRecord) -> R<i64>;
    async fn get_bug(&mut self, bug_id: i64) -> R<Option<BugRecord>>;
    /// Newest first (`created_ts`, then `bug_id`, descending), at most `query.limit`.
    async fn list_bugs(&mut self, query: &BugQuery) -> R<Vec<BugRecord>>;
    /// Pending reports whose `next_sync_ts` is at or before `now`, earliest first, at most `limit`.
    async fn due_bugs(&mut self, now: Timestamp, limit: i64) -> R<Vec<BugRecord>>;
    /// Claims one sync attempt, atomically: when the report is still pending and has made exactly
    /// `seen_attempts` attempts, counts this one, sets `next_sync_ts = retry_at` (when the next
    /// attempt is due should this one fail or never finish) and `last_sync_error = note`.
    /// Returns whether the claim was won; a lost claim means someone else is attempting.
    async fn claim_bug_sync(
        &mut self,
        bug_id: i64,
        seen_attempts: i32,
        retry_at: Timestamp,
        note: &str,
    ) -> R<bool>;
    /// Records the tracker's task: `synced`, `tracker_task_id`, no next attempt, no error.
    /// Only a pending report changes; returns whether it did.
    async fn mark_bug_synced(&mut self, bug_id: i64, task_id: &str) -> R<bool>;
    /// Records why the last attempt failed (at most 500 characters are kept).
    async fn note_bug_sync_error(&mut self, bug_id: i64, error: &str) -> R<()>;
}

/// A task to create in the tracker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrackerTask {
    /// `Bug #<bug_id>: <title>`: unique per report, so the task can be found again by name.
    pub name: String,
    pub description: String,
    pub priority: BugPriority,
    pub tags: Vec<String>,
}

/// Why the tracker did not answer as hoped.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TrackerError {
    /// No tracker is configured.
    #[error("no bug tracker is configured")]
    Disabled,
    /// 429: too many requests.
    #[error("rate limited by the tracker")]
    RateLimited,
    /// A 5xx answer.
    #[error("tracker server error (HTTP {0})")]
    Server(u16),
    /// A 4xx answer other than 429 (bad token, unknown list, …).
    #[error("refused by the tracker (HTTP {status}): {message}")]
    Refused { status: u16, message: String },
    /// No answer in time: the task may or may not exist.
    #[error("no answer from the tracker in time")]
    Timeout,
    /// The tracker could not be reached at all.
    #[error("tracker unreachable: {0}")]
    Unreachable(String),
    /// The answer could not be understood.
    #[error("unexpected answer from the tracker: {0}")]
    Invalid(String),
}

impl TrackerError {
    /// The `outcome` label of `surgicase_bug_tracker_sync_total`.
    pub fn outcome(&self) -> &'static str {
        match self {
            Self::Disabled => "disabled",
            Self::RateLimited => "rate_limited",
            Self::Server(_) => "server_error",
            Self::Refused { .. } => "refused",
            Self::Timeout => "timeout",
            Self::Unreachable(_) => "unreachable",
            Self::Invalid(_) => "invalid_answer",
        }
    }
}

/// The external bug tracker (domain §19).
#[async_trait]
pub trait BugTracker: Send + Sync {
    /// Whether reports are pushed anywhere; `false` keeps them locally (`sync_state = disabled`).
    fn enabled(&self) -> bool;
    /// Creates the task; returns its id.
    async fn create_task(&self, task: &TrackerTask) -> Result<String, TrackerError>;
    /// The id of a task named exactly `name` created at or after `created_after`, if any (asked
    /// before a retry, so that an attempt whose outcome was unknown is not pushed twice).
    async fn find_task(&self, name: &str, created_after: Timestamp) -> Result<Option<String>, TrackerError>;
    /// One cheap authenticated round trip (health checks).
    async fn ping(&self) -> Result<(), TrackerError>;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn priorities_parse_case_insensitively() {
        let table = [
            ("urgent", Some(BugPriority::Urgent)),
            ("HIGH", Some(BugPriority::High)),
            (" Medium ", Some(BugPriority::Medium)),
            ("normal", Some(BugPriority::Normal)),
            ("Low", Some(BugPriority::Low)),
            ("critical", None),
            ("", None),
        ];
        for (raw, expected) in table {
            assert_eq!(BugPriority::parse(raw), expected, "{raw:?}");
        }
        for p in BugPriority::ALL {
            assert_eq!(BugPriority::parse(p.as_str()), Some(p));
        }
    }

    #[test]
    fn sync_states_round_trip() {
        for s in [SyncState::Pending, SyncState::Synced, SyncState::Disabled] {
            assert_eq!(SyncState::parse(s.as_str()), Some(s));
        }
        assert_eq!(SyncState::parse("Pending"), None);
    }

    #[test]
    fn tracker_outcomes_are_distinct_labels() {
        let errors = [
            TrackerError::Disabled,
            TrackerError::RateLimited,
            TrackerError::Server(500),
            TrackerError::Refused { status: 401, message: "x".into() },
            TrackerError::Timeout,
            TrackerError::Unreachable("x".into()),
            TrackerError::Invalid("x".into()),
        ];
        let labels: std::collections::BTreeSet<&str> = errors.iter().map(TrackerError::outcome).collect();
        assert_eq!(labels.len(), errors.len());
    }
}
