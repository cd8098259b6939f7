//! `POST /get_case_images` over HTTP: the streamed ZIP read back (folders, file names, bytes,
//! the error file, headers), and the refusals (403, 404 `no_cases`, 422).

use std::io::{Cursor, Read};

use actix_web::http::StatusCode;
use actix_web::http::header::HeaderMap;
use actix_web::test::{self, TestRequest};
use serde_json::{Value, json};
use surgicase_app::UploadRequest;
use surgicase_kernel::CaseId;
use surgicase_ports::ObjectKey;
use surgicase_ports::records::CaseDocumentRecord;
use zip::{CompressionMethod, ZipArchive};

use super::documents::attach_owner_documents;
use super::world::{World, json as with_json};
use crate::routes::ROUTES;
use crate::server;

const PDF: &[u8] = b"%PDF-1.4\n% surgicase test document\n";
const PNG: &[u8] = b"\x89PNG\r\n\x1a\n....";

/// Status, headers and the raw body bytes.
async fn send_raw(world: &World, req: TestRequest) -> (StatusCode, HeaderMap, Vec<u8>) {
    let app = test::init_service(server::app_with_routes(world.state.clone(), ROUTES)).await;
    let res = test::call_service(&app, req.to_request()).await;
    let status = res.status();
    let headers = res.headers().clone();
    let bytes = test::read_body(res).await;
    (status, headers, bytes.to_vec())
}

fn post(caller: &str, body: &Value) -> TestRequest {
    with_json(TestRequest::post(), &format!("/get_case_images?calling_user_id={caller}"), body)
}

fn header<'h>(headers: &'h HeaderMap, name: &str) -> Option<&'h str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

/// Uploads, receives and confirms one document of a case as `caller`.
async fn attach(world: &World, caller: &str, case_id: &str, field: &str, name: &str, bytes: &[u8]) {
    let ctx = world.ctx(caller).await;
    let content_type = if name.ends_with(".png") { "image/png" } else { "application/pdf" };
    let request = UploadRequest {
        document_type: field.into(),
        file_name: name.into(),
        content_type: content_type.into(),
        size_bytes: Some(bytes.len() as i64),
    };
    let app = world.app();
    let ticket = app.case_upload_url(&ctx, case_id, &request).await.expect("upload url");
    app.receive_upload(&ctx, &ticket.upload_id, None, bytes.to_vec()).await.expect("bytes");
    app.confirm_case_upload(&ctx, &ticket.upload_id).await.expect("attached");
}

async fn object_keys(world: &World) -> Vec<String> {
    world.app().objects().list("").await.expect("list").into_iter().map(|i| i.key.to_string()).collect()
}

/// The entries of an archive: (name, compression, bytes), in archive order.
fn entries(body: &[u8]) -> Vec<(String, CompressionMethod, Vec<u8>)> {
    let mut archive = ZipArchive::new(Cursor::new(body.to_vec())).expect("a readable ZIP");
    (0..archive.len())
        .map(|i| {
            let mut file = archive.by_index(i).expect("entry");
            let mut bytes = Vec::new();
            file.read_to_end(&mut bytes).expect("entry bytes");
            (file.name().expect("utf-8 name").into_owned(), file.compression(), bytes)
        })
        .collect()
}

