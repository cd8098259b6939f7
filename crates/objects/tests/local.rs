//! What the local store promises beyond the contract suite: private modes, invisible
//! temporary files, atomic concurrent puts, a layout where nothing collides, crash leftovers.
// Test helpers outside `#[test]` functions unwrap too: a failure there is a test failure.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use surgicase_objects::LocalObjectStore;
use surgicase_objects::local::DEFAULT_CONTENT_TYPE;
use surgicase_ports::{MoveOutcome, ObjectError, ObjectKey, ObjectMeta, ObjectStore};
use tempfile::TempDir;

fn key(raw: &str) -> ObjectKey {
    ObjectKey::parse(raw).unwrap()
}

fn meta(content_type: &str) -> ObjectMeta {
    ObjectMeta { content_type: content_type.to_owned(), metadata: BTreeMap::new() }
}

fn open() -> (LocalObjectStore, TempDir) {
    let dir = tempfile::tempdir().unwrap();
    (LocalObjectStore::new(dir.path().join("store")).unwrap(), dir)
}

async fn keys(store: &LocalObjectStore, prefix: &str) -> Vec<String> {
    store.list(prefix).await.unwrap().into_iter().map(|i| i.key.to_string()).collect()
}

#[cfg(unix)]
fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[cfg(unix)]
#[tokio::test]
async fn files_are_0600_and_directories_0700() {
    let (store, _dir) = open();
    store
        .put(&key("private/case-documents/u/c/demo_file/a.pdf"), b"%PDF-".to_vec(), &meta("application/pdf"))
        .await
        .unwrap();
    let root = store.root();
    for file in [
        "objects/private/case-documents/u/c/demo_file/a.pdf",
        "meta/private/case-documents/u/c/demo_file/a.pdf",
    ] {
        assert_eq!(mode(&root.join(file)), 0o600, "{file}");
    }
    for dir in [
        "",
        "objects",
        "meta",
        "tmp",
        "objects/private",
        "objects/private/case-documents/u/c/demo_file",
        "meta/private/case-documents/u",
    ] {
        assert_eq!(mode(&root.join(dir)), 0o700, "{dir:?}");
    }
}

#[tokio::test]
async fn keys_that_look_like_the_layout_do_not_collide() {
    let (store, _dir) = open();
    let raws = ["a", "meta/a", "tmp/a", "objects/a", ".meta/a", "a.json", "x/.part", "objects/meta/a"];
    for (i, raw) in raws.iter().enumerate() {
        store.put(&key(raw), vec![i as u8; i + 1], &meta(&format!("type/{i}"))).await.unwrap();
    }
    for (i, raw) in raws.iter().enumerate() {
        let got = store.get(&key(raw)).await.unwrap().unwrap();
        assert_eq!((got.bytes, got.info.content_type), (vec![i as u8; i + 1], format!("type/{i}")), "{raw}");
    }
    let mut expected: Vec<String> = raws.iter().map(|r| r.to_string()).collect();
    expected.sort();
    assert_eq!(keys(&store, "").await, expected);
}

#[tokio::test]
async fn an_object_cannot_also_be_a_directory() {
    let (store, _dir) = open();
    store.put(&key("a/b"), b"file".to_vec(), &meta("text/plain")).await.unwrap();
    let clash = store.put(&key("a/b/c"), b"x".to_vec(), &meta("text/plain")).await;
    assert!(matches!(clash, Err(ObjectError::Backend(_))), "{clash:?}");
    let clash = store.put(&key("a"), b"x".to_vec(), &meta("text/plain")).await;
    assert!(matches!(clash, Err(ObjectError::Backend(_))), "{clash:?}");
    assert_eq!(store.get(&key("a/b")).await.unwrap().unwrap().bytes, b"file");
    assert_eq!(store.get(&key("a")).await.unwrap(), None);
    assert_eq!(keys(&store, "").await, ["a/b"]);
    // Deleting prunes the empty directories, so the other shape becomes possible.
    assert!(store.delete(&key("a/b")).await.unwrap());
    assert!(!store.root().join("objects/a").exists());
    assert!(!store.root().join("meta/a").exists());
    store.put(&key("a"), b"now a file".to_vec(), &meta("text/plain")).await.unwrap();
    assert_eq!(keys(&store, "").await, ["a"]);
}

