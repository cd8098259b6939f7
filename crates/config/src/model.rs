//! The configuration tree with its defaults.

use std::net::SocketAddr;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};
use surgicase_kernel::Sensitive;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    /// Address the API listens on.
    pub bind: SocketAddr,
    /// `sqlite://path` (embedded default) or `mysql://user:password@host:port/database`.
    /// Not serialized: a secret serializes masked, and the loader layers the defaults through
    /// serialization (the field default applies instead); the dump shows it password-masked.
    #[serde(skip_serializing)]
    pub database_url: Sensitive,
    /// Where the embedded default keeps documents, reports and generated keys.
    pub data_dir: PathBuf,
    pub log: LogConfig,
    pub http: HttpConfig,
    pub auth: AuthConfig,
    pub database: DatabaseConfig,
    pub npi: NpiConfig,
    pub documents: DocumentsConfig,
    pub phi: PhiConfig,
    pub pay: PayConfig,
    pub metrics: crate::observability::MetricsConfig,
    pub observability: crate::observability::ObservabilityConfig,
    pub bugs: crate::observability::BugsConfig,
    pub scheduler: crate::scheduler::SchedulerConfig,
    pub objects: crate::storage::ObjectsConfig,
    pub secrets: crate::storage::SecretsConfig,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            bind: SocketAddr::from(([127, 0, 0, 1], 8000)),
            database_url: Sensitive::new("sqlite://surgicase.db"),
            data_dir: PathBuf::from("./data"),
            log: LogConfig::default(),
            http: HttpConfig::default(),
            auth: AuthConfig::default(),
            database: DatabaseConfig::default(),
            npi: NpiConfig::default(),
            documents: DocumentsConfig::default(),
            phi: PhiConfig::default(),
            pay: PayConfig::default(),
            metrics: Default::default(),
            observability: Default::default(),
            bugs: Default::default(),
            scheduler: Default::default(),
            objects: Default::default(),
            secrets: Default::default(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    /// Pretty on a terminal, JSON otherwise.
    Auto,
    Json,
    Pretty,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct LogConfig {
    pub format: LogFormat,
    /// A `RUST_LOG`-style filter; `RUST_LOG` itself wins when set.
    pub filter: String,
}

impl Default for LogConfig {
    fn default() -> Self {
        Self { format: LogFormat::Auto, filter: "info".to_owned() }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct HttpConfig {
    /// Request body limit for JSON routes.
    pub max_body_bytes: usize,
    /// Origins allowed by CORS (none by default: no CORS headers at all). Each is
    /// `scheme://host[:port]`; credentials are allowed for these origins only. The environment
    /// takes a comma-separated list.
    #[serde(deserialize_with = "crate::cors::list_or_comma_separated")]
    pub cors_allowed_origins: Vec<String>,
    /// Refuse unknown body fields (422 `unknown_field`) instead of ignoring them.
    pub strict_fields: bool,
    /// Worker threads; 0 = one per core.
    pub workers: usize,
    /// Seconds a request body may take before the minimum rate applies.
    pub body_read_grace_s: u64,
    /// After the grace period a body must keep arriving at this many bytes per second on
    /// average (408 `request_timeout` otherwise), so a trickling client cannot hold a worker;
    /// the allowance grows with the size, so large uploads on slow links still pass.
    pub body_min_bytes_per_s: u64,
}

impl Default for HttpConfig {
    fn default() -> Self {
        Self {
            max_body_bytes: 1024 * 1024,
            cors_allowed_origins: Vec::new(),
            strict_fields: false,
            workers: 0,
            body_read_grace_s: 10,
            body_min_bytes_per_s: 8 * 1024,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum AuthMode {
    /// The caller names themselves with `user_id` (the legacy behaviour); loopback only
    /// unless `allow_insecure_user_id`.
    UserId,
    /// A bearer token (RS256) names the caller.
    Jwt,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct AuthConfig {
    pub mode: AuthMode,
    /// Allow `user-id` mode on a non-loopback address.
    pub allow_insecure_user_id: bool,
    /// Let a caller create their own profile (`POST /user` with their own id).
    pub allow_self_registration: bool,
    /// How long a replica remembers an active caller instead of loading them again (at most
    /// 1000: a deactivation or role change reaches every replica within a second; 0: never).
    pub identity_cache_ms: u64,
    pub jwt: JwtConfig,
}

impl Default for AuthConfig {
    fn default() -> Self {
        Self {
            mode: AuthMode::UserId,
            allow_insecure_user_id: false,
            allow_self_registration: true,
            identity_cache_ms: 900,
            jwt: JwtConfig::default(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct JwtConfig {
    /// Required `iss`.
    pub issuer: String,
    /// JWKS location: an `https://…` URL or a file path.
    pub jwks: String,
    /// Accepted `client_id` (access tokens) or `aud` (id tokens) values.
    pub client_ids: Vec<String>,
    /// Required `token_use`.
    pub token_use: String,
    /// The claim that names the user.
    pub user_id_claim: String,
    /// Clock skew tolerated on `exp`, `nbf` and `iat`.
    pub leeway_s: u64,
    /// Minimum time between two JWKS fetches caused by an unknown `kid`.
    pub jwks_refresh_min_s: u64,
}

impl Default for JwtConfig {
    fn default() -> Self {
        Self {
            issuer: String::new(),
            jwks: String::new(),
            client_ids: Vec::new(),
            token_use: "access".to_owned(),
            user_id_claim: "sub".to_owned(),
            leeway_s: 60,
            jwks_refresh_min_s: 60,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct DatabaseConfig {
    /// Pooled connections per process.
    pub pool_size: usize,
    /// How long a request waits for a pooled connection before 503.
    pub acquire_timeout_ms: u64,
    /// Apply pending migrations at start-up.
    pub migrate_on_start: bool,
    /// Load the reference data (statuses, user types, …) at start-up when missing.
    pub seed_on_start: bool,
    /// Name of the database secret `{host, port, database, user, password}`; when set, the
    /// MySQL URL is built from it (and rebuilt when the password rotates) and `database_url`
    /// is not used.
    pub secret: String,
}

impl Default for DatabaseConfig {
    fn default() -> Self {
        Self {
            pool_size: 16,
            acquire_timeout_ms: 5000,
            migrate_on_start: true,
            seed_on_start: true,
            secret: String::new(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum NpiMode {
    /// Check digit plus the local NPI tables.
    Offline,
    /// The CMS NPPES registry API.
    Cms,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct NpiConfig {
    pub mode: NpiMode,
    pub base_url: String,
    pub timeout_ms: u64,
    /// How long a found NPI is remembered.
    pub cache_ttl_s: u64,
}

impl Default for NpiConfig {
    fn default() -> Self {
        Self {
            mode: NpiMode::Offline,
            base_url: "https://npiregistry.cms.hhs.gov/api/".to_owned(),
            timeout_ms: 5000,
            cache_ttl_s: 300,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct DocumentsConfig {
    /// Largest accepted document.
    pub max_bytes: u64,
    pub case_prefix: String,
    pub deleted_case_prefix: String,
    pub user_prefix: String,
    pub deleted_user_prefix: String,
    /// Lifetime of an upload URL and of the upload it names.
    pub upload_ttl_s: u64,
    /// Lifetime of a presigned download URL.
    pub download_ttl_s: u64,
}

impl Default for DocumentsConfig {
    fn default() -> Self {
        Self {
            max_bytes: 25 * 1024 * 1024,
            case_prefix: "private/case-documents/".to_owned(),
            deleted_case_prefix: "private/deleted-case-documents/".to_owned(),
            user_prefix: "private/user-documents/".to_owned(),
            deleted_user_prefix: "private/deleted-user-documents/".to_owned(),
            upload_ttl_s: 900,
            download_ttl_s: 300,
        }
    }
}

/// Keys protecting patient data (domain §15).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct PhiConfig {
    /// The blind-index key as 64 hex digits (secret). Every replica must use the same key.
    /// Empty: read `key_file`, generating it at first start (the embedded default).
    pub blind_index_key: Sensitive,
    /// Where the generated key lives; empty means `<data_dir>/keys/blind-index.key`.
    pub key_file: PathBuf,
}

/// `[pay]`: how prices are shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct PayConfig {
    /// The bucket order of `/tiers_summary`; buckets not named follow alphabetically.
    pub bucket_order: Vec<String>,
}

impl Default for PayConfig {
    fn default() -> Self {
        Self {
            bucket_order: ["OB-Gyn", "General", "Orthopedic", "Plastic", "Spine"].map(String::from).to_vec(),
        }
    }
}
