//! The document routes over HTTP (local store): the whole flow, then bad input — every refusal
//! is JSON with its code and leaves nothing stored.

use actix_web::http::header;
use actix_web::test::TestRequest;
use serde_json::{Value, json};
use surgicase_app::UploadRequest;

use super::world::{World, json as with_json};
use crate::state::Settings;

pub const PDF: &[u8] = b"%PDF-1.4\n% surgicase test document\n";
const PNG: &[u8] = b"\x89PNG\r\n\x1a\n....";

/// Attaches `scan.pdf` as `c-owner`'s demo file and `w9.pdf` as `u-owner`'s W-9.
pub async fn attach_owner_documents(world: &World) {
    let owner = world.ctx("u-owner").await;
    let app = world.app();
    let request = |document_type: &str, file_name: &str| UploadRequest {
        document_type: document_type.into(),
        file_name: file_name.into(),
        content_type: "application/pdf".into(),
        size_bytes: Some(PDF.len() as i64),
    };
    let ticket =
        app.case_upload_url(&owner, "c-owner", &request("demo_file", "scan.pdf")).await.expect("url");
    app.receive_upload(&owner, &ticket.upload_id, None, PDF.to_vec()).await.expect("bytes");
    app.confirm_case_upload(&owner, &ticket.upload_id).await.expect("attached");
    let ticket = app.user_upload_url(&owner, None, &request("W-9", "w9.pdf")).await.expect("url");
    app.receive_upload(&owner, &ticket.upload_id, None, PDF.to_vec()).await.expect("bytes");
    app.confirm_user_upload(&owner, &ticket.upload_id).await.expect("attached");
}

fn post(uri: &str, body: &Value) -> TestRequest {
    with_json(TestRequest::post(), uri, body)
}

fn put_bytes(uri: &str, content_type: &str, bytes: &[u8]) -> TestRequest {
    TestRequest::put()
        .uri(uri)
        .insert_header((header::CONTENT_TYPE, content_type.to_owned()))
        .set_payload(bytes.to_vec())
}

fn upload_body(case_id: &str, file_name: &str, content_type: &str, size: usize) -> Value {
    json!({"case_id": case_id, "document_type": "demo_file", "file_name": file_name,
           "content_type": content_type, "size_bytes": size})
}

async fn stored_keys(world: &World) -> Vec<String> {
    world.app().objects().list("").await.expect("list").into_iter().map(|i| i.key.to_string()).collect()
}

#[actix_web::test]
async fn upload_confirm_download_and_remove_a_case_document() {
    let world = World::new().await;
    let me = "calling_user_id=u-owner";
    let answer = world
        .send(post(
            &format!("/case/document/upload_url?{me}"),
            &upload_body("c-owner", "face sheet.pdf", "application/pdf", PDF.len()),
        ))
        .await;
    assert_eq!(answer.status.as_u16(), 201, "{}", answer.raw);
    let upload_id = answer.body["upload_id"].as_str().expect("id").to_owned();
    let url = answer.body["url"].as_str().expect("url").to_owned();
    assert_eq!(url, format!("/document_upload/{upload_id}"));
    assert_eq!(answer.body["method"], "PUT");
    assert_eq!(answer.body["headers"]["Content-Type"], "application/pdf");
    assert_eq!(answer.body["expires_at"], "2025-03-10T12:15:00Z");

    let answer = world.send(put_bytes(&format!("{url}?{me}"), "application/pdf", PDF)).await;
    assert_eq!(answer.status.as_u16(), 200, "{}", answer.raw);
    assert_eq!(answer.body["state"], "received");
    assert_eq!(answer.body["size_bytes"], PDF.len());
    let sha = answer.body["sha256"].as_str().expect("sha").to_owned();

    let answer =
        world.send(post(&format!("/case/document/confirm?{me}"), &json!({"upload_id": upload_id}))).await;
    assert_eq!(answer.status.as_u16(), 200, "{}", answer.raw);
    assert_eq!(answer.body["case_id"], "c-owner");
    assert_eq!(answer.body["replaced"], false);
    assert_eq!(answer.body["document"]["sha256"], sha.as_str());
    assert_eq!(answer.body["document"]["content_type"], "application/pdf");
    assert_eq!(answer.body["status_update"]["success"], true);
    let again =
        world.send(post(&format!("/case/document/confirm?{me}"), &json!({"upload_id": upload_id}))).await;
    assert_eq!((again.status.as_u16(), again.error_code()), (409, "upload_already_confirmed"));

    let answer = world
        .send(TestRequest::get().uri(&format!("/case/document?case_id=c-owner&document_type=demo_file&{me}")))
        .await;
    assert_eq!(answer.status.as_u16(), 200, "{}", answer.raw);
    assert_eq!(answer.raw.as_bytes(), PDF);
    assert_eq!(answer.header("content-type"), Some("application/pdf"));
    assert_eq!(answer.header("content-disposition"), Some("attachment; filename=\"face sheet.pdf\""));
    assert_eq!(answer.header("x-checksum-sha256"), Some(sha.as_str()));
    assert_eq!(answer.header("cache-control"), Some("no-store"));

    let answer = world
        .send(
            TestRequest::delete()
                .uri(&format!("/case/document?case_id=c-owner&document_type=demo_file&{me}")),
        )
        .await;
    assert_eq!(answer.status.as_u16(), 200, "{}", answer.raw);
    assert_eq!(answer.body["removed"], true);
    let answer = world
        .send(TestRequest::get().uri(&format!("/case/document?case_id=c-owner&document_type=demo_file&{me}")))
        .await;
    assert_eq!((answer.status.as_u16(), answer.error_code()), (404, "document_not_found"));
    assert_eq!(
        stored_keys(&world).await,
        vec!["private/deleted-case-documents/u-owner/c-owner/demo_file/face sheet.pdf".to_owned()]
    );
}

