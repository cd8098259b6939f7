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
    /// The effective configuration as TOML. Every secret is a [`surgicase_kernel::Sensitive`],
    /// which serializes masked; the database URL is shown with only its password masked, since
    /// its host and database name are what an operator checks.
    pub fn to_redacted_toml(&self) -> String {
        let rendered = toml::Table::try_from(self).map(|mut table| {
            let url = redact_url(self.database_url.expose());
            table.insert("database_url".to_owned(), toml::Value::String(url));
            table
        });
        match rendered.map(|table| toml::to_string_pretty(&table)) {
            Ok(Ok(text)) => text,
            Ok(Err(e)) => format!("# cannot render: {e}\n"),
            Err(e) => format!("# cannot render: {e}\n"),
        }
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
        let mut config = Config { database_url: "mysql://app:s3cret@db/x".into(), ..Config::default() };
        let printed = config.to_redacted_toml();
        assert!(!printed.contains("s3cret"), "{printed}");
        assert!(printed.contains("app:***@db"), "{printed}");
        config.phi.blind_index_key = "ab".repeat(32).into();
        config.bugs.clickup.token = "pk_live_token".into();
        for shown in [config.to_redacted_toml(), format!("{config:?}"), format!("{config:#?}")] {
            assert!(!shown.contains("abab"), "{shown}");
            assert!(!shown.contains("pk_live"), "{shown}");
            assert!(!shown.contains("s3cret"), "{shown}");
        }
    }
}
