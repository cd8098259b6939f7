//! Secret sources (the `SecretSource` port) and the two secrets the service reads.
//!
//! - [`AwsSecrets`]: AWS Secrets Manager, each secret cached for a TTL; `invalidate` forgets
//!   one so that the next read asks again (credential rotation).
//! - [`EnvSecrets`]: `SURGICASE_SECRET_<NAME>` environment variables or `<dir>/<name>.json`
//!   files (development, containers with mounted secrets).
//! - [`DatabaseSecret`] (`{host, port, database, user, password}` → a MySQL URL) and
//!   [`StorageSecret`] (`{bucket_name, region, folder_prefix, encryption}`).
//!
//! No value ever reaches a log line, an error message or a `Debug` output: errors name the
//! secret and the field only.

mod aws;
mod database;
mod env;
mod storage;

pub use aws::{AwsSecrets, AwsSecretsSettings};
pub use database::DatabaseSecret;
pub use env::EnvSecrets;
pub use storage::StorageSecret;
pub use surgicase_ports::{SecretError, SecretSource, SecretValue};
