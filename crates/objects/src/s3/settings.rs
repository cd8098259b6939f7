//! What the S3 adapter needs to know: where, how to encrypt, how long to wait.

use std::fmt;
use std::time::Duration;

/// Server-side encryption applied to every write (domain §14.1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Encryption {
    /// SSE-S3 (`AES256`).
    Aes256,
    /// SSE-KMS (`aws:kms`) with the given key, or the account's default key when `None`.
    Kms { key_id: Option<String> },
}

impl Encryption {
    /// From the configuration or storage-secret value: `AES256` or `aws:kms` (case-insensitive;
    /// `kms` accepted), with an optional key id for KMS.
    pub fn parse(raw: &str, kms_key_id: Option<&str>) -> Option<Self> {
        let key_id = kms_key_id.filter(|k| !k.is_empty()).map(str::to_owned);
        match raw.trim().to_ascii_lowercase().as_str() {
            "" | "aes256" => Some(Self::Aes256),
            "aws:kms" | "kms" => Some(Self::Kms { key_id }),
            _ => None,
        }
    }
}

/// Settings of one bucket.
#[derive(Clone, PartialEq, Eq)]
pub struct S3Settings {
    pub bucket: String,
    /// Prepended to every key (`""` or a folder such as `surgicase/`); listing strips it.
    pub prefix: String,
    /// `None`: the region of the environment (`AWS_REGION`, profile), else `us-east-1`.
    pub region: Option<String>,
    /// An S3-compatible endpoint (`http://127.0.0.1:5000` for moto); `None` for AWS.
    pub endpoint: Option<String>,
    /// Path-style addressing (`endpoint/bucket/key`), needed by most S3-compatible stores.
    pub force_path_style: bool,
    pub encryption: Encryption,
    /// Longest time one operation may take, retries included (the SDK retries).
    pub operation_timeout: Duration,
    /// Longest time to open a connection.
    pub connect_timeout: Duration,
    /// Attempts per operation, the first included.
    pub max_attempts: u32,
}

impl Default for S3Settings {
    fn default() -> Self {
        Self {
            bucket: String::new(),
            prefix: String::new(),
            region: None,
            endpoint: None,
            force_path_style: false,
            encryption: Encryption::Aes256,
            operation_timeout: Duration::from_secs(30),
            connect_timeout: Duration::from_secs(3),
            max_attempts: 3,
        }
    }
}

impl fmt::Debug for S3Settings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The bucket and key id are not secrets, but they are not needed in logs either.
        f.debug_struct("S3Settings")
            .field("region", &self.region)
            .field("endpoint", &self.endpoint)
            .field("force_path_style", &self.force_path_style)
            .field("operation_timeout", &self.operation_timeout)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encryption_names() {
        let table: &[(&str, Option<&str>, Option<Encryption>)] = &[
            ("AES256", None, Some(Encryption::Aes256)),
            ("", None, Some(Encryption::Aes256)),
            ("aws:kms", Some("key-1"), Some(Encryption::Kms { key_id: Some("key-1".into()) })),
            ("KMS", Some(""), Some(Encryption::Kms { key_id: None })),
            ("none", None, None),
            ("aes128", None, None),
        ];
        for (raw, key, expected) in table {
            assert_eq!(Encryption::parse(raw, *key), *expected, "{raw}");
        }
    }
}
