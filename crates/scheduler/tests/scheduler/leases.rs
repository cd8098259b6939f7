//! Leases: a killed run is retried by another replica once its lease expires, abandoned after
//! three attempts; a replica that lost its lease stops; shutdown finishes or releases; failed
//! and manual runs are recorded like any other.

use std::sync::Arc;
use std::time::Duration as StdDuration;

use chrono::Duration;
use surgicase_app::jobs::{JobLookupError, JobRegistry};
use surgicase_kernel::{Clock, Timestamp};
use surgicase_ports::{RunOutcome, Store, TriggerKind};
use surgicase_scheduler::{RunResult, SchedulerError, SchedulerSettings, Shutdown, shutdown_pair};

use crate::world::*;

const JOB: &str = "paid_transition";

fn monday() -> Timestamp {
    ts("2025-03-03T08:00:00Z")
}

fn weekly() -> Vec<surgicase_app::jobs::JobSetting> {
    vec![job(JOB, "0 0 8 * * Mon", 86_400)]
}

async fn wait_until(what: &str, check: impl Fn() -> bool) {
    for _ in 0..500 {
        if check() {
            return;
        }
        tokio::time::sleep(StdDuration::from_millis(10)).await;
    }
    panic!("timed out waiting for {what}");
}

/// Starts `replica` on the Monday occurrence with a hanging job, waits until the job runs,
/// then kills the task: the row is left running with the replica's lease.
async fn start_and_kill(replica: Replica, hanging: &Hanging) {
    let before = hanging.started.lock().unwrap().len();
    let task = tokio::spawn(async move {
        let expired = replica.scheduler.take_over_expired(&Shutdown::never()).await.unwrap();
        if expired.is_empty() {
            replica
                .scheduler
                .run_occurrence(JOB, monday(), TriggerKind::Schedule, &Shutdown::never())
                .await
                .unwrap();
        }
    });
    wait_until("the job to start", || hanging.started.lock().unwrap().len() > before).await;
    task.abort();
    let _ = task.await;
}

