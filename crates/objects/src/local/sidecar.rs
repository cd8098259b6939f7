//! The metadata sidecar: content type and user metadata of one object, as JSON.

use std::collections::BTreeMap;
use std::io::ErrorKind;
use std::path::Path;

use serde::{Deserialize, Serialize};
use surgicase_ports::{ObjectError, ObjectMeta};

/// What an object without a sidecar (left by a crash between two renames) reads as.
pub const DEFAULT_CONTENT_TYPE: &str = "application/octet-stream";

#[derive(Serialize, Deserialize)]
struct Sidecar {
    content_type: String,
    #[serde(default)]
    metadata: BTreeMap<String, String>,
}

pub(crate) fn encode(meta: &ObjectMeta) -> Result<Vec<u8>, ObjectError> {
    let sidecar = Sidecar { content_type: meta.content_type.clone(), metadata: meta.metadata.clone() };
    serde_json::to_vec(&sidecar).map_err(|e| ObjectError::Backend(format!("encoding metadata: {e}")))
}

pub(crate) fn read(path: &Path) -> Result<ObjectMeta, ObjectError> {
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == ErrorKind::NotFound => {
            return Ok(ObjectMeta {
                content_type: DEFAULT_CONTENT_TYPE.to_owned(),
                metadata: BTreeMap::new(),
            });
        }
        Err(e) => return Err(super::fs::io_error("reading metadata", &e)),
    };
    let sidecar: Sidecar = serde_json::from_slice(&bytes)
        .map_err(|_| ObjectError::Backend("corrupt metadata sidecar".to_owned()))?;
    Ok(ObjectMeta { content_type: sidecar.content_type, metadata: sidecar.metadata })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_missing_and_corrupt() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("m");
        let meta = ObjectMeta {
            content_type: "application/pdf".into(),
            metadata: [("sha256".to_owned(), "abc".to_owned())].into_iter().collect(),
        };
        std::fs::write(&path, encode(&meta).unwrap()).unwrap();
        assert_eq!(read(&path).unwrap(), meta);
        assert_eq!(read(&dir.path().join("none")).unwrap().content_type, DEFAULT_CONTENT_TYPE);
        std::fs::write(&path, b"{not json").unwrap();
        assert!(read(&path).is_err());
    }
}
