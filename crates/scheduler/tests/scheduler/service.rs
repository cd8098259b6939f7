//! The service loop in real time: two replicas serve an every-second job side by side for a
//! few seconds; each occurrence in between runs exactly once, and shutdown stops both.

use std::sync::Arc;
use std::time::Duration as StdDuration;

use surgicase_app::{App, AppSettings};
use surgicase_kernel::{Clock, SystemClock};
use surgicase_ports::{RunOutcome, Store};
use surgicase_scheduler::{Scheduler, SchedulerSettings, shutdown_pair};
use surgicase_testkit::{MemoryObjectStore, StaticNpiRegistry};

use crate::world::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_replicas_serve_an_every_second_job() {
    let stores = sqlite_stores(2).await;
    let counting = Arc::new(Counting::default());
    let (trigger, shutdown) = shutdown_pair();
    let mut tasks = Vec::new();
    for (i, store) in stores.iter().enumerate() {
        let app = App::new(
            store.clone(),
            Arc::new(MemoryObjectStore::new()),
            Arc::new(StaticNpiRegistry::new()),
            Arc::new(SystemClock) as Arc<dyn Clock>,
            AppSettings::default(),
        );
        let settings = SchedulerSettings::new(format!("serve-{i}"), vec![job("tick", "* * * * * *", 0)]);
        let scheduler = Scheduler::new(app, only("tick", counting.clone()), settings).unwrap();
        let shutdown = shutdown.clone();
        tasks.push(tokio::spawn(async move { scheduler.serve(shutdown).await }));
    }
    tokio::time::sleep(StdDuration::from_millis(3500)).await;
    trigger.fire();
    for task in tasks {
        tokio::time::timeout(StdDuration::from_secs(10), task).await.unwrap().unwrap().unwrap();
    }

    let rows = rows(stores[0].as_ref() as &dyn Store, "tick").await;
    let ran: Vec<_> =
        rows.iter().filter(|r| r.outcome == RunOutcome::Succeeded).map(|r| r.scheduled_for).collect();
    assert!((3..=5).contains(&ran.len()), "{} rows, {} succeeded", rows.len(), ran.len());
    // Consecutive seconds, no gap, no duplicate; every row finished.
    assert!(ran.windows(2).all(|w| (w[1] - w[0]).num_seconds() == 1), "{ran:?}");
    assert_eq!(rows.len(), ran.len(), "only succeeded rows");
    let mut invoked = counting.occurrences();
    invoked.sort();
    assert_eq!(invoked, ran);
}
