//! [`DbStore`]: the storage port over a pooled MySQL or SQLite database.

use std::any::Any;
use std::fmt;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use async_trait::async_trait;
use diesel::connection::SimpleConnection;
use diesel::{Connection, SqliteConnection};
use diesel_async::AsyncMysqlConnection;
use diesel_async::async_connection_wrapper::AsyncConnectionWrapper;
use surgicase_ports::{Conn, Store, StoreError, Tx};

use crate::credentials::{Credentials, establish_with};
use crate::error::{from_connection, from_diesel};
use crate::migrate::{MYSQL_MIGRATIONS, MigrationReport, Plan, SQLITE_MIGRATIONS, run_plan};
use crate::phi::{PhiCodec, PhiKeys};
use crate::pool::{Pool, SQLITE_PRAGMAS, establish_mysql};
use crate::session::{Session, Shared};
use crate::settings::{Backend, PoolSettings, PoolStatus};
use crate::stmt::{Dialect, Stmt};

type R<T> = Result<T, StoreError>;

/// The storage port on a real database. Cheap to share behind an `Arc`.
pub struct DbStore {
    pool: Pool,
    shared: Arc<Shared>,
    backend: Backend,
    /// The MySQL URL or the SQLite file path (never printed: it may hold a password).
    target: String,
    settings: PoolSettings,
    statements: Arc<AtomicU64>,
    /// Rotating MySQL credentials (the URL then comes from here, not from `target`).
    credentials: Option<Credentials>,
    /// SQLite's single writer slot, held by each transaction for its whole life.
    writer: Arc<tokio::sync::Mutex<()>>,
    /// Whatever must live as long as the store (a test database's cleanup). Dropped last.
    _keepalive: Option<Box<dyn Any + Send + Sync>>,
}

impl fmt::Debug for DbStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DbStore").field("backend", &self.backend).field("pool", &self.pool_status()).finish()
    }
}

/// Which engine a URL names, and what to open: `mysql://…` is MySQL; `sqlite://path`,
/// `sqlite:path` and a plain path are SQLite files.
fn parse_target(url: &str) -> (Backend, String) {
    if url.starts_with("mysql://") {
        return (Backend::Mysql, url.to_owned());
    }
    let path = url.strip_prefix("sqlite://").or_else(|| url.strip_prefix("sqlite:")).unwrap_or(url);
    (Backend::Sqlite, path.to_owned())
}

impl DbStore {
    /// Opens a pool on `url` (`mysql://user:pass@host:port/db`, `sqlite://path` or a plain
    /// path; a missing SQLite file is created) and checks that one connection can be made.
    /// Does not migrate: call [`DbStore::migrate`].
    pub async fn connect(url: &str, settings: PoolSettings, phi: PhiKeys) -> R<Self> {
        Self::open(url, None, settings, phi).await
    }

    /// Opens a MySQL pool whose URL comes from `credentials` (a database secret). A login
    /// refused for bad credentials refreshes them and retries once, so a rotated password is
    /// picked up without a restart.
    pub async fn connect_with_credentials(
        credentials: Credentials,
        settings: PoolSettings,
        phi: PhiKeys,
    ) -> R<Self> {
        Self::open("mysql://credentials-provider", Some(credentials), settings, phi).await
    }

    async fn open(
        url: &str,
        credentials: Option<Credentials>,
        settings: PoolSettings,
        phi: PhiKeys,
    ) -> R<Self> {
        let (backend, target) = parse_target(url);
        if backend == Backend::Sqlite
            && let Some(dir) = Path::new(&target).parent()
            && !dir.as_os_str().is_empty()
        {
            std::fs::create_dir_all(dir)
                .map_err(|e| StoreError::unavailable("cannot create the database directory").caused_by(e))?;
        }
        let statements = Arc::new(AtomicU64::new(0));
        let pool = Pool::new(backend, &target, &settings, Arc::clone(&statements), credentials.clone())?;
        let store = Self {
            pool,
            shared: Arc::new(Shared { codec: PhiCodec::new(phi), dialect: Dialect(backend) }),
            backend,
            target,
            settings,
            statements,
            credentials,
            writer: Arc::new(tokio::sync::Mutex::new(())),
            _keepalive: None,
        };
        drop(store.pool.get(store.settings.acquire_timeout).await?);
        Ok(store)
    }

