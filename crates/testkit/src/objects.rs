//! [`MemoryObjectStore`]: the object-store port in memory.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use async_trait::async_trait;
use std::time::Duration;

use surgicase_ports::{
    MoveOutcome, ObjectError, ObjectInfo, ObjectKey, ObjectMeta, ObjectStore, PresignedRequest, StoredObject,
    TransferMode,
};

/// Objects in a map. Every operation takes the map's lock for its whole duration, so a put is
/// atomic and a move is a single step. Cheap to clone: clones share the objects.
#[derive(Debug, Clone, Default)]
pub struct MemoryObjectStore {
    inner: Arc<Inner>,
}

#[derive(Debug, Default)]
struct Inner {
    objects: Mutex<BTreeMap<ObjectKey, StoredObject>>,
    unavailable: AtomicBool,
    presigned: AtomicBool,
}

impl MemoryObjectStore {
    pub fn new() -> Self {
        Self::default()
    }

    /// While `true`, every operation fails with `ObjectError::Unavailable`.
    pub fn set_unavailable(&self, unavailable: bool) {
        self.inner.unavailable.store(unavailable, Ordering::SeqCst);
    }

    /// While `true` the store behaves like S3 for transfers: [`TransferMode::Presigned`], with
    /// `memory://` URLs (tests then write the object themselves, as a client would).
    pub fn set_presigned(&self, presigned: bool) {
        self.inner.presigned.store(presigned, Ordering::SeqCst);
    }

    /// Every stored key, in order (for assertions).
    pub fn keys(&self) -> Vec<String> {
        self.objects().keys().map(|k| k.as_str().to_owned()).collect()
    }

    fn objects(&self) -> MutexGuard<'_, BTreeMap<ObjectKey, StoredObject>> {
        // A poisoned map is still consistent: each operation changes it in one step.
        self.inner.objects.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn available(&self) -> Result<MutexGuard<'_, BTreeMap<ObjectKey, StoredObject>>, ObjectError> {
        if self.inner.unavailable.load(Ordering::SeqCst) {
            return Err(ObjectError::Unavailable("memory object store switched off".into()));
        }
        Ok(self.objects())
    }
}

#[async_trait]
impl ObjectStore for MemoryObjectStore {
    async fn put(
        &self,
        key: &ObjectKey,
        bytes: Vec<u8>,
        meta: &ObjectMeta,
    ) -> Result<ObjectInfo, ObjectError> {
        let mut objects = self.available()?;
        let info = ObjectInfo {
            key: key.clone(),
            size: bytes.len() as u64,
            content_type: meta.content_type.clone(),
            metadata: meta.metadata.clone(),
        };
        objects.insert(key.clone(), StoredObject { info: info.clone(), bytes });
        Ok(info)
    }

    async fn get(&self, key: &ObjectKey) -> Result<Option<StoredObject>, ObjectError> {
        Ok(self.available()?.get(key).cloned())
    }

    async fn head(&self, key: &ObjectKey) -> Result<Option<ObjectInfo>, ObjectError> {
        Ok(self.available()?.get(key).map(|o| o.info.clone()))
    }

    async fn delete(&self, key: &ObjectKey) -> Result<bool, ObjectError> {
        Ok(self.available()?.remove(key).is_some())
    }

    async fn move_object(&self, from: &ObjectKey, to: &ObjectKey) -> Result<MoveOutcome, ObjectError> {
        let mut objects = self.available()?;
        if let Some(mut object) = objects.remove(from) {
            object.info.key = to.clone();
            objects.insert(to.clone(), object);
            return Ok(MoveOutcome::Moved);
        }
        Ok(if objects.contains_key(to) { MoveOutcome::AlreadyMoved } else { MoveOutcome::Missing })
    }

    async fn list(&self, prefix: &str) -> Result<Vec<ObjectInfo>, ObjectError> {
        Ok(self
            .available()?
            .values()
            .filter(|o| o.info.key.as_str().starts_with(prefix))
            .map(|o| o.info.clone())
            .collect())
    }

    async fn ping(&self) -> Result<(), ObjectError> {
        self.available().map(|_| ())
    }

    fn transfer_mode(&self) -> TransferMode {
        if self.inner.presigned.load(Ordering::SeqCst) {
            TransferMode::Presigned
        } else {
            TransferMode::Direct
        }
    }

    async fn presign_put(
        &self,
        key: &ObjectKey,
        meta: &ObjectMeta,
        ttl: Duration,
    ) -> Result<PresignedRequest, ObjectError> {
        self.presign("PUT", key, ttl, Some(&meta.content_type))
    }

    async fn presign_get(
        &self,
        key: &ObjectKey,
        ttl: Duration,
        download_name: Option<&str>,
    ) -> Result<PresignedRequest, ObjectError> {
        let _ = download_name;
        self.presign("GET", key, ttl, None)
    }
}

impl MemoryObjectStore {
    fn presign(
        &self,
        method: &str,
        key: &ObjectKey,
        ttl: Duration,
        content_type: Option<&str>,
    ) -> Result<PresignedRequest, ObjectError> {
        drop(self.available()?);
        if self.transfer_mode() != TransferMode::Presigned {
            return Err(ObjectError::Backend("presigned requests are switched off".into()));
        }
        let headers = content_type
            .map(|ct| BTreeMap::from([("Content-Type".to_owned(), ct.to_owned())]))
            .unwrap_or_default();
        Ok(PresignedRequest {
            method: method.to_owned(),
            url: format!("memory://{}?expires={}", key.as_str(), ttl.as_secs()),
            headers,
        })
    }
}
