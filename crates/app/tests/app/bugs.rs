//! Bug intake: stored first, pushed once, retried with backoff, never duplicated.

use std::sync::Arc;

use serde_json::{Map, Value, json};
use surgicase_app::bugs::{BugListRequest, SyncOutcome, SyncReport};
use surgicase_app::{App, AppError};
use surgicase_kernel::Clock;
use surgicase_ports::bugs::{BugPriority, SyncState, TrackerError};
use surgicase_testkit::bugs::{FakeMode, FakeTracker};

use crate::world::World;

fn body(v: Value) -> Map<String, Value> {
    match v {
        Value::Object(m) => m,
        _ => panic!("object"),
    }
}

fn report(title: &str) -> Map<String, Value> {
    body(json!({
        "bug_date": "2025-03-10",
        "calling_page": "/cases",
        "priority": "High",
        "bug": {"title": title, "description": "Clicking Save does nothing."},
        "environment_info": {"browser": "Firefox"},
    }))
}

fn with_tracker(world: &World, tracker: &FakeTracker) -> App {
    world.app.clone().with_bug_tracker(Arc::new(tracker.clone()))
}

fn minutes(n: i64) -> chrono::Duration {
    chrono::Duration::minutes(n)
}

#[tokio::test]
async fn without_a_tracker_reports_are_kept_locally() {
    let w = World::new().await;
    let jane = w.user("u-jane", 1, 1).await;
    let filed = w.app.file_bug(&jane, &report("Save does nothing")).await.unwrap();
    assert_eq!(filed.sync_state, SyncState::Disabled);
    assert_eq!(w.app.sync_bug(filed.bug_id).await.unwrap(), SyncOutcome::Skipped);
    assert_eq!(w.app.sync_pending_bugs(w.clock.now()).await.unwrap(), SyncReport::default());

    let listed = w.app.list_bugs(&jane, &BugListRequest::default()).await.unwrap();
    assert_eq!(listed.len(), 1);
    let bug = &listed[0];
    assert_eq!(
        (bug.title.as_str(), bug.priority, bug.status.as_str()),
        ("Save does nothing", BugPriority::High, "Open")
    );
    // No user_profile: the caller's own names.
    assert_eq!(bug.reported_by.as_deref(), Some("First6 Last-u-jane"));
    let stored: Value = serde_json::from_str(&bug.full_json).unwrap();
    assert_eq!(stored["environment_info"]["browser"], "Firefox");
}

