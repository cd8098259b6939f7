//! [`S3ObjectStore`]: the object-store port on an S3 bucket (AWS or an S3-compatible store).
//!
//! Every write carries server-side encryption (`AES256` or `aws:kms` with a key id), the
//! content type and the metadata. Keys get the configured prefix in front. Moves are a copy
//! then a delete, so a retry after a failure in between finds the source still there and
//! copies again (idempotent). Clients upload and download with presigned URLs
//! ([`TransferMode::Presigned`]). Every call is bounded by the operation timeout, retries
//! included; unreachable, throttled or failing stores are `ObjectError::Unavailable`.

mod errors;
mod keys;
mod settings;

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::time::Duration;

use async_trait::async_trait;
use aws_sdk_s3::Client;
use aws_sdk_s3::config::retry::RetryConfig;
use aws_sdk_s3::config::timeout::TimeoutConfig;
use aws_sdk_s3::config::{
    BehaviorVersion, Credentials, Region, RequestChecksumCalculation, ResponseChecksumValidation,
};
use aws_sdk_s3::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_s3::presigning::PresigningConfig;
use aws_sdk_s3::primitives::ByteStream;
use aws_sdk_s3::types::{MetadataDirective, ServerSideEncryption};
use surgicase_kernel::Sensitive;
use surgicase_ports::{
    MoveOutcome, ObjectError, ObjectInfo, ObjectKey, ObjectMeta, ObjectStore, PresignedRequest, StoredObject,
    TransferMode,
};

use errors::map_sdk;
pub use settings::{Encryption, S3Settings};

/// Static credentials for S3-compatible stores and tests (AWS deployments use the default
/// chain: environment, profile, web identity, container or instance role).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StaticCredentials {
    pub access_key_id: String,
    pub secret_access_key: Sensitive,
}

/// The object store on one bucket. Cheap to clone.
#[derive(Clone)]
pub struct S3ObjectStore {
    client: Client,
    bucket: String,
    prefix: String,
    encryption: Encryption,
}

impl fmt::Debug for S3ObjectStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("S3ObjectStore").finish_non_exhaustive()
    }
}

/// The region to use: the configured one, else `AWS_REGION` / `AWS_DEFAULT_REGION`, else
/// `us-east-1` (decided here so that the SDK never asks the instance metadata service).
pub fn resolve_region(configured: Option<&str>) -> String {
    configured
        .filter(|r| !r.is_empty())
        .map(str::to_owned)
        .or_else(|| std::env::var("AWS_REGION").ok().filter(|r| !r.is_empty()))
        .or_else(|| std::env::var("AWS_DEFAULT_REGION").ok().filter(|r| !r.is_empty()))
        .unwrap_or_else(|| "us-east-1".to_owned())
}

impl S3ObjectStore {
    /// Builds the client (credentials from `credentials`, else the default AWS chain). Makes no
    /// request: use [`ObjectStore::ping`] to check the bucket.
    pub async fn connect(
        settings: &S3Settings,
        credentials: Option<StaticCredentials>,
    ) -> Result<Self, ObjectError> {
        if settings.bucket.is_empty() {
            return Err(ObjectError::Backend("no bucket configured".to_owned()));
        }
        let timeouts = TimeoutConfig::builder()
            .connect_timeout(settings.connect_timeout)
            .operation_timeout(settings.operation_timeout)
            .build();
        let mut loader = aws_config::defaults(BehaviorVersion::latest())
            .region(Region::new(resolve_region(settings.region.as_deref())))
            .timeout_config(timeouts)
            .retry_config(RetryConfig::standard().with_max_attempts(settings.max_attempts.max(1)));
        if let Some(c) = credentials {
            loader = loader.credentials_provider(Credentials::new(
                c.access_key_id,
                c.secret_access_key.expose(),
                None,
                None,
                "surgicase-static",
            ));
        }
        let shared = loader.load().await;
        let mut builder = aws_sdk_s3::config::Builder::from(&shared)
            .force_path_style(settings.force_path_style)
            // Checksums only where S3 requires them: presigned PUTs then carry no checksum the
            // client cannot know, and S3-compatible stores are not asked for ones they lack.
            .request_checksum_calculation(RequestChecksumCalculation::WhenRequired)
            .response_checksum_validation(ResponseChecksumValidation::WhenRequired);
        if let Some(endpoint) = settings.endpoint.as_deref().filter(|e| !e.is_empty()) {
            builder = builder.endpoint_url(endpoint);
        }
        Ok(Self {
            client: Client::from_conf(builder.build()),
            bucket: settings.bucket.clone(),
            prefix: settings.prefix.clone(),
            encryption: settings.encryption.clone(),
        })
    }

