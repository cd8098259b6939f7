//! `job_runs` (the occurrence claims) and the scheduled status transitions.

use std::collections::BTreeMap;

use async_trait::async_trait;
use surgicase_kernel::status::StatusTimestamp;
use surgicase_kernel::{CaseId, CaseStatus, Timestamp};
use surgicase_ports::jobs::*;

use super::state::{State, StoredCase, reference};
use super::{R, Session};

/// The `job_runs` table: rows by id, the unique key `(job_name, scheduled_for)`.
#[derive(Debug, Clone)]
pub(super) struct JobTables {
    pub runs: BTreeMap<i64, JobRunRecord>,
    pub keys: BTreeMap<(String, Timestamp), i64>,
    pub next_id: i64,
}

impl Default for JobTables {
    fn default() -> Self {
        Self { runs: BTreeMap::new(), keys: BTreeMap::new(), next_id: 1 }
    }
}

impl JobTables {
    fn insert(&mut self, run: &NewJobRun, outcome: RunOutcome) -> Option<JobRunRecord> {
        let key = (run.job_name.clone(), run.scheduled_for);
        if self.keys.contains_key(&key) {
            return None;
        }
        let id = self.next_id;
        self.next_id += 1;
        let running = outcome == RunOutcome::Running;
        let record = JobRunRecord {
            id,
            job_name: run.job_name.clone(),
            scheduled_for: run.scheduled_for,
            trigger_kind: run.trigger_kind,
            claimed_by: run.claimed_by.clone(),
            claimed_ts: run.claimed_ts,
            lease_expires_ts: if running { run.lease_expires_ts } else { run.claimed_ts },
            attempt: 1,
            started_ts: running.then_some(run.claimed_ts),
            finished_ts: (!running).then_some(run.claimed_ts),
            outcome,
            items_processed: 0,
            items_failed: 0,
            error_text: None,
            details: None,
        };
        self.keys.insert(key, id);
        self.runs.insert(id, record.clone());
        Some(record)
    }

    /// The row, when `claim` still holds it.
    fn held(&mut self, claim: &JobRunClaim) -> Option<&mut JobRunRecord> {
        self.runs.get_mut(&claim.id).filter(|r| {
            r.outcome == RunOutcome::Running && r.claimed_by == claim.claimed_by && r.attempt == claim.attempt
        })
    }
}

fn take_over(
    s: &mut State,
    id: i64,
    by: &str,
    now: Timestamp,
    lease_expires_ts: Timestamp,
    max_attempts: i32,
) -> TakeOver {
    let Some(row) = s.jobs.runs.get_mut(&id) else { return TakeOver::Unavailable };
    if row.outcome != RunOutcome::Running || row.lease_expires_ts >= now {
        return TakeOver::Unavailable;
    }
    if row.attempt < max_attempts {
        row.claimed_by = by.to_owned();
        row.claimed_ts = now;
        row.lease_expires_ts = lease_expires_ts;
        row.attempt += 1;
        row.started_ts = Some(now);
        TakeOver::Claimed(row.clone())
    } else {
        row.outcome = RunOutcome::Abandoned;
        row.finished_ts = Some(now);
        TakeOver::Abandoned(row.clone())
    }
}

fn matches(q: &JobRunQuery, r: &JobRunRecord) -> bool {
    q.job_name.as_ref().is_none_or(|j| r.job_name == *j)
        && q.outcome.is_none_or(|o| r.outcome == o)
        && q.from.is_none_or(|from| r.scheduled_for >= from)
        && q.to.is_none_or(|to| r.scheduled_for <= to)
        && q.before_id.is_none_or(|before| r.id < before)
}

fn move_cases(
    s: &mut State,
    from: CaseStatus,
    to: CaseStatus,
    stamp: Option<StatusTimestamp>,
    at: Timestamp,
) -> Vec<CaseId> {
    let mut moved = Vec::new();
    for stored in s.cases.values_mut() {
        if stored.row.active && stored.row.case_status == from {
            stored.row.case_status = to;
            if let Some(column) = stamp {
                stored.row.status_timestamps.insert(column, at);
            }
            stored.row.case_updated_ts = at;
            moved.push(stored.row.case_id.clone());
        }
    }
    moved
}

#[async_trait]
impl JobRunRepo for Session {
    async fn claim_job_run(&mut self, run: &NewJobRun) -> R<Option<JobRunRecord>> {
        self.write(|s| Ok(s.jobs.insert(run, RunOutcome::Running))).await
    }

    async fn skip_job_runs(&mut self, runs: &[NewJobRun]) -> R<u64> {
        self.write(|s| {
            let written = runs.iter().filter_map(|r| s.jobs.insert(r, RunOutcome::Skipped)).count();
            Ok(u64::try_from(written).unwrap_or(u64::MAX))
        })
        .await
    }

    async fn get_job_run(&mut self, id: i64) -> R<Option<JobRunRecord>> {
        Ok(self.read(|s| s.jobs.runs.get(&id).cloned()))
    }

    async fn expired_job_runs(
        &mut self,
        jobs: &[String],
        now: Timestamp,
        limit: i64,
    ) -> R<Vec<JobRunRecord>> {
        let take = usize::try_from(limit).unwrap_or(0);
        Ok(self.read(|s| {
            let mut rows: Vec<JobRunRecord> = s
                .jobs
                .runs
                .values()
                .filter(|r| {
                    r.outcome == RunOutcome::Running && r.lease_expires_ts < now && jobs.contains(&r.job_name)
                })
                .cloned()
                .collect();
            rows.sort_by_key(|r| (r.scheduled_for, r.id));
            rows.truncate(take);
            rows
        }))
    }

