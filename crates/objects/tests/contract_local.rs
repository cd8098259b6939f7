//! The local directory store passes the object-store contract suite.
// A store that cannot be created is a failed test, not a skipped one.
#![allow(clippy::unwrap_used)]

use std::sync::Arc;

use async_trait::async_trait;
use surgicase_objects::LocalObjectStore;
use surgicase_ports::{
    MoveOutcome, ObjectError, ObjectInfo, ObjectKey, ObjectMeta, ObjectStore, StoredObject,
};
use tempfile::TempDir;

/// A store on a fresh temporary directory, removed when the store is dropped.
struct OnTempDir {
    store: LocalObjectStore,
    _dir: TempDir,
}

#[async_trait]
impl ObjectStore for OnTempDir {
    async fn put(
        &self,
        key: &ObjectKey,
        bytes: Vec<u8>,
        meta: &ObjectMeta,
    ) -> Result<ObjectInfo, ObjectError> {
        self.store.put(key, bytes, meta).await
    }
    async fn get(&self, key: &ObjectKey) -> Result<Option<StoredObject>, ObjectError> {
        self.store.get(key).await
    }
    async fn head(&self, key: &ObjectKey) -> Result<Option<ObjectInfo>, ObjectError> {
        self.store.head(key).await
    }
    async fn delete(&self, key: &ObjectKey) -> Result<bool, ObjectError> {
        self.store.delete(key).await
    }
    async fn move_object(&self, from: &ObjectKey, to: &ObjectKey) -> Result<MoveOutcome, ObjectError> {
        self.store.move_object(from, to).await
    }
    async fn list(&self, prefix: &str) -> Result<Vec<ObjectInfo>, ObjectError> {
        self.store.list(prefix).await
    }
    async fn ping(&self) -> Result<(), ObjectError> {
        self.store.ping().await
    }
}

async fn fresh() -> Option<Arc<dyn ObjectStore>> {
    let dir = tempfile::tempdir().unwrap();
    let store = LocalObjectStore::new(dir.path().join("store")).unwrap();
    Some(Arc::new(OnTempDir { store, _dir: dir }))
}

surgicase_testkit::object_store_contract_tests!(fresh());