#[actix_web::test]
async fn streams_one_folder_per_case_with_the_documents_and_an_error_file() {
    let world = World::new().await;
    // c-owner: demo_file scan.pdf (attached by the shared fixture).
    attach_owner_documents(&world).await;
    // c-two: note_file, misc_file whose object then disappears, admin_file recorded missing.
    let owner = world.ctx("u-owner").await;
    let input = world.case_input("c-two", "John", "Roe", &["27447"]);
    world.app().create_case(&owner, input).await.expect("case");
    attach(&world, "u-owner", "c-two", "note_file", "op note.pdf", PDF).await;
    attach(&world, "u-owner", "c-two", "misc_file", "xray.png", PNG).await;
    attach(&world, "u-ca", "c-two", "admin_file", "scan.pdf", PDF).await;
    let gone = ObjectKey::parse("private/case-documents/u-owner/c-two/misc_file/xray.png").expect("key");
    assert!(world.app().objects().delete(&gone).await.expect("deleted"));
    {
        let mut conn = world.store.conn().await.expect("conn");
        let id = CaseId::parse("c-two").expect("id");
        let record = conn.get_case_view(&id, None, None).await.expect("read").expect("case").case.documents;
        let admin = record
            .iter()
            .find(|d| d.document_type == surgicase_kernel::DocumentField::AdminFile)
            .expect("admin_file");
        let missing =
            CaseDocumentRecord { location: surgicase_kernel::DocumentLocation::Missing, ..admin.clone() };
        conn.put_case_documents(&id, &[missing]).await.expect("recorded missing");
    }
    // c-gone: deleted, so not found; c-nope: no such case.
    let input = world.case_input("c-gone", "Ann", "Other", &["27447"]);
    world.app().create_case(&owner, input).await.expect("case");
    world.app().delete_case(&owner, "c-gone").await.expect("deleted");
    let keys_before = object_keys(&world).await;

    let body = json!({"case_ids": ["c-two", "c-owner", "c-two", "c-nope", "c-gone", "bad id!"]});
    let (status, headers, bytes) = send_raw(&world, post("u-ca", &body)).await;
    assert_eq!(status, StatusCode::OK, "{}", String::from_utf8_lossy(&bytes));
    assert_eq!(header(&headers, "content-type"), Some("application/zip"));
    assert_eq!(
        header(&headers, "content-disposition"),
        Some("attachment; filename=\"case_images_20250310_120000.zip\"")
    );
    assert_eq!(header(&headers, "x-cases-processed"), Some("2"));
    assert_eq!(header(&headers, "x-downloaded-files"), Some("4"));
    assert_eq!(header(&headers, "x-download-errors"), Some("1"));
    assert_eq!(header(&headers, "cache-control"), Some("no-store"));
    assert!(header(&headers, "x-request-id").is_some());

    let got = entries(&bytes);
    let names: Vec<&str> = got.iter().map(|(n, _, _)| n.as_str()).collect();
    assert_eq!(names, ["c-two/", "c-owner/", "c-two/op note.pdf", "c-owner/scan.pdf", "download_errors.txt"]);
    let file = |name: &str| got.iter().find(|(n, _, _)| n == name).expect(name);
    assert_eq!(file("c-two/op note.pdf").2, PDF);
    assert_eq!(file("c-owner/scan.pdf").2, PDF);
    for (name, method, _) in &got {
        assert_eq!(*method, CompressionMethod::Stored, "{name} is stored, not re-compressed");
        for patient in ["John", "Roe", "Jane", "Doe"] {
            assert!(!name.contains(patient), "{name} carries a patient name");
        }
    }
    let errors = String::from_utf8(file("download_errors.txt").2.clone()).expect("text");
    assert_eq!(
        errors,
        "Documents that could not be included:\n\
         c-two/xray.png (misc_file): file not found in the document store\n\
         c-two/scan.pdf (admin_file): file not found in the document store\n"
    );
    // Nothing was written anywhere.
    assert_eq!(object_keys(&world).await, keys_before);
}

#[actix_web::test]
async fn a_case_without_documents_is_an_empty_folder_and_no_error_file() {
    let world = World::new().await;
    let (status, headers, bytes) = send_raw(&world, post("u-ua", &json!({"case_ids": ["c-owner"]}))).await;
    assert_eq!(status, StatusCode::OK, "{}", String::from_utf8_lossy(&bytes));
    assert_eq!(header(&headers, "x-cases-processed"), Some("1"));
    assert_eq!(header(&headers, "x-downloaded-files"), Some("0"));
    assert_eq!(header(&headers, "x-download-errors"), Some("0"));
    let names: Vec<String> = entries(&bytes).into_iter().map(|(n, _, _)| n).collect();
    assert_eq!(names, ["c-owner/"]);
}

