//! Several replicas racing over the same occurrences run each one exactly once.

use std::sync::Arc;

use surgicase_kernel::{Clock, Timestamp};
use surgicase_ports::{RunOutcome, Store, TriggerKind};
use surgicase_scheduler::{RunResult, Shutdown};

use crate::world::*;

/// `stores.len()` replicas (one per store, all on one database) step through `occurrences`
/// occurrences of an every-second job in lock-step, so that all of them try to claim each
/// occurrence at the same moment. The occurrences cross the new year.
async fn race(stores: Vec<Arc<dyn Store>>, occurrences: i64) -> Vec<usize> {
    let counting = Arc::new(Counting::default());
    let start = ts("2025-12-31T23:58:20Z");
    let barrier = Arc::new(tokio::sync::Barrier::new(stores.len()));
    let first = stores[0].clone();
    let mut tasks = Vec::new();
    for (i, store) in stores.into_iter().enumerate() {
        let r = replica(
            store,
            &format!("replica-{i}"),
            start,
            only("tick", counting.clone()),
            vec![job("tick", "* * * * * *", 60)],
        );
        let barrier = barrier.clone();
        tasks.push(tokio::spawn(async move {
            let mut cursor = start;
            let mut won = 0usize;
            for s in 1..=occurrences {
                r.set(plus(start, s));
                barrier.wait().await;
                let results = r
                    .scheduler
                    .run_due("tick", &mut cursor, r.clock.now(), &Shutdown::never())
                    .await
                    .unwrap();
                assert_eq!(results.len(), 1);
                if matches!(results[0], RunResult::Finished(_)) {
                    won += 1;
                }
                assert_eq!(cursor, plus(start, s));
            }
            won
        }));
    }
    let mut per_replica = Vec::new();
    for task in tasks {
        per_replica.push(task.await.unwrap());
    }

    let expected: Vec<Timestamp> = (1..=occurrences).map(|s| plus(start, s)).collect();
    let mut invoked = counting.occurrences();
    invoked.sort();
    assert_eq!(invoked, expected, "each occurrence invoked exactly once");
    assert_eq!(per_replica.iter().sum::<usize>(), expected.len());
    let rows = rows(first.as_ref(), "tick").await;
    assert_eq!(rows.iter().map(|r| r.scheduled_for).collect::<Vec<_>>(), expected, "one row per occurrence");
    for row in &rows {
        assert_eq!((row.outcome, row.attempt, row.items_processed), (RunOutcome::Succeeded, 1, 1), "{row:?}");
        assert_eq!(row.trigger_kind, TriggerKind::Schedule);
        assert!(row.claimed_by.starts_with("replica-"));
        assert_eq!(row.details.as_deref(), Some(r#"{"counted":true}"#));
    }
    eprintln!("occurrences won per replica: {per_replica:?}");
    per_replica
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_replicas_in_memory() {
    race(memory_stores(2), 100).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn three_replicas_in_memory() {
    race(memory_stores(3), 100).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_replicas_on_one_sqlite_file() {
    race(sqlite_stores(2).await, 100).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn three_replicas_on_one_sqlite_file() {
    race(sqlite_stores(3).await, 100).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_replicas_on_one_mariadb_database() {
    let Some(stores) = mysql_stores(2).await else { return };
    race(stores, 100).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn three_replicas_on_one_mariadb_database() {
    let Some(stores) = mysql_stores(3).await else { return };
    race(stores, 100).await;
}
