//! `JobRunRepo` (`job_runs`, the occurrence claims) and `StatusTransitionRepo` (the scheduled
//! status transitions).
//!
//! Every write to a running row is one conditional statement naming its holder (`id`,
//! `claimed_by`, `attempt`, `outcome = 'running'`), so two replicas can never both think they
//! hold a row: the database decides. Both engines report *matched* rows for an UPDATE (the
//! MySQL connection sets `CLIENT_FOUND_ROWS`), so "1 row" means "the caller held it".

use async_trait::async_trait;
use chrono::NaiveDateTime;
use diesel::QueryableByName;
use diesel::sql_types::{BigInt, Nullable, Text, Timestamp as SqlTimestamp};
use surgicase_kernel::status::StatusTimestamp;
use surgicase_kernel::{CaseId, CaseStatus, Timestamp};
use surgicase_ports::StoreError;
use surgicase_ports::jobs::*;

use super::R;
use super::decode::{self, opt_ts, ts};
use crate::session::Session;
use crate::settings::Backend;
use crate::sql::{self, Row};
use crate::stmt::{Stmt, Value, rows_per_statement, value_rows};

const COLUMNS: &str = "id, job_name, scheduled_for, trigger_kind, claimed_by, claimed_ts, lease_expires_ts, \
                       attempt, started_ts, finished_ts, outcome, items_processed, items_failed, error_text, details";

#[derive(QueryableByName)]
struct JobRunDb {
    #[diesel(sql_type = BigInt)]
    id: i64,
    #[diesel(sql_type = Text)]
    job_name: String,
    #[diesel(sql_type = SqlTimestamp)]
    scheduled_for: NaiveDateTime,
    #[diesel(sql_type = Text)]
    trigger_kind: String,
    #[diesel(sql_type = Text)]
    claimed_by: String,
    #[diesel(sql_type = SqlTimestamp)]
    claimed_ts: NaiveDateTime,
    #[diesel(sql_type = SqlTimestamp)]
    lease_expires_ts: NaiveDateTime,
    #[diesel(sql_type = BigInt)]
    attempt: i64,
    #[diesel(sql_type = Nullable<SqlTimestamp>)]
    started_ts: Option<NaiveDateTime>,
    #[diesel(sql_type = Nullable<SqlTimestamp>)]
    finished_ts: Option<NaiveDateTime>,
    #[diesel(sql_type = Text)]
    outcome: String,
    #[diesel(sql_type = BigInt)]
    items_processed: i64,
    #[diesel(sql_type = BigInt)]
    items_failed: i64,
    #[diesel(sql_type = Nullable<Text>)]
    error_text: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    details: Option<String>,
}

impl JobRunDb {
    fn into_record(self) -> R<JobRunRecord> {
        Ok(JobRunRecord {
            id: self.id,
            job_name: self.job_name,
            scheduled_for: ts(self.scheduled_for),
            trigger_kind: TriggerKind::parse(&self.trigger_kind)
                .ok_or_else(|| StoreError::corrupt("job_runs.trigger_kind: unknown trigger"))?,
            claimed_by: self.claimed_by,
            claimed_ts: ts(self.claimed_ts),
            lease_expires_ts: ts(self.lease_expires_ts),
            attempt: decode::int(self.attempt, "job_runs.attempt")?,
            started_ts: opt_ts(self.started_ts),
            finished_ts: opt_ts(self.finished_ts),
            outcome: RunOutcome::parse(&self.outcome)
                .ok_or_else(|| StoreError::corrupt("job_runs.outcome: unknown outcome"))?,
            items_processed: decode::int(self.items_processed, "job_runs.items_processed")?,
            items_failed: decode::int(self.items_failed, "job_runs.items_failed")?,
            error_text: self.error_text,
            details: self.details,
        })
    }
}

#[derive(QueryableByName)]
struct CaseIdDb {
    #[diesel(sql_type = Text)]
    case_id: String,
}

/// The row a claim (`Running`) or a skip inserts.
fn new_row(run: &NewJobRun, outcome: RunOutcome) -> Row {
    let running = outcome == RunOutcome::Running;
    vec![
        ("job_name", Value::from(&run.job_name)),
        ("scheduled_for", Value::from(run.scheduled_for)),
        ("trigger_kind", Value::from(run.trigger_kind.as_str())),
        ("claimed_by", Value::from(&run.claimed_by)),
        ("claimed_ts", Value::from(run.claimed_ts)),
        ("lease_expires_ts", Value::from(if running { run.lease_expires_ts } else { run.claimed_ts })),
        ("attempt", Value::from(1i32)),
        ("started_ts", Value::from(running.then_some(run.claimed_ts))),
        ("finished_ts", Value::from((!running).then_some(run.claimed_ts))),
        ("outcome", Value::from(outcome.as_str())),
        ("items_processed", Value::from(0i32)),
        ("items_failed", Value::from(0i32)),
    ]
}

