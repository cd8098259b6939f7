//! Object store adapters: local directory (and S3).
