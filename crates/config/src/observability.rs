//! `[metrics]`, `[observability]` and `[bugs]`: what operators see of the service and where bug
//! reports go (api.md §10–§11, domain §19).

use std::net::SocketAddr;

use serde::{Deserialize, Serialize};

use crate::model::Config;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct MetricsConfig {
    /// Serve `/metrics` and `/metrics/*` on the API listener (else only on `bind`).
    pub public: bool,
    /// A separate listener serving `/metrics` and `/health/live` only (e.g. `0.0.0.0:9100`).
    pub bind: Option<SocketAddr>,
}

impl Default for MetricsConfig {
    fn default() -> Self {
        Self { public: true, bind: None }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ObservabilityConfig {
    /// Write one `request_logs` row per request (in batches, off the request path).
    pub request_log_table: bool,
    /// How long `/health/system` reuses a result (at most 5000).
    pub health_cache_ms: u64,
    /// How long `/health/ready` reuses a result (at most 5000): one database round trip per
    /// interval and process, however often load balancers probe.
    pub ready_cache_ms: u64,
}

impl Default for ObservabilityConfig {
    fn default() -> Self {
        Self { request_log_table: false, health_cache_ms: 5000, ready_cache_ms: 1000 }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum BugTrackerKind {
    /// Reports are kept locally only (`sync_state = disabled`).
    Local,
    /// Reports are pushed to a ClickUp list.
    Clickup,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct BugsConfig {
    pub tracker: BugTrackerKind,
    /// Retry pending reports from the API process (besides the scheduler's `bug_tracker_sync`).
    pub background_sync: bool,
    /// How often the API's background task looks for due reports.
    pub sync_interval_s: u64,
    pub clickup: ClickUpConfig,
}

impl Default for BugsConfig {
    fn default() -> Self {
        Self {
            tracker: BugTrackerKind::Local,
            background_sync: true,
            sync_interval_s: 30,
            clickup: ClickUpConfig::default(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ClickUpConfig {
    /// The API root (a fake server's URL in tests).
    pub base_url: String,
    /// The API token (secret; `SURGICASE_BUGS__CLICKUP__TOKEN`).
    #[serde(deserialize_with = "string_or_number")]
    pub token: surgicase_kernel::Sensitive,
    /// The list the tasks are created in (numeric ids are read as text).
    #[serde(deserialize_with = "string_or_number")]
    pub list_id: String,
    /// Longest wait for one ClickUp request.
    pub timeout_ms: u64,
    /// Pages of 100 tasks searched when looking a task up by name before a retry.
    pub lookup_pages: u32,
}

impl Default for ClickUpConfig {
    fn default() -> Self {
        Self {
            base_url: "https://api.clickup.com/api/v2".to_owned(),
            token: Default::default(),
            list_id: String::new(),
            timeout_ms: 10_000,
            lookup_pages: 5,
        }
    }
}

/// A string, or a number taken as its text (environment values that look numeric arrive as
/// numbers: `SURGICASE_BUGS__CLICKUP__LIST_ID=901`).
fn string_or_number<'de, D: serde::Deserializer<'de>, T: From<String>>(d: D) -> Result<T, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Text {
        S(String),
        I(i128),
        U(u128),
        F(f64),
    }
    Ok(T::from(match Text::deserialize(d)? {
        Text::S(s) => s,
        Text::I(n) => n.to_string(),
        Text::U(n) => n.to_string(),
        Text::F(n) => n.to_string(),
    }))
}

/// The checks of these sections (called by the loader's validation).
pub(crate) fn validate(config: &Config) -> Result<(), String> {
    let bad = |key: &str, why: &str| Err(format!("key `{key}`: {why}"));
    if config.observability.health_cache_ms > 5000 {
        return bad("observability.health_cache_ms", "must be at most 5000 (never staler than 5 s)");
    }
    if config.observability.ready_cache_ms > 5000 {
        return bad("observability.ready_cache_ms", "must be at most 5000 (never staler than 5 s)");
    }
    let bugs = &config.bugs;
    if bugs.sync_interval_s == 0 {
        return bad("bugs.sync_interval_s", "must be at least 1");
    }
    if bugs.tracker == BugTrackerKind::Clickup {
        let c = &bugs.clickup;
        if c.token.expose().trim().is_empty() {
            return bad("bugs.clickup.token", "is required when bugs.tracker = \"clickup\"");
        }
        if c.list_id.trim().is_empty() {
            return bad("bugs.clickup.list_id", "is required when bugs.tracker = \"clickup\"");
        }
        if !(c.base_url.starts_with("https://") || c.base_url.starts_with("http://")) {
            return bad("bugs.clickup.base_url", "must be an http:// or https:// URL");
        }
        if c.timeout_ms == 0 {
            return bad("bugs.clickup.timeout_ms", "must be at least 1");
        }
    }
    Ok(())
}

/// Masks the secrets of these sections (for `config` output).
// figment::Jail closures return figment::Error, which is large.
#[cfg(test)]
#[allow(clippy::result_large_err)]
mod tests {
    use super::*;

    fn clickup(token: &str, list: &str) -> Config {
        let mut config = Config::default();
        config.bugs.tracker = BugTrackerKind::Clickup;
        config.bugs.clickup.token = token.to_owned().into();
        config.bugs.clickup.list_id = list.to_owned();
        config
    }

    #[test]
    fn clickup_needs_a_token_and_a_list() {
        let table: &[(Config, Option<&str>)] = &[
            (Config::default(), None),
            (clickup("pk_1", "901"), None),
            (clickup("", "901"), Some("bugs.clickup.token")),
            (clickup("pk_1", " "), Some("bugs.clickup.list_id")),
        ];
        for (config, key) in table {
            let err = validate(config).err();
            match key {
                None => assert_eq!(err, None),
                Some(key) => assert!(err.unwrap_or_default().contains(key), "{key}"),
            }
        }
        let mut stale = Config::default();
        stale.observability.health_cache_ms = 6000;
        assert!(validate(&stale).err().unwrap_or_default().contains("health_cache_ms"));
        let mut stale = Config::default();
        stale.observability.ready_cache_ms = 5001;
        assert!(validate(&stale).err().unwrap_or_default().contains("ready_cache_ms"));
    }

    #[test]
    fn numeric_list_ids_from_the_environment() {
        figment::Jail::expect_with(|jail| {
            jail.set_env("SURGICASE_BUGS__TRACKER", "clickup");
            jail.set_env("SURGICASE_BUGS__CLICKUP__TOKEN", "pk_1");
            jail.set_env("SURGICASE_BUGS__CLICKUP__LIST_ID", "901234");
            let config = crate::load_from(None, figment::providers::Env::prefixed("SURGICASE_"))
                .map_err(|e| e.to_string())?;
            assert_eq!(config.bugs.clickup.list_id, "901234");
            assert_eq!(config.bugs.tracker, BugTrackerKind::Clickup);
            Ok(())
        });
    }

    #[test]
    fn the_token_is_masked() {
        let config = clickup("pk_secret_123", "901");
        let printed = config.to_redacted_toml();
        assert!(!printed.contains("pk_secret_123"), "{printed}");
        assert!(printed.contains("list_id = \"901\""), "{printed}");
        assert!(printed.contains("token = \"***\""), "{printed}");
        assert_eq!(config.bugs.clickup.token.expose(), "pk_secret_123");
    }
}
