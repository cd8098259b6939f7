//! Rotating database credentials: the MySQL URL comes from a provider (the runtime builds it
//! from a secret), and a connection refused for bad credentials makes the provider refresh
//! once before a second attempt. Rotating the secret therefore needs no restart: connections
//! already open keep working, new ones pick up the new password.

use std::fmt;
use std::sync::Arc;
use std::sync::atomic::AtomicU64;
use std::time::Duration;

use async_trait::async_trait;
use diesel::ConnectionError;
use diesel::result::ConnectionResult;
use diesel_async::AsyncMysqlConnection;
use surgicase_kernel::Sensitive;
use surgicase_ports::StoreError;

use crate::pool::establish_mysql;

/// Where the MySQL URL comes from when it can change. Implementations cache; `refresh`
/// forgets the cache and asks the source again. Errors never carry the URL or the password.
#[async_trait]
pub trait CredentialsProvider: Send + Sync {
    /// The current `mysql://user:password@host:port/database` URL.
    async fn mysql_url(&self) -> Result<Sensitive, StoreError>;
    /// The URL after asking the source again (called after an authentication failure).
    async fn refresh(&self) -> Result<Sensitive, StoreError>;
}

/// A shared provider.
#[derive(Clone)]
pub struct Credentials(pub Arc<dyn CredentialsProvider>);

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Credentials(***)")
    }
}

/// Whether MySQL refused the login itself (error 1045, "Access denied for user").
pub(crate) fn is_auth_failure(error: &ConnectionError) -> bool {
    let text = match error {
        ConnectionError::CouldntSetupConfiguration(e) => e.to_string(),
        ConnectionError::BadConnection(e) => e.clone(),
        _ => return false,
    };
    text.contains("Access denied for user") || text.contains("(1045)")
}

fn provider_error(e: StoreError) -> ConnectionError {
    ConnectionError::BadConnection(format!("database credentials: {e}"))
}

/// Opens a MySQL connection with the provider's URL; on an authentication failure refreshes the
/// credentials and tries once more.
pub(crate) async fn establish_with(
    provider: &Credentials,
    counter: Option<Arc<AtomicU64>>,
    timeout: Duration,
) -> ConnectionResult<AsyncMysqlConnection> {
    let url = provider.0.mysql_url().await.map_err(provider_error)?;
    match establish_mysql(url.expose(), counter.clone(), timeout).await {
        Err(e) if is_auth_failure(&e) => {
            tracing::warn!("database login refused; refreshing the credentials and reconnecting once");
            metrics::counter!("surgicase_db_credential_refreshes_total").increment(1);
            let url = provider.0.refresh().await.map_err(provider_error)?;
            establish_mysql(url.expose(), counter, timeout).await
        }
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn auth_failures_are_recognised() {
        let table = [
            (
                ConnectionError::BadConnection(
                    "Access denied for user 'app'@'localhost' (using password: YES)".into(),
                ),
                true,
            ),
            (ConnectionError::BadConnection("ERROR 28000 (1045): denied".into()), true),
            (ConnectionError::BadConnection("Connection refused (os error 111)".into()), false),
            (ConnectionError::InvalidConnectionUrl("Access denied for user".into()), false),
        ];
        for (error, expected) in table {
            assert_eq!(is_auth_failure(&error), expected, "{error}");
        }
    }
}
