//! Log output of both service binaries (api.md §11 "Logs"): one JSON object per line, or
//! human-readable (`log.format`, `SURGICASE_LOG_FORMAT`), filtered like `RUST_LOG`.

use std::io::IsTerminal;

use surgicase_config::{Config, LogFormat};
use tracing_subscriber::EnvFilter;

/// Whether the output is JSON for this format (`Auto`: pretty on a terminal).
pub fn wants_json(format: LogFormat, stderr_is_terminal: bool) -> bool {
    match format {
        LogFormat::Json => true,
        LogFormat::Pretty => false,
        LogFormat::Auto => !stderr_is_terminal,
    }
}

/// The filter: `RUST_LOG` when set, else `log.filter`. The error names the key.
pub fn filter(config: &Config) -> Result<EnvFilter, String> {
    filter_from(std::env::var("RUST_LOG").ok(), config)
}

fn filter_from(rust_log: Option<String>, config: &Config) -> Result<EnvFilter, String> {
    match rust_log {
        Some(value) if !value.trim().is_empty() => {
            EnvFilter::try_new(&value).map_err(|e| format!("RUST_LOG: invalid filter {value:?}: {e}"))
        }
        _ => EnvFilter::try_new(&config.log.filter).map_err(|e| {
            format!("configuration: key `log.filter`: invalid filter {:?}: {e}", config.log.filter)
        }),
    }
}

/// Installs the global subscriber, writing to stderr. Span fields (`request_id`) are on every
/// line written while a request is served.
pub fn init(config: &Config) -> Result<(), String> {
    let filter = filter(config)?;
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr);
    let result = if wants_json(config.log.format, std::io::stderr().is_terminal()) {
        builder.json().flatten_event(true).with_current_span(true).with_span_list(false).try_init()
    } else {
        builder.try_init()
    };
    result.map_err(|e| format!("cannot install the logger: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        assert!(wants_json(LogFormat::Json, true));
        assert!(!wants_json(LogFormat::Pretty, false));
        assert!(wants_json(LogFormat::Auto, false));
        assert!(!wants_json(LogFormat::Auto, true));
    }

    #[test]
    fn a_bad_filter_names_the_key() {
        let mut config = Config::default();
        config.log.filter = "info,[[[".to_owned();
        let err = filter_from(None, &config).err().unwrap_or_default();
        assert!(err.contains("log.filter"), "{err}");
        // RUST_LOG wins, and is named when it is the bad one.
        assert!(filter_from(Some("debug".into()), &config).is_ok());
        let err = filter_from(Some("[[[".into()), &Config::default()).err().unwrap_or_default();
        assert!(err.contains("RUST_LOG"), "{err}");
        config.log.filter = "info,surgicase_api=debug".to_owned();
        assert!(filter_from(None, &config).is_ok());
    }
}
