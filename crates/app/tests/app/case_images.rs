//! `POST /get_case_images`: which cases and documents the archive holds, their entry names,
//! the counts of the headers, and reading each document (missing and unreadable ones become
//! lines of `download_errors.txt`).

use surgicase_app::{BundleReadFailure, CaseBundle, Ctx, UploadRequest};
use surgicase_kernel::CaseId;
use surgicase_ports::records::CaseDocumentRecord;
use surgicase_ports::{ObjectKey, ObjectStore, Store};

use crate::world::{PDF, PNG, Provider, World, code};

async fn case(w: &World, p: &Provider, id: &str) {
    let input = p.case(id, &["27447"]);
    w.app.create_case(&p.ctx, input).await.unwrap();
}

/// Uploads, receives and confirms a document of a case.
async fn attach(w: &World, ctx: &Ctx, case_id: &str, field: &str, name: &str, bytes: &[u8]) {
    let content_type = if name.ends_with(".png") { "image/png" } else { "application/pdf" };
    let request = UploadRequest {
        document_type: field.into(),
        file_name: name.into(),
        content_type: content_type.into(),
        size_bytes: Some(bytes.len() as i64),
    };
    let ticket = w.app.case_upload_url(ctx, case_id, &request).await.unwrap();
    w.app.receive_upload(ctx, &ticket.upload_id, None, bytes.to_vec()).await.unwrap();
    w.app.confirm_case_upload(ctx, &ticket.upload_id).await.unwrap();
}

fn ids(raw: &[&str]) -> Vec<String> {
    raw.iter().map(|s| (*s).to_owned()).collect()
}