    /// Keeps `value` alive as long as the store (dropped after the pool is closed).
    #[cfg(any(test, feature = "testing"))]
    pub(crate) fn keep_alive(mut self, value: Box<dyn Any + Send + Sync>) -> Self {
        self._keepalive = Some(value);
        self
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Statements started on this store's connections so far (every backend, every
    /// connection; session set-up excluded).
    pub fn statements_executed(&self) -> u64 {
        self.statements.load(Ordering::Relaxed)
    }

    pub fn pool_status(&self) -> PoolStatus {
        self.pool.status()
    }

    /// Applies every pending embedded migration. Refuses, changing nothing, when the database
    /// carries a migration this build does not know.
    pub async fn migrate(&self) -> R<MigrationReport> {
        self.run_migrations(Plan::Apply).await
    }

    /// Reverts every applied migration (tests of the migrations themselves).
    pub async fn revert_all(&self) -> R<MigrationReport> {
        self.run_migrations(Plan::RevertAll).await
    }

    /// Reverts the applied migrations newer than `version` (a version this build embeds),
    /// newest first: the schema an older build expects.
    pub async fn revert_newer_than(&self, version: &str) -> R<MigrationReport> {
        self.run_migrations(Plan::RevertNewerThan(version.to_owned())).await
    }

    async fn run_migrations(&self, plan: Plan) -> R<MigrationReport> {
        // No write transaction may run beside schema changes on SQLite.
        let _writer = self.writer.lock().await;
        let target = self.target.clone();
        let what = format!("{plan:?}");
        let task = match self.backend {
            Backend::Mysql => {
                let timeout = self.settings.connect_timeout;
                let conn = match &self.credentials {
                    Some(provider) => establish_with(provider, None, timeout).await,
                    None => establish_mysql(&target, None, timeout).await,
                }
                .map_err(from_connection)?;
                tokio::task::spawn_blocking(move || {
                    let mut conn: AsyncConnectionWrapper<AsyncMysqlConnection> =
                        AsyncConnectionWrapper::from(conn);
                    run_plan(&mut conn, &MYSQL_MIGRATIONS, plan)
                })
            }
            Backend::Sqlite => tokio::task::spawn_blocking(move || {
                let mut conn = SqliteConnection::establish(&target).map_err(from_connection)?;
                conn.batch_execute(SQLITE_PRAGMAS).map_err(from_diesel)?;
                run_plan(&mut conn, &SQLITE_MIGRATIONS, plan)
            }),
        };
        let report = task.await.map_err(|e| StoreError::backend("migration task failed").caused_by(e))??;
        for version in &report.ran {
            tracing::info!(backend = self.backend.as_str(), version = %version, plan = %what, "migration");
        }
        Ok(report)
    }

    pub(crate) async fn session(&self) -> R<Session> {
        let conn = self.pool.get(self.settings.acquire_timeout).await?;
        Ok(Session::autocommit(conn, Arc::clone(&self.shared)))
    }

    /// Runs one statement outside the port (tests: raw SQL against the schema).
    #[cfg(any(test, feature = "testing"))]
    pub(crate) async fn raw_exec(&self, sql: &str) -> R<usize> {
        self.session().await?.exec(Stmt::new(sql).uncached()).await
    }

    /// Loads rows of a raw query (tests).
    #[cfg(any(test, feature = "testing"))]
    pub(crate) async fn raw_load<T>(&self, sql: &str) -> R<Vec<T>>
    where
        T: diesel::QueryableByName<diesel::mysql::Mysql>
            + diesel::QueryableByName<diesel::sqlite::Sqlite>
            + Send
            + 'static,
    {
        self.session().await?.load::<T>(Stmt::new(sql).uncached()).await
    }
}

impl Drop for DbStore {
    fn drop(&mut self) {
        self.pool.close();
    }
}

#[derive(diesel::QueryableByName)]
struct OneDb {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    #[allow(dead_code)]
    one: i64,
}

#[async_trait]
impl Store for DbStore {
    async fn conn(&self) -> R<Box<dyn Conn>> {
        Ok(Box::new(self.session().await?))
    }

    async fn begin(&self) -> R<Box<dyn Tx>> {
        let timeout = self.settings.acquire_timeout;
        let writer = match self.backend {
            Backend::Sqlite => Some(
                tokio::time::timeout(timeout, Arc::clone(&self.writer).lock_owned())
                    .await
                    .map_err(|_| StoreError::unavailable(format!("no write slot within {timeout:?}")))?,
            ),
            Backend::Mysql => None,
        };
        let conn = self.pool.get(timeout).await?;
        Ok(Box::new(Session::begin(conn, Arc::clone(&self.shared), writer).await?))
    }

    async fn ping(&self) -> R<()> {
        self.session().await?.ping().await
    }
}

impl Session {
    /// The health check's statement.
    pub(crate) async fn ping(&mut self) -> R<()> {
        self.load::<OneDb>(Stmt::new("SELECT 1 AS one")).await.map(|_| ())
    }
}

impl Conn for Session {}

#[async_trait]
impl Tx for Session {
    async fn commit(mut self: Box<Self>) -> R<()> {
        self.finish(true).await
    }

    async fn rollback(mut self: Box<Self>) -> R<()> {
        self.finish(false).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_name_the_backend() {
        let table = [
            ("mysql://root@127.0.0.1:3306/db", Backend::Mysql, "mysql://root@127.0.0.1:3306/db"),
            ("sqlite:///tmp/a.db", Backend::Sqlite, "/tmp/a.db"),
            ("sqlite://data/a.db", Backend::Sqlite, "data/a.db"),
            ("sqlite:a.db", Backend::Sqlite, "a.db"),
            ("/var/lib/surgicase.db", Backend::Sqlite, "/var/lib/surgicase.db"),
        ];
        for (url, backend, target) in table {
            assert_eq!(parse_target(url), (backend, target.to_owned()), "{url}");
        }
    }
}
