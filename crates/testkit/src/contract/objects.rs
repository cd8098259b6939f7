//! `ObjectStore`: atomic puts, reads, deletes, idempotent moves, listing by prefix.
//!
//! Assumed: metadata keys are lower-case ASCII (S3 lower-cases them); `list` is compared on
//! keys and sizes only (S3's listing carries neither content type nor metadata); prefixes
//! used here end with `/`.

use std::collections::BTreeMap;

use surgicase_ports::{MoveOutcome, ObjectKey, ObjectMeta, ObjectStore};

fn key(raw: &str) -> ObjectKey {
    ObjectKey::parse(raw).expect("valid key")
}

fn meta(content_type: &str, pairs: &[(&str, &str)]) -> ObjectMeta {
    ObjectMeta {
        content_type: content_type.to_owned(),
        metadata: pairs.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect::<BTreeMap<_, _>>(),
    }
}

/// `put` returns the info; `get` and `head` return the same info (size, content type,
/// metadata) and `get` the exact bytes, binary and empty alike; unknown keys are `None`.
pub async fn put_get_head_round_trip(store: &dyn ObjectStore) {
    let k = key("private/case-documents/u-jane/c-1/demo_file/face sheet.pdf");
    let bytes = vec![0u8, 1, 2, 255, 254, b'%', b'P', b'D', b'F'];
    let m = meta("application/pdf", &[("sha256", "9f86d081"), ("uploaded-by", "u-jane")]);
    let info = store.put(&k, bytes.clone(), &m).await.unwrap();
    assert_eq!(info.key, k);
    assert_eq!(info.size, 9);
    assert_eq!(info.content_type, "application/pdf");
    assert_eq!(info.metadata, m.metadata);

    let got = store.get(&k).await.unwrap().expect("stored object");
    assert_eq!(got.bytes, bytes);
    assert_eq!(got.info, info);
    assert_eq!(store.head(&k).await.unwrap(), Some(info));

    let empty = key("private/reports/empty.csv");
    let info = store.put(&empty, Vec::new(), &meta("text/csv", &[])).await.unwrap();
    assert_eq!(info.size, 0);
    let got = store.get(&empty).await.unwrap().expect("empty object");
    assert!(got.bytes.is_empty());
    assert!(got.info.metadata.is_empty());

    let missing = key("private/case-documents/u-jane/c-1/demo_file/none.pdf");
    assert_eq!(store.get(&missing).await.unwrap(), None);
    assert_eq!(store.head(&missing).await.unwrap(), None);
}

/// A second `put` replaces bytes, content type and metadata whole.
pub async fn put_replaces(store: &dyn ObjectStore) {
    let k = key("private/user-documents/u-jane/W9/w9.pdf");
    store.put(&k, b"first version".to_vec(), &meta("application/pdf", &[("v", "1")])).await.unwrap();
    let info = store.put(&k, b"v2".to_vec(), &meta("image/png", &[])).await.unwrap();
    let got = store.get(&k).await.unwrap().expect("object");
    assert_eq!(got.bytes, b"v2");
    assert_eq!(got.info, info);
    assert_eq!((info.size, info.content_type.as_str(), info.metadata.len()), (2, "image/png", 0));
    assert_eq!(store.list("private/user-documents/u-jane/").await.unwrap().len(), 1);
}

/// `delete` is `true` once, then `false`; the object is gone.
pub async fn delete_once(store: &dyn ObjectStore) {
    let k = key("private/case-documents/u-jane/c-1/note_file/note.pdf");
    let keep = key("private/case-documents/u-jane/c-1/note_file/keep.pdf");
    store.put(&k, b"note".to_vec(), &meta("application/pdf", &[])).await.unwrap();
    store.put(&keep, b"keep".to_vec(), &meta("application/pdf", &[])).await.unwrap();
    assert!(store.delete(&k).await.unwrap());
    assert_eq!(store.get(&k).await.unwrap(), None);
    assert!(!store.delete(&k).await.unwrap());
    assert_eq!(store.get(&keep).await.unwrap().map(|o| o.bytes), Some(b"keep".to_vec()));
}

