//! `HistoryRepo`: `case_status_history`, append-only.

use async_trait::async_trait;
use chrono::NaiveDateTime;
use diesel::QueryableByName;
use diesel::sql_types::{BigInt, Nullable, Text, Timestamp as SqlTimestamp};
use surgicase_kernel::CaseId;
use surgicase_ports::records::*;
use surgicase_ports::{HistoryRepo, StoreError};

use super::R;
use super::decode::{self, ts};
use crate::session::Session;
use crate::sql::{self, Row};
use crate::stmt::{Stmt, Value};

#[derive(QueryableByName)]
struct HistoryDb {
    #[diesel(sql_type = Text)]
    case_id: String,
    #[diesel(sql_type = Nullable<BigInt>)]
    from_status: Option<i64>,
    #[diesel(sql_type = BigInt)]
    to_status: i64,
    #[diesel(sql_type = SqlTimestamp)]
    changed_ts: NaiveDateTime,
    #[diesel(sql_type = Text)]
    actor_type: String,
    #[diesel(sql_type = Text)]
    actor_id: String,
    #[diesel(sql_type = Text)]
    source: String,
    #[diesel(sql_type = Nullable<Text>)]
    rule_name: Option<String>,
    #[diesel(sql_type = Nullable<BigInt>)]
    rule_set_id: Option<i64>,
    #[diesel(sql_type = Nullable<Text>)]
    reason: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    request_id: Option<String>,
    #[diesel(sql_type = Nullable<BigInt>)]
    job_run_id: Option<i64>,
}

impl HistoryDb {
    fn into_record(self) -> R<HistoryRecord> {
        Ok(HistoryRecord {
            case_id: decode::case_id(&self.case_id, "case_status_history.case_id")?,
            from_status: decode::opt_status(self.from_status, "case_status_history.from_status")?,
            to_status: decode::status(self.to_status, "case_status_history.to_status")?,
            changed_ts: ts(self.changed_ts),
            actor_type: ActorType::parse(&self.actor_type)
                .ok_or_else(|| StoreError::corrupt("case_status_history.actor_type: unknown actor type"))?,
            actor_id: self.actor_id,
            source: ChangeSource::parse(&self.source)
                .ok_or_else(|| StoreError::corrupt("case_status_history.source: unknown source"))?,
            rule_name: self.rule_name,
            rule_set_id: self.rule_set_id,
            reason: self.reason,
            request_id: self.request_id,
            job_run_id: self.job_run_id,
        })
    }
}

fn history_row(h: &HistoryRecord) -> Row {
    vec![
        ("case_id", Value::from(&h.case_id)),
        ("from_status", Value::SmallInt(h.from_status.map(|s| s.code()))),
        ("to_status", Value::from(h.to_status)),
        ("changed_ts", Value::from(h.changed_ts)),
        ("actor_type", Value::from(h.actor_type.as_str())),
        ("actor_id", Value::from(&h.actor_id)),
        ("source", Value::from(h.source.as_str())),
        ("rule_name", Value::from(&h.rule_name)),
        ("rule_set_id", Value::from(h.rule_set_id)),
        ("reason", Value::from(&h.reason)),
        ("request_id", Value::from(&h.request_id)),
        ("job_run_id", Value::from(h.job_run_id)),
    ]
}

#[async_trait]
impl HistoryRepo for Session {
    async fn append_history(&mut self, rows: &[HistoryRecord]) -> R<()> {
        self.exec_all(sql::insert_rows("case_status_history", rows.iter().map(history_row).collect())).await
    }

    async fn case_history(&mut self, id: &CaseId) -> R<Vec<HistoryRecord>> {
        let stmt = Stmt::new(
            "SELECT case_id, from_status, to_status, changed_ts, actor_type, actor_id, source, rule_name, \
             rule_set_id, reason, request_id, job_run_id FROM case_status_history WHERE case_id = ? ORDER BY id",
        )
        .bind(id);
        self.load::<HistoryDb>(stmt).await?.into_iter().map(HistoryDb::into_record).collect()
    }
}
