//! `bugs` and `request_logs`.

use std::collections::BTreeMap;
use surgicase_kernel::text::clip;

use async_trait::async_trait;
use surgicase_kernel::Timestamp;
use surgicase_kernel::time::truncate_to_micros;
use surgicase_ports::bugs::{BugQuery, BugRecord, BugRepo, NewBugRecord, SyncState};
use surgicase_ports::request_logs::{RequestLogRecord, RequestLogRepo};

use super::{R, Session};

/// The longest `last_sync_error` kept (the column is VARCHAR(500)).
const MAX_SYNC_ERROR: usize = 500;

/// The two tables, keyed by their auto-increment ids.
#[derive(Debug, Clone)]
pub(super) struct BugTables {
    bugs: BTreeMap<i64, BugRecord>,
    next_bug: i64,
    request_logs: BTreeMap<i64, RequestLogRecord>,
    next_log: i64,
}

impl Default for BugTables {
    fn default() -> Self {
        Self { bugs: BTreeMap::new(), next_bug: 1, request_logs: BTreeMap::new(), next_log: 1 }
    }
}

#[async_trait]
impl BugRepo for Session {
    async fn insert_bug(&mut self, bug: &NewBugRecord) -> R<i64> {
        self.write(|s| {
            let t = &mut s.bugs;
            let bug_id = t.next_bug;
            t.next_bug += 1;
            let created_ts = truncate_to_micros(bug.created_ts);
            t.bugs.insert(
                bug_id,
                BugRecord {
                    bug_id,
                    title: bug.title.clone(),
                    description: bug.description.clone(),
                    calling_page: bug.calling_page.clone(),
                    bug_date: bug.bug_date.clone(),
                    status: bug.status.clone(),
                    priority: bug.priority,
                    reported_by: bug.reported_by.clone(),
                    reported_by_user_id: bug.reported_by_user_id.clone(),
                    full_json: bug.full_json.clone(),
                    created_ts,
                    tracker_task_id: None,
                    sync_state: bug.sync_state,
                    sync_attempts: 0,
                    next_sync_ts: bug.next_sync_ts.map(truncate_to_micros),
                    last_sync_error: None,
                },
            );
            Ok(bug_id)
        })
        .await
    }

    async fn get_bug(&mut self, bug_id: i64) -> R<Option<BugRecord>> {
        Ok(self.read(|s| s.bugs.bugs.get(&bug_id).cloned()))
    }

    async fn list_bugs(&mut self, query: &BugQuery) -> R<Vec<BugRecord>> {
        Ok(self.read(|s| {
            let mut rows: Vec<BugRecord> = s
                .bugs
                .bugs
                .values()
                .filter(|b| query.reporter.as_ref().is_none_or(|r| *r == b.reported_by_user_id))
                .filter(|b| !query.open_only || b.status != "Closed")
                .cloned()
                .collect();
            rows.sort_by_key(|b| std::cmp::Reverse((b.created_ts, b.bug_id)));
            rows.truncate(usize::try_from(query.limit).unwrap_or(0));
            rows
        }))
    }

    async fn due_bugs(&mut self, now: Timestamp, limit: i64) -> R<Vec<BugRecord>> {
        Ok(self.read(|s| {
            let mut rows: Vec<BugRecord> = s
                .bugs
                .bugs
                .values()
                .filter(|b| b.sync_state == SyncState::Pending && b.next_sync_ts.is_some_and(|t| t <= now))
                .cloned()
                .collect();
            rows.sort_by_key(|b| (b.next_sync_ts, b.bug_id));
            rows.truncate(usize::try_from(limit).unwrap_or(0));
            rows
        }))
    }

    async fn claim_bug_sync(
        &mut self,
        bug_id: i64,
        seen_attempts: i32,
        retry_at: Timestamp,
        note: &str,
    ) -> R<bool> {
        self.write(|s| {
            Ok(match s.bugs.bugs.get_mut(&bug_id) {
                Some(b) if b.sync_state == SyncState::Pending && b.sync_attempts == seen_attempts => {
                    b.sync_attempts += 1;
                    b.next_sync_ts = Some(truncate_to_micros(retry_at));
                    b.last_sync_error = Some(clip(note, MAX_SYNC_ERROR));
                    true
                }
                _ => false,
            })
        })
        .await
    }

    async fn mark_bug_synced(&mut self, bug_id: i64, task_id: &str) -> R<bool> {
        self.write(|s| {
            Ok(match s.bugs.bugs.get_mut(&bug_id) {
                Some(b) if b.sync_state == SyncState::Pending => {
                    b.sync_state = SyncState::Synced;
                    b.tracker_task_id = Some(task_id.to_owned());
                    b.next_sync_ts = None;
                    b.last_sync_error = None;
                    true
                }
                _ => false,
            })
        })
        .await
    }

    async fn note_bug_sync_error(&mut self, bug_id: i64, error: &str) -> R<()> {
        self.write(|s| {
            if let Some(b) = s.bugs.bugs.get_mut(&bug_id) {
                b.last_sync_error = Some(clip(error, MAX_SYNC_ERROR));
            }
            Ok(())
        })
        .await
    }
}

#[async_trait]
impl RequestLogRepo for Session {
    async fn insert_request_logs(&mut self, rows: &[RequestLogRecord]) -> R<()> {
        self.write(|s| {
            let t = &mut s.bugs;
            for row in rows {
                let mut row = row.clone();
                row.timestamp = truncate_to_micros(row.timestamp);
                t.request_logs.insert(t.next_log, row);
                t.next_log += 1;
            }
            Ok(())
        })
        .await
    }

    async fn recent_request_logs(&mut self, limit: i64) -> R<Vec<RequestLogRecord>> {
        Ok(self.read(|s| {
            s.bugs.request_logs.values().rev().take(usize::try_from(limit).unwrap_or(0)).cloned().collect()
        }))
    }
}
