//! Wiring shared by the three binaries (API, scheduler, xtask): the configuration decides
//! which adapter serves each port; this crate opens them and builds the [`App`].

mod keys;

use std::sync::Arc;
use std::time::Duration;

use surgicase_app::{App, AppSettings, DocumentSettings};
use surgicase_config::{Config, NpiMode};
use surgicase_kernel::{Clock, SystemClock};
use surgicase_npi::{CmsRegistry, CmsSettings, LocalRegistry};
use surgicase_objects::local::LocalObjectStore;
use surgicase_ports::{NpiRegistry, ObjectStore, Store, StoreError};
use surgicase_store::{DbStore, PhiKeys, PoolSettings};

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
}

/// Opens the database named by the configuration.
pub async fn open_store(config: &Config) -> Result<Arc<DbStore>, RuntimeError> {
    let settings = PoolSettings {
        max_size: config.database.pool_size,
        acquire_timeout: Duration::from_millis(config.database.acquire_timeout_ms),
        ..PoolSettings::default()
    };
    let key = blind_index_key(config)?;
    Ok(Arc::new(DbStore::connect(&config.database_url, settings, PhiKeys::new(key)).await?))
}

/// Opens every adapter, prepares the database as asked, and builds the use cases.
pub async fn start(config: &Config, options: StartOptions) -> Result<Runtime, RuntimeError> {
    std::fs::create_dir_all(&config.data_dir).map_err(|e| RuntimeError::DataDir {
        path: config.data_dir.display().to_string(),
        why: e.to_string(),
    })?;
    let db = open_store(config).await?;
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
    let objects: Arc<dyn ObjectStore> = Arc::new(
        LocalObjectStore::new(config.data_dir.clone())
            .map_err(|e| RuntimeError::Objects(e.to_string()))?,
    );
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
    let app = App::new(store, objects, npi, clock, app_settings(config));
    Ok(Runtime { app, db })
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
        },
        allow_self_registration: config.auth.allow_self_registration,
        ..AppSettings::default()
    }
}