    /// Creates the bucket when it does not exist (development and tests; production buckets
    /// are provisioned by the operator).
    pub async fn create_bucket_if_missing(&self) -> Result<(), ObjectError> {
        match self.client.head_bucket().bucket(&self.bucket).send().await {
            Ok(_) => Ok(()),
            Err(e) if e.as_service_error().is_some_and(|s| s.is_not_found()) => {
                match self.client.create_bucket().bucket(&self.bucket).send().await {
                    Ok(_) => Ok(()),
                    Err(e) if e.as_service_error().is_some_and(|s| s.is_bucket_already_owned_by_you()) => {
                        Ok(())
                    }
                    Err(e) => Err(map_sdk("create bucket", &e)),
                }
            }
            Err(e) => Err(map_sdk("check bucket", &e)),
        }
    }

    fn full(&self, key: &ObjectKey) -> String {
        keys::full_key(&self.prefix, key.as_str())
    }

    fn sse(&self) -> (ServerSideEncryption, Option<String>) {
        match &self.encryption {
            Encryption::Aes256 => (ServerSideEncryption::Aes256, None),
            Encryption::Kms { key_id } => (ServerSideEncryption::AwsKms, key_id.clone()),
        }
    }

    fn metadata(meta: &ObjectMeta) -> HashMap<String, String> {
        meta.metadata.iter().map(|(k, v)| (k.clone(), v.clone())).collect()
    }

    fn info(
        key: &ObjectKey,
        size: Option<i64>,
        content_type: Option<&str>,
        metadata: Option<&HashMap<String, String>>,
    ) -> ObjectInfo {
        ObjectInfo {
            key: key.clone(),
            size: size.and_then(|s| u64::try_from(s).ok()).unwrap_or(0),
            content_type: content_type.unwrap_or_default().to_owned(),
            metadata: metadata
                .map(|m| m.iter().map(|(k, v)| (k.to_ascii_lowercase(), v.clone())).collect())
                .unwrap_or_default(),
        }
    }

    /// Copies `from` onto `to` keeping content type and metadata (`Copy`) or replacing them.
    async fn copy(
        &self,
        from: &ObjectKey,
        to: &ObjectKey,
        replace: Option<&ObjectMeta>,
    ) -> Result<bool, ObjectError> {
        let (sse, kms_key) = self.sse();
        let mut request = self
            .client
            .copy_object()
            .bucket(&self.bucket)
            .key(self.full(to))
            .copy_source(keys::copy_source(&self.bucket, &self.full(from)))
            .server_side_encryption(sse)
            .set_ssekms_key_id(kms_key);
        request = match replace {
            None => request.metadata_directive(MetadataDirective::Copy),
            Some(meta) => request
                .metadata_directive(MetadataDirective::Replace)
                .content_type(&meta.content_type)
                .set_metadata(Some(Self::metadata(meta))),
        };
        match request.send().await {
            Ok(_) => Ok(true),
            Err(SdkError::ServiceError(e))
                if e.raw().status().as_u16() == 404 || e.err().code() == Some("NoSuchKey") =>
            {
                Ok(false)
            }
            Err(e) => Err(map_sdk("copy", &e)),
        }
    }
}