#[tokio::test]
async fn temporary_files_are_never_objects() {
    let (store, _dir) = open();
    // A leftover of a crashed write.
    std::fs::write(store.root().join("tmp/123-0-0.part"), b"half").unwrap();
    let store = Arc::new(store);
    let writers: Vec<_> = (0..4)
        .map(|w| {
            let store = store.clone();
            tokio::spawn(async move {
                for i in 0..10 {
                    let k = key(&format!("private/w{w}/doc{i}.pdf"));
                    store.put(&k, vec![7u8; 64 * 1024], &meta("application/pdf")).await.unwrap();
                }
            })
        })
        .collect();
    let lister = {
        let store = store.clone();
        tokio::spawn(async move {
            for _ in 0..50 {
                for info in store.list("").await.unwrap() {
                    assert!(info.key.as_str().starts_with("private/w"), "{}", info.key);
                    assert!(info.key.as_str().ends_with(".pdf"), "{}", info.key);
                    assert_eq!(info.size, 64 * 1024, "a partial object was listed");
                }
            }
        })
    };
    for task in writers {
        task.await.unwrap();
    }
    lister.await.unwrap();
    assert_eq!(keys(&store, "").await.len(), 40);
    let temps: Vec<_> = std::fs::read_dir(store.root().join("tmp")).unwrap().collect();
    assert_eq!(temps.len(), 1, "only the planted leftover remains");
}

#[tokio::test]
async fn concurrent_puts_to_one_key_leave_one_complete_object() {
    let (store, _dir) = open();
    let store = Arc::new(store);
    let k = key("private/reports/report.pdf");
    let version = |i: usize| (vec![i as u8; 10_000 + i * 997], format!("type/{i}"));
    let writers: Vec<_> = (0..16)
        .map(|i| {
            let (store, k) = (store.clone(), k.clone());
            tokio::spawn(async move {
                let (bytes, content_type) = version(i);
                store.put(&k, bytes, &meta(&content_type)).await.unwrap();
            })
        })
        .collect();
    let reader = {
        let (store, k) = (store.clone(), k.clone());
        tokio::spawn(async move {
            for _ in 0..100 {
                if let Some(got) = store.get(&k).await.unwrap() {
                    let i = usize::from(got.bytes[0]);
                    assert_eq!((got.bytes, got.info.content_type), version(i), "a torn read");
                }
            }
        })
    };
    for task in writers {
        task.await.unwrap();
    }
    reader.await.unwrap();
    let got = store.get(&k).await.unwrap().unwrap();
    let i = usize::from(got.bytes[0]);
    assert_eq!((got.bytes.clone(), got.info.content_type.clone()), version(i));
    assert_eq!(got.info.size, got.bytes.len() as u64);
    assert_eq!(std::fs::read_dir(store.root().join("tmp")).unwrap().count(), 0);
}

#[tokio::test]
async fn a_move_interrupted_between_its_renames_completes_on_retry() {
    let (store, _dir) = open();
    let (from, to) = (key("live/u/scan.pdf"), key("deleted/u/scan.pdf"));
    store.put(&from, b"scan".to_vec(), &meta("application/pdf")).await.unwrap();
    // The crash: the object moved, its sidecar did not.
    let root = store.root();
    std::fs::create_dir_all(root.join("objects/deleted/u")).unwrap();
    std::fs::rename(root.join("objects/live/u/scan.pdf"), root.join("objects/deleted/u/scan.pdf")).unwrap();
    assert_eq!(store.head(&from).await.unwrap(), None);
    assert_eq!(store.move_object(&from, &to).await.unwrap(), MoveOutcome::AlreadyMoved);
    let moved = store.head(&to).await.unwrap().unwrap();
    assert_eq!(moved.content_type, "application/pdf");
    assert!(!root.join("meta/live").exists());
}

