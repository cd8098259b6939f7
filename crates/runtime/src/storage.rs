//! The configuration's choice of object store and secret source, and the database
//! credentials read from a secret.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use surgicase_config::{Config, ObjectBackend, SecretsSourceKind};
use surgicase_kernel::Sensitive;
use surgicase_objects::{Encryption, LocalObjectStore, S3ObjectStore, S3Settings};
use surgicase_ports::{ObjectStore, SecretSource, StoreError};
use surgicase_secrets::{AwsSecrets, AwsSecretsSettings, DatabaseSecret, EnvSecrets, StorageSecret};
use surgicase_store::CredentialsProvider;

use crate::RuntimeError;

fn nonempty(s: &str) -> Option<String> {
    (!s.is_empty()).then(|| s.to_owned())
}

/// The secret source named by `[secrets]`, if any.
pub async fn open_secrets(config: &Config) -> Option<Arc<dyn SecretSource>> {
    let s = &config.secrets;
    match s.source {
        SecretsSourceKind::None => None,
        SecretsSourceKind::Env => {
            let dir = (!s.dir.as_os_str().is_empty()).then(|| PathBuf::from(&s.dir));
            Some(Arc::new(EnvSecrets::new(dir)))
        }
        SecretsSourceKind::Aws => {
            let settings = AwsSecretsSettings {
                region: nonempty(&s.region),
                endpoint: nonempty(&s.endpoint),
                ttl: Duration::from_secs(s.ttl_s),
                timeout: Duration::from_millis(s.timeout_ms),
                static_credentials: None,
            };
            Some(Arc::new(AwsSecrets::connect(&settings).await))
        }
    }
}

/// The object store named by `[objects]`: the local directory under `data_dir`, or S3 (its
/// bucket, region, prefix and encryption possibly from the storage secret).
pub async fn open_objects(
    config: &Config,
    secrets: Option<&Arc<dyn SecretSource>>,
) -> Result<Arc<dyn ObjectStore>, RuntimeError> {
    let objects_error = |e: &dyn std::fmt::Display| RuntimeError::Objects(e.to_string());
    match config.objects.backend {
        ObjectBackend::Local => {
            Ok(Arc::new(LocalObjectStore::new(config.data_dir.clone()).map_err(|e| objects_error(&e))?))
        }
        ObjectBackend::S3 => {
            let c = &config.objects.s3;
            let mut settings = S3Settings {
                bucket: c.bucket.clone(),
                prefix: c.prefix.clone(),
                region: nonempty(&c.region),
                endpoint: nonempty(&c.endpoint),
                force_path_style: c.force_path_style,
                encryption: Encryption::parse(&c.encryption, Some(&c.kms_key_id)).ok_or_else(|| {
                    RuntimeError::Objects("objects.s3.encryption must be AES256 or aws:kms".into())
                })?,
                operation_timeout: Duration::from_millis(c.timeout_ms),
                connect_timeout: Duration::from_millis(c.connect_timeout_ms),
                max_attempts: c.max_attempts,
            };
            if !config.objects.secret.is_empty() {
                let source = secrets
                    .ok_or_else(|| RuntimeError::Objects("objects.secret needs secrets.source".into()))?;
                let name = &config.objects.secret;
                let value = source.get_json(name).await.map_err(|e| objects_error(&e))?;
                let secret = StorageSecret::from_value(name, &value).map_err(|e| objects_error(&e))?;
                settings.bucket = secret.bucket_name;
                settings.prefix = secret.folder_prefix;
                if secret.region.is_some() {
                    settings.region = secret.region;
                }
                if let Some(enc) = secret.encryption {
                    let key = secret.kms_key_id.as_deref().or(Some(c.kms_key_id.as_str()));
                    settings.encryption = Encryption::parse(&enc, key).ok_or_else(|| {
                        RuntimeError::Objects(format!("secret {name}: encryption must be AES256 or aws:kms"))
                    })?;
                }
            }
            let store = S3ObjectStore::connect(&settings, None).await.map_err(|e| objects_error(&e))?;
            if c.create_bucket {
                store.create_bucket_if_missing().await.map_err(|e| objects_error(&e))?;
            }
            Ok(Arc::new(store))
        }
    }
}

/// The MySQL URL from the database secret; a refresh forgets the cached secret first, so a
/// rotated password is read again.
pub struct SecretDatabaseCredentials {
    source: Arc<dyn SecretSource>,
    name: String,
}

impl SecretDatabaseCredentials {
    pub fn new(source: Arc<dyn SecretSource>, name: &str) -> Self {
        Self { source, name: name.to_owned() }
    }

    async fn url(&self) -> Result<Sensitive, StoreError> {
        let value = self.source.get_json(&self.name).await.map_err(|e| {
            let error = match e {
                surgicase_ports::SecretError::Unavailable(_) => {
                    StoreError::unavailable("cannot read the database secret")
                }
                _ => StoreError::backend("cannot read the database secret"),
            };
            error.caused_by(e)
        })?;
        let secret = DatabaseSecret::from_value(&self.name, &value)
            .map_err(|e| StoreError::backend("the database secret is unusable").caused_by(e))?;
        Ok(secret.mysql_url())
    }
}

#[async_trait]
impl CredentialsProvider for SecretDatabaseCredentials {
    async fn mysql_url(&self) -> Result<Sensitive, StoreError> {
        self.url().await
    }

    async fn refresh(&self) -> Result<Sensitive, StoreError> {
        self.source.invalidate(&self.name);
        tracing::info!(secret = %self.name, "database credentials refreshed from the secret");
        self.url().await
    }
}