#[async_trait]
impl ObjectStore for S3ObjectStore {
    async fn put(
        &self,
        key: &ObjectKey,
        bytes: Vec<u8>,
        meta: &ObjectMeta,
    ) -> Result<ObjectInfo, ObjectError> {
        let size = bytes.len() as u64;
        let (sse, kms_key) = self.sse();
        let mut request = self
            .client
            .put_object()
            .bucket(&self.bucket)
            .key(self.full(key))
            .body(ByteStream::from(bytes))
            .set_metadata(Some(Self::metadata(meta)))
            .server_side_encryption(sse)
            .set_ssekms_key_id(kms_key);
        if !meta.content_type.is_empty() {
            request = request.content_type(&meta.content_type);
        }
        request.send().await.map_err(|e| map_sdk("put", &e))?;
        Ok(ObjectInfo {
            key: key.clone(),
            size,
            content_type: meta.content_type.clone(),
            metadata: meta.metadata.clone(),
        })
    }

    async fn get(&self, key: &ObjectKey) -> Result<Option<StoredObject>, ObjectError> {
        let got = self.client.get_object().bucket(&self.bucket).key(self.full(key)).send().await;
        let output = match got {
            Ok(output) => output,
            Err(e) if e.as_service_error().is_some_and(|s| s.is_no_such_key()) => return Ok(None),
            Err(SdkError::ServiceError(e)) if e.raw().status().as_u16() == 404 => return Ok(None),
            Err(e) => return Err(map_sdk("get", &e)),
        };
        let info = Self::info(key, output.content_length(), output.content_type(), output.metadata());
        let bytes = output
            .body
            .collect()
            .await
            .map_err(|_| ObjectError::Unavailable("get: the object's bytes could not be read".to_owned()))?
            // One copy out of the received chunks (`into_bytes` would concatenate them first).
            .to_vec();
        Ok(Some(StoredObject { info: ObjectInfo { size: bytes.len() as u64, ..info }, bytes }))
    }

    async fn head(&self, key: &ObjectKey) -> Result<Option<ObjectInfo>, ObjectError> {
        match self.client.head_object().bucket(&self.bucket).key(self.full(key)).send().await {
            Ok(o) => Ok(Some(Self::info(key, o.content_length(), o.content_type(), o.metadata()))),
            Err(e) if e.as_service_error().is_some_and(|s| s.is_not_found()) => Ok(None),
            Err(SdkError::ServiceError(e)) if e.raw().status().as_u16() == 404 => Ok(None),
            Err(e) => Err(map_sdk("head", &e)),
        }
    }

    async fn delete(&self, key: &ObjectKey) -> Result<bool, ObjectError> {
        // S3 deletes silently whether or not the object exists: look first.
        if self.head(key).await?.is_none() {
            return Ok(false);
        }
        self.client
            .delete_object()
            .bucket(&self.bucket)
            .key(self.full(key))
            .send()
            .await
            .map_err(|e| map_sdk("delete", &e))?;
        Ok(true)
    }

    async fn move_object(&self, from: &ObjectKey, to: &ObjectKey) -> Result<MoveOutcome, ObjectError> {
        if from == to {
            return Ok(if self.head(from).await?.is_some() {
                MoveOutcome::AlreadyMoved
            } else {
                MoveOutcome::Missing
            });
        }
        if !self.copy(from, to, None).await? {
            return Ok(if self.head(to).await?.is_some() {
                MoveOutcome::AlreadyMoved
            } else {
                MoveOutcome::Missing
            });
        }
        self.client
            .delete_object()
            .bucket(&self.bucket)
            .key(self.full(from))
            .send()
            .await
            .map_err(|e| map_sdk("move (delete source)", &e))?;
        Ok(MoveOutcome::Moved)
    }

    async fn list(&self, prefix: &str) -> Result<Vec<ObjectInfo>, ObjectError> {
        let pages = self
            .client
            .list_objects_v2()
            .bucket(&self.bucket)
            .prefix(keys::full_key(&self.prefix, prefix))
            .into_paginator()
            .send()
            .try_collect()
            .await
            .map_err(|e| map_sdk("list", &e))?;
        let mut out = Vec::new();
        for page in pages {
            for object in page.contents() {
                let Some(full) = object.key() else { continue };
                let Some(key) = keys::strip_prefix(&self.prefix, full).and_then(|k| ObjectKey::parse(k).ok())
                else {
                    continue;
                };
                // Listings carry no content type or metadata (use `head` for those).
                out.push(Self::info(&key, object.size(), None, None));
            }
        }
        out.sort_by(|a, b| a.key.cmp(&b.key));
        Ok(out)
    }

