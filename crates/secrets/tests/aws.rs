//! Secrets Manager against a real API (moto in CI; `SURGICASE_TEST_S3_ENDPOINT` names it, the
//! same server serves both). Skipped when unset (a failure under `SURGICASE_TEST_REQUIRE_ALL=1`),
//! except the unreachable-endpoint test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::time::{Duration, Instant};

use serde_json::json;
use surgicase_secrets::{AwsSecrets, AwsSecretsSettings, DatabaseSecret, SecretError, SecretSource};

fn endpoint() -> Option<String> {
    surgicase_testkit::env::s3_endpoint()
}

fn settings(endpoint: &str, ttl: Duration) -> AwsSecretsSettings {
    AwsSecretsSettings {
        region: Some("us-east-1".into()),
        endpoint: Some(endpoint.to_owned()),
        ttl,
        timeout: Duration::from_secs(5),
        static_credentials: Some(("test".into(), "test".into())),
    }
}

async fn put_secret(source: &AwsSecrets, name: &str, value: &serde_json::Value) {
    let client = source.client();
    let created = client.create_secret().name(name).secret_string(value.to_string()).send().await;
    if created.is_err() {
        client.put_secret_value().secret_id(name).secret_string(value.to_string()).send().await.unwrap();
    }
}

#[tokio::test]
async fn reads_caches_invalidates_and_expires() {
    let Some(endpoint) = endpoint() else { return };
    let source = AwsSecrets::connect(&settings(&endpoint, Duration::from_millis(400))).await;
    let name = format!("test/db-{}", uuid::Uuid::new_v4());
    let v1 = json!({"host": "127.0.0.1", "port": 3306, "database": "d", "user": "app", "password": "first"});
    put_secret(&source, &name, &v1).await;
    let got = source.get_json(&name).await.unwrap();
    assert_eq!(got.expose(), &v1);
    assert_eq!(
        DatabaseSecret::from_value(&name, &got).unwrap().mysql_url(),
        "mysql://app:first@127.0.0.1:3306/d".into()
    );

    // Rotated: the cache still answers the old value until invalidated or expired.
    let v2 = json!({"host": "127.0.0.1", "port": 3306, "database": "d", "user": "app", "password": "second"});
    put_secret(&source, &name, &v2).await;
    assert_eq!(source.get_json(&name).await.unwrap().expose(), &v1);
    source.invalidate(&name);
    assert_eq!(source.get_json(&name).await.unwrap().expose(), &v2);

    let v3 = json!({"host": "h", "database": "d", "user": "app", "password": "third"});
    put_secret(&source, &name, &v3).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(source.get_json(&name).await.unwrap().expose(), &v3);
    assert_eq!(source.kind(), "aws");
}

#[tokio::test]
async fn missing_and_malformed_secrets_name_no_value() {
    let Some(endpoint) = endpoint() else { return };
    let source = AwsSecrets::connect(&settings(&endpoint, Duration::from_secs(60))).await;
    let missing = format!("test/none-{}", uuid::Uuid::new_v4());
    assert_eq!(source.get_json(&missing).await.unwrap_err(), SecretError::NotFound(missing.clone()));
    let name = format!("test/bad-{}", uuid::Uuid::new_v4());
    source
        .client()
        .create_secret()
        .name(&name)
        .secret_string("{\"password\": \"hunter2\"")
        .send()
        .await
        .unwrap();
    let err = source.get_json(&name).await.unwrap_err();
    assert!(matches!(err, SecretError::Invalid { .. }), "{err:?}");
    assert!(!err.to_string().contains("hunter2") && !format!("{err:?}").contains("hunter2"), "{err:?}");
    let value = json!({"password": "hunter2"});
    put_secret(&source, &name, &value).await;
    source.invalidate(&name);
    let got = source.get_json(&name).await.unwrap();
    assert!(!format!("{got:?}").contains("hunter2"));
    let err = DatabaseSecret::from_value(&name, &got).unwrap_err();
    assert!(!err.to_string().contains("hunter2"), "{err}");
}

#[tokio::test]
async fn an_unreachable_endpoint_is_unavailable_quickly() {
    let mut s = settings("http://127.0.0.1:9", Duration::from_secs(60));
    s.timeout = Duration::from_secs(3);
    let source = AwsSecrets::connect(&s).await;
    let started = Instant::now();
    let err = source.get_json("prod/db").await.unwrap_err();
    assert!(matches!(err, SecretError::Unavailable(_)), "{err:?}");
    assert!(started.elapsed() < Duration::from_secs(10));
}