/// `… WHERE <holder>`: the claim still holds the row.
const HELD: &str = "id = ? AND claimed_by = ? AND attempt = ? AND outcome = ?";

fn bind_held(stmt: Stmt, claim: &JobRunClaim) -> Stmt {
    stmt.bind(claim.id).bind(&claim.claimed_by).bind(claim.attempt).bind(RunOutcome::Running.as_str())
}

impl Session {
    async fn run_by_id(&mut self, id: i64) -> R<Option<JobRunRecord>> {
        let stmt = Stmt::new(format!("SELECT {COLUMNS} FROM job_runs WHERE id = ?")).bind(id);
        self.first::<JobRunDb>(stmt).await?.map(JobRunDb::into_record).transpose()
    }

    async fn run_by_id_required(&mut self, id: i64) -> R<JobRunRecord> {
        self.run_by_id(id).await?.ok_or_else(|| StoreError::backend(format!("job run {id} vanished")))
    }
}

#[async_trait]
impl JobRunRepo for Session {
    async fn claim_job_run(&mut self, run: &NewJobRun) -> R<Option<JobRunRecord>> {
        match self.exec(sql::insert("job_runs", new_row(run, RunOutcome::Running))).await {
            Ok(_) => {}
            Err(StoreError::Duplicate(_)) => return Ok(None),
            Err(e) => return Err(e),
        }
        let id = self.last_insert_id().await?;
        Ok(Some(JobRunRecord {
            id,
            job_name: run.job_name.clone(),
            scheduled_for: surgicase_kernel::time::truncate_to_micros(run.scheduled_for),
            trigger_kind: run.trigger_kind,
            claimed_by: run.claimed_by.clone(),
            claimed_ts: surgicase_kernel::time::truncate_to_micros(run.claimed_ts),
            lease_expires_ts: surgicase_kernel::time::truncate_to_micros(run.lease_expires_ts),
            attempt: 1,
            started_ts: Some(surgicase_kernel::time::truncate_to_micros(run.claimed_ts)),
            finished_ts: None,
            outcome: RunOutcome::Running,
            items_processed: 0,
            items_failed: 0,
            error_text: None,
            details: None,
        }))
    }

    async fn skip_job_runs(&mut self, runs: &[NewJobRun]) -> R<u64> {
        let Some(first) = runs.first() else { return Ok(0) };
        let columns: Vec<&str> = new_row(first, RunOutcome::Skipped).iter().map(|(c, _)| *c).collect();
        // Rows that already exist (claimed by a replica, or skipped by one) are left alone.
        let verb = match self.backend() {
            Backend::Mysql => "INSERT IGNORE",
            Backend::Sqlite => "INSERT OR IGNORE",
        };
        let mut written = 0u64;
        for chunk in runs.chunks(rows_per_statement(columns.len())) {
            let mut stmt = Stmt::new(format!(
                "{verb} INTO job_runs ({}) VALUES {}",
                columns.join(", "),
                value_rows(chunk.len(), columns.len())
            ))
            .uncached();
            for run in chunk {
                for (_, value) in new_row(run, RunOutcome::Skipped) {
                    stmt.arg(value);
                }
            }
            written += u64::try_from(self.exec(stmt).await?).unwrap_or(0);
        }
        Ok(written)
    }

    async fn get_job_run(&mut self, id: i64) -> R<Option<JobRunRecord>> {
        self.run_by_id(id).await
    }

    async fn expired_job_runs(
        &mut self,
        jobs: &[String],
        now: Timestamp,
        limit: i64,
    ) -> R<Vec<JobRunRecord>> {
        if jobs.is_empty() {
            return Ok(Vec::new());
        }
        // `job_name IN (…) AND outcome = 'running'` uses the (job_name, outcome, …) index.
        let mut stmt = Stmt::new(format!("SELECT {COLUMNS} FROM job_runs WHERE job_name IN "));
        stmt.in_list(jobs.iter());
        stmt.sql(" AND outcome = ? AND lease_expires_ts < ? ORDER BY scheduled_for, id LIMIT ?")
            .arg(RunOutcome::Running.as_str())
            .arg(now)
            .arg(limit);
        self.load::<JobRunDb>(stmt).await?.into_iter().map(JobRunDb::into_record).collect()
    }

