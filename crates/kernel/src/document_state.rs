//! Where a stored document's object is, and how far a case's or user's document moves got.

crate::named_enum! {
    /// Where the object of a `case_documents` / `user_documents` row is.
    pub enum DocumentLocation {
        /// Under the owner's live prefix: downloadable.
        Live = "live",
        /// Moved under the deleted prefix (the case or user was deleted, or the document
        /// replaced or removed).
        Deleted = "deleted",
        /// The object was not found when it was to be moved.
        Missing = "missing",
    }
}

crate::named_enum! {
    /// How far the document moves after a delete or restore got (`cases.archive_state`,
    /// the user delete answer).
    pub enum ArchiveState {
        /// Some moves are still queued; the `document_archive` job finishes them.
        Pending = "pending",
        /// Every object is where the row says.
        Done = "done",
    }
}

impl DocumentLocation {
    pub fn is_live(self) -> bool {
        self == Self::Live
    }
}

impl ArchiveState {
    /// `Done` when nothing is left to move.
    pub fn from_pending(pending: bool) -> Self {
        if pending { Self::Pending } else { Self::Done }
    }

    pub fn is_done(self) -> bool {
        self == Self::Done
    }

    /// The state of two steps together: pending when either is.
    pub fn and(self, other: Self) -> Self {
        Self::from_pending(!self.is_done() || !other.is_done())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_round_trip() {
        for location in DocumentLocation::ALL {
            assert_eq!(DocumentLocation::parse(location.as_str()), Some(*location));
        }
        for state in ArchiveState::ALL {
            assert_eq!(ArchiveState::parse(&state.to_string()), Some(*state));
        }
        assert_eq!(DocumentLocation::parse("Live"), None);
        assert_eq!(ArchiveState::from_pending(true), ArchiveState::Pending);
        assert!(ArchiveState::from_pending(false).is_done());
        use ArchiveState::{Done, Pending};
        for (a, b, both) in [
            (Done, Done, Done),
            (Done, Pending, Pending),
            (Pending, Done, Pending),
            (Pending, Pending, Pending),
        ] {
            assert_eq!(a.and(b), both, "{a} {b}");
        }
    }
}