    async fn ping(&self) -> Result<(), ObjectError> {
        self.client.head_bucket().bucket(&self.bucket).send().await.map_err(|e| map_sdk("ping", &e))?;
        Ok(())
    }

    fn transfer_mode(&self) -> TransferMode {
        TransferMode::Presigned
    }

    async fn presign_put(
        &self,
        key: &ObjectKey,
        meta: &ObjectMeta,
        ttl: Duration,
    ) -> Result<PresignedRequest, ObjectError> {
        let (sse, kms_key) = self.sse();
        let config = PresigningConfig::expires_in(ttl)
            .map_err(|_| ObjectError::Backend("presign: invalid lifetime".to_owned()))?;
        let presigned = self
            .client
            .put_object()
            .bucket(&self.bucket)
            .key(self.full(key))
            .content_type(&meta.content_type)
            .set_metadata(Some(Self::metadata(meta)))
            .server_side_encryption(sse)
            .set_ssekms_key_id(kms_key)
            .presigned(config)
            .await
            .map_err(|e| map_sdk("presign put", &e))?;
        Ok(presigned_request(&presigned))
    }

    async fn presign_get(
        &self,
        key: &ObjectKey,
        ttl: Duration,
        download_name: Option<&str>,
    ) -> Result<PresignedRequest, ObjectError> {
        let config = PresigningConfig::expires_in(ttl)
            .map_err(|_| ObjectError::Backend("presign: invalid lifetime".to_owned()))?;
        let presigned = self
            .client
            .get_object()
            .bucket(&self.bucket)
            .key(self.full(key))
            .set_response_content_disposition(download_name.map(keys::attachment))
            .presigned(config)
            .await
            .map_err(|e| map_sdk("presign get", &e))?;
        Ok(presigned_request(&presigned))
    }

    async fn replace_metadata(
        &self,
        key: &ObjectKey,
        meta: &ObjectMeta,
    ) -> Result<Option<ObjectInfo>, ObjectError> {
        if !self.copy(key, key, Some(meta)).await? {
            return Ok(None);
        }
        self.head(key).await
    }
}

fn presigned_request(p: &aws_sdk_s3::presigning::PresignedRequest) -> PresignedRequest {
    let headers: BTreeMap<String, String> = p
        .headers()
        .filter(|(name, _)| !name.eq_ignore_ascii_case("host"))
        .map(|(name, value)| (canonical_header(name), value.to_owned()))
        .collect();
    PresignedRequest { method: p.method().to_owned(), url: p.uri().to_owned(), headers }
}

/// `content-type` → `Content-Type`; `x-amz-…` names stay lower-case as S3 documents them.
fn canonical_header(name: &str) -> String {
    if name.to_ascii_lowercase().starts_with("x-amz-") {
        return name.to_ascii_lowercase();
    }
    name.split('-')
        .map(|part| {
            let mut chars = part.chars();
            match chars.next() {
                Some(first) => first.to_ascii_uppercase().to_string() + &chars.as_str().to_ascii_lowercase(),
                None => String::new(),
            }
        })
        .collect::<Vec<_>>()
        .join("-")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_names() {
        assert_eq!(canonical_header("content-type"), "Content-Type");
        assert_eq!(canonical_header("X-Amz-Server-Side-Encryption"), "x-amz-server-side-encryption");
        assert_eq!(canonical_header("x-amz-meta-case-id"), "x-amz-meta-case-id");
    }

    #[test]
    fn regions_resolve_without_asking_the_network() {
        assert_eq!(resolve_region(Some("eu-west-1")), "eu-west-1");
        assert!(!resolve_region(None).is_empty());
    }
}
