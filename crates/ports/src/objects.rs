//! The object-store port: documents and reports, kept in S3 or a local directory.

use std::collections::BTreeMap;
use std::fmt;
use std::time::Duration;

use async_trait::async_trait;

/// A key that cannot escape the store: relative, `/`-separated, no empty, `.` or `..`
/// segment, no backslash, NUL or control character, at most 1024 bytes.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ObjectKey(String);

impl ObjectKey {
    pub fn parse(raw: &str) -> Result<Self, ObjectError> {
        let bad = |why: &str| ObjectError::InvalidKey(format!("{why}: {raw:?}"));
        if raw.is_empty() || raw.len() > 1024 {
            return Err(bad("key must be 1-1024 bytes"));
        }
        if raw.starts_with('/') {
            return Err(bad("key must be relative"));
        }
        if raw.chars().any(|c| c == '\\' || c.is_control()) {
            return Err(bad("key has a forbidden character"));
        }
        if raw.split('/').any(|seg| seg.is_empty() || seg == "." || seg == "..") {
            return Err(bad("key has an empty or dot segment"));
        }
        Ok(Self(raw.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The same key with `from` replaced by `to` at the start (archiving between prefixes).
    pub fn with_prefix_replaced(&self, from: &str, to: &str) -> Option<ObjectKey> {
        let rest = self.0.strip_prefix(from)?;
        ObjectKey::parse(&format!("{to}{rest}")).ok()
    }
}

impl fmt::Display for ObjectKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// What is written with an object. Metadata never carries patient data.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ObjectMeta {
    pub content_type: String,
    pub metadata: BTreeMap<String, String>,
}

/// What the store knows about an object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObjectInfo {
    pub key: ObjectKey,
    pub size: u64,
    pub content_type: String,
    pub metadata: BTreeMap<String, String>,
}

/// An object with its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredObject {
    pub info: ObjectInfo,
    pub bytes: Vec<u8>,
}

/// The result of an idempotent move.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MoveOutcome {
    /// The object was moved.
    Moved,
    /// The source was gone but the destination exists: an earlier attempt moved it.
    AlreadyMoved,
    /// Neither source nor destination exists.
    Missing,
}

/// How clients send document bytes to the store and fetch them back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TransferMode {
    /// Through the service (`PUT /document_upload/{id}`, streamed downloads): local store.
    Direct,
    /// Straight to the store with URLs the store signs (S3).
    Presigned,
}

/// A request a client makes to the store itself, signed by the store.
#[derive(Clone, PartialEq, Eq)]
pub struct PresignedRequest {
    pub method: String,
    pub url: String,
    /// The headers the client must send exactly (content type, encryption, metadata).
    pub headers: BTreeMap<String, String>,
}

impl fmt::Debug for PresignedRequest {
    // The URL carries a signature: never print it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PresignedRequest").field("method", &self.method).finish_non_exhaustive()
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ObjectError {
    #[error("invalid object key: {0}")]
    InvalidKey(String),
    #[error("object store unavailable: {0}")]
    Unavailable(String),
    #[error("object store error: {0}")]
    Backend(String),
}

#[async_trait]
pub trait ObjectStore: Send + Sync {
    /// Writes the object atomically (readers see the old object or the new one, never a part).
    async fn put(
        &self,
        key: &ObjectKey,
        bytes: Vec<u8>,
        meta: &ObjectMeta,
    ) -> Result<ObjectInfo, ObjectError>;
    async fn get(&self, key: &ObjectKey) -> Result<Option<StoredObject>, ObjectError>;
    async fn head(&self, key: &ObjectKey) -> Result<Option<ObjectInfo>, ObjectError>;
    /// Returns whether an object was deleted.
    async fn delete(&self, key: &ObjectKey) -> Result<bool, ObjectError>;
    /// Moves `from` to `to`; safe to retry.
    async fn move_object(&self, from: &ObjectKey, to: &ObjectKey) -> Result<MoveOutcome, ObjectError>;
    /// Keys under `prefix`, in key order.
    async fn list(&self, prefix: &str) -> Result<Vec<ObjectInfo>, ObjectError>;
    /// A cheap reachability check (health).
    async fn ping(&self) -> Result<(), ObjectError>;

    /// Whether clients upload and download through the service or with presigned URLs.
    fn transfer_mode(&self) -> TransferMode {
        TransferMode::Direct
    }

    /// A PUT of `key` valid for `ttl`, to be sent with the returned headers (which carry
    /// `meta` and the store's encryption settings). Stores in [`TransferMode::Direct`] refuse.
    async fn presign_put(
        &self,
        key: &ObjectKey,
        meta: &ObjectMeta,
        ttl: Duration,
    ) -> Result<PresignedRequest, ObjectError> {
        let _ = (key, meta, ttl);
        Err(ObjectError::Backend("this object store does not sign requests".to_owned()))
    }

    /// A GET of `key` valid for `ttl`; with `download_name` the answer asks the browser to save
    /// the file under that name. Stores in [`TransferMode::Direct`] refuse.
    async fn presign_get(
        &self,
        key: &ObjectKey,
        ttl: Duration,
        download_name: Option<&str>,
    ) -> Result<PresignedRequest, ObjectError> {
        let _ = (key, ttl, download_name);
        Err(ObjectError::Backend("this object store does not sign requests".to_owned()))
    }

    /// Replaces the content type and metadata of an existing object, keeping its bytes;
    /// `None` when there is no such object. The default reads and writes the object again.
    async fn replace_metadata(
        &self,
        key: &ObjectKey,
        meta: &ObjectMeta,
    ) -> Result<Option<ObjectInfo>, ObjectError> {
        match self.get(key).await? {
            Some(object) => self.put(key, object.bytes, meta).await.map(Some),
            None => Ok(None),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_cannot_escape() {
        let table: &[(&str, bool)] = &[
            ("private/case-documents/u-jane/scan.pdf", true),
            ("a", true),
            ("", false),
            ("/etc/passwd", false),
            ("../x", false),
            ("a/../../x", false),
            ("a/./x", false),
            ("a//x", false),
            ("a/", false),
            ("a\\b", false),
            ("a\u{0}b", false),
            ("a\nb", false),
        ];
        for (raw, ok) in table {
            assert_eq!(ObjectKey::parse(raw).is_ok(), *ok, "{raw:?}");
        }
        assert!(ObjectKey::parse(&"k".repeat(1025)).is_err());
    }

    #[test]
    fn prefix_replacement() {
        let key = ObjectKey::parse("private/case-documents/u/c/demo_file/x.pdf").ok();
        let moved = key.and_then(|k| {
            k.with_prefix_replaced("private/case-documents/", "private/deleted-case-documents/")
        });
        assert_eq!(
            moved.map(|k| k.to_string()).as_deref(),
            Some("private/deleted-case-documents/u/c/demo_file/x.pdf")
        );
    }
}
