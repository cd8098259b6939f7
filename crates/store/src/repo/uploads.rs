//! `UploadRepo`: `document_uploads`, `document_moves`, and the cases and users whose documents
//! still have to follow a delete or a restore.

use async_trait::async_trait;
use chrono::NaiveDateTime;
use diesel::QueryableByName;
use diesel::sql_types::{BigInt, Nullable, Text, Timestamp as SqlTimestamp};
use surgicase_kernel::{CaseId, Timestamp, UserId};
use surgicase_ports::StoreError;
use surgicase_ports::uploads::{PendingMove, UploadOwner, UploadRecord, UploadRepo, UploadState};

use super::R;
use super::decode::{self, ts};
use crate::session::Session;
use crate::sql::{self, Row};
use crate::stmt::{Stmt, Value};

const UPLOAD_COLUMNS: &str = "upload_id, owner_kind, case_id, user_id, document_type, file_name, object_key, \
     declared_size, declared_content_type, created_by, created_ts, expires_ts, state";

#[derive(QueryableByName)]
struct UploadDb {
    #[diesel(sql_type = Text)]
    upload_id: String,
    #[diesel(sql_type = Text)]
    owner_kind: String,
    #[diesel(sql_type = Nullable<Text>)]
    case_id: Option<String>,
    #[diesel(sql_type = Text)]
    user_id: String,
    #[diesel(sql_type = Text)]
    document_type: String,
    #[diesel(sql_type = Text)]
    file_name: String,
    #[diesel(sql_type = Text)]
    object_key: String,
    #[diesel(sql_type = BigInt)]
    declared_size: i64,
    #[diesel(sql_type = Text)]
    declared_content_type: String,
    #[diesel(sql_type = Text)]
    created_by: String,
    #[diesel(sql_type = SqlTimestamp)]
    created_ts: NaiveDateTime,
    #[diesel(sql_type = SqlTimestamp)]
    expires_ts: NaiveDateTime,
    #[diesel(sql_type = Text)]
    state: String,
}

impl UploadDb {
    fn into_record(self) -> R<UploadRecord> {
        Ok(UploadRecord {
            owner_kind: UploadOwner::parse(&self.owner_kind)
                .ok_or_else(|| StoreError::corrupt("document_uploads.owner_kind: unknown kind"))?,
            case_id: self.case_id.map(|c| decode::case_id(&c, "document_uploads.case_id")).transpose()?,
            user_id: decode::user_id(&self.user_id, "document_uploads.user_id")?,
            created_by: decode::user_id(&self.created_by, "document_uploads.created_by")?,
            state: UploadState::parse(&self.state)
                .ok_or_else(|| StoreError::corrupt("document_uploads.state: unknown state"))?,
            upload_id: self.upload_id,
            document_type: self.document_type,
            file_name: self.file_name,
            object_key: self.object_key,
            declared_size: self.declared_size,
            declared_content_type: self.declared_content_type,
            created_ts: ts(self.created_ts),
            expires_ts: ts(self.expires_ts),
        })
    }
}

fn upload_row(u: &UploadRecord) -> Row {
    vec![
        ("upload_id", Value::from(&u.upload_id)),
        ("owner_kind", Value::from(u.owner_kind.as_str())),
        ("case_id", Value::from(u.case_id.as_ref().map(|c| c.as_str()))),
        ("user_id", Value::from(&u.user_id)),
        ("document_type", Value::from(&u.document_type)),
        ("file_name", Value::from(&u.file_name)),
        ("object_key", Value::from(&u.object_key)),
        ("declared_size", Value::from(u.declared_size)),
        ("declared_content_type", Value::from(&u.declared_content_type)),
        ("created_by", Value::from(&u.created_by)),
        ("created_ts", Value::from(u.created_ts)),
        ("expires_ts", Value::from(u.expires_ts)),
        ("state", Value::from(u.state.as_str())),
    ]
}

#[derive(QueryableByName)]
struct MoveDb {
    #[diesel(sql_type = BigInt)]
    id: i64,
    #[diesel(sql_type = Text)]
    source_key: String,
    #[diesel(sql_type = Text)]
    target_key: String,
    #[diesel(sql_type = SqlTimestamp)]
    created_ts: NaiveDateTime,
}

#[derive(QueryableByName)]
struct MoveIdDb {
    #[diesel(sql_type = BigInt)]
    id: i64,
}

#[derive(QueryableByName)]
struct IdDb {
    #[diesel(sql_type = Text)]
    id: String,
}

