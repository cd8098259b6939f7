//! Test helpers (feature `testing`): fresh, migrated databases and schema inspection.
//!
//! - [`sqlite_store`]: a new SQLite file in a temporary directory that lives as long as the
//!   store.
//! - [`mysql_store`]: `None` unless `SURGICASE_TEST_MYSQL_URL` names a server
//!   (`mysql://root@127.0.0.1:3306`, no database); otherwise a new database `sc_test_<hex>` on
//!   it, dropped again when the store is dropped. The variable is read through
//!   `surgicase_testkit::env`, so under `SURGICASE_TEST_REQUIRE_ALL=1` an unset URL fails the
//!   test instead of skipping it.
//!
//! Like test code, these helpers panic when the database cannot be prepared.
#![allow(clippy::expect_used, clippy::panic)]

use std::sync::Arc;
use std::time::Duration;

use diesel::QueryableByName;
use diesel::sql_types::Text;
use diesel_async::SimpleAsyncConnection;
use surgicase_ports::{Store, StoreError};

use crate::phi::PhiKeys;
use crate::pool::establish_mysql;
use crate::settings::{Backend, PoolSettings};
use crate::store::DbStore;

mod snapshot;
pub use snapshot::MysqlSnapshot;

/// The fixed blind-index key of test stores.
pub fn test_phi_keys() -> PhiKeys {
    PhiKeys::new([0x5a; 32])
}

/// Small pools: many test stores run side by side and MariaDB's connection limit is low.
pub fn test_pool_settings() -> PoolSettings {
    PoolSettings {
        max_size: 3,
        acquire_timeout: Duration::from_secs(20),
        connect_timeout: Duration::from_secs(10),
    }
}

/// A fresh SQLite database, migrated.
pub async fn sqlite_store() -> Option<Arc<dyn Store>> {
    Some(Arc::new(sqlite_db_store().await))
}

/// A fresh MySQL database, migrated; `None` when `SURGICASE_TEST_MYSQL_URL` is unset.
pub async fn mysql_store() -> Option<Arc<dyn Store>> {
    Some(Arc::new(mysql_db_store().await?))
}

/// [`sqlite_store`] as the concrete type (statement counts, migrations).
pub async fn sqlite_db_store() -> DbStore {
    let store = empty_sqlite_store().await;
    store.migrate().await.expect("migrate the test database");
    store
}

/// A fresh SQLite database without any migration applied.
pub async fn empty_sqlite_store() -> DbStore {
    let dir = tempfile::tempdir().expect("temporary directory");
    let path = dir.path().join("surgicase.db");
    let url = format!("sqlite://{}", path.display());
    DbStore::connect(&url, test_pool_settings(), test_phi_keys())
        .await
        .expect("open the test database")
        .keep_alive(Box::new(dir))
}

/// A migrated SQLite database at `path` (which the caller keeps), to be copied by
/// [`sqlite_copy_of`] once filled.
pub async fn sqlite_file_store(path: &std::path::Path) -> DbStore {
    let url = format!("sqlite://{}", path.display());
    let store =
        DbStore::connect(&url, test_pool_settings(), test_phi_keys()).await.expect("open the database");
    store.migrate().await.expect("migrate the test database");
    store
}

/// A store on a copy of the SQLite file at `path` (closed by its own store first), in a
/// temporary directory that lives as long as the store: a fresh database with the same rows
/// at the cost of a file copy.
pub async fn sqlite_copy_of(path: &std::path::Path) -> DbStore {
    let dir = tempfile::tempdir().expect("temporary directory");
    let copy = dir.path().join("surgicase.db");
    std::fs::copy(path, &copy).expect("copy the database file");
    // A write-ahead log not yet checkpointed belongs to the copy too.
    for suffix in ["-wal", "-shm"] {
        let side = std::path::PathBuf::from(format!("{}{suffix}", path.display()));
        if side.exists() {
            std::fs::copy(&side, format!("{}{suffix}", copy.display())).expect("copy the log");
        }
    }
    let url = format!("sqlite://{}", copy.display());
    DbStore::connect(&url, test_pool_settings(), test_phi_keys())
        .await
        .expect("open the copied database")
        .keep_alive(Box::new(dir))
}

