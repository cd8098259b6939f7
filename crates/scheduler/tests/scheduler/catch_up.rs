//! Catch-up after downtime (domain §7.3).

use std::sync::Arc;

use surgicase_kernel::Timestamp;
use surgicase_ports::{RunOutcome, Store, TriggerKind};
use surgicase_scheduler::{RunResult, Shutdown};

use crate::world::*;

const JOB: &str = "pending_payment_transition";

/// The weekly job ran on Monday 3 Feb; the schedulers were down until Monday 3 Mar 10:00.
async fn after_four_weeks_down(stores: Vec<Arc<dyn Store>>) {
    let counting = Arc::new(Counting::default());
    let weekly = || vec![job(JOB, "0 0 8 * * Mon", 86_400)];
    let before = replica(
        stores[0].clone(),
        "before",
        ts("2025-02-03T08:00:00Z"),
        only(JOB, counting.clone()),
        weekly(),
    );
    let first = ts("2025-02-03T08:00:00Z");
    assert!(matches!(
        before.scheduler.run_occurrence(JOB, first, TriggerKind::Schedule, &Shutdown::never()).await.unwrap(),
        RunResult::Finished(_)
    ));
    // A manual run during the downtime does not count as the latest occurrence.
    before.set(ts("2025-02-20T12:00:00.5Z"));
    before.scheduler.run_now(JOB, &Shutdown::never()).await.unwrap();

    // Every replica starts at once and catches up.
    let now = ts("2025-03-03T10:00:00Z");
    let mut tasks = Vec::new();
    for (i, store) in stores.iter().enumerate() {
        let r = replica(store.clone(), &format!("r{i}"), now, only(JOB, counting.clone()), weekly());
        tasks.push(tokio::spawn(async move { r.scheduler.catch_up(&Shutdown::never()).await.unwrap() }));
    }
    let mut reports = Vec::new();
    for task in tasks {
        reports.push(task.await.unwrap());
    }
    assert!(reports.iter().all(|r| r.until == now));
    assert_eq!(
        reports.iter().map(|r| r.skipped).sum::<u64>(),
        3,
        "each skipped row written once: {reports:?}"
    );
    assert_eq!(reports.iter().map(|r| r.ran).sum::<usize>(), 1);

    let rows = rows(stores[0].as_ref(), JOB).await;
    let got: Vec<(Timestamp, TriggerKind, RunOutcome)> =
        rows.iter().map(|r| (r.scheduled_for, r.trigger_kind, r.outcome)).collect();
    assert_eq!(
        got,
        vec![
            (first, TriggerKind::Schedule, RunOutcome::Succeeded),
            (ts("2025-02-10T08:00:00Z"), TriggerKind::CatchUp, RunOutcome::Skipped),
            (ts("2025-02-17T08:00:00Z"), TriggerKind::CatchUp, RunOutcome::Skipped),
            (ts("2025-02-20T12:00:00Z"), TriggerKind::Manual, RunOutcome::Succeeded),
            (ts("2025-02-24T08:00:00Z"), TriggerKind::CatchUp, RunOutcome::Skipped),
            (ts("2025-03-03T08:00:00Z"), TriggerKind::CatchUp, RunOutcome::Succeeded),
        ]
    );
    for skipped in rows.iter().filter(|r| r.outcome == RunOutcome::Skipped) {
        assert_eq!((skipped.started_ts, skipped.finished_ts, skipped.claimed_ts), (None, Some(now), now));
    }
    assert_eq!(counting.occurrences(), vec![first, ts("2025-02-20T12:00:00Z"), ts("2025-03-03T08:00:00Z")]);

    // Started again a minute later: nothing left to catch up.
    let again = replica(
        stores[0].clone(),
        "again",
        now + chrono::Duration::minutes(1),
        only(JOB, counting.clone()),
        weekly(),
    );
    let report = again.scheduler.catch_up(&Shutdown::never()).await.unwrap();
    assert_eq!((report.skipped, report.ran, report.already_claimed), (0, 0, 0));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn after_downtime_in_memory() {
    after_four_weeks_down(memory_stores(2)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn after_downtime_with_two_replicas_on_sqlite() {
    after_four_weeks_down(sqlite_stores(2).await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn after_downtime_with_three_replicas_on_mariadb() {
    let Some(stores) = mysql_stores(3).await else { return };
    after_four_weeks_down(stores).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn occurrences_within_the_window_run_oldest_first_across_jobs() {
    let stores = sqlite_stores(1).await;
    let daily = Arc::new(Counting::default());
    let hourly = Arc::new(Counting::default());
    let mut registry = only("audit_chain_verify", daily.clone());
    registry.register("upload_cleanup", hourly.clone());
    let jobs = vec![
        job("audit_chain_verify", "0 0 3 * * *", 2 * 86_400),
        job("upload_cleanup", "0 0 * * * *", 3 * 3600),
    ];
    // Both last ran on 26 Feb 03:00.
    let start = ts("2025-02-26T03:00:00Z");
    let r = replica(stores[0].clone(), "r", start, registry.clone(), jobs.clone());
    for name in ["audit_chain_verify", "upload_cleanup"] {
        r.scheduler.run_occurrence(name, start, TriggerKind::Schedule, &Shutdown::never()).await.unwrap();
    }
    let now = ts("2025-03-01T04:30:00Z");
    let r = replica(stores[0].clone(), "r2", now, registry, jobs);
    let report = r.scheduler.catch_up(&Shutdown::never()).await.unwrap();
    // Daily: 27 Feb skipped (older than 2 days), 28 Feb and 1 Mar run. Hourly: the last 3 h run.
    assert_eq!(daily.occurrences(), vec![start, ts("2025-02-28T03:00:00Z"), ts("2025-03-01T03:00:00Z")]);
    assert_eq!(
        hourly.occurrences()[1..].to_vec(),
        vec![ts("2025-03-01T02:00:00Z"), ts("2025-03-01T03:00:00Z"), ts("2025-03-01T04:00:00Z"),]
    );
    let hourly_skipped = 2 * 24 + 22; // 26 Feb 04:00 … 1 Mar 01:00
    assert_eq!(report.skipped, 1 + hourly_skipped);
    assert_eq!(report.ran, 5);
    // Oldest first over both jobs: 28 Feb 03:00 (daily) ran before 1 Mar 02:00 (hourly).
    let ids_by_time = {
        let mut all: Vec<(Timestamp, i64)> = Vec::new();
        for name in ["audit_chain_verify", "upload_cleanup"] {
            all.extend(
                rows(stores[0].as_ref(), name)
                    .await
                    .iter()
                    .filter(|row| {
                        row.trigger_kind == TriggerKind::CatchUp && row.outcome == RunOutcome::Succeeded
                    })
                    .map(|row| (row.scheduled_for, row.id)),
            );
        }
        all.sort();
        all.into_iter().map(|(_, id)| id).collect::<Vec<_>>()
    };
    assert_eq!(ids_by_time.len(), 5);
    assert!(ids_by_time.windows(2).all(|w| w[0] < w[1]), "claimed in occurrence order: {ids_by_time:?}");
}
