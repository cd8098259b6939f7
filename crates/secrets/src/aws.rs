//! AWS Secrets Manager, each secret cached for a TTL.

use std::collections::HashMap;
use std::fmt;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use async_trait::async_trait;
use aws_config::BehaviorVersion;
use aws_config::retry::RetryConfig;
use aws_config::timeout::TimeoutConfig;
use aws_sdk_secretsmanager::Client;
use aws_sdk_secretsmanager::config::{Credentials, Region};
use aws_sdk_secretsmanager::error::{ProvideErrorMetadata, SdkError};
use surgicase_ports::{SecretError, SecretSource, SecretValue};

/// Where Secrets Manager is and how long answers are kept.
#[derive(Clone, PartialEq, Eq)]
pub struct AwsSecretsSettings {
    /// `None`: `AWS_REGION` / `AWS_DEFAULT_REGION`, else `us-east-1`.
    pub region: Option<String>,
    /// Another endpoint (moto: `http://127.0.0.1:5000`).
    pub endpoint: Option<String>,
    /// How long a read secret is used before it is read again.
    pub ttl: Duration,
    /// Longest time one call may take, retries included.
    pub timeout: Duration,
    /// Static credentials (tests, compatible services); `None`: the default AWS chain.
    pub static_credentials: Option<(String, String)>,
}

impl Default for AwsSecretsSettings {
    fn default() -> Self {
        Self {
            region: None,
            endpoint: None,
            ttl: Duration::from_secs(300),
            timeout: Duration::from_secs(5),
            static_credentials: None,
        }
    }
}

impl fmt::Debug for AwsSecretsSettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AwsSecretsSettings")
            .field("region", &self.region)
            .field("endpoint", &self.endpoint)
            .field("ttl", &self.ttl)
            .finish_non_exhaustive()
    }
}

/// The Secrets Manager source. Cheap to share behind an `Arc`.
pub struct AwsSecrets {
    client: Client,
    ttl: Duration,
    cache: Mutex<HashMap<String, (Instant, SecretValue)>>,
}

impl fmt::Debug for AwsSecrets {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AwsSecrets").field("ttl", &self.ttl).finish_non_exhaustive()
    }
}

fn region(configured: Option<&str>) -> String {
    configured
        .filter(|r| !r.is_empty())
        .map(str::to_owned)
        .or_else(|| std::env::var("AWS_REGION").ok().filter(|r| !r.is_empty()))
        .or_else(|| std::env::var("AWS_DEFAULT_REGION").ok().filter(|r| !r.is_empty()))
        .unwrap_or_else(|| "us-east-1".to_owned())
}

impl AwsSecrets {
    /// Builds the client; makes no request.
    pub async fn connect(settings: &AwsSecretsSettings) -> Self {
        let mut loader = aws_config::defaults(BehaviorVersion::latest())
            .region(Region::new(region(settings.region.as_deref())))
            .timeout_config(
                TimeoutConfig::builder()
                    .connect_timeout(Duration::from_secs(2).min(settings.timeout))
                    .operation_timeout(settings.timeout)
                    .build(),
            )
            .retry_config(RetryConfig::standard().with_max_attempts(2));
        if let Some((id, secret)) = &settings.static_credentials {
            loader =
                loader.credentials_provider(Credentials::new(id, secret, None, None, "surgicase-static"));
        }
        if let Some(endpoint) = settings.endpoint.as_deref().filter(|e| !e.is_empty()) {
            loader = loader.endpoint_url(endpoint);
        }
        let shared = loader.load().await;
        Self { client: Client::new(&shared), ttl: settings.ttl, cache: Mutex::new(HashMap::new()) }
    }

    /// The client (tests and tools create and rotate secrets with it).
    pub fn client(&self) -> &Client {
        &self.client
    }

    fn cached(&self, name: &str) -> Option<SecretValue> {
        let cache = self.cache.lock().unwrap_or_else(|p| p.into_inner());
        cache.get(name).filter(|(at, _)| at.elapsed() < self.ttl).map(|(_, v)| v.clone())
    }

    fn remember(&self, name: &str, value: &SecretValue) {
        let mut cache = self.cache.lock().unwrap_or_else(|p| p.into_inner());
        cache.insert(name.to_owned(), (Instant::now(), value.clone()));
    }

    async fn fetch(&self, name: &str) -> Result<SecretValue, SecretError> {
        let answer = self.client.get_secret_value().secret_id(name).send().await;
        let output = match answer {
            Ok(output) => output,
            Err(e) if e.as_service_error().is_some_and(|s| s.is_resource_not_found_exception()) => {
                return Err(SecretError::NotFound(name.to_owned()));
            }
            Err(SdkError::ServiceError(e)) => {
                let code = e.err().code().unwrap_or("unknown").to_owned();
                return Err(SecretError::Unavailable(format!("reading secret {name}: {code}")));
            }
            Err(SdkError::TimeoutError(_)) => {
                return Err(SecretError::Unavailable(format!("reading secret {name}: timed out")));
            }
            Err(_) => {
                return Err(SecretError::Unavailable(format!(
                    "reading secret {name}: Secrets Manager unreachable"
                )));
            }
        };
        let Some(text) = output.secret_string() else {
            return Err(SecretError::Invalid {
                name: name.to_owned(),
                why: "the secret has no string value".to_owned(),
            });
        };
        serde_json::from_str(text)
            .map(SecretValue::new)
            .map_err(|_| SecretError::Invalid { name: name.to_owned(), why: "not valid JSON".to_owned() })
    }
}

#[async_trait]
impl SecretSource for AwsSecrets {
    async fn get_json(&self, name: &str) -> Result<SecretValue, SecretError> {
        if let Some(value) = self.cached(name) {
            return Ok(value);
        }
        let value = self.fetch(name).await?;
        self.remember(name, &value);
        Ok(value)
    }

    fn invalidate(&self, name: &str) {
        let mut cache = self.cache.lock().unwrap_or_else(|p| p.into_inner());
        cache.remove(name);
    }

    fn kind(&self) -> &'static str {
        "aws"
    }
}