/// [`mysql_store`] as the concrete type.
pub async fn mysql_db_store() -> Option<DbStore> {
    let store = empty_mysql_store().await?;
    store.migrate().await.expect("migrate the test database");
    Some(store)
}

/// A fresh MySQL database without any migration applied; `None` without a test server.
pub async fn empty_mysql_store() -> Option<DbStore> {
    let server = surgicase_testkit::env::mysql_url()?;
    let name = format!("sc_test_{}", &uuid::Uuid::new_v4().simple().to_string()[..16]);
    let mut admin =
        establish_mysql(&server, None, Duration::from_secs(10)).await.expect("connect to the test server");
    admin
        .batch_execute(&format!("CREATE DATABASE {name} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"))
        .await
        .expect("create the test database");
    drop(admin);
    let guard = DropDatabase { server: server.clone(), name: name.clone() };
    let store = DbStore::connect(&database_url(&server, &name), test_pool_settings(), test_phi_keys())
        .await
        .expect("open the test database")
        .keep_alive(Box::new(guard));
    Some(store)
}

/// `n` stores with pools of their own (as `n` processes would have) on one fresh, migrated
/// SQLite file: for tests of several replicas sharing a database.
pub async fn sqlite_db_stores(n: usize) -> Vec<DbStore> {
    let dir = Arc::new(tempfile::tempdir().expect("temporary directory"));
    let url = format!("sqlite://{}", dir.path().join("surgicase.db").display());
    let mut out = Vec::with_capacity(n);
    for _ in 0..n {
        let store = DbStore::connect(&url, test_pool_settings(), test_phi_keys())
            .await
            .expect("open the test database")
            .keep_alive(Box::new(Arc::clone(&dir)));
        out.push(store);
    }
    if let Some(first) = out.first() {
        first.migrate().await.expect("migrate the test database");
    }
    out
}

/// As [`sqlite_db_stores`], on one fresh MySQL database; `None` without a test server.
pub async fn mysql_db_stores(n: usize) -> Option<Vec<DbStore>> {
    let server = surgicase_testkit::env::mysql_url()?;
    let name = format!("sc_test_{}", &uuid::Uuid::new_v4().simple().to_string()[..16]);
    let mut admin =
        establish_mysql(&server, None, Duration::from_secs(10)).await.expect("connect to the test server");
    admin
        .batch_execute(&format!("CREATE DATABASE {name} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"))
        .await
        .expect("create the test database");
    drop(admin);
    let guard = Arc::new(DropDatabase { server: server.clone(), name: name.clone() });
    let mut out = Vec::with_capacity(n);
    for _ in 0..n {
        let store = DbStore::connect(&database_url(&server, &name), test_pool_settings(), test_phi_keys())
            .await
            .expect("open the test database")
            .keep_alive(Box::new(Arc::clone(&guard)));
        out.push(store);
    }
    if let Some(first) = out.first() {
        first.migrate().await.expect("migrate the test database");
    }
    Some(out)
}

/// `server` with `/name` as its path (query parameters kept).
fn database_url(server: &str, name: &str) -> String {
    match server.split_once('?') {
        Some((base, query)) => format!("{}/{name}?{query}", base.trim_end_matches('/')),
        None => format!("{}/{name}", server.trim_end_matches('/')),
    }
}

/// Drops a test database when the store that used it is dropped.
struct DropDatabase {
    server: String,
    name: String,
}

impl Drop for DropDatabase {
    fn drop(&mut self) {
        let server = self.server.clone();
        let sql = format!("DROP DATABASE IF EXISTS {}", self.name);
        // Its own thread and runtime: drop may run inside or outside a runtime.
        let dropped = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().ok()?;
            runtime.block_on(async {
                let mut conn = establish_mysql(&server, None, Duration::from_secs(10)).await.ok()?;
                conn.batch_execute(&sql).await.ok()
            })
        })
        .join();
        if !matches!(dropped, Ok(Some(()))) {
            eprintln!("could not drop test database {}", self.name);
        }
    }
}

#[derive(QueryableByName)]
struct LineDb {
    #[diesel(sql_type = Text)]
    line: String,
}

/// Runs raw SQL on the store's database.
pub async fn exec_raw(store: &DbStore, sql: &str) -> Result<usize, StoreError> {
    store.raw_exec(sql).await
}

