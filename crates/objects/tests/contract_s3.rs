//! The S3 adapter passes the same object-store contract suite as the local directory, against
//! a real S3 API (moto in CI). Skipped when `SURGICASE_TEST_S3_ENDPOINT` is unset.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod s3_support;

surgicase_testkit::object_store_contract_tests!(s3_support::fresh_store());
