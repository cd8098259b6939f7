//! Object store adapters (the `ObjectStore` port):
//!
//! - [`LocalObjectStore`]: a directory on the service's disk (embedded default, tests).
//!
//! An S3 adapter will sit beside it as `s3`.

pub mod local;

pub use local::LocalObjectStore;
