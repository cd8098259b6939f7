//! The secrets port: named JSON secrets (database credentials, storage settings) from AWS
//! Secrets Manager, the environment or files.
//!
//! Secret values never reach logs, errors or metrics: [`SecretValue`] prints as `***`, and
//! [`SecretError`] messages name the secret and the field, never a value.

use std::fmt;

use async_trait::async_trait;
use serde_json::{Map, Value};

/// A secret's JSON value. Its `Debug` and `Display` never show the content.
#[derive(Clone, PartialEq)]
pub struct SecretValue(Value);

impl SecretValue {
    pub fn new(value: Value) -> Self {
        Self(value)
    }

    /// The JSON value itself (handle with care: never log it).
    pub fn expose(&self) -> &Value {
        &self.0
    }

    fn object(&self, secret: &str) -> Result<&Map<String, Value>, SecretError> {
        self.0.as_object().ok_or_else(|| SecretError::Invalid {
            name: secret.to_owned(),
            why: "the secret is not a JSON object".to_owned(),
        })
    }

    /// A string field; `secret` names the secret in the error.
    pub fn str_field(&self, secret: &str, field: &str) -> Result<Option<String>, SecretError> {
        match self.object(secret)?.get(field) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            // Numbers are accepted as text (ports, ids), never echoed in errors.
            Some(Value::Number(n)) => Ok(Some(n.to_string())),
            Some(_) => Err(SecretError::Invalid {
                name: secret.to_owned(),
                why: format!("field `{field}` must be a string"),
            }),
        }
    }

    /// A string field that must be present and non-empty.
    pub fn required_str(&self, secret: &str, field: &str) -> Result<String, SecretError> {
        match self.str_field(secret, field)? {
            Some(s) if !s.is_empty() => Ok(s),
            _ => Err(SecretError::Invalid {
                name: secret.to_owned(),
                why: format!("field `{field}` is required"),
            }),
        }
    }
}

impl fmt::Debug for SecretValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SecretValue(***)")
    }
}

impl fmt::Display for SecretValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

/// Why a secret cannot be had. Messages carry names, never values.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SecretError {
    /// No secret has this name.
    #[error("secret {0} not found")]
    NotFound(String),
    /// The secret exists but is not what the service expects.
    #[error("secret {name} is invalid: {why}")]
    Invalid { name: String, why: String },
    /// The secret source could not be reached.
    #[error("secret source unavailable: {0}")]
    Unavailable(String),
}

#[async_trait]
pub trait SecretSource: Send + Sync {
    /// The named secret, possibly from a cache.
    async fn get_json(&self, name: &str) -> Result<SecretValue, SecretError>;
    /// Forgets any cached value of `name`: the next `get_json` asks the source again
    /// (credential rotation).
    fn invalidate(&self, name: &str);
    /// Short name of the source for health output (`aws`, `env`).
    fn kind(&self) -> &'static str;
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn values_never_print() {
        let v = SecretValue::new(json!({"password": "hunter2"}));
        assert_eq!(format!("{v:?}"), "SecretValue(***)");
        assert_eq!(v.to_string(), "***");
    }

    #[test]
    fn fields_and_their_errors() {
        let v = SecretValue::new(json!({"user": "app", "port": 3306, "password": ["hunter2"], "empty": ""}));
        assert_eq!(v.str_field("db", "user").ok().flatten().as_deref(), Some("app"));
        assert_eq!(v.str_field("db", "port").ok().flatten().as_deref(), Some("3306"));
        assert_eq!(v.str_field("db", "none").ok().flatten(), None);
        let err = v.str_field("db", "password").err().map(|e| e.to_string()).unwrap_or_default();
        assert_eq!(err, "secret db is invalid: field `password` must be a string");
        assert!(!err.contains("hunter2"));
        assert!(v.required_str("db", "empty").is_err());
        assert!(SecretValue::new(json!("x")).str_field("db", "user").is_err());
    }
}
