//! What the S3 adapter promises beyond the contract suite: encryption and metadata on every
//! write, presigned PUT and GET that a plain HTTP client can use, unreachable stores reported as
//! `Unavailable` within the timeout. Needs `SURGICASE_TEST_S3_ENDPOINT` (skipped otherwise),
//! except the unreachable-store test, which needs nothing.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod s3_support;

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use aws_sdk_s3::types::ServerSideEncryption;
use s3_support::{BUCKET, raw_client, store_with};
use surgicase_objects::{Encryption, S3ObjectStore, S3Settings};
use surgicase_ports::{ObjectError, ObjectKey, ObjectMeta, ObjectStore, TransferMode};

fn key(raw: &str) -> ObjectKey {
    ObjectKey::parse(raw).unwrap()
}

fn meta(pairs: &[(&str, &str)]) -> ObjectMeta {
    ObjectMeta {
        content_type: "application/pdf".to_owned(),
        metadata: pairs.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect::<BTreeMap<_, _>>(),
    }
}

#[tokio::test]
async fn writes_and_moves_are_encrypted_with_aes256() {
    let Some((store, prefix)) = store_with(Encryption::Aes256).await else { return };
    let client = raw_client().await.unwrap();
    let k = key("private/case-documents/u/c/demo_file/scan.pdf");
    store.put(&k, b"%PDF-1.4".to_vec(), &meta(&[("case-id", "c"), ("sha256", "ab")])).await.unwrap();
    let head =
        client.head_object().bucket(BUCKET).key(format!("{prefix}{}", k.as_str())).send().await.unwrap();
    assert_eq!(head.server_side_encryption(), Some(&ServerSideEncryption::Aes256));
    assert_eq!(head.metadata().and_then(|m| m.get("case-id")).map(String::as_str), Some("c"));
    assert_eq!(head.content_type(), Some("application/pdf"));

    let to = key("private/deleted-case-documents/u/c/demo_file/scan.pdf");
    store.move_object(&k, &to).await.unwrap();
    let head =
        client.head_object().bucket(BUCKET).key(format!("{prefix}{}", to.as_str())).send().await.unwrap();
    assert_eq!(head.server_side_encryption(), Some(&ServerSideEncryption::Aes256));
    assert_eq!(head.metadata().and_then(|m| m.get("sha256")).map(String::as_str), Some("ab"));
}

#[tokio::test]
async fn kms_encryption_names_the_key() {
    let Some((store, prefix)) =
        store_with(Encryption::Kms { key_id: Some("alias/surgicase-test".into()) }).await
    else {
        return;
    };
    let client = raw_client().await.unwrap();
    let k = key("private/user-documents/u/W9/w9.pdf");
    store.put(&k, b"%PDF-".to_vec(), &meta(&[])).await.unwrap();
    let head =
        client.head_object().bucket(BUCKET).key(format!("{prefix}{}", k.as_str())).send().await.unwrap();
    assert_eq!(head.server_side_encryption(), Some(&ServerSideEncryption::AwsKms));
    assert_eq!(head.ssekms_key_id(), Some("alias/surgicase-test"));
}