    async fn take_over_job_run(
        &mut self,
        id: i64,
        by: &str,
        now: Timestamp,
        lease_expires_ts: Timestamp,
        max_attempts: i32,
    ) -> R<TakeOver> {
        let claim = Stmt::new(
            "UPDATE job_runs SET claimed_by = ?, claimed_ts = ?, lease_expires_ts = ?, attempt = attempt + 1, \
             started_ts = ? WHERE id = ? AND outcome = ? AND lease_expires_ts < ? AND attempt < ?",
        )
        .bind(by)
        .bind(now)
        .bind(lease_expires_ts)
        .bind(now)
        .bind(id)
        .bind(RunOutcome::Running.as_str())
        .bind(now)
        .bind(max_attempts);
        if self.exec(claim).await? == 1 {
            return Ok(TakeOver::Claimed(self.run_by_id_required(id).await?));
        }
        let abandon = Stmt::new(
            "UPDATE job_runs SET outcome = ?, finished_ts = ? \
             WHERE id = ? AND outcome = ? AND lease_expires_ts < ? AND attempt >= ?",
        )
        .bind(RunOutcome::Abandoned.as_str())
        .bind(now)
        .bind(id)
        .bind(RunOutcome::Running.as_str())
        .bind(now)
        .bind(max_attempts);
        if self.exec(abandon).await? == 1 {
            return Ok(TakeOver::Abandoned(self.run_by_id_required(id).await?));
        }
        Ok(TakeOver::Unavailable)
    }

    async fn renew_job_run(&mut self, claim: &JobRunClaim, lease_expires_ts: Timestamp) -> R<bool> {
        let stmt = bind_held(
            Stmt::new(format!("UPDATE job_runs SET lease_expires_ts = ? WHERE {HELD}"))
                .bind(lease_expires_ts),
            claim,
        );
        Ok(self.exec(stmt).await? == 1)
    }

    async fn finish_job_run(&mut self, claim: &JobRunClaim, end: &JobRunEnd) -> R<bool> {
        let set: Row = vec![
            ("outcome", Value::from(end.outcome.as_str())),
            ("finished_ts", Value::from(end.finished_ts)),
            ("items_processed", Value::from(end.items_processed)),
            ("items_failed", Value::from(end.items_failed)),
            ("error_text", Value::from(&end.error_text)),
            ("details", Value::from(&end.details)),
        ];
        let stmt = sql::update(
            "job_runs",
            set,
            HELD,
            vec![
                Value::from(claim.id),
                Value::from(&claim.claimed_by),
                Value::from(claim.attempt),
                Value::from(RunOutcome::Running.as_str()),
            ],
        );
        Ok(self.exec(stmt).await? == 1)
    }

    async fn release_job_run(&mut self, claim: &JobRunClaim, now: Timestamp) -> R<bool> {
        let stmt = bind_held(
            Stmt::new(format!("UPDATE job_runs SET lease_expires_ts = ? WHERE {HELD}")).bind(now),
            claim,
        );
        Ok(self.exec(stmt).await? == 1)
    }

    async fn latest_job_runs(&mut self, include_manual: bool) -> R<Vec<JobRunRecord>> {
        let columns: Vec<String> = COLUMNS.split(", ").map(|c| format!("j.{c}")).collect();
        let mut stmt = Stmt::new(format!(
            "SELECT {} FROM job_runs j JOIN (SELECT job_name, MAX(scheduled_for) AS latest FROM job_runs",
            columns.join(", ")
        ));
        if !include_manual {
            stmt.sql(" WHERE trigger_kind <> ?").arg(TriggerKind::Manual.as_str());
        }
        stmt.sql(" GROUP BY job_name) l ON j.job_name = l.job_name AND j.scheduled_for = l.latest ORDER BY j.job_name");
        self.load::<JobRunDb>(stmt).await?.into_iter().map(JobRunDb::into_record).collect()
    }

