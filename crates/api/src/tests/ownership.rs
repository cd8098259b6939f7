//! Every document route against every spelling of another owner's object key: nothing a client
//! sends reaches bytes that are not its own (domain §14.1). `u-owner` holds the objects;
//! `u-other`, a provider, tries to read, attach, move and archive them.

use std::collections::BTreeMap;

use actix_web::test::TestRequest;
use serde_json::json;
use surgicase_kernel::UserId;
use surgicase_ports::records::UserDocumentRecord;
use surgicase_ports::{ObjectKey, ObjectMeta};

use super::documents::{PDF, attach_owner_documents};
use super::world::World;

const OWNER_CASE_DOC: &str = "private/case-documents/u-owner/c-owner/demo_file/scan.pdf";
const OWNER_USER_DOC: &str = "private/user-documents/u-owner/W-9/w9.pdf";
const OWNER_LEGACY_DOC: &str = "private/case-documents/u-owner/legacy.pdf";
const ME: &str = "calling_user_id=u-other";

/// Names a client could send to reach the owner's objects.
fn spellings() -> Vec<String> {
    vec![
        OWNER_CASE_DOC.to_owned(),
        format!("/{OWNER_CASE_DOC}"),
        OWNER_USER_DOC.to_owned(),
        format!("/{OWNER_USER_DOC}"),
        OWNER_LEGACY_DOC.to_owned(),
        "private/user-documents/u-other/../u-owner/W-9/w9.pdf".to_owned(),
        "private/user-documents/u-other/../../case-documents/u-owner/legacy.pdf".to_owned(),
        "private/case-documents/u-other/../u-owner/legacy.pdf".to_owned(),
        "../u-owner/legacy.pdf".to_owned(),
        "../../user-documents/u-owner/W-9/w9.pdf".to_owned(),
        "..%2Fu-owner%2Flegacy.pdf".to_owned(),
        "private%2Fcase-documents%2Fu-owner%2Flegacy.pdf".to_owned(),
        "%2e%2e/u-owner/legacy.pdf".to_owned(),
        // The other area's prefix with the caller's own id: a user route naming a case key and
        // the reverse.
        "private/case-documents/u-other/mine.pdf".to_owned(),
        "private/deleted-user-documents/u-owner/W-9/w9.pdf".to_owned(),
        "private/deleted-user-documents/u-other/W-9/mine.pdf".to_owned(),
        "u-owner/legacy.pdf".to_owned(),
    ]
}

/// Every object with its bytes.
async fn snapshot(world: &World) -> BTreeMap<String, Vec<u8>> {
    let objects = world.app().objects();
    let mut out = BTreeMap::new();
    for info in objects.list("").await.expect("list") {
        let object = objects.get(&info.key).await.expect("get").expect("listed object exists");
        out.insert(info.key.to_string(), object.bytes);
    }
    out
}

async fn put(world: &World, key: &str, bytes: &[u8]) {
    let key = ObjectKey::parse(key).expect("key");
    let meta = ObjectMeta { content_type: "application/pdf".into(), metadata: BTreeMap::new() };
    world.app().objects().put(&key, bytes.to_vec(), &meta).await.expect("stored");
}

/// The owner's case, user and legacy documents, plus objects under the attacker's own folders
/// (so that a refusal is not merely "nothing there").
async fn victim(world: &World) -> BTreeMap<String, Vec<u8>> {
    attach_owner_documents(world).await;
    put(world, OWNER_LEGACY_DOC, PDF).await;
    put(world, "private/case-documents/u-other/mine.pdf", PDF).await;
    put(world, "private/user-documents/u-other/W-9/mine.pdf", PDF).await;
    let before = snapshot(world).await;
    for key in [OWNER_CASE_DOC, OWNER_USER_DOC, OWNER_LEGACY_DOC] {
        assert!(before.contains_key(key), "{key} in {:?}", before.keys());
    }
    before
}

fn refused(answer: &super::support::Answer, what: &str) {
    let status = answer.status.as_u16();
    assert!(status == 404 || status == 422, "{what}: {status} {}", answer.raw);
}

