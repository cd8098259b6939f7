//! The CMS NPPES registry client.

use std::time::{Duration, Instant};

use async_trait::async_trait;
use reqwest::{StatusCode, Url};
use surgicase_kernel::Npi;
use surgicase_ports::{NpiRegistry, RegistryEntry, RegistryError};

use crate::cache::EntryCache;
use crate::nppes::{Parsed, parse_body};

/// How the CMS registry is reached (`npi.*` in the configuration).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CmsSettings {
    /// The API endpoint, e.g. `https://npiregistry.cms.hhs.gov/api/`.
    pub base_url: Url,
    /// Per request (connection, headers and body).
    pub timeout: Duration,
    /// How long a found number is remembered (zero: not at all).
    pub cache_ttl: Duration,
    /// Pause before the one retry.
    pub retry_backoff: Duration,
}

impl CmsSettings {
    /// Settings with a 250 ms retry backoff; `base_url` must be an http(s) URL.
    pub fn new(base_url: &str, timeout: Duration, cache_ttl: Duration) -> Result<Self, RegistryError> {
        let base_url = Url::parse(base_url.trim())
            .ok()
            .filter(|u| matches!(u.scheme(), "http" | "https"))
            .ok_or_else(|| RegistryError::Unavailable("the registry URL is not an http(s) URL".to_owned()))?;
        Ok(Self { base_url, timeout, cache_ttl, retry_backoff: Duration::from_millis(250) })
    }
}

/// The `NpiRegistry` port on the CMS NPPES API.
pub struct CmsRegistry {
    settings: CmsSettings,
    http: reqwest::Client,
    cache: EntryCache,
}

impl std::fmt::Debug for CmsRegistry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CmsRegistry").field("settings", &self.settings).finish_non_exhaustive()
    }
}

/// One failed attempt: worth retrying (network, timeout, 5xx) or not.
enum Failure {
    Transient(String),
    Final(String),
}

impl CmsRegistry {
    pub fn new(settings: CmsSettings) -> Result<Self, RegistryError> {
        let http = reqwest::Client::builder()
            .timeout(settings.timeout)
            .build()
            .map_err(|e| RegistryError::Unavailable(format!("cannot build the HTTP client: {e}")))?;
        let cache = EntryCache::new(settings.cache_ttl);
        Ok(Self { settings, http, cache })
    }

    async fn attempt(&self, npi: Npi) -> Result<Parsed, Failure> {
        let number = npi.to_string();
        let response = self
            .http
            .get(self.settings.base_url.clone())
            .query(&[("number", number.as_str()), ("version", "2.1")])
            .send()
            .await
            .map_err(|e| Failure::Transient(format!("request failed: {e}")))?;
        let status = response.status();
        if status.is_server_error() {
            return Err(Failure::Transient(format!("registry answered {status}")));
        }
        if !status.is_success() {
            return Err(Failure::Final(format!("registry answered {status}")));
        }
        let body =
            response.bytes().await.map_err(|e| Failure::Transient(format!("reading the answer: {e}")))?;
        parse_body(npi, &body).map_err(Failure::Final)
    }
}

#[async_trait]
impl NpiRegistry for CmsRegistry {
    async fn lookup(&self, npi: Npi) -> Result<Option<RegistryEntry>, RegistryError> {
        if let Some(entry) = self.cache.get(npi.get(), Instant::now()) {
            return Ok(Some(entry));
        }
        let outcome = match self.attempt(npi).await {
            Err(Failure::Transient(why)) => {
                tracing::warn!(error = %why, "NPI registry attempt failed; retrying once");
                tokio::time::sleep(self.settings.retry_backoff).await;
                self.attempt(npi).await
            }
            other => other,
        };
        match outcome {
            Ok(Parsed::Found(entry)) => {
                self.cache.put(npi.get(), entry.clone(), Instant::now());
                Ok(Some(entry))
            }
            Ok(Parsed::NotFound) => Ok(None),
            Err(Failure::Transient(why) | Failure::Final(why)) => {
                tracing::warn!(error = %why, "NPI registry unavailable");
                Err(RegistryError::Unavailable(why))
            }
        }
    }

    /// Any answer below 500 means the registry is up (without criteria it answers `Errors`).
    async fn ping(&self) -> Result<(), RegistryError> {
        let response = self
            .http
            .get(self.settings.base_url.clone())
            .query(&[("version", "2.1")])
            .send()
            .await
            .map_err(|e| RegistryError::Unavailable(format!("request failed: {e}")))?;
        match response.status() {
            s if s.is_server_error() || s == StatusCode::TOO_MANY_REQUESTS => {
                Err(RegistryError::Unavailable(format!("registry answered {s}")))
            }
            _ => Ok(()),
        }
    }
}
