//! What a profile body does to the user's documents: which types it replaces (with a new name)
//! and which it removes (`""`), compared with what is stored (api.md §3 `documents`).

use surgicase_ports::records::UserDocumentRecord;
use surgicase_users::UserDocumentChange;

/// The document part of a profile update.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct DocumentPlan {
    /// `(index in the body, type, name)` of each document attached under a new name.
    pub replace: Vec<(usize, String, String)>,
    /// Types whose stored document is removed.
    pub remove: Vec<String>,
}

impl DocumentPlan {
    pub(crate) fn new(stored: &[UserDocumentRecord], changes: &[UserDocumentChange]) -> Self {
        let current = |doc_type: &str| {
            stored.iter().find(|d| d.document_type == doc_type).map(|d| d.document_name.as_str())
        };
        let mut plan = DocumentPlan::default();
        for (i, change) in changes.iter().enumerate() {
            match &change.document_name {
                Some(name) if current(&change.document_type) != Some(name.as_str()) => {
                    plan.replace.push((i, change.document_type.clone(), name.clone()));
                }
                None if current(&change.document_type).is_some() => {
                    plan.remove.push(change.document_type.clone())
                }
                _ => {}
            }
        }
        plan
    }

    pub(crate) fn changes_anything(&self) -> bool {
        !self.replace.is_empty() || !self.remove.is_empty()
    }

    /// Whether the stored document of `doc_type` leaves (replaced or removed).
    pub(crate) fn displaces(&self, doc_type: &str) -> bool {
        self.remove.iter().any(|t| t == doc_type) || self.replace.iter().any(|(_, t, _)| t == doc_type)
    }
}