#[actix_web::test]
async fn bad_input_is_a_clear_4xx_and_nothing_is_stored() {
    let world = World::with_settings(Settings { document_max_bytes: 64, ..Settings::default() }).await;
    let me = "calling_user_id=u-owner";
    let url = format!("/case/document/upload_url?{me}");
    type Expected<'a> = (Value, u16, &'a str, Vec<(&'a str, &'a str)>);
    let table: Vec<Expected<'_>> = vec![
        (
            upload_body("c-owner", "../../etc/passwd.pdf", "application/pdf", 10),
            422,
            "validation_failed",
            vec![("file_name", "invalid_characters")],
        ),
        (
            upload_body("c-owner", "/etc/passwd.pdf", "application/pdf", 10),
            422,
            "validation_failed",
            vec![("file_name", "invalid_characters")],
        ),
        (
            upload_body("c-owner", "C:\\x.pdf", "application/pdf", 10),
            422,
            "validation_failed",
            vec![("file_name", "invalid_characters")],
        ),
        (
            upload_body("c-owner", "scan.pdf", "application/pdf", 0),
            422,
            "validation_failed",
            vec![("size_bytes", "empty_document")],
        ),
        (
            upload_body("c-owner", "scan.pdf", "application/pdf", 26 * 1024 * 1024),
            413,
            "payload_too_large",
            vec![],
        ),
        (upload_body("c-owner", "scan.pdf", "image/png", 10), 415, "unsupported_document_type", vec![]),
        (upload_body("c-owner", "scan.pdf", "text/html", 10), 415, "unsupported_document_type", vec![]),
        (
            upload_body("c-owner", "scan.pdf", "application/pdf", 10)
                .as_object()
                .map(|o| {
                    let mut o = o.clone();
                    o.insert("size_bytes".into(), json!("ten"));
                    Value::Object(o)
                })
                .unwrap_or_default(),
            422,
            "validation_failed",
            vec![("size_bytes", "invalid_type")],
        ),
        (
            json!({"case_id": "c-owner", "document_type": "x_file", "file_name": "scan.pdf", "content_type": "application/pdf", "size_bytes": 10}),
            422,
            "validation_failed",
            vec![("document_type", "unknown_document_type")],
        ),
    ];
    for (body, status, code, fields) in table {
        let answer = world.send(post(&url, &body)).await;
        assert_eq!((answer.status.as_u16(), answer.error_code()), (status, code), "{body} → {}", answer.raw);
        for field in fields {
            assert!(
                answer.field_errors().contains(&(field.0.to_owned(), field.1.to_owned())),
                "{}",
                answer.raw
            );
        }
    }
    // Another user's case: not found, for the upload URL and the download alike.
    let other = "calling_user_id=u-other";
    let answer = world
        .send(post(
            &format!("/case/document/upload_url?{other}"),
            &upload_body("c-owner", "scan.pdf", "application/pdf", 10),
        ))
        .await;
    assert_eq!((answer.status.as_u16(), answer.error_code()), (404, "case_not_found"));

    // The direct route: a lying body, an empty one, one over the limit, someone else's upload.
    let ticket =
        world.send(post(&url, &upload_body("c-owner", "scan.pdf", "application/pdf", PDF.len()))).await;
    let upload = ticket.body["url"].as_str().expect("url").to_owned();
    let cases: Vec<(TestRequest, u16, &str)> = vec![
        (put_bytes(&format!("{upload}?{me}"), "application/pdf", PNG), 415, "unsupported_document_type"),
        (put_bytes(&format!("{upload}?{me}"), "image/png", PNG), 415, "unsupported_document_type"),
        (put_bytes(&format!("{upload}?{me}"), "application/pdf", b""), 422, "validation_failed"),
        (put_bytes(&format!("{upload}?{me}"), "application/pdf", &[b'%'; 65]), 413, "payload_too_large"),
        (put_bytes(&format!("{upload}?{other}"), "application/pdf", PDF), 404, "upload_not_found"),
        (
            put_bytes(&format!("/document_upload/not-an-id?{me}"), "application/pdf", PDF),
            404,
            "upload_not_found",
        ),
    ];
    for (req, status, code) in cases {
        let answer = world.send(req).await;
        assert_eq!((answer.status.as_u16(), answer.error_code()), (status, code), "{}", answer.raw);
    }
    let answer = world
        .send(post(&format!("/case/document/confirm?{me}"), &json!({"upload_id": ticket.body["upload_id"]})))
        .await;
    assert_eq!((answer.status.as_u16(), answer.error_code()), (422, "validation_failed"));
    assert_eq!(answer.field_errors(), vec![("upload_id".to_owned(), "document_missing".to_owned())]);
    assert!(stored_keys(&world).await.is_empty(), "{:?}", stored_keys(&world).await);

    // Someone else's documents are not found.
    attach_owner_documents(&world).await;
    for uri in [
        format!("/case/document?case_id=c-owner&document_type=demo_file&{other}"),
        format!("/user/document?user_id=u-owner&document_type=W-9&{other}"),
    ] {
        let answer = world.send(TestRequest::get().uri(&uri)).await;
        assert_eq!(answer.status.as_u16(), 404, "{uri}: {}", answer.raw);
        assert!(answer.error_code().ends_with("_not_found"), "{}", answer.raw);
    }
}

