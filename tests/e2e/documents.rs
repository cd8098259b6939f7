//! "Done when" of the documents issue: a newcomer uploads a PDF to a case and downloads it
//! again — on the embedded default (local store: upload URL → PUT → confirm → GET) and against
//! moto's S3 (presigned PUT → confirm → redirect GET), when `SURGICASE_TEST_S3_ENDPOINT` is set.

use reqwest::Method;
use serde_json::json;

use crate::server::{Backend, Server, decode};

/// A small but real PDF.
const PDF: &[u8] = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";

fn s3_endpoint() -> Option<String> {
    surgicase_testkit::env::s3_endpoint()
}

/// The environment that points a server at moto's S3 (a fresh prefix of a shared bucket).
pub fn s3_env(endpoint: &str) -> Vec<(String, String)> {
    let prefix = format!("e2e-{}/", uuid::Uuid::new_v4().simple());
    [
        ("SURGICASE_OBJECTS__BACKEND", "s3"),
        ("SURGICASE_OBJECTS__S3__BUCKET", "surgicase-e2e"),
        ("SURGICASE_OBJECTS__S3__PREFIX", prefix.as_str()),
        ("SURGICASE_OBJECTS__S3__ENDPOINT", endpoint),
        ("SURGICASE_OBJECTS__S3__FORCE_PATH_STYLE", "true"),
        ("SURGICASE_OBJECTS__S3__CREATE_BUCKET", "true"),
        ("AWS_ACCESS_KEY_ID", "test"),
        ("AWS_SECRET_ACCESS_KEY", "test"),
        ("AWS_REGION", "us-east-1"),
        ("AWS_EC2_METADATA_DISABLED", "true"),
    ]
    .iter()
    .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
    .collect()
}

/// A newcomer: registers, adds a surgeon and a facility, creates a case.
async fn newcomer_with_case(s: &Server, user: &str, case_id: &str) {
    let (status, body) = s
        .post(
            &format!("/user?user_id={user}"),
            &json!({"user_id": user, "user_email": format!("{user}@example.com"), "first_name": "Nora", "last_name": "Newcomer"}),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    let (_, surgeon) = s
        .post(
            &format!("/surgeon?user_id={user}"),
            &json!({"user_id": user, "first_name": "Ann", "last_name": "Cutter"}),
        )
        .await;
    let (_, facility) = s
        .post(
            &format!("/facility?user_id={user}"),
            &json!({"user_id": user, "facility_name": "General Hospital"}),
        )
        .await;
    let (status, body) = s
        .post(
            &format!("/case?user_id={user}"),
            &json!({
                "user_id": user, "case_id": case_id, "case_date": "2025-03-03",
                "surgeon_id": surgeon["surgeon_id"], "facility_id": facility["facility_id"],
                "patient": {"first": "Pat", "last": "Ient", "ins_provider": "Aetna"},
                "procedure_codes": ["27447"],
            }),
        )
        .await;
    assert_eq!(status, 201, "{body}");
}

async fn upload_url(s: &Server, user: &str, case_id: &str) -> serde_json::Value {
    let (status, ticket) = s
        .post(
            &format!("/case/document/upload_url?user_id={user}"),
            &json!({"case_id": case_id, "document_type": "demo_file", "file_name": "face sheet.pdf",
                    "content_type": "application/pdf", "size_bytes": PDF.len()}),
        )
        .await;
    assert_eq!(status, 201, "{ticket}");
    ticket
}

async fn confirm(s: &Server, user: &str, upload_id: &str) {
    let (status, body) =
        s.post(&format!("/case/document/confirm?user_id={user}"), &json!({"upload_id": upload_id})).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["document"]["size_bytes"], PDF.len());
    assert_eq!(body["document"]["file_name"], "face sheet.pdf");
}

