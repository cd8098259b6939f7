//! Wiring shared by the three binaries (API, scheduler, xtask): the configuration decides
//! which adapter serves each port; this crate opens them and builds the [`App`].

mod bugs;
mod keys;
pub mod storage;
pub mod telemetry;

use std::sync::Arc;
use std::time::Duration;

use surgicase_app::{App, AppSettings, DocumentSettings};
use surgicase_config::{Config, NpiMode};
use surgicase_kernel::{Clock, SystemClock};
use surgicase_npi::{CmsRegistry, CmsSettings, LocalRegistry};
use surgicase_ports::{NpiRegistry, ObjectStore, Store, StoreError};
use surgicase_store::{DbStore, PhiKeys, PoolSettings};

pub use bugs::bug_tracker;
pub use keys::blind_index_key;

/// Why the service cannot start; each message names what to fix.
#[derive(Debug, thiserror::Error)]
pub enum RuntimeError {
    #[error("database: {0}")]
    Database(#[from] StoreError),
    #[error("data directory {path}: {why}")]
    DataDir { path: String, why: String },
    #[error("object store: {0}")]
    Objects(String),
    #[error("NPI registry: {0}")]
    Npi(String),
    #[error("bug tracker: {0}")]
    BugTracker(String),
    #[error("key {key}: {why}")]
    Key { key: &'static str, why: String },
}

/// What start-up does to the database.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StartOptions {
    /// Apply pending migrations.
    pub migrate: bool,
    /// Load the reference data when the database has none.
    pub seed: bool,
}

impl StartOptions {
    pub fn from_config(config: &Config) -> Self {
        Self { migrate: config.database.migrate_on_start, seed: config.database.seed_on_start }
    }
}

/// The opened adapters and the use cases over them.
#[derive(Clone)]
pub struct Runtime {
    pub app: App,
    /// The concrete store, for what the port does not say (pool state, statement counts).
    pub db: Arc<DbStore>,
    /// The secret source, when `[secrets]` names one (health checks).
    pub secrets: Option<Arc<dyn surgicase_ports::SecretSource>>,
}

/// Opens the database named by the configuration (and the secret source it may need).
pub async fn open_store(config: &Config) -> Result<Arc<DbStore>, RuntimeError> {
    let secrets = storage::open_secrets(config).await;
    open_store_with(config, secrets.as_ref()).await
}

/// Opens the database; its credentials come from `secrets` when `database.secret` is set. One
/// source serves the whole process, so a rotation refresh clears the cache everyone reads.
async fn open_store_with(
    config: &Config,
    secrets: Option<&Arc<dyn surgicase_ports::SecretSource>>,
) -> Result<Arc<DbStore>, RuntimeError> {
    let settings = PoolSettings {
        max_size: config.database.pool_size,
        acquire_timeout: Duration::from_millis(config.database.acquire_timeout_ms),
        ..PoolSettings::default()
    };
    let key = blind_index_key(config)?;
    if !config.database.secret.is_empty() {
        // The URL comes from the database secret and follows its rotation.
        // Configuration validation refuses `database.secret` without `secrets.source`.
        let source = secrets
            .cloned()
            .ok_or(RuntimeError::Key { key: "database.secret", why: "needs secrets.source".into() })?;
        let provider = storage::SecretDatabaseCredentials::new(source, &config.database.secret);
        let credentials = surgicase_store::Credentials(Arc::new(provider));
        return Ok(Arc::new(
            DbStore::connect_with_credentials(credentials, settings, PhiKeys::new(key)).await?,
        ));
    }
    Ok(Arc::new(DbStore::connect(config.database_url.expose(), settings, PhiKeys::new(key)).await?))
}

/// Opens every adapter, prepares the database as asked, and builds the use cases.
pub async fn start(config: &Config, options: StartOptions) -> Result<Runtime, RuntimeError> {
    std::fs::create_dir_all(&config.data_dir).map_err(|e| RuntimeError::DataDir {
        path: config.data_dir.display().to_string(),
        why: e.to_string(),
    })?;
    let secrets = storage::open_secrets(config).await;
    let db = open_store_with(config, secrets.as_ref()).await?;
    if options.migrate {
        let report = db.migrate().await?;
        if !report.ran.is_empty() {
            tracing::info!(migrations = ?report.ran, "database migrated");
        }
    }
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    if options.seed && surgicase_app::seed::needs_seed(db.as_ref()).await? {
        let report = surgicase_app::seed::seed_reference(db.as_ref(), clock.as_ref()).await?;
        tracing::info!(?report, "reference data loaded");
    }
    let store: Arc<dyn Store> = db.clone();
    let objects: Arc<dyn ObjectStore> = storage::open_objects(config, secrets.as_ref()).await?;
    let npi: Arc<dyn NpiRegistry> = match config.npi.mode {
        NpiMode::Offline => Arc::new(LocalRegistry::new(store.clone())),
        NpiMode::Cms => {
            let settings = CmsSettings::new(
                &config.npi.base_url,
                Duration::from_millis(config.npi.timeout_ms),
                Duration::from_secs(config.npi.cache_ttl_s),
            )
            .map_err(|e| RuntimeError::Npi(e.to_string()))?;
            Arc::new(CmsRegistry::new(settings).map_err(|e| RuntimeError::Npi(e.to_string()))?)
        }
    };
    let mut app = App::new(store, objects, npi, clock, app_settings(config))
        .with_bug_tracker(bugs::bug_tracker(config)?)
        .with_request_log_table(config.observability.request_log_table);
    if let Some(source) = &secrets {
        let names: Vec<String> = [&config.database.secret, &config.objects.secret]
            .into_iter()
            .filter(|name| !name.is_empty())
            .cloned()
            .collect();
        app = app.with_health_probe(Arc::new(surgicase_app::SecretsProbe::new(Arc::clone(source), names)));
    }
    Ok(Runtime { app, db, secrets })
}

/// The use-case switches the configuration sets.
pub fn app_settings(config: &Config) -> AppSettings {
    let d = &config.documents;
    AppSettings {
        documents: DocumentSettings {
            max_bytes: d.max_bytes,
            case_prefix: d.case_prefix.clone(),
            deleted_case_prefix: d.deleted_case_prefix.clone(),
            user_prefix: d.user_prefix.clone(),
            deleted_user_prefix: d.deleted_user_prefix.clone(),
            upload_ttl_s: i64::try_from(d.upload_ttl_s).unwrap_or(900),
            download_ttl_s: i64::try_from(d.download_ttl_s).unwrap_or(300),
        },
        allow_self_registration: config.auth.allow_self_registration,
        identity_ttl: std::time::Duration::from_millis(config.auth.identity_cache_ms.min(1000)),
        bucket_order: config.pay.bucket_order.clone(),
        jobs: config
            .scheduler
            .jobs
            .iter()
            .map(|(name, job)| surgicase_app::jobs::JobSetting {
                name: name.clone(),
                schedule: job.schedule.clone(),
                enabled: job.enabled,
                catch_up_window_s: job.catch_up_window_s,
            })
            .collect(),
        ..AppSettings::default()
    }
}
