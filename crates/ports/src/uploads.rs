//! Document uploads and the bookkeeping of the document archive (domain §3.5, §13, §14.3).
//!
//! - `document_uploads`: pending direct or presigned uploads, moved through their states with
//!   conditional updates so that two confirmations of one upload cannot both succeed.
//! - `document_moves`: object moves decided inside a transaction (a replaced or removed
//!   document goes to the deleted prefix) and carried out after the commit; a row stays until
//!   its move is done, so a move the object store refused is finished later.
//! - The cases and users whose documents still have to follow a delete or a restore.

use std::fmt;

use async_trait::async_trait;
use surgicase_kernel::{CaseId, Timestamp, UserId};

use crate::error::StoreError;

type R<T> = Result<T, StoreError>;

/// Whose document an upload becomes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum UploadOwner {
    Case,
    User,
}

impl UploadOwner {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Case => "case",
            Self::User => "user",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "case" => Some(Self::Case),
            "user" => Some(Self::User),
            _ => None,
        }
    }
}

/// Where an upload is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum UploadState {
    /// Created; the client has not sent bytes through the service (a presigned PUT may have
    /// happened: the service cannot tell until it looks).
    Pending,
    /// The direct upload route stored the bytes.
    Received,
    /// The document was attached.
    Confirmed,
    /// Past its lifetime without confirmation; its object was removed.
    Expired,
}

impl UploadState {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Received => "received",
            Self::Confirmed => "confirmed",
            Self::Expired => "expired",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "pending" => Some(Self::Pending),
            "received" => Some(Self::Received),
            "confirmed" => Some(Self::Confirmed),
            "expired" => Some(Self::Expired),
            _ => None,
        }
    }
}

impl fmt::Display for UploadState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One row of `document_uploads`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UploadRecord {
    /// A random UUID (36 characters).
    pub upload_id: String,
    pub owner_kind: UploadOwner,
    /// The case, for case documents.
    pub case_id: Option<CaseId>,
    /// The document owner (the case's owner for case documents).
    pub user_id: UserId,
    pub document_type: String,
    pub file_name: String,
    /// Fixed when the upload is created.
    pub object_key: String,
    pub declared_size: i64,
    pub declared_content_type: String,
    /// The user who asked for the upload (only they may send and confirm it).
    pub created_by: UserId,
    pub created_ts: Timestamp,
    pub expires_ts: Timestamp,
    pub state: UploadState,
}

/// One row of `document_moves`: move `source_key` to `target_key` (idempotent).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingMove {
    /// Assigned by the database; ignored on insert.
    pub id: i64,
    pub source_key: String,
    pub target_key: String,
    pub created_ts: Timestamp,
}

#[async_trait]
pub trait UploadRepo: Send {
    /// `StoreError::Duplicate` when the id exists.
    async fn insert_upload(&mut self, upload: &UploadRecord) -> R<()>;
    async fn get_upload(&mut self, upload_id: &str) -> R<Option<UploadRecord>>;
    /// Moves the upload from `from` to `to` in one conditional statement; returns whether the
    /// row was in `from` (so that of two racing transitions exactly one wins).
    async fn transition_upload(&mut self, upload_id: &str, from: UploadState, to: UploadState) -> R<bool>;
    /// Uploads still `pending` or `received` whose `expires_ts` is at or before `now`, oldest
    /// first, at most `limit`.
    async fn expired_uploads(&mut self, now: Timestamp, limit: i64) -> R<Vec<UploadRecord>>;

    /// Queues object moves and returns the ids assigned to them, in the order of `moves` (the
    /// `id` fields given are ignored). Call it in a transaction to queue all or nothing.
    async fn enqueue_moves(&mut self, moves: &[PendingMove]) -> R<Vec<i64>>;
    /// Queued moves, oldest first, at most `limit`.
    async fn pending_moves(&mut self, limit: i64) -> R<Vec<PendingMove>>;
    /// Forgets finished moves.
    async fn remove_moves(&mut self, ids: &[i64]) -> R<()>;

    /// Cases whose `archive_state` is `pending`, by `case_id`, at most `limit`.
    async fn cases_pending_archive(&mut self, limit: i64) -> R<Vec<CaseId>>;
    /// Users whose documents do not match their state yet: an inactive user with a `live`
    /// document, or an active user with a `deleted` one. By `user_id`, at most `limit`.
    async fn users_pending_archive(&mut self, limit: i64) -> R<Vec<UserId>>;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for state in
            [UploadState::Pending, UploadState::Received, UploadState::Confirmed, UploadState::Expired]
        {
            assert_eq!(UploadState::parse(state.as_str()), Some(state));
        }
        for owner in [UploadOwner::Case, UploadOwner::User] {
            assert_eq!(UploadOwner::parse(owner.as_str()), Some(owner));
        }
        assert_eq!(UploadState::parse("done"), None);
        assert_eq!(UploadOwner::parse("Case"), None);
    }
}