#[actix_web::test]
async fn refusals_are_json_errors() {
    let world = World::new().await;
    let owner = world.ctx("u-owner").await;
    let input = world.case_input("c-gone", "Ann", "Other", &["27447"]);
    world.app().create_case(&owner, input).await.expect("case");
    world.app().delete_case(&owner, "c-gone").await.expect("deleted");

    let answer = world.send(post("u-owner", &json!({"case_ids": ["c-owner"]}))).await;
    assert_eq!((answer.status.as_u16(), answer.error_code()), (403, "forbidden"), "a provider");

    for ids in [json!(["c-nope"]), json!(["c-gone", "c-nope", "bad id!"])] {
        let answer = world.send(post("u-ca", &json!({ "case_ids": ids }))).await;
        assert_eq!((answer.status.as_u16(), answer.error_code()), (404, "no_cases"), "{ids}");
        assert_eq!(answer.body["detail"], "No valid cases found for provided case_ids");
    }

    let many: Vec<String> = (0..201).map(|i| format!("c-{i}")).collect();
    let table: &[(Value, &str)] = &[
        (json!({"case_ids": []}), "too_short"),
        (json!({"case_ids": many}), "too_many"),
        (json!({}), "required"),
        (json!({"case_ids": null}), "required"),
        (json!({"case_ids": "c-owner"}), "invalid_type"),
    ];
    for (body, code) in table {
        let answer = world.send(post("u-ca", body)).await;
        assert_eq!((answer.status.as_u16(), answer.error_code()), (422, "validation_failed"), "{body}");
        let fields = answer.field_errors();
        assert_eq!(fields, vec![("case_ids".to_owned(), (*code).to_owned())], "{body}");
    }
    let answer = world.send(post("u-ca", &json!({"case_ids": ["c-owner", 7]}))).await;
    assert_eq!(answer.field_errors(), vec![("case_ids[1]".to_owned(), "invalid_type".to_owned())]);

    // 200 ids, duplicates included, are fine.
    let mut ids: Vec<String> = (0..199).map(|i| format!("c-{i}")).collect();
    ids.push("c-owner".into());
    let (status, headers, _) = send_raw(&world, post("u-ca", &json!({ "case_ids": ids }))).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(header(&headers, "x-cases-processed"), Some("1"));
}

#[actix_web::test]
async fn a_large_document_leaves_in_slices_and_arrives_intact() {
    use futures::StreamExt;

    let world = World::new().await;
    let mut big = b"%PDF-1.4\n".to_vec();
    big.extend((0..(crate::zip_stream::CHUNK * 2 + 1000)).map(|i| (i % 251) as u8));
    attach(&world, "u-owner", "c-owner", "demo_file", "big.pdf", &big).await;

    // The stream itself: several slices, none much larger than a chunk.
    let ca = world.ctx("u-ca").await;
    let bundle = world.app().case_images_bundle(&ca, &["c-owner".to_owned()]).await.expect("bundle");
    let chunks: Vec<_> = crate::zip_stream::stream(bundle).collect().await;
    let chunks: Vec<Vec<u8>> = chunks.into_iter().map(|c| c.expect("chunk").to_vec()).collect();
    assert!(chunks.len() >= 4, "{} chunks", chunks.len());
    assert!(chunks.iter().all(|c| c.len() <= crate::zip_stream::CHUNK + 1024));

    // Over HTTP: the same bytes come back.
    let (status, _, bytes) = send_raw(&world, post("u-ca", &json!({"case_ids": ["c-owner"]}))).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(bytes, chunks.concat());
    let got = entries(&bytes);
    let names: Vec<&str> = got.iter().map(|(n, _, _)| n.as_str()).collect();
    assert_eq!(names, ["c-owner/", "c-owner/big.pdf"]);
    assert_eq!(got[1].2, big);
}
