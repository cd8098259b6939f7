//! Transactions: commit, rollback, drop without either, the SQLite writer slot, locking.

use std::sync::Arc;
use std::time::Duration;

use surgicase_ports::{Store, StoreError};
use surgicase_store::testing::{test_phi_keys, test_pool_settings};
use surgicase_store::{DbStore, PoolSettings};

use crate::fixtures::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn commit_keeps_and_rollback_discards() {
    for store in stores().await {
        seed(&store).await;
        let mut tx = store.begin().await.unwrap();
        tx.insert_user(&user("u-kept")).await.unwrap();
        tx.commit().await.unwrap();
        let mut tx = store.begin().await.unwrap();
        tx.insert_user(&user("u-gone")).await.unwrap();
        assert!(tx.get_user(&uid("u-gone")).await.unwrap().is_some(), "a transaction sees its own writes");
        tx.rollback().await.unwrap();
        let mut conn = store.conn().await.unwrap();
        assert!(conn.get_user(&uid("u-kept")).await.unwrap().is_some());
        assert!(conn.get_user(&uid("u-gone")).await.unwrap().is_none());
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dropped_transaction_rolls_back_and_its_connection_is_not_reused() {
    for store in stores().await {
        let backend = store.backend();
        seed(&store).await;
        let mut tx = store.begin().await.unwrap();
        tx.insert_user(&user("u-dropped")).await.unwrap();
        let open = store.pool_status().size;
        drop(tx);
        assert_eq!(store.pool_status().size, open - 1, "{backend:?}: the connection went back to the pool");

        // The next transaction starts at once (SQLite's writer slot was released) and sees
        // nothing of the dropped one.
        let mut next = tokio::time::timeout(Duration::from_secs(5), store.begin()).await.unwrap().unwrap();
        assert!(next.get_user(&uid("u-dropped")).await.unwrap().is_none(), "{backend:?}");
        next.insert_user(&user("u-dropped")).await.unwrap();
        next.commit().await.unwrap();
        // Every pooled connection is clean: none still holds the dropped transaction.
        for _ in 0..3 {
            let mut conn = store.conn().await.unwrap();
            assert!(conn.get_user(&uid("u-dropped")).await.unwrap().is_some());
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn write_transactions_are_serialised() {
    for store in stores().await {
        seed_with_users(&store, &["u-1"]).await;
        let store: Arc<DbStore> = Arc::new(store);
        let mut tasks = Vec::new();
        for i in 0..8 {
            let store = Arc::clone(&store);
            tasks.push(tokio::spawn(async move {
                let mut tx = store.begin().await?;
                // Read first, then write: with a deferred BEGIN this could fail to upgrade.
                let user = tx.get_user(&uid("u-1")).await?.expect("user");
                tx.insert_case(&case_row(&format!("c-{i}"), user.user_id.as_str())).await?;
                tokio::time::sleep(Duration::from_millis(5)).await;
                tx.commit().await
            }));
        }
        for task in tasks {
            task.await.unwrap().unwrap();
        }
        let mut conn = store.conn().await.unwrap();
        assert_eq!(conn.count_owner_cases_at(&uid("u-1"), status(0)).await.unwrap(), 8);
    }
}

/// The duplicate check of domain §10.3: lock the owner, look for a duplicate, insert. Two
/// concurrent creations of the same patient: exactly one finds no duplicate.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn locking_the_owner_serialises_duplicate_detection() {
    for store in stores().await {
        let backend = store.backend();
        seed_with_users(&store, &["u-1"]).await;
        let store: Arc<DbStore> = Arc::new(store);
        let mut tasks = Vec::new();
        for i in 0..4 {
            let store = Arc::clone(&store);
            tasks.push(tokio::spawn(async move {
                let mut tx = store.begin().await?;
                let owner = uid("u-1");
                tx.lock_user(&owner).await?.expect("owner");
                let row = case_row(&format!("c-{i}"), "u-1");
                let dup = tx.find_duplicate(&owner, row.case_date, &row.patient_name_key, None).await?;
                if dup.is_none() {
                    tokio::time::sleep(Duration::from_millis(20)).await;
                    tx.insert_case(&row).await?;
                }
                tx.commit().await?;
                Ok::<bool, StoreError>(dup.is_none())
            }));
        }
        let mut created = 0;
        for task in tasks {
            if task.await.unwrap().unwrap() {
                created += 1;
            }
        }
        assert_eq!(created, 1, "{backend:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_exhausted_pool_answers_unavailable() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}/x.db", dir.path().display());
    let settings =
        PoolSettings { max_size: 1, acquire_timeout: Duration::from_millis(200), ..test_pool_settings() };
    let store = DbStore::connect(&url, settings, test_phi_keys()).await.unwrap();
    store.migrate().await.unwrap();
    let held = store.conn().await.unwrap();
    let err = store.conn().await.err().expect("the second connection must time out");
    assert!(err.is_unavailable(), "{err:?}");
    let err = store.begin().await.err().expect("no connection for a transaction either");
    assert!(err.is_unavailable(), "{err:?}");
    drop(held);
    store.ping().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unreachable_server_is_unavailable() {
    let settings = PoolSettings { connect_timeout: Duration::from_secs(2), ..test_pool_settings() };
    let err = DbStore::connect("mysql://root@127.0.0.1:1/none", settings, test_phi_keys()).await.unwrap_err();
    assert!(err.is_unavailable(), "{err:?}");
}

/// Actix runs handlers on current-thread runtimes and drops a handler's future when the client
/// goes away: a statement cancelled there must neither panic nor leave a lock or an open
/// transaction in the pool.
#[tokio::test(flavor = "current_thread")]
async fn cancelling_statements_on_a_current_thread_runtime_is_safe() {
    for store in stores().await {
        let backend = store.backend();
        seed(&store).await;
        let slow = match backend {
            surgicase_store::Backend::Sqlite => {
                "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 3000000) \
                 SELECT COUNT(*) FROM c"
            }
            surgicase_store::Backend::Mysql => "SELECT SLEEP(1)",
        };
        let cancelled =
            tokio::time::timeout(Duration::from_millis(20), surgicase_store::testing::exec_raw(&store, slow));
        assert!(cancelled.await.is_err(), "{backend:?}: the statement should still be running");

        // A transaction cancelled in the middle of a statement leaves nothing behind either.
        let mut tx = store.begin().await.unwrap();
        tx.insert_user(&user("u-cancel")).await.unwrap();
        let mut stmt_in_tx = Box::pin(tx.procedure_codes(Some("x"), 10));
        let _ = tokio::time::timeout(Duration::from_micros(1), &mut stmt_in_tx).await;
        drop(stmt_in_tx);
        drop(tx);

        let mut next = tokio::time::timeout(Duration::from_secs(10), store.begin()).await.unwrap().unwrap();
        assert!(next.get_user(&uid("u-cancel")).await.unwrap().is_none(), "{backend:?}");
        next.insert_user(&user("u-cancel")).await.unwrap();
        next.commit().await.unwrap();
        for _ in 0..3 {
            let mut conn = store.conn().await.unwrap();
            assert!(conn.get_user(&uid("u-cancel")).await.unwrap().is_some(), "{backend:?}");
        }
        store.ping().await.unwrap();
    }
}