#[tokio::test]
async fn presigned_put_and_get_work_for_a_plain_http_client() {
    let Some((store, _)) = store_with(Encryption::Aes256).await else { return };
    assert_eq!(store.transfer_mode(), TransferMode::Presigned);
    let k = key("private/case-documents/u-jane/c-1/demo_file/face sheet (1).pdf");
    let m = meta(&[("uploaded-by", "u-jane"), ("case-id", "c-1")]);
    let put = store.presign_put(&k, &m, Duration::from_secs(900)).await.unwrap();
    assert_eq!(put.method, "PUT");
    assert_eq!(put.headers.get("Content-Type").map(String::as_str), Some("application/pdf"));
    assert_eq!(put.headers.get("x-amz-server-side-encryption").map(String::as_str), Some("AES256"));
    assert!(!format!("{put:?}").contains("Signature"), "the signed URL must not print");

    let http = reqwest::Client::new();
    let mut request = http.put(&put.url).body(b"%PDF-1.7 uploaded".to_vec());
    for (name, value) in &put.headers {
        request = request.header(name, value);
    }
    let answer = request.send().await.unwrap();
    assert!(answer.status().is_success(), "{}", answer.text().await.unwrap());

    let stored = store.get(&k).await.unwrap().expect("uploaded");
    assert_eq!(stored.bytes, b"%PDF-1.7 uploaded");
    assert_eq!(stored.info.metadata.get("uploaded-by").map(String::as_str), Some("u-jane"));

    // Metadata completed after the upload (the SHA-256 is known only then); bytes kept.
    let mut full = m.clone();
    full.metadata.insert("sha256".into(), "00ff".into());
    let info = store.replace_metadata(&k, &full).await.unwrap().expect("exists");
    assert_eq!(info.metadata.get("sha256").map(String::as_str), Some("00ff"));
    assert_eq!(store.get(&k).await.unwrap().unwrap().bytes, b"%PDF-1.7 uploaded");
    assert_eq!(store.replace_metadata(&key("none/x.pdf"), &full).await.unwrap(), None);

    let get = store.presign_get(&k, Duration::from_secs(300), Some("face sheet (1).pdf")).await.unwrap();
    assert_eq!(get.method, "GET");
    let answer = http.get(&get.url).send().await.unwrap();
    assert!(answer.status().is_success());
    // S3 answers with the signed `response-content-disposition` (moto ignores it).
    assert!(get.url.contains("response-content-disposition=attachment"), "no disposition asked");
    if let Some(disposition) = answer.headers().get("content-disposition") {
        assert_eq!(disposition.to_str().unwrap(), "attachment; filename=\"face sheet (1).pdf\"");
    }
    assert_eq!(answer.bytes().await.unwrap().as_ref(), b"%PDF-1.7 uploaded");
}

#[tokio::test]
async fn an_unreachable_store_is_unavailable_within_the_timeout() {
    // Port 9 (discard) on loopback: nothing listens, the connection is refused at once.
    let settings = S3Settings {
        bucket: "nowhere".into(),
        endpoint: Some("http://127.0.0.1:9".into()),
        region: Some("us-east-1".into()),
        force_path_style: true,
        operation_timeout: Duration::from_secs(3),
        connect_timeout: Duration::from_millis(500),
        max_attempts: 2,
        ..S3Settings::default()
    };
    let store = S3ObjectStore::connect(&settings, Some(s3_support::credentials())).await.unwrap();
    let started = Instant::now();
    let results = [
        store.ping().await.map(|_| ()),
        store.head(&key("a/b.pdf")).await.map(|_| ()),
        store.put(&key("a/b.pdf"), b"x".to_vec(), &meta(&[])).await.map(|_| ()),
        store.move_object(&key("a/b.pdf"), &key("c/b.pdf")).await.map(|_| ()),
    ];
    for result in results {
        assert!(matches!(result, Err(ObjectError::Unavailable(_))), "{result:?}");
    }
    assert!(started.elapsed() < Duration::from_secs(15), "took {:?}", started.elapsed());
}

#[tokio::test]
async fn a_missing_bucket_is_a_backend_error_without_keys() {
    let Some(endpoint) = s3_support::endpoint() else { return };
    let mut settings = s3_support::settings(&endpoint, "", Encryption::Aes256);
    settings.bucket = format!("missing-{}", uuid::Uuid::new_v4());
    let store = S3ObjectStore::connect(&settings, Some(s3_support::credentials())).await.unwrap();
    let err =
        store.put(&key("private/secret-name/john-doe.pdf"), b"x".to_vec(), &meta(&[])).await.unwrap_err();
    assert!(matches!(err, ObjectError::Backend(_)), "{err:?}");
    assert!(!err.to_string().contains("john-doe"), "{err}");
}
