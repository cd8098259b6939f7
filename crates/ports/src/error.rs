//! Errors of the storage port. Adapters translate driver errors into these, keeping the driver's
//! error as the source so a log can show the whole chain ([`Chain`]).

use std::fmt;

/// Any error, as a cause kept behind another one.
pub type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// What went wrong in the database, as far as a use case needs to know.
///
/// Messages name keys, constraints and columns, never stored values. `Duplicate` and
/// `Reference` carry no source: the driver's text of those quotes the values.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database cannot be reached, or no pooled connection came within the acquire timeout.
    #[error("database unavailable: {message}")]
    Unavailable {
        message: String,
        #[source]
        source: Option<BoxError>,
    },
    /// A unique key was violated; the text names the constraint or key.
    #[error("unique key violated: {0}")]
    Duplicate(String),
    /// A foreign key was violated; the text names the constraint or key.
    #[error("reference violated: {0}")]
    Reference(String),
    /// The transaction was chosen as a deadlock victim or lost a write conflict (MySQL 1213,
    /// Galera's certification failure) and was rolled back: running it again may succeed.
    #[error("transaction aborted by a conflict: {message}")]
    Deadlock {
        message: String,
        #[source]
        source: Option<BoxError>,
    },
    /// A stored value does not satisfy the domain's rules (e.g. a status outside 0–999).
    #[error("stored data is invalid: {message}")]
    Corrupt {
        message: String,
        #[source]
        source: Option<BoxError>,
    },
    /// The database refused the schema (unknown migration, wrong version).
    #[error("schema: {message}")]
    Schema {
        message: String,
        #[source]
        source: Option<BoxError>,
    },
    /// Anything else the driver reported.
    #[error("database error: {message}")]
    Backend {
        message: String,
        #[source]
        source: Option<BoxError>,
    },
}

impl StoreError {
    pub fn unavailable(message: impl Into<String>) -> Self {
        Self::Unavailable { message: message.into(), source: None }
    }

    pub fn corrupt(message: impl Into<String>) -> Self {
        Self::Corrupt { message: message.into(), source: None }
    }

    pub fn schema(message: impl Into<String>) -> Self {
        Self::Schema { message: message.into(), source: None }
    }

    pub fn backend(message: impl Into<String>) -> Self {
        Self::Backend { message: message.into(), source: None }
    }

    /// The same error with `cause` as its source. `Duplicate` and `Reference` stay without
    /// one (their driver text quotes stored values).
    pub fn caused_by(mut self, cause: impl Into<BoxError>) -> Self {
        match &mut self {
            Self::Unavailable { source, .. }
            | Self::Deadlock { source, .. }
            | Self::Corrupt { source, .. }
            | Self::Schema { source, .. }
            | Self::Backend { source, .. } => *source = Some(cause.into()),
            Self::Duplicate(_) | Self::Reference(_) => {}
        }
        self
    }

    pub fn is_unavailable(&self) -> bool {
        matches!(self, Self::Unavailable { .. })
    }

    /// Whether running the whole transaction again may succeed (a deadlock victim, a lost
    /// write conflict). Not for `Unavailable`: that one waits for the database, not for a retry.
    pub fn is_retryable(&self) -> bool {
        matches!(self, Self::Deadlock { .. })
    }
}

/// An error and its sources, joined with ": " — what a log line shows. Never for a client.
#[derive(Clone, Copy)]
pub struct Chain<'a>(pub &'a (dyn std::error::Error + 'static));

impl fmt::Display for Chain<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)?;
        let mut next = self.0.source();
        while let Some(cause) = next {
            write!(f, ": {cause}")?;
            next = cause.source();
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_chain_lists_every_cause() {
        let io = std::io::Error::other("connection reset by peer");
        let err = StoreError::unavailable("cannot get a database connection").caused_by(io);
        assert_eq!(
            Chain(&err).to_string(),
            "database unavailable: cannot get a database connection: connection reset by peer"
        );
        assert_eq!(err.to_string(), "database unavailable: cannot get a database connection");
    }

    #[test]
    fn duplicates_and_references_keep_no_source() {
        let io = std::io::Error::other("Duplicate entry 'Mary' for key 'x'");
        let err = StoreError::Duplicate("x".into()).caused_by(io);
        assert!(std::error::Error::source(&err).is_none());
        assert_eq!(Chain(&err).to_string(), "unique key violated: x");
    }

    #[test]
    fn only_conflicts_are_retryable() {
        let conflict = StoreError::Deadlock { message: "deadlock".into(), source: None };
        assert!(conflict.is_retryable());
        for other in
            [StoreError::unavailable("x"), StoreError::backend("x"), StoreError::Duplicate("k".into())]
        {
            assert!(!other.is_retryable(), "{other}");
        }
    }
}
