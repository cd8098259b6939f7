//! Configuration of the SurgiCase binaries.
//!
//! Sources, later ones winning: built-in defaults, the TOML file named by
//! `SURGICASE_CONFIG`, then environment variables. The documented flat names
//! (`SURGICASE_BIND`, `SURGICASE_DATABASE_URL`, `SURGICASE_DATA_DIR`, `SURGICASE_AUTH_MODE`,
//! `SURGICASE_LOG_FORMAT`, `SURGICASE_HTTP_CORS_ALLOWED_ORIGINS`) map to their keys; any other
//! key is reachable as `SURGICASE_<SECTION>__<KEY>` (double underscore between levels).

mod cors;
mod load;
mod model;
mod observability;
mod redact;
mod scheduler;
mod storage;

pub use cors::parse_origin;
pub use load::{ConfigError, load, load_from};
pub use model::*;
pub use observability::{BugTrackerKind, BugsConfig, ClickUpConfig, MetricsConfig, ObservabilityConfig};
pub use redact::redact_url;
pub use scheduler::{JobConfig, SchedulerConfig};
pub use storage::*;