#[tokio::test]
async fn active_cases_in_listed_order_with_their_documents_under_safe_unique_names() {
    let w = World::new().await;
    let jane = w.provider("u-jane", 1).await;
    let bob = w.provider("u-bob", 1).await;
    let ca = w.user("u-ca", 10, 1).await;
    for id in ["c-1", "c-legacy", "a:b", "c-del"] {
        case(&w, &jane, id).await;
    }
    case(&w, &bob, "a_b").await;
    w.app.delete_case(&jane.ctx, "c-del").await.unwrap();

    // c-1: two documents with the same name, and an admin file recorded as missing.
    attach(&w, &jane.ctx, "c-1", "demo_file", "scan.pdf", PDF).await;
    attach(&w, &jane.ctx, "c-1", "note_file", "scan.pdf", PDF).await;
    attach(&w, &ca, "c-1", "admin_file", "admin.pdf", PDF).await;
    {
        let mut conn = w.store.conn().await.unwrap();
        let id = CaseId::parse("c-1").unwrap();
        let docs = conn.get_case_view(&id, None, None).await.unwrap().unwrap().case.documents;
        let admin =
            docs.iter().find(|d| d.document_type == surgicase_kernel::DocumentField::AdminFile).unwrap();
        let missing =
            CaseDocumentRecord { location: surgicase_kernel::DocumentLocation::Missing, ..admin.clone() };
        conn.put_case_documents(&id, &[missing]).await.unwrap();
    }
    // c-legacy: a legacy name without a record (the key is derived from the owner and the name).
    w.upload("u-jane", "legacy.pdf", PDF).await;
    {
        let mut tx = w.store.begin().await.unwrap();
        let mut record = tx.lock_case(&CaseId::parse("c-legacy").unwrap()).await.unwrap().unwrap();
        record.row.documents.misc_file = Some("legacy.pdf".into());
        tx.update_case(&record.row).await.unwrap();
        tx.commit().await.unwrap();
    }
    // a:b: a document whose object disappeared.
    attach(&w, &jane.ctx, "a:b", "note_file", "op.png", PNG).await;
    let gone = ObjectKey::parse("private/case-documents/u-jane/a:b/note_file/op.png").unwrap();
    assert!(w.objects.delete(&gone).await.unwrap());
    let keys_before = w.objects.keys();

    let listed = ids(&["a_b", "c-1", "c-legacy", "a:b", "c-del", "c-ghost", "c-1", "not valid!", ".."]);
    let bundle = w.app.case_images_bundle(&ca, &listed).await.unwrap();

    assert_eq!(bundle.file_name, "case_images_20250310_120000.zip");
    let cases: Vec<(&str, &str)> =
        bundle.cases.iter().map(|c| (c.case_id.as_str(), c.folder.as_str())).collect();
    assert_eq!(cases, [("a_b", "a_b"), ("c-1", "c-1"), ("c-legacy", "c-legacy"), ("a:b", "a_b (2)")]);
    let docs: Vec<(&str, &str, &str, bool)> = bundle
        .documents
        .iter()
        .map(|d| (d.case_id.as_str(), d.document_type.as_str(), d.entry_name.as_str(), d.is_known_missing()))
        .collect();
    assert_eq!(
        docs,
        [
            ("c-1", "demo_file", "c-1/scan.pdf", false),
            ("c-1", "note_file", "c-1/scan (2).pdf", false),
            ("c-1", "admin_file", "c-1/admin.pdf", true),
            ("c-legacy", "misc_file", "c-legacy/legacy.pdf", false),
            ("a:b", "note_file", "a_b (2)/op.png", false),
        ]
    );
    assert_eq!((bundle.cases_processed(), bundle.documents_recorded(), bundle.known_missing()), (4, 5, 1));
    assert_eq!(bundle.touched.action, "document.zip");
    assert_eq!(bundle.touched.details["case_ids"], serde_json::json!(["a_b", "c-1", "c-legacy", "a:b"]));

    // Reading: the bytes, or the line of the error file.
    let mut errors = Vec::new();
    let mut read = Vec::new();
    for doc in &bundle.documents {
        match bundle.read(doc).await {
            Ok(bytes) => read.push((doc.entry_name.clone(), bytes)),
            Err(failure) => errors.push(doc.error_line(failure)),
        }
    }
    let read_names: Vec<&str> = read.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(read_names, ["c-1/scan.pdf", "c-1/scan (2).pdf", "c-legacy/legacy.pdf"]);
    assert!(read.iter().all(|(_, bytes)| bytes == PDF));
    assert_eq!(
        CaseBundle::errors_text(&errors).unwrap(),
        "Documents that could not be included:\n\
         c-1/admin.pdf (admin_file): file not found in the document store\n\
         a:b/op.png (note_file): file not found in the document store\n"
    );
    // Planning and reading write nothing.
    assert_eq!(w.objects.keys(), keys_before);

    // An unavailable store: unreadable, not missing.
    w.objects.set_unavailable(true);
    assert_eq!(bundle.read(&bundle.documents[0]).await, Err(BundleReadFailure::Unreadable));
    assert_eq!(bundle.read(&bundle.documents[2]).await, Err(BundleReadFailure::Missing));
}

#[tokio::test]
async fn case_admins_only_and_at_least_one_active_case() {
    let w = World::new().await;
    let jane = w.provider("u-jane", 1).await;
    let ua = w.user("u-ua", 20, 1).await;
    case(&w, &jane, "c-1").await;
    case(&w, &jane, "c-del").await;
    w.app.delete_case(&jane.ctx, "c-del").await.unwrap();

    assert_eq!(code(w.app.case_images_bundle(&jane.ctx, &ids(&["c-1"])).await), "forbidden");
    assert_eq!(code(w.app.case_images_bundle(&ua, &ids(&["c-del", "c-ghost"])).await), "no_cases");
    let err = w.app.case_images_bundle(&ua, &ids(&["c-ghost"])).await.unwrap_err();
    assert_eq!(err.detail(), "No valid cases found for provided case_ids");
    assert_eq!(code(w.app.case_images_bundle(&ua, &[]).await), "validation_failed [case_ids:too_short]");
    let many: Vec<String> = (0..201).map(|i| format!("c-{i}")).collect();
    assert_eq!(code(w.app.case_images_bundle(&ua, &many).await), "validation_failed [case_ids:too_many]");
    // 200 entries, the same id many times: one case.
    let same = vec!["c-1".to_owned(); 200];
    let bundle = w.app.case_images_bundle(&ua, &same).await.unwrap();
    assert_eq!((bundle.cases_processed(), bundle.documents_recorded()), (1, 0));
}
