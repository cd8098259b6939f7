//! Connection settings and what the store reports about itself.

use std::time::Duration;

/// Which database engine a store talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Backend {
    /// MySQL 8 or MariaDB 10.11+ through the pure-Rust `mysql_async` driver.
    Mysql,
    /// SQLite (bundled library), one file.
    Sqlite,
}

impl Backend {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Mysql => "mysql",
            Self::Sqlite => "sqlite",
        }
    }
}

/// Pool limits. Every wait is bounded: a pool that cannot hand out a connection in time
/// answers `StoreError::Unavailable`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PoolSettings {
    /// Most connections open at once.
    pub max_size: usize,
    /// Longest wait for a pooled connection (and, on SQLite, for the single writer slot).
    pub acquire_timeout: Duration,
    /// Longest wait for a new MySQL connection to be established and set up. (Opening a
    /// SQLite file is bounded by SQLite's 5 s busy timeout instead.)
    pub connect_timeout: Duration,
}

impl Default for PoolSettings {
    fn default() -> Self {
        Self {
            max_size: 10,
            acquire_timeout: Duration::from_secs(5),
            connect_timeout: Duration::from_secs(5),
        }
    }
}

impl PoolSettings {
    /// Small limits for tests that run many stores side by side.
    pub fn small() -> Self {
        Self { max_size: 3, ..Self::default() }
    }
}

/// A snapshot of the pool, for metrics.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PoolStatus {
    /// Connections currently open (idle and in use).
    pub size: usize,
    /// Idle connections ready to be handed out.
    pub available: usize,
    /// The configured maximum.
    pub max_size: usize,
}