#[tokio::test]
async fn an_object_without_sidecar_reads_with_defaults() {
    let (store, _dir) = open();
    let k = key("x/y.bin");
    store.put(&k, b"bytes".to_vec(), &meta("application/pdf")).await.unwrap();
    std::fs::remove_file(store.root().join("meta/x/y.bin")).unwrap();
    let info = store.head(&k).await.unwrap().unwrap();
    assert_eq!((info.size, info.content_type.as_str()), (5, DEFAULT_CONTENT_TYPE));
    // A move of it must not pick up the destination's old sidecar.
    let to = key("z/y.bin");
    store.put(&to, b"old".to_vec(), &meta("text/old")).await.unwrap();
    assert_eq!(store.move_object(&k, &to).await.unwrap(), MoveOutcome::Moved);
    assert_eq!(store.head(&to).await.unwrap().unwrap().content_type, DEFAULT_CONTENT_TYPE);
}

#[tokio::test]
async fn stale_temporary_files_are_removed_at_start() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("store");
    drop(LocalObjectStore::new(root.clone()).unwrap());
    let old = root.join("tmp/1-1-1.part");
    let fresh = root.join("tmp/1-2-2.part");
    for path in [&old, &fresh] {
        std::fs::write(path, b"half").unwrap();
    }
    let two_hours_ago = SystemTime::now() - Duration::from_secs(7200);
    std::fs::File::options().write(true).open(&old).unwrap().set_modified(two_hours_ago).unwrap();
    let _store = LocalObjectStore::new(root).unwrap();
    assert!(!old.exists());
    assert!(fresh.exists(), "a write in progress of another process must survive");
}

#[tokio::test]
async fn objects_survive_a_reopen() {
    let (store, dir) = open();
    store.put(&key("a/b.pdf"), b"kept".to_vec(), &meta("application/pdf")).await.unwrap();
    let again = LocalObjectStore::new(dir.path().join("store")).unwrap();
    let got = again.get(&key("a/b.pdf")).await.unwrap().unwrap();
    assert_eq!((got.bytes.as_slice(), got.info.content_type.as_str()), (&b"kept"[..], "application/pdf"));
}

#[tokio::test]
async fn list_prefixes_match_like_s3() {
    let (store, _dir) = open();
    for raw in ["private/case-documents/u/a.pdf", "private/case-docs/b.pdf", "private/c.pdf", "public/d.pdf"]
    {
        store.put(&key(raw), b"x".to_vec(), &meta("application/pdf")).await.unwrap();
    }
    let table: &[(&str, &[&str])] = &[
        ("", &["private/c.pdf", "private/case-docs/b.pdf", "private/case-documents/u/a.pdf", "public/d.pdf"]),
        (
            "p",
            &["private/c.pdf", "private/case-docs/b.pdf", "private/case-documents/u/a.pdf", "public/d.pdf"],
        ),
        ("private/case-doc", &["private/case-docs/b.pdf", "private/case-documents/u/a.pdf"]),
        ("private/case-documents/", &["private/case-documents/u/a.pdf"]),
        ("private/c.pdf", &["private/c.pdf"]),
        ("private/c.pdf/", &[]),
        ("../", &[]),
        ("private/../", &[]),
        ("private//", &[]),
        ("nothing/", &[]),
    ];
    for (prefix, expected) in table {
        assert_eq!(keys(&store, prefix).await, *expected, "{prefix:?}");
    }
}

#[cfg(unix)]
#[tokio::test]
async fn a_planted_symlink_is_not_followed() {
    let (store, dir) = open();
    let outside = dir.path().join("outside");
    std::fs::create_dir_all(&outside).unwrap();
    std::fs::write(outside.join("secret.pdf"), b"secret").unwrap();
    std::os::unix::fs::symlink(&outside, store.root().join("objects/evil")).unwrap();
    let got = store.get(&key("evil/secret.pdf")).await;
    assert!(matches!(got, Err(ObjectError::InvalidKey(_))), "{got:?}");
    let put = store.put(&key("evil/new.pdf"), b"x".to_vec(), &meta("application/pdf")).await;
    assert!(matches!(put, Err(ObjectError::InvalidKey(_))), "{put:?}");
    assert!(!outside.join("new.pdf").exists());
    assert!(keys(&store, "").await.is_empty());
    assert!(matches!(store.list("evil/").await, Err(ObjectError::InvalidKey(_))));
}

#[tokio::test]
async fn ping_fails_when_the_directory_is_gone() {
    let (store, _dir) = open();
    store.ping().await.unwrap();
    std::fs::remove_dir_all(store.root()).unwrap();
    assert!(matches!(store.ping().await, Err(ObjectError::Unavailable(_))));
}
