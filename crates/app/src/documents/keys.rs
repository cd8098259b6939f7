//! Which stored keys an operation may touch (domain §14.1): every read and every move of a
//! document object goes through here, so a record pointing at someone else's object reaches
//! nothing.

use surgicase_cases::{DocumentKeys, DocumentName, KeyArea};
use surgicase_kernel::{Timestamp, UserId};
use surgicase_ports::Chain;
use surgicase_ports::{MoveOutcome, ObjectKey, PendingMove};

use super::MoveResult;
use crate::{App, DocumentSettings};

/// Whose area a stored key must lie in.
#[derive(Debug, Clone, Copy)]
pub(crate) enum KeyOwner<'a> {
    /// A case document: the case areas (its key is kept when the case changes owner).
    Case,
    /// A user document: that user's own folders.
    User(&'a UserId),
}

/// Which way documents move.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ArchiveDirection {
    ToDeleted,
    ToLive,
}

impl DocumentSettings {
    pub fn keys(&self) -> DocumentKeys<'_> {
        DocumentKeys {
            case_prefix: &self.case_prefix,
            deleted_case_prefix: &self.deleted_case_prefix,
            user_prefix: &self.user_prefix,
            deleted_user_prefix: &self.deleted_user_prefix,
        }
    }

    /// `(from, to)` prefixes of a move.
    fn prefixes(&self, owner: KeyOwner<'_>, direction: ArchiveDirection) -> (&str, &str) {
        let (live, deleted) = match owner {
            KeyOwner::Case => (&self.case_prefix, &self.deleted_case_prefix),
            KeyOwner::User(_) => (&self.user_prefix, &self.deleted_user_prefix),
        };
        match direction {
            ArchiveDirection::ToDeleted => (live, deleted),
            ArchiveDirection::ToLive => (deleted, live),
        }
    }
}

impl App {
    pub(crate) fn document_keys(&self) -> DocumentKeys<'_> {
        self.settings.documents.keys()
    }

    /// The area of `key` for `owner`; `None` when the key is not the owner's.
    fn key_area(&self, owner: KeyOwner<'_>, key: &str) -> Option<KeyArea> {
        let keys = self.document_keys();
        match owner {
            KeyOwner::Case => keys.case_area(key),
            KeyOwner::User(user) => keys.user_area(user, key),
        }
    }

    /// The live object a stored key names, when it is the owner's.
    pub(crate) fn live_key(&self, owner: KeyOwner<'_>, key: &str) -> Option<ObjectKey> {
        (self.key_area(owner, key) == Some(KeyArea::Live)).then(|| ObjectKey::parse(key).ok()).flatten()
    }

    /// The key of a case document attached by name (legacy flow), when the stored name is a
    /// valid file name.
    pub(crate) fn legacy_case_key(&self, owner: &UserId, name: &str) -> Option<ObjectKey> {
        let name = DocumentName::parse(name).ok()?;
        ObjectKey::parse(&self.document_keys().case_named(owner, &name)).ok()
    }

    /// Where `key` goes in `direction`, when it is the owner's and in the area it leaves.
    fn target(
        &self,
        owner: KeyOwner<'_>,
        key: &str,
        direction: ArchiveDirection,
    ) -> Option<(ObjectKey, ObjectKey)> {
        let expected = match direction {
            ArchiveDirection::ToDeleted => KeyArea::Live,
            ArchiveDirection::ToLive => KeyArea::Deleted,
        };
        if self.key_area(owner, key) != Some(expected) {
            return None;
        }
        let (from, to) = self.settings.documents.prefixes(owner, direction);
        let target = DocumentKeys::moved(key, from, to)?;
        Some((ObjectKey::parse(key).ok()?, ObjectKey::parse(&target).ok()?))
    }

    /// The queued archive of a replaced or removed object, unless it is the new object itself
    /// or not the owner's.
    pub(crate) fn archive_move(
        &self,
        owner: KeyOwner<'_>,
        key: &str,
        keep: Option<&str>,
        now: Timestamp,
    ) -> Option<PendingMove> {
        if keep == Some(key) {
            return None;
        }
        let (source, target) = self.target(owner, key, ArchiveDirection::ToDeleted)?;
        Some(PendingMove {
            id: 0,
            source_key: source.to_string(),
            target_key: target.to_string(),
            created_ts: now,
        })
    }

    /// Moves one object of `owner` in `direction`; safe to retry. A key outside the owner's
    /// area is never moved and counts as missing.
    pub(crate) async fn move_between(
        &self,
        owner: KeyOwner<'_>,
        key: &str,
        direction: ArchiveDirection,
    ) -> (String, MoveResult) {
        let Some((source, target)) = self.target(owner, key, direction) else {
            return (key.to_owned(), MoveResult::Missing);
        };
        match self.objects.move_object(&source, &target).await {
            Ok(MoveOutcome::Moved | MoveOutcome::AlreadyMoved) => (target.to_string(), MoveResult::Moved),
            Ok(MoveOutcome::Missing) => (key.to_owned(), MoveResult::Missing),
            Err(error) => {
                tracing::warn!(error = %Chain(&error), "document move deferred");
                (key.to_owned(), MoveResult::Failed)
            }
        }
    }
}
