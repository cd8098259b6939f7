//! Rotating credentials: a login refused with the cached password makes the provider refresh
//! once and the connection succeed; a provider that keeps a wrong password fails cleanly.
//! MariaDB only (`SURGICASE_TEST_MYSQL_URL`, a root login that may create users).

use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use async_trait::async_trait;
use surgicase_kernel::Sensitive;
use surgicase_ports::{Store, StoreError};
use surgicase_store::testing::{test_phi_keys, test_pool_settings};
use surgicase_store::{Credentials, CredentialsProvider, DbStore};

struct Rotating {
    stale: String,
    fresh: String,
    refreshes: AtomicUsize,
}

#[async_trait]
impl CredentialsProvider for Rotating {
    async fn mysql_url(&self) -> Result<Sensitive, StoreError> {
        let url = if self.refreshes.load(Ordering::SeqCst) == 0 { &self.stale } else { &self.fresh };
        Ok(Sensitive::new(url.as_str()))
    }
    async fn refresh(&self) -> Result<Sensitive, StoreError> {
        self.refreshes.fetch_add(1, Ordering::SeqCst);
        Ok(Sensitive::new(self.fresh.as_str()))
    }
}

fn root(sql: &str) {
    let status = Command::new("mariadb")
        .args(["-h", "127.0.0.1", "-P", "3306", "-u", "root", "-e", sql])
        .status()
        .unwrap();
    assert!(status.success(), "{sql}");
}

#[tokio::test]
async fn an_access_denied_login_refreshes_the_credentials_once() {
    if surgicase_testkit::env::mysql_url().is_none() {
        return;
    }
    let tag = &uuid::Uuid::new_v4().simple().to_string()[..12];
    let (db, user) = (format!("sc_test_cred_{tag}"), format!("sc_rot_{tag}"));
    root(&format!(
        "CREATE DATABASE {db}; CREATE USER '{user}'@'%' IDENTIFIED BY 'new-{tag}'; GRANT ALL ON {db}.* TO '{user}'@'%'"
    ));
    let url = |password: &str| format!("mysql://{user}:{password}@127.0.0.1:3306/{db}");
    let provider = Arc::new(Rotating {
        stale: url("old"),
        fresh: url(&format!("new-{tag}")),
        refreshes: AtomicUsize::new(0),
    });
    let store = DbStore::connect_with_credentials(
        Credentials(provider.clone()),
        test_pool_settings(),
        test_phi_keys(),
    )
    .await
    .unwrap();
    store.ping().await.unwrap();
    assert_eq!(provider.refreshes.load(Ordering::SeqCst), 1);
    store.migrate().await.unwrap();
    drop(store);

    // Still wrong after the refresh: the error names no password.
    let wrong = Arc::new(Rotating { stale: url("old"), fresh: url("older"), refreshes: AtomicUsize::new(0) });
    let err =
        DbStore::connect_with_credentials(Credentials(wrong.clone()), test_pool_settings(), test_phi_keys())
            .await
            .unwrap_err();
    assert!(err.is_unavailable(), "{err:?}");
    assert!(!err.to_string().contains("older") && !err.to_string().contains(&format!("new-{tag}")), "{err}");
    assert_eq!(wrong.refreshes.load(Ordering::SeqCst), 1);
    root(&format!("DROP USER IF EXISTS '{user}'@'%'; DROP DATABASE IF EXISTS {db}"));
}
