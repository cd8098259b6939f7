//! What a use case touched: the seam the audit trail (domain §16) will record. Each use case
//! that the trail will record returns one of these; until the trail lands nobody stores it.

use serde_json::Value;

/// One auditable action, with ids and field names only — never PHI values.
#[derive(Debug, Clone, PartialEq)]
pub struct Touched {
    /// `case.create`, `user.update`, … (domain §16.2).
    pub action: &'static str,
    pub resource_type: &'static str,
    pub resource_id: Option<String>,
    /// The owner of the data touched.
    pub subject_user_id: Option<String>,
    /// Canonical details: field names, status changes, id lists.
    pub details: Value,
}

impl Touched {
    pub fn new(action: &'static str, resource_type: &'static str, resource_id: impl Into<String>) -> Self {
        Self {
            action,
            resource_type,
            resource_id: Some(resource_id.into()),
            subject_user_id: None,
            details: Value::Object(serde_json::Map::new()),
        }
    }

    pub fn subject(mut self, user_id: impl Into<String>) -> Self {
        self.subject_user_id = Some(user_id.into());
        self
    }

    pub fn details(mut self, details: Value) -> Self {
        self.details = details;
        self
    }
}
