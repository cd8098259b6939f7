//! Connections: establishing them with the session settings of domain §2, and the pools.

use std::sync::Arc;
use std::sync::atomic::AtomicU64;
use std::time::Duration;

use diesel::ConnectionError;
use diesel::SqliteConnection;
use diesel::result::ConnectionResult;
use diesel_async::pooled_connection::deadpool::{Object, Pool as DeadPool};
use diesel_async::pooled_connection::{AsyncDieselConnectionManager, ManagerConfig, RecyclingMethod};
use diesel_async::sync_connection_wrapper::SyncConnectionWrapper;
use diesel_async::{AsyncConnection, AsyncMysqlConnection, SimpleAsyncConnection};
use futures::FutureExt;
use surgicase_ports::StoreError;

use crate::credentials::{Credentials, establish_with};
use crate::instrument::StatementCounter;
use crate::settings::{Backend, PoolSettings, PoolStatus};

/// SQLite through diesel's sync connection, run on tokio's blocking threads.
pub(crate) type SqliteConn = SyncConnectionWrapper<SqliteConnection>;

/// MySQL session settings: one character set and collation everywhere, UTC, strict mode, and
/// READ COMMITTED so that a read after `lock_user` sees what other transactions committed
/// while it waited for the lock (duplicate detection relies on it).
const MYSQL_SESSION: [&str; 4] = [
    "SET NAMES utf8mb4 COLLATE utf8mb4_unicode_ci",
    "SET time_zone = '+00:00'",
    "SET SESSION sql_mode = 'STRICT_ALL_TABLES,NO_ZERO_IN_DATE,NO_ZERO_DATE,\
     ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION,ONLY_FULL_GROUP_BY'",
    "SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED",
];

/// SQLite connection settings. `busy_timeout` comes first so that switching to WAL waits for
/// other connections instead of failing.
pub(crate) const SQLITE_PRAGMAS: &str = "PRAGMA busy_timeout = 5000; PRAGMA journal_mode = WAL; \
     PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;";

/// Opens a MySQL connection and applies the session settings.
pub(crate) async fn establish_mysql(
    url: &str,
    counter: Option<Arc<AtomicU64>>,
    timeout: Duration,
) -> ConnectionResult<AsyncMysqlConnection> {
    let setup = async {
        let mut conn = AsyncMysqlConnection::establish(url).await?;
        for statement in MYSQL_SESSION {
            conn.batch_execute(statement).await.map_err(ConnectionError::CouldntSetupConfiguration)?;
        }
        if let Some(count) = counter {
            conn.set_instrumentation(StatementCounter::new(count, Backend::Mysql.as_str()));
        }
        Ok(conn)
    };
    tokio::time::timeout(timeout, setup)
        .await
        .unwrap_or_else(|_| Err(ConnectionError::BadConnection("timed out connecting to MySQL".into())))
}

/// Opens a SQLite connection (creating the file if missing) and applies the pragmas.
///
/// Runs in a task of its own and without a timeout of ours: dropping diesel-async's SQLite
/// futures mid-flight panics on a current-thread runtime (see `session`), and every wait inside
/// is bounded by SQLite's busy timeout anyway.
pub(crate) async fn establish_sqlite(
    path: String,
    counter: Option<Arc<AtomicU64>>,
) -> ConnectionResult<SqliteConn> {
    let setup = async move {
        let mut conn = SqliteConn::establish(&path).await?;
        conn.batch_execute(SQLITE_PRAGMAS).await.map_err(ConnectionError::CouldntSetupConfiguration)?;
        if let Some(count) = counter {
            conn.set_instrumentation(StatementCounter::new(count, Backend::Sqlite.as_str()));
        }
        Ok(conn)
    };
    tokio::spawn(setup).await.unwrap_or_else(|e| Err(ConnectionError::BadConnection(e.to_string())))
}

/// The metric (histogram, seconds) of the waits for a pooled connection.
pub const WAIT_HISTOGRAM: &str = "db_pool_wait_seconds";

