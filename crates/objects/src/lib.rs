//! Object store adapters (the `ObjectStore` port):
//!
//! - [`LocalObjectStore`]: a directory on the service's disk (embedded default, tests).
//! - [`S3ObjectStore`]: an S3 bucket (AWS or an S3-compatible store such as moto), with
//!   server-side encryption on every write and presigned client uploads and downloads.

pub mod local;
pub mod s3;

pub use local::LocalObjectStore;
pub use s3::{Encryption, S3ObjectStore, S3Settings, StaticCredentials};
