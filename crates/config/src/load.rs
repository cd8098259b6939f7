//! Loading: defaults, then the TOML file named by `SURGICASE_CONFIG`, then the environment.

use std::path::Path;

use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};

use crate::model::{AuthMode, Config};

/// Why the configuration cannot be used; the message names the key.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("configuration: {0}")]
    Invalid(String),
}

/// The flat names documented in the README, and the keys they set.
const FLAT_NAMES: &[(&str, &str)] = &[
    ("BIND", "bind"),
    ("DATABASE_URL", "database_url"),
    ("DATA_DIR", "data_dir"),
    ("AUTH_MODE", "auth.mode"),
    ("LOG_FORMAT", "log.format"),
    ("HTTP_CORS_ALLOWED_ORIGINS", "http.cors_allowed_origins"),
];

/// Loads from the process environment.
pub fn load() -> Result<Config, ConfigError> {
    let file = std::env::var_os("SURGICASE_CONFIG");
    load_from(file.as_deref().map(Path::new), Env::prefixed("SURGICASE_"))
}

/// Loads from an optional file and an environment provider (tests pass their own).
pub fn load_from(file: Option<&Path>, env: Env) -> Result<Config, ConfigError> {
    let mut figment = Figment::from(Serialized::defaults(Config::default()));
    if let Some(path) = file {
        if !path.is_file() {
            return Err(ConfigError::Invalid(format!(
                "SURGICASE_CONFIG names {}, which is not a readable file",
                path.display()
            )));
        }
        figment = figment.merge(Toml::file_exact(path));
    }
    // SURGICASE_CONFIG names the file; SURGICASE_TEST_* configure the test suites, not the service.
    let env = env
        .ignore(&["CONFIG"])
        .filter(|key| !key.as_str().to_ascii_uppercase().starts_with("TEST_"))
        .map(|key| {
            let upper = key.as_str().to_ascii_uppercase();
            match FLAT_NAMES.iter().find(|(flat, _)| *flat == upper) {
                Some((_, mapped)) => (*mapped).into(),
                None => key.as_str().replace("__", ".").into(),
            }
        });
    figment = figment.merge(env);
    let config: Config = figment.extract().map_err(|e| ConfigError::Invalid(describe(&e)))?;
    validate(&config)?;
    Ok(config)
}

fn describe(error: &figment::Error) -> String {
    let mut parts = Vec::new();
    for e in error.clone() {
        let key = if e.path.is_empty() { String::from("(root)") } else { e.path.join(".") };
        parts.push(format!("key `{key}`: {}", e.kind));
    }
    parts.join("; ")
}

/// Cross-field checks serde cannot express.
fn validate(config: &Config) -> Result<(), ConfigError> {
    let bad = |key: &str, why: &str| Err(ConfigError::Invalid(format!("key `{key}`: {why}")));
    crate::storage::validate(config).map_err(ConfigError::Invalid)?;
    let url = config.database_url.expose();
    if !(url.starts_with("sqlite:") || url.starts_with("mysql://") || !url.contains("://")) {
        return bad("database_url", "must start with sqlite:// or mysql://");
    }
    if config.database.pool_size == 0 {
        return bad("database.pool_size", "must be at least 1");
    }
    if config.http.max_body_bytes < 1024 {
        return bad("http.max_body_bytes", "must be at least 1024");
    }
    if config.http.body_min_bytes_per_s == 0 {
        return bad("http.body_min_bytes_per_s", "must be at least 1");
    }
    for origin in &config.http.cors_allowed_origins {
        if let Err(why) = crate::cors::parse_origin(origin) {
            return bad("http.cors_allowed_origins", &why);
        }
    }
    let key = config.phi.blind_index_key.expose();
    if !key.is_empty() && (key.len() != 64 || !key.bytes().all(|b| b.is_ascii_hexdigit())) {
        return bad("phi.blind_index_key", "must be 64 hex digits (a 256-bit key)");
    }
    if config.auth.identity_cache_ms > 1000 {
        return bad(
            "auth.identity_cache_ms",
            "must be at most 1000 (a deactivation takes effect within 1 s)",
        );
    }
    if config.auth.mode == AuthMode::Jwt {
        if config.auth.jwt.issuer.is_empty() {
            return bad("auth.jwt.issuer", "is required when auth.mode = \"jwt\"");
        }
        if config.auth.jwt.jwks.is_empty() {
            return bad("auth.jwt.jwks", "is required when auth.mode = \"jwt\" (a URL or a file path)");
        }
        if config.auth.jwt.client_ids.is_empty() {
            return bad("auth.jwt.client_ids", "must list at least one client id when auth.mode = \"jwt\"");
        }
    }
    crate::observability::validate(config).map_err(ConfigError::Invalid)?;
    config.scheduler.check().map_err(ConfigError::Invalid)?;
    if config.auth.mode == AuthMode::UserId
        && !config.bind.ip().is_loopback()
        && !config.auth.allow_insecure_user_id
    {
        return bad(
            "auth.allow_insecure_user_id",
            "user-id mode trusts the caller's own word; refusing to listen on a non-loopback address \
             unless auth.allow_insecure_user_id = true",
        );
    }
    Ok(())
}

