//! The database secret: `{host, port, database, user, password}` (the RDS layout; `dbname` and
//! `username` are accepted too), turned into a MySQL URL.

use surgicase_kernel::Sensitive;
use surgicase_ports::{SecretError, SecretValue};

/// Database connection details read from a secret.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DatabaseSecret {
    pub host: String,
    pub port: u16,
    pub database: String,
    pub user: String,
    password: Sensitive,
}

/// Percent-encodes a URL user-info or path part (everything but the unreserved characters).
fn encode(part: &str) -> String {
    let mut out = String::with_capacity(part.len());
    for b in part.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

impl DatabaseSecret {
    pub fn new(host: &str, port: u16, database: &str, user: &str, password: &str) -> Self {
        Self {
            host: host.to_owned(),
            port,
            database: database.to_owned(),
            user: user.to_owned(),
            password: Sensitive::new(password),
        }
    }

    /// Reads the secret named `name`; errors name the missing or malformed field.
    pub fn from_value(name: &str, value: &SecretValue) -> Result<Self, SecretError> {
        let pick = |a: &str, b: &str| -> Result<Option<String>, SecretError> {
            Ok(value.str_field(name, a)?.or(value.str_field(name, b)?)).map(|v| v.filter(|s| !s.is_empty()))
        };
        let missing = |field: &str| SecretError::Invalid {
            name: name.to_owned(),
            why: format!("field `{field}` is required"),
        };
        let port = match value.str_field(name, "port")? {
            None => 3306,
            Some(raw) => raw.trim().parse::<u16>().map_err(|_| SecretError::Invalid {
                name: name.to_owned(),
                why: "field `port` must be a port number".to_owned(),
            })?,
        };
        Ok(Self {
            host: value.required_str(name, "host")?,
            port,
            database: pick("database", "dbname")?.ok_or_else(|| missing("database"))?,
            user: pick("user", "username")?.ok_or_else(|| missing("user"))?,
            password: Sensitive::new(value.str_field(name, "password")?.unwrap_or_default()),
        })
    }

    /// `mysql://user:password@host:port/database`, user and password percent-encoded (it holds
    /// the password, hence `Sensitive`).
    pub fn mysql_url(&self) -> Sensitive {
        let auth = if self.password.is_empty() {
            encode(&self.user)
        } else {
            format!("{}:{}", encode(&self.user), encode(self.password.expose()))
        };
        Sensitive::new(format!("mysql://{auth}@{}:{}/{}", self.host, self.port, encode(&self.database)))
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn urls_from_secrets() {
        let table = [
            (
                json!({"host": "db.internal", "port": 3306, "database": "surgicase", "user": "app", "password": "p@ss:w/rd"}),
                "mysql://app:p%40ss%3Aw%2Frd@db.internal:3306/surgicase",
            ),
            (
                json!({"host": "127.0.0.1", "port": "3307", "dbname": "x", "username": "u"}),
                "mysql://u@127.0.0.1:3307/x",
            ),
            (json!({"host": "h", "database": "d", "user": "u", "password": "pw"}), "mysql://u:pw@h:3306/d"),
        ];
        for (value, url) in table {
            let secret = DatabaseSecret::from_value("db", &SecretValue::new(value)).expect("valid");
            assert_eq!(secret.mysql_url().expose(), url);
        }
    }

    #[test]
    fn errors_name_fields_never_values() {
        let table = [
            (json!({"port": 1, "database": "d", "user": "u", "password": "hunter2"}), "`host` is required"),
            (
                json!({"host": "h", "port": "hunter2", "database": "d", "user": "u"}),
                "`port` must be a port number",
            ),
            (json!({"host": "h", "database": "d", "password": "hunter2"}), "`user` is required"),
            (json!({"host": "h", "user": "u", "password": "hunter2"}), "`database` is required"),
            (json!(["hunter2"]), "not a JSON object"),
        ];
        for (value, why) in table {
            let err = DatabaseSecret::from_value("prod/db", &SecretValue::new(value)).expect_err("invalid");
            let text = err.to_string();
            assert!(text.contains(why) && text.contains("prod/db"), "{text}");
            assert!(!text.contains("hunter2"), "{text}");
        }
    }

    #[test]
    fn debug_hides_the_password() {
        let secret = DatabaseSecret::new("h", 3306, "d", "u", "hunter2");
        let printed = format!("{secret:?}");
        assert!(!printed.contains("hunter2") && printed.contains("***"), "{printed}");
    }
}