#[tokio::test]
async fn a_newcomer_uploads_a_pdf_and_downloads_it_again_on_the_embedded_default() {
    let s = Server::start(Backend::Sqlite).await;
    newcomer_with_case(&s, "u-nora", "c-nora-1").await;
    let ticket = upload_url(&s, "u-nora", "c-nora-1").await;
    let url = ticket["url"].as_str().unwrap();
    assert!(url.starts_with("/document_upload/"), "{ticket}");
    let response = s
        .client
        .put(format!("{}{url}?user_id=u-nora", s.base))
        .header("Content-Type", ticket["headers"]["Content-Type"].as_str().unwrap())
        .body(PDF.to_vec())
        .send()
        .await
        .unwrap();
    let (status, body) = decode(response).await;
    assert_eq!((status, body["state"].as_str()), (200, Some("received")), "{body}");
    confirm(&s, "u-nora", ticket["upload_id"].as_str().unwrap()).await;

    let response = s
        .client
        .get(format!("{}/case/document?case_id=c-nora-1&document_type=demo_file&user_id=u-nora", s.base))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);
    let sha = response.headers().get("x-checksum-sha256").map(|v| v.to_str().unwrap().to_owned());
    assert_eq!(response.headers().get("content-type").unwrap(), "application/pdf");
    assert_eq!(response.bytes().await.unwrap().as_ref(), PDF);
    assert_eq!(sha.map(|s| s.len()), Some(64));

    // The case shows the document; someone else gets 404.
    let (_, case) = s.get("/case?case_id=c-nora-1&user_id=u-nora").await;
    assert_eq!(case["case"]["demo_file"], "face sheet.pdf", "{case}");
    s.create_user("u-stranger", 1);
    let (status, _) = s
        .call(Method::GET, "/case/document?case_id=c-nora-1&document_type=demo_file&user_id=u-stranger", None)
        .await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn the_same_flow_against_s3_uses_presigned_urls() {
    let Some(endpoint) = s3_endpoint() else { return };
    let env = s3_env(&endpoint);
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let s = Server::start_with(Backend::Sqlite, &env).await;
    newcomer_with_case(&s, "u-nora", "c-nora-s3").await;
    let ticket = upload_url(&s, "u-nora", "c-nora-s3").await;
    let url = ticket["url"].as_str().unwrap();
    assert!(url.starts_with(&endpoint), "a presigned URL on the store: {ticket}");
    assert_eq!(ticket["headers"]["x-amz-server-side-encryption"], "AES256");
    // The direct route is not for S3.
    let id = ticket["upload_id"].as_str().unwrap();
    let (status, _) = s.call(Method::PUT, &format!("/document_upload/{id}?user_id=u-nora"), None).await;
    assert_eq!(status, 404);

    let mut put = s.client.put(url).body(PDF.to_vec());
    for (name, value) in ticket["headers"].as_object().unwrap() {
        put = put.header(name.as_str(), value.as_str().unwrap());
    }
    let response = put.send().await.unwrap();
    assert!(response.status().is_success(), "{}", response.text().await.unwrap_or_default());
    confirm(&s, "u-nora", id).await;

    let no_redirects =
        reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let response = no_redirects
        .get(format!("{}/case/document?case_id=c-nora-s3&document_type=demo_file&user_id=u-nora", s.base))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 307);
    let location = response.headers().get("location").unwrap().to_str().unwrap().to_owned();
    let bytes = s.client.get(&location).send().await.unwrap().bytes().await.unwrap();
    assert_eq!(bytes.as_ref(), PDF);

    let (status, link) =
        s.get("/case/document?case_id=c-nora-s3&document_type=demo_file&redirect=false&user_id=u-nora").await;
    assert_eq!(status, 200, "{link}");
    assert_eq!(link["file_name"], "face sheet.pdf");
    assert!(link["url"].as_str().unwrap().starts_with(&endpoint));
    assert_eq!(link["sha256"].as_str().map(str::len), Some(64));
}