/// `move_object`: `Moved` (bytes, content type and metadata kept, source gone, destination
/// overwritten if present); retried, `AlreadyMoved`; with neither side, `Missing`.
pub async fn move_outcomes(store: &dyn ObjectStore) {
    let from = key("private/case-documents/u-jane/c-1/demo_file/scan.pdf");
    let to = key("private/deleted-case-documents/u-jane/c-1/demo_file/scan.pdf");
    let m = meta("application/pdf", &[("sha256", "abc")]);
    store.put(&from, b"scan".to_vec(), &m).await.unwrap();

    assert_eq!(store.move_object(&from, &to).await.unwrap(), MoveOutcome::Moved);
    assert_eq!(store.get(&from).await.unwrap(), None);
    let moved = store.get(&to).await.unwrap().expect("destination");
    assert_eq!(moved.bytes, b"scan");
    assert_eq!((moved.info.key.clone(), moved.info.size), (to.clone(), 4));
    assert_eq!((moved.info.content_type.as_str(), &moved.info.metadata), ("application/pdf", &m.metadata));

    assert_eq!(store.move_object(&from, &to).await.unwrap(), MoveOutcome::AlreadyMoved);
    assert_eq!(store.get(&to).await.unwrap().map(|o| o.bytes), Some(b"scan".to_vec()));

    let nowhere = key("private/case-documents/u-jane/c-9/demo_file/none.pdf");
    let nowhere_to = key("private/deleted-case-documents/u-jane/c-9/demo_file/none.pdf");
    assert_eq!(store.move_object(&nowhere, &nowhere_to).await.unwrap(), MoveOutcome::Missing);
    assert_eq!(store.head(&nowhere_to).await.unwrap(), None);

    store.put(&from, b"newer".to_vec(), &meta("text/plain", &[])).await.unwrap();
    assert_eq!(store.move_object(&from, &to).await.unwrap(), MoveOutcome::Moved);
    assert_eq!(store.get(&to).await.unwrap().map(|o| o.bytes), Some(b"newer".to_vec()));
    assert_eq!(store.get(&from).await.unwrap(), None);
}

/// `list` returns the objects under a prefix, in key order, with their sizes; nothing for an
/// unused prefix; a sibling whose name only starts like the prefix's last segment is excluded.
pub async fn list_by_prefix_in_key_order(store: &dyn ObjectStore) {
    let objects = [
        ("private/case-documents/u-jane/c-2/demo_file/x.pdf", 3),
        ("private/case-documents/u-jane/c-1/note_file/b.pdf", 2),
        ("private/case-documents/u-jane/c-1/demo_file/a.pdf", 1),
        ("private/case-documents/u-jane2/c-9/demo_file/z.pdf", 4),
        ("private/user-documents/u-jane/W9/w9.pdf", 5),
    ];
    for (raw, size) in objects {
        store.put(&key(raw), vec![7u8; size], &meta("application/pdf", &[])).await.unwrap();
    }
    let listed = |infos: Vec<surgicase_ports::ObjectInfo>| {
        infos.into_iter().map(|i| (i.key.as_str().to_owned(), i.size)).collect::<Vec<_>>()
    };
    let expected: Vec<(String, u64)> = [
        ("private/case-documents/u-jane/c-1/demo_file/a.pdf", 1),
        ("private/case-documents/u-jane/c-1/note_file/b.pdf", 2),
        ("private/case-documents/u-jane/c-2/demo_file/x.pdf", 3),
    ]
    .iter()
    .map(|(k, s)| ((*k).to_owned(), *s))
    .collect();
    assert_eq!(listed(store.list("private/case-documents/u-jane/").await.unwrap()), expected);
    assert_eq!(
        listed(store.list("private/case-documents/u-jane/c-1/").await.unwrap()),
        expected[..2].to_vec()
    );
    assert!(store.list("private/nothing/").await.unwrap().is_empty());
    let all = listed(store.list("private/").await.unwrap());
    let keys: Vec<&str> = all.iter().map(|(k, _)| k.as_str()).collect();
    let mut sorted: Vec<&str> = objects.iter().map(|(k, _)| *k).collect();
    sorted.sort_unstable();
    assert_eq!(keys, sorted);
}

/// `ping` answers.
pub async fn ping_answers(store: &dyn ObjectStore) {
    store.ping().await.unwrap();
}