#[async_trait]
impl UploadRepo for Session {
    async fn insert_upload(&mut self, upload: &UploadRecord) -> R<()> {
        self.exec(sql::insert("document_uploads", upload_row(upload))).await.map(|_| ())
    }

    async fn get_upload(&mut self, upload_id: &str) -> R<Option<UploadRecord>> {
        let stmt = Stmt::new(format!("SELECT {UPLOAD_COLUMNS} FROM document_uploads WHERE upload_id = ?"))
            .bind(upload_id);
        self.first::<UploadDb>(stmt).await?.map(UploadDb::into_record).transpose()
    }

    async fn transition_upload(&mut self, upload_id: &str, from: UploadState, to: UploadState) -> R<bool> {
        let stmt = Stmt::new("UPDATE document_uploads SET state = ? WHERE upload_id = ? AND state = ?")
            .bind(to.as_str())
            .bind(upload_id)
            .bind(from.as_str());
        Ok(self.exec(stmt).await? == 1)
    }

    async fn expired_uploads(&mut self, now: Timestamp, limit: i64) -> R<Vec<UploadRecord>> {
        let stmt = Stmt::new(format!(
            "SELECT {UPLOAD_COLUMNS} FROM document_uploads WHERE state IN ('pending', 'received') \
             AND expires_ts <= ? ORDER BY expires_ts, upload_id LIMIT ?"
        ))
        .bind(now)
        .bind(limit);
        self.load::<UploadDb>(stmt).await?.into_iter().map(UploadDb::into_record).collect()
    }

    async fn enqueue_moves(&mut self, moves: &[PendingMove]) -> R<Vec<i64>> {
        // One insert per row: the id each row got is read back right after it (a multi-row
        // insert gives no per-row ids on MySQL, whose interleaved auto-increment mode may not
        // assign consecutive ones).
        let mut ids = Vec::with_capacity(moves.len());
        for m in moves {
            let row: Row = vec![
                ("source_key", Value::from(&m.source_key)),
                ("target_key", Value::from(&m.target_key)),
                ("created_ts", Value::from(m.created_ts)),
            ];
            self.exec(sql::insert("document_moves", row)).await?;
            let stmt = Stmt::new(self.dialect().last_insert_id());
            let id = self
                .first::<MoveIdDb>(stmt)
                .await?
                .map(|r| r.id)
                .ok_or_else(|| StoreError::backend("no insert id"))?;
            ids.push(id);
        }
        Ok(ids)
    }

    async fn pending_moves(&mut self, limit: i64) -> R<Vec<PendingMove>> {
        let stmt = Stmt::new(
            "SELECT id, source_key, target_key, created_ts FROM document_moves ORDER BY id LIMIT ?",
        )
        .bind(limit);
        Ok(self
            .load::<MoveDb>(stmt)
            .await?
            .into_iter()
            .map(|m| PendingMove {
                id: m.id,
                source_key: m.source_key,
                target_key: m.target_key,
                created_ts: ts(m.created_ts),
            })
            .collect())
    }

    async fn remove_moves(&mut self, ids: &[i64]) -> R<()> {
        if ids.is_empty() {
            return Ok(());
        }
        let mut stmt = Stmt::new("DELETE FROM document_moves WHERE id IN ");
        stmt.in_list(ids.iter().copied());
        self.exec(stmt).await.map(|_| ())
    }

    async fn cases_pending_archive(&mut self, limit: i64) -> R<Vec<CaseId>> {
        let stmt = Stmt::new(
            "SELECT case_id AS id FROM cases WHERE archive_state = 'pending' ORDER BY case_id LIMIT ?",
        )
        .bind(limit);
        self.load::<IdDb>(stmt).await?.iter().map(|r| decode::case_id(&r.id, "cases.case_id")).collect()
    }

    async fn users_pending_archive(&mut self, limit: i64) -> R<Vec<UserId>> {
        let stmt = Stmt::new(
            "SELECT DISTINCT d.user_id AS id FROM user_documents d JOIN user_profile u ON u.user_id = d.user_id \
             WHERE (u.active = 0 AND d.location = 'live') OR (u.active = 1 AND d.location = 'deleted') \
             ORDER BY d.user_id LIMIT ?",
        )
        .bind(limit);
        self.load::<IdDb>(stmt)
            .await?
            .iter()
            .map(|r| decode::user_id(&r.id, "user_documents.user_id"))
            .collect()
    }
}