// figment::Jail closures return figment::Error, which is large.
#[cfg(test)]
#[allow(clippy::result_large_err)]
mod tests {
    use super::*;
    use crate::model::{LogFormat, NpiMode};

    fn with_env<F: FnOnce(&mut figment::Jail) -> Result<(), figment::Error>>(f: F) {
        figment::Jail::expect_with(f);
    }

    #[test]
    fn defaults_are_the_embedded_default() {
        with_env(|_| {
            let config = load_from(None, Env::prefixed("SURGICASE_")).map_err(|e| e.to_string())?;
            assert_eq!(config.bind.to_string(), "127.0.0.1:8000");
            assert_eq!(config.database_url.expose(), "sqlite://surgicase.db");
            assert_eq!(config.data_dir.to_string_lossy(), "./data");
            assert_eq!(config.auth.mode, AuthMode::UserId);
            assert_eq!(config.npi.mode, NpiMode::Offline);
            assert_eq!(config.http.max_body_bytes, 1024 * 1024);
            Ok(())
        });
    }

    #[test]
    fn file_then_environment() {
        with_env(|jail| {
            jail.create_file(
                "c.toml",
                "bind = \"127.0.0.1:9000\"\n[http]\nmax_body_bytes = 4096\n[log]\nformat = \"json\"\n",
            )?;
            jail.set_env("SURGICASE_BIND", "127.0.0.1:9100");
            jail.set_env("SURGICASE_LOG_FORMAT", "pretty");
            jail.set_env("SURGICASE_AUTH_MODE", "user-id");
            jail.set_env("SURGICASE_DATABASE__POOL_SIZE", "3");
            let config = load_from(Some(Path::new("c.toml")), Env::prefixed("SURGICASE_"))
                .map_err(|e| e.to_string())?;
            assert_eq!(config.bind.to_string(), "127.0.0.1:9100");
            assert_eq!(config.http.max_body_bytes, 4096);
            assert_eq!(config.log.format, LogFormat::Pretty);
            assert_eq!(config.database.pool_size, 3);
            Ok(())
        });
    }

    #[test]
    fn bad_values_name_the_key() {
        let table: &[(&str, &str, &str)] = &[
            ("SURGICASE_BIND", "not-an-address", "bind"),
            ("SURGICASE_AUTH_MODE", "password", "auth.mode"),
            ("SURGICASE_DATABASE_URL", "postgres://x", "database_url"),
            ("SURGICASE_DATABASE__POOL_SIZE", "0", "database.pool_size"),
            ("SURGICASE_AUTH__IDENTITY_CACHE_MS", "1001", "auth.identity_cache_ms"),
            ("SURGICASE_HTTP__NO_SUCH_KEY", "1", "http"),
        ];
        for (name, value, key) in table {
            with_env(|jail| {
                jail.set_env(name, value);
                let err = load_from(None, Env::prefixed("SURGICASE_")).err().map(|e| e.to_string());
                let text = err.unwrap_or_default();
                assert!(text.contains(key), "{name}={value}: {text}");
                Ok(())
            });
        }
    }

