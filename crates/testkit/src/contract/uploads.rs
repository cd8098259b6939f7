//! `UploadRepo`: uploads and their state changes, the queue of object moves, and the look-ups
//! of the archive step.

use surgicase_ports::Store;
use surgicase_ports::records::*;
use surgicase_ports::uploads::{PendingMove, UploadOwner, UploadRecord, UploadState};

use super::{assert_duplicate, conn, owners};
use crate::fixtures::*;
use surgicase_kernel::ArchiveState;
use surgicase_kernel::DocumentLocation;

fn upload(id: &str, expires_s: i64, state: UploadState) -> UploadRecord {
    UploadRecord {
        upload_id: format!("00000000-0000-4000-8000-{id:0>12}"),
        owner_kind: UploadOwner::Case,
        case_id: Some(case_id("c-1")),
        user_id: user_id("u-jane"),
        document_type: "demo_file".into(),
        file_name: "face sheet é.pdf".into(),
        object_key: "private/case-documents/u-jane/c-1/demo_file/face sheet é.pdf".into(),
        declared_size: 1234,
        declared_content_type: "application/pdf".into(),
        created_by: user_id("u-jane"),
        created_ts: at(0) + chrono::Duration::microseconds(7),
        expires_ts: at(expires_s),
        state,
    }
}

/// Every column round-trips (user uploads have no case); an existing id is a duplicate;
/// `transition_upload` changes the state only from the named one, once.
pub async fn round_trip_and_transitions(store: &dyn Store) {
    let mut c = conn(store).await;
    let case_upload = upload("1", 900, UploadState::Pending);
    let user_upload = UploadRecord {
        owner_kind: UploadOwner::User,
        case_id: None,
        document_type: "W9".into(),
        object_key: "private/user-documents/u-jane/W9/w9.pdf".into(),
        ..upload("2", 900, UploadState::Pending)
    };
    c.insert_upload(&case_upload).await.unwrap();
    c.insert_upload(&user_upload).await.unwrap();
    assert_eq!(c.get_upload(&case_upload.upload_id).await.unwrap(), Some(case_upload.clone()));
    assert_eq!(c.get_upload(&user_upload.upload_id).await.unwrap(), Some(user_upload.clone()));
    assert_eq!(c.get_upload("00000000-0000-4000-8000-000000000009").await.unwrap(), None);
    assert_duplicate(c.insert_upload(&case_upload).await);

    let id = case_upload.upload_id.as_str();
    assert!(c.transition_upload(id, UploadState::Pending, UploadState::Received).await.unwrap());
    assert!(!c.transition_upload(id, UploadState::Pending, UploadState::Received).await.unwrap());
    assert!(c.transition_upload(id, UploadState::Received, UploadState::Confirmed).await.unwrap());
    assert!(!c.transition_upload(id, UploadState::Received, UploadState::Confirmed).await.unwrap());
    assert!(!c.transition_upload("nope", UploadState::Pending, UploadState::Expired).await.unwrap());
    let state = |u: Option<UploadRecord>| u.map(|u| u.state);
    assert_eq!(state(c.get_upload(id).await.unwrap()), Some(UploadState::Confirmed));
    assert_eq!(state(c.get_upload(&user_upload.upload_id).await.unwrap()), Some(UploadState::Pending));
}

/// Pending and received uploads expired at `now` (inclusive), by expiry then id, limited;
/// confirmed and already expired ones never.
pub async fn expired_oldest_first(store: &dyn Store) {
    let mut c = conn(store).await;
    let rows = [
        upload("1", 300, UploadState::Pending),
        upload("2", 100, UploadState::Received),
        upload("3", 100, UploadState::Pending),
        upload("4", 50, UploadState::Confirmed),
        upload("5", 50, UploadState::Expired),
        upload("6", 301, UploadState::Pending),
    ];
    for row in &rows {
        c.insert_upload(row).await.unwrap();
    }
    let ids = |v: Vec<UploadRecord>| v.into_iter().map(|u| u.upload_id).collect::<Vec<_>>();
    let expected: Vec<String> = [&rows[1], &rows[2], &rows[0]].iter().map(|u| u.upload_id.clone()).collect();
    assert_eq!(ids(c.expired_uploads(at(300), 10).await.unwrap()), expected);
    assert_eq!(ids(c.expired_uploads(at(300), 2).await.unwrap()), expected[..2].to_vec());
    assert!(c.expired_uploads(at(99), 10).await.unwrap().is_empty());
}