async fn killed_run_is_retried_after_its_lease(stores: Vec<Arc<dyn Store>>) {
    let hanging = Arc::new(Hanging::default());
    let counting = Arc::new(Counting::default());
    let a = replica(stores[0].clone(), "a", monday(), only(JOB, hanging.clone()), weekly());
    start_and_kill(a, &hanging).await;
    let left = rows(stores[1].as_ref(), JOB).await;
    assert_eq!(left.len(), 1);
    assert_eq!(
        (left[0].outcome, left[0].claimed_by.as_str(), left[0].attempt),
        (RunOutcome::Running, "a", 1)
    );
    assert_eq!(left[0].lease_expires_ts, monday() + Duration::minutes(10));

    let b = replica(stores[1].clone(), "b", monday(), only(JOB, counting.clone()), weekly());
    for (at, expect_retry) in
        [(monday() + Duration::minutes(9), false), (monday() + Duration::minutes(10), false)]
    {
        b.set(at);
        assert_eq!(
            b.scheduler.take_over_expired(&Shutdown::never()).await.unwrap().is_empty(),
            !expect_retry
        );
    }
    assert!(counting.occurrences().is_empty(), "not retried while the lease holds");

    b.set(monday() + Duration::minutes(10) + Duration::seconds(1));
    let results = b.scheduler.take_over_expired(&Shutdown::never()).await.unwrap();
    let [RunResult::Finished(row)] = results.as_slice() else {
        panic!("expected one retried run, got {results:?}")
    };
    assert_eq!((row.outcome, row.attempt, row.claimed_by.as_str()), (RunOutcome::Succeeded, 2, "b"));
    assert_eq!(*counting.calls.lock().unwrap(), vec![(monday(), 2)]);
    let stored = rows(stores[0].as_ref(), JOB).await;
    assert_eq!(stored, vec![row.clone()]);
    assert!(b.scheduler.take_over_expired(&Shutdown::never()).await.unwrap().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn killed_run_is_retried_after_its_lease_in_memory() {
    killed_run_is_retried_after_its_lease(memory_stores(2)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn killed_run_is_retried_after_its_lease_on_sqlite() {
    killed_run_is_retried_after_its_lease(sqlite_stores(2).await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn killed_run_is_retried_after_its_lease_on_mariadb() {
    let Some(stores) = mysql_stores(2).await else { return };
    killed_run_is_retried_after_its_lease(stores).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_run_killed_three_times_is_abandoned() {
    let stores = sqlite_stores(1).await;
    let hanging = Arc::new(Hanging::default());
    let mut at = monday();
    for name in ["a", "b", "c"] {
        let r = replica(stores[0].clone(), name, at, only(JOB, hanging.clone()), weekly());
        start_and_kill(r, &hanging).await;
        at += Duration::minutes(11);
    }
    let row = rows(stores[0].as_ref(), JOB).await.remove(0);
    assert_eq!((row.outcome, row.attempt, row.claimed_by.as_str()), (RunOutcome::Running, 3, "c"));

    let counting = Arc::new(Counting::default());
    let d = replica(stores[0].clone(), "d", at, only(JOB, counting.clone()), weekly());
    let results = d.scheduler.take_over_expired(&Shutdown::never()).await.unwrap();
    let [RunResult::Abandoned(gone)] = results.as_slice() else {
        panic!("expected an abandoned run, got {results:?}")
    };
    assert_eq!((gone.outcome, gone.attempt, gone.finished_ts), (RunOutcome::Abandoned, 3, Some(at)));
    assert!(counting.occurrences().is_empty());
    assert_eq!(hanging.started.lock().unwrap().len(), 3);
    assert!(d.scheduler.take_over_expired(&Shutdown::never()).await.unwrap().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_replica_that_lost_its_lease_stops_and_writes_nothing() {
    let stores = sqlite_stores(2).await;
    let short = |instance: &str| SchedulerSettings {
        lease: Duration::seconds(3),
        ..SchedulerSettings::new(instance, weekly())
    };
    let hanging = Arc::new(Hanging::default());
    let a = replica_with(stores[0].clone(), "a", monday(), only(JOB, hanging.clone()), short("a"));
    let task = tokio::spawn(async move {
        a.scheduler.run_occurrence(JOB, monday(), TriggerKind::Schedule, &Shutdown::never()).await
    });
    wait_until("the job to start", || !hanging.started.lock().unwrap().is_empty()).await;

    // A paused replica: its lease (3 s from 08:00:00) has expired by 08:00:04 for the others.
    let counting = Arc::new(Counting::default());
    let b = replica_with(
        stores[1].clone(),
        "b",
        monday() + Duration::seconds(4),
        only(JOB, counting.clone()),
        short("b"),
    );
    let results = b.scheduler.take_over_expired(&Shutdown::never()).await.unwrap();
    assert!(
        matches!(results.as_slice(), [RunResult::Finished(r)] if r.outcome == RunOutcome::Succeeded && r.attempt == 2)
    );

    // A's next renewal (every second) finds the row gone: it stops without writing.
    let a_result = tokio::time::timeout(StdDuration::from_secs(5), task).await.unwrap().unwrap().unwrap();
    assert!(matches!(a_result, RunResult::Lost(ref r) if r.claimed_by == "a"), "{a_result:?}");
    let row = rows(stores[0].as_ref(), JOB).await.remove(0);
    assert_eq!((row.outcome, row.claimed_by.as_str(), row.attempt), (RunOutcome::Succeeded, "b", 2));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn shutdown_lets_a_short_job_finish() {
    let stores = sqlite_stores(1).await;
    let settings = SchedulerSettings {
        shutdown_grace: StdDuration::from_secs(5),
        ..SchedulerSettings::new("a", weekly())
    };
    let a = replica_with(
        stores[0].clone(),
        "a",
        monday(),
        only(JOB, Arc::new(Slow(StdDuration::from_millis(300)))),
        settings,
    );
    let (trigger, shutdown) = shutdown_pair();
    let task = tokio::spawn(async move {
        a.scheduler.run_occurrence(JOB, monday(), TriggerKind::Schedule, &shutdown).await
    });
    tokio::time::sleep(StdDuration::from_millis(50)).await;
    trigger.fire();
    let result = task.await.unwrap().unwrap();
    assert!(matches!(result, RunResult::Finished(ref r) if r.outcome == RunOutcome::Succeeded), "{result:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn shutdown_releases_a_long_job_for_another_replica() {
    let stores = sqlite_stores(2).await;
    let settings = SchedulerSettings {
        shutdown_grace: StdDuration::from_millis(200),
        ..SchedulerSettings::new("a", weekly())
    };
    let hanging = Arc::new(Hanging::default());
    let a = replica_with(
        stores[0].clone(),
        "a",
        monday() + Duration::seconds(2),
        only(JOB, hanging.clone()),
        settings,
    );
    let (trigger, shutdown) = shutdown_pair();
    let task = tokio::spawn(async move {
        a.scheduler.run_occurrence(JOB, monday(), TriggerKind::Schedule, &shutdown).await
    });
    wait_until("the job to start", || !hanging.started.lock().unwrap().is_empty()).await;
    trigger.fire();
    let result = tokio::time::timeout(StdDuration::from_secs(5), task).await.unwrap().unwrap().unwrap();
    assert!(matches!(result, RunResult::Released(_)), "{result:?}");
    let row = rows(stores[0].as_ref(), JOB).await.remove(0);
    assert_eq!((row.outcome, row.lease_expires_ts), (RunOutcome::Running, monday() + Duration::seconds(2)));

    // Free at once (not after ten minutes) for the next replica.
    let counting = Arc::new(Counting::default());
    let b = replica(
        stores[1].clone(),
        "b",
        monday() + Duration::seconds(3),
        only(JOB, counting.clone()),
        weekly(),
    );
    let results = b.scheduler.take_over_expired(&Shutdown::never()).await.unwrap();
    assert!(matches!(results.as_slice(), [RunResult::Finished(r)] if r.attempt == 2 && r.claimed_by == "b"));
    assert_eq!(counting.occurrences(), vec![monday()]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_failed_run_is_recorded_and_not_retried() {
    let stores = sqlite_stores(1).await;
    let a = replica(stores[0].clone(), "a", monday(), only(JOB, Arc::new(Failing)), weekly());
    let result =
        a.scheduler.run_occurrence(JOB, monday(), TriggerKind::Schedule, &Shutdown::never()).await.unwrap();
    let RunResult::Finished(row) = result else { panic!("{result:?}") };
    assert_eq!(row.outcome, RunOutcome::Failed);
    assert_eq!(row.error_text.as_deref(), Some("internal error: the report renderer is unavailable"));
    assert_eq!(rows(stores[0].as_ref(), JOB).await, vec![row]);
    a.set(monday() + Duration::hours(1));
    assert!(a.scheduler.take_over_expired(&Shutdown::never()).await.unwrap().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn manual_runs_use_the_whole_second_and_refuse_unknown_jobs() {
    let stores = sqlite_stores(1).await;
    let counting = Arc::new(Counting::default());
    let a = replica(
        stores[0].clone(),
        "a",
        ts("2025-03-04T13:14:15.750001Z"),
        only(JOB, counting.clone()),
        weekly(),
    );
    let result = a.scheduler.run_now(JOB, &Shutdown::never()).await.unwrap();
    let RunResult::Finished(row) = result else { panic!("{result:?}") };
    assert_eq!((row.scheduled_for, row.trigger_kind), (ts("2025-03-04T13:14:15Z"), TriggerKind::Manual));
    assert_eq!(row.claimed_ts, a.clock.now());
    assert_eq!(a.scheduler.run_now(JOB, &Shutdown::never()).await.unwrap(), RunResult::AlreadyClaimed);

    let unknown = a.scheduler.run_now("nightly_backup", &Shutdown::never()).await.err();
    assert!(matches!(unknown, Some(SchedulerError::Job(JobLookupError::Unknown(_)))), "{unknown:?}");
    let builtin = replica(stores[0].clone(), "b", a.clock.now(), JobRegistry::builtin(), weekly());
    let err = builtin.scheduler.run_now("npi_sync", &Shutdown::never()).await.err().map(|e| e.to_string());
    assert_eq!(err.as_deref(), Some("job \"npi_sync\" is not available in this build"));
    assert!(rows(stores[0].as_ref(), "npi_sync").await.is_empty());
    assert_eq!(rows(stores[0].as_ref(), JOB).await.len(), 1);
}