/// The pool of one store.
pub(crate) enum Pool {
    Mysql(DeadPool<AsyncMysqlConnection>),
    Sqlite(DeadPool<SqliteConn>),
}

/// A connection checked out of the pool.
pub(crate) enum PooledConn {
    Mysql(Object<AsyncMysqlConnection>),
    Sqlite(Object<SqliteConn>),
}

impl PooledConn {
    /// Closes the connection instead of returning it to the pool (used when it may still hold
    /// an open transaction: closing it makes the server roll back).
    pub fn discard(self) {
        match self {
            PooledConn::Mysql(obj) => drop(Object::take(obj)),
            PooledConn::Sqlite(obj) => drop(Object::take(obj)),
        }
    }
}

impl Pool {
    pub fn new(
        backend: Backend,
        url: &str,
        settings: &PoolSettings,
        counter: Arc<AtomicU64>,
        credentials: Option<Credentials>,
    ) -> Result<Self, StoreError> {
        let timeout = settings.connect_timeout;
        let max = settings.max_size.max(1);
        let built = match backend {
            Backend::Mysql => {
                let mut config = ManagerConfig::<AsyncMysqlConnection>::default();
                config.custom_setup = Box::new(move |url| {
                    let counter = Arc::clone(&counter);
                    let url = url.to_owned();
                    // With a provider the URL is the provider's (rotating credentials).
                    let credentials = credentials.clone();
                    async move {
                        match credentials {
                            Some(provider) => establish_with(&provider, Some(counter), timeout).await,
                            None => establish_mysql(&url, Some(counter), timeout).await,
                        }
                    }
                    .boxed()
                });
                // Network connections can die while idle: check each one as it leaves the pool.
                config.recycling_method = RecyclingMethod::Verified;
                let manager = AsyncDieselConnectionManager::new_with_config(url, config);
                DeadPool::builder(manager).max_size(max).build().map(Pool::Mysql)
            }
            Backend::Sqlite => {
                let mut config = ManagerConfig::<SqliteConn>::default();
                config.custom_setup = Box::new(move |path| {
                    let counter = Arc::clone(&counter);
                    establish_sqlite(path.to_owned(), Some(counter)).boxed()
                });
                // A file connection cannot drop; the open-transaction check still applies.
                config.recycling_method = RecyclingMethod::Fast;
                let manager = AsyncDieselConnectionManager::new_with_config(url, config);
                DeadPool::builder(manager).max_size(max).build().map(Pool::Sqlite)
            }
        };
        built.map_err(|e| StoreError::backend("cannot build the connection pool").caused_by(e))
    }

    /// A connection, or `Unavailable` after `timeout`. The wait is recorded in the
    /// `db_pool_wait_seconds` histogram (including waits that time out).
    pub async fn get(&self, timeout: Duration) -> Result<PooledConn, StoreError> {
        let started = std::time::Instant::now();
        let got = match self {
            Pool::Mysql(pool) => {
                tokio::time::timeout(timeout, pool.get()).await.map(|r| r.map(PooledConn::Mysql))
            }
            Pool::Sqlite(pool) => {
                tokio::time::timeout(timeout, pool.get()).await.map(|r| r.map(PooledConn::Sqlite))
            }
        };
        metrics::histogram!(WAIT_HISTOGRAM).record(started.elapsed().as_secs_f64());
        match got {
            Err(_) => Err(StoreError::unavailable(format!("no database connection within {timeout:?}"))),
            Ok(Err(e)) => Err(StoreError::unavailable("cannot get a database connection").caused_by(e)),
            Ok(Ok(conn)) => Ok(conn),
        }
    }

    pub fn status(&self) -> PoolStatus {
        let s = match self {
            Pool::Mysql(pool) => pool.status(),
            Pool::Sqlite(pool) => pool.status(),
        };
        PoolStatus { size: s.size, available: s.available, max_size: s.max_size }
    }

    pub fn close(&self) {
        match self {
            Pool::Mysql(pool) => pool.close(),
            Pool::Sqlite(pool) => pool.close(),
        }
    }
}
