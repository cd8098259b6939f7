//! The database adapter: one body of diesel-async code over MySQL/MariaDB and SQLite.
//!
//! - [`DbStore`] implements the storage port ([`surgicase_ports::Store`]) on a deadpool pool of
//!   `AsyncMysqlConnection`s (pure Rust) or `SyncConnectionWrapper<SqliteConnection>`s
//!   (bundled SQLite). Queries are written once as SQL with `?` placeholders and run on either
//!   engine; the dialects differ only in upserts, locking reads, case-insensitive ordering and
//!   the last insert id.
//! - Migrations are embedded (`migrations/mysql`, `migrations/sqlite`) and applied by
//!   [`DbStore::migrate`], which refuses a database carrying an unknown migration.
//! - Patient columns pass through one codec ([`PhiKeys`] holds its keys); today it stores clear
//!   text and a keyed blind index of the patient name.
//! - Every statement is counted ([`DbStore::statements_executed`]) and traced without its bind
//!   values.
//! - Tests prepare every statement against a migrated database of each backend (`check`,
//!   feature `testing`), so a misspelt column fails before a query runs.

mod credentials;
mod error;
mod instrument;
mod migrate;
mod phi;
mod pool;
mod repo;
mod session;
mod settings;
mod sql;
mod stmt;
mod store;

#[cfg(any(test, feature = "testing"))]
pub mod check;
#[cfg(any(test, feature = "testing"))]
pub mod testing;

pub use credentials::{Credentials, CredentialsProvider};
pub use migrate::MigrationReport;
pub use phi::PhiKeys;
pub use pool::WAIT_HISTOGRAM as POOL_WAIT_HISTOGRAM;
pub use settings::{Backend, PoolSettings, PoolStatus};
pub use store::DbStore;