/// Rows of a raw query whose only column is the text `line`.
pub async fn lines(store: &DbStore, sql: &str) -> Result<Vec<String>, StoreError> {
    Ok(store.raw_load::<LineDb>(sql).await?.into_iter().map(|l| l.line).collect())
}

fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The schema of the database (tables, columns, indexes, keys, start values), normalised and
/// sorted, without diesel's own migrations table.
pub async fn schema_dump(store: &DbStore) -> Vec<String> {
    let queries: &[&str] = match store.backend() {
        Backend::Sqlite => &[
            "SELECT type || ' ' || name || ' ' || tbl_name || ' ' || COALESCE(sql, '') AS line FROM sqlite_master \
             WHERE name NOT LIKE 'sqlite!_%' ESCAPE '!' AND name <> '__diesel_schema_migrations'",
            "SELECT 'sequence ' || name || ' ' || seq AS line FROM sqlite_sequence",
        ],
        Backend::Mysql => &[
            "SELECT CONCAT_WS(' ', 'table', TABLE_NAME, ENGINE, TABLE_COLLATION, COALESCE(AUTO_INCREMENT, '-')) \
             AS line FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() \
             AND TABLE_NAME <> '__diesel_schema_migrations'",
            "SELECT CONCAT_WS(' ', 'column', TABLE_NAME, ORDINAL_POSITION, COLUMN_NAME, COLUMN_TYPE, IS_NULLABLE, \
             COALESCE(COLUMN_DEFAULT, '-'), COALESCE(COLLATION_NAME, '-'), EXTRA) AS line \
             FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() \
             AND TABLE_NAME <> '__diesel_schema_migrations'",
            "SELECT CONCAT_WS(' ', 'index', TABLE_NAME, INDEX_NAME, NON_UNIQUE, SEQ_IN_INDEX, COLUMN_NAME, \
             COALESCE(SUB_PART, '-')) AS line FROM information_schema.STATISTICS \
             WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME <> '__diesel_schema_migrations'",
            "SELECT CONCAT_WS(' ', 'constraint', TABLE_NAME, CONSTRAINT_NAME, CONSTRAINT_TYPE) AS line \
             FROM information_schema.TABLE_CONSTRAINTS WHERE TABLE_SCHEMA = DATABASE() \
             AND TABLE_NAME <> '__diesel_schema_migrations'",
            "SELECT CONCAT_WS(' ', 'reference', TABLE_NAME, CONSTRAINT_NAME, COLUMN_NAME, REFERENCED_TABLE_NAME, \
             REFERENCED_COLUMN_NAME) AS line FROM information_schema.KEY_COLUMN_USAGE \
             WHERE TABLE_SCHEMA = DATABASE() AND REFERENCED_TABLE_NAME IS NOT NULL",
        ],
    };
    let mut out = Vec::new();
    for sql in queries {
        out.extend(lines(store, sql).await.expect("read the schema").iter().map(|l| collapse(l)));
    }
    out.sort();
    out
}

/// Tables other than the engine's own and diesel's migrations table.
pub async fn user_tables(store: &DbStore) -> Vec<String> {
    let sql = match store.backend() {
        Backend::Sqlite => {
            "SELECT name AS line FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite!_%' ESCAPE '!' \
             AND name <> '__diesel_schema_migrations' ORDER BY name"
        }
        Backend::Mysql => {
            "SELECT TABLE_NAME AS line FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() \
             AND TABLE_NAME <> '__diesel_schema_migrations' ORDER BY TABLE_NAME"
        }
    };
    lines(store, sql).await.expect("list tables")
}

/// The versions recorded in diesel's migrations table (empty when it does not exist).
pub async fn recorded_versions(store: &DbStore) -> Vec<String> {
    lines(store, "SELECT version AS line FROM __diesel_schema_migrations ORDER BY version")
        .await
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn database_urls_keep_query_parameters() {
        assert_eq!(database_url("mysql://root@h:3306", "x"), "mysql://root@h:3306/x");
        assert_eq!(database_url("mysql://root@h:3306/", "x"), "mysql://root@h:3306/x");
        assert_eq!(database_url("mysql://root@h/?socket=/s", "x"), "mysql://root@h/x?socket=/s");
    }
}