#[tokio::test]
async fn providers_list_their_own_reports_and_global_admins_all() {
    let w = World::new().await;
    let jane = w.user("u-jane", 1, 1).await;
    let bob = w.user("u-bob", 1, 1).await;
    let admin = w.user("u-admin", 100, 1).await;
    w.app.file_bug(&jane, &report("a")).await.unwrap();
    w.clock.advance(minutes(1));
    w.app
        .file_bug(&bob, &body(json!({"user_profile": {"first_name": "Robert", "last_name": "Roe"}})))
        .await
        .unwrap();

    let titles =
        |rows: Vec<surgicase_ports::BugRecord>| rows.into_iter().map(|b| b.title).collect::<Vec<_>>();
    assert_eq!(titles(w.app.list_bugs(&jane, &BugListRequest::default()).await.unwrap()), vec!["a"]);
    let all =
        w.app.list_bugs(&admin, &BugListRequest { status: Some("ALL".into()), limit: None }).await.unwrap();
    assert_eq!(
        all.iter().map(|b| b.reported_by.clone().unwrap()).collect::<Vec<_>>(),
        vec!["Robert Roe", "First6 Last-u-jane"]
    );
    assert_eq!(titles(all), vec!["Untitled Bug", "a"]);

    for (request, field) in [
        (BugListRequest { status: Some("closed".into()), limit: None }, "status"),
        (BugListRequest { status: None, limit: Some(0) }, "limit"),
    ] {
        match w.app.list_bugs(&jane, &request).await {
            Err(AppError::Validation(e)) => {
                assert_eq!(e.iter().next().map(|f| f.field.as_str()), Some(field))
            }
            other => panic!("{other:?}"),
        }
    }
    match w.app.file_bug(&jane, &body(json!({"priority": "critical"}))).await {
        Err(AppError::Validation(e)) => {
            assert_eq!(e.iter().next().map(|f| f.field.as_str()), Some("priority"))
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn a_report_is_pushed_once_with_its_task() {
    let w = World::new().await;
    let tracker = FakeTracker::new();
    let app = with_tracker(&w, &tracker);
    let jane = w.user("u-jane", 1, 1).await;
    let filed = app.file_bug(&jane, &report("Save does nothing")).await.unwrap();
    assert_eq!(filed.sync_state, SyncState::Pending);

    let outcome = app.sync_bug(filed.bug_id).await.unwrap();
    assert_eq!(outcome, SyncOutcome::Created { task_id: "task-1".into() });
    // Synced: further attempts do nothing.
    assert_eq!(app.sync_bug(filed.bug_id).await.unwrap(), SyncOutcome::Skipped);
    assert_eq!(app.sync_pending_bugs(w.clock.now() + minutes(120)).await.unwrap().due, 0);

    let tasks = tracker.tasks();
    assert_eq!(tasks.len(), 1);
    let task = &tasks["task-1"];
    assert_eq!(task.name, format!("Bug #{}: Save does nothing", filed.bug_id));
    assert_eq!(task.priority, BugPriority::High);
    assert_eq!(task.tags, vec!["bug", "auto-created"]);
    assert!(
        task.description.starts_with("Clicking Save does nothing.\n\n```json\n{\n"),
        "{}",
        task.description
    );
    let bug = &app.list_bugs(&jane, &BugListRequest::default()).await.unwrap()[0];
    assert_eq!(
        (bug.sync_state, bug.tracker_task_id.as_deref(), bug.sync_attempts),
        (SyncState::Synced, Some("task-1"), 1)
    );
    assert_eq!(tracker.lookup_calls(), 0, "a first attempt creates without looking up");
}

#[tokio::test]
async fn an_outage_is_retried_with_backoff_until_the_report_is_in_exactly_once() {
    let w = World::new().await;
    let tracker = FakeTracker::new();
    let app = with_tracker(&w, &tracker);
    let jane = w.user("u-jane", 1, 1).await;
    tracker.set_mode(FakeMode::Down(TrackerError::Server(500)));
    let filed = app.file_bug(&jane, &report("During the outage")).await.unwrap();
    let t0 = w.clock.now();

    // The immediate attempt fails: pending, retried in 1 minute.
    assert_eq!(app.sync_bug(filed.bug_id).await.unwrap(), SyncOutcome::Failed(TrackerError::Server(500)));
    let bug = app.list_bugs(&jane, &BugListRequest::default()).await.unwrap().remove(0);
    assert_eq!((bug.sync_state, bug.sync_attempts), (SyncState::Pending, 1));
    assert_eq!(bug.next_sync_ts, Some(t0 + minutes(1)));
    assert!(bug.last_sync_error.unwrap().contains("500"));

    // Not due before its time.
    w.clock.advance(chrono::Duration::seconds(59));
    assert_eq!(app.sync_pending_bugs(w.clock.now()).await.unwrap().due, 0);
    // Rate limited at the second attempt: next in 2 minutes.
    w.clock.set(t0 + minutes(1));
    tracker.set_mode(FakeMode::Down(TrackerError::RateLimited));
    assert_eq!(
        app.sync_pending_bugs(w.clock.now()).await.unwrap(),
        SyncReport { due: 1, synced: 0, failed: 1, skipped: 0 }
    );
    let bug = app.list_bugs(&jane, &BugListRequest::default()).await.unwrap().remove(0);
    assert_eq!((bug.sync_attempts, bug.next_sync_ts), (2, Some(t0 + minutes(3))));

    // Third attempt: the tracker creates the task but the answer times out.
    w.clock.set(t0 + minutes(3));
    tracker.set_mode(FakeMode::CreatesThenTimesOut);
    assert_eq!(app.sync_pending_bugs(w.clock.now()).await.unwrap().failed, 1);
    assert_eq!(tracker.tasks().len(), 1);
    let bug = app.list_bugs(&jane, &BugListRequest::default()).await.unwrap().remove(0);
    assert_eq!((bug.sync_state, bug.next_sync_ts), (SyncState::Pending, Some(t0 + minutes(7))));

    // Recovery: the retry finds the task by name instead of creating a second one.
    w.clock.set(t0 + minutes(7));
    tracker.set_mode(FakeMode::Up);
    assert_eq!(app.sync_pending_bugs(w.clock.now()).await.unwrap().synced, 1);
    let bug = app.list_bugs(&jane, &BugListRequest::default()).await.unwrap().remove(0);
    assert_eq!((bug.sync_state, bug.tracker_task_id.as_deref()), (SyncState::Synced, Some("task-1")));
    assert_eq!(tracker.tasks().len(), 1, "never duplicated");
    // Attempt 2 stopped at its lookup (rate limited); attempts 3 and 4 looked up first.
    assert_eq!((tracker.create_calls(), tracker.lookup_calls()), (2, 3));
}

#[tokio::test]
async fn concurrent_sync_runs_push_each_report_once() {
    let w = World::new().await;
    let tracker = FakeTracker::new();
    let app = with_tracker(&w, &tracker);
    let jane = w.user("u-jane", 1, 1).await;
    for i in 0..10 {
        app.file_bug(&jane, &report(&format!("bug {i}"))).await.unwrap();
    }
    let now = w.clock.now();
    let runs: Vec<_> = (0..4)
        .map(|_| {
            let app = app.clone();
            tokio::spawn(async move { app.sync_pending_bugs(now).await.unwrap() })
        })
        .collect();
    let mut synced = 0;
    for run in runs {
        synced += run.await.unwrap().synced;
    }
    assert_eq!(synced, 10);
    assert_eq!(tracker.tasks().len(), 10);
    assert_eq!(tracker.create_calls(), 10);
}
