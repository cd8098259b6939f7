//! Secrets from the environment or from files: the secret `prod/db` is the JSON in
//! `SURGICASE_SECRET_PROD_DB`, else in the file `<dir>/prod_db.json`. Nothing is cached:
//! a changed file is read on the next call.

use std::path::PathBuf;

use async_trait::async_trait;
use surgicase_ports::{SecretError, SecretSource, SecretValue};

/// Environment variables first, then files under an optional directory.
#[derive(Debug, Clone, Default)]
pub struct EnvSecrets {
    dir: Option<PathBuf>,
    /// Variables looked up instead of the process environment (tests).
    overrides: Option<Vec<(String, String)>>,
}

/// `prod/db-main` → `PROD_DB_MAIN`.
fn normalise(name: &str) -> String {
    name.chars().map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_uppercase() } else { '_' }).collect()
}

impl EnvSecrets {
    pub fn new(dir: Option<PathBuf>) -> Self {
        Self { dir, overrides: None }
    }

    /// A source that reads `vars` instead of the process environment.
    pub fn with_vars(dir: Option<PathBuf>, vars: Vec<(String, String)>) -> Self {
        Self { dir, overrides: Some(vars) }
    }

    /// The variable holding the secret `name`.
    pub fn variable(name: &str) -> String {
        format!("SURGICASE_SECRET_{}", normalise(name))
    }

    fn var(&self, key: &str) -> Option<String> {
        match &self.overrides {
            Some(vars) => vars.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone()),
            None => std::env::var(key).ok(),
        }
    }

    fn parse(name: &str, raw: &str) -> Result<SecretValue, SecretError> {
        serde_json::from_str(raw)
            .map(SecretValue::new)
            // serde's message could quote the content: name the secret only.
            .map_err(|_| SecretError::Invalid { name: name.to_owned(), why: "not valid JSON".to_owned() })
    }
}

#[async_trait]
impl SecretSource for EnvSecrets {
    async fn get_json(&self, name: &str) -> Result<SecretValue, SecretError> {
        if let Some(raw) = self.var(&Self::variable(name)) {
            return Self::parse(name, &raw);
        }
        let Some(dir) = &self.dir else { return Err(SecretError::NotFound(name.to_owned())) };
        let path = dir.join(format!("{}.json", normalise(name).to_ascii_lowercase()));
        match tokio::fs::read_to_string(&path).await {
            Ok(raw) => Self::parse(name, &raw),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Err(SecretError::NotFound(name.to_owned())),
            Err(e) => {
                Err(SecretError::Unavailable(format!("reading the file of secret {name}: {}", e.kind())))
            }
        }
    }

    fn invalidate(&self, _name: &str) {}

    fn kind(&self) -> &'static str {
        "env"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn variables_then_files() {
        let dir = tempfile::tempdir().expect("dir");
        std::fs::write(dir.path().join("prod_storage.json"), r#"{"bucket_name": "docs"}"#).expect("write");
        std::fs::write(dir.path().join("broken.json"), r#"{"password": "hunter2""#).expect("write");
        let vars = vec![(EnvSecrets::variable("prod/db"), r#"{"user": "app"}"#.to_owned())];
        let source = EnvSecrets::with_vars(Some(dir.path().to_path_buf()), vars);
        let db = source.get_json("prod/db").await.expect("from the variable");
        assert_eq!(db.str_field("prod/db", "user").ok().flatten().as_deref(), Some("app"));
        let st = source.get_json("prod/storage").await.expect("from the file");
        assert_eq!(st.str_field("s", "bucket_name").ok().flatten().as_deref(), Some("docs"));
        assert_eq!(source.get_json("none").await, Err(SecretError::NotFound("none".into())));
        let err = source.get_json("broken").await.expect_err("invalid");
        assert!(!err.to_string().contains("hunter2"), "{err}");
        assert_eq!(EnvSecrets::variable("prod/db-main"), "SURGICASE_SECRET_PROD_DB_MAIN");
        let bare = EnvSecrets::with_vars(None, Vec::new());
        assert_eq!(bare.get_json("x").await, Err(SecretError::NotFound("x".into())));
    }
}
