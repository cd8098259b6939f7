//! Errors of the storage port. Adapters translate driver errors into these.

/// What went wrong in the database, as far as a use case needs to know.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database cannot be reached, or no pooled connection came within the acquire timeout.
    #[error("database unavailable: {0}")]
    Unavailable(String),
    /// A unique key was violated; the text names the constraint or key.
    #[error("unique key violated: {0}")]
    Duplicate(String),
    /// A foreign key was violated; the text names the constraint or key.
    #[error("reference violated: {0}")]
    Reference(String),
    /// A stored value does not satisfy the domain's rules (e.g. a status outside 0–999).
    #[error("stored data is invalid: {0}")]
    Corrupt(String),
    /// The database refused the schema (unknown migration, wrong version).
    #[error("schema: {0}")]
    Schema(String),
    /// Anything else the driver reported.
    #[error("database error: {0}")]
    Backend(String),
}

impl StoreError {
    pub fn is_unavailable(&self) -> bool {
        matches!(self, Self::Unavailable(_))
    }
}
