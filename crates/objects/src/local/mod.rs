//! [`LocalObjectStore`]: the object-store port on a local directory.
//!
//! Writes are atomic (temporary file, fsync, rename, fsync of the directory); files are
//! created 0600 and directories 0700. Within the process, operations on one key are
//! serialised (striped locks), so a reader never sees new bytes with old metadata; across
//! processes the bytes are still replaced atomically. File system work runs on tokio's
//! blocking pool. Error texts never contain keys (file names may carry personal data).

mod fs;
mod layout;
mod sidecar;

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use async_trait::async_trait;
use surgicase_ports::{
    MoveOutcome, ObjectError, ObjectInfo, ObjectKey, ObjectMeta, ObjectStore, StoredObject,
};
use tokio::sync::{RwLock, RwLockReadGuard, RwLockWriteGuard};

use layout::Layout;

pub use sidecar::DEFAULT_CONTENT_TYPE;

/// Number of lock stripes: enough that unrelated keys rarely wait on each other.
const STRIPES: usize = 64;

/// The object store on a directory (`<data dir>/objects` or similar). Cheap to clone.
#[derive(Clone)]
pub struct LocalObjectStore {
    layout: Arc<Layout>,
    locks: Arc<[RwLock<()>]>,
}

impl std::fmt::Debug for LocalObjectStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LocalObjectStore").field("root", &self.layout.root()).finish()
    }
}

impl LocalObjectStore {
    /// Opens (creating if needed) a store under `root`: `root/objects`, `root/meta` and
    /// `root/tmp`, all mode 0700. Blocking; call at start-up. Temporary files older than an
    /// hour (left by a crash) are removed.
    pub fn new(root: PathBuf) -> Result<Self, ObjectError> {
        let layout = Layout::open(&root)?;
        let locks: Arc<[RwLock<()>]> = (0..STRIPES).map(|_| RwLock::new(())).collect();
        Ok(Self { layout: Arc::new(layout), locks })
    }

    /// The canonical root directory.
    pub fn root(&self) -> &Path {
        self.layout.root()
    }

    fn stripe(key: &ObjectKey) -> usize {
        let mut hasher = DefaultHasher::new();
        key.hash(&mut hasher);
        (hasher.finish() % STRIPES as u64) as usize
    }

    fn lock(&self, index: usize) -> &RwLock<()> {
        // `index` comes from `stripe`, always below STRIPES == locks.len().
        &self.locks[index % self.locks.len()]
    }

    async fn read(&self, key: &ObjectKey) -> RwLockReadGuard<'_, ()> {
        self.lock(Self::stripe(key)).read().await
    }

    async fn write(&self, key: &ObjectKey) -> RwLockWriteGuard<'_, ()> {
        self.lock(Self::stripe(key)).write().await
    }

    /// Runs `op` on the blocking pool.
    async fn blocking<T, F>(&self, op: F) -> Result<T, ObjectError>
    where
        T: Send + 'static,
        F: FnOnce(&Layout) -> Result<T, ObjectError> + Send + 'static,
    {
        let layout = self.layout.clone();
        tokio::task::spawn_blocking(move || op(&layout))
            .await
            .map_err(|e| ObjectError::Backend(format!("file system task failed: {e}")))?
    }
}

#[async_trait]
impl ObjectStore for LocalObjectStore {
    async fn put(
        &self,
        key: &ObjectKey,
        bytes: Vec<u8>,
        meta: &ObjectMeta,
    ) -> Result<ObjectInfo, ObjectError> {
        let _guard = self.write(key).await;
        let (key, meta) = (key.clone(), meta.clone());
        self.blocking(move |l| l.put(&key, &bytes, &meta)).await
    }

    async fn get(&self, key: &ObjectKey) -> Result<Option<StoredObject>, ObjectError> {
        let _guard = self.read(key).await;
        let key = key.clone();
        self.blocking(move |l| l.get(&key)).await
    }

    async fn head(&self, key: &ObjectKey) -> Result<Option<ObjectInfo>, ObjectError> {
        let _guard = self.read(key).await;
        let key = key.clone();
        self.blocking(move |l| l.head(&key)).await
    }

    async fn delete(&self, key: &ObjectKey) -> Result<bool, ObjectError> {
        let _guard = self.write(key).await;
        let key = key.clone();
        self.blocking(move |l| l.delete(&key)).await
    }

    async fn move_object(&self, from: &ObjectKey, to: &ObjectKey) -> Result<MoveOutcome, ObjectError> {
        // Two stripes are always taken in index order, so two moves cannot deadlock.
        let (a, b) = (Self::stripe(from), Self::stripe(to));
        let _first = self.lock(a.min(b)).write().await;
        let _second = if a == b { None } else { Some(self.lock(a.max(b)).write().await) };
        let (from, to) = (from.clone(), to.clone());
        self.blocking(move |l| l.move_object(&from, &to)).await
    }

    async fn list(&self, prefix: &str) -> Result<Vec<ObjectInfo>, ObjectError> {
        let prefix = prefix.to_owned();
        self.blocking(move |l| l.list(&prefix)).await
    }

    async fn ping(&self) -> Result<(), ObjectError> {
        self.blocking(Layout::ping).await
    }
}
