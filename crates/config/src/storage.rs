//! Where documents live (`[objects]`) and where secrets come from (`[secrets]`).

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ObjectBackend {
    /// A directory under `data_dir` (embedded default): uploads go through the service.
    Local,
    /// An S3 bucket (AWS or an S3-compatible store): presigned uploads and downloads.
    S3,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ObjectsConfig {
    pub backend: ObjectBackend,
    /// Name of the storage secret `{bucket_name, region, folder_prefix, encryption}`; when set,
    /// its values replace `s3.bucket`, `s3.region`, `s3.prefix` and `s3.encryption`.
    pub secret: String,
    pub s3: S3Config,
}

impl Default for ObjectsConfig {
    fn default() -> Self {
        Self { backend: ObjectBackend::Local, secret: String::new(), s3: S3Config::default() }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct S3Config {
    pub bucket: String,
    /// Prepended to every key (`""` or a folder ending in `/`).
    pub prefix: String,
    /// Empty: `AWS_REGION`, else `us-east-1`.
    pub region: String,
    /// An S3-compatible endpoint (`http://127.0.0.1:5000`); empty for AWS.
    pub endpoint: String,
    /// Path-style addressing (most S3-compatible stores need it).
    pub force_path_style: bool,
    /// `AES256` or `aws:kms`.
    pub encryption: String,
    /// The KMS key for `aws:kms` (empty: the account's default key).
    pub kms_key_id: String,
    /// Longest time one S3 call may take, retries included.
    pub timeout_ms: u64,
    pub connect_timeout_ms: u64,
    /// Attempts per call, the first included (the SDK retries).
    pub max_attempts: u32,
    /// Create the bucket at start-up when missing (development and tests only).
    pub create_bucket: bool,
}

impl Default for S3Config {
    fn default() -> Self {
        Self {
            bucket: String::new(),
            prefix: String::new(),
            region: String::new(),
            endpoint: String::new(),
            force_path_style: false,
            encryption: "AES256".to_owned(),
            kms_key_id: String::new(),
            timeout_ms: 30_000,
            connect_timeout_ms: 3_000,
            max_attempts: 3,
            create_bucket: false,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SecretsSourceKind {
    /// No secret source: `database.secret` and `objects.secret` must be empty.
    None,
    /// `SURGICASE_SECRET_<NAME>` variables, then `<secrets.dir>/<name>.json` files.
    Env,
    /// AWS Secrets Manager.
    Aws,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SecretsConfig {
    pub source: SecretsSourceKind,
    /// Directory of `<name>.json` files (`env` source).
    pub dir: PathBuf,
    /// How long a secret read from AWS is used before it is read again.
    pub ttl_s: u64,
    /// AWS region (empty: `AWS_REGION`, else `us-east-1`).
    pub region: String,
    /// Another Secrets Manager endpoint (moto); empty for AWS.
    pub endpoint: String,
    pub timeout_ms: u64,
}

impl Default for SecretsConfig {
    fn default() -> Self {
        Self {
            source: SecretsSourceKind::None,
            dir: PathBuf::new(),
            ttl_s: 300,
            region: String::new(),
            endpoint: String::new(),
            timeout_ms: 5_000,
        }
    }
}

/// Cross-field checks of `[objects]`, `[secrets]` and `database.secret`.
pub(crate) fn validate(config: &crate::Config) -> Result<(), String> {
    let bad = |key: &str, why: &str| Err(format!("key `{key}`: {why}"));
    let no_source = config.secrets.source == SecretsSourceKind::None;
    if !config.database.secret.is_empty() && no_source {
        return bad("database.secret", "needs a secret source (secrets.source = \"aws\" or \"env\")");
    }
    if !config.objects.secret.is_empty() && no_source {
        return bad("objects.secret", "needs a secret source (secrets.source = \"aws\" or \"env\")");
    }
    let s3 = &config.objects.s3;
    if config.objects.backend == ObjectBackend::S3 {
        if s3.bucket.is_empty() && config.objects.secret.is_empty() {
            return bad(
                "objects.s3.bucket",
                "is required when objects.backend = \"s3\" (or name objects.secret)",
            );
        }
        if !matches!(s3.encryption.to_ascii_lowercase().as_str(), "aes256" | "aws:kms" | "kms") {
            return bad("objects.s3.encryption", "must be AES256 or aws:kms");
        }
        if s3.timeout_ms == 0 || s3.max_attempts == 0 {
            return bad("objects.s3.timeout_ms", "timeouts and attempts must be at least 1");
        }
    }
    if config.documents.upload_ttl_s == 0 || config.documents.download_ttl_s == 0 {
        return bad("documents.upload_ttl_s", "URL lifetimes must be at least 1 second");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Config;

    #[test]
    fn storage_and_secrets_are_checked() {
        let ok = Config::default();
        assert_eq!(validate(&ok), Ok(()));
        let mut c = Config::default();
        c.database.secret = "prod/db".into();
        assert!(validate(&c).unwrap_err().contains("database.secret"));
        c.secrets.source = SecretsSourceKind::Aws;
        assert_eq!(validate(&c), Ok(()));
        let mut c = Config::default();
        c.objects.backend = ObjectBackend::S3;
        assert!(validate(&c).unwrap_err().contains("objects.s3.bucket"));
        c.objects.s3.bucket = "docs".into();
        assert_eq!(validate(&c), Ok(()));
        c.objects.s3.encryption = "none".into();
        assert!(validate(&c).unwrap_err().contains("encryption"));
        let mut c = Config::default();
        c.objects.secret = "prod/storage".into();
        assert!(validate(&c).is_err());
    }

    #[test]
    fn sections_read_from_toml() {
        let text = r#"
            [objects]
            backend = "s3"
            [objects.s3]
            bucket = "docs"
            endpoint = "http://127.0.0.1:5000"
            force_path_style = true
            encryption = "aws:kms"
            kms_key_id = "alias/x"
            [secrets]
            source = "aws"
            ttl_s = 60
        "#;
        let objects: toml::Table = toml::from_str(text).unwrap();
        let parsed: ObjectsConfig = objects["objects"].clone().try_into().unwrap();
        assert_eq!(
            (parsed.backend, parsed.s3.bucket.as_str(), parsed.s3.force_path_style),
            (ObjectBackend::S3, "docs", true)
        );
        let secrets: SecretsConfig = objects["secrets"].clone().try_into().unwrap();
        assert_eq!((secrets.source, secrets.ttl_s), (SecretsSourceKind::Aws, 60));
    }
}