    async fn take_over_job_run(
        &mut self,
        id: i64,
        by: &str,
        now: Timestamp,
        lease_expires_ts: Timestamp,
        max_attempts: i32,
    ) -> R<TakeOver> {
        self.write(|s| Ok(take_over(s, id, by, now, lease_expires_ts, max_attempts))).await
    }

    async fn renew_job_run(&mut self, claim: &JobRunClaim, lease_expires_ts: Timestamp) -> R<bool> {
        self.write(|s| Ok(s.jobs.held(claim).map(|row| row.lease_expires_ts = lease_expires_ts).is_some()))
            .await
    }

    async fn finish_job_run(&mut self, claim: &JobRunClaim, end: &JobRunEnd) -> R<bool> {
        self.write(|s| {
            Ok(s.jobs
                .held(claim)
                .map(|row| {
                    row.outcome = end.outcome;
                    row.finished_ts = Some(end.finished_ts);
                    row.items_processed = end.items_processed;
                    row.items_failed = end.items_failed;
                    row.error_text = end.error_text.clone();
                    row.details = end.details.clone();
                })
                .is_some())
        })
        .await
    }

    async fn release_job_run(&mut self, claim: &JobRunClaim, now: Timestamp) -> R<bool> {
        self.write(|s| Ok(s.jobs.held(claim).map(|row| row.lease_expires_ts = now).is_some())).await
    }

    async fn latest_job_runs(&mut self, include_manual: bool) -> R<Vec<JobRunRecord>> {
        Ok(self.read(|s| {
            let mut latest: BTreeMap<&str, &JobRunRecord> = BTreeMap::new();
            for row in s.jobs.runs.values() {
                if !include_manual && row.trigger_kind == TriggerKind::Manual {
                    continue;
                }
                let entry = latest.entry(row.job_name.as_str()).or_insert(row);
                if row.scheduled_for > entry.scheduled_for {
                    *entry = row;
                }
            }
            latest.into_values().cloned().collect()
        }))
    }

    async fn list_job_runs(&mut self, query: &JobRunQuery) -> R<Vec<JobRunRecord>> {
        let take = usize::try_from(query.limit).unwrap_or(0);
        Ok(self
            .read(|s| s.jobs.runs.values().rev().filter(|r| matches(query, r)).take(take).cloned().collect()))
    }
}

#[async_trait]
impl StatusTransitionRepo for Session {
    async fn move_cases_at_status(
        &mut self,
        from: CaseStatus,
        to: CaseStatus,
        stamp: Option<StatusTimestamp>,
        at: Timestamp,
    ) -> R<Vec<CaseId>> {
        self.write(|s| {
            let moved = move_cases(s, from, to, stamp, at);
            // Like the foreign key: checked only when a row is written.
            if !moved.is_empty() && !s.statuses.contains_key(&to) {
                return Err(reference("cases.case_status -> case_status_list"));
            }
            Ok(moved)
        })
        .await
    }

    async fn cases_at_statuses_after(
        &mut self,
        statuses: &[CaseStatus],
        after: i64,
        limit: i64,
    ) -> R<Vec<(i64, CaseId)>> {
        let limit = usize::try_from(limit).unwrap_or(0);
        Ok(self.read(|s| {
            s.cases
                .range(after.saturating_add(1)..)
                .filter(|(_, c)| c.row.active && statuses.contains(&c.row.case_status))
                .take(limit)
                .map(|(id, c)| (*id, c.row.case_id.clone()))
                .collect()
        }))
    }

    async fn lock_case_statuses(&mut self, ids: &[CaseId]) -> R<Vec<(CaseId, CaseStatus)>> {
        let wanted: std::collections::HashSet<&CaseId> = ids.iter().collect();
        Ok(self.read(|s| {
            s.cases
                .values()
                .filter(|c| c.row.active && wanted.contains(&c.row.case_id))
                .map(|c| (c.row.case_id.clone(), c.row.case_status))
                .collect()
        }))
    }

    async fn set_case_statuses(
        &mut self,
        ids: &[CaseId],
        to: CaseStatus,
        stamp: Option<StatusTimestamp>,
        at: Timestamp,
    ) -> R<()> {
        let wanted: std::collections::HashSet<&CaseId> = ids.iter().collect();
        self.write(|s| {
            let hit = |c: &StoredCase| c.row.active && wanted.contains(&c.row.case_id);
            // Like the foreign key: checked only when a row is written.
            if s.cases.values().any(hit) && !s.statuses.contains_key(&to) {
                return Err(reference("cases.case_status -> case_status_list"));
            }
            for stored in s.cases.values_mut().filter(|c| hit(c)) {
                stored.row.case_status = to;
                if let Some(column) = stamp {
                    stored.row.status_timestamps.insert(column, at);
                }
                stored.row.case_updated_ts = at;
            }
            Ok(())
        })
        .await
    }
}

/// `case_status_history.job_run_id -> job_runs`.
pub(super) fn require_job_run(s: &State, id: Option<i64>) -> R<()> {
    match id {
        Some(id) if !s.jobs.runs.contains_key(&id) => {
            Err(reference("case_status_history.job_run_id -> job_runs"))
        }
        _ => Ok(()),
    }
}
