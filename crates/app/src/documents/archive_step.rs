//! The archive step of domain §13, one algorithm for case and user documents: each document at
//! the direction's source location is moved; a move done earlier counts as done, a missing
//! object is recorded as `missing`, a refused one leaves the step pending.

use surgicase_kernel::{ArchiveState, DocumentLocation};
use surgicase_ports::records::{CaseDocumentRecord, UserDocumentRecord};

use super::{ArchiveDirection, ArchiveOutcome, KeyOwner, MoveResult};
use crate::App;

/// A stored document row the archive step can move.
pub(crate) trait ArchivedDocument: Clone {
    fn location(&self) -> DocumentLocation;
    fn object_key(&self) -> &str;
    /// The row after its object was found at `key`, in `location`.
    fn placed(&self, key: String, location: DocumentLocation) -> Self;
}

impl ArchivedDocument for CaseDocumentRecord {
    fn location(&self) -> DocumentLocation {
        self.location
    }
    fn object_key(&self) -> &str {
        &self.object_key
    }
    fn placed(&self, object_key: String, location: DocumentLocation) -> Self {
        Self { object_key, location, ..self.clone() }
    }
}

impl ArchivedDocument for UserDocumentRecord {
    fn location(&self) -> DocumentLocation {
        self.location
    }
    fn object_key(&self) -> &str {
        &self.object_key
    }
    fn placed(&self, object_key: String, location: DocumentLocation) -> Self {
        Self { object_key, location, ..self.clone() }
    }
}

impl ArchiveDirection {
    /// `(from, to)` locations.
    fn locations(self) -> (DocumentLocation, DocumentLocation) {
        match self {
            Self::ToDeleted => (DocumentLocation::Live, DocumentLocation::Deleted),
            Self::ToLive => (DocumentLocation::Deleted, DocumentLocation::Live),
        }
    }

    fn done(self) -> ArchiveOutcome {
        match self {
            Self::ToDeleted => ArchiveOutcome::Deleted,
            Self::ToLive => ArchiveOutcome::Restored,
        }
    }
}

/// What one run of the step did.
pub(crate) struct ArchiveRun<D> {
    /// Each document's outcome, in the order given.
    pub outcomes: Vec<ArchiveOutcome>,
    /// The rows whose location or key changed, to store.
    pub changed: Vec<D>,
    pub state: ArchiveState,
}

impl App {
    pub(crate) async fn archive_documents<D: ArchivedDocument>(
        &self,
        owner: KeyOwner<'_>,
        docs: &[D],
        direction: ArchiveDirection,
    ) -> ArchiveRun<D> {
        let (from, to) = direction.locations();
        let mut run = ArchiveRun {
            outcomes: Vec::with_capacity(docs.len()),
            changed: Vec::new(),
            state: ArchiveState::Done,
        };
        for doc in docs {
            let outcome = match doc.location() {
                location if location == from => {
                    match self.move_between(owner, doc.object_key(), direction).await {
                        (key, MoveResult::Moved) => {
                            run.changed.push(doc.placed(key, to));
                            direction.done()
                        }
                        (key, MoveResult::Missing) => {
                            run.changed.push(doc.placed(key, DocumentLocation::Missing));
                            ArchiveOutcome::Missing
                        }
                        (_, MoveResult::Failed) => {
                            run.state = ArchiveState::Pending;
                            ArchiveOutcome::Pending
                        }
                    }
                }
                location if location == to => direction.done(),
                _ => ArchiveOutcome::Missing,
            };
            run.outcomes.push(outcome);
        }
        run
    }
}
