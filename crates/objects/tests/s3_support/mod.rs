//! A fresh key prefix in the test bucket of the S3 endpoint named by
//! `SURGICASE_TEST_S3_ENDPOINT` (moto: `http://127.0.0.1:5000`), or `None` to skip
//! (a failure under `SURGICASE_TEST_REQUIRE_ALL=1`: see `surgicase_testkit::env`).
#![allow(dead_code)]

use std::sync::Arc;
use std::time::Duration;

use surgicase_objects::{Encryption, S3ObjectStore, S3Settings, StaticCredentials};
use surgicase_ports::ObjectStore;

pub const BUCKET: &str = "surgicase-test";

pub fn endpoint() -> Option<String> {
    surgicase_testkit::env::s3_endpoint()
}

pub fn credentials() -> StaticCredentials {
    // moto does not check credentials; the SDK still signs with something.
    StaticCredentials { access_key_id: "test".into(), secret_access_key: "test".into() }
}

pub fn settings(endpoint: &str, prefix: &str, encryption: Encryption) -> S3Settings {
    S3Settings {
        bucket: BUCKET.to_owned(),
        prefix: prefix.to_owned(),
        region: Some("us-east-1".to_owned()),
        endpoint: Some(endpoint.to_owned()),
        force_path_style: true,
        encryption,
        operation_timeout: Duration::from_secs(20),
        connect_timeout: Duration::from_secs(2),
        max_attempts: 2,
    }
}

/// A store on a fresh random prefix of the test bucket, with that prefix.
pub async fn store_with(encryption: Encryption) -> Option<(S3ObjectStore, String)> {
    let endpoint = endpoint()?;
    let prefix = format!("t-{}/", uuid::Uuid::new_v4());
    let store = S3ObjectStore::connect(&settings(&endpoint, &prefix, encryption), Some(credentials()))
        .await
        .expect("client");
    store.create_bucket_if_missing().await.expect("bucket");
    Some((store, prefix))
}

pub async fn fresh_store() -> Option<Arc<dyn ObjectStore>> {
    store_with(Encryption::Aes256).await.map(|(s, _)| Arc::new(s) as Arc<dyn ObjectStore>)
}

/// A raw SDK client on the same endpoint (to look at what the adapter wrote).
pub async fn raw_client() -> Option<aws_sdk_s3::Client> {
    let endpoint = endpoint()?;
    let creds = aws_sdk_s3::config::Credentials::new("test", "test", None, None, "test");
    let config = aws_sdk_s3::Config::builder()
        .behavior_version(aws_sdk_s3::config::BehaviorVersion::latest())
        .region(aws_sdk_s3::config::Region::new("us-east-1"))
        .credentials_provider(creds)
        .endpoint_url(endpoint)
        .force_path_style(true)
        .build();
    Some(aws_sdk_s3::Client::from_conf(config))
}
