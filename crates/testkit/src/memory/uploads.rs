//! `document_uploads`, `document_moves`, and the archive look-ups over cases and users.

use std::collections::BTreeMap;

use async_trait::async_trait;
use surgicase_kernel::time::truncate_to_micros;
use surgicase_kernel::{CaseId, Timestamp, UserId};
use surgicase_ports::StoreError;
use surgicase_ports::uploads::{PendingMove, UploadRecord, UploadRepo, UploadState};

use super::{R, Session};
use surgicase_kernel::{ArchiveState, DocumentLocation};

/// The two tables.
#[derive(Debug, Clone)]
pub(super) struct UploadTables {
    uploads: BTreeMap<String, UploadRecord>,
    moves: BTreeMap<i64, PendingMove>,
    next_move: i64,
}

impl Default for UploadTables {
    fn default() -> Self {
        Self { uploads: BTreeMap::new(), moves: BTreeMap::new(), next_move: 1 }
    }
}

#[async_trait]
impl UploadRepo for Session {
    async fn insert_upload(&mut self, upload: &UploadRecord) -> R<()> {
        self.write(|s| {
            let t = &mut s.uploads;
            if t.uploads.contains_key(&upload.upload_id) {
                return Err(StoreError::Duplicate("document_uploads.PRIMARY".into()));
            }
            let mut row = upload.clone();
            row.created_ts = truncate_to_micros(row.created_ts);
            row.expires_ts = truncate_to_micros(row.expires_ts);
            t.uploads.insert(row.upload_id.clone(), row);
            Ok(())
        })
        .await
    }

    async fn get_upload(&mut self, upload_id: &str) -> R<Option<UploadRecord>> {
        Ok(self.read(|s| s.uploads.uploads.get(upload_id).cloned()))
    }

    async fn transition_upload(&mut self, upload_id: &str, from: UploadState, to: UploadState) -> R<bool> {
        self.write(|s| match s.uploads.uploads.get_mut(upload_id) {
            Some(row) if row.state == from => {
                row.state = to;
                Ok(true)
            }
            _ => Ok(false),
        })
        .await
    }

    async fn expired_uploads(&mut self, now: Timestamp, limit: i64) -> R<Vec<UploadRecord>> {
        Ok(self.read(|s| {
            let mut rows: Vec<UploadRecord> = s
                .uploads
                .uploads
                .values()
                .filter(|u| matches!(u.state, UploadState::Pending | UploadState::Received))
                .filter(|u| u.expires_ts <= now)
                .cloned()
                .collect();
            rows.sort_by(|a, b| (a.expires_ts, &a.upload_id).cmp(&(b.expires_ts, &b.upload_id)));
            rows.truncate(usize::try_from(limit).unwrap_or(0));
            rows
        }))
    }

    async fn enqueue_moves(&mut self, moves: &[PendingMove]) -> R<Vec<i64>> {
        self.write(|s| {
            let t = &mut s.uploads;
            let mut ids = Vec::with_capacity(moves.len());
            for m in moves {
                let id = t.next_move;
                t.next_move += 1;
                t.moves.insert(
                    id,
                    PendingMove { id, created_ts: truncate_to_micros(m.created_ts), ..m.clone() },
                );
                ids.push(id);
            }
            Ok(ids)
        })
        .await
    }

    async fn pending_moves(&mut self, limit: i64) -> R<Vec<PendingMove>> {
        let limit = usize::try_from(limit).unwrap_or(0);
        Ok(self.read(|s| s.uploads.moves.values().take(limit).cloned().collect()))
    }

    async fn remove_moves(&mut self, ids: &[i64]) -> R<()> {
        self.write(|s| {
            for id in ids {
                s.uploads.moves.remove(id);
            }
            Ok(())
        })
        .await
    }

    async fn cases_pending_archive(&mut self, limit: i64) -> R<Vec<CaseId>> {
        let limit = usize::try_from(limit).unwrap_or(0);
        Ok(self.read(|s| {
            s.case_ids
                .iter()
                .filter(|(_, n)| {
                    s.cases.get(n).is_some_and(|c| c.row.archive_state == Some(ArchiveState::Pending))
                })
                .map(|(id, _)| id.clone())
                .take(limit)
                .collect()
        }))
    }

    async fn users_pending_archive(&mut self, limit: i64) -> R<Vec<UserId>> {
        let limit = usize::try_from(limit).unwrap_or(0);
        Ok(self.read(|s| {
            let mut out: Vec<UserId> = Vec::new();
            for ((user_id, _), doc) in &s.user_documents {
                let Some(user) = s.users.get(user_id) else { continue };
                let behind = (!user.active && doc.location == DocumentLocation::Live)
                    || (user.active && doc.location == DocumentLocation::Deleted);
                if behind && out.last() != Some(user_id) {
                    out.push(user_id.clone());
                }
            }
            out.truncate(limit);
            out
        }))
    }
}