    async fn list_job_runs(&mut self, query: &JobRunQuery) -> R<Vec<JobRunRecord>> {
        let mut stmt = Stmt::new(format!("SELECT {COLUMNS} FROM job_runs WHERE 1 = 1"));
        if let Some(job) = &query.job_name {
            stmt.sql(" AND job_name = ?").arg(job);
        }
        if let Some(outcome) = query.outcome {
            stmt.sql(" AND outcome = ?").arg(outcome.as_str());
        }
        if let Some(from) = query.from {
            stmt.sql(" AND scheduled_for >= ?").arg(from);
        }
        if let Some(to) = query.to {
            stmt.sql(" AND scheduled_for <= ?").arg(to);
        }
        if let Some(before) = query.before_id {
            stmt.sql(" AND id < ?").arg(before);
        }
        stmt.sql(" ORDER BY id DESC LIMIT ?").arg(query.limit.max(0));
        self.load::<JobRunDb>(stmt).await?.into_iter().map(JobRunDb::into_record).collect()
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
        let select = Stmt::new(format!(
            "SELECT case_id FROM cases WHERE case_status = ? AND active = ? ORDER BY human_case_id{}",
            self.dialect().for_update()
        ))
        .bind(from)
        .bind(true);
        let ids: Vec<String> = self.load::<CaseIdDb>(select).await?.into_iter().map(|r| r.case_id).collect();
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let stamp = stamp.map(|c| format!("{} = ?, ", c.column_name())).unwrap_or_default();
        let mut stmts = Vec::new();
        for chunk in ids.chunks(rows_per_statement(1)) {
            let mut stmt = Stmt::new(format!(
                "UPDATE cases SET case_status = ?, {stamp}case_updated_ts = ? \
                 WHERE case_status = ? AND active = ? AND case_id IN "
            ))
            .bind(to);
            if !stamp.is_empty() {
                stmt.arg(at);
            }
            stmt.arg(at).arg(from).arg(true);
            stmt.in_list(chunk.iter());
            stmts.push(stmt);
        }
        self.exec_all(stmts).await?;
        ids.iter().map(|id| decode::case_id(id, "cases.case_id")).collect()
    }

    async fn cases_at_statuses_after(
        &mut self,
        statuses: &[CaseStatus],
        after: i64,
        limit: i64,
    ) -> R<Vec<(i64, CaseId)>> {
        if statuses.is_empty() || limit <= 0 {
            return Ok(Vec::new());
        }
        let mut stmt =
            Stmt::new("SELECT human_case_id, case_id FROM cases WHERE active = ? AND human_case_id > ? AND case_status IN ")
                .bind(true)
                .bind(after);
        stmt.in_list(statuses.iter().copied());
        stmt.sql(" ORDER BY human_case_id LIMIT ?").arg(limit);
        self.load::<CaseAfterDb>(stmt)
            .await?
            .into_iter()
            .map(|r| Ok((r.human_case_id, decode::case_id(&r.case_id, "cases.case_id")?)))
            .collect()
    }

    async fn lock_case_statuses(&mut self, ids: &[CaseId]) -> R<Vec<(CaseId, CaseStatus)>> {
        let mut found = Vec::with_capacity(ids.len());
        let mut seen = std::collections::HashSet::new();
        for chunk in ids.chunks(rows_per_statement(1)) {
            let mut stmt =
                Stmt::new("SELECT case_id, case_status FROM cases WHERE active = ? AND case_id IN ")
                    .bind(true);
            stmt.in_list(chunk.iter());
            stmt.sql(self.dialect().for_update());
            for row in self.load::<CaseStatusDb>(stmt).await? {
                let id = decode::case_id(&row.case_id, "cases.case_id")?;
                if seen.insert(row.case_id) {
                    found.push((id, decode::status(row.case_status, "cases.case_status")?));
                }
            }
        }
        Ok(found)
    }

    async fn set_case_statuses(
        &mut self,
        ids: &[CaseId],
        to: CaseStatus,
        stamp: Option<StatusTimestamp>,
        at: Timestamp,
    ) -> R<()> {
        let stamp = stamp.map(|c| format!("{} = ?, ", c.column_name())).unwrap_or_default();
        let mut stmts = Vec::new();
        for chunk in ids.chunks(rows_per_statement(1)) {
            let mut stmt = Stmt::new(format!(
                "UPDATE cases SET case_status = ?, {stamp}case_updated_ts = ? WHERE active = ? AND case_id IN "
            ))
            .bind(to);
            if !stamp.is_empty() {
                stmt.arg(at);
            }
            stmt.arg(at).arg(true);
            stmt.in_list(chunk.iter());
            stmts.push(stmt);
        }
        self.exec_all(stmts).await
    }
}

#[derive(QueryableByName)]
struct CaseAfterDb {
    #[diesel(sql_type = BigInt)]
    human_case_id: i64,
    #[diesel(sql_type = Text)]
    case_id: String,
}

#[derive(QueryableByName)]
struct CaseStatusDb {
    #[diesel(sql_type = Text)]
    case_id: String,
    #[diesel(sql_type = BigInt)]
    case_status: i64,
}