#[actix_web::test]
async fn user_documents_round_trip() {
    let world = World::new().await;
    let me = "calling_user_id=u-owner";
    let body = json!({"document_type": "W-9", "file_name": "w9.pdf", "content_type": "application/pdf", "size_bytes": PDF.len()});
    let ticket = world.send(post(&format!("/user/document/upload_url?{me}"), &body)).await;
    assert_eq!(ticket.status.as_u16(), 201, "{}", ticket.raw);
    let url = ticket.body["url"].as_str().expect("url");
    assert_eq!(
        world.send(put_bytes(&format!("{url}?{me}"), "application/pdf", PDF)).await.status.as_u16(),
        200
    );
    let answer = world
        .send(post(&format!("/user/document/confirm?{me}"), &json!({"upload_id": ticket.body["upload_id"]})))
        .await;
    assert_eq!(answer.status.as_u16(), 200, "{}", answer.raw);
    assert_eq!(
        (answer.body["user_id"].as_str(), answer.body["document_type"].as_str()),
        (Some("u-owner"), Some("W-9"))
    );
    let got = world.send(TestRequest::get().uri(&format!("/user/document?document_type=W-9&{me}"))).await;
    assert_eq!((got.status.as_u16(), got.raw.as_bytes()), (200, PDF));
    let ua = world
        .send(TestRequest::get().uri("/user/document?user_id=u-owner&document_type=W-9&calling_user_id=u-ua"))
        .await;
    assert_eq!(ua.status.as_u16(), 200);
    let gone = world.send(TestRequest::delete().uri(&format!("/user/document?document_type=W-9&{me}"))).await;
    assert_eq!((gone.status.as_u16(), gone.body["removed"].as_bool()), (200, Some(true)));
}
