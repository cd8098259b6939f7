//! Where things live under the root, and the synchronous operations on them.
//!
//! ```text
//! root/objects/<key>   the bytes, exactly as stored
//! root/meta/<key>      the metadata sidecar (JSON), mirroring objects/
//! root/tmp/<unique>    writes in progress, renamed into place when complete
//! ```
//!
//! The three trees are disjoint, so no key can collide with a sidecar or a temporary file,
//! and `meta/` has the same shape as `objects/`, so a sidecar exists wherever its object can.
//! `tmp/` is on the same file system as the others (same root), so the renames are atomic.
//! Unlike S3, a key cannot be both an object and a prefix of another key's directories
//! (`a` and `a/b`): such a put fails with `ObjectError::Backend`.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use surgicase_ports::{MoveOutcome, ObjectError, ObjectInfo, ObjectKey, ObjectMeta, StoredObject};

use super::fs::{
    create_dirs, io_error, make_private, prune_empty_parents, regular_file_len, remove_if_present,
    rename_into, stays_under, sync_dir, write_new_file,
};
use super::sidecar;

/// Temporary files older than this are leftovers of a crash, removed at start-up.
const STALE_TEMP: Duration = Duration::from_secs(3600);

pub(crate) struct Layout {
    /// Canonical root.
    root: PathBuf,
    objects: PathBuf,
    meta: PathBuf,
    tmp: PathBuf,
    counter: AtomicU64,
}

impl Layout {
    /// Creates the directories (mode 0700) and clears stale temporary files.
    pub(crate) fn open(root: &Path) -> Result<Self, ObjectError> {
        let unavailable = |what: &str, e: std::io::Error| ObjectError::Unavailable(format!("{what}: {e}"));
        create_dirs(root).map_err(|e| unavailable("creating the store root", e))?;
        let root = std::fs::canonicalize(root).map_err(|e| unavailable("resolving the store root", e))?;
        let layout = Self {
            objects: root.join("objects"),
            meta: root.join("meta"),
            tmp: root.join("tmp"),
            root,
            counter: AtomicU64::new(0),
        };
        for dir in [&layout.root, &layout.objects, &layout.meta, &layout.tmp] {
            create_dirs(dir)
                .and_then(|()| make_private(dir))
                .map_err(|e| unavailable("preparing the store", e))?;
        }
        layout.clear_stale_temps();
        Ok(layout)
    }

    pub(crate) fn root(&self) -> &Path {
        &self.root
    }

    fn clear_stale_temps(&self) {
        let Ok(entries) = std::fs::read_dir(&self.tmp) else { return };
        for entry in entries.flatten() {
            let old = entry
                .metadata()
                .and_then(|m| m.modified())
                .is_ok_and(|t| t.elapsed().is_ok_and(|a| a > STALE_TEMP));
            if old && std::fs::remove_file(entry.path()).is_ok() {
                tracing::info!("removed a stale temporary object file");
            }
        }
    }

    /// The object and sidecar paths of a key, checked to stay inside the store.
    fn paths(&self, key: &ObjectKey) -> Result<(PathBuf, PathBuf), ObjectError> {
        let object = self.objects.join(key.as_str());
        let meta = self.meta.join(key.as_str());
        for (top, path) in [(&self.objects, &object), (&self.meta, &meta)] {
            if !stays_under(top, path).map_err(|e| io_error("resolving the key", &e))? {
                return Err(ObjectError::InvalidKey("the key resolves outside the store".to_owned()));
            }
        }
        Ok((object, meta))
    }