#[actix_web::test]
async fn attaching_by_name_never_reaches_another_owners_object() {
    let world = World::new().await;
    let before = victim(&world).await;
    let other = world.ctx("u-other").await;
    let (surgeon, facility) = world.address_book_of(&other).await;
    world.app().create_case(&other, world.case_for("c-other", surgeon, facility)).await.expect("own case");

    for name in spellings() {
        let documents = json!([{"document_type": "W-9", "document_name": name}]);
        let patch =
            world.patch(&format!("/user?{ME}"), &json!({"user_id": "u-other", "documents": documents})).await;
        refused(&patch, &format!("PATCH /user {name}"));
        let register = world
            .post(
                "/user",
                &json!({"user_id": "u-new", "user_email": "n@example.com", "first_name": "N",
                        "last_name": "New", "documents": documents}),
            )
            .await;
        refused(&register, &format!("POST /user {name}"));
        let case = json!({"case_id": "c-new", "case_date": "2025-03-03", "surgeon_id": surgeon,
                          "facility_id": facility, "demo_file": name,
                          "patient": {"first": "A", "last": "B", "ins_provider": "Aetna"}});
        refused(&world.post(&format!("/case?{ME}"), &case).await, &format!("POST /case {name}"));
        let patch = json!({"case_id": "c-other", "note_file": name});
        refused(&world.patch(&format!("/case?{ME}"), &patch).await, &format!("PATCH /case {name}"));
    }
    // Nothing was attached, so nothing can be read back or archived.
    let got = world.get(&format!("/user/document?document_type=W-9&{ME}")).await;
    assert_eq!((got.status.as_u16(), got.error_code()), (404, "document_not_found"), "{}", got.raw);
    assert_eq!(world.get("/user?user_id=u-new&calling_user_id=u-ua").await.status.as_u16(), 404);
    assert_eq!(snapshot(&world).await, before, "no object was moved, written or removed");

    // The caller's own legacy key is still accepted, and reads back the caller's own bytes.
    let own =
        json!([{"document_type": "W-9", "document_name": "/private/user-documents/u-other/W-9/mine.pdf"}]);
    let patch = world.patch(&format!("/user?{ME}"), &json!({"user_id": "u-other", "documents": own})).await;
    assert_eq!(patch.status.as_u16(), 200, "{}", patch.raw);
    let got = world.get(&format!("/user/document?document_type=W-9&{ME}")).await;
    assert_eq!((got.status.as_u16(), got.raw.as_bytes()), (200, PDF));
}

#[actix_web::test]
async fn upload_confirm_download_delete_and_zip_stay_with_their_owner() {
    let world = World::new().await;
    let before = victim(&world).await;

    for name in spellings() {
        for (uri, body) in [
            (
                "/case/document/upload_url",
                json!({"case_id": "c-owner", "document_type": "demo_file", "file_name": name,
                       "content_type": "application/pdf", "size_bytes": PDF.len()}),
            ),
            (
                "/user/document/upload_url",
                json!({"document_type": "W-9", "file_name": name,
                       "content_type": "application/pdf", "size_bytes": PDF.len()}),
            ),
            (
                "/user/document/upload_url",
                json!({"user_id": "u-owner", "document_type": "W-9", "file_name": "w9.pdf",
                       "content_type": "application/pdf", "size_bytes": PDF.len()}),
            ),
        ] {
            refused(&world.post(&format!("{uri}?{ME}"), &body).await, &format!("{uri} {name}"));
        }
    }
    // The owner's upload cannot be sent to, confirmed, read or removed by anyone else.
    let owner_ticket = world
        .post(
            "/case/document/upload_url?calling_user_id=u-owner",
            &json!({"case_id": "c-owner", "document_type": "note_file", "file_name": "note.pdf",
                    "content_type": "application/pdf", "size_bytes": PDF.len()}),
        )
        .await;
    let upload_id = owner_ticket.body["upload_id"].as_str().expect("upload id").to_owned();
    let put = TestRequest::put()
        .uri(&format!("/document_upload/{upload_id}?{ME}"))
        .insert_header(("content-type", "application/pdf"))
        .set_payload(PDF.to_vec());
    refused(&world.send(put).await, "direct upload");
    for uri in ["/case/document/confirm", "/user/document/confirm"] {
        for id in [upload_id.clone(), format!("../{upload_id}"), upload_id.to_uppercase()] {
            refused(&world.post(&format!("{uri}?{ME}"), &json!({"upload_id": id})).await, uri);
        }
    }
    for (doc_type, field) in [("W-9", "user"), ("demo_file", "case")] {
        let uri = if field == "user" {
            format!("/user/document?user_id=u-owner&document_type={doc_type}&{ME}")
        } else {
            format!("/case/document?case_id=c-owner&document_type={doc_type}&{ME}")
        };
        refused(&world.get(&uri).await, &uri);
        refused(&world.delete(&uri).await, &uri);
    }
    let zip = world.post(&format!("/get_case_images?{ME}"), &json!({"case_ids": ["c-owner"]})).await;
    assert_eq!(zip.status.as_u16(), 403, "ZIP is for case admins: {}", zip.raw);
    assert_eq!(snapshot(&world).await, before, "no object was moved, written or removed");
}

