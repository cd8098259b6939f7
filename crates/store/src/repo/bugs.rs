//! `BugRepo` (`bugs`) and `RequestLogRepo` (`request_logs`), domain §3.6.

use async_trait::async_trait;
use chrono::NaiveDateTime;
use diesel::QueryableByName;
use diesel::sql_types::{BigInt, Nullable, Text, Timestamp as SqlTimestamp};
use surgicase_kernel::Timestamp;
use surgicase_kernel::text::clip;
use surgicase_ports::StoreError;
use surgicase_ports::bugs::{BugPriority, BugQuery, BugRecord, BugRepo, NewBugRecord, SyncState};
use surgicase_ports::request_logs::{LogSource, RequestLogRecord, RequestLogRepo};

use super::R;
use super::decode::{self, opt_ts, ts};
use crate::session::Session;
use crate::sql::{self, Row};
use crate::stmt::{Stmt, Value};

/// The longest `last_sync_error` kept (VARCHAR(500)).
const MAX_SYNC_ERROR: usize = 500;

const BUG_COLUMNS: &str = "bug_id, title, description, calling_page, bug_date, status, priority, reported_by, \
     reported_by_user_id, full_json, created_ts, tracker_task_id, sync_state, sync_attempts, next_sync_ts, \
     last_sync_error";

#[derive(QueryableByName)]
struct BugDb {
    #[diesel(sql_type = BigInt)]
    bug_id: i64,
    #[diesel(sql_type = Text)]
    title: String,
    #[diesel(sql_type = Nullable<Text>)]
    description: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    calling_page: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    bug_date: Option<String>,
    #[diesel(sql_type = Text)]
    status: String,
    #[diesel(sql_type = Text)]
    priority: String,
    #[diesel(sql_type = Nullable<Text>)]
    reported_by: Option<String>,
    #[diesel(sql_type = Text)]
    reported_by_user_id: String,
    #[diesel(sql_type = Text)]
    full_json: String,
    #[diesel(sql_type = SqlTimestamp)]
    created_ts: NaiveDateTime,
    #[diesel(sql_type = Nullable<Text>)]
    tracker_task_id: Option<String>,
    #[diesel(sql_type = Text)]
    sync_state: String,
    #[diesel(sql_type = BigInt)]
    sync_attempts: i64,
    #[diesel(sql_type = Nullable<SqlTimestamp>)]
    next_sync_ts: Option<NaiveDateTime>,
    #[diesel(sql_type = Nullable<Text>)]
    last_sync_error: Option<String>,
}

impl BugDb {
    fn into_record(self) -> R<BugRecord> {
        Ok(BugRecord {
            bug_id: self.bug_id,
            title: self.title,
            description: self.description,
            calling_page: self.calling_page,
            bug_date: self.bug_date,
            status: self.status,
            priority: BugPriority::parse(&self.priority)
                .ok_or_else(|| StoreError::corrupt("bugs.priority: unknown priority"))?,
            reported_by: self.reported_by,
            reported_by_user_id: decode::user_id(&self.reported_by_user_id, "bugs.reported_by_user_id")?,
            full_json: self.full_json,
            created_ts: ts(self.created_ts),
            tracker_task_id: self.tracker_task_id,
            sync_state: SyncState::parse(&self.sync_state)
                .ok_or_else(|| StoreError::corrupt("bugs.sync_state: unknown state"))?,
            sync_attempts: decode::int(self.sync_attempts, "bugs.sync_attempts")?,
            next_sync_ts: opt_ts(self.next_sync_ts),
            last_sync_error: self.last_sync_error,
        })
    }
}

#[async_trait]
impl BugRepo for Session {
    async fn insert_bug(&mut self, bug: &NewBugRecord) -> R<i64> {
        let row: Row = vec![
            ("title", Value::from(&bug.title)),
            ("description", Value::from(&bug.description)),
            ("calling_page", Value::from(&bug.calling_page)),
            ("bug_date", Value::from(&bug.bug_date)),
            ("status", Value::from(&bug.status)),
            ("priority", Value::from(bug.priority.as_str())),
            ("reported_by", Value::from(&bug.reported_by)),
            ("reported_by_user_id", Value::from(&bug.reported_by_user_id)),
            ("full_json", Value::from(&bug.full_json)),
            ("created_ts", Value::from(bug.created_ts)),
            ("sync_state", Value::from(bug.sync_state.as_str())),
            ("sync_attempts", Value::from(0_i32)),
            ("next_sync_ts", Value::from(bug.next_sync_ts)),
        ];
        self.exec(sql::insert("bugs", row)).await?;
        self.last_insert_id().await
    }

    async fn get_bug(&mut self, bug_id: i64) -> R<Option<BugRecord>> {
        let stmt = Stmt::new(format!("SELECT {BUG_COLUMNS} FROM bugs WHERE bug_id = ?")).bind(bug_id);
        self.first::<BugDb>(stmt).await?.map(BugDb::into_record).transpose()
    }