    /// A fresh temporary file holding `bytes`.
    fn temp_with(&self, bytes: &[u8]) -> Result<PathBuf, ObjectError> {
        let n = self.counter.fetch_add(1, Ordering::Relaxed);
        let nanos = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0);
        let path = self.tmp.join(format!("{}-{n}-{nanos}.part", std::process::id()));
        write_new_file(&path, bytes).map_err(|e| {
            let _ = std::fs::remove_file(&path);
            io_error("writing a temporary file", &e)
        })?;
        Ok(path)
    }

    /// Object first, then sidecar: a crash in between leaves the new bytes with the old
    /// metadata, never metadata without its object.
    pub(crate) fn put(
        &self,
        key: &ObjectKey,
        bytes: &[u8],
        meta: &ObjectMeta,
    ) -> Result<ObjectInfo, ObjectError> {
        let (object, meta_path) = self.paths(key)?;
        let temp_object = self.temp_with(bytes)?;
        let temp_meta = match sidecar::encode(meta).and_then(|s| self.temp_with(&s)) {
            Ok(path) => path,
            Err(e) => {
                let _ = std::fs::remove_file(&temp_object);
                return Err(e);
            }
        };
        let placed =
            rename_into(&temp_object, &object).map_err(|e| io_error("placing the object", &e)).and_then(
                |()| rename_into(&temp_meta, &meta_path).map_err(|e| io_error("placing the metadata", &e)),
            );
        if placed.is_err() {
            let _ = std::fs::remove_file(&temp_object);
            let _ = std::fs::remove_file(&temp_meta);
        }
        placed?;
        Ok(ObjectInfo {
            key: key.clone(),
            size: bytes.len() as u64,
            content_type: meta.content_type.clone(),
            metadata: meta.metadata.clone(),
        })
    }

    pub(crate) fn head(&self, key: &ObjectKey) -> Result<Option<ObjectInfo>, ObjectError> {
        let (object, meta_path) = self.paths(key)?;
        let Some(size) = regular_file_len(&object).map_err(|e| io_error("reading the object", &e))? else {
            return Ok(None);
        };
        let meta = sidecar::read(&meta_path)?;
        Ok(Some(ObjectInfo {
            key: key.clone(),
            size,
            content_type: meta.content_type,
            metadata: meta.metadata,
        }))
    }

    pub(crate) fn get(&self, key: &ObjectKey) -> Result<Option<StoredObject>, ObjectError> {
        let (object, meta_path) = self.paths(key)?;
        if regular_file_len(&object).map_err(|e| io_error("reading the object", &e))?.is_none() {
            return Ok(None);
        }
        let bytes = match std::fs::read(&object) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(io_error("reading the object", &e)),
        };
        let meta = sidecar::read(&meta_path)?;
        let info = ObjectInfo {
            key: key.clone(),
            size: bytes.len() as u64,
            content_type: meta.content_type,
            metadata: meta.metadata,
        };
        Ok(Some(StoredObject { info, bytes }))
    }

    /// Sidecar first, then object: a crash in between leaves an object with default
    /// metadata, never an orphan sidecar.
    pub(crate) fn delete(&self, key: &ObjectKey) -> Result<bool, ObjectError> {
        let (object, meta_path) = self.paths(key)?;
        if regular_file_len(&object).map_err(|e| io_error("deleting", &e))?.is_none() {
            return Ok(false);
        }
        remove_if_present(&meta_path).map_err(|e| io_error("deleting the metadata", &e))?;
        let deleted = remove_if_present(&object).map_err(|e| io_error("deleting the object", &e))?;
        prune_empty_parents(&meta_path, &self.meta);
        prune_empty_parents(&object, &self.objects);
        Ok(deleted)
    }

    /// Object first, then sidecar. A crash in between leaves the sidecar behind at `from`
    /// with no object; the retry (`AlreadyMoved`) carries it over.
    pub(crate) fn move_object(&self, from: &ObjectKey, to: &ObjectKey) -> Result<MoveOutcome, ObjectError> {
        let (from_object, from_meta) = self.paths(from)?;
        let (to_object, to_meta) = self.paths(to)?;
        let present = |p: &Path| regular_file_len(p).map(|l| l.is_some()).map_err(|e| io_error("moving", &e));
        if from == to {
            return Ok(if present(&from_object)? { MoveOutcome::AlreadyMoved } else { MoveOutcome::Missing });
        }
        let outcome = if present(&from_object)? {
            rename_into(&from_object, &to_object).map_err(|e| io_error("moving the object", &e))?;
            MoveOutcome::Moved
        } else if present(&to_object)? {
            MoveOutcome::AlreadyMoved
        } else {
            return Ok(MoveOutcome::Missing);
        };
        if present(&from_meta)? {
            rename_into(&from_meta, &to_meta).map_err(|e| io_error("moving the metadata", &e))?;
        } else if outcome == MoveOutcome::Moved {
            // The moved object had no sidecar: one left at the destination belongs to the
            // object it replaced.
            remove_if_present(&to_meta).map_err(|e| io_error("moving the metadata", &e))?;
        }
        prune_empty_parents(&from_meta, &self.meta);
        prune_empty_parents(&from_object, &self.objects);
        Ok(outcome)
    }

    /// Objects whose key starts with `prefix`, in key order.
    pub(crate) fn list(&self, prefix: &str) -> Result<Vec<ObjectInfo>, ObjectError> {
        // Walk only the deepest directory the prefix names in full.
        let start = match prefix.rfind('/') {
            None => self.objects.clone(),
            Some(end) => match ObjectKey::parse(&prefix[..end]) {
                Ok(dir) => self.objects.join(dir.as_str()),
                // A prefix with an empty or dot segment matches no key.
                Err(_) => return Ok(Vec::new()),
            },
        };
        if !stays_under(&self.objects, &start).map_err(|e| io_error("listing", &e))? {
            return Err(ObjectError::InvalidKey("the prefix resolves outside the store".to_owned()));
        }
        let mut found = Vec::new();
        self.walk(&start, prefix, &mut found)?;
        found.sort_by(|a: &ObjectInfo, b| a.key.cmp(&b.key));
        Ok(found)
    }

    fn walk(&self, dir: &Path, prefix: &str, found: &mut Vec<ObjectInfo>) -> Result<(), ObjectError> {
        let entries = match std::fs::read_dir(dir) {
            Ok(entries) => entries,
            Err(e)
                if matches!(e.kind(), std::io::ErrorKind::NotFound | std::io::ErrorKind::NotADirectory) =>
            {
                return Ok(());
            }
            Err(e) => return Err(io_error("listing", &e)),
        };
        for entry in entries {
            let entry = entry.map_err(|e| io_error("listing", &e))?;
            let path = entry.path();
            // `file_type` does not follow symlinks: a planted link is neither walked nor listed.
            let kind = entry.file_type().map_err(|e| io_error("listing", &e))?;
            if kind.is_dir() {
                self.walk(&path, prefix, found)?;
                continue;
            }
            if !kind.is_file() {
                continue;
            }
            let Some(key) = self.key_of(&path) else { continue };
            if !key.as_str().starts_with(prefix) {
                continue;
            }
            // Gone since the directory was read: not listed.
            if let Some(info) = self.head(&key)? {
                found.push(info);
            }
        }
        Ok(())
    }

    fn key_of(&self, path: &Path) -> Option<ObjectKey> {
        let relative = path.strip_prefix(&self.objects).ok()?;
        let parts: Option<Vec<&str>> = relative.components().map(|c| c.as_os_str().to_str()).collect();
        ObjectKey::parse(&parts?.join("/")).ok()
    }

    /// Writes and removes a temporary file: the disk is there and writable.
    pub(crate) fn ping(&self) -> Result<(), ObjectError> {
        let unavailable = |e: ObjectError| ObjectError::Unavailable(e.to_string());
        let probe = self.temp_with(b"").map_err(unavailable)?;
        std::fs::remove_file(&probe)
            .map_err(|e| ObjectError::Unavailable(format!("removing the probe: {e}")))?;
        sync_dir(&self.tmp).map_err(|e| ObjectError::Unavailable(format!("syncing: {e}")))
    }
}