/// Records written before keys were checked (or imported) may point at someone else's object;
/// reading, removing, deleting the user and the ZIP must still reach nothing outside the record
/// owner's area.
#[actix_web::test]
async fn stored_foreign_keys_reach_nothing() {
    let world = World::new().await;
    let before = victim(&world).await;
    let other = UserId::parse("u-other").expect("id");
    for (doc_type, key) in [("W-9", OWNER_USER_DOC), ("Medical License", OWNER_CASE_DOC)] {
        let record = UserDocumentRecord {
            user_id: other.clone(),
            document_type: doc_type.to_owned(),
            document_name: key.to_owned(),
            object_key: key.to_owned(),
            location: surgicase_kernel::DocumentLocation::Live,
            size_bytes: None,
            sha256: None,
            content_type: None,
            uploaded_by: None,
            uploaded_ts: None,
        };
        let mut conn = world.store.conn().await.expect("conn");
        conn.put_user_documents(std::slice::from_ref(&record)).await.expect("record");
    }
    for doc_type in ["W-9", "Medical%20License"] {
        let uri = format!("/user/document?document_type={doc_type}&{ME}");
        let got = world.get(&uri).await;
        assert_eq!(got.status.as_u16(), 404, "{uri}: {}", got.raw);
        assert_ne!(got.raw.as_bytes(), PDF);
        world.delete(&uri).await;
    }
    let deleted = world.delete("/user?user_id=u-other&calling_user_id=u-ua").await;
    assert_eq!(deleted.status.as_u16(), 200, "{}", deleted.raw);
    world.app().finish_pending_archives().await.expect("archive job");

    // A case admin's ZIP of a case whose stored file names point elsewhere reads only case
    // documents of that case's area.
    let mut tx = world.store.begin().await.expect("tx");
    let id = surgicase_kernel::CaseId::parse("c-owner").expect("id");
    let mut case = tx.lock_case(&id).await.expect("read").expect("case");
    case.row.documents.misc_file = Some("../../user-documents/u-owner/W-9/w9.pdf".to_owned());
    tx.update_case(&case.row).await.expect("update");
    tx.commit().await.expect("commit");
    let zip = world.post("/get_case_images?calling_user_id=u-ca", &json!({"case_ids": ["c-owner"]})).await;
    assert_eq!(zip.status.as_u16(), 200, "{}", zip.raw);
    // Entries are stored uncompressed: the demo file is there once, the W-9 is not copied in.
    assert_eq!(zip.raw.matches("% surgicase test document").count(), 1, "only the case's own file");
    let misc = world.get("/case/document?case_id=c-owner&document_type=misc_file&calling_user_id=u-ca").await;
    assert_eq!(misc.status.as_u16(), 404, "{}", misc.raw);

    let after = snapshot(&world).await;
    for key in [OWNER_CASE_DOC, OWNER_USER_DOC, OWNER_LEGACY_DOC] {
        assert_eq!(after.get(key), before.get(key), "{key} untouched");
    }
    let moved: Vec<&String> =
        after.keys().filter(|k| k.contains("u-owner") && !before.contains_key(*k)).collect();
    assert!(moved.is_empty(), "the owner's objects were copied or moved: {moved:?}");
}
