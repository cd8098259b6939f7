//! The real transition jobs run through the scheduler: exactly the cases in the source status
//! move, each with one history row naming the job and its run.

use std::sync::Arc;

use surgicase_app::jobs::JobRegistry;
use surgicase_kernel::{CaseStatus, Timestamp};
use surgicase_ports::records::{ActorType, CaseRow, ChangeSource};
use surgicase_ports::{RunOutcome, Store, TriggerKind};
use surgicase_scheduler::{RunResult, Shutdown};
use surgicase_testkit::fixtures::{case_id, seed_owner, seed_reference};

use crate::world::*;

fn jobs() -> Vec<surgicase_app::jobs::JobSetting> {
    vec![
        job("pending_payment_transition", "0 0 8 * * Mon", 86_400),
        job("paid_transition", "0 0 8 * * Thu", 86_400),
    ]
}

async fn status_of(store: &dyn Store, id: &str) -> (CaseStatus, bool) {
    let row =
        store.conn().await.unwrap().get_case_view(&case_id(id), None, None).await.unwrap().unwrap().case.row;
    (row.case_status, row.active)
}

async fn transitions_move_exactly_the_source_cases(stores: Vec<Arc<dyn Store>>) {
    let store = stores[0].clone();
    seed_reference(store.as_ref()).await.unwrap();
    let owner = seed_owner(store.as_ref(), "u-jane").await.unwrap();
    let cases = [
        ("c-a", 10, true),
        ("c-b", 10, true),
        ("c-deleted", 10, false),
        ("c-draft", 0, true),
        ("c-15", 15, true),
        ("c-closed", 500, true),
    ];
    {
        let mut c = store.conn().await.unwrap();
        for (id, status, active) in cases {
            let row = CaseRow { case_status: CaseStatus::new(status).unwrap(), active, ..owner.case_row(id) };
            c.insert_case(&row).await.unwrap();
        }
    }
    let monday: Timestamp = ts("2025-03-03T08:00:00Z");
    // Two replicas race for the Monday occurrence of the real job.
    let mut tasks = Vec::new();
    for (i, s) in stores.iter().enumerate() {
        let r = replica(s.clone(), &format!("r{i}"), monday, JobRegistry::builtin(), jobs());
        tasks.push(tokio::spawn(async move {
            r.scheduler
                .run_occurrence(
                    "pending_payment_transition",
                    monday,
                    TriggerKind::Schedule,
                    &Shutdown::never(),
                )
                .await
                .unwrap()
        }));
    }
    let mut finished = Vec::new();
    for task in tasks {
        if let RunResult::Finished(row) = task.await.unwrap() {
            finished.push(row);
        }
    }
    let [run] = finished.as_slice() else { panic!("exactly one replica runs the occurrence: {finished:?}") };
    assert_eq!((run.outcome, run.items_processed), (RunOutcome::Succeeded, 2));
    assert_eq!(run.details.as_deref(), Some(r#"{"cases":2,"status":{"from":10,"to":15}}"#));

    for (id, expected, active) in [
        ("c-a", 15, true),
        ("c-b", 15, true),
        ("c-deleted", 10, false),
        ("c-draft", 0, true),
        ("c-15", 15, true),
        ("c-closed", 500, true),
    ] {
        assert_eq!(status_of(store.as_ref(), id).await, (CaseStatus::new(expected).unwrap(), active), "{id}");
    }
    let mut c = store.conn().await.unwrap();
    for id in ["c-a", "c-b"] {
        let history = c.case_history(&case_id(id)).await.unwrap();
        assert_eq!(history.len(), 1, "{id}: one history row");
        let h = &history[0];
        assert_eq!(
            (h.from_status, h.to_status),
            (Some(CaseStatus::READY_FOR_BILLING), CaseStatus::PENDING_PAYMENT)
        );
        assert_eq!(
            (h.actor_type, h.actor_id.as_str(), h.source),
            (ActorType::Job, "pending_payment_transition", ChangeSource::Job)
        );
        assert_eq!((h.job_run_id, h.changed_ts), (Some(run.id), monday));
    }
    for id in ["c-deleted", "c-draft", "c-15", "c-closed"] {
        assert!(c.case_history(&case_id(id)).await.unwrap().is_empty(), "{id} untouched");
    }

    // Thursday: 15 → 20 for c-a, c-b and c-15.
    let thursday = ts("2025-03-06T08:00:00Z");
    let r = replica(stores[1].clone(), "r-thu", thursday, JobRegistry::builtin(), jobs());
    let result = r
        .scheduler
        .run_occurrence("paid_transition", thursday, TriggerKind::Schedule, &Shutdown::never())
        .await
        .unwrap();
    let RunResult::Finished(paid) = result else { panic!("{result:?}") };
    assert_eq!(paid.items_processed, 3);
    for id in ["c-a", "c-b", "c-15"] {
        assert_eq!(status_of(store.as_ref(), id).await.0, CaseStatus::PAID, "{id}");
        let history = c.case_history(&case_id(id)).await.unwrap();
        assert_eq!(history.last().and_then(|h| h.job_run_id), Some(paid.id));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn on_sqlite() {
    transitions_move_exactly_the_source_cases(sqlite_stores(2).await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn on_mariadb() {
    let Some(stores) = mysql_stores(2).await else { return };
    transitions_move_exactly_the_source_cases(stores).await;
}