    async fn list_bugs(&mut self, query: &BugQuery) -> R<Vec<BugRecord>> {
        let mut stmt = Stmt::new(format!("SELECT {BUG_COLUMNS} FROM bugs WHERE 1 = 1"));
        if let Some(reporter) = &query.reporter {
            stmt.sql(" AND reported_by_user_id = ?").arg(reporter);
        }
        if query.open_only {
            stmt.sql(" AND status <> 'Closed'");
        }
        stmt.sql(" ORDER BY created_ts DESC, bug_id DESC LIMIT ?").arg(query.limit.max(0));
        self.load::<BugDb>(stmt).await?.into_iter().map(BugDb::into_record).collect()
    }

    async fn due_bugs(&mut self, now: Timestamp, limit: i64) -> R<Vec<BugRecord>> {
        let stmt = Stmt::new(format!(
            "SELECT {BUG_COLUMNS} FROM bugs WHERE sync_state = 'pending' AND next_sync_ts <= ? \
             ORDER BY next_sync_ts, bug_id LIMIT ?"
        ))
        .bind(now)
        .bind(limit.max(0));
        self.load::<BugDb>(stmt).await?.into_iter().map(BugDb::into_record).collect()
    }

    async fn claim_bug_sync(
        &mut self,
        bug_id: i64,
        seen_attempts: i32,
        retry_at: Timestamp,
        note: &str,
    ) -> R<bool> {
        let stmt = Stmt::new(
            "UPDATE bugs SET sync_attempts = sync_attempts + 1, next_sync_ts = ?, last_sync_error = ? \
             WHERE bug_id = ? AND sync_state = 'pending' AND sync_attempts = ?",
        )
        .bind(retry_at)
        .bind(clip(note, MAX_SYNC_ERROR))
        .bind(bug_id)
        .bind(seen_attempts);
        Ok(self.exec(stmt).await? == 1)
    }

    async fn mark_bug_synced(&mut self, bug_id: i64, task_id: &str) -> R<bool> {
        let stmt = Stmt::new(
            "UPDATE bugs SET sync_state = 'synced', tracker_task_id = ?, next_sync_ts = NULL, \
             last_sync_error = NULL WHERE bug_id = ? AND sync_state = 'pending'",
        )
        .bind(task_id)
        .bind(bug_id);
        Ok(self.exec(stmt).await? == 1)
    }

    async fn note_bug_sync_error(&mut self, bug_id: i64, error: &str) -> R<()> {
        let stmt = Stmt::new("UPDATE bugs SET last_sync_error = ? WHERE bug_id = ?")
            .bind(clip(error, MAX_SYNC_ERROR))
            .bind(bug_id);
        self.exec(stmt).await.map(|_| ())
    }
}

#[derive(QueryableByName)]
struct RequestLogDb {
    #[diesel(sql_type = SqlTimestamp)]
    timestamp: NaiveDateTime,
    #[diesel(sql_type = Text)]
    request_id: String,
    #[diesel(sql_type = Nullable<Text>)]
    user_id: Option<String>,
    #[diesel(sql_type = Text)]
    endpoint: String,
    #[diesel(sql_type = Text)]
    method: String,
    #[diesel(sql_type = BigInt)]
    response_status: i64,
    #[diesel(sql_type = BigInt)]
    execution_time_ms: i64,
    #[diesel(sql_type = Nullable<Text>)]
    error_message: Option<String>,
    #[diesel(sql_type = Text)]
    client_ip: String,
    #[diesel(sql_type = Text)]
    source: String,
}

fn request_log_row(r: &RequestLogRecord) -> Row {
    vec![
        ("timestamp", Value::from(r.timestamp)),
        ("request_id", Value::from(&r.request_id)),
        ("user_id", Value::from(&r.user_id)),
        ("endpoint", Value::from(&r.endpoint)),
        ("method", Value::from(&r.method)),
        ("response_status", Value::from(r.response_status)),
        ("execution_time_ms", Value::from(r.execution_time_ms)),
        ("error_message", Value::from(&r.error_message)),
        ("client_ip", Value::from(&r.client_ip)),
        ("source", Value::from(r.source.as_str())),
    ]
}

#[async_trait]
impl RequestLogRepo for Session {
    async fn insert_request_logs(&mut self, rows: &[RequestLogRecord]) -> R<()> {
        self.exec_all(sql::insert_rows("request_logs", rows.iter().map(request_log_row).collect())).await
    }

    async fn recent_request_logs(&mut self, limit: i64) -> R<Vec<RequestLogRecord>> {
        let stmt = Stmt::new(
            "SELECT timestamp, request_id, user_id, endpoint, method, response_status, execution_time_ms, \
             error_message, client_ip, source FROM request_logs ORDER BY id DESC LIMIT ?",
        )
        .bind(limit.max(0));
        self.load::<RequestLogDb>(stmt)
            .await?
            .into_iter()
            .map(|r| {
                Ok(RequestLogRecord {
                    timestamp: ts(r.timestamp),
                    request_id: r.request_id,
                    user_id: r.user_id,
                    endpoint: r.endpoint,
                    method: r.method,
                    response_status: decode::int(r.response_status, "request_logs.response_status")?,
                    execution_time_ms: decode::int(r.execution_time_ms, "request_logs.execution_time_ms")?,
                    error_message: r.error_message,
                    client_ip: r.client_ip,
                    source: LogSource::parse(&r.source)
                        .ok_or_else(|| StoreError::corrupt("request_logs.source: unknown source"))?,
                })
            })
            .collect()
    }
}
