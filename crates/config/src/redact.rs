//! Secrets never leave the process in clear: `config` output masks them.

use crate::model::Config;

/// The URL with any password replaced by `***`.
pub fn redact_url(raw: &str) -> String {
    match url::Url::parse(raw) {
        Ok(mut url) if url.password().is_some() => {
            // set_password only fails for URLs that cannot carry one, which this one does.
            let _ = url.set_password(Some("***"));
            url.to_string()
        }
        Ok(_) => raw.to_owned(),
        // Not a URL (e.g. a bare SQLite path): nothing that looks like a credential to show.
        Err(_) if raw.contains('@') => "***".to_owned(),
        Err(_) => raw.to_owned(),
    }
}

impl Config {
    /// A copy safe to print: every secret masked.
    pub fn redacted(&self) -> Config {
        let mut copy = self.clone();
        copy.database_url = redact_url(&self.database_url);
        if !copy.phi.blind_index_key.is_empty() {
            copy.phi.blind_index_key = "***".to_owned();
        }
        crate::observability::redact(&mut copy);
        copy
    }

    /// The effective configuration as TOML, secrets masked.
    pub fn to_redacted_toml(&self) -> String {
        toml::to_string_pretty(&self.redacted()).unwrap_or_else(|e| format!("# cannot render: {e}\n"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_masked() {
        assert_eq!(redact_url("mysql://app:s3cret@db:3306/surgicase"), "mysql://app:***@db:3306/surgicase");
        assert_eq!(redact_url("mysql://root@127.0.0.1:3306/x"), "mysql://root@127.0.0.1:3306/x");
        assert_eq!(redact_url("sqlite://surgicase.db"), "sqlite://surgicase.db");
        let mut config = Config { database_url: "mysql://app:s3cret@db/x".to_owned(), ..Config::default() };
        let printed = config.to_redacted_toml();
        assert!(!printed.contains("s3cret"), "{printed}");
        assert!(printed.contains("app:***@db"), "{printed}");
        config.phi.blind_index_key = "ab".repeat(32);
        assert!(!config.to_redacted_toml().contains("abab"));
    }
}
