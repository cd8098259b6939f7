//! The storage secret: `{bucket_name, region, folder_prefix, encryption}` (plus an optional
//! `kms_key_id`), the legacy service's S3 settings.

use surgicase_ports::{SecretError, SecretValue};

/// Where documents live in S3, read from a secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StorageSecret {
    pub bucket_name: String,
    pub region: Option<String>,
    /// Prepended to every key (`""` when absent); a trailing `/` is added when missing.
    pub folder_prefix: String,
    /// `AES256` or `aws:kms`; `None` leaves the configured value.
    pub encryption: Option<String>,
    pub kms_key_id: Option<String>,
}

impl StorageSecret {
    pub fn from_value(name: &str, value: &SecretValue) -> Result<Self, SecretError> {
        let nonempty = |field: &str| -> Result<Option<String>, SecretError> {
            Ok(value.str_field(name, field)?.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty()))
        };
        let folder = nonempty("folder_prefix")?.unwrap_or_default();
        let folder_prefix =
            if folder.is_empty() || folder.ends_with('/') { folder } else { format!("{folder}/") };
        if folder_prefix.starts_with('/') || folder_prefix.split('/').any(|s| s == "..") {
            return Err(SecretError::Invalid {
                name: name.to_owned(),
                why: "field `folder_prefix` must be a relative folder".to_owned(),
            });
        }
        Ok(Self {
            bucket_name: value.required_str(name, "bucket_name")?,
            region: nonempty("region")?,
            folder_prefix,
            encryption: nonempty("encryption")?,
            kms_key_id: nonempty("kms_key_id")?,
        })
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn storage_secrets() {
        let s = StorageSecret::from_value(
            "st",
            &SecretValue::new(json!({"bucket_name": "docs", "region": "us-east-2", "folder_prefix": "surgicase", "encryption": "aws:kms"})),
        )
        .expect("valid");
        assert_eq!(
            s,
            StorageSecret {
                bucket_name: "docs".into(),
                region: Some("us-east-2".into()),
                folder_prefix: "surgicase/".into(),
                encryption: Some("aws:kms".into()),
                kms_key_id: None,
            }
        );
        let minimal =
            StorageSecret::from_value("st", &SecretValue::new(json!({"bucket_name": "b"}))).expect("valid");
        assert_eq!((minimal.folder_prefix.as_str(), minimal.region), ("", None));
        for bad in [
            json!({"region": "x"}),
            json!({"bucket_name": "b", "folder_prefix": "/abs"}),
            json!({"bucket_name": "b", "folder_prefix": "a/../b"}),
        ] {
            assert!(StorageSecret::from_value("st", &SecretValue::new(bad)).is_err());
        }
    }
}