    #[test]
    fn cors_origins_from_file_and_environment() {
        with_env(|jail| {
            let config = load_from(None, Env::prefixed("SURGICASE_")).map_err(|e| e.to_string())?;
            assert!(config.http.cors_allowed_origins.is_empty(), "none by default");

            jail.create_file("c.toml", "[http]\ncors_allowed_origins = [\"https://app.example.com\"]\n")?;
            let config = load_from(Some(Path::new("c.toml")), Env::prefixed("SURGICASE_"))
                .map_err(|e| e.to_string())?;
            assert_eq!(config.http.cors_allowed_origins, ["https://app.example.com"]);

            let table: &[(&str, &str, &[&str])] = &[
                (
                    "SURGICASE_HTTP__CORS_ALLOWED_ORIGINS",
                    "https://a.example.com, http://localhost:3000",
                    &["https://a.example.com", "http://localhost:3000"],
                ),
                (
                    "SURGICASE_HTTP__CORS_ALLOWED_ORIGINS",
                    "https://a.example.com:8443",
                    &["https://a.example.com:8443"],
                ),
                (
                    "SURGICASE_HTTP__CORS_ALLOWED_ORIGINS",
                    "[\"https://a.example.com\", \"https://b.example.com\"]",
                    &["https://a.example.com", "https://b.example.com"],
                ),
                ("SURGICASE_HTTP__CORS_ALLOWED_ORIGINS", "", &[]),
                (
                    "SURGICASE_HTTP_CORS_ALLOWED_ORIGINS",
                    "https://flat.example.com,https://other.example.com",
                    &["https://flat.example.com", "https://other.example.com"],
                ),
            ];
            for (name, value, expected) in table {
                jail.clear_env();
                jail.set_env(name, value);
                let config = load_from(None, Env::prefixed("SURGICASE_")).map_err(|e| e.to_string())?;
                assert_eq!(config.http.cors_allowed_origins, *expected, "{name}={value}");
            }
            Ok(())
        });
    }

    #[test]
    fn cors_origins_must_be_origins() {
        for value in ["https://app.example.com/", "*", "app.example.com", "https://a.example.com,https://b/x"]
        {
            with_env(|jail| {
                jail.set_env("SURGICASE_HTTP__CORS_ALLOWED_ORIGINS", value);
                let err = load_from(None, Env::prefixed("SURGICASE_"))
                    .err()
                    .map(|e| e.to_string())
                    .unwrap_or_default();
                assert!(err.contains("http.cors_allowed_origins"), "{value}: {err}");
                Ok(())
            });
        }
    }

    #[test]
    fn test_suite_variables_are_not_configuration() {
        with_env(|jail| {
            jail.set_env("SURGICASE_TEST_MYSQL_URL", "mysql://root@127.0.0.1:3306");
            assert!(load_from(None, Env::prefixed("SURGICASE_")).is_ok());
            Ok(())
        });
    }

    #[test]
    fn user_id_mode_stays_on_loopback() {
        with_env(|jail| {
            jail.set_env("SURGICASE_BIND", "0.0.0.0:8000");
            let err =
                load_from(None, Env::prefixed("SURGICASE_")).err().map(|e| e.to_string()).unwrap_or_default();
            assert!(err.contains("auth.allow_insecure_user_id"), "{err}");
            jail.set_env("SURGICASE_AUTH__ALLOW_INSECURE_USER_ID", "true");
            assert!(load_from(None, Env::prefixed("SURGICASE_")).is_ok());
            Ok(())
        });
    }

    #[test]
    fn jwt_mode_needs_its_settings() {
        with_env(|jail| {
            jail.set_env("SURGICASE_AUTH_MODE", "jwt");
            let err =
                load_from(None, Env::prefixed("SURGICASE_")).err().map(|e| e.to_string()).unwrap_or_default();
            assert!(err.contains("auth.jwt.issuer"), "{err}");
            Ok(())
        });
    }
}
