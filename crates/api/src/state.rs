//! What every handler can reach: the shell's settings, the authenticator and (wired by the lead)
//! the use cases.

use std::sync::Arc;

use actix_web::{HttpRequest, web};
use surgicase_config::Config;

use surgicase_app::App;

use crate::identity::Authenticator;
use crate::observability::Observability;

/// The HTTP settings the extractors need (from `[http]` and `[documents]`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    /// `http.max_body_bytes`: the limit of JSON routes.
    pub max_body_bytes: usize,
    /// `documents.max_bytes`: the limit of the direct upload route.
    pub document_max_bytes: usize,
    /// `http.strict_fields`: refuse unknown body fields.
    pub strict_fields: bool,
    /// `http.cors_allowed_origins`, as browsers send them (`https://host[:port]`, lowercase);
    /// empty: no CORS headers at all.
    pub cors_allowed_origins: Vec<String>,
    /// How slowly a body may arrive (`http.body_read_grace_s`, `http.body_min_bytes_per_s`).
    pub body_pace: crate::body::BodyPace,
}

impl Default for Settings {
    fn default() -> Self {
        Self::from_config(&Config::default())
    }
}

impl Settings {
    pub fn from_config(config: &Config) -> Self {
        Self {
            max_body_bytes: config.http.max_body_bytes,
            document_max_bytes: usize::try_from(config.documents.max_bytes).unwrap_or(usize::MAX),
            strict_fields: config.http.strict_fields,
            // Configuration loading refused any entry that is not an origin.
            cors_allowed_origins: config
                .http
                .cors_allowed_origins
                .iter()
                .filter_map(|o| surgicase_config::parse_origin(o).ok())
                .collect(),
            body_pace: crate::body::BodyPace {
                grace: std::time::Duration::from_secs(config.http.body_read_grace_s),
                min_bytes_per_s: config.http.body_min_bytes_per_s.max(1),
            },
        }
    }

    /// The settings of the app serving `req` (defaults when none is registered). Shared, not
    /// copied: every JSON request asks.
    pub fn of(req: &HttpRequest) -> Arc<Settings> {
        req.app_data::<web::Data<AppState>>().map(|s| Arc::clone(&s.settings)).unwrap_or_default()
    }
}

/// The application state shared by all workers (`web::Data<AppState>` in handlers).
#[derive(Clone)]
pub struct AppState {
    pub settings: Arc<Settings>,
    pub authenticator: Authenticator,
    /// The use cases.
    pub app: App,
    /// Metrics, health cache, request logs (`observability`).
    pub observability: Arc<Observability>,
}

impl AppState {
    pub fn new(settings: Settings, authenticator: Authenticator, app: App) -> Self {
        Self { settings: Arc::new(settings), authenticator, app, observability: Arc::default() }
    }

    /// Replaces the default observability state (no pool, default settings).
    pub fn with_observability(mut self, observability: Observability) -> Self {
        self.observability = Arc::new(observability);
        self
    }
}