/// Queuing returns the ids of the rows it inserted; queued moves come back oldest first with
/// increasing ids; removed ones are gone.
pub async fn moves_queue(store: &dyn Store) {
    let mut c = conn(store).await;
    let mv = |n: i64| PendingMove {
        id: 0,
        source_key: format!("private/case-documents/u/c/demo_file/{n} é.pdf"),
        target_key: format!("private/deleted-case-documents/u/c/demo_file/{n} é.pdf"),
        created_ts: at(n),
    };
    let first = c.enqueue_moves(&[mv(1), mv(2)]).await.unwrap();
    let second = c.enqueue_moves(&[mv(3)]).await.unwrap();
    assert!(c.enqueue_moves(&[]).await.unwrap().is_empty());
    let all = c.pending_moves(10).await.unwrap();
    // The ids returned are those of the rows inserted, in the order given.
    assert_eq!([first, second].concat(), all.iter().map(|m| m.id).collect::<Vec<_>>());
    assert_eq!(
        all.iter().map(|m| m.source_key.clone()).collect::<Vec<_>>(),
        [mv(1), mv(2), mv(3)].map(|m| m.source_key)
    );
    assert_eq!(all[1].target_key, mv(2).target_key);
    assert_eq!(all[2].created_ts, at(3));
    assert!(all[0].id < all[1].id && all[1].id < all[2].id);
    assert_eq!(c.pending_moves(1).await.unwrap(), all[..1].to_vec());
    c.remove_moves(&[all[0].id, all[2].id]).await.unwrap();
    c.remove_moves(&[]).await.unwrap();
    assert_eq!(c.pending_moves(10).await.unwrap(), vec![all[1].clone()]);
}

/// Cases with `archive_state = 'pending'` (active or not), by id; users whose documents lag
/// behind their state (inactive with a live document, active with a deleted one), by id.
pub async fn archive_lookups(store: &dyn Store) {
    let [jane, bob, ann] = owners(store, ["u-jane", "u-bob", "u-ann"]).await;
    let mut c = conn(store).await;
    let rows = [
        ("c-3", Some("pending"), false),
        ("c-1", Some("pending"), true),
        ("c-2", Some("done"), false),
        ("c-4", None, true),
    ];
    for (id, state, active) in rows {
        let row = CaseRow { archive_state: state.and_then(ArchiveState::parse), active, ..jane.case_row(id) };
        c.insert_case(&row).await.unwrap();
    }
    assert_eq!(c.cases_pending_archive(10).await.unwrap(), vec![case_id("c-1"), case_id("c-3")]);
    assert_eq!(c.cases_pending_archive(1).await.unwrap(), vec![case_id("c-1")]);

    // bob: inactive with a live document; ann: active with a deleted one; jane: in step.
    let mut bob_user = bob.user.clone();
    bob_user.active = false;
    c.update_user(&bob_user).await.unwrap();
    let deleted = |u: &surgicase_kernel::UserId, t: &str| UserDocumentRecord {
        location: DocumentLocation::Deleted,
        ..user_document(u, t, "x.pdf")
    };
    c.put_user_documents(&[
        user_document(bob.id(), "W9", "w9.pdf"),
        user_document(bob.id(), "Driver License", "dl.png"),
        deleted(ann.id(), "W9"),
        user_document(jane.id(), "W9", "w9.pdf"),
        deleted(jane.id(), "Driver License"),
    ])
    .await
    .unwrap();
    // jane is active with a deleted document: behind too.
    assert_eq!(
        c.users_pending_archive(10).await.unwrap(),
        vec![ann.id().clone(), bob.id().clone(), jane.id().clone()]
    );
    c.put_user_documents(&[user_document(jane.id(), "Driver License", "dl.png")]).await.unwrap();
    assert_eq!(c.users_pending_archive(10).await.unwrap(), vec![ann.id().clone(), bob.id().clone()]);
    assert_eq!(c.users_pending_archive(1).await.unwrap(), vec![ann.id().clone()]);
}
